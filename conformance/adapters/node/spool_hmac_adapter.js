#!/usr/bin/env node
'use strict';
// The sipc-adapter/1 protocol (spec/ADAPTER.md, "Profiles") for spool_hmac.js: the profile
// hmac-json-insertion-order, `verify` of a file's bytes (the message's body; no headers, no
// clock). What the scheme throws is reported as `crash`, with the exception.
// Run `sipc run --profile hmac-json-insertion-order --adapter 'node conformance/adapters/node/spool_hmac_adapter.js'`.

const readline = require('readline');
const { Config, Reject } = require('./webhooks');
const spool = require('./spool_hmac');

const PROFILE = 'hmac-json-insertion-order';
const stats = { invalid: 0 };
const IMPLEMENTATION = { name: `spool_hmac.js (Node ${process.versions.node.split('.')[0]})` };

function verify(request) {
  let secret;
  try {
    secret = new Config(request.config).secret;
  } catch (e) {
    if (!(e instanceof Reject)) throw e;
    return { verdict: 'reject', error: e.code, field: e.field };
  }
  const bytes = Buffer.from(request.message.body_b64, 'base64');
  let outcome;
  try {
    outcome = spool.verifyFile(bytes, secret, stats);
  } catch (e) {
    return { verdict: 'crash', exception: `${e.name}: ${e.message}` };
  }
  return outcome.invalid ? { verdict: 'reject', error: outcome.invalid } : { verdict: 'accept' };
}

function handle(request) {
  if (request.op === 'hello') {
    return {
      implementation: IMPLEMENTATION.name,
      version: '0.1.0',
      ops: ['hello', 'verify', 'reset'],
      profiles: [PROFILE],
    };
  }
  if (request.op === 'reset') return { ok: true };
  if (request.op !== 'verify' || request.profile !== PROFILE || request.application) return { error: 'unsupported_op' };
  return verify(request);
}

function main(implementation) {
  if (implementation !== undefined) IMPLEMENTATION.name = implementation;
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  rl.on('line', (line) => {
    let id = null;
    let body;
    try {
      const request = JSON.parse(line);
      id = request.id === undefined ? null : request.id;
      body = handle(request);
    } catch (e) {
      body = { error: 'bad_request', detail: String(e && e.message) };
    }
    process.stdout.write(JSON.stringify({ id, ...body }) + '\n');
  });
}

module.exports = { main };
if (require.main === module) main();
