//! `sipc`: the SIPC/1 conformance runner, the reference adapter, the vector generator, and
//! one-off canonicalize, sign and verify.
//!
//! Exit codes: 0 accepted / passed, 1 refused / a test failed, 2 usage, I/O or config error, or
//! an adapter that will not start or speak the protocol.

mod audit;
mod error;
mod fuzz;
mod io;
mod matrix;
mod oneoff;
mod process;
mod reference_adapter;
mod reference_profiles;
mod replicas;
mod report;
mod run;
mod serve;
mod shell;
mod spool;
mod suite;
mod tcp;
mod tls;

use clap::{Parser, Subcommand};
use error::Error;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

/// The default of `--timeout`, seconds per response.
const DEFAULT_TIMEOUT_SECONDS: f64 = 5.0;

#[derive(Parser)]
#[command(
    name = "sipc",
    version,
    about = "SIPC/1 signed IPC envelopes: conformance runner, vectors, canonicalize, sign, verify"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the conformance vectors through an implementation's adapter (spec/ADAPTER.md).
    Run(RunArgs),
    /// Differential fuzzing: mutated vectors through an adapter, every verdict compared with
    /// the reference's; disagreements are shrunk and written with a reproducer.
    Fuzz(FuzzArgs),
    /// Run the suite over several implementations and write the grid side by side: tests ×
    /// implementations, disagreements first (Markdown, JSON, a self-contained HTML page).
    Matrix(MatrixArgs),
    /// Audit a scheme (spec/AUDIT.md): what it guarantees (freshness, replay, coverage,
    /// interoperability, key handling, malleability, robustness), shown on an implementation.
    Audit(AuditArgs),
    /// Serve the Rust reference over the sipc-adapter/1 protocol on stdin/stdout.
    Adapter,
    /// Serve the Rust reference over TCP (SIPC/1 §12), a Unix socket (§13) or a spool folder
    /// (§14), as the config says.
    Serve {
        /// The receiver's config (SIPC/1 §10).
        #[arg(long)]
        config: PathBuf,
        /// With a spool config: the folder, which must be the config's `spool_dir` (for
        /// `sipc run --spool '… --dir {dir} …'`).
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// (Used by `sipc run --unix-server` as root: started as another uid, sends stdin's bytes
    /// to the abstract socket NAME and prints `closed` or what came back.)
    #[command(hide = true)]
    UnixProbe {
        /// The abstract socket's name, without `@`.
        #[arg(long)]
        abstract_name: String,
    },
    /// Generate test vectors.
    Vectors {
        #[command(subcommand)]
        command: VectorsCommand,
    },
    /// Print the RFC 8785 canonical form of a strict JSON text (file or stdin).
    Canon {
        /// The JSON file; stdin when absent.
        file: Option<PathBuf>,
    },
    /// Sign a message with the config's secret and print the envelope.
    Sign(oneoff::SignArgs),
    /// Verify one envelope (file or stdin); print the verdict as JSON.
    Verify {
        /// The receiver's config (SIPC/1 §10).
        #[arg(long)]
        config: PathBuf,
        /// Unix seconds; the system clock when absent.
        #[arg(long)]
        now: Option<u64>,
        /// The envelope file; stdin when absent.
        file: Option<PathBuf>,
    },
}

