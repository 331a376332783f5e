//! The run's shared replay store (SIPC/1 §16): a `redis-server` the runner starts on a free
//! loopback port in a folder of its own, stops and starts again mid-run (the store-failure
//! test), and reads with an admin connection (the key test); or one given with `--redis URL`,
//! which the runner reads but never stops.

use crate::process::Adapter;
use sipc_reference::ReplayStore;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The `redis-server` program the runner starts (`SIPC_REDIS_SERVER` overrides it).
pub const REDIS_SERVER: &str = "redis-server";
/// How long a started `redis-server` may take to answer `PING`.
const START_TIMEOUT: Duration = Duration::from_secs(10);
/// How long each admin command may take.
const ADMIN_TIMEOUT: Duration = Duration::from_secs(5);

/// A `redis-server` the runner started, and how to start it again the same way.
struct Owned {
    program: String,
    port: u16,
    dir: PathBuf,
    process: Option<Adapter>,
}

/// The store of a replicas run.
pub struct RunStore {
    url: String,
    owned: Option<Owned>,
}

impl RunStore {
    /// The store at `url` (a `redis://` URL that REQ-CONFIG-20 accepts), or, without one, a
    /// `redis-server` started in `dir` on a free loopback port.
    pub fn open(url: Option<&str>, dir: &Path) -> Result<RunStore, String> {
        if let Some(url) = url {
            let config = ReplayStore {
                kind: "redis".into(),
                url: url.into(),
            };
            if config.address().is_none() {
                return Err(format!(
                    "--redis {url}: a store URL must be redis://127.0.0.1:<port>[/<db>] or redis://[::1]:<port>[/<db>] (REQ-CONFIG-20)"
                ));
            }
            let store = RunStore {
                url: url.into(),
                owned: None,
            };
            store.admin().map_err(|e| format!("--redis {url}: {e}"))?;
            return Ok(store);
        }
        let port = TcpListener::bind(("127.0.0.1", 0))
            .and_then(|l| l.local_addr())
            .map_err(|e| format!("no free loopback port for redis-server: {e}"))?
            .port();
        let program = std::env::var("SIPC_REDIS_SERVER").unwrap_or_else(|_| REDIS_SERVER.into());
        let mut store = RunStore {
            url: format!("redis://127.0.0.1:{port}/0"),
            owned: Some(Owned {
                program,
                port,
                dir: dir.to_owned(),
                process: None,
            }),
        };
        store.start()?;
        Ok(store)
    }

    /// The URL the replicas' config names.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Whether the runner started the store, and so may stop it.
    pub fn is_owned(&self) -> bool {
        self.owned.is_some()
    }

    /// Starts the owned `redis-server` (again, on the same port and folder) and waits until it
    /// answers. Every write is on disk before its answer (`appendfsync always`), so a store
    /// killed and started again still holds every key it acknowledged.
    pub fn start(&mut self) -> Result<(), String> {
        let Some(owned) = self.owned.as_mut() else {
            return Err("the store was given with --redis: the runner does not start it".into());
        };
        let command = format!(
            "exec {} --bind 127.0.0.1 --port {} --dir '{}' --save '' --appendonly yes --appendfsync always --maxmemory-policy noeviction --protected-mode yes --daemonize no --logfile ''",
            owned.program,
            owned.port,
            owned.dir.display()
        );
        owned.process = Some(Adapter::spawn(&command, START_TIMEOUT)?);
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            if self.admin().is_ok() {
                return Ok(());
            }
            let Some(owned) = self.owned.as_mut() else {
                return Err("no store".into());
            };
            let Some(process) = owned.process.as_mut() else {
                return Err("no store".into());
            };
            if process.exit_status().is_some() || Instant::now() >= deadline {
                let tail = process.stderr_tail();
                process.kill();
                return Err(format!(
                    "{} did not start on 127.0.0.1:{} (install it, e.g. apt-get install redis-server, or give --redis URL): {}",
                    owned.program,
                    owned.port,
                    tail.trim()
                ));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Kills the owned `redis-server` and reaps it; the replicas' next commands find nothing.
    pub fn stop(&mut self) {
        if let Some(process) = self.owned.as_mut().and_then(|o| o.process.as_mut()) {
            process.kill();
        }
        if let Some(owned) = self.owned.as_mut() {
            owned.process = None;
        }
    }

    /// A new admin connection with its timeouts set.
    pub fn admin(&self) -> Result<redis::Connection, String> {
        let client = redis::Client::open(self.url.as_str()).map_err(|e| e.to_string())?;
        let mut connection = client
            .get_connection_with_timeout(ADMIN_TIMEOUT)
            .map_err(|e| format!("cannot connect to the store {}: {e}", self.url))?;
        connection
            .set_read_timeout(Some(ADMIN_TIMEOUT))
            .and_then(|()| connection.set_write_timeout(Some(ADMIN_TIMEOUT)))
            .map_err(|e| e.to_string())?;
        redis::cmd("PING")
            .query::<String>(&mut connection)
            .map_err(|e| format!("the store {} does not answer PING: {e}", self.url))?;
        Ok(connection)
    }
}

impl Drop for RunStore {
    fn drop(&mut self) {
        self.stop();
    }
}
