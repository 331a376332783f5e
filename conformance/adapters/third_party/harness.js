'use strict';
// The sipc-adapter/1 loop shared by the adapters around third-party npm libraries
// (spec/ADAPTER.md, "Profiles"). Each adapter gives a library object; the harness turns its
// answers into verdicts:
//   the library returns            -> {"verdict":"accept"}
//   it throws a documented failure -> {"verdict":"reject","error":"unspecified"}
//   it throws anything else        -> {"verdict":"crash","exception":"Type: message"}
// A library has no config document: the harness checks the config's shape itself (members,
// tolerance_seconds) and answers config_invalid; a library that refuses the secret when its
// verifier is built (any exception: that happens once, at start-up) is config_invalid on secret.
// Headers reach the library as Node's http module hands them to a handler: one entry per
// lower-case field name, repeated fields joined with ", " (RFC 9110 §5.3).

const fs = require('fs');
const path = require('path');
const readline = require('readline');

function fold(headers) {
  const out = {};
  for (const [name, value] of headers) {
    const key = name.toLowerCase();
    out[key] = Object.prototype.hasOwnProperty.call(out, key) ? `${out[key]}, ${value}` : value;
  }
  return out;
}

// The version of an installed package, from its package.json.
function versionOf(pkg) {
  const file = path.join(__dirname, 'node_modules', pkg, 'package.json');
  return JSON.parse(fs.readFileSync(file, 'utf8')).version;
}

const MAX_TOLERANCE = 7 * 24 * 3600;

// The config's shape, then the library's verifier: [verifier, null] or [null, field].
function checkConfig(library, config) {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) return [null, 'config'];
  for (const name of Object.keys(config)) {
    if (!['secret', 'tolerance_seconds', 'application'].includes(name)) return [null, name];
  }
  if (typeof config.secret !== 'string' || config.secret === '') return [null, 'secret'];
  const tolerance = config.tolerance_seconds ?? 300;
  if (!Number.isSafeInteger(tolerance) || tolerance < 0 || tolerance > MAX_TOLERANCE) return [null, 'tolerance_seconds'];
  if (library.fixedTolerance !== undefined && tolerance !== library.fixedTolerance) return [null, 'tolerance_seconds'];
  try {
    return [library.build ? library.build(config) : null, null];
  } catch (e) {
    return [null, 'secret'];
  }
}

function crash(e) {
  const type = e && e.constructor ? e.constructor.name : typeof e;
  return { verdict: 'crash', exception: `${type}: ${e && e.message !== undefined ? e.message : String(e)}` };
}

// A library's verify and sign may return promises (an async API): the harness awaits them.
async function handle(library, request) {
  const op = request.op;
  if (op === 'hello') {
    return { implementation: library.implementation, version: library.version, ops: ['hello', 'verify', 'sign'], profiles: [library.profile] };
  }
  if (request.profile !== library.profile || (op !== 'verify' && op !== 'sign')) return { error: 'unsupported_op' };
  const message = request.message;
  const body = Buffer.from(message.body_b64, 'base64');
  if (op === 'verify') {
    const [verifier, field] = checkConfig(library, request.config);
    if (field !== null) return { verdict: 'reject', error: 'config_invalid', field };
    try {
      await library.verify(verifier, request.config, request.now, message.headers, body);
    } catch (e) {
      if (library.isFailure(e)) return { verdict: 'reject', error: 'unspecified' };
      return crash(e);
    }
    return { verdict: 'accept' };
  }
  try {
    return { headers: await library.sign(request.config, message, body) };
  } catch (e) {
    return crash(e);
  }
}

function main(library) {
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  // Requests are answered one at a time, in order, even when the library is async.
  let queue = Promise.resolve();
  rl.on('line', (line) => {
    queue = queue.then(async () => {
      let id = null;
      let body;
      try {
        const request = JSON.parse(line);
        id = request.id === undefined ? null : request.id;
        body = await handle(library, request);
      } catch (e) {
        body = { error: 'bad_request', detail: String(e && e.message) };
      }
      process.stdout.write(JSON.stringify({ id, ...body }) + '\n');
    });
  });
}

module.exports = { fold, versionOf, main };
