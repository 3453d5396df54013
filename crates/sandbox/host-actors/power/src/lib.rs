//! Sandbox stand-in for the storage power actor (f04): it creates miners, keeps each miner's
//! claimed power and answers the power queries other actors make.
//!
//! Real interface (builtin-actors `actors/power/src/{lib,types,state}.rs`; v12 is the version NV21
//! runs, and these methods are unchanged through v17). Every query accepts any caller on its
//! exported number.
//!
//! | # | exported | method | caller | params | return | errors |
//! |---|---|---|---|---|---|---|
//! | 1 | — | Constructor | f00 | none | none | 18 |
//! | 2 | 1173380165 | CreateMiner | any | `{owner, worker, window_post_proof_type, peer, multiaddrs}` | `{id_address, robust_address}` | 16 bad proof type |
//! | 9 | — | CurrentTotalPower | builtin actors | none | `{raw_byte_power, quality_adj_power, pledge_collateral, quality_adj_power_smoothed, ramp_start_epoch, ramp_duration_epochs}` | — |
//! | — | 931722534 | NetworkRawPower | any | none | `BigInt` (transparent) | — |
//! | — | 3753401894 | MinerRawPower | any | `miner: ActorID` (transparent: bare integer) | `{raw_byte_power, meets_consensus_minimum}` | 16 no claim for the miner |
//! | — | 1987646258 | MinerCount | any | none | `i64` (transparent) | — |
//! | — | 196739875 | MinerConsensusCount | any | none | `i64` (transparent) | — |
//!
//! Undecodable parameters fail with 21 (`USR_SERIALIZATION`), unknown methods with 22.
//!
//! **Legacy numbers** (below 2^24: the `#` column, the sandbox-only method and any other small
//! number): like the real power actor (`actor_dispatch!`), a caller that is not a builtin actor (or
//! is an EVM contract) gets 18 for every one of them before dispatch
//! ([`actorlib_kit::dispatch::restrict_internal_api`]). So user actors create miners through the
//! exported `CreateMiner` only (any caller may: the real actor checks no caller type) and cannot
//! read `CurrentTotalPower`, which has no exported number.
//!
//! `CreateMiner` calls init's `Exec` with the miner code (init allows miner code only from the power
//! actor, as on a real network), passing the value received on to the new miner, then records a
//! zero claim for it.
//!
//! **Consensus minimum** (the real rule at v12, mainnet policy): a miner meets it if its raw power
//! is at least 10 TiB ([`MINIMUM_CONSENSUS_POWER`], the same for every sector size), or — while
//! fewer than [`CONSENSUS_MINER_MIN_MINERS`] (4) miners reach 10 TiB — if its raw power is
//! positive. The network's power (`NetworkRawPower`, `CurrentTotalPower`) is the sum of every claim
//! while fewer than 4 miners reach 10 TiB, and the sum of the claims that reach it after.
//! `MinerConsensusCount` counts the miners at 10 TiB or more.
//!
//! **Sandbox-only method** (not on a real network; caller must be the system actor f00, so the
//! sandbox drives it with implicit messages). It stands in for the miner's power updates after
//! sector proofs, faults and terminations, which the sandbox does not model:
//!
//! | # | method | params | effect | errors |
//! |---|---|---|---|---|
//! | 1000 | SandboxSetMinerPower | `{miner, raw_byte_power, quality_adj_power}` | replaces the miner's claim; totals follow | 18 caller not f00, 17 no claim, 16 unless `0 <= raw <= qa <= 10 * raw` |
//!
//! **Differences**: no sectors, cron, pledge or reward smoothing. The real `NetworkRawPower` and
//! `CurrentTotalPower` return the totals frozen by the previous epoch's cron tick; the stand-in
//! returns the current totals, so a claim set at this epoch shows at once. `CurrentTotalPower`
//! reports zero pledge, a zero smoothed estimate and no ramp (so the market's provider-collateral
//! minimum is zero, as with a zero circulating supply). Claims are keyed by miner ID and carry no
//! PoSt proof type (the real minimum does not depend on it). The miner constructor gets the sector
//! size derived from the PoSt proof type instead of the proof type itself. No `MinerPower`
//! (exported from v16, after NV21).
pub mod ext;
pub mod state;
pub mod types;

use actorlib_kit::builtin::{BuiltinType, INIT_ACTOR_ID, SYSTEM_ACTOR_ID};
use actorlib_kit::{caller, dispatch, messaging, state as kit_state, ActorError, Result, Runtime};
use fvm_ipld_encoding::ipld_block::IpldBlock;
use fvm_ipld_encoding::RawBytes;
use fvm_shared::address::Address;
use fvm_shared::econ::TokenAmount;
use fvm_shared::MethodNum;

use crate::ext::{ExecParams, ExecReturn, MinerConstructorParams};
pub use crate::state::{Claim, State};
pub use crate::types::*;

fn load(rt: &impl Runtime) -> Result<State> {
    kit_state::load(rt)
}

fn save(rt: &impl Runtime, st: &State) -> Result<()> {
    kit_state::save(rt, st).map(|_| ())
}

