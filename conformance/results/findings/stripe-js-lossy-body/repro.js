// stripe (npm) 23.1.0: a Buffer body is decoded with TextDecoder, which replaces bytes that are
// not UTF-8 with U+FFFD, and the signature is checked over that text: one signature verifies
// two different bodies. Needs only `stripe`.
const crypto = require('crypto');
const stripe = require('stripe')('sk_test_not_used');
const secret = 'whsec_test_secret';
const t = Math.floor(Date.now() / 1000);
const signedText = '{"id":"evt_1","note":"\ufffd"}'; // what a 0xFF byte decodes to
const mac = crypto.createHmac('sha256', secret).update(`${t}.${signedText}`).digest('hex');
const delivered = Buffer.from('{"id":"evt_1","note":"\xfe"}', 'latin1'); // byte 0xFE
try {
  stripe.webhooks.signature.verifyHeader(delivered, `t=${t},v1=${mac}`, secret, 300);
  console.log('a body with byte 0xFE accepted under a signature over other bytes (its U+FFFD text)');
  process.exit(0);
} catch (e) {
  console.log(`refused (${e.constructor.name})`);
  process.exit(1);
}
