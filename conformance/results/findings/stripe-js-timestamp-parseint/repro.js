// stripe (npm) 23.1.0 reads t with parseInt() and checks the signature over the parsed number,
// not over the header's text: one genuine signature verifies under many spellings of t.
// Needs only `stripe`.
const stripe = require('stripe')('sk_test_not_used');
const secret = 'whsec_test_secret';
const t = Math.floor(Date.now() / 1000);
const body = '{"id":"evt_1","object":"event"}';
const good = stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp: t }).split(',v1=')[1];
let accepted = 0;
for (const [label, text] of [['T.9', `${t}.9`], ['Tabc', `${t}abc`], [' T', ` ${t}`], ['+T', `+${t}`]]) {
  try {
    stripe.webhooks.signature.verifyHeader(body, `t=${text},v1=${good}`, secret, 300);
    console.log(`t=${label}: accepted with the signature made for T`);
    accepted++;
  } catch (e) {
    console.log(`t=${label}: refused`);
  }
}
process.exit(accepted ? 0 : 1);
