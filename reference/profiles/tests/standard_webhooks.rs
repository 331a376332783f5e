//! spec/profiles/standard-webhooks.md, one test per requirement, named by its REQ id.

mod common;

use common::*;
use sipc_profiles::{Application, Message, Profile, ProfileConfig};

const BODY: &[u8] = br#"{"type":"x"}"#;

fn base() -> Message {
    signed(&sw(), "msg_1", NOW, BODY)
}

/// REQ-SW-1: each header is required, non-empty, and found whatever the case of its name.
#[test]
fn req_sw_1_headers_required_case_insensitive() {
    let v = sw();
    for i in 0..3 {
        let mut m = base();
        m.headers.remove(i);
        assert_eq!(code(&v, &m, NOW), "missing_header");
        let mut m = base();
        m.headers[i].1.clear();
        assert_eq!(code(&v, &m, NOW), "missing_header");
    }
    let mut m = base();
    for (n, _) in &mut m.headers {
        *n = n.to_ascii_uppercase();
    }
    assert_eq!(code(&v, &m, NOW), "accept");
    let mut m = base();
    for (n, _) in &mut m.headers {
        *n = n.replace("webhook-", "svix-");
    }
    assert_eq!(code(&v, &m, NOW), "missing_header");
}

/// REQ-SW-2: a header sent twice is refused, even with the same value.
#[test]
fn req_sw_2_repeated_header_refused() {
    let mut m = base();
    let h = m.headers[2].clone();
    m.headers.push(h);
    assert_eq!(code(&sw(), &m, NOW), "duplicate_header");
}

/// REQ-SW-3: an id with a full stop is refused, even when signed as given.
#[test]
fn req_sw_3_id_without_full_stop() {
    let v = sw();
    assert_eq!(
        code(&v, &signed(&v, "msg.1", NOW, BODY), NOW),
        "malformed_header"
    );
}

/// REQ-SW-4: only canonical decimal timestamps up to 2^53 - 1, signed over the text.
#[test]
fn req_sw_4_timestamp_syntax() {
    let v = sw();
    for text in [
        "+1700000000",
        "01700000000",
        " 1700000000",
        "1700000000.0",
        "1.7e9",
        "1_700_000_000",
        "-1",
        "NaN",
        "",
        "9007199254740992",
        "١٧٠٠٠٠٠٠٠٠",
    ] {
        let m = Message {
            headers: v.sign("msg_1", text, BODY),
            body: BODY.to_vec(),
        };
        let want = if text.is_empty() {
            "missing_header"
        } else {
            "malformed_timestamp"
        };
        assert_eq!(code(&v, &m, NOW), want, "{text:?}");
    }
    let m = Message {
        headers: v.sign("msg_1", "9007199254740991", BODY),
        body: BODY.to_vec(),
    };
    assert_eq!(code(&v, &m, NOW), "future");
}

/// REQ-SW-5: the signature covers id, timestamp and body bytes; any body, bytes included.
#[test]
fn req_sw_5_signed_content() {
    let v = sw();
    for body in [&b""[..], b"not json", b"\xff\xfe"] {
        assert_eq!(code(&v, &signed(&v, "msg_1", NOW, body), NOW), "accept");
    }
    let mut m = signed(&v, "msg_1", NOW, b"\xff");
    m.body = b"\xfe".to_vec();
    assert_eq!(code(&v, &m, NOW), "bad_signature");
    let m = with_header(&base(), "webhook-id", "msg_2");
    assert_eq!(code(&v, &m, NOW), "bad_signature");
    let m = with_header(&base(), "webhook-timestamp", &(NOW + 1).to_string());
    assert_eq!(code(&v, &m, NOW), "bad_signature");
}

