// profile: hmac-json-insertion-order
// caught-by: HMACJSON-VALID, HMACJSON-KEY
// Decodes the 64-hex-character secret to its 32 bytes: what a careful reader of "32 random
// bytes" does, and not what the scheme's signer does.
const { spool, serve, verifier, hmacHex } = require('./_zoo');
spool.verifyFile = verifier((obj, secret) => hmacHex(Buffer.from(secret, 'hex'), JSON.stringify(obj)), (h, e) => h === e);
serve('hji_hex_key');
