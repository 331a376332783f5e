// profile: hmac-json-insertion-order
// caught-by: HMACJSON-VALID, HMACJSON-RESERIALIZED
// Sorts the members before stringifying, on the verifier's side only ("to be safe"): its
// own runtime's files no longer verify.
const { spool, serve, verifier, hmacHex } = require('./_zoo');
const sorted = (v) => (v && typeof v === 'object' && !Array.isArray(v)
  ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted(v[k])]))
  : Array.isArray(v) ? v.map(sorted) : v);
spool.verifyFile = verifier((obj, secret) => hmacHex(secret, JSON.stringify(sorted(obj))), (h, e) => h === e);
serve('hji_sorted_keys');
