#!/usr/bin/env node
'use strict';
// The SIPC/1 TCP profile (spec/SIPC-1.md section 12) for sipc1.js: a loopback server; with a
// spool config, the spool profile (section 14, sipc_spool.js); with replay_store, the shared
// replay store of section 16 (sipc_store.js).
// Run `sipc run --tcp-server 'node conformance/adapters/node/sipc_server.js --config {config}'`.
//
// It refuses an invalid config before opening a socket (exit 2, REQ-TCP-6), listens on the
// config's bind_host only (REQ-TCP-7), prints `LISTENING <host>:<port>`, and serves every
// connection with one verifier fed by the real clock (REQ-TCP-5).

const fs = require('fs');
const net = require('net');
const tls = require('tls');
const impl = require('./sipc1');
const spool = require('./sipc_spool');
const store = require('./sipc_store');
const { accepted } = require('./sipc_adapter');

const MAX_CONFIG = 1 << 20;
const MAX_CONNECTIONS = 64;
const IDLE_MS = 30000;

function loadConfig(path) {
  const raw = fs.readFileSync(path);
  if (raw.length > MAX_CONFIG) throw new impl.Reject('config_invalid', '');
  return new impl.Config(impl.parse(raw));
}

// One answer frame holding the verdict (REQ-TCP-3).
function frame(verdict) {
  const body = impl.serialize(verdict);
  const header = Buffer.alloc(4);
  header.writeUInt32BE(body.length, 0);
  return Buffer.concat([header, body]);
}

// The shared replay store the config names (section 16), or null.
const storeOf = (config) => (config.replayStore === null ? null : new store.Store(config.replayStore.get('url')));

const rejected = (code) => new Map([['verdict', 'reject'], ['error', code]]);

// The verdict on one envelope: the verifier's own replay cache, or, with a store, steps 1-9
// by the verifier and step 10 by the store's one SET NX EXAT (REQ-STORE-1 to REQ-STORE-5).
// A promise with a store, a value without.
function verdictOf(verifier, envelope, shared = null) {
  let message;
  try {
    if (shared === null) return accepted(verifier.verify(envelope, Math.floor(Date.now() / 1000)));
    message = verifier.authenticate(envelope, Math.floor(Date.now() / 1000));
  } catch (e) {
    if (!(e instanceof impl.Reject)) throw e;
    return shared === null ? rejected(e.code) : Promise.resolve(rejected(e.code));
  }
  const c = verifier.config;
  const key = store.storeKey(c.secret, message.get('nonce'));
  return shared.checkAndRecord(key, store.storeExpiry(message.get('ts'), c.ttl)).then((answer) => {
    if (answer === store.RECORDED) return accepted(message);
    return rejected(answer === store.EXISTS ? 'replay' : 'replay_store_unavailable');
  });
}

// Reassembles frames from the chunks of one connection (REQ-TCP-1): the header, then exactly
// the announced body, which is never longer than the limit (REQ-TCP-2).
function serveConnection(socket, verifier, limit, shared = null) {
  // With a store, verdicts come later: each answer waits for the one before (REQ-TCP-3).
  let answered = Promise.resolve();
  let chunks = [];
  let have = 0;
  let want = null; // body length once the header is in
  socket.setTimeout(IDLE_MS, () => socket.destroy());
  socket.on('error', () => socket.destroy());
  socket.on('data', (data) => {
    chunks.push(data);
    have += data.length;
    for (;;) {
      if (want === null) {
        if (have < 4) return;
        const all = Buffer.concat(chunks);
        const n = all.readUInt32BE(0);
        chunks = [all.subarray(4)];
        have -= 4;
        if (n > limit) {
          socket.end(frame(new Map([['verdict', 'reject'], ['error', 'oversize']])));
          socket.removeAllListeners('data');
          socket.pause();
          return;
        }
        want = n;
      }
      if (have < want) return;
      const all = Buffer.concat(chunks);
      const body = all.subarray(0, want);
      chunks = [all.subarray(want)];
      have -= want;
      want = null;
      if (shared === null) {
        socket.write(frame(verdictOf(verifier, body)));
      } else {
        const verdict = verdictOf(verifier, body, shared);
        answered = answered.then(() => verdict).then((v) => socket.destroyed || socket.write(frame(v)));
      }
    }
  });
  // A close in the middle of a frame: nothing to answer, nothing recorded (REQ-TCP-4).
  socket.on('end', () => socket.end());
}

