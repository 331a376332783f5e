#!/usr/bin/env node
'use strict';
// npm `stripe`, as published, behind sipc-adapter/1 (profile stripe).
// The adapter calls stripe.webhooks.signature.verifyHeader(payload, header, secret, tolerance,
// cryptoProvider, receivedAt), the verification stripe.webhooks.constructEvent runs before it
// parses the event. Clock: the library's own parameter, receivedAt (milliseconds).

const harness = require('./harness');
const Stripe = require('stripe');

const stripe = Stripe('sk_test_sipc_not_a_real_key');

harness.main({
  profile: 'stripe',
  implementation: 'stripe (npm)',
  version: harness.versionOf('stripe'),
  isFailure: (e) => e instanceof Stripe.errors.StripeSignatureVerificationError,
  verify(_verifier, config, now, headers, body) {
    const header = harness.fold(headers)['stripe-signature'];
    stripe.webhooks.signature.verifyHeader(body, header, config.secret, config.tolerance_seconds ?? 300, undefined, now * 1000);
  },
  sign(config, message, body) {
    const value = stripe.webhooks.generateTestHeaderString({ payload: body.toString('utf8'), secret: config.secret, timestamp: Number(message.timestamp) });
    return [['Stripe-Signature', value]];
  },
});
