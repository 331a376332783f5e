'use strict';
// SIPC/1 (spec/SIPC-1.md) in Node.js, no dependencies.
//
// An independent implementation written from the spec: a strict JSON parser (section 2), the
// RFC 8785 canonical form (section 3), the envelope table (section 4), the verifier with its
// TTL and replay cache (sections 8 and 9), the config rules (section 10), the signer (11).
// Objects are parsed into Maps, so that no member name (`__proto__`) is special.

const crypto = require('crypto');

const MAX_DEPTH = 64;
const MAX_TS = 2n ** 53n - 1n;
const SIG_PREFIX = Buffer.from('SIPC-1\n');

class Reject extends Error {
  constructor(code, field) {
    super(field === undefined ? code : `${code}: ${field}`);
    this.code = code;
    this.field = field;
  }
}

// A JSON number: the literal as written and the nearest binary64 value.
class Num {
  constructor(literal, value) {
    this.literal = literal;
    this.value = value;
  }
  // The value of an integer literal (0 or -?[1-9][0-9]*) as a BigInt, else null.
  integer() {
    return /^(0|-?[1-9][0-9]*)$/.test(this.literal) ? BigInt(this.literal) : null;
  }
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const PLAIN = /[^"\\\u0000-\u001f]*/y;
const ESCAPES = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function malformed() {
  throw new Reject('malformed');
}

function parse(bytes) {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) malformed();
  let s;
  try {
    s = decoder.decode(bytes);
  } catch (e) {
    malformed();
  }
  let i = 0;
  const ws = () => {
    while (i < s.length && (s[i] === ' ' || s[i] === '\t' || s[i] === '\n' || s[i] === '\r')) i++;
  };
  const hex4 = () => {
    const h = s.slice(i, i + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(h)) malformed();
    i += 4;
    return parseInt(h, 16);
  };
  const string = () => {
    i++;
    let out = '';
    for (;;) {
      PLAIN.lastIndex = i;
      const m = PLAIN.exec(s);
      out += m[0];
      i = PLAIN.lastIndex;
      if (i >= s.length) malformed();
      const c = s[i];
      if (c === '"') {
        i++;
        return out;
      }
      if (c !== '\\') malformed(); // a raw control character
      const e = s[i + 1];
      i += 2;
      if (e !== undefined && Object.prototype.hasOwnProperty.call(ESCAPES, e)) {
        out += ESCAPES[e];
      } else if (e === 'u') {
        const u = hex4();
        if (u >= 0xdc00 && u <= 0xdfff) malformed();
        if (u >= 0xd800 && u <= 0xdbff) {
          if (s.slice(i, i + 2) !== '\\u') malformed();
          i += 2;
          const low = hex4();
          if (low < 0xdc00 || low > 0xdfff) malformed();
          out += String.fromCharCode(u, low);
        } else {
          out += String.fromCharCode(u);
        }
      } else {
        malformed();
      }
    }
  };
  const value = (depth) => {
    ws();
    if (i >= s.length) malformed();
    const c = s[i];
    if (c === '{') {
      if (depth + 1 > MAX_DEPTH) malformed();
      i++;
      const out = new Map();
      ws();
      if (s[i] === '}') {
        i++;
        return out;
      }
      for (;;) {
        ws();
        if (s[i] !== '"') malformed();
        const name = string();
        if (out.has(name)) malformed();
        ws();
        if (s[i] !== ':') malformed();
        i++;
        out.set(name, value(depth + 1));
        ws();
        if (s[i] === ',') i++;
        else if (s[i] === '}') {
          i++;
          return out;
        } else malformed();
      }
    }
    if (c === '[') {
      if (depth + 1 > MAX_DEPTH) malformed();
      i++;
      const out = [];
      ws();
      if (s[i] === ']') {
        i++;
        return out;
      }
      for (;;) {
        out.push(value(depth + 1));
        ws();
        if (s[i] === ',') i++;
        else if (s[i] === ']') {
          i++;
          return out;
        } else malformed();
      }
    }
    if (c === '"') return string();
    for (const [word, val] of [['true', true], ['false', false], ['null', null]]) {
      if (s.startsWith(word, i)) {
        i += word.length;
        return val;
      }
    }
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(s);
    if (!m) malformed();
    i = NUMBER.lastIndex;
    const v = Number(m[0]);
    if (!Number.isFinite(v)) malformed();
    return new Num(m[0], v);
  };
  const v = value(0);
  ws();
  if (i !== s.length) malformed();
  return v;
}

const SHORT = { '"': '\\"', '\\': '\\\\', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function writeString(s, out) {
  out.push('"');
  for (const c of s) {
    if (Object.prototype.hasOwnProperty.call(SHORT, c)) out.push(SHORT[c]);
    else if (c < ' ') out.push('\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
    else out.push(c);
  }
  out.push('"');
}

function write(v, out) {
  if (v === null) out.push('null');
  else if (v === true) out.push('true');
  else if (v === false) out.push('false');
  else if (v instanceof Num) out.push(String(v.value)); // Number.prototype.toString (REQ-CANON-4)
  else if (typeof v === 'number') out.push(String(v));
  else if (typeof v === 'string') writeString(v, out);
  else if (Array.isArray(v)) {
    out.push('[');
    v.forEach((item, k) => {
      if (k) out.push(',');
      write(item, out);
    });
    out.push(']');
  } else {
    // JavaScript compares strings by UTF-16 code units, as RFC 8785 sorts (REQ-CANON-1).
    const names = [...v.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    out.push('{');
    names.forEach((name, k) => {
      if (k) out.push(',');
      writeString(name, out);
      out.push(':');
      write(v.get(name), out);
    });
    out.push('}');
  }
}

function serialize(v) {
  const out = [];
  write(v, out);
  return Buffer.from(out.join(''), 'utf8');
}

function canonicalize(bytes) {
  return serialize(parse(bytes));
}

// Section 4.
const KIND = /^[a-z][a-z0-9._-]{0,63}$/;
const NONCE = /^[A-Za-z0-9_-]{22,128}$/;
const SIG = /^[0-9a-f]{64}$/;
const nbytes = (s) => Buffer.byteLength(s, 'utf8');
const isString = (v) => typeof v === 'string';

function checkTarget(v) {
  const address = (a) => {
    if (!isString(a) || nbytes(a) < 1 || nbytes(a) > 256) malformed();
  };
  if (v === null) return;
  if (isString(v)) address(v);
  else if (Array.isArray(v) && v.length >= 1 && v.length <= 32) v.forEach(address);
  else malformed();
}

function checkOptional(v, limit) {
  if (v !== null && !(isString(v) && nbytes(v) <= limit)) malformed();
}

function checkHeaders(v) {
  if (!(v instanceof Map) || v.size > 32) malformed();
  for (const [name, value] of v) {
    if (nbytes(name) < 1 || nbytes(name) > 128 || !isString(value) || nbytes(value) > 1024) malformed();
  }
}

// Steps 3 to 5 of REQ-VERIFY-1; returns { ts, sig }.
function checkMembers(env) {
  if (!(env instanceof Map)) malformed();
  const v = env.get('v');
  const version = v instanceof Num ? v.integer() : null;
  if (version === null) malformed();
  if (version !== 1n) throw new Reject('unsupported_version');
  let ts = null;
  for (const [name, value] of env) {
    switch (name) {
      case 'v':
      case 'sig':
        break;
      case 'kind':
        if (!isString(value) || !KIND.test(value)) malformed();
        break;
      case 'payload':
        if (!isString(value)) malformed();
        break;
      case 'ts':
        ts = value instanceof Num ? value.integer() : null;
        if (ts === null || ts < 0n || ts > MAX_TS) malformed();
        break;
      case 'nonce':
        if (!isString(value) || !NONCE.test(value)) malformed();
        break;
      case 'target':
        checkTarget(value);
        break;
      case 'trace_id':
        checkOptional(value, 128);
        break;
      case 'reply_to':
        checkOptional(value, 256);
        break;
      case 'headers':
        checkHeaders(value);
        break;
      default:
        malformed();
    }
  }
  for (const m of ['kind', 'payload', 'ts', 'nonce']) if (!env.has(m)) malformed();
  if (!env.has('sig')) throw new Reject('sig_missing');
  const sig = env.get('sig');
  if (!isString(sig) || !SIG.test(sig)) throw new Reject('sig_malformed');
  return { ts: Number(ts), sig: Buffer.from(sig, 'hex') };
}

const maxEncoded = (max) => 4 * Math.ceil(max / 3);

// Step 7: size before decoding, strict base64url, size after decoding.
function decodePayload(text, max) {
  // UTF-8 bytes, not UTF-16 units (REQ-ENV-13).
  if (Buffer.byteLength(text, 'utf8') > maxEncoded(max)) throw new Reject('oversize');
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) malformed();
  const data = Buffer.from(text, 'base64url');
  if (data.toString('base64url') !== text) malformed(); // non-zero trailing bits
  if (data.length > max) throw new Reject('oversize');
  return data;
}

function signatureBase(env) {
  const rest = new Map([...env].filter(([k]) => k !== 'sig'));
  return Buffer.concat([SIG_PREFIX, serialize(rest)]);
}

const mac = (secret, base) => crypto.createHmac('sha256', secret).update(base).digest();

// Section 10.
const TRANSPORTS = new Map([
  ['tcp_local', ['bind_host', 'bind_port', 'tls']],
  ['unix_local', ['socket_path', 'socket_mode', 'allowed_peer_uids', 'tls']],
  ['spool', ['spool_dir']],
]);
const TRANSPORT_MEMBERS = ['bind_host', 'bind_port', 'socket_path', 'socket_mode', 'allowed_peer_uids', 'spool_dir', 'tls'];
const TOP = ['transport', 'replay_store', 'auth', 'max_payload_bytes', 'max_envelope_bytes', 'allowed_kinds', ...TRANSPORT_MEMBERS];
const AUTH = ['mode', 'secret_hex', 'ttl_seconds', 'nonce_cache_size'];
const TLS = ['cert', 'key', 'client_ca'];
const STORE = ['kind', 'url'];
// REQ-CONFIG-20: loopback, a port 1-65535 and a database 0-15 in plain decimal, nothing else.
const STORE_URL = /^redis:\/\/(127\.0\.0\.1|\[::1\]):([1-9][0-9]{0,4})(?:\/(0|[1-9]|1[0-5]))?$/;
const MAX_PATH_BYTES = 4095; // REQ-CONFIG-14
const MAX_SOCKET_PATH_BYTES = 107; // REQ-CONFIG-15: sun_path less its NUL
const ABSTRACT_NAME = new RegExp(`^@[\\x21-\\x7e]{1,${MAX_SOCKET_PATH_BYTES}}$`);
const SOCKET_MODE = /^0[67][0-7]0$/; // REQ-CONFIG-16
const MAX_PEER_UIDS = 1024; // REQ-CONFIG-17
const MAX_UID = 2 ** 32 - 2;

// REQ-CONFIG-14: absolute, no empty, . or .. component, no control character, 4095 bytes.
function isPath(v) {
  return (
    isString(v) &&
    v.startsWith('/') &&
    Buffer.byteLength(v, 'utf8') <= MAX_PATH_BYTES &&
    !/[\u0000-\u001f\u007f]/.test(v) &&
    v.slice(1).split('/').every((part) => part !== '' && part !== '.' && part !== '..')
  );
}

// REQ-CONFIG-15: a path of at most 107 bytes, or @ and 1-107 characters U+0021-U+007E.
function isSocketPath(v) {
  if (isString(v) && v.startsWith('@')) return ABSTRACT_NAME.test(v);
  return isPath(v) && Buffer.byteLength(v, 'utf8') <= MAX_SOCKET_PATH_BYTES;
}

class Config {
  constructor(value) {
    const bad = (field) => {
      throw new Reject('config_invalid', field);
    };
    const integer = (obj, name, field, low, high) => {
      const v = obj.get(name);
      const n = v instanceof Num ? v.integer() : null;
      if (n === null || n < BigInt(low) || n > BigInt(high) || n > MAX_TS) bad(field);
      return Number(n);
    };
    if (!(value instanceof Map)) bad('');
    for (const name of value.keys()) if (!TOP.includes(name)) bad(name);
    const transport = value.get('transport');
    if (!isString(transport) || !TRANSPORTS.has(transport)) bad('transport');
    this.transport = transport;
    const own = TRANSPORTS.get(transport);
    // REQ-CONFIG-13: another transport's member.
    for (const name of value.keys()) if (TRANSPORT_MEMBERS.includes(name) && !own.includes(name)) bad(name);
    if (transport === 'tcp_local') {
      const host = value.get('bind_host');
      if (host !== '127.0.0.1' && host !== '::1') bad('bind_host');
      this.bindHost = host;
      this.bindPort = integer(value, 'bind_port', 'bind_port', 0, 65535);
    } else if (transport === 'unix_local') {
      this.socketPath = value.get('socket_path');
      if (!isSocketPath(this.socketPath)) bad('socket_path');
      const abstract = this.socketPath.startsWith('@');
      const mode = value.get('socket_mode');
      if (value.has('socket_mode') && (abstract || !isString(mode) || !SOCKET_MODE.test(mode))) bad('socket_mode');
      const uids = value.get('allowed_peer_uids');
      if (!Array.isArray(uids) || uids.length < 1 || uids.length > MAX_PEER_UIDS) bad('allowed_peer_uids');
      const numbers = uids.map((u) => (u instanceof Num ? u.integer() : null));
      if (numbers.some((n) => n === null || n < 0n || n > BigInt(MAX_UID)) || new Set(numbers).size !== numbers.length) {
        bad('allowed_peer_uids');
      }
      this.allowedPeerUids = numbers.map(Number);
    } else {
      this.spoolDir = value.get('spool_dir');
      if (!isPath(this.spoolDir)) bad('spool_dir');
    }
    this.tls = value.get('tls') ?? null;
    if (value.has('tls')) {
      // REQ-CONFIG-19
      if (!(this.tls instanceof Map)) bad('tls');
      for (const name of this.tls.keys()) if (!TLS.includes(name)) bad('tls.' + name);
      for (const name of TLS) if (!isPath(this.tls.get(name))) bad('tls.' + name);
    }
    this.replayStore = value.get('replay_store') ?? null;
    if (value.has('replay_store')) {
      // REQ-CONFIG-20
      const store = this.replayStore;
      if (!(store instanceof Map)) bad('replay_store');
      for (const name of store.keys()) if (!STORE.includes(name)) bad('replay_store.' + name);
      if (store.get('kind') !== 'redis') bad('replay_store.kind');
      const url = store.get('url');
      const match = typeof url === 'string' ? STORE_URL.exec(url) : null;
      if (match === null || Number(match[2]) > 65535) bad('replay_store.url');
    }
    const auth = value.get('auth');
    if (!(auth instanceof Map)) bad('auth');
    for (const name of auth.keys()) if (!AUTH.includes(name)) bad('auth.' + name);
    if (auth.get('mode') !== 'hmac') bad('auth.mode');
    const secret = auth.get('secret_hex');
    if (!isString(secret) || !/^(?:[0-9a-fA-F]{2})*$/.test(secret) || secret.length < 64) bad('auth.secret_hex');
    this.secret = Buffer.from(secret, 'hex');
    this.ttl = integer(auth, 'ttl_seconds', 'auth.ttl_seconds', 1, 86400);
    this.cacheSize = integer(auth, 'nonce_cache_size', 'auth.nonce_cache_size', 1, 10000000);
    this.maxPayload = integer(value, 'max_payload_bytes', 'max_payload_bytes', 1, 16777216);
    this.maxEnvelope = value.has('max_envelope_bytes')
      ? integer(value, 'max_envelope_bytes', 'max_envelope_bytes', 1, MAX_TS)
      : maxEncoded(this.maxPayload) + 16384;
    const kinds = value.get('allowed_kinds');
    if (!Array.isArray(kinds) || kinds.length === 0 || kinds.some((k) => !isString(k) || !KIND.test(k)) || new Set(kinds).size !== kinds.length) {
      bad('allowed_kinds');
    }
    this.allowedKinds = kinds;
  }
}

// A binary min-heap of [expiry, nonce].
class Heap {
  constructor() {
    this.items = [];
  }
  push(item) {
    const a = this.items;
    a.push(item);
    let k = a.length - 1;
    while (k > 0) {
      const p = (k - 1) >> 1;
      if (a[p][0] <= a[k][0]) break;
      [a[p], a[k]] = [a[k], a[p]];
      k = p;
    }
  }
  peek() {
    return this.items[0];
  }
  pop() {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length) {
      a[0] = last;
      let k = 0;
      for (;;) {
        const l = 2 * k + 1;
        const r = l + 1;
        let m = k;
        if (l < a.length && a[l][0] < a[m][0]) m = l;
        if (r < a.length && a[r][0] < a[m][0]) m = r;
        if (m === k) break;
        [a[m], a[k]] = [a[k], a[m]];
        k = m;
      }
    }
    return top;
  }
}

class Verifier {
  constructor(config) {
    this.config = config;
    this.clock = 0;
    this.nonces = new Map(); // nonce -> ts + ttl
    this.expiries = new Heap();
  }

  forget() {
    while (this.expiries.peek() && this.expiries.peek()[0] < this.clock) {
      const [expiry, nonce] = this.expiries.pop();
      if (this.nonces.get(nonce) === expiry) this.nonces.delete(nonce);
    }
  }

  // The message (a Map of the envelope's members, payload decoded) or a thrown Reject.
  verify(raw, now) {
    const c = this.config;
    const message = this.authenticate(raw, now);
    const nonce = message.get('nonce');
    if (this.nonces.has(nonce)) throw new Reject('replay');
    if (this.nonces.size >= c.cacheSize) throw new Reject('replay_cache_full');
    this.nonces.set(nonce, message.get('ts') + c.ttl);
    this.expiries.push([message.get('ts') + c.ttl, nonce]);
    return message;
  }

  // Steps 1-9 of REQ-VERIFY-1: the message or a thrown Reject; the replay step is the
  // caller's (verify's own cache, or a shared store: SIPC/1 section 16).
  authenticate(raw, now) {
    const c = this.config;
    this.clock = Math.max(this.clock, now); // REQ-TTL-3
    this.forget();
    now = this.clock;
    if (raw.length > c.maxEnvelope) throw new Reject('oversize');
    const env = parse(raw);
    const { ts, sig } = checkMembers(env);
    if (!c.allowedKinds.includes(env.get('kind'))) throw new Reject('kind_not_allowed');
    const payload = decodePayload(env.get('payload'), c.maxPayload);
    if (now - ts > c.ttl) throw new Reject('expired');
    if (ts - now > c.ttl) throw new Reject('from_future');
    if (!crypto.timingSafeEqual(mac(c.secret, signatureBase(env)), sig)) throw new Reject('bad_signature');
    const message = new Map([...env].filter(([k]) => k !== 'v' && k !== 'sig'));
    message.set('payload', payload);
    message.set('ts', ts);
    return message;
  }
}

// The canonical signed envelope for fields (a Map with payload as a Buffer).
function sign(config, fields) {
  const env = new Map([
    ['v', 1],
    ['kind', fields.get('kind')],
    ['payload', fields.get('payload').toString('base64url')],
    ['ts', fields.get('ts')],
    ['nonce', fields.get('nonce')],
  ]);
  for (const name of ['target', 'trace_id', 'reply_to', 'headers']) if (fields.has(name)) env.set(name, fields.get(name));
  env.set('sig', mac(config.secret, signatureBase(env)).toString('hex'));
  return serialize(env);
}

module.exports = { Reject, Num, parse, serialize, canonicalize, checkMembers, decodePayload, signatureBase, mac, Config, Verifier, sign };
