#!/usr/bin/env node
'use strict';
// npm `svix`, as published, behind sipc-adapter/1 (profile standard-webhooks).
// Clock: the library reads Date.now() and has no clock parameter, so the adapter replaces
// Date.now in this process with a function returning the request's `now`. The tolerance is
// fixed at five minutes; the harness refuses a config with another one. svix's verify has no
// option against parsing the body as JSON.

const harness = require('./harness');
const { Webhook, WebhookVerificationError } = require('svix');

let nowMs = 0;
Date.now = () => nowMs;

harness.main({
  profile: 'standard-webhooks',
  implementation: 'svix (npm)',
  version: harness.versionOf('svix'),
  isFailure: (e) => e instanceof WebhookVerificationError,
  fixedTolerance: 300,
  build: (config) => new Webhook(config.secret),
  verify(webhook, config, now, headers, body) {
    nowMs = now * 1000;
    webhook.verify(body, harness.fold(headers));
  },
  sign(config, message, body) {
    const signature = new Webhook(config.secret).sign(message.id, new Date(Number(message.timestamp) * 1000), body);
    return [['webhook-id', message.id], ['webhook-timestamp', message.timestamp], ['webhook-signature', signature]];
  },
});
