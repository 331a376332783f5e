// profile: hmac-json-insertion-order
// caught-by: HMACJSON-SIG-MANGLED
// Lower-cases the received MAC before comparing it, with ===.
const { spool, serve, verifier, hmacHex } = require('./_zoo');
spool.verifyFile = verifier((obj, secret) => hmacHex(secret, JSON.stringify(obj)), (h, e) => String(h).toLowerCase() === e);
serve('hji_case_insensitive');
