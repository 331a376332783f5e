#!/usr/bin/env node
'use strict';
// npm `standardwebhooks`, as published, behind sipc-adapter/1 (profile standard-webhooks).
// Clock: the library reads Date.now() and has no clock parameter, so the adapter replaces
// Date.now in this process with a function returning the request's `now`. The tolerance is the
// library's fixed five minutes; the harness refuses a config with another one. verify is
// called with { jsonParse: false }, the library's own option, so the body is not parsed.

const harness = require('./harness');
const { Webhook, WebhookVerificationError } = require('standardwebhooks');

let nowMs = 0;
Date.now = () => nowMs;

harness.main({
  profile: 'standard-webhooks',
  implementation: 'standardwebhooks (npm)',
  version: harness.versionOf('standardwebhooks'),
  isFailure: (e) => e instanceof WebhookVerificationError,
  fixedTolerance: 300,
  build: (config) => new Webhook(config.secret),
  verify(webhook, config, now, headers, body) {
    nowMs = now * 1000;
    webhook.verify(body, harness.fold(headers), { jsonParse: false });
  },
  sign(config, message, body) {
    const signature = new Webhook(config.secret).sign(message.id, new Date(Number(message.timestamp) * 1000), body);
    return [['webhook-id', message.id], ['webhook-timestamp', message.timestamp], ['webhook-signature', signature]];
  },
});
