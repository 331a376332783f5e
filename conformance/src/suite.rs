//! The vectors a run uses: the published files built into `sipc`, or a folder made by
//! `sipc vectors generate`; and the `--filter` that selects among them.

use crate::error::Error;
use sipc_vectors::load::{read, Case, VectorFile};
use std::path::Path;

/// The published vector files, in run order.
pub const PUBLISHED: &[(&str, &[u8])] = &[
    (
        "canonicalization.json",
        include_bytes!("../../vectors/testvectors/canonicalization.json"),
    ),
    (
        "envelope.json",
        include_bytes!("../../vectors/testvectors/envelope.json"),
    ),
    (
        "signature.json",
        include_bytes!("../../vectors/testvectors/signature.json"),
    ),
    (
        "ttl.json",
        include_bytes!("../../vectors/testvectors/ttl.json"),
    ),
    (
        "replay.json",
        include_bytes!("../../vectors/testvectors/replay.json"),
    ),
    (
        "size.json",
        include_bytes!("../../vectors/testvectors/size.json"),
    ),
    (
        "kind.json",
        include_bytes!("../../vectors/testvectors/kind.json"),
    ),
    (
        "config.json",
        include_bytes!("../../vectors/testvectors/config.json"),
    ),
    (
        "sign.json",
        include_bytes!("../../vectors/testvectors/sign.json"),
    ),
];

/// Vector files: (file name, bytes), in run order.
pub type Files = &'static [(&'static str, &'static [u8])];

/// The published files of a profile (`vectors/testvectors/<profile>/`), in run order.
macro_rules! profile_files {
    ($dir:literal) => {
        profile_files!($dir: "message", "signature", "header", "timestamp", "application", "config", "sign")
    };
    ($dir:literal: $($area:literal),*) => {
        &[$((
            concat!($area, ".json"),
            include_bytes!(concat!("../../vectors/testvectors/", $dir, "/", $area, ".json")) as &[u8],
        )),*]
    };
}

/// The profiles `sipc` knows: a profile is its vectors (here), its reference
/// (`sipc-profiles`), its text (`spec/profiles/`) and its adapters. Adding one is a line here.
pub const PROFILES: &[(&str, Files)] = &[
    (SIPC1, PUBLISHED),
    ("standard-webhooks", profile_files!("standard-webhooks")),
    ("stripe", profile_files!("stripe")),
    (
        "github",
        profile_files!("github": "message", "signature", "header", "config", "sign"),
    ),
    (
        "slack",
        profile_files!("slack": "message", "signature", "header", "timestamp", "config", "sign"),
    ),
    (
        "hmac-json-insertion-order",
        profile_files!("hmac-json-insertion-order": "message", "signature", "config"),
    ),
    (
        "hmac-json-sorted-keys",
        profile_files!("hmac-json-sorted-keys": "message", "signature", "config"),
    ),
];

/// The audit probes of each profile (spec/AUDIT.md), SIPC/1 included.
pub const AUDIT: &[(&str, &[u8])] = &[
    (
        SIPC1,
        include_bytes!("../../vectors/testvectors/audit/sipc1.json"),
    ),
    (
        "standard-webhooks",
        include_bytes!("../../vectors/testvectors/audit/standard-webhooks.json"),
    ),
    (
        "stripe",
        include_bytes!("../../vectors/testvectors/audit/stripe.json"),
    ),
    (
        "github",
        include_bytes!("../../vectors/testvectors/audit/github.json"),
    ),
    (
        "slack",
        include_bytes!("../../vectors/testvectors/audit/slack.json"),
    ),
    (
        "hmac-json-insertion-order",
        include_bytes!("../../vectors/testvectors/audit/hmac-json-insertion-order.json"),
    ),
    (
        "hmac-json-sorted-keys",
        include_bytes!("../../vectors/testvectors/audit/hmac-json-sorted-keys.json"),
    ),
];

/// The name of the default profile.
pub use sipc_vectors::load::SIPC1;

/// The published files of `profile`.
pub fn published(profile: &str) -> Result<Files, Error> {
    PROFILES
        .iter()
        .find(|(name, _)| *name == profile)
        .map(|(_, files)| *files)
        .ok_or_else(|| {
            let names: Vec<&str> = PROFILES.iter().map(|(n, _)| *n).collect();
            Error::Usage(format!(
                "unknown profile {profile:?}; the profiles are {}",
                names.join(", ")
            ))
        })
}

/// The largest vector file read from a folder.
const MAX_FILE: u64 = 256 << 20;

/// `profile`'s built-in files, or every `*.json` of `dir` in the built-in order (then by
/// name); every file must belong to `profile`.
pub fn load(profile: &str, dir: Option<&Path>) -> Result<Vec<VectorFile>, Error> {
    let published = published(profile)?;
    let mut files = Vec::new();
    match dir {
        None => {
            for (name, bytes) in published {
                files.push(read(bytes).map_err(|e| Error::Usage(format!("{name}: {e}")))?);
            }
        }
        Some(dir) => {
            let mut names: Vec<String> = std::fs::read_dir(dir)
                .map_err(|e| Error::io(dir.display().to_string(), e))?
                .filter_map(|e| e.ok()?.file_name().into_string().ok())
                .filter(|n| n.ends_with(".json"))
                .collect();
            let rank = |n: &String| {
                published
                    .iter()
                    .position(|(p, _)| p == n)
                    .unwrap_or(usize::MAX)
            };
            names.sort_by(|a, b| rank(a).cmp(&rank(b)).then(a.cmp(b)));
            for name in names {
                let path = dir.join(&name);
                let bytes = crate::io::read_bounded(Some(&path), MAX_FILE)?;
                files.push(
                    read(&bytes).map_err(|e| Error::Usage(format!("{}: {e}", path.display())))?,
                );
            }
        }
    }
    if files.is_empty() {
        return Err(Error::Usage("no vector files".into()));
    }
    if let Some(other) = files.iter().find(|f| f.profile != profile) {
        return Err(Error::Usage(format!(
            "the vector file of area {} belongs to profile {}, not {profile} (use --profile {})",
            other.area, other.profile, other.profile
        )));
    }
    Ok(files)
}

/// `--filter`: comma-separated patterns, each a tcId, a family id (`SEC-IPC-04`), an area
/// (`replay`), or a prefix of a family id or area ending in `*` (`SEC-IPC-*`).
pub struct Filter(Vec<String>);

impl Filter {
    /// Parses the option; `None` selects everything.
    pub fn new(spec: Option<&str>) -> Filter {
        Filter(spec.map_or_else(Vec::new, |s| {
            s.split(',')
                .map(|p| p.trim().to_owned())
                .filter(|p| !p.is_empty())
                .collect()
        }))
    }

    /// Whether `case` is selected.
    pub fn matches(&self, case: &Case) -> bool {
        self.0.is_empty() || self.0.iter().any(|p| pattern_matches(p, case))
    }
}

/// Whether one pattern of `--filter` or of an expectations file names `case`.
pub fn pattern_matches(pattern: &str, case: &Case) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => case.id.starts_with(prefix) || case.file.starts_with(prefix),
        None => pattern == case.id || pattern == case.file || pattern == case.tc_id.to_string(),
    }
}
