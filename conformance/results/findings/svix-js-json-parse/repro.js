// svix (npm) 1.99.1: Webhook.verify parses the body with JSON.parse after the signature
// matched, and has no option against it: a genuinely signed empty or non-JSON body throws
// SyntaxError, not WebhookVerificationError. Needs only `svix`.
const { Webhook, WebhookVerificationError } = require('svix');
const wh = new Webhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
const t = Math.floor(Date.now() / 1000);
let reproduced = 0;
for (const [label, body] of [['an empty body', ''], ['a text body', 'hello, world']]) {
  const signature = wh.sign('msg_1', new Date(t * 1000), body);
  try {
    wh.verify(body, { 'svix-id': 'msg_1', 'svix-timestamp': String(t), 'svix-signature': signature });
    console.log(`${label}: accepted`);
  } catch (e) {
    if (e instanceof WebhookVerificationError) {
      console.log(`${label}: refused (WebhookVerificationError)`);
    } else {
      console.log(`${label}, correctly signed: threw ${e.constructor.name}: ${e.message}`);
      reproduced++;
    }
  }
}
process.exit(reproduced ? 0 : 1);
