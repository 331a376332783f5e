// @octokit/webhooks-methods 6.0.0 verifies a string: a body that is not UTF-8, decoded as a
// caller must (Buffer.toString), verifies under the MAC of its U+FFFD text, which GitHub never
// signed. Needs only @octokit/webhooks-methods.
const crypto = require('crypto');
const path = require('path');
const { pathToFileURL } = require('url');

// The package is an ES module whose exports have no `require` condition, and `import()` does
// not read NODE_PATH: its entry is found on the CommonJS search path instead.
const dir = require.resolve.paths('@octokit/webhooks-methods')
  .map((p) => path.join(p, '@octokit', 'webhooks-methods'))
  .find((p) => require('fs').existsSync(path.join(p, 'package.json')));

import(pathToFileURL(path.join(dir, 'dist-node', 'index.js')).href).then(async ({ verify }) => {
  const secret = "It's a Secret to Everybody";
  const raw = Buffer.from('{"note":"\xff"}', 'latin1');
  const text = raw.toString('utf8');
  const overText = 'sha256=' + crypto.createHmac('sha256', secret).update(Buffer.from(text, 'utf8')).digest('hex');
  const overBytes = 'sha256=' + crypto.createHmac('sha256', secret).update(raw).digest('hex');
  console.log('body bytes:', raw.toString('hex'), '-> as a string:', JSON.stringify(text));
  const lossy = await verify(secret, text, overText);
  console.log('signature of the U+FFFD text:', lossy ? 'accepted' : 'refused');
  console.log('signature of the bytes sent:', (await verify(secret, text, overBytes)) ? 'accepted' : 'refused');
  try {
    await verify(secret, '', 'sha256=' + crypto.createHmac('sha256', secret).update('').digest('hex'));
    console.log('empty body: accepted');
  } catch (e) {
    console.log('empty body:', `${e.name}: ${e.message}`);
  }
  process.exit(lossy ? 0 : 1);
});
