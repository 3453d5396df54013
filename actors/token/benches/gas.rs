//! Gas, side by side: actorlib's token and a reference actor built on `frc46_token`, deployed in the
//! same sandbox, doing the same operations at 10, 1,000, 10,000 and 100,000 holders, then
//! `GetPastVotes` against the length of a vote history. The scenario is
//! [`actorlib_gas_report::token`]; `actorlib gas-report token` prints the same report.
//!
//! `cargo bench -p actorlib_token --bench gas`; `ACTORLIB_BENCH_HOLDERS=10,1000` chooses the holder
//! counts, `ACTORLIB_BENCH_CHECKPOINTS=10,100` the history lengths, `ACTORLIB_BENCH_TRACE=transfer`
//! itemises the gas of the operations named like that (with `ACTORLIB_BENCH_TIMELINE=1`, every
//! charge in order). Gas is deterministic, so one run of each operation is exact.
use actorlib_gas_report::{list_from_env, options_from_env, token};

fn main() -> anyhow::Result<()> {
    let opts = options_from_env("ACTORLIB_BENCH_HOLDERS", &[10, 1_000, 10_000, 100_000]);
    let checkpoints =
        list_from_env("ACTORLIB_BENCH_CHECKPOINTS").unwrap_or(vec![10, 100, 1_000, 10_000]);
    print!("{}", token::report(&opts, &checkpoints)?.text());
    Ok(())
}
