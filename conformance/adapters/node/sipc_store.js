'use strict';
// The shared replay store of SIPC/1 section 16 for the Node server: Redis, spoken with the
// standard library only (RESP over a net.Socket).
//
// One command per authenticated envelope, SET <key> 1 NX EXAT <ts + ttl + 1> (REQ-STORE-1 to
// REQ-STORE-3), on one pipelined connection (Redis answers in order). Every failure (no
// connection, no answer within STORE_TIMEOUT_MS, an error reply, anything but +OK or nil) is
// 'unavailable' (REQ-STORE-5), and a broken connection is dropped, so the next envelope
// connects afresh: a store that comes back is used again without a restart (REQ-STORE-7).

const crypto = require('crypto');
const net = require('net');

const STORE_TIMEOUT_MS = 2000;
const KEY_PREFIX = 'sipc1:replay:';
const KEY_DOMAIN = Buffer.from('SIPC-1 replay\n');
const MAX_REPLY_LINE = 4096; // longer reply lines are a broken store, never read whole
const MAX_BULK = 1 << 20;
const URL = /^redis:\/\/(127\.0\.0\.1|\[::1\]):([0-9]+)(?:\/([0-9]+))?$/;
const [RECORDED, EXISTS, UNAVAILABLE] = ['recorded', 'exists', 'unavailable'];

class StoreError extends Error {}
// The store answered -ERR…: reachable, and the connection still in step.
class ErrorReply extends StoreError {}

// REQ-STORE-2: the prefix and the hex HMAC-SHA256 of the domain and the nonce.
function storeKey(secret, nonce) {
  const mac = crypto.createHmac('sha256', secret).update(KEY_DOMAIN).update(Buffer.from(nonce, 'utf8'));
  return KEY_PREFIX + mac.digest('hex');
}

// REQ-STORE-3: the first second at which the nonce is no longer live.
const storeExpiry = (ts, ttl) => ts + ttl + 1;

// One RESP command: an array of bulk strings.
function encode(args) {
  const parts = [Buffer.from(`*${args.length}\r\n`)];
  for (const arg of args) {
    const data = Buffer.from(String(arg), 'utf8');
    parts.push(Buffer.from(`$${data.length}\r\n`), data, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

// One reply from buf at offset: { value, next }, null when incomplete; throws StoreError.
// +simple -> string, -error -> ErrorReply (as the value), :int -> number, nil -> null,
// $bulk -> Buffer.
function parseReply(buf, offset) {
  const end = buf.indexOf('\r\n', offset);
  if (end < 0) {
    if (buf.length - offset > MAX_REPLY_LINE) throw new StoreError('reply line too long');
    return null;
  }
  if (end - offset > MAX_REPLY_LINE) throw new StoreError('reply line too long');
  const line = buf.subarray(offset, end).toString('utf8');
  const kind = line[0];
  const rest = line.slice(1);
  const next = end + 2;
  if (kind === '+') return { value: rest, next };
  if (kind === '-') return { value: new ErrorReply(rest), next };
  if (kind === ':') return { value: Number(rest), next };
  if (kind === '_' || line === '$-1') return { value: null, next };
  if (kind === '$') {
    const n = Number(rest);
    if (!Number.isInteger(n) || n < 0 || n > MAX_BULK) throw new StoreError(`bulk reply of ${rest} bytes`);
    if (buf.length < next + n + 2) return null;
    return { value: buf.subarray(next, next + n), next: next + n + 2 };
  }
  throw new StoreError(`unexpected reply ${JSON.stringify(line.slice(0, 40))}`);
}

// One connection to the store at a validated URL (REQ-CONFIG-20), opened when needed.
class Redis {
  constructor(url) {
    const m = URL.exec(url);
    this.host = m[1] === '[::1]' ? '::1' : m[1];
    this.port = Number(m[2]);
    this.db = Number(m[3] ?? 0);
    this.sock = null;
  }

  // The open connection, or a new one (SELECT first when the URL names a database).
  connection() {
    if (this.sock !== null) return { conn: this.sock, reused: true };
    const conn = net.connect({ host: this.host, port: this.port });
    conn.waiting = [];
    conn.buf = Buffer.alloc(0);
    const failAll = (why) => {
      if (this.sock === conn) this.sock = null;
      conn.destroy();
      for (const w of conn.waiting.splice(0)) w.reject(new StoreError(why));
    };
    conn.on('error', (e) => failAll(e.message));
    conn.on('close', () => failAll('the store closed the connection'));
    conn.on('data', (data) => {
      conn.buf = Buffer.concat([conn.buf, data]);
      try {
        for (;;) {
          const parsed = parseReply(conn.buf, 0);
          if (parsed === null) return;
          conn.buf = conn.buf.subarray(parsed.next);
          const w = conn.waiting.shift();
          if (w === undefined) throw new StoreError('a reply nobody asked for');
          w.resolve(parsed.value);
        }
      } catch (e) {
        failAll(e.message);
      }
    });
    this.sock = conn;
    if (this.db !== 0) {
      this.send(conn, ['SELECT', this.db]).then(
        (reply) => reply === 'OK' || failAll(`SELECT ${this.db} refused`),
        () => {},
      );
    }
    return { conn, reused: false };
  }

  // The reply to args on conn, within STORE_TIMEOUT_MS (a timeout breaks the connection).
  send(conn, args) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => conn.destroy(new Error('no answer in time')), STORE_TIMEOUT_MS);
      conn.waiting.push({
        resolve: (v) => { clearTimeout(timer); resolve(v); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      });
      conn.write(encode(args));
    });
  }

  // The reply to one command; an error reply is thrown as ErrorReply. A reused connection
  // that fails is dropped and the command sent once more on a new one: at worst a lost +OK
  // makes the retry answer nil, a replay for a genuine envelope, never an acceptance twice.
  async command(args) {
    for (let attempt = 0; ; attempt++) {
      const { conn, reused } = this.connection();
      try {
        const reply = await this.send(conn, args);
        if (reply instanceof ErrorReply) throw reply;
        return reply;
      } catch (e) {
        if (e instanceof ErrorReply || !reused || attempt === 1) throw e;
      }
    }
  }
}

// The check-and-record of REQ-STORE-1 on a Redis store.
class Store {
  constructor(url) {
    this.redis = new Redis(url);
  }

  // RECORDED, EXISTS or UNAVAILABLE (REQ-STORE-1, REQ-STORE-5).
  async checkAndRecord(key, expiresAt) {
    let reply;
    try {
      reply = await this.redis.command(['SET', key, '1', 'NX', 'EXAT', expiresAt]);
    } catch (e) {
      if (e instanceof StoreError) return UNAVAILABLE;
      throw e;
    }
    if (reply === 'OK') return RECORDED;
    if (reply === null) return EXISTS;
    return UNAVAILABLE;
  }
}

module.exports = { Store, Redis, storeKey, storeExpiry, parseReply, encode, RECORDED, EXISTS, UNAVAILABLE };
