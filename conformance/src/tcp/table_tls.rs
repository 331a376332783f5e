//! The tests only mutual TLS has (SIPC/1 §15), after the TCP and Unix tables' in a `--tls` run:
//! the certificate the server presents, the client certificates it must refuse at the handshake
//! and the one without an extended key usage it must serve, and TLS files that must stop it
//! from starting.

use super::cases::{Build, Builder, Meta, Script, Step, TlsScript};
use crate::tls::pki::{ClientCert, NOT_PEM_FILE, OTHER_KEY_FILE};
use sipc_vectors::suite::Expect::Accept;

fn valid(b: &Builder) -> Step {
    b.one(b.wire(&b.env()), Accept)
}

fn refused(b: &Builder, client: Option<ClientCert>) -> Script {
    Script::Tls(TlsScript::Refused {
        client,
        step: valid(b),
    })
}

/// The TLS tests, in tcId order; those that start servers of their own come last.
pub fn table() -> Vec<(Meta, Build)> {
    const REFUSED: &[&str] = &["REQ-TLS-2", "REQ-TLS-3"];
    vec![
        (
            Meta {
                id: "TLS-CERT",
                req: &["REQ-TLS-1", "REQ-TCP-8"],
                flags: &["MutualTls"],
                comment: "the server presents the certificate of tls.cert, over TLS 1.2 or 1.3",
            },
            |_| Script::Tls(TlsScript::ServerCertificate),
        ),
        (
            Meta {
                id: "TLS-CLIENT",
                req: REFUSED,
                flags: &["ClientCertificate"],
                comment: "no client certificate: refused at the handshake, before any frame",
            },
            |b| refused(b, None),
        ),
        (
            Meta {
                id: "TLS-CLIENT",
                req: REFUSED,
                flags: &["ClientCertificate"],
                comment: "a client certificate from a CA other than client_ca: refused",
            },
            |b| refused(b, Some(ClientCert::OtherCa)),
        ),
        (
            Meta {
                id: "TLS-CLIENT",
                req: REFUSED,
                flags: &["ClientCertificate"],
                comment: "an expired client certificate: refused",
            },
            |b| refused(b, Some(ClientCert::Expired)),
        ),
        (
            Meta {
                id: "TLS-CLIENT",
                req: REFUSED,
                flags: &["ClientCertificate"],
                comment: "a client certificate not valid yet: refused",
            },
            |b| refused(b, Some(ClientCert::NotYetValid)),
        ),
        (
            Meta {
                id: "TLS-CLIENT",
                req: REFUSED,
                flags: &["ClientCertificate"],
                comment:
                    "a client certificate whose extended key usage is serverAuth only: refused",
            },
            |b| refused(b, Some(ClientCert::ServerAuthOnly)),
        ),
        (
            Meta {
                id: "TLS-CLIENT",
                req: &["REQ-TLS-2"],
                flags: &["ClientCertificate"],
                comment:
                    "a valid client certificate without an extended key usage extension is served",
            },
            |b| {
                Script::Tls(TlsScript::Served {
                    client: ClientCert::NoExtendedKeyUsage,
                    step: valid(b),
                })
            },
        ),
        (
            Meta {
                id: "TLS-START",
                req: &["REQ-TLS-5"],
                flags: &["MutualTls"],
                comment: "tls.key a key that does not match tls.cert: the server refuses to start",
            },
            |b| Script::RefusesToStart(b.tls_config_with("key", &b.beside_tls(OTHER_KEY_FILE))),
        ),
        (
            Meta {
                id: "TLS-START",
                req: &["REQ-TLS-5"],
                flags: &["MutualTls"],
                comment: "tls.cert a file that is not PEM: the server refuses to start",
            },
            |b| Script::RefusesToStart(b.tls_config_with("cert", &b.beside_tls(NOT_PEM_FILE))),
        ),
        (
            Meta {
                id: "TLS-START",
                req: &["REQ-TLS-5"],
                flags: &["MutualTls"],
                comment: "tls.client_ca a file that does not exist: the server refuses to start",
            },
            |b| {
                Script::RefusesToStart(b.tls_config_with("client_ca", &b.beside_tls("missing.pem")))
            },
        ),
    ]
}
