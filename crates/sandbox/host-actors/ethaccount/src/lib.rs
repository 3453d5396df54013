//! Sandbox stand-in for the ethaccount actor (an Ethereum-style externally owned account, f410).
//!
//! Real interface (builtin-actors `actors/ethaccount`): 1 Constructor (caller f00; the receiver must
//! have an f410 delegated address, else `USR_ILLEGAL_ARGUMENT`), no state; every FRC-42 method
//! (>= 2^24) succeeds with no return, smaller unknown methods fail with `USR_UNHANDLED_MESSAGE`.
//! Like the real actor (`actor_dispatch!`), every number below 2^24 fails first with `USR_FORBIDDEN`
//! for a caller that is not a builtin actor (or is an EVM contract)
//! ([`actorlib_kit::dispatch::restrict_internal_api`]).
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
    actorlib_kit::dispatch::restrict_internal_api(rt, method)?;
    dispatch!(rt, method, params; Method::Constructor => constructor, _ => actorlib_kit::dispatch::accept_exported)
}

#[cfg(feature = "fil-actor")]
actorlib_kit::wasm_trampoline!(invoke);

#[cfg(test)]
mod tests {
    use super::*;
    use actorlib_kit::builtin::BuiltinType;
    use actorlib_kit::FakeRuntime;
    use fvm_shared::error::ExitCode;

    fn code(name: &str) -> cid::Cid {
        let mh = cid::multihash::Multihash::wrap(0, name.as_bytes()).unwrap();
        cid::Cid::new_v1(fvm_shared::IPLD_RAW, mh)
    }

    #[test]
    fn legacy_numbers_are_for_builtin_callers() {
        let rt = FakeRuntime::new(1000);
        rt.set_code(101, code("account"), Some(BuiltinType::Account as i32));
        rt.set_code(102, code("user"), None);
        rt.set_code(103, code("evm"), Some(BuiltinType::Evm as i32));
        let receive = actorlib_kit::method_hash!("Receive");
        for caller in [102, 103] {
            rt.set_caller(caller);
            for m in [1, 2, 42] {
                let e = invoke(&rt, m, None).unwrap_err();
                assert_eq!(e.code(), ExitCode::USR_FORBIDDEN, "caller {caller} method {m}");
            }
            assert_eq!(invoke(&rt, receive, None).unwrap(), None);
        }
        rt.set_caller(101);
        assert_eq!(invoke(&rt, 2, None).unwrap_err().code(), ExitCode::USR_UNHANDLED_MESSAGE);
        assert_eq!(invoke(&rt, 1, None).unwrap_err().code(), ExitCode::USR_FORBIDDEN);
        assert_eq!(invoke(&rt, receive, None).unwrap(), None);
    }
}
