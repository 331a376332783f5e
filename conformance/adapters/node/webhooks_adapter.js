#!/usr/bin/env node
'use strict';
// The sipc-adapter/1 protocol (spec/ADAPTER.md, "Profiles") for webhooks.js: the
// standard-webhooks and stripe profiles, verify (with the application layer) and sign.
// Run `sipc run --profile stripe --adapter 'node conformance/adapters/node/webhooks_adapter.js'`.

const readline = require('readline');
const webhooks = require('./webhooks');

class Adapter {
  constructor() {
    this.applications = new Map();
  }

  verify(request) {
    const { profile, config, message, now } = request;
    if (!Number.isSafeInteger(now)) throw new TypeError('now');
    const headers = message.headers.map(([n, v]) => [String(n), String(v)]);
    const body = Buffer.from(message.body_b64, 'base64');
    if (request.application) {
      let app = this.applications.get(request.state);
      if (app === undefined) {
        app = new webhooks.Application(profile, config);
        this.applications.set(request.state, app);
      }
      app.receive(headers, body, now);
    } else {
      webhooks.makeVerifier(profile, config).verify(headers, body, now);
    }
    return { verdict: 'accept' };
  }

  sign(request) {
    const verifier = webhooks.makeVerifier(request.profile, request.config);
    const m = request.message;
    return { headers: verifier.sign(m.id === undefined ? '' : m.id, m.timestamp, Buffer.from(m.body_b64, 'base64')) };
  }

  handle(request) {
    const op = request.op;
    if (op === 'hello') {
      return {
        implementation: `webhooks.js (Node ${process.versions.node.split('.')[0]})`,
        version: '0.1.0',
        ops: ['hello', 'verify', 'application', 'sign', 'reset'],
        profiles: [...webhooks.PROFILES.keys()].sort(),
      };
    }
    if (op === 'reset') {
      this.applications.clear();
      return { ok: true };
    }
    if (!webhooks.PROFILES.has(request.profile)) return { error: 'unsupported_op' };
    try {
      if (op === 'verify') return this.verify(request);
      if (op === 'sign') return this.sign(request);
      return { error: 'unsupported_op' };
    } catch (e) {
      if (!(e instanceof webhooks.Reject)) throw e;
      const out = { verdict: 'reject', error: e.code };
      if (e.field !== undefined) out.field = e.field;
      return out;
    }
  }
}

function main() {
  const adapter = new Adapter();
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  rl.on('line', (line) => {
    let id = null;
    let body;
    try {
      const request = JSON.parse(line);
      id = request.id === undefined ? null : request.id;
      body = adapter.handle(request);
    } catch (e) {
      body = { error: 'bad_request', detail: String(e && e.message) };
    }
    process.stdout.write(JSON.stringify({ id, ...body }) + '\n');
  });
}

if (require.main === module) main();
