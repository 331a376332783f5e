//! The published files are exactly what the generator makes from the default config.
//! `SIPC_BLESS=1 cargo test -p sipc-vectors --test published` rewrites them.

use sipc_vectors::{default_config, generate, load};
use std::collections::BTreeSet;
use std::path::PathBuf;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testvectors")
}

fn published() -> Vec<(String, Vec<u8>)> {
    generate(&default_config().unwrap())
        .unwrap_or_else(|problems| panic!("generator: {problems:#?}"))
}

/// Regenerating changes no byte, and there is no file the generator does not make.
#[test]
fn regenerating_changes_no_byte() {
    let files = published();
    if std::env::var_os("SIPC_BLESS").is_some() {
        for (name, bytes) in &files {
            std::fs::write(dir().join(name), bytes).unwrap();
        }
    }
    let on_disk: BTreeSet<String> = std::fs::read_dir(dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".json"))
        .collect();
    let made: BTreeSet<String> = files.iter().map(|(n, _)| n.clone()).collect();
    assert_eq!(on_disk, made, "files in vectors/testvectors");
    for (name, bytes) in files {
        let disk = std::fs::read(dir().join(&name)).unwrap();
        assert!(disk == bytes, "{name} differs from the generator's output; run SIPC_BLESS=1 cargo test -p sipc-vectors --test published");
    }
}

/// Generating twice gives the same bytes (no hash-map order, no clock).
#[test]
fn generation_is_deterministic() {
    assert_eq!(published(), published());
}

/// Every file reads back; tcIds are unique over the suite; every test cites at least one REQ
/// id that the spec defines.
#[test]
fn files_read_back_with_unique_ids() {
    let spec = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../spec/SIPC-1.md"),
    )
    .unwrap();
    let mut ids = BTreeSet::new();
    let mut total = 0;
    for (name, bytes) in published() {
        let file = load::read(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        for case in &file.cases {
            assert!(ids.insert(case.tc_id), "tcId {} twice", case.tc_id);
            assert!(
                !case.req.is_empty(),
                "tcId {} cites no requirement",
                case.tc_id
            );
            for req in &case.req {
                assert!(
                    spec.contains(&format!("**{req}**")),
                    "tcId {} cites {req}, which the spec does not define",
                    case.tc_id
                );
            }
            for flag in &case.flags {
                assert!(
                    file.notes.iter().any(|n| &n.flag == flag),
                    "tcId {}: flag {flag} has no note",
                    case.tc_id
                );
            }
        }
        total += file.cases.len();
    }
    assert!(total > 400, "only {total} tests");
}

/// Each profile's published files (`testvectors/<profile>/`) are exactly what the generator
/// makes from the profile's default config; `SIPC_BLESS=1` rewrites them.
#[test]
fn profile_files_regenerate_byte_identical() {
    use sipc_profiles::Profile;
    use sipc_vectors::profiles;
    for profile in Profile::ALL {
        let dir = dir().join(profile.name());
        let files = profiles::generate(*profile, &profiles::default_config(*profile))
            .unwrap_or_else(|problems| panic!("{}: {problems:#?}", profile.name()));
        if std::env::var_os("SIPC_BLESS").is_some() {
            std::fs::create_dir_all(&dir).unwrap();
            for (name, bytes) in &files {
                std::fs::write(dir.join(name), bytes).unwrap();
            }
        }
        let on_disk: BTreeSet<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.ends_with(".json"))
            .collect();
        let made: BTreeSet<String> = files.iter().map(|(n, _)| n.clone()).collect();
        assert_eq!(on_disk, made, "files in {}", dir.display());
        for (name, bytes) in files {
            let disk = std::fs::read(dir.join(&name)).unwrap();
            assert!(
                disk == bytes,
                "{}/{name} differs from the generator's output; run SIPC_BLESS=1 cargo test -p sipc-vectors --test published",
                profile.name()
            );
        }
    }
}

/// The audit files (`testvectors/audit/<profile>.json`, spec/AUDIT.md) are exactly what the
/// generator makes, one per profile, SIPC/1 included, each probing all seven properties;
/// `SIPC_BLESS=1` rewrites them.
#[test]
fn audit_files_regenerate_byte_identical() {
    use sipc_vectors::audit::{self, Property};
    let dir = dir().join("audit");
    let mut names = BTreeSet::new();
    for profile in audit::profiles() {
        let bytes = audit::generate(profile).unwrap_or_else(|p| panic!("{profile}: {p:#?}"));
        let name = format!("{profile}.json");
        if std::env::var_os("SIPC_BLESS").is_some() {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(dir.join(&name), &bytes).unwrap();
        }
        assert!(
            std::fs::read(dir.join(&name)).unwrap() == bytes,
            "audit/{name} differs from the generator's output; run SIPC_BLESS=1 cargo test -p sipc-vectors --test published"
        );
        let file = sipc_vectors::load::read(&bytes).unwrap();
        for property in Property::ALL {
            assert!(
                file.cases
                    .iter()
                    .any(|c| c.flags.iter().any(|f| f == property.flag())),
                "{profile}: no probe of {}",
                property.flag()
            );
        }
        names.insert(name);
    }
    let on_disk: BTreeSet<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(on_disk, names);
}
