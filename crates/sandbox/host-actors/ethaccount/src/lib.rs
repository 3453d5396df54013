//! Sandbox stand-in for the ethaccount actor (an Ethereum-style externally owned account, f410).
//!
//! Real interface (builtin-actors `actors/ethaccount`): 1 Constructor (caller f00; the receiver must
//! have an f410 delegated address, else `USR_ILLEGAL_ARGUMENT`), no state; every FRC-42 method
//! (>= 2^24) succeeds with no return, smaller unknown methods fail with `USR_UNHANDLED_MESSAGE`.
use actorlib_kit::builtin::{EAM_ACTOR_ID, SYSTEM_ACTOR_ID};
use actorlib_kit::{caller, dispatch, ActorError, Result, Runtime};
use fvm_ipld_encoding::ipld_block::IpldBlock;
use fvm_shared::address::Payload;
use fvm_shared::MethodNum;

/// The first FRC-42 exported method number.
pub use actorlib_kit::dispatch::FIRST_EXPORTED_METHOD_NUMBER;

/// Method numbers.
#[repr(u64)]
pub enum Method {
    /// Constructor.
    Constructor = 1,
}

/// Constructor: caller f00, and this actor must have an f410 address.
pub fn constructor(rt: &impl Runtime, _: ()) -> Result<()> {
    caller::require_caller(rt, &[SYSTEM_ACTOR_ID])?;
    match rt.delegated_address(rt.receiver()).map(|a| *a.payload()) {
        Some(Payload::Delegated(d)) if d.namespace() == EAM_ACTOR_ID => Ok(()),
        _ => Err(ActorError::illegal_argument("receiver must have an f410 address")),
    }
}

/// Routes a call.
pub fn invoke(
    rt: &impl Runtime,
    method: MethodNum,
    params: Option<IpldBlock>,
) -> Result<Option<IpldBlock>> {
    dispatch!(rt, method, params; Method::Constructor => constructor, _ => actorlib_kit::dispatch::accept_exported)
}

#[cfg(feature = "fil-actor")]
actorlib_kit::wasm_trampoline!(invoke);
