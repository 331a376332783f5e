// svix (npm) 1.99.1: verify() turns a Buffer body into text with toString(), which
// replaces bytes that are not UTF-8 with U+FFFD, and signs that text: one signature verifies
// two different bodies. Needs only `svix`.
const { Webhook } = require('svix');
const wh = new Webhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
const now = new Date(Math.floor(Date.now() / 1000) * 1000);
const signed = Buffer.from('{"amount":"\xff"}', 'latin1'); // byte 0xFF
const delivered = Buffer.from('{"amount":"\xfe"}', 'latin1'); // byte 0xFE: other bytes
const signature = wh.sign('msg_1', now, signed);
const headers = { 'webhook-id': 'msg_1', 'webhook-timestamp': String(now.getTime() / 1000), 'webhook-signature': signature };
try {
  wh.verify(delivered, headers);
  console.log('a body with byte 0xFE accepted under the signature of a body with byte 0xFF');
  process.exit(0);
} catch (e) {
  console.log(`refused: ${e.constructor.name}`);
  process.exit(1);
}
