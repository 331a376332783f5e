// stripe (npm) 23.1.0: parseHeader reads t with parseInt(); a t it cannot read is NaN, which
// passes the "no timestamp" check (-1), is signed over as the text "NaN", and makes the age
// check `timestampAge > tolerance` false for ever. An event whose signed payload starts with
// "NaN." is accepted at any time. Needs only `stripe`.
const crypto = require('crypto');
const stripe = require('stripe')('sk_test_not_used');
const secret = 'whsec_test_secret';
const body = '{"id":"evt_1","object":"event"}';
const mac = crypto.createHmac('sha256', secret).update(`NaN.${body}`).digest('hex');
let accepted = 0;
for (const t of ['abc', 'NaN', '']) {
  const header = `t=${t},v1=${mac}`;
  // Ten years from now, far past any tolerance.
  const later = Date.now() + 10 * 365 * 24 * 3600 * 1000;
  try {
    stripe.webhooks.signature.verifyHeader(body, header, secret, 300, undefined, later);
    console.log(`t=${JSON.stringify(t)}, signature over "NaN.<body>", ten years later: accepted`);
    accepted++;
  } catch (e) {
    console.log(`t=${JSON.stringify(t)}: refused (${e.constructor.name})`);
  }
}
process.exit(accepted ? 0 : 1);
