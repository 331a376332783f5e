//! Every published vector file is valid against `vectors/schemas/sipc_vectors_v1.schema.json`,
//! and the schema refuses what it should.

use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn validator() -> jsonschema::Validator {
    let schema: serde_json::Value = serde_json::from_slice(
        &std::fs::read(root().join("schemas/sipc_vectors_v1.schema.json")).unwrap(),
    )
    .unwrap();
    jsonschema::draft202012::new(&schema).unwrap()
}

fn files_in(dir: &str) -> Vec<(String, serde_json::Value)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(root().join("testvectors").join(dir)).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            let value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
            out.push((
                format!("{dir}{}", path.file_name().unwrap().to_string_lossy()),
                value,
            ));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn files() -> Vec<(String, serde_json::Value)> {
    files_in("")
}

/// The files of the profiles other than SIPC/1 (`testvectors/<profile>/`).
fn profile_files() -> Vec<(String, serde_json::Value)> {
    let mut out = Vec::new();
    for profile in sipc_profiles::Profile::ALL {
        out.extend(files_in(&format!("{}/", profile.name())));
    }
    out.extend(files_in("audit/"));
    out
}

/// Each published file validates.
#[test]
fn every_published_file_validates() {
    let validator = validator();
    let mut files = files();
    assert_eq!(files.len(), 9);
    let profiles = profile_files();
    // 7 + 7 (standard-webhooks, stripe), 5 (github), 6 (slack), 3 + 3 (HMAC-JSON), and one
    // audit file per profile, SIPC/1 included.
    assert_eq!(profiles.len(), 14 + 5 + 6 + 3 + 3 + 7);
    files.extend(profiles);
    for (name, value) in &files {
        let errors: Vec<String> = validator
            .iter_errors(value)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .take(5)
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:#?}");
    }
}

/// The schema is not vacuous: breaking a file in typical ways makes it invalid.
#[test]
fn schema_refuses_broken_files() {
    let validator = validator();
    let (_, file) = files()
        .into_iter()
        .find(|(n, _)| n == "signature.json")
        .unwrap();
    type Mutation = Box<dyn Fn(&mut serde_json::Value)>;
    let mutations: Vec<(&str, Mutation)> = vec![
        (
            "unknown top-level member",
            Box::new(|f| {
                f["extra"] = 1.into();
            }),
        ),
        (
            "wrong suite",
            Box::new(|f| {
                f["suite"] = "SIPC/2".into();
            }),
        ),
        (
            "unknown result",
            Box::new(|f| {
                f["testGroups"][0]["tests"][0]["result"] = "maybe".into();
            }),
        ),
        (
            "unknown error code",
            Box::new(|f| {
                f["testGroups"][0]["tests"][0]["error"] = "bad_mac".into();
            }),
        ),
        (
            "invalid without error",
            Box::new(|f| {
                f["testGroups"][0]["tests"][0]
                    .as_object_mut()
                    .unwrap()
                    .remove("error");
            }),
        ),
        (
            "no envelope",
            Box::new(|f| {
                f["testGroups"][0]["tests"][0]
                    .as_object_mut()
                    .unwrap()
                    .remove("envelope");
            }),
        ),
        (
            "both envelope forms",
            Box::new(|f| {
                f["testGroups"][0]["tests"][0]["envelope_b64"] = "AA==".into();
            }),
        ),
        (
            "a req that is no REQ id",
            Box::new(|f| {
                f["testGroups"][0]["tests"][0]["req"] = serde_json::json!(["SIG-1"]);
            }),
        ),
        (
            "no req",
            Box::new(|f| {
                f["testGroups"][0]["tests"][0]["req"] = serde_json::json!([]);
            }),
        ),
        (
            "negative now",
            Box::new(|f| {
                f["testGroups"][0]["tests"][0]["now"] = (-1).into();
            }),
        ),
        (
            "unknown group type",
            Box::new(|f| {
                f["testGroups"][0]["type"] = "FooTest".into();
            }),
        ),
        (
            "bad bug type",
            Box::new(|f| {
                f["notes"]["MissingSig"]["bugType"] = "OOPS".into();
            }),
        ),
    ];
    assert!(file["testGroups"][0]["tests"][0]["error"] == "sig_missing");
    assert!(validator.is_valid(&file));
    for (what, mutate) in mutations {
        let mut broken = file.clone();
        mutate(&mut broken);
        assert!(
            !validator.is_valid(&broken),
            "the schema accepts a file with {what}"
        );
    }
}

/// The profile groups are checked too: a header that is not a pair, an unknown code, a sign
/// test without headers are refused.
#[test]
fn schema_refuses_broken_profile_vectors() {
    let validator = validator();
    let (_, file) = profile_files()
        .into_iter()
        .find(|(n, _)| n == "stripe/message.json")
        .unwrap();
    assert!(validator.is_valid(&file));
    let mut pair = file.clone();
    pair["testGroups"][0]["tests"][0]["message"]["headers"][0] = serde_json::json!(["a", "b", "c"]);
    assert!(!validator.is_valid(&pair), "a header of three strings");
    let mut code = file.clone();
    let test = code["testGroups"][0]["tests"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|t| t["result"] == "invalid")
        .unwrap();
    test["error"] = serde_json::json!("malformed");
    assert!(
        !validator.is_valid(&code),
        "a SIPC/1 code in a profile test"
    );
    let (_, sign) = profile_files()
        .into_iter()
        .find(|(n, _)| n == "stripe/sign.json")
        .unwrap();
    assert!(validator.is_valid(&sign));
    let mut missing = sign.clone();
    missing["testGroups"][0]["tests"][0]
        .as_object_mut()
        .unwrap()
        .remove("headers");
    assert!(!validator.is_valid(&missing), "a sign test without headers");
}
