//! The shared replay store of `sipc serve` (SIPC/1 §16): Redis, through the `redis` crate.
//!
//! One command per authenticated envelope, `SET <key> 1 NX EXAT <ts + ttl + 1>` (REQ-STORE-1 …
//! REQ-STORE-3); every failure (no connection, no answer within [`STORE_TIMEOUT`], an error
//! reply, any reply but `OK` or nil) is [`StoreAnswer::Unavailable`] (REQ-STORE-5). Connections
//! are kept in a small pool and a failed one is dropped, so the next envelope connects afresh:
//! a store that comes back is used again without a restart (REQ-STORE-5, REQ-STORE-7).

use sipc_reference::config::store::StoreAddress;
use sipc_reference::store::StoreAnswer;
use sipc_reference::ReplayStore;
use std::sync::Mutex;
use std::time::Duration;

/// How long connecting, sending the command, and reading its answer may each take.
pub(crate) const STORE_TIMEOUT: Duration = Duration::from_secs(2);
/// Idle connections kept for reuse; more are closed after use.
const MAX_IDLE_CONNECTIONS: usize = 16;

/// The store of a config's `replay_store`, and the idle connections to it.
pub(crate) struct Store {
    client: redis::Client,
    idle: Mutex<Vec<redis::Connection>>,
}

impl Store {
    /// The store of `config` (validated, so its URL parses); no connection is made yet: a
    /// store that is down at start is not a reason to refuse the start (REQ-STORE-7).
    pub(crate) fn new(config: &ReplayStore) -> Result<Store, String> {
        let StoreAddress { host, port, db } = config
            .address()
            .ok_or_else(|| format!("replay_store.url {} is not valid", config.url))?;
        let info = redis::IntoConnectionInfo::into_connection_info(redis::ConnectionAddr::Tcp(
            host.to_owned(),
            port,
        ))
        .map_err(|e| format!("replay_store: {e}"))?;
        let info = info.set_redis_settings(
            redis::RedisConnectionInfo::default()
                .set_db(i64::from(db))
                .set_skip_set_lib_name(),
        );
        let client = redis::Client::open(info).map_err(|e| format!("replay_store: {e}"))?;
        Ok(Store {
            client,
            idle: Mutex::new(Vec::new()),
        })
    }

    /// The one atomic check-and-record of REQ-STORE-1 for `key`, expiring at `expires_at`.
    /// A pooled connection that fails (the store restarted since it was opened) is dropped
    /// with every other idle one, and the command is sent once more on a new connection: at
    /// worst a lost `OK` makes the retry answer nil, a `replay` for a genuine envelope, never
    /// an acceptance twice.
    pub(crate) fn check_and_record(&self, key: &str, expires_at: u64) -> StoreAnswer {
        if let Some(pooled) = self.idle.lock().ok().and_then(|mut idle| idle.pop()) {
            if let Some(answer) = self.send(pooled, key, expires_at) {
                return answer;
            }
            if let Ok(mut idle) = self.idle.lock() {
                idle.clear();
            }
        }
        match self.connect() {
            Some(fresh) => self
                .send(fresh, key, expires_at)
                .unwrap_or(StoreAnswer::Unavailable),
            None => StoreAnswer::Unavailable,
        }
    }

    /// `SET key 1 NX EXAT expires_at` on `connection`, which goes back to the pool after an
    /// answer; `None` when the connection failed or the reply was neither `OK` nor nil.
    fn send(
        &self,
        mut connection: redis::Connection,
        key: &str,
        expires_at: u64,
    ) -> Option<StoreAnswer> {
        let reply: redis::RedisResult<Option<String>> = redis::cmd("SET")
            .arg(key)
            .arg(1)
            .arg("NX")
            .arg("EXAT")
            .arg(expires_at)
            .query(&mut connection);
        let answer = match reply {
            Ok(Some(ok)) if ok == "OK" => StoreAnswer::Recorded,
            Ok(None) => StoreAnswer::Exists,
            Ok(Some(_)) | Err(_) => return None,
        };
        if let Ok(mut idle) = self.idle.lock() {
            if idle.len() < MAX_IDLE_CONNECTIONS {
                idle.push(connection);
            }
        }
        Some(answer)
    }

    /// A new connection with its timeouts set.
    fn connect(&self) -> Option<redis::Connection> {
        let connection = self
            .client
            .get_connection_with_timeout(STORE_TIMEOUT)
            .ok()?;
        connection.set_read_timeout(Some(STORE_TIMEOUT)).ok()?;
        connection.set_write_timeout(Some(STORE_TIMEOUT)).ok()?;
        Some(connection)
    }
}
