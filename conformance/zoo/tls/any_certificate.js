// caught-by: TLS-CLIENT
// run-with: --tls
// The Node server with rejectUnauthorized: false and a check that the client sent some
// certificate, never whether it verified (socket.authorized): a certificate from another CA,
// an expired one, one not valid yet, one for servers only, are all served.
'use strict';
const path = require('path');
const tls = require('tls');

const original = tls.createServer;
tls.createServer = (options, listener) => original.call(tls, { ...options, rejectUnauthorized: false }, (socket) => {
  const cert = socket.getPeerCertificate();
  if (!cert || Object.keys(cert).length === 0) {
    socket.destroy();
    return;
  }
  listener(socket);
});
require(path.join(__dirname, '..', '..', 'adapters', 'node', 'sipc_server.js')).main();
