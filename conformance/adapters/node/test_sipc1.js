'use strict';
// sipc1.js against the RFC 8785 author's test data in vectors/rfc8785 (source and licence there):
// the canonical form of each input file, and the first 10 000 lines of the author's ES6 number
// sequence, generated from its definition and checked against the published SHA-256.
//   node conformance/adapters/node/test_sipc1.js
const assert = require('assert');
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const sipc1 = require('./sipc1');

const data = path.join(__dirname, '..', '..', '..', 'vectors', 'rfc8785');
const FILES = ['arrays', 'french', 'structures', 'unicode', 'values', 'weird'];
// The published SHA-256 of the sequence's first 10 000 lines (vectors/rfc8785/README.md).
const FIRST_10K_SHA256 = 'b9f7a8e75ef22a835685a52ccba7f7d6bdc99e34b010992cbc5864cd12be6892';
const SERIAL_COUNT = 2000;
const SERIAL_START = 0x0010000000000000n;

// The author's ES6 number sequence: 168 fixed bits, 2 000 consecutive ones, a SHA-256 chain.
function* es6Sequence() {
  const fixed = fs.readFileSync(path.join(data, 'es6-static-bits.txt'), 'utf8').split('\n').filter(Boolean);
  assert.strictEqual(fixed.length, 168);
  for (const hex of fixed) yield BigInt('0x' + hex);
  for (let i = 0n; i < BigInt(SERIAL_COUNT); i++) yield SERIAL_START + i;
  let block = Buffer.alloc(32);
  for (;;) {
    block = crypto.createHash('sha256').update(block).digest();
    for (let at = 0; at < 32; at += 8) {
      const value = block.readDoubleLE(at);
      if (value !== 0 && Number.isFinite(value)) yield block.readBigUInt64LE(at);
    }
  }
}

for (const name of FILES) {
  const got = sipc1.canonicalize(fs.readFileSync(path.join(data, 'input', name + '.json')));
  assert(got.equals(fs.readFileSync(path.join(data, 'output', name + '.json'))), name);
}
const digest = crypto.createHash('sha256');
const bitsBuffer = Buffer.alloc(8);
let lines = 0;
for (const bits of es6Sequence()) {
  bitsBuffer.writeBigUInt64BE(bits);
  const value = bitsBuffer.readDoubleBE(0);
  const text = sipc1.serialize(new sipc1.Num('', value)).toString();
  digest.update(`${bits.toString(16)},${text}\n`);
  if (++lines === 10000) break;
}
assert.strictEqual(digest.digest('hex'), FIRST_10K_SHA256, 'the first 10 000 lines of the ES6 sequence');
console.log(`ok: ${FILES.length} canonicalization files, ${lines} numbers of the ES6 sequence`);
