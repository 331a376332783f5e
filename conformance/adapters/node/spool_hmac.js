'use strict';
// The insertion-order HMAC-JSON scheme (spec/profiles/hmac-json-insertion-order.md) as agent
// runtimes write it for JSON files in a spool folder: faithful to its description, flaws
// included. This is what such a team runs; `sipc audit` shows what it fails to guarantee.

const crypto = require('crypto');

// Signer: `JSON.stringify({...payload, _hmac: h})`, h over `JSON.stringify(payload)`, the key
// the secret *string* (a 64-hex-character secret is 64 ASCII bytes of key).
function sign(payload, secret) {
  const h = crypto.createHmac('sha256', secret).update(JSON.stringify(payload)).digest('hex');
  return JSON.stringify({ ...payload, _hmac: h });
}

// Verifier of one file's bytes. Returns `{ payload }`, or `{ invalid: reason }` for a file the
// runtime logs, counts and deletes. Whatever the description does not catch is thrown.
function verifyFile(bytes, secret, stats) {
  let obj;
  try {
    obj = JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    stats.invalid += 1;
    return { invalid: 'malformed_body' };
  }
  const h = obj._hmac; // a file that is `null` throws here
  if (!h) {
    stats.invalid += 1;
    return { invalid: typeof obj === 'object' && !Array.isArray(obj) ? 'no_signature' : 'malformed_body' };
  }
  delete obj._hmac;
  const expected = crypto.createHmac('sha256', secret).update(JSON.stringify(obj)).digest('hex');
  // timingSafeEqual throws when the lengths differ; Buffer.from throws on a number.
  if (!crypto.timingSafeEqual(Buffer.from(h), Buffer.from(expected))) {
    stats.invalid += 1;
    return { invalid: 'bad_signature' };
  }
  return { payload: obj };
}

module.exports = { sign, verifyFile };