#[derive(clap::Args)]
struct RunArgs {
    /// The profile (signed-message scheme): sipc1 (SIPC/1, the default), standard-webhooks,
    /// stripe, github, slack, hmac-json-insertion-order, hmac-json-sorted-keys.
    #[arg(long, default_value = suite::SIPC1)]
    profile: String,
    /// The command that starts the adapter, run with `sh -c` (e.g. 'python3 adapter.py').
    #[arg(long, required_unless_present_any = ["list", "tcp_server", "unix_server", "spool"],
          conflicts_with_all = ["tcp_server", "unix_server", "spool"])]
    adapter: Option<String>,
    /// Run the TCP suite instead: the command that starts the server, with `{config}` where the
    /// config file's path goes (e.g. 'python3 server.py --config {config}').
    #[arg(long, conflicts_with = "unix_server")]
    tcp_server: Option<String>,
    /// Run the suite on a Unix socket instead (SIPC/1 §13): like --tcp-server, with a config
    /// naming a socket in the runner's own folder, open to the runner's uid.
    #[arg(long, conflicts_with = "spool")]
    unix_server: Option<String>,
    /// Run the spool profile instead (SIPC/1 §14): the command that starts a receiver reading a
    /// folder, with `{config}` (and, if it wants the folder too, `{dir}`), e.g.
    /// 'python3 receiver.py --dir {dir} --config {config}'.
    #[arg(long, conflicts_with = "tcp_server")]
    spool: Option<String>,
    /// With --tcp-server or --unix-server: under mutual TLS (SIPC/1 §15). The runner makes a
    /// PKI for the run, names its files in the config's `tls`, and adds the TLS tests.
    #[arg(long, conflicts_with_all = ["adapter", "spool"])]
    tls: bool,
    /// With --tcp-server: also start N replicas (2-8) with one config and one shared replay
    /// store (SIPC/1 §16), and run the replica tests. The store is a redis-server the runner
    /// starts on a free loopback port, unless --redis names one.
    #[arg(long, requires = "tcp_server", conflicts_with = "tls")]
    replicas: Option<usize>,
    /// With --replicas: the shared store to use (redis://127.0.0.1:PORT[/DB]); the runner
    /// then never stops it, so the store-failure test is a skip.
    #[arg(long, requires = "replicas")]
    redis: Option<String>,
    /// Vector files made by `sipc vectors generate`; the published vectors when absent.
    #[arg(long, conflicts_with_all = ["tcp_server", "unix_server", "spool"])]
    vectors: Option<PathBuf>,
    /// With --tcp-server: the config the server runs with (your key, kinds, limits, bind host);
    /// the published vectors' config when absent.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Only these tests: comma-separated tcIds, family ids, areas, or prefixes ending in `*`.
    #[arg(long)]
    filter: Option<String>,
    /// List the selected tests and exit.
    #[arg(long)]
    list: bool,
    /// A wrong error code on a correct refusal is a failure (a warning otherwise).
    #[arg(long)]
    strict: bool,
    /// Known failures and an error-code map (JSON, see spec/ADAPTER.md).
    #[arg(long)]
    expectations: Option<PathBuf>,
    /// Seconds to wait for each response.
    #[arg(long, default_value_t = DEFAULT_TIMEOUT_SECONDS)]
    timeout: f64,
    /// Write every result as JSON.
    #[arg(long)]
    report_json: Option<PathBuf>,
    /// Write JUnit XML.
    #[arg(long)]
    junit: Option<PathBuf>,
    /// Write the findings for a security reviewer as Markdown.
    #[arg(long)]
    report_md: Option<PathBuf>,
    /// Print nothing but the summary line.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(clap::Args)]
struct MatrixArgs {
    /// The profile: sipc1 (the default), standard-webhooks, stripe, github, slack,
    /// hmac-json-insertion-order, hmac-json-sorted-keys.
    #[arg(long, default_value = suite::SIPC1)]
    profile: String,
    /// An implementation, as NAME=COMMAND (repeat for each column, in order).
    #[arg(long = "adapter", required_unless_present_any = ["tcp_servers", "unix_servers", "spools"],
          conflicts_with_all = ["tcp_servers", "unix_servers", "spools"])]
    adapters: Vec<String>,
    /// Or TCP servers, as NAME=COMMAND with `{config}` (as `sipc run --tcp-server`).
    #[arg(long = "tcp-server", conflicts_with_all = ["unix_servers", "spools"])]
    tcp_servers: Vec<String>,
    /// Or servers on a Unix socket, as NAME=COMMAND (as `sipc run --unix-server`).
    #[arg(long = "unix-server", conflicts_with = "spools")]
    unix_servers: Vec<String>,
    /// Or spool receivers, as NAME=COMMAND (as `sipc run --spool`).
    #[arg(long = "spool")]
    spools: Vec<String>,
    /// With servers or receivers: the config they run with (the vectors' config when absent).
    #[arg(long)]
    config: Option<PathBuf>,
    /// With --tcp-server or --unix-server: under mutual TLS, as `sipc run --tls`.
    #[arg(long)]
    tls: bool,
    /// Vector files made by `sipc vectors generate`; the published vectors when absent.
    #[arg(long)]
    vectors: Option<PathBuf>,
    /// Only these tests (as `sipc run --filter`).
    #[arg(long)]
    filter: Option<String>,
    /// Seconds to wait for each response.
    #[arg(long, default_value_t = DEFAULT_TIMEOUT_SECONDS)]
    timeout: f64,
    /// Write the grid as Markdown.
    #[arg(long)]
    md: Option<PathBuf>,
    /// Write the grid as JSON.
    #[arg(long)]
    json: Option<PathBuf>,
    /// Write the grid as one self-contained HTML page.
    #[arg(long)]
    html: Option<PathBuf>,
}

