'use strict';
// sipc1.js against the RFC 8785 author's files in ../shared/jcs-testdata (or $SIPC_JCS_TESTDATA).
//   node conformance/adapters/node/test_sipc1.js
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const sipc1 = require('./sipc1');

const data = process.env.SIPC_JCS_TESTDATA || path.join(__dirname, '..', '..', '..', '..', 'shared', 'jcs-testdata');
if (!fs.existsSync(data)) {
  console.log('SKIPPED: no jcs-testdata');
  process.exit(process.env.SIPC_REQUIRE_JCS_TESTDATA ? 1 : 0);
}
const names = fs.readdirSync(path.join(data, 'input')).sort();
assert(names.length >= 6);
for (const name of names) {
  const got = sipc1.canonicalize(fs.readFileSync(path.join(data, 'input', name)));
  assert(got.equals(fs.readFileSync(path.join(data, 'output', name))), name);
}
let n = 0;
for (const line of fs.readFileSync(path.join(data, 'numbers', 'es6testfile-10k.txt'), 'utf8').split('\n')) {
  if (!line) continue;
  const [bits, want] = line.split(',');
  const value = Buffer.from(bits.padStart(16, '0'), 'hex').readDoubleBE(0);
  assert.strictEqual(sipc1.serialize(new sipc1.Num(want, value)).toString(), want, bits);
  n++;
}
assert.strictEqual(n, 10000);
console.log(`ok: ${names.length} canonicalization files, ${n} numbers`);
