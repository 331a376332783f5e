//! The three correct adapters pass every published vector, through `sipc run`.

mod common;

use common::{sipc, vector_count};

fn passes_everything(adapter: &str) {
    let total = vector_count();
    let run = sipc(&["run", "--strict", "--adapter", adapter], b"");
    assert_eq!(run.status, 0, "{adapter}:\n{}\n{}", run.stdout, run.stderr);
    assert_eq!(
        run.stdout.lines().last(),
        Some(format!("{total} passed, 0 failed, 0 skipped").as_str()),
        "{adapter}:\n{}",
        run.stdout
    );
}

/// The Rust reference behind `sipc adapter`.
#[test]
fn rust_reference_adapter_passes_all() {
    passes_everything(&format!("{} adapter", env!("CARGO_BIN_EXE_sipc")));
}

/// The Python 3 implementation (standard library only).
#[test]
fn python_adapter_passes_all() {
    passes_everything("python3 conformance/adapters/python/sipc_adapter.py");
}

/// The Node implementation (no npm dependencies).
#[test]
fn node_adapter_passes_all() {
    passes_everything("node conformance/adapters/node/sipc_adapter.js");
}

/// The generator makes a suite for another config that the adapters pass too: other key,
/// kinds, limits and cache size.
#[test]
fn vectors_for_a_user_config_pass_on_every_adapter() {
    let dir = common::temp_dir("user-vectors");
    let config = dir.join("my-config.json");
    std::fs::write(
        &config,
        r#"{"transport":"tcp_local","bind_host":"::1","bind_port":7070,
            "auth":{"mode":"hmac","secret_hex":"FFEEDDCCBBAA99887766554433221100ffeeddccbbaa99887766554433221100aa",
                    "ttl_seconds":300,"nonce_cache_size":5},
            "max_payload_bytes":100,"allowed_kinds":["a","billing.charge-v2"]}"#,
    )
    .unwrap();
    let out = dir.join("vectors");
    let run = sipc(
        &[
            "vectors",
            "generate",
            "--config",
            config.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("wrote 9 files"), "{}", run.stdout);
    let generated = std::fs::read_to_string(out.join("envelope.json")).unwrap();
    assert!(generated.contains("billing.charge-v2") && generated.contains("\"ttl_seconds\": 300"));
    for adapter in [
        format!("{} adapter", env!("CARGO_BIN_EXE_sipc")),
        "python3 conformance/adapters/python/sipc_adapter.py".into(),
        "node conformance/adapters/node/sipc_adapter.js".into(),
    ] {
        let run = sipc(
            &[
                "run",
                "--strict",
                "--vectors",
                out.to_str().unwrap(),
                "--adapter",
                &adapter,
            ],
            b"",
        );
        assert_eq!(run.status, 0, "{adapter}:\n{}", run.stdout);
        assert!(
            run.stdout.contains(" passed, 0 failed, 0 skipped"),
            "{}",
            run.stdout
        );
    }
    std::fs::remove_dir_all(dir).unwrap();
}
