// standardwebhooks (npm) 1.1.1 reads webhook-timestamp with parseInt() and checks the
// signature over the parsed number, not over the header's text: one genuine signature
// verifies under many timestamp spellings. Needs only `standardwebhooks`.
const { Webhook } = require('standardwebhooks');
const wh = new Webhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
const t = Math.floor(Date.now() / 1000);
const body = '{"type":"contact.created"}';
const signature = wh.sign('msg_1', new Date(t * 1000), body);
let accepted = 0;
for (const [label, text] of [['T + "abc"', `${t}abc`], ['" T"', ` ${t}`], ['"+T"', `+${t}`], ['"T.9"', `${t}.9`]]) {
  try {
    wh.verify(body, { 'webhook-id': 'msg_1', 'webhook-timestamp': text, 'webhook-signature': signature }, { jsonParse: false });
    console.log(`timestamp ${label}: accepted with the signature made for T`);
    accepted++;
  } catch (e) {
    console.log(`timestamp ${label}: refused (${e.constructor.name})`);
  }
}
process.exit(accepted ? 0 : 1);
