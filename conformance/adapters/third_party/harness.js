'use strict';
// The sipc-adapter/1 loop shared by the adapters around third-party npm libraries
// (spec/ADAPTER.md, "Profiles"). Each adapter gives a library object; the harness turns its
// answers into verdicts:
//   the library returns            -> {"verdict":"accept"}
//   it throws a documented failure -> {"verdict":"reject","error":"unspecified"}
//   it throws anything else        -> {"verdict":"crash","exception":"Type: message"}
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

function crash(e) {
  const type = e && e.constructor ? e.constructor.name : typeof e;
  return { verdict: 'crash', exception: `${type}: ${e && e.message !== undefined ? e.message : String(e)}` };
}

function handle(library, request) {
  const op = request.op;
  if (op === 'hello') {
    return { implementation: library.implementation, version: library.version, ops: ['hello', 'verify', 'sign'], profiles: [library.profile] };
  }
  if (request.profile !== library.profile || (op !== 'verify' && op !== 'sign')) return { error: 'unsupported_op' };
  const message = request.message;
  const body = Buffer.from(message.body_b64, 'base64');
  if (op === 'verify') {
    try {
      library.verify(request.config, request.now, message.headers, body);
    } catch (e) {
      if (library.isFailure(e)) return { verdict: 'reject', error: 'unspecified' };
      return crash(e);
    }
    return { verdict: 'accept' };
  }
  try {
    return { headers: library.sign(request.config, message, body) };
  } catch (e) {
    return crash(e);
  }
}

function main(library) {
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  rl.on('line', (line) => {
    let id = null;
    let body;
    try {
      const request = JSON.parse(line);
      id = request.id === undefined ? null : request.id;
      body = handle(library, request);
    } catch (e) {
      body = { error: 'bad_request', detail: String(e && e.message) };
    }
    process.stdout.write(JSON.stringify({ id, ...body }) + '\n');
  });
}

module.exports = { fold, versionOf, main };
