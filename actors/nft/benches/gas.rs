//! Gas, side by side: actorlib's NFT and a reference actor built on `frc53_nft`, deployed in the
//! same sandbox, doing the same operations with 10, 1,000, 10,000 and 100,000 tokens in
//! circulation. The scenario is [`actorlib_gas_report::nft`]; `actorlib gas-report nft` prints the
//! same report.
//!
//! `cargo bench -p actorlib_nft --bench gas`; `ACTORLIB_BENCH_TOKENS=10,1000` chooses the collection
//! sizes, `ACTORLIB_BENCH_TRACE=owner` itemises the gas of the calls named like that (with
//! `ACTORLIB_BENCH_TIMELINE=1`, every charge in order). Gas is deterministic, so one run of each
//! operation is exact.
use actorlib_gas_report::{nft, options_from_env};

fn main() -> anyhow::Result<()> {
    let opts = options_from_env("ACTORLIB_BENCH_TOKENS", &[10, 1_000, 10_000, 100_000]);
    print!("{}", nft::report(&opts)?.text());
    Ok(())
}
