//! Sandbox stand-in for the system actor (f00).
//!
//! Real interface (builtin-actors `actors/system`): state is a 1-tuple `builtin_actors: Cid`; the only
//! method is the constructor (caller f00), which stores an empty manifest list. Every other method
//! fails with `USR_UNHANDLED_MESSAGE`.
//!
//! Like the real actor (`actor_dispatch!`), it refuses every method number below 2^24 from a caller
//! that is not a builtin actor (or is an EVM contract) with `USR_FORBIDDEN` before dispatch
//! ([`actorlib_kit::dispatch::restrict_internal_api`]).
use actorlib_kit::builtin::SYSTEM_ACTOR_ID;
use actorlib_kit::{caller, dispatch, state, Result, Runtime};
use cid::Cid;
use fvm_ipld_encoding::tuple::*;
use fvm_shared::MethodNum;

/// The system actor's state.
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq)]
pub struct State {
    /// The manifest's list of `(name, code)` pairs.
    pub builtin_actors: Cid,
}

/// Method numbers.
#[repr(u64)]
pub enum Method {
    /// Constructor.
    Constructor = 1,
}

/// Constructor: caller must be the system actor itself.
pub fn constructor(rt: &impl Runtime, _: ()) -> Result<()> {
    caller::require_caller(rt, &[SYSTEM_ACTOR_ID])?;
    let empty: Vec<(String, Cid)> = Vec::new();
    let builtin_actors = state::put(rt.store(), &empty)?;
    state::save(rt, &State { builtin_actors })?;
    Ok(())
}

/// Routes a call.
pub fn invoke(
    rt: &impl Runtime,
    method: MethodNum,
    params: Option<fvm_ipld_encoding::ipld_block::IpldBlock>,
) -> Result<Option<fvm_ipld_encoding::ipld_block::IpldBlock>> {
    actorlib_kit::dispatch::restrict_internal_api(rt, method)?;
    dispatch!(rt, method, params; Method::Constructor => constructor)
}

#[cfg(feature = "fil-actor")]
actorlib_kit::wasm_trampoline!(invoke);
