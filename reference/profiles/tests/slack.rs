//! spec/profiles/slack.md, one test per requirement, named by its REQ id.

mod common;

use common::*;
use sipc_profiles::{Message, Profile, Verifier};

const DOC_CONFIG: &[u8] = br#"{"secret":"8f742231b10e8888abcd99yyyzzz85a5"}"#;
const DOC_TS: u64 = 1_531_420_618;
const DOC_BODY: &[u8] = b"token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
const DOC_SIG: &str = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

fn slack() -> Verifier {
    Profile::Slack.verifier(DOC_CONFIG).unwrap()
}

fn doc(ts: &str, sig: &str) -> Message {
    Message {
        headers: vec![
            ("X-Slack-Request-Timestamp".into(), ts.into()),
            ("X-Slack-Signature".into(), sig.into()),
        ],
        body: DOC_BODY.to_vec(),
    }
}

fn ok() -> Message {
    doc(&DOC_TS.to_string(), DOC_SIG)
}

/// REQ-SLACK-1: both headers required, names in any case.
#[test]
fn req_slack_1_headers() {
    let v = slack();
    let mut m = ok();
    m.headers.remove(0);
    assert_eq!(code(&v, &m, DOC_TS), "missing_header");
    let mut m = ok();
    m.headers.remove(1);
    assert_eq!(code(&v, &m, DOC_TS), "missing_header");
    let mut m = ok();
    for (n, _) in &mut m.headers {
        *n = n.to_ascii_lowercase();
    }
    assert_eq!(code(&v, &m, DOC_TS), "accept");
}

/// REQ-SLACK-2: a repeated header is refused.
#[test]
fn req_slack_2_repeated() {
    let mut m = ok();
    m.headers.push(m.headers[0].clone());
    assert_eq!(code(&slack(), &m, DOC_TS), "duplicate_header");
}

/// REQ-SLACK-3: canonical decimal timestamps only.
#[test]
fn req_slack_3_timestamp() {
    for ts in [
        "+1531420618",
        " 1531420618",
        "1531420618.0",
        "1.531420618e9",
        "",
    ] {
        let expected = if ts.is_empty() {
            "missing_header"
        } else {
            "malformed_timestamp"
        };
        assert_eq!(
            code(&slack(), &doc(ts, DOC_SIG), DOC_TS),
            expected,
            "{ts:?}"
        );
    }
}

/// REQ-SLACK-4: exactly `v0=` before the hex.
#[test]
fn req_slack_4_version() {
    let hex = &DOC_SIG[3..];
    for sig in [hex.to_owned(), format!("v1={hex}"), format!("V0={hex}")] {
        assert_eq!(
            code(&slack(), &doc(&DOC_TS.to_string(), &sig), DOC_TS),
            "malformed_header"
        );
    }
}

/// REQ-SLACK-5: HMAC of `v0:{ts}:{body}`: Slack's worked example; anything else fails.
#[test]
fn req_slack_5_signature() {
    let v = slack();
    assert_eq!(code(&v, &ok(), DOC_TS), "accept");
    let upper = format!("v0={}", DOC_SIG[3..].to_ascii_uppercase());
    assert_eq!(
        code(&v, &doc(&DOC_TS.to_string(), &upper), DOC_TS),
        "bad_signature"
    );
    assert_eq!(
        code(&v, &doc(&(DOC_TS + 1).to_string(), DOC_SIG), DOC_TS),
        "bad_signature"
    );
}

/// REQ-SLACK-6: five minutes either way, inclusive.
#[test]
fn req_slack_6_window() {
    let v = slack();
    assert_eq!(code(&v, &ok(), DOC_TS + 300), "accept");
    assert_eq!(code(&v, &ok(), DOC_TS + 301), "expired");
    assert_eq!(code(&v, &ok(), DOC_TS - 300), "accept");
    assert_eq!(code(&v, &ok(), DOC_TS - 301), "future");
}

/// REQ-SLACK-7: a non-empty secret, a bounded tolerance.
#[test]
fn req_slack_7_config() {
    assert_eq!(
        Profile::Slack
            .verifier(br#"{"secret":""}"#)
            .unwrap_err()
            .code(),
        "config_invalid"
    );
    assert_eq!(
        Profile::Slack
            .verifier(br#"{"secret":"x","tolerance_seconds":604801}"#)
            .unwrap_err()
            .field(),
        Some("tolerance_seconds")
    );
    // One week is the largest tolerance, and the verifier reports the one configured.
    let week = Profile::Slack
        .verifier(br#"{"secret":"x","tolerance_seconds":604800}"#)
        .unwrap();
    assert_eq!(week.tolerance(), 604_800);
    assert_eq!(slack().tolerance(), 300);
}

/// REQ-SLACK-8: the signer writes both headers; the example's signature.
#[test]
fn req_slack_8_sign() {
    let v = slack();
    let headers = v.sign("", &DOC_TS.to_string(), DOC_BODY);
    assert_eq!(headers, ok().headers);
    assert_eq!(code(&v, &signed(&v, "", NOW, b""), NOW), "accept");
}
