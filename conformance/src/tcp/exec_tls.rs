//! Running the TLS tests (SIPC/1 §15, [`super::table_tls`]) and judging what came back.

use super::cases::{Step, TlsScript};
use super::client::Answer;
use super::exec::{frame, frames, obs, pass, Target};
use crate::run::check::{show_bytes, Judgement, Observation};
use crate::tls::pki::ClientCert;

/// How a passing refusal's `provided` begins (the matrix shows it as `refused`).
pub const REFUSED: &str = "refused: ";

fn fail(detail: impl Into<String>, sent: String, expected: &str, provided: String) -> Observation {
    obs(Judgement::Fail, detail, sent, expected, provided)
}

/// REQ-TLS-1: the end-entity certificate the server presents is the one of `tls.cert`.
fn server_certificate(t: &Target) -> Observation {
    let sent = "a TLS handshake with the valid client certificate".to_owned();
    let expected = "the certificate of tls.cert, over TLS 1.2 or 1.3";
    let Some(clients) = t.tls else {
        return fail("not a TLS run", sent, expected, String::new());
    };
    let conn = match t.connect() {
        Ok(conn) => conn,
        Err(why) => return fail(why, sent, expected, String::new()),
    };
    match conn.server_certificate() {
        Some((cert, version)) if cert == clients.pki.server_cert.as_ref() => {
            if version == "TLSv1_3" || version == "TLSv1_2" {
                pass(format!("{sent} ({version})"))
            } else {
                fail(format!("it spoke {version}"), sent, expected, version)
            }
        }
        Some((cert, _)) => fail(
            "the server presented another certificate than tls.cert",
            sent,
            expected,
            format!("a certificate of {} bytes", cert.len()),
        ),
        None => fail("no server certificate", sent, expected, String::new()),
    }
}

/// What a client with `client` got for the step's frame.
fn with_client(client: Option<ClientCert>, step: &Step, t: &Target) -> Result<Answer, String> {
    let mut conn = t.connect_as(client)?;
    conn.send(&frame(&step.envelope))?;
    Ok(conn.answer(t.timeout))
}

/// REQ-TLS-2, REQ-TLS-3: refused at (or right after) the handshake, no answer; then the same
/// frame with the valid certificate gets its verdict.
fn refused(client: Option<ClientCert>, step: &Step, t: &Target) -> Observation {
    let who = client.map_or("no client certificate", ClientCert::describe);
    let sent = format!("with {who}: {}", show_bytes(&step.envelope));
    let expected = "the handshake fails or the connection closes, without an answer";
    let how = match with_client(client, step, t) {
        // A failed handshake, or (TLS 1.3: the client's side completes before the server has
        // judged its certificate) the server's alert or close on the first read.
        Err(why) => why,
        Ok(closed @ (Answer::Closed { partial: 0 } | Answer::Error(_))) => closed.to_string(),
        Ok(Answer::Verdict(v)) => {
            let said = show_bytes(&sipc_vectors::text::compact(&v));
            return fail(
                format!("the server answered a client with {who}: {said}"),
                sent,
                expected,
                said,
            );
        }
        Ok(other) => {
            return fail(
                format!("with {who}: {other}"),
                sent,
                expected,
                other.to_string(),
            )
        }
    };
    let o = frames(std::slice::from_ref(step), t);
    if o.judgement == Judgement::Pass {
        // How it was refused, for the matrix's cell.
        Observation {
            provided: format!("{REFUSED}{how}"),
            ..pass(sent)
        }
    } else {
        Observation {
            detail: format!(
                "after the refused connection, the same frame with the valid certificate: {}",
                o.detail
            ),
            ..o
        }
    }
}

/// REQ-TLS-2: a client with `client` is served like one with the valid certificate.
fn served(client: ClientCert, step: &Step, t: &Target) -> Observation {
    let sent = format!("with {}: {}", client.describe(), show_bytes(&step.envelope));
    match with_client(Some(client), step, t) {
        Ok(Answer::Verdict(v)) => {
            crate::run::check::judge_step(&v, &step.expected, t.ctx, "", sent)
        }
        Ok(other) => fail(other.to_string(), sent, "its verdict", other.to_string()),
        Err(why) => fail(why, sent, "its verdict", String::new()),
    }
}

/// Runs one TLS script against the main server.
pub fn run(script: &TlsScript, t: &Target) -> Observation {
    match script {
        TlsScript::ServerCertificate => server_certificate(t),
        TlsScript::Refused { client, step } => refused(*client, step, t),
        TlsScript::Served { client, step } => served(*client, step, t),
    }
}