#[derive(clap::Args)]
struct AuditArgs {
    /// The profile: sipc1 (the default), standard-webhooks, stripe, github, slack,
    /// hmac-json-insertion-order, hmac-json-sorted-keys.
    #[arg(long, default_value = suite::SIPC1)]
    profile: String,
    /// The command that starts a (correct) implementation's adapter, run with `sh -c`.
    #[arg(long)]
    adapter: String,
    /// Seconds to wait for each response.
    #[arg(long, default_value_t = DEFAULT_TIMEOUT_SECONDS)]
    timeout: f64,
    /// Write the report as Markdown.
    #[arg(long)]
    md: Option<PathBuf>,
    /// Write the report as JSON (vectors/schemas/sipc_audit_v1.schema.json).
    #[arg(long)]
    json: Option<PathBuf>,
}

#[derive(clap::Args)]
struct FuzzArgs {
    /// The profile (signed-message scheme): sipc1 (SIPC/1, the default), standard-webhooks,
    /// stripe, github, slack, hmac-json-insertion-order, hmac-json-sorted-keys.
    #[arg(long, default_value = suite::SIPC1)]
    profile: String,
    /// The command that starts the adapter, run with `sh -c`.
    #[arg(
        long,
        required_unless_present_any = ["tcp_server", "unix_server", "spool"],
        conflicts_with_all = ["tcp_server", "unix_server", "spool"]
    )]
    adapter: Option<String>,
    /// Fuzz a TCP server instead: its command, with `{config}` where the config file's path goes.
    #[arg(long, conflicts_with = "unix_server")]
    tcp_server: Option<String>,
    /// Fuzz a server on a Unix socket instead (as with `sipc run --unix-server`).
    #[arg(long, conflicts_with = "spool")]
    unix_server: Option<String>,
    /// Fuzz a spool receiver instead (as with `sipc run --spool`): each envelope a file.
    #[arg(long, conflicts_with = "tcp_server")]
    spool: Option<String>,
    /// With --tcp-server or --unix-server: under mutual TLS, as `sipc run --tls`.
    #[arg(long, conflicts_with_all = ["adapter", "spool"])]
    tls: bool,
    /// The seed of the mutations (a run is repeatable with it); from the clock when absent.
    #[arg(long)]
    seed: Option<u64>,
    /// Stop after this many seconds (60 when neither --time nor --iterations is given).
    #[arg(long)]
    time: Option<f64>,
    /// Stop after this many cases.
    #[arg(long)]
    iterations: Option<u64>,
    /// Stop after this many distinct findings.
    #[arg(long)]
    max_findings: Option<usize>,
    /// Where findings are written.
    #[arg(long, default_value = "sipc-fuzz-findings")]
    out: PathBuf,
    /// Replay one finding file and print both sides' answers (exit 1 if they still differ).
    #[arg(long)]
    reproduce: Option<PathBuf>,
    /// An expectations file; its error_map is applied to the implementation's codes.
    #[arg(long)]
    expectations: Option<PathBuf>,
    /// Vector files to mutate; the published vectors when absent.
    #[arg(long)]
    vectors: Option<PathBuf>,
    /// Seconds to wait for each response.
    #[arg(long, default_value_t = DEFAULT_TIMEOUT_SECONDS)]
    timeout: f64,
    /// No progress bar.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Subcommand)]
enum VectorsCommand {
    /// Write the vector files for a config (the published one when absent).
    Generate {
        /// The profile (signed-message scheme): sipc1 (SIPC/1, the default), standard-webhooks,
        /// stripe, github, slack, hmac-json-insertion-order, hmac-json-sorted-keys.
        #[arg(long, default_value = suite::SIPC1)]
        profile: String,
        /// The config (key, kinds, limits) to generate for.
        #[arg(long)]
        config: Option<PathBuf>,
        /// The folder to write into (created if missing).
        #[arg(long)]
        out: PathBuf,
    },
}