/// REQ-SW-6: whsec_ + canonical standard base64 of 24 to 64 bytes.
#[test]
fn req_sw_6_secret() {
    let field = |secret: &str| {
        let config = format!(r#"{{"secret":"{secret}"}}"#);
        Profile::StandardWebhooks
            .verifier(config.as_bytes())
            .err()
            .and_then(|e| e.field().map(str::to_owned))
    };
    assert_eq!(field("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), None);
    assert_eq!(
        field("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").as_deref(),
        Some("secret")
    );
    assert_eq!(field("whsec_AAAA").as_deref(), Some("secret"), "3 bytes");
    assert_eq!(
        field("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS").as_deref(),
        Some("secret"),
        "bad length"
    );
    assert_eq!(
        field(&format!("whsec_{}", "A".repeat(88))).as_deref(),
        Some("secret"),
        "66 bytes"
    );
}

/// REQ-SW-7: space-delimited `version,signature` entries; only v1 counts; rotation.
#[test]
fn req_sw_7_signature_list() {
    let v = sw();
    let good = header(&base(), "webhook-signature");
    let sig = good.trim_start_matches("v1,");
    for (list, want) in [
        (format!("v1,AAAA {good}"), "accept"),
        (format!("{good} v1,AAAA"), "accept"),
        // Any one match is enough, so two are too (a XOR of the compares would refuse this).
        (format!("{good} {good}"), "accept"),
        (format!("v1,AAAA {good} {good}"), "accept"),
        (format!("v2,{sig}"), "no_signature"),
        (format!("v1a,{sig}"), "no_signature"),
        (format!(" {good}"), "malformed_header"),
        (format!("{good}  {good}"), "malformed_header"),
        (format!("junk {good}"), "malformed_header"),
        (format!(",{sig}"), "malformed_header"),
    ] {
        assert_eq!(
            code(&v, &with_header(&base(), "webhook-signature", &list), NOW),
            want,
            "{list}"
        );
    }
}

/// REQ-SW-8: the canonical padded base64 of the MAC, nothing else.
#[test]
fn req_sw_8_signature_encoding() {
    let v = sw();
    let good = header(&base(), "webhook-signature");
    for bad in [
        good.trim_end_matches('='),
        &good[..good.len() - 2],
        &format!("{good}A"),
        &format!("{good},x"),
        &good.to_ascii_lowercase(),
        &good.replace('+', "-").replace('/', "_"),
    ] {
        if bad == good {
            continue;
        }
        assert_eq!(
            code(&v, &with_header(&base(), "webhook-signature", bad), NOW),
            "bad_signature",
            "{bad}"
        );
    }
}

/// REQ-SW-9: inclusive at both ends; one second further is refused.
#[test]
fn req_sw_9_tolerance() {
    let v = sw();
    let at = |ts: u64| code(&v, &signed(&v, "msg_1", ts, BODY), NOW);
    assert_eq!(at(NOW - 300), "accept");
    assert_eq!(at(NOW + 300), "accept");
    assert_eq!(at(NOW - 301), "expired");
    assert_eq!(at(NOW + 301), "future");
    assert_eq!(at(0), "expired");
}

/// REQ-SW-10: the signer signs exactly what it is given, and its verifier accepts it.
#[test]
fn req_sw_10_signer() {
    let v = sw();
    let headers = v.sign("msg_1", "1700000000", BODY);
    assert_eq!(headers[0], ("webhook-id".into(), "msg_1".into()));
    assert_eq!(
        headers[1],
        ("webhook-timestamp".into(), "1700000000".into())
    );
    assert!(headers[2].1.starts_with("v1,") && headers[2].1.len() == 47);
    assert_eq!(
        code(
            &v,
            &Message {
                headers,
                body: BODY.to_vec()
            },
            NOW
        ),
        "accept"
    );
}

fn app() -> Application {
    let config = ProfileConfig::from_json(SW_CONFIG, "REQ-SW-6").unwrap();
    Application::new(Profile::StandardWebhooks, &config).unwrap()
}

/// REQ-SW-APP-1: each authenticated id once inside the window; forgeries record nothing; a
/// full cache refuses rather than evicts.
#[test]
fn req_sw_app_1_ids_once() {
    let v = sw();
    let mut a = app();
    let m = base();
    let mut forged = m.clone();
    forged.body.push(b' ');
    assert_eq!(a.receive(&forged, NOW).unwrap_err().code(), "bad_signature");
    assert_eq!(a.receive(&m, NOW), Ok(()));
    assert_eq!(a.receive(&m, NOW + 1).unwrap_err().code(), "replay");
    assert_eq!(
        a.receive(&signed(&v, "msg_1", NOW + 5, BODY), NOW + 5)
            .unwrap_err()
            .code(),
        "replay"
    );
    assert_eq!(a.receive(&signed(&v, "msg_2", NOW, BODY), NOW), Ok(()));
    assert_eq!(
        a.receive(&signed(&v, "msg_3", NOW, BODY), NOW)
            .unwrap_err()
            .code(),
        "cache_full"
    );
    // Once msg_1 and msg_2 left the window (ts + 300), msg_3 fits.
    assert_eq!(
        a.receive(&signed(&v, "msg_3", NOW + 301, BODY), NOW + 306),
        Ok(())
    );
}

/// The config (spec/profiles/standard-webhooks.md § Config): its defaults, and the bounds of
/// each number, at the bound and one past it.
#[test]
fn config_defaults_and_bounds() {
    const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    let parse = |rest: &str| {
        ProfileConfig::from_json(
            format!(r#"{{"secret":"{SECRET}"{rest}}}"#).as_bytes(),
            "REQ-SW-6",
        )
    };
    let defaults = parse("").unwrap();
    assert_eq!(
        (
            defaults.tolerance,
            defaults.max_body_bytes,
            defaults.max_ids
        ),
        (300, 1_048_576, 100_000)
    );
    for (rest, field) in [
        (r#","tolerance_seconds":604800"#, None),
        (r#","tolerance_seconds":604801"#, Some("tolerance_seconds")),
        (r#","application":{"max_ids":1}"#, None),
        (r#","application":{"max_ids":10000000}"#, None),
        (
            r#","application":{"max_ids":0}"#,
            Some("application.max_ids"),
        ),
        (
            r#","application":{"max_ids":10000001}"#,
            Some("application.max_ids"),
        ),
        (r#","application":{"x":1}"#, Some("application")),
    ] {
        let got = parse(rest)
            .err()
            .map(|e| e.field().unwrap_or("").to_owned());
        assert_eq!(got.as_deref(), field, "{rest}");
    }
}

/// REQ-SW-APP-2: the body limit comes first, at exactly the limit accepted.
#[test]
fn req_sw_app_2_body_limit() {
    let v = sw();
    let mut a = app();
    assert_eq!(a.receive(&signed(&v, "a", NOW, &[b'x'; 64]), NOW), Ok(()));
    let mut over = signed(&v, "b", NOW, &[b'x'; 65]);
    over.headers.clear();
    assert_eq!(a.receive(&over, NOW).unwrap_err().code(), "oversize");
}
