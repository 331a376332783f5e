// profile: hmac-json-insertion-order
// caught-by: HMACJSON-RESERIALIZED
// MACs the file's own text with the `_hmac` member cut out, instead of re-serializing: right
// for what its own signer writes, wrong for every other wire form the scheme accepts.
const { spool, serve, verifier, hmacHex } = require('./_zoo');
spool.verifyFile = verifier(
  (obj, secret, bytes) => hmacHex(secret, bytes.toString('utf8').replace(/,?"_hmac":"[^"]*"/, '')),
  (h, e) => h === e,
);
serve('hji_raw_text');
