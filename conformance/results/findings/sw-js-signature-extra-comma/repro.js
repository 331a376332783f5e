// standardwebhooks (npm) 1.1.1 splits each signature entry with
// `const [version, signature] = entry.split(",")`, which drops what follows a second comma:
// the genuine signature with ",anything" appended verifies. Needs only `standardwebhooks`.
const { Webhook } = require('standardwebhooks');
const wh = new Webhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
const t = Math.floor(Date.now() / 1000);
const body = '{"type":"contact.created"}';
const signature = wh.sign('msg_1', new Date(t * 1000), body);
try {
  wh.verify(body, { 'webhook-id': 'msg_1', 'webhook-timestamp': String(t), 'webhook-signature': `${signature},anything` }, { jsonParse: false });
  console.log('the signature with ",anything" appended: accepted');
  process.exit(0);
} catch (e) {
  console.log(`refused (${e.constructor.name})`);
  process.exit(1);
}
