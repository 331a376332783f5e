#!/usr/bin/env node
'use strict';
// The sipc-adapter/1 protocol (spec/ADAPTER.md) over stdin/stdout for sipc1.js.
// Run `sipc run --adapter 'node conformance/adapters/node/sipc_adapter.js'`.

const readline = require('readline');

const OPS = ['hello', 'verify', 'reset', 'sign', 'canonicalize', 'check_config'];

// Parsed values as output values: integer Nums as numbers (ts fits in 2^53 - 1).
function plain(v) {
  if (v === undefined) return null;
  return v;
}

// The accept verdict for a message verify returned (also the TCP answer, REQ-TCP-3).
function accepted(message) {
  const out = new Map([['verdict', 'accept']]);
  for (const [name, value] of message) {
    if (name === 'payload') out.set('payload_b64', value.toString('base64'));
    else out.set(name, value);
  }
  return out;
}

class Adapter {
  constructor(impl) {
    this.impl = impl;
    this.states = new Map();
  }

  config(request) {
    return new this.impl.Config(plain(request.get('config')));
  }

  verify(request) {
    const state = request.get('state');
    let verifier = state === undefined ? undefined : this.states.get(state);
    if (verifier === undefined) {
      verifier = new this.impl.Verifier(this.config(request));
      if (state !== undefined) this.states.set(state, verifier);
    }
    const now = Number(request.get('now').integer());
    return accepted(verifier.verify(Buffer.from(request.get('envelope_b64'), 'base64'), now));
  }

  sign(request) {
    const config = this.config(request);
    const f = request.get('fields');
    const fields = new Map([...f].filter(([k]) => k !== 'payload_b64'));
    fields.set('payload', Buffer.from(f.get('payload_b64'), 'base64'));
    fields.set('ts', Number(f.get('ts').integer()));
    return new Map([['envelope_b64', this.impl.sign(config, fields).toString('base64')]]);
  }

  handle(request) {
    const op = request.get('op');
    try {
      switch (op) {
        case 'hello':
          return new Map([['implementation', `sipc1.js (Node ${process.versions.node})`], ['version', '0.1.0'], ['ops', OPS]]);
        case 'reset':
          this.states.clear();
          return new Map([['ok', true]]);
        case 'verify':
          return this.verify(request);
        case 'sign':
          return this.sign(request);
        case 'canonicalize':
          return new Map([['canonical_b64', this.impl.canonicalize(Buffer.from(request.get('json_b64'), 'base64')).toString('base64')]]);
        case 'check_config':
          this.config(request);
          return new Map([['verdict', 'accept']]);
        default:
          return new Map([['error', 'unsupported_op']]);
      }
    } catch (e) {
      if (!(e instanceof this.impl.Reject)) throw e;
      if (e.code === 'config_invalid') return new Map([['verdict', 'reject'], ['error', e.code], ['field', e.field]]);
      if (op === 'canonicalize') return new Map([['error', e.code]]);
      return new Map([['verdict', 'reject'], ['error', e.code]]);
    }
  }
}

function main(impl = require('./sipc1')) {
  const adapter = new Adapter(impl);
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  rl.on('line', (line) => {
    let id = null;
    let body;
    try {
      const request = impl.parse(Buffer.from(line, 'utf8'));
      id = request instanceof Map && request.has('id') ? request.get('id') : null;
      body = adapter.handle(request);
    } catch (e) {
      body = new Map([['error', 'bad_request'], ['detail', String(e && e.message)]]);
    }
    const response = new Map([['id', id], ...body]);
    process.stdout.write(impl.serialize(response).toString('utf8') + '\n');
  });
}

module.exports = { Adapter, accepted, main };

if (require.main === module) main();
