//! Sandbox stand-in for the init actor (f01): the address map and actor creation.
//!
//! Real interface (builtin-actors `actors/init`): state is the tuple `address_map` (HAMT, bit width
//! 5, key = address bytes, value = actor ID), `next_id`, `network_name` — the FVM reads and writes this
//! state directly when it auto-creates accounts, so the layout must be exactly this.
//!
//! | # | method | caller | params | return |
//! |---|---|---|---|---|
//! | 1 | Constructor | f00 | `{network_name}` | none |
//! | 2 | Exec | builtin actors (see below) | `{code_cid, constructor_params}` | `{id_address, robust_address}` |
//!
//! Neither method has an exported number, and like the real actor (`actor_dispatch!`) this one
//! refuses every method number below 2^24 from a caller that is not a builtin actor (or is an EVM
//! contract) with `USR_FORBIDDEN` before dispatch
//! ([`actorlib_kit::dispatch::restrict_internal_api`]): a user actor cannot `Exec`; accounts (and
//! so `Sandbox::deploy`) and the power actor can.
//!
//! **Difference from a real network**: the real init actor only `Exec`s multisig and payment channel
//! code (and miners for the power actor); user actors reach real networks through a custom actor
//! bundle (IPC subnets) or code installation on devnets. This stand-in also `Exec`s any code that is
//! not a builtin type — devnet-style — so that the sandbox can deploy actors by message. Builtin
//! singleton code (system, init, market, ...) is refused with `USR_FORBIDDEN`, as on a real network.
//! `Exec4` (EVM deployment through the EAM) is not modelled.
use actorlib_kit::builtin::{BuiltinType, SYSTEM_ACTOR_ID};
use actorlib_kit::{caller, dispatch, state, ActorError, Map, MapConfig, Result, Runtime};
use cid::Cid;
use fvm_ipld_encoding::ipld_block::IpldBlock;
use fvm_ipld_encoding::tuple::*;
use fvm_ipld_encoding::RawBytes;
use fvm_shared::address::Address;
use fvm_shared::{ActorID, MethodNum, METHOD_CONSTRUCTOR};

/// The address map's HAMT configuration (fixed by the FVM).
pub const ADDRESS_MAP_CONFIG: MapConfig = MapConfig { bit_width: 5, ..MapConfig::DEFAULT };

/// The init actor's state.
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq)]
pub struct State {
    /// Address bytes → actor ID.
    pub address_map: Cid,
    /// The next ID to assign.
    pub next_id: ActorID,
    /// The network's name.
    pub network_name: String,
}

/// Method numbers.
#[repr(u64)]
pub enum Method {
    /// Constructor.
    Constructor = 1,
    /// Creates an actor.
    Exec = 2,
}

/// Constructor parameters.
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq)]
pub struct ConstructorParams {
    /// The network's name.
    pub network_name: String,
}

/// `Exec` parameters.
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq)]
pub struct ExecParams {
    /// Code of the new actor (must be installed).
    pub code_cid: Cid,
    /// CBOR parameters for the new actor's constructor.
    pub constructor_params: RawBytes,
}

/// `Exec` return.
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq)]
pub struct ExecReturn {
    /// The new actor's ID address.
    pub id_address: Address,
    /// The new actor's robust (f2) address.
    pub robust_address: Address,
}

/// Constructor: caller f00.
pub fn constructor(rt: &impl Runtime, params: ConstructorParams) -> Result<()> {
    caller::require_caller(rt, &[SYSTEM_ACTOR_ID])?;
    let address_map =
        Map::<_, Address, ActorID>::empty(rt.store().clone(), ADDRESS_MAP_CONFIG, "address_map")
            .flush()?;
    state::save(rt, &State { address_map, next_id: 100, network_name: params.network_name })?;
    Ok(())
}

fn can_exec(rt: &impl Runtime, code: &Cid) -> bool {
    match rt.builtin_type(code).and_then(BuiltinType::from_id) {
        Some(BuiltinType::Multisig | BuiltinType::PaymentChannel) => true,
        Some(BuiltinType::Miner) => {
            let caller_code = rt.actor_code(rt.caller());
            caller_code.and_then(|c| rt.builtin_type(&c)) == Some(BuiltinType::Power as i32)
        }
        Some(_) => false,
        // Devnet-style: installed user code may be instantiated by anyone.
        None => true,
    }
}

/// Creates an actor: assigns an ID and a robust address, then runs its constructor with the value
/// received.
pub fn exec(rt: &impl Runtime, params: ExecParams) -> Result<ExecReturn> {
    caller::require_writable(rt)?;
    if !can_exec(rt, &params.code_cid) {
        return Err(ActorError::forbidden(format!(
            "called type {} cannot exec actor type {}",
            rt.caller(),
            params.code_cid
        )));
    }
    let robust_address = next_actor_address(rt)?;
    let mut st: State = state::load(rt)?;
    let mut map = Map::<_, Address, ActorID>::load(
        rt.store().clone(),
        &st.address_map,
        ADDRESS_MAP_CONFIG,
        "address_map",
    )?;
    let id = st.next_id;
    if !map.set_if_absent(robust_address, id)? {
        return Err(ActorError::forbidden(format!(
            "robust address {robust_address} is already allocated"
        )));
    }
    st.next_id += 1;
    st.address_map = map.flush()?;
    state::save(rt, &st)?;

    create_actor(rt, id, &params.code_cid)?;
    let params_block = if params.constructor_params.is_empty() {
        None
    } else {
        Some(IpldBlock { codec: fvm_ipld_encoding::CBOR, data: params.constructor_params.to_vec() })
    };
    let r = actorlib_kit::messaging::send_raw(
        rt,
        &Address::new_id(id),
        METHOD_CONSTRUCTOR,
        params_block,
        rt.value_received(),
        false,
    )?;
    if !r.exit_code.is_success() {
        return Err(ActorError::new(r.exit_code, "constructor failed").with_data(r.return_data));
    }
    Ok(ExecReturn { id_address: Address::new_id(id), robust_address })
}

#[cfg(target_arch = "wasm32")]
fn next_actor_address(_rt: &impl Runtime) -> Result<Address> {
    Ok(fvm_sdk::actor::next_actor_address())
}

#[cfg(target_arch = "wasm32")]
fn create_actor(_rt: &impl Runtime, id: ActorID, code: &Cid) -> Result<()> {
    fvm_sdk::actor::create_actor(id, code, None)
        .map_err(|e| ActorError::forbidden(format!("create actor {id} with code {code}: {e:?}")))
}

#[cfg(not(target_arch = "wasm32"))]
fn next_actor_address(rt: &impl Runtime) -> Result<Address> {
    // On the host there is no FVM to derive an address from: derive a deterministic one.
    let st: State = state::load(rt)?;
    Ok(Address::new_actor(&st.next_id.to_be_bytes()))
}

#[cfg(not(target_arch = "wasm32"))]
fn create_actor(_rt: &impl Runtime, _id: ActorID, _code: &Cid) -> Result<()> {
    Ok(())
}

/// Routes a call.
pub fn invoke(
    rt: &impl Runtime,
    method: MethodNum,
    params: Option<IpldBlock>,
) -> Result<Option<IpldBlock>> {
    actorlib_kit::dispatch::restrict_internal_api(rt, method)?;
    dispatch!(rt, method, params; Method::Constructor => constructor, Method::Exec => exec)
}

#[cfg(feature = "fil-actor")]
actorlib_kit::wasm_trampoline!(invoke);
