//! Filler for builtin actor types the sandbox does not model (cron, payment channel, multisig,
//! verified registry, DataCap, EVM, ...).
//!
//! The manifest must list every builtin type in canonical order so that type IDs match a real network;
//! the bundle gives each slot this actor's code with a distinct custom section, so every slot has its
//! own code CID. Any call fails with `USR_UNHANDLED_MESSAGE`, saying the type is not modelled.
//!
//! Legacy method numbers: the real cron, payment channel, multisig, verified registry and DataCap
//! actors refuse every method number below 2^24 from a caller that is not a builtin actor
//! (`USR_FORBIDDEN`, before looking at the method; builtin-actors `actor_dispatch!`), and so does
//! this filler in their slots. The real EVM actor does not (`actor_dispatch_unrestricted!`), so in
//! the EVM slot every call is `USR_UNHANDLED_MESSAGE`. The filler reads its own type from its code.
use actorlib_kit::builtin::BuiltinType;
use actorlib_kit::{ActorError, Result, Runtime};
use fvm_ipld_encoding::ipld_block::IpldBlock;
use fvm_shared::MethodNum;

/// Whether this filler stands in for a builtin type whose real actor restricts legacy methods to
/// builtin callers: every type it fills but EVM.
pub fn restricts_legacy_methods(rt: &impl Runtime) -> bool {
    let own_type = rt.actor_code(rt.receiver()).and_then(|c| rt.builtin_type(&c));
    own_type != Some(BuiltinType::Evm as i32)
}

/// Rejects every call: `USR_FORBIDDEN` for a legacy number from a non-builtin caller (except in the
/// EVM slot), else `USR_UNHANDLED_MESSAGE`.
pub fn invoke(
    rt: &impl Runtime,
    method: MethodNum,
    _: Option<IpldBlock>,
) -> Result<Option<IpldBlock>> {
    if restricts_legacy_methods(rt) {
        actorlib_kit::dispatch::restrict_internal_api(rt, method)?;
    }
    Err(ActorError::unhandled_message(format!(
        "method {method}: this builtin actor type is not modelled in the actorlib sandbox"
    )))
}

#[cfg(feature = "fil-actor")]
actorlib_kit::wasm_trampoline!(invoke);

#[cfg(test)]
mod tests {
    use super::*;
    use actorlib_kit::FakeRuntime;
    use cid::Cid;
    use fvm_shared::error::ExitCode;

    /// A distinct code CID per name (identity multihash).
    fn code(name: &str) -> Cid {
        let mh = cid::multihash::Multihash::wrap(0, name.as_bytes()).unwrap();
        Cid::new_v1(fvm_shared::IPLD_RAW, mh)
    }

    /// The filler in slot `own` (its ID 1000), called by an account (101) and a user actor (102).
    fn filler(own: BuiltinType) -> FakeRuntime {
        let rt = FakeRuntime::new(1000);
        rt.set_code(1000, code("filler"), Some(own as i32));
        rt.set_code(101, code("account"), Some(BuiltinType::Account as i32));
        rt.set_code(102, code("user"), None);
        rt
    }

    fn exit(rt: &FakeRuntime, caller: u64, method: MethodNum) -> ExitCode {
        rt.set_caller(caller);
        invoke(rt, method, None).unwrap_err().code()
    }

    #[test]
    fn restricted_slots_refuse_legacy_numbers_from_user_actors() {
        let exported = actorlib_kit::method_hash!("Receive");
        for own in [
            BuiltinType::Cron,
            BuiltinType::PaymentChannel,
            BuiltinType::Multisig,
            BuiltinType::VerifiedRegistry,
            BuiltinType::DataCap,
        ] {
            let rt = filler(own);
            assert!(restricts_legacy_methods(&rt));
            assert_eq!(exit(&rt, 102, 2), ExitCode::USR_FORBIDDEN, "{own:?}");
            assert_eq!(exit(&rt, 102, exported), ExitCode::USR_UNHANDLED_MESSAGE, "{own:?}");
            assert_eq!(exit(&rt, 101, 2), ExitCode::USR_UNHANDLED_MESSAGE, "{own:?}");
        }
    }

    #[test]
    fn the_evm_slot_is_unrestricted() {
        let rt = filler(BuiltinType::Evm);
        assert!(!restricts_legacy_methods(&rt));
        for caller in [101, 102] {
            assert_eq!(exit(&rt, caller, 2), ExitCode::USR_UNHANDLED_MESSAGE);
        }
    }
}