fn main() -> ExitCode {
    let command = match Cli::try_parse() {
        Ok(cli) => cli.command,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let result = match command {
        Command::Run(args) => run_command(args),
        Command::Fuzz(args) => fuzz_command(args),
        Command::Matrix(args) => matrix_command(args),
        Command::Audit(args) => audit_command(args),
        Command::Adapter => reference_adapter::serve().map(|()| ExitCode::SUCCESS),
        Command::Serve { config, dir } => serve::serve(&config, dir.as_deref()),
        Command::UnixProbe { abstract_name } => tcp::exec_unix::probe(&abstract_name),
        Command::Vectors {
            command:
                VectorsCommand::Generate {
                    profile,
                    config,
                    out,
                },
        } => generate(&profile, config, &out),
        Command::Canon { file } => oneoff::canon(file.as_deref()),
        Command::Sign(args) => oneoff::sign_command(args),
        Command::Verify { config, now, file } => oneoff::verify(&config, now, file.as_deref()),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("sipc: {error}");
            ExitCode::from(2)
        }
    }
}

fn generate(
    profile: &str,
    config: Option<PathBuf>,
    out: &std::path::Path,
) -> Result<ExitCode, Error> {
    suite::published(profile)?;
    let files = match sipc_profiles::Profile::from_name(profile) {
        Some(p) => {
            let config = match config {
                Some(path) => {
                    let text = io::read_bounded(Some(&path), oneoff::MAX_CONFIG_BYTES)?;
                    sipc_reference::json::parse(&text)
                        .map_err(|e| Error::Usage(format!("{}: {e}", path.display())))?
                }
                None => sipc_vectors::profiles::default_config(p),
            };
            sipc_vectors::profiles::generate(p, &config).map_err(Error::Generator)?
        }
        None => {
            let config = match config {
                Some(path) => oneoff::load_config(&path)?,
                None => default_config()?,
            };
            sipc_vectors::generate(&config).map_err(Error::Generator)?
        }
    };
    std::fs::create_dir_all(out).map_err(|e| Error::io(out.display().to_string(), e))?;
    let mut total = 0;
    for (name, bytes) in &files {
        io::write_file(&out.join(name), bytes)?;
        total += sipc_vectors::load::read(bytes)
            .map(|f| f.cases.len())
            .unwrap_or(0);
    }
    io::print_line(&format!(
        "wrote {} files, {total} tests, to {}",
        files.len(),
        out.display()
    ));
    Ok(ExitCode::SUCCESS)
}

