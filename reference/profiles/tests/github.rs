//! spec/profiles/github.md, one test per requirement, named by its REQ id.

mod common;

use common::*;
use sipc_profiles::{Message, Profile, Verifier};

const CONFIG: &[u8] = br#"{"secret":"It's a Secret to Everybody"}"#;
const BODY: &[u8] = b"Hello, World!";
/// GitHub's documented test value.
const DOC: &str = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

fn github() -> Verifier {
    Profile::Github.verifier(CONFIG).unwrap()
}

fn with(headers: &[(&str, &str)]) -> Message {
    Message {
        headers: headers
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect(),
        body: BODY.to_vec(),
    }
}

/// REQ-GITHUB-1: the header is required and non-empty; its name in any case.
#[test]
fn req_github_1_header() {
    let v = github();
    assert_eq!(code(&v, &with(&[]), NOW), "missing_header");
    assert_eq!(
        code(&v, &with(&[("X-Hub-Signature-256", "")]), NOW),
        "missing_header"
    );
    assert_eq!(
        code(&v, &with(&[("x-hub-signature-256", DOC)]), NOW),
        "accept"
    );
}

/// REQ-GITHUB-2: a repeated header is refused.
#[test]
fn req_github_2_repeated() {
    let h = ("X-Hub-Signature-256", DOC);
    assert_eq!(code(&github(), &with(&[h, h]), NOW), "duplicate_header");
}

/// REQ-GITHUB-3: exactly `sha256=` before the hex.
#[test]
fn req_github_3_prefix() {
    let hex = &DOC["sha256=".len()..];
    for value in [
        hex.to_owned(),
        format!("SHA256={hex}"),
        format!("sha1={hex}"),
    ] {
        assert_eq!(
            code(&github(), &with(&[("X-Hub-Signature-256", &value)]), NOW),
            "malformed_header",
            "{value}"
        );
    }
}

/// REQ-GITHUB-4: HMAC-SHA256 of the raw body, lowercase hex; the documented test value.
#[test]
fn req_github_4_signature() {
    let v = github();
    assert_eq!(
        code(&v, &with(&[("X-Hub-Signature-256", DOC)]), NOW),
        "accept"
    );
    let upper = format!("sha256={}", DOC["sha256=".len()..].to_ascii_uppercase());
    assert_eq!(
        code(&v, &with(&[("X-Hub-Signature-256", &upper)]), NOW),
        "bad_signature"
    );
    let mut other = with(&[("X-Hub-Signature-256", DOC)]);
    other.body.push(b'\n');
    assert_eq!(code(&v, &other, NOW), "bad_signature");
    assert_eq!(
        code(&v, &with(&[("X-Hub-Signature-256", &DOC[..70])]), NOW),
        "bad_signature"
    );
}

/// REQ-GITHUB-5: the legacy SHA-1 header is never read.
#[test]
fn req_github_5_no_sha1() {
    let sha1 = "sha1=01dc10d0c83e72ed246219cdd91669667fe2ca59";
    assert_eq!(
        code(&github(), &with(&[("X-Hub-Signature", sha1)]), NOW),
        "missing_header"
    );
}

/// REQ-GITHUB-6: a non-empty secret; the clock plays no part.
#[test]
fn req_github_6_config() {
    assert_eq!(
        Profile::Github
            .verifier(br#"{"secret":""}"#)
            .unwrap_err()
            .code(),
        "config_invalid"
    );
    assert_eq!(
        code(&github(), &with(&[("X-Hub-Signature-256", DOC)]), 0),
        "accept"
    );
    assert_eq!(
        code(&github(), &with(&[("X-Hub-Signature-256", DOC)]), u64::MAX),
        "accept"
    );
}

/// REQ-GITHUB-7: the signer's header is the documented one.
#[test]
fn req_github_7_sign() {
    let v = github();
    assert_eq!(
        v.sign("", "", BODY),
        vec![("X-Hub-Signature-256".to_string(), DOC.to_string())]
    );
    assert_eq!(code(&v, &signed(&v, "", 0, b"{}"), NOW), "accept");
}
