//! The throwaway PKI of one TLS run (SIPC/1 §15): a CA for the server's certificate, a CA for
//! client certificates (the config's `client_ca`), the server's certificate for `localhost`,
//! and one client certificate of each kind the suite tries. Made fresh per run with rcgen; the
//! server's files are written to the run's folder, the clients' kept in memory.

use rcgen::{
    date_time_ymd, BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use sipc_reference::Tls;
use std::path::Path;

/// The file, beside the server's, holding a key that does not match its certificate.
pub const OTHER_KEY_FILE: &str = "other.key";
/// The file, beside the server's, that is not PEM.
pub const NOT_PEM_FILE: &str = "not_pem.pem";

/// The name the server's certificate is for, and the one the runner asks for.
pub const SERVER_NAME: &str = "localhost";

/// A client certificate the runner presents (REQ-TLS-2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ClientCert {
    /// Issued by `client_ca`, valid now, extended key usage `clientAuth`: served.
    Valid,
    /// Issued by `client_ca`, valid now, no extended key usage extension at all: served.
    NoExtendedKeyUsage,
    /// From another CA, which the server does not know: refused.
    OtherCa,
    /// Expired (not after two years ago): refused.
    Expired,
    /// Not yet valid (not before two years from now): refused.
    NotYetValid,
    /// Extended key usage `serverAuth` only: refused.
    ServerAuthOnly,
}

impl ClientCert {
    /// Every kind, in the order the suite tries them.
    pub const ALL: [ClientCert; 6] = [
        ClientCert::Valid,
        ClientCert::NoExtendedKeyUsage,
        ClientCert::OtherCa,
        ClientCert::Expired,
        ClientCert::NotYetValid,
        ClientCert::ServerAuthOnly,
    ];

    /// What it is, for reports.
    pub fn describe(self) -> &'static str {
        match self {
            ClientCert::Valid => "a valid client certificate (clientAuth)",
            ClientCert::NoExtendedKeyUsage => {
                "a valid client certificate without an extended key usage extension"
            }
            ClientCert::OtherCa => "a client certificate issued by another CA",
            ClientCert::Expired => "an expired client certificate",
            ClientCert::NotYetValid => "a client certificate not valid yet",
            ClientCert::ServerAuthOnly => {
                "a client certificate whose extended key usage is serverAuth only"
            }
        }
    }
}

/// A certificate chain and its key.
pub struct Identity {
    /// End entity first.
    pub chain: Vec<CertificateDer<'static>>,
    /// Its private key (PKCS#8).
    pub key: PrivatePkcs8KeyDer<'static>,
    /// The chain as PEM.
    chain_pem: String,
    /// The key as PEM.
    key_pem: String,
}

impl Identity {
    /// The key as rustls takes it.
    pub fn key(&self) -> PrivateKeyDer<'static> {
        PrivateKeyDer::Pkcs8(self.key.clone_key())
    }
}

/// The PKI of one run.
pub struct Pki {
    /// The server's files: `tls.cert`, `tls.key`, `tls.client_ca`.
    pub files: Tls,
    /// The CA of the server's certificate, which the runner trusts.
    pub server_ca: CertificateDer<'static>,
    /// The server's certificate, as the server must present it.
    pub server_cert: CertificateDer<'static>,
    /// One client identity per kind.
    pub clients: Vec<(ClientCert, Identity)>,
}

/// The calendar year of `now` (Unix seconds), close enough for validity periods of whole years.
fn year_of(now: u64) -> i32 {
    let days = now / 86_400;
    i32::try_from(1970 + days * 400 / 146_097).unwrap_or(2026)
}

fn params(common_name: &str, from: i32, to: i32) -> CertificateParams {
    let mut p = CertificateParams::default();
    p.distinguished_name.push(DnType::CommonName, common_name);
    p.not_before = date_time_ymd(from, 1, 1);
    p.not_after = date_time_ymd(to, 1, 1);
    p
}

fn ca_params(common_name: &str, year: i32) -> CertificateParams {
    let mut p = params(common_name, year - 1, year + 3);
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    p.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    p
}

fn err(e: impl std::fmt::Display) -> String {
    format!("making the run's PKI: {e}")
}

