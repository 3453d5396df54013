//! Sandbox stand-in for the Ethereum address manager (f010).
//!
//! Real interface (builtin-actors `actors/eam`): 1 Constructor (caller f00), 2 Create and 3 Create2
//! (caller must be an EVM actor), 4 CreateExternal (caller must be the message origin) — all deploy
//! EVM contracts through init `Exec4`. The sandbox has no EVM, so the constructor is the only method
//! that succeeds; the creation methods fail with `USR_FORBIDDEN` for non-EVM callers (as on a real
//! network) and otherwise `USR_UNHANDLED_MESSAGE`. The FVM itself only needs ID 10 to exist: it is
//! the namespace of f410 addresses.
//!
//! Unlike most builtin actors, the real EAM is dispatched with `actor_dispatch_unrestricted!`: its
//! small method numbers are open to any caller, so this stand-in does not apply
//! [`actorlib_kit::dispatch::restrict_internal_api`] either.
use actorlib_kit::builtin::SYSTEM_ACTOR_ID;
use actorlib_kit::{caller, dispatch, ActorError, Result, Runtime};
use fvm_ipld_encoding::ipld_block::IpldBlock;
use fvm_shared::MethodNum;

/// Method numbers.
#[repr(u64)]
pub enum Method {
    /// Constructor.
    Constructor = 1,
}

/// Constructor: caller must be the system actor.
pub fn constructor(rt: &impl Runtime, _: ()) -> Result<()> {
    caller::require_caller(rt, &[SYSTEM_ACTOR_ID])?;
    Ok(())
}

fn create(rt: &impl Runtime, method: MethodNum, _: Option<IpldBlock>) -> Result<Option<IpldBlock>> {
    match method {
        2 | 3 => Err(ActorError::forbidden(format!(
            "caller f0{} is not an EVM actor (EVM is not modelled in the sandbox)",
            rt.caller()
        ))),
        _ => Err(ActorError::unhandled_message(format!(
            "method {method}: EVM deployment is not modelled in the sandbox"
        ))),
    }
}

/// Routes a call.
pub fn invoke(
    rt: &impl Runtime,
    method: MethodNum,
    params: Option<IpldBlock>,
) -> Result<Option<IpldBlock>> {
    dispatch!(rt, method, params; Method::Constructor => constructor, _ => create)
}

#[cfg(feature = "fil-actor")]
actorlib_kit::wasm_trampoline!(invoke);
