//! The TCP listener of `sipc serve` (SIPC/1 §12): the config's `bind_host` only (REQ-TCP-7).

use std::net::{IpAddr, TcpListener};

/// Opens the listening socket on `bind_host` (validated: loopback only).
pub(super) fn bind(bind_host: &str, bind_port: u64) -> Result<TcpListener, String> {
    let host: IpAddr = bind_host
        .parse()
        .map_err(|e| format!("bind_host {bind_host}: {e}"))?;
    if !host.is_loopback() {
        return Err(format!("bind_host {host} is not a loopback address"));
    }
    let port =
        u16::try_from(bind_port).map_err(|_| format!("bind_port {bind_port} is not a port"))?;
    TcpListener::bind((host, port)).map_err(|e| format!("cannot listen on {host}:{port}: {e}"))
}