fn run_command(args: RunArgs) -> Result<ExitCode, Error> {
    let socket = match (&args.tcp_server, &args.unix_server) {
        (Some(_), _) => Some(tcp::Socket::Tcp),
        (None, Some(_)) => Some(tcp::Socket::Unix),
        (None, None) => None,
    };
    let spool = args.spool.is_some();
    let tcp = socket.is_some() || spool;
    if tcp && args.profile != suite::SIPC1 {
        return Err(Error::Usage(format!(
            "--tcp-server, --unix-server and --spool run SIPC/1's transports; profile {} is run with --adapter",
            args.profile
        )));
    }
    let tcp_config = match (&args.config, tcp) {
        (Some(_), false) => {
            return Err(Error::Usage("--config applies to --tcp-server, --unix-server and --spool runs; for --adapter, use --vectors with vectors made by `sipc vectors generate --config`".into()))
        }
        (Some(path), true) => oneoff::load_config(path)?,
        (None, _) => default_config()?,
    };
    let files = if tcp {
        vec![sipc_vectors::load::VectorFile {
            profile: sipc_vectors::load::SIPC1.into(),
            area: tcp::cases::AREA.into(),
            notes: Vec::new(),
            cases: match socket {
                Some(socket) => {
                    let mut cases = tcp::listed(&tcp_config, socket, args.tls);
                    if args.replicas.is_some() {
                        cases.extend(replicas::listed(&tcp_config));
                    }
                    cases
                }
                None => spool::listed(&tcp_config),
            },
            audit: Vec::new(),
        }]
    } else {
        suite::load(&args.profile, args.vectors.as_deref())?
    };
    let filter = suite::Filter::new(args.filter.as_deref());
    if args.list {
        let mut n = 0;
        for case in files
            .iter()
            .flat_map(|f| f.cases.iter())
            .filter(|c| filter.matches(c))
        {
            io::print_line(&format!(
                "{:>5}  {:<16} {:<20} {:<13} {}",
                case.tc_id,
                case.file,
                case.id,
                if tcp {
                    case.file.as_str()
                } else {
                    case.check.op()
                },
                case.comment
            ));
            n += 1;
        }
        io::print_line(&format!("{n} tests"));
        return Ok(ExitCode::SUCCESS);
    }
    let expectations = load_expectations(args.expectations.as_deref())?;
    let timeout = timeout_of(args.timeout)?;
    let options = run::Options {
        command: args
            .tcp_server
            .clone()
            .or(args.unix_server.clone())
            .or(args.spool.clone())
            .or(args.adapter.clone())
            .unwrap_or_default(),
        timeout,
        strict: args.strict,
        filter,
        expectations,
        rerun: rerun_command(&args),
        profile: args.profile.clone(),
    };
    process::kill_children_on_signals();
    let quiet = args.quiet;
    let progress = |result: &run::CaseResult| {
        if let (false, Some(line)) = (quiet, report::progress_line(result, &options.rerun)) {
            io::print_line(&line);
        }
    };
    let (report, not_started) = match match socket {
        Some(_) if args.replicas.is_some() => replicas::run(
            &options,
            &tcp_config,
            args.replicas.unwrap_or_default(),
            args.redis.as_deref(),
            progress,
        ),
        Some(socket) => tcp::run(&options, &tcp_config, socket, args.tls, progress),
        None if spool => spool::run(&options, &tcp_config, progress),
        None => run::run(&files, &options, progress),
    } {
        Ok(report) => (report, None),
        Err(error) => {
            let protocol = match socket {
                Some(_) if args.replicas.is_some() => replicas::PROFILE,
                Some(tcp::Socket::Tcp) => tcp::PROFILE,
                Some(tcp::Socket::Unix) => tcp::UNIX_PROFILE,
                None if spool => spool::PROFILE,
                None => run::PROTOCOL,
            };
            (
                run::RunReport::not_started(protocol, &options, &error.to_string()),
                Some(error),
            )
        }
    };
    // The reports asked for are written even when the run could not start, with the reason,
    // so that a CI job shows why it exited 2.
    for (path, bytes) in [
        (&args.report_json, report::json::render(&report)),
        (&args.junit, report::junit::render(&report)),
        (&args.report_md, report::markdown::render(&report)),
    ] {
        if let Some(path) = path {
            io::write_file(path, &bytes)?;
        }
    }
    if let Some(error) = not_started {
        return Err(error);
    }
    if !quiet {
        io::print_line(&report::totals_line(&report));
    }
    io::print_line(&report::summary_line(&report));
    Ok(ExitCode::from(if report.totals().failed == 0 {
        0
    } else {
        1
    }))
}

