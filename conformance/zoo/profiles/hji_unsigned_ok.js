// profile: hmac-json-insertion-order
// caught-by: HMACJSON-MISSING
// Treats a file without `_hmac` as trusted (written by the runtime itself).
const { spool, serve } = require('./_zoo');
const verify = spool.verifyFile;
spool.verifyFile = (bytes, secret, stats) => {
  const out = verify(bytes, secret, stats);
  return out.invalid === 'no_signature' ? { payload: {} } : out;
};
serve('hji_unsigned_ok');
