// The Node side of benches/peers.sh: the Node adapter's implementation (sipc1.js) verifying the
// envelopes that `peer_rust write` wrote, a fresh verifier per round, for at least SECONDS.
//
//     node benches/peers/verify_node.js DIR SECONDS
'use strict';
const fs = require('fs');
const path = require('path');
const impl = require(path.join(__dirname, '..', '..', 'conformance', 'adapters', 'node', 'sipc1.js'));

const NOW = 1700000000;
const [folder, seconds] = [process.argv[2], Number(process.argv[3])];
const config = new impl.Config(impl.parse(fs.readFileSync(path.join(folder, 'config.json'))));
const text = fs.readFileSync(path.join(folder, 'envelopes.txt'));
const envelopes = [];
for (let start = 0; start < text.length; ) {
  let end = text.indexOf(10, start);
  if (end < 0) end = text.length;
  if (end > start) envelopes.push(text.subarray(start, end));
  start = end + 1;
}
let verified = 0;
let elapsed = 0;
while (elapsed < seconds) {
  const verifier = new impl.Verifier(config);
  const start = process.hrtime.bigint();
  for (const envelope of envelopes) verifier.verify(envelope, NOW);
  elapsed += Number(process.hrtime.bigint() - start) / 1e9;
  verified += envelopes.length;
}
console.log(`verifies_per_second=${(verified / elapsed).toFixed(0)}`);
