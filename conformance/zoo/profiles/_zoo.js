'use strict';
// Shared by the Node members of the profile zoo: each is spool_hmac_adapter.js (the
// insertion-order scheme as described) with exactly one classic bug. A member's first lines
// say which profile it runs and which families must catch it (see _zoo.py).

const path = require('path');

const adapters = path.join(__dirname, '..', '..', 'adapters', 'node');
const spool = require(path.join(adapters, 'spool_hmac'));
const crypto = require('crypto');

function serve(name) {
  require(path.join(adapters, 'spool_hmac_adapter')).main(`zoo/profiles/${name}`);
}

// A verifier of the scheme's shape with `macOf(obj, secret)` and `same(h, expected)` swapped in.
function verifier(macOf, same) {
  return (bytes, secret, stats) => {
    let obj;
    try {
      obj = JSON.parse(bytes.toString('utf8'));
    } catch (e) {
      return { invalid: 'malformed_body' };
    }
    const h = obj._hmac;
    if (!h) return { invalid: typeof obj === 'object' && !Array.isArray(obj) ? 'no_signature' : 'malformed_body' };
    delete obj._hmac;
    return same(h, macOf(obj, secret, bytes)) ? { payload: obj } : { invalid: 'bad_signature' };
  };
}

const hmacHex = (key, text) => crypto.createHmac('sha256', key).update(text).digest('hex');

module.exports = { spool, serve, verifier, hmacHex };
