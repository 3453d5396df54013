//! Filler for builtin actor types the sandbox does not model (cron, payment channel, multisig,
//! verified registry, DataCap, EVM, ...).
//!
//! The manifest must list every builtin type in canonical order so that type IDs match a real network;
//! the bundle gives each slot this actor's code with a distinct custom section, so every slot has its
//! own code CID. Any call fails with `USR_UNHANDLED_MESSAGE`, saying the type is not modelled.
use actorlib_kit::{ActorError, Result, Runtime};
use fvm_ipld_encoding::ipld_block::IpldBlock;
use fvm_shared::MethodNum;

/// Rejects every call.
pub fn invoke(
    _rt: &impl Runtime,
    method: MethodNum,
    _: Option<IpldBlock>,
) -> Result<Option<IpldBlock>> {
    Err(ActorError::unhandled_message(format!(
        "method {method}: this builtin actor type is not modelled in the actorlib sandbox"
    )))
}

#[cfg(feature = "fil-actor")]
actorlib_kit::wasm_trampoline!(invoke);