/// Constructor: caller f00; an empty claims table.
pub fn constructor(rt: &impl Runtime, _: ()) -> Result<()> {
    caller::require_caller(rt, &[SYSTEM_ACTOR_ID])?;
    save(rt, &State::new(rt.store())?)
}

/// Creates a miner through init `Exec` (the value received goes to the new miner) and gives it a
/// zero claim. Any caller may (the real actor accepts any caller since FIP-0050; user actors and
/// contracts must use the exported number, see [`invoke`]).
pub fn create_miner(rt: &impl Runtime, p: CreateMinerParams) -> Result<CreateMinerReturn> {
    caller::require_writable(rt)?;
    let sector_size = p
        .window_post_proof_type
        .sector_size()
        .map_err(|e| ActorError::illegal_argument(format!("window PoSt proof type: {e}")))?
        as u64;
    let code = rt
        .builtin_code(BuiltinType::Miner as i32)
        .ok_or_else(|| ActorError::illegal_state("no miner code in the manifest"))?;
    let ctor = MinerConstructorParams {
        owner: p.owner,
        worker: p.worker,
        control_addresses: Vec::new(),
        sector_size,
        peer_id: p.peer,
        multiaddrs: p.multiaddrs,
    };
    let exec = ExecParams { code_cid: code, constructor_params: RawBytes::serialize(&ctor)? };
    let ret: ExecReturn = messaging::send(
        rt,
        &Address::new_id(INIT_ACTOR_ID),
        ext::INIT_EXEC,
        &exec,
        rt.value_received(),
    )?;
    let id = ret.id_address.id().map_err(|e| {
        ActorError::illegal_state(format!("init returned {} for the miner: {e}", ret.id_address))
    })?;
    let mut st = load(rt)?;
    st.add_miner(rt.store(), id)?;
    save(rt, &st)?;
    Ok(ret)
}

/// The network's raw and quality-adjusted power (see the crate docs for which claims count); zero
/// pledge, smoothed estimate and ramp.
pub fn current_total_power(rt: &impl Runtime, _: ()) -> Result<CurrentTotalPowerReturn> {
    let (raw_byte_power, quality_adj_power) = load(rt)?.current_total_power();
    Ok(CurrentTotalPowerReturn {
        raw_byte_power,
        quality_adj_power,
        pledge_collateral: TokenAmount::default(),
        quality_adj_power_smoothed: (BigIntDe::default(), BigIntDe::default()),
        ramp_start_epoch: 0,
        ramp_duration_epochs: 0,
    })
}

/// The network's raw byte power.
pub fn network_raw_power(rt: &impl Runtime, _: ()) -> Result<NetworkRawPowerReturn> {
    Ok(NetworkRawPowerReturn { raw_byte_power: load(rt)?.current_total_power().0 })
}

/// A miner's raw byte power and whether it meets the consensus minimum; 16 if it has no claim.
pub fn miner_raw_power(rt: &impl Runtime, p: MinerRawPowerParams) -> Result<MinerRawPowerReturn> {
    let (raw_byte_power, meets_consensus_minimum) =
        load(rt)?.miner_raw_power(rt.store(), p.miner)?;
    Ok(MinerRawPowerReturn { raw_byte_power, meets_consensus_minimum })
}

/// Number of miners created.
pub fn miner_count(rt: &impl Runtime, _: ()) -> Result<MinerCountReturn> {
    Ok(MinerCountReturn { miner_count: load(rt)?.miner_count })
}

/// Number of miners whose raw power is at least the consensus minimum.
pub fn miner_consensus_count(rt: &impl Runtime, _: ()) -> Result<MinerConsensusCountReturn> {
    Ok(MinerConsensusCountReturn { miner_consensus_count: load(rt)?.miner_above_min_power_count })
}

/// Sandbox only (f00): replaces a miner's claim, as its proven sectors would.
pub fn sandbox_set_miner_power(rt: &impl Runtime, p: SandboxSetMinerPowerParams) -> Result<()> {
    caller::require_caller(rt, &[SYSTEM_ACTOR_ID])?;
    let mut st = load(rt)?;
    st.set_claim(rt.store(), p.miner, p.raw_byte_power, p.quality_adj_power)?;
    save(rt, &st)
}

/// Routes a call; legacy and exported numbers reach the same handler.
pub fn invoke(
    rt: &impl Runtime,
    method: MethodNum,
    params: Option<IpldBlock>,
) -> Result<Option<IpldBlock>> {
    actorlib_kit::dispatch::restrict_internal_api(rt, method)?;
    use Method::*;
    dispatch!(rt, method, params;
        Constructor => constructor,
        CreateMiner => create_miner,
        CreateMinerExported => create_miner,
        CurrentTotalPower => current_total_power,
        NetworkRawPowerExported => network_raw_power,
        MinerRawPowerExported => miner_raw_power,
        MinerCountExported => miner_count,
        MinerConsensusCountExported => miner_consensus_count,
        SandboxSetMinerPower => sandbox_set_miner_power,
    )
}

#[cfg(feature = "fil-actor")]
actorlib_kit::wasm_trampoline!(invoke);

#[cfg(test)]
mod tests;
