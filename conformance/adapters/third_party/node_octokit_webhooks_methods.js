#!/usr/bin/env node
'use strict';
// npm `@octokit/webhooks-methods`, as published (its default Node build, an ES module), behind
// sipc-adapter/1 (profile github). The adapter calls `verify(secret, eventPayload, signature)`
// with the X-Hub-Signature-256 value and the body as a string (the library takes nothing
// else; Buffer to string as Node decodes UTF-8). `false` and the TypeError the README
// documents ("Throws error if an argument is missing") are the documented failures. No clock:
// the scheme has none.

const harness = require('./harness');

class Rejected extends Error {}

const PREFIX = '[@octokit/webhooks-methods]';

import('@octokit/webhooks-methods').then(({ verify, sign }) => {
  harness.main({
    profile: 'github',
    implementation: '@octokit/webhooks-methods (npm)',
    version: harness.versionOf('@octokit/webhooks-methods'),
    isFailure: (e) => e instanceof Rejected || (e instanceof TypeError && e.message.startsWith(PREFIX)),
    async verify(_verifier, config, _now, headers, body) {
      const signature = harness.fold(headers)['x-hub-signature-256'];
      if (!(await verify(config.secret, body.toString('utf8'), signature))) throw new Rejected();
    },
    async sign(config, _message, body) {
      return [['X-Hub-Signature-256', await sign(config.secret, body.toString('utf8'))]];
    },
  });
});
