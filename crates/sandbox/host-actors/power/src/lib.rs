//! Sandbox stand-in for the storage power actor (f04): it creates miners and reports network power.
//!
//! Real interface (builtin-actors `actors/power`, v17):
//!
//! | # | method | caller | params | return |
//! |---|---|---|---|---|
//! | 1 | Constructor | f00 | none | none |
//! | 2 / `CreateMiner` (FRC-42) | CreateMiner | any account | `{owner, worker, window_post_proof_type, peer, multiaddrs}` | `{id_address, robust_address}` |
//! | 9 | CurrentTotalPower | any | none | `{raw_byte_power, quality_adj_power, pledge_collateral, quality_adj_power_smoothed, ramp_start_epoch, ramp_duration_epochs}` |
//! | `MinerCount` (FRC-42) | MinerCount | any | none | `i64` |
//!
//! `CreateMiner` calls init's `Exec` with the miner code (init allows miner code only from the power
//! actor, as on a real network), passing the value received on to the new miner.
//!
//! **Differences**: no power claims or sector accounting: `CurrentTotalPower` reports zero power and
//! zero pledge (so the market's provider-collateral minimum is zero, as with a zero circulating
//! supply); the miner constructor gets the sector size derived from the PoSt proof type instead of
//! the proof type itself.
use actorlib_kit::builtin::{BuiltinType, INIT_ACTOR_ID, SYSTEM_ACTOR_ID};
use actorlib_kit::{caller, dispatch, messaging, method_hash, state, ActorError, Result, Runtime};
use fvm_ipld_encoding::ipld_block::IpldBlock;
use fvm_ipld_encoding::tuple::*;
use fvm_ipld_encoding::{strict_bytes, BytesDe, RawBytes};
use fvm_shared::address::Address;
use fvm_shared::bigint::{bigint_ser, BigInt};
use fvm_shared::econ::TokenAmount;
use fvm_shared::sector::RegisteredPoStProof;
use fvm_shared::MethodNum;

/// Method numbers.
#[repr(u64)]
pub enum Method {
    /// Constructor.
    Constructor = 1,
    /// Creates a miner.
    CreateMiner = 2,
    /// Network power totals.
    CurrentTotalPower = 9,
    /// Creates a miner (exported number).
    CreateMinerExported = method_hash!("CreateMiner"),
    /// Number of miners (exported).
    MinerCountExported = method_hash!("MinerCount"),
}

/// The power actor's state (a subset of the real one).
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq)]
pub struct State {
    /// Miners created.
    pub miner_count: i64,
}

/// `CreateMiner` parameters (the real shape).
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq)]
pub struct CreateMinerParams {
    /// The owner (receives withdrawals; controls the miner).
    pub owner: Address,
    /// The worker (signs PoSt and deal publication).
    pub worker: Address,
    /// Window PoSt proof type (fixes the sector size).
    pub window_post_proof_type: RegisteredPoStProof,
    /// libp2p peer ID.
    #[serde(with = "strict_bytes")]
    pub peer: Vec<u8>,
    /// Multiaddresses.
    pub multiaddrs: Vec<BytesDe>,
}

/// `CreateMiner` return.
pub type CreateMinerReturn = ExecReturn;

/// The interfaces power calls, mirrored here rather than imported: actor crates never depend on
/// each other, because building them together with `fil-actor` would export `invoke` twice. The
/// sandbox's tests check that these encode exactly like the originals.
pub mod ext {
    use super::*;

    /// init `Exec` (method 2) parameters.
    #[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq)]
    pub struct ExecParams {
        /// Code of the new actor.
        pub code_cid: cid::Cid,
        /// CBOR constructor parameters.
        pub constructor_params: RawBytes,
    }

    /// init `Exec` return.
    #[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq)]
    pub struct ExecReturn {
        /// The new actor's ID address.
        pub id_address: Address,
        /// The new actor's robust address.
        pub robust_address: Address,
    }