fn matrix_command(args: MatrixArgs) -> Result<ExitCode, Error> {
    let timeout = timeout_of(args.timeout)?;
    let servers = args.adapters.is_empty();
    if servers && args.profile != suite::SIPC1 {
        return Err(Error::Usage(format!(
            "servers and receivers run SIPC/1's transports; profile {} is run with --adapter",
            args.profile
        )));
    }
    let config = match &args.config {
        Some(path) => oneoff::load_config(path)?,
        None => default_config()?,
    };
    let (driver, flag, listed) = if !args.tcp_servers.is_empty() {
        let s = tcp::Socket::Tcp;
        (
            matrix::Driver::Socket(s, args.tls, &config),
            &args.tcp_servers,
            Some(tcp::listed(&config, s, args.tls)),
        )
    } else if !args.unix_servers.is_empty() {
        let s = tcp::Socket::Unix;
        (
            matrix::Driver::Socket(s, args.tls, &config),
            &args.unix_servers,
            Some(tcp::listed(&config, s, args.tls)),
        )
    } else if !args.spools.is_empty() {
        (
            matrix::Driver::Spool(&config),
            &args.spools,
            Some(spool::listed(&config)),
        )
    } else {
        (matrix::Driver::Adapter, &args.adapters, None)
    };
    let files = match listed {
        Some(cases) => vec![sipc_vectors::load::VectorFile {
            profile: sipc_vectors::load::SIPC1.into(),
            area: tcp::cases::AREA.into(),
            notes: Vec::new(),
            cases,
            audit: Vec::new(),
        }],
        None => suite::load(&args.profile, args.vectors.as_deref())?,
    };
    let implementations = flag
        .iter()
        .map(|a| match a.split_once('=') {
            Some((name, command)) if !name.trim().is_empty() && !command.trim().is_empty() => {
                Ok(matrix::Implementation {
                    name: name.trim().to_owned(),
                    command: command.to_owned(),
                })
            }
            _ => Err(Error::Usage(format!("{a:?}: expected NAME=COMMAND"))),
        })
        .collect::<Result<Vec<_>, _>>()?;
    process::kill_children_on_signals();
    let grid = matrix::run(
        &args.profile,
        driver,
        &files,
        &implementations,
        timeout,
        args.filter.as_deref().unwrap_or(""),
    )?;
    for (path, bytes) in [
        (&args.md, matrix::render::markdown(&grid)),
        (&args.json, matrix::render::json(&grid)),
        (&args.html, matrix::html::page(&grid)),
    ] {
        if let Some(path) = path {
            io::write_file(path, &bytes)?;
        }
    }
    for (i, c) in grid.columns.iter().enumerate() {
        let (pass, fail, crash, skip) = matrix::render::totals(&grid, i);
        io::print_line(&format!(
            "{}: {} {}: {pass} conforming, {fail} wrong, {crash} crashes, {skip} skipped",
            c.name, c.implementation, c.version
        ));
    }
    io::print_line(&format!(
        "{} tests, {} on which the implementations disagree",
        grid.rows.len(),
        grid.rows.iter().filter(|r| r.disagree).count()
    ));
    Ok(ExitCode::SUCCESS)
}

fn audit_command(args: AuditArgs) -> Result<ExitCode, Error> {
    let timeout = timeout_of(args.timeout)?;
    process::kill_children_on_signals();
    let report = audit::run(&args.profile, &args.adapter, timeout)?;
    for (path, bytes) in [
        (&args.md, audit::render::markdown(&report)),
        (&args.json, audit::render::json(&report)),
    ] {
        if let Some(path) = path {
            io::write_file(path, &bytes)?;
        }
    }
    io::print_line(&format!(
        "audit of {} on {} {}:",
        report.profile, report.implementation, report.version
    ));
    for p in &report.properties {
        let severity = match p.verdict {
            audit::Verdict::DoesNotHold | audit::Verdict::LeftToApplication { .. } => p
                .fact
                .as_ref()
                .map(|f| format!(" ({})", f.severity))
                .unwrap_or_default(),
            _ => String::new(),
        };
        io::print_line(&format!(
            "  {:<17} {}{severity}",
            p.property.flag(),
            p.verdict.words()
        ));
    }
    Ok(ExitCode::SUCCESS)
}

/// `--timeout`, checked: more than 0 and at most an hour.
fn timeout_of(seconds: f64) -> Result<Duration, Error> {
    if seconds.is_finite() && seconds > 0.0 && seconds <= 3600.0 {
        Ok(Duration::from_secs_f64(seconds))
    } else {
        Err(Error::Usage(
            "--timeout must be between 0 and 3600 seconds".into(),
        ))
    }
}

/// The config of the published vectors (built in, so an error is a bug of the build).
fn default_config() -> Result<sipc_reference::Config, Error> {
    sipc_vectors::default_config().map_err(Error::Usage)
}

/// `--expectations FILE`, or none.
fn load_expectations(
    path: Option<&std::path::Path>,
) -> Result<run::expectations::Expectations, Error> {
    match path {
        Some(path) => run::expectations::Expectations::parse(&io::read_bounded(
            Some(path),
            oneoff::MAX_CONFIG_BYTES,
        )?)
        .map_err(|e| Error::Usage(format!("{}: {e}", path.display()))),
        None => Ok(run::expectations::Expectations::default()),
    }
}

