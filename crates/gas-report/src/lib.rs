//! # actorlib_gas_report
//!
//! Gas, side by side: each of actorlib's actors and a reference actor built on the library it is
//! measured against (`frc46_token`, `frc53_nft`), deployed in one sandbox and sent the same
//! messages at several state sizes. Gas is deterministic, so one run of each operation is exact.
//!
//! State is seeded natively, through each actor's own state code, into the sandbox's blockstore;
//! then every measured operation is a real message executing the actors' Wasm. Queries are sent as
//! messages (not through the read-only relay), so both columns carry the same message overhead.
//!
//! Used by `actorlib gas-report` (text or Markdown, the tables in the actors' READMEs) and by the
//! actors' benches (`cargo bench -p actorlib_token --bench gas`).
#![deny(missing_docs)]

pub mod nft;
pub mod report;
pub mod token;

pub use report::{Options, Report, Row, Table};

use actorlib_sandbox::{Account, Receipt, Sandbox};
use anyhow::{ensure, Result};
use fvm_shared::address::Address;
use fvm_shared::econ::TokenAmount;

/// `r`, or an error naming `what` if the call failed.
pub(crate) fn ok(r: Receipt, what: &str) -> Result<Receipt> {
    ensure!(r.is_ok(), "{what} failed: exit {} {:?}", r.exit_code, r.failure_info);
    Ok(r)
}

/// Sends a message without value; fails unless it succeeds.
pub(crate) fn send<P: serde::Serialize>(
    sb: &mut Sandbox,
    from: &Account,
    to: Address,
    method: u64,
    params: &P,
    what: &str,
) -> Result<Receipt> {
    ok(sb.send(from, to, method, params, TokenAmount::default())?, what)
}

/// One traced operation: where the gas of each side went (block reads and writes, Wasm, syscalls),
/// and with `timeline` every charge in order with a running total.
pub(crate) fn itemise(
    op: &str,
    size: u64,
    ours: &Receipt,
    theirs: &Receipt,
    timeline: bool,
) -> String {
    let mut out = format!(
        "{op} at {size}: ours {} / reference {}\n{}",
        ours.gas_used,
        theirs.gas_used,
        ours.gas_charges.side_by_side(&theirs.gas_charges)
    );
    if timeline {
        out.push_str(&format!("  ours, in order:\n{}", ours.gas_charges.timeline()));
        out.push_str(&format!("  reference, in order:\n{}", theirs.gas_charges.timeline()));
    }
    out
}

/// An actor's Wasm from the bundle.
pub(crate) fn wasm(name: &str) -> anyhow::Result<&'static [u8]> {
    actorlib_bundle::wasm(name)
        .ok_or_else(|| anyhow::anyhow!("no actor named {name} in the bundle"))
}

/// Options from the benches' environment: sizes from `var` (comma-separated, else `default`),
/// `ACTORLIB_BENCH_TRACE` and `ACTORLIB_BENCH_TIMELINE`.
pub fn options_from_env(var: &str, default: &[u64]) -> Options {
    Options {
        sizes: list_from_env(var).unwrap_or_else(|| default.to_vec()),
        trace: std::env::var("ACTORLIB_BENCH_TRACE").ok(),
        timeline: std::env::var("ACTORLIB_BENCH_TIMELINE").is_ok(),
    }
}

/// A comma-separated list of numbers from an environment variable, if set.
pub fn list_from_env<T: std::str::FromStr>(var: &str) -> Option<Vec<T>> {
    let v = std::env::var(var).ok()?;
    Some(v.split(',').filter_map(|s| s.trim().parse().ok()).collect())
}
