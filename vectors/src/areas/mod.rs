//! The vector files, one module per area of SIPC/1.
#![allow(clippy::type_complexity)] // tables of cases read best inline

mod canon;
mod config;
mod config_store;
mod config_transport;
mod envelope;
mod kind;
mod replay;
mod signature;
mod signer;
mod size;
mod ttl;

use crate::suite::Area;
use crate::Ctx;

/// Every area, in file order.
pub fn all(ctx: &Ctx) -> Vec<Area> {
    vec![
        canon::area(),
        envelope::area(ctx),
        signature::area(ctx),
        ttl::area(ctx),
        replay::area(ctx),
        size::area(ctx),
        kind::area(ctx),
        config::area(ctx),
        signer::area(ctx),
    ]
}
