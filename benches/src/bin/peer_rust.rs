//! The Rust side of `benches/peers.sh`.
//!
//! `peer_rust write DIR SIZE COUNT` writes `DIR/config.json` (the bench config) and
//! `DIR/envelopes.txt`: COUNT canonical envelopes of SIZE payload bytes, one per line, with
//! distinct nonces, all signed at `ts` = 1700000000.
//!
//! `peer_rust verify DIR SECONDS` verifies the envelopes in turn, a fresh verifier per round,
//! for at least SECONDS, and prints `verifies_per_second=N`, as the Python and Node scripts do.

use sipc_benches::{config, fields, NOW};
use sipc_reference::{sign, Config, Verifier};
use std::time::{Duration, Instant};

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["write", dir, size, count] => write(dir, parse(size)?, parse(count)?),
        ["verify", dir, seconds] => verify(dir, parse(seconds)?),
        _ => Err("usage: peer_rust write DIR SIZE COUNT | peer_rust verify DIR SECONDS".into()),
    }
}

fn parse<T: std::str::FromStr>(text: &str) -> Result<T, String> {
    text.parse().map_err(|_| format!("not a number: {text}"))
}

fn write(dir: &str, size: usize, count: u64) -> Result<(), String> {
    let config = config();
    let mut lines = Vec::new();
    for i in 0..count {
        lines.extend_from_slice(&sign(&config.auth.secret, &fields(size, i)));
        lines.push(b'\n');
    }
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    std::fs::write(format!("{dir}/envelopes.txt"), lines).map_err(|e| e.to_string())?;
    std::fs::write(format!("{dir}/config.json"), sipc_benches::CONFIG_JSON)
        .map_err(|e| e.to_string())
}

fn verify(dir: &str, seconds: f64) -> Result<(), String> {
    let config =
        Config::from_json(&std::fs::read(format!("{dir}/config.json")).map_err(|e| e.to_string())?)
            .map_err(|e| format!("{e:?}"))?;
    let text = std::fs::read(format!("{dir}/envelopes.txt")).map_err(|e| e.to_string())?;
    let envelopes: Vec<&[u8]> = text
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .collect();
    let fresh = Verifier::new(config).map_err(|e| format!("{e:?}"))?;
    let (mut verified, mut elapsed) = (0u64, Duration::ZERO);
    while elapsed.as_secs_f64() < seconds {
        let mut verifier = fresh.clone();
        let start = Instant::now();
        for envelope in &envelopes {
            let message = verifier
                .verify(envelope, NOW)
                .map_err(|e| format!("{e:?}"))?;
            std::hint::black_box(message);
        }
        elapsed += start.elapsed();
        verified += envelopes.len() as u64;
    }
    println!(
        "verifies_per_second={:.0}",
        verified as f64 / elapsed.as_secs_f64()
    );
    Ok(())
}