    /// init's `Exec` method number.
    pub const INIT_EXEC: u64 = 2;

    /// The miner stand-in's constructor parameters.
    #[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq)]
    pub struct MinerConstructorParams {
        /// Owner.
        pub owner: Address,
        /// Worker.
        pub worker: Address,
        /// Control addresses (none at creation).
        pub control_addresses: Vec<Address>,
        /// Sector size in bytes.
        pub sector_size: u64,
        /// Peer ID.
        #[serde(with = "strict_bytes")]
        pub peer_id: Vec<u8>,
        /// Multiaddresses.
        pub multiaddrs: Vec<BytesDe>,
    }
}

use ext::{ExecParams, ExecReturn, MinerConstructorParams};

/// `CurrentTotalPower` return.
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq)]
pub struct CurrentTotalPowerReturn {
    /// Raw byte power.
    #[serde(with = "bigint_ser")]
    pub raw_byte_power: BigInt,
    /// Quality-adjusted power.
    #[serde(with = "bigint_ser")]
    pub quality_adj_power: BigInt,
    /// Pledge collateral.
    pub pledge_collateral: TokenAmount,
    /// Smoothed quality-adjusted power `{position, velocity}`.
    pub quality_adj_power_smoothed: (BigIntDe, BigIntDe),
    /// Ramp start.
    pub ramp_start_epoch: i64,
    /// Ramp duration.
    pub ramp_duration_epochs: u64,
}

/// A BigInt in the builtin encoding.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Default)]
#[serde(transparent)]
pub struct BigIntDe(#[serde(with = "bigint_ser")] pub BigInt);

/// Constructor: caller f00.
pub fn constructor(rt: &impl Runtime, _: ()) -> Result<()> {
    caller::require_caller(rt, &[SYSTEM_ACTOR_ID])?;
    state::save(rt, &State { miner_count: 0 })?;
    Ok(())
}

/// Creates a miner through init `Exec`; the value received goes to the new miner.
pub fn create_miner(rt: &impl Runtime, p: CreateMinerParams) -> Result<CreateMinerReturn> {
    caller::require_writable(rt)?;
    let caller_is_account = rt
        .actor_code(rt.caller())
        .and_then(|c| rt.builtin_type(&c))
        .is_some_and(|t| t == BuiltinType::Account as i32 || t == BuiltinType::EthAccount as i32);
    if !caller_is_account {
        return Err(ActorError::forbidden(format!("caller f0{} is not an account", rt.caller())));
    }
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
    let mut st: State = state::load(rt)?;
    st.miner_count += 1;
    state::save(rt, &st)?;
    Ok(ret)
}

/// Zero power, zero pledge.
pub fn current_total_power(_rt: &impl Runtime, _: ()) -> Result<CurrentTotalPowerReturn> {
    Ok(CurrentTotalPowerReturn {
        raw_byte_power: BigInt::default(),
        quality_adj_power: BigInt::default(),
        pledge_collateral: TokenAmount::default(),
        quality_adj_power_smoothed: (BigIntDe::default(), BigIntDe::default()),
        ramp_start_epoch: 0,
        ramp_duration_epochs: 0,
    })
}

/// Number of miners created.
pub fn miner_count(rt: &impl Runtime, _: ()) -> Result<i64> {
    Ok(state::load::<State>(rt)?.miner_count)
}

/// Routes a call.
pub fn invoke(
    rt: &impl Runtime,
    method: MethodNum,
    params: Option<IpldBlock>,
) -> Result<Option<IpldBlock>> {
    dispatch!(rt, method, params;
        Method::Constructor => constructor,
        Method::CreateMiner => create_miner,
        Method::CreateMinerExported => create_miner,
        Method::CurrentTotalPower => current_total_power,
        Method::MinerCountExported => miner_count,
    )
}

#[cfg(feature = "fil-actor")]
actorlib_kit::wasm_trampoline!(invoke);