/// A CA: its certificate, and an issuer to sign with.
fn ca(
    common_name: &str,
    year: i32,
) -> Result<(rcgen::Certificate, Issuer<'static, KeyPair>), String> {
    let key = KeyPair::generate().map_err(err)?;
    let p = ca_params(common_name, year);
    let cert = p.self_signed(&key).map_err(err)?;
    Ok((cert, Issuer::new(p, key)))
}

fn leaf(
    p: CertificateParams,
    issuer: &Issuer<'static, KeyPair>,
    issuer_cert: &rcgen::Certificate,
) -> Result<Identity, String> {
    let key = KeyPair::generate().map_err(err)?;
    let cert = p.signed_by(&key, issuer).map_err(err)?;
    Ok(Identity {
        chain: vec![cert.der().clone(), issuer_cert.der().clone()],
        key: PrivatePkcs8KeyDer::from(key.serialize_der()),
        chain_pem: cert.pem() + &issuer_cert.pem(),
        key_pem: key.serialize_pem(),
    })
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

impl Pki {
    /// Makes the PKI for a run at `now` and writes the server's files into `dir`.
    pub fn make(dir: &Path, now: u64) -> Result<Pki, String> {
        let year = year_of(now);
        let (server_ca, server_issuer) = ca("sipc run: server CA", year)?;
        let (client_ca, client_issuer) = ca("sipc run: client CA", year)?;
        let (other_ca, other_issuer) = ca("sipc run: a CA the server does not know", year)?;
        let mut server = params(SERVER_NAME, year - 1, year + 2);
        server.subject_alt_names = vec![
            rcgen::SanType::DnsName(SERVER_NAME.try_into().map_err(err)?),
            rcgen::SanType::IpAddress([127, 0, 0, 1].into()),
        ];
        server.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        let server = leaf(server, &server_issuer, &server_ca)?;
        let client = |kind: ClientCert| -> Result<Identity, String> {
            let name = format!("sipc run: {kind:?}");
            let (from, to) = match kind {
                ClientCert::Expired => (year - 3, year - 2),
                ClientCert::NotYetValid => (year + 2, year + 3),
                _ => (year - 1, year + 2),
            };
            let mut p = params(&name, from, to);
            p.extended_key_usages = match kind {
                ClientCert::NoExtendedKeyUsage => Vec::new(),
                ClientCert::ServerAuthOnly => vec![ExtendedKeyUsagePurpose::ServerAuth],
                _ => vec![ExtendedKeyUsagePurpose::ClientAuth],
            };
            match kind {
                ClientCert::OtherCa => leaf(p, &other_issuer, &other_ca),
                _ => leaf(p, &client_issuer, &client_ca),
            }
        };
        let clients = ClientCert::ALL
            .iter()
            .map(|k| client(*k).map(|id| (*k, id)))
            .collect::<Result<Vec<_>, _>>()?;
        let files = Tls {
            cert: dir.join("server.pem").display().to_string(),
            key: dir.join("server.key").display().to_string(),
            client_ca: dir.join("client_ca.pem").display().to_string(),
        };
        write(Path::new(&files.cert), &server.chain_pem)?;
        write(Path::new(&files.key), &server.key_pem)?;
        write(Path::new(&files.client_ca), &client_ca.pem())?;
        // For REQ-TLS-5: a key that does not match the certificate, and a file that is not PEM.
        write(
            &dir.join(OTHER_KEY_FILE),
            &KeyPair::generate().map_err(err)?.serialize_pem(),
        )?;
        write(&dir.join(NOT_PEM_FILE), "this is not PEM\n")?;
        Ok(Pki {
            files,
            server_ca: server_ca.der().clone(),
            server_cert: server
                .chain
                .first()
                .cloned()
                .ok_or_else(|| err("no chain"))?,
            clients,
        })
    }

    /// The identity of a client kind.
    pub fn client(&self, kind: ClientCert) -> Option<&Identity> {
        self.clients
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, id)| id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_follow_the_clock() {
        assert_eq!(year_of(0), 1970);
        assert_eq!(year_of(1_700_000_000), 2023);
        assert_eq!(year_of(1_796_268_767), 2026);
    }
}
