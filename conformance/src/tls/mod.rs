//! Mutual TLS (SIPC/1 §15) with rustls and the ring provider: the server side of `sipc serve`
//! ([`server_config`]: TLS 1.2 and 1.3 only, a client certificate required and verified against
//! `client_ca`), the runner's client side ([`client_config`]), and the run's PKI ([`pki`]).

pub mod pki;

use pki::{ClientCert, Pki};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::WebPkiClientVerifier;
use rustls::{ClientConfig, RootCertStore, ServerConfig};
use sipc_reference::Tls;
use std::sync::Arc;

/// The versions a server speaks (REQ-TLS-1).
const VERSIONS: &[&rustls::SupportedProtocolVersion] =
    &[&rustls::version::TLS13, &rustls::version::TLS12];

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// Every certificate of the PEM file at `path`; at least one.
fn certificates(path: &str) -> Result<Vec<CertificateDer<'static>>, String> {
    let certs = CertificateDer::pem_file_iter(path)
        .and_then(|iter| iter.collect::<Result<Vec<_>, _>>())
        .map_err(|e| format!("{path}: {e}"))?;
    if certs.is_empty() {
        return Err(format!("{path}: no certificate"));
    }
    Ok(certs)
}

/// The server's TLS config from the config's `tls` files: its chain and key (which must match),
/// and a verifier that requires a client certificate chaining to `client_ca`, valid now, with
/// `clientAuth` when it has an extended key usage (REQ-TLS-1, REQ-TLS-2). `Err` says why the
/// server must refuse to start (REQ-TLS-5).
pub fn server_config(tls: &Tls) -> Result<Arc<ServerConfig>, String> {
    let chain = certificates(&tls.cert)?;
    let key = PrivateKeyDer::from_pem_file(&tls.key).map_err(|e| format!("{}: {e}", tls.key))?;
    let mut roots = RootCertStore::empty();
    for ca in certificates(&tls.client_ca)? {
        roots
            .add(ca)
            .map_err(|e| format!("{}: {e}", tls.client_ca))?;
    }
    let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider())
        .build()
        .map_err(|e| format!("{}: {e}", tls.client_ca))?;
    let config = ServerConfig::builder_with_provider(provider())
        .with_protocol_versions(VERSIONS)
        .map_err(|e| e.to_string())?
        .with_client_cert_verifier(verifier)
        .with_single_cert(chain, key)
        .map_err(|e| format!("{} and {}: {e}", tls.cert, tls.key))?;
    Ok(Arc::new(config))
}

/// The runner's client config: trusting the run's server CA only, presenting `client` (none
/// at all for `None`).
pub fn client_config(pki: &Pki, client: Option<ClientCert>) -> Result<Arc<ClientConfig>, String> {
    let mut roots = RootCertStore::empty();
    roots
        .add(pki.server_ca.clone())
        .map_err(|e| e.to_string())?;
    let builder = ClientConfig::builder_with_provider(provider())
        .with_protocol_versions(VERSIONS)
        .map_err(|e| e.to_string())?
        .with_root_certificates(roots);
    let config = match client.and_then(|k| pki.client(k)) {
        None => builder.with_no_client_auth(),
        Some(id) => builder
            .with_client_auth_cert(id.chain.clone(), id.key())
            .map_err(|e| e.to_string())?,
    };
    Ok(Arc::new(config))
}

/// The client configs of a run, made once: none, and one per [`ClientCert`].
pub struct Clients {
    /// The run's PKI.
    pub pki: Pki,
    configs: Vec<(Option<ClientCert>, Arc<ClientConfig>)>,
}

impl Clients {
    /// The configs for `pki`.
    pub fn new(pki: Pki) -> Result<Clients, String> {
        let mut configs = vec![(None, client_config(&pki, None)?)];
        for kind in ClientCert::ALL {
            configs.push((Some(kind), client_config(&pki, Some(kind))?));
        }
        Ok(Clients { pki, configs })
    }

    /// The config presenting `client`.
    pub fn get(&self, client: Option<ClientCert>) -> Option<Arc<ClientConfig>> {
        self.configs
            .iter()
            .find(|(k, _)| *k == client)
            .map(|(_, c)| Arc::clone(c))
    }
}
