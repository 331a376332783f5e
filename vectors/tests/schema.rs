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

fn files() -> Vec<(String, serde_json::Value)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(root().join("testvectors")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            let value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
            out.push((
                path.file_name().unwrap().to_string_lossy().into_owned(),
                value,
            ));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Each published file validates.
#[test]
fn every_published_file_validates() {
    let validator = validator();
    let files = files();
    assert_eq!(files.len(), 9);
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