/// The command line of a run, less `--filter` and the reports: with `--filter <tcId>` it
/// re-runs one test (every finding prints it).
fn rerun_command(args: &RunArgs) -> String {
    let mut words = vec!["sipc run".to_owned()];
    if args.profile != suite::SIPC1 {
        words.push(format!("--profile {}", shell::quote(&args.profile)));
    }
    let path = |p: &PathBuf| shell::quote(&p.display().to_string());
    for (flag, command) in [
        ("--tcp-server", &args.tcp_server),
        ("--unix-server", &args.unix_server),
        ("--spool", &args.spool),
        ("--adapter", &args.adapter),
    ] {
        if let Some(command) = command {
            words.push(format!("{flag} {}", shell::quote(command)));
        }
    }
    if let Some(dir) = &args.vectors {
        words.push(format!("--vectors {}", path(dir)));
    }
    if let Some(config) = &args.config {
        words.push(format!("--config {}", path(config)));
    }
    if let Some(file) = &args.expectations {
        words.push(format!("--expectations {}", path(file)));
    }
    if args.tls {
        words.push("--tls".into());
    }
    if let Some(n) = args.replicas {
        words.push(format!("--replicas {n}"));
    }
    if let Some(url) = &args.redis {
        words.push(format!("--redis {}", shell::quote(url)));
    }
    if args.strict {
        words.push("--strict".into());
    }
    if args.timeout != DEFAULT_TIMEOUT_SECONDS {
        words.push(format!("--timeout {}", args.timeout));
    }
    words.join(" ")
}

fn fuzz_command(args: FuzzArgs) -> Result<ExitCode, Error> {
    let timeout = timeout_of(args.timeout)?;
    let time = match (args.time, args.iterations) {
        (Some(t), _) if !(t.is_finite() && t > 0.0) => {
            return Err(Error::Usage(
                "--time must be a positive number of seconds".into(),
            ))
        }
        (Some(t), _) => Some(Duration::from_secs_f64(t)),
        (None, None) => Some(Duration::from_secs(60)),
        (None, Some(_)) => None,
    };
    let error_map = load_expectations(args.expectations.as_deref())?.error_map;
    let seed = args.seed.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() ^ u64::from(d.subsec_nanos()))
    });
    let via = match (&args.tcp_server, &args.unix_server, &args.spool) {
        (Some(_), _, _) => Some(fuzz::tcp::Via::Tcp),
        (None, Some(_), _) => Some(fuzz::tcp::Via::Unix),
        (None, None, Some(_)) => Some(fuzz::tcp::Via::Spool),
        (None, None, None) => None,
    };
    let options = fuzz::Options {
        via,
        tls: args.tls,
        command: args
            .tcp_server
            .or(args.unix_server)
            .or(args.spool)
            .or(args.adapter)
            .unwrap_or_default(),
        timeout,
        seed,
        time,
        iterations: args.iterations,
        max_findings: args.max_findings,
        out: args.out,
        error_map,
        quiet: args.quiet,
    };
    process::kill_children_on_signals();
    if let Some(path) = &args.reproduce {
        let differs = fuzz::reproduce(path, &options)?;
        io::print_line(if differs {
            "the implementation still disagrees with the reference"
        } else {
            "the implementation now agrees with the reference"
        });
        return Ok(ExitCode::from(u8::from(differs)));
    }
    let files = suite::load(&args.profile, args.vectors.as_deref())?;
    if !args.quiet {
        eprintln!("sipc fuzz: seed {seed}");
    }
    let summary = fuzz::fuzz(&files, &options)?;
    for (i, f) in summary.findings.iter().enumerate() {
        io::print_line(&format!(
            "finding {}: {} ({} hits)\n  input: {}\n  reference:      {}\n  implementation: {}\n  reproduce: {}",
            i + 1,
            f.signature,
            f.hits,
            f.case.describe_step(f.disagreement.step),
            run::check::visible(&fuzz::reference_text(f)),
            run::check::visible(&f.disagreement.implementation.to_string()),
            fuzz::reproducer(&options, &f.path)
        ));
    }
    io::print_line(&format!(
        "seed {seed}: {} cases in {:.1} s ({:.0}/s), {} disagreements, {} distinct findings",
        summary.iterations,
        summary.elapsed.as_secs_f64(),
        summary.iterations as f64 / summary.elapsed.as_secs_f64().max(0.001),
        summary.disagreements,
        summary.findings.len()
    ));
    for line in fuzz::verdict_lines(&summary.reached) {
        io::print_line(&line);
    }
    Ok(ExitCode::from(u8::from(!summary.findings.is_empty())))
}