// {'--config': FILE} and maybe '--dir'; null for anything else.
function parseArgs(argv) {
  if (argv.length !== 2 && argv.length !== 4) return null;
  const found = new Map();
  for (let i = 0; i < argv.length; i += 2) {
    if (!['--config', '--dir'].includes(argv[i]) || found.has(argv[i])) return null;
    found.set(argv[i], argv[i + 1]);
  }
  return found.has('--config') ? found : null;
}

function fail(why) {
  process.stderr.write(`sipc_server: ${why}\n`);
  process.exit(2);
}

// The spool profile (section 14): the folder checked, then polled for ever.
function serveSpool(config) {
  try {
    spool.checkDir(config.spoolDir);
  } catch (e) {
    fail(e.message);
  }
  process.stdout.write(`LISTENING spool:${config.spoolDir}\n`);
  const verifier = new impl.Verifier(config);
  const shared = storeOf(config);
  spool.serve(config.spoolDir, (envelope) => verdictOf(verifier, envelope, shared), config.maxEnvelope);
}

function main(argv = process.argv.slice(2)) {
  const args = parseArgs(argv);
  if (args === null) {
    process.stderr.write('usage: sipc_server.js --config FILE [--dir SPOOL_DIR]\n');
    process.exit(2);
  }
  let config;
  try {
    config = loadConfig(args.get('--config'));
  } catch (e) {
    fail(e instanceof impl.Reject ? `config_invalid: ${JSON.stringify(e.field)}` : e.message);
  }
  if (args.has('--dir') && (config.transport !== 'spool' || args.get('--dir') !== config.spoolDir)) {
    fail("--dir must name the config's spool_dir");
  }
  if (config.transport === 'spool') {
    serveSpool(config);
    return;
  }
  if (config.transport === 'unix_local') {
    // REQ-UNIX-2 needs the peer's uid from the kernel; Node's net module has no SO_PEERCRED.
    process.stderr.write("sipc_server: unix_local is not served: Node's standard library cannot learn a peer's uid (REQ-UNIX-2)\n");
    process.exit(2);
  }
  const verifier = new impl.Verifier(config);
  const shared = storeOf(config);
  const serve = (socket) => serveConnection(socket, verifier, config.maxEnvelope, shared);
  let server;
  if (config.tls !== null) {
    // Mutual TLS (section 15): TLS 1.2 or 1.3, a client certificate required and verified
    // against client_ca (REQ-TLS-1, REQ-TLS-2); a file missing, not PEM, or a key that does not
    // match its certificate refuses the start (REQ-TLS-5).
    try {
      server = tls.createServer({
        cert: fs.readFileSync(config.tls.get('cert')),
        key: fs.readFileSync(config.tls.get('key')),
        ca: fs.readFileSync(config.tls.get('client_ca')),
        requestCert: true,
        rejectUnauthorized: true,
        minVersion: 'TLSv1.2',
        handshakeTimeout: 10000,
      }, serve);
    } catch (e) {
      fail(`tls: ${e.message}`);
    }
    // A failed handshake closes the connection before any frame is read (REQ-TLS-3).
    server.on('tlsClientError', (e, socket) => socket.destroy());
  } else {
    server = net.createServer(serve);
  }
  server.maxConnections = MAX_CONNECTIONS;
  server.on('error', (e) => {
    process.stderr.write(`sipc_server: cannot listen on ${config.bindHost}:${config.bindPort}: ${e.message}\n`);
    process.exit(2);
  });
  // ipv6Only: '::1' is loopback either way; never a dual-stack wildcard.
  server.listen({ host: config.bindHost, port: config.bindPort, ipv6Only: true }, () => {
    const { address, port } = server.address();
    const shown = address.includes(':') ? `[${address}]` : address;
    process.stdout.write(`LISTENING ${shown}:${port}\n`);
  });
}

module.exports = { serveConnection, frame, main };

if (require.main === module) main();
