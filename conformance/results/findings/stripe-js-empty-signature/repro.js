// stripe (npm) 23.1.0: an empty v1 value ("v1=") makes secureCompare throw a plain Error
// ("secureCompare must receive two arguments"), not StripeSignatureVerificationError.
// Needs only `stripe`.
const Stripe = require('stripe');
const stripe = Stripe('sk_test_not_used');
const header = `t=${Math.floor(Date.now() / 1000)},v1=`;
try {
  stripe.webhooks.constructEvent('{"id":"evt_1","object":"event"}', header, 'whsec_test_secret');
  console.log('accepted');
  process.exit(1);
} catch (e) {
  if (e instanceof Stripe.errors.StripeSignatureVerificationError) {
    console.log('refused with StripeSignatureVerificationError');
    process.exit(1);
  }
  console.log(`header "t=<now>,v1=": threw ${e.constructor.name}: ${e.message}`);
  process.exit(0);
}
