//! Method dispatch and the Wasm entry point.
//!
//! An actor lists its methods once in a [`dispatch!`](crate::dispatch!) table; each handler has the
//! shape `fn(&impl Runtime, Params) -> Result<Return>` and the table decodes parameters and encodes
//! returns. [`wasm_trampoline!`](crate::wasm_trampoline!) exports `invoke` (only behind the actor
//! crate's `fil-actor` feature, so that the crate can be imported as a plain library).
//!
//! ```
//! use actorlib_kit::{dispatch, FakeRuntime, Result, Runtime};
//! use fvm_ipld_encoding::ipld_block::IpldBlock;
//! use fvm_shared::MethodNum;
//!
//! #[repr(u64)]
//! enum Method { Constructor = 1, Double = 2 }
//!
//! fn constructor(_rt: &impl Runtime, _: ()) -> Result<()> { Ok(()) }
//! fn double(_rt: &impl Runtime, n: u64) -> Result<u64> { Ok(n * 2) }
//!
//! fn invoke(rt: &impl Runtime, method: MethodNum, params: Option<IpldBlock>) -> Result<Option<IpldBlock>> {
//!     dispatch!(rt, method, params;
//!         Method::Constructor => constructor,
//!         Method::Double => double,
//!     )
//! }
//!
//! let rt = FakeRuntime::new(1000);
//! let ret = invoke(&rt, 2, IpldBlock::serialize_cbor(&21u64).unwrap()).unwrap();
//! assert_eq!(ret.unwrap().deserialize::<u64>().unwrap(), 42);
//! assert_eq!(invoke(&rt, 3, None).unwrap_err().code().value(), 22);
//! ```
use fvm_ipld_encoding::ipld_block::IpldBlock;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::{params, Result, Runtime};

/// Decodes parameters, runs a handler and encodes its return. Used by [`dispatch!`](crate::dispatch!).
pub fn call<RT, P, R, F>(rt: &RT, raw: Option<IpldBlock>, handler: F) -> Result<Option<IpldBlock>>
where
    P: DeserializeOwned,
    R: Serialize,
    F: FnOnce(&RT, P) -> Result<R>,
{
    let p = params::decode(raw)?;
    let r = handler(rt, p)?;
    params::encode(&r)
}

/// The first FRC-42 exported method number: methods at or above it may be called by any actor.
pub const FIRST_EXPORTED_METHOD_NUMBER: fvm_shared::MethodNum = 1 << 24;

/// Refuses a legacy method number (below [`FIRST_EXPORTED_METHOD_NUMBER`]) unless the immediate
/// caller is a builtin actor: the rule every Filecoin builtin actor dispatched by builtin-actors'
/// `actor_dispatch!` applies before it even looks at the method (FIP-0050; builtin-actors
/// `runtime/src/builtin/shared.rs`, `restrict_internal_api`).
///
/// - Methods at or above 2^24 (the FRC-42 exported numbers) pass for any caller.
/// - Below 2^24 — the constructor (1), every legacy number, and unknown small numbers alike — the
///   caller's code must be a builtin actor type (system, init, cron, account, power, miner, market,
///   payment channel, multisig, reward, verified registry, DataCap, placeholder, EAM, ethaccount),
///   else the call fails with `USR_FORBIDDEN`. An **EVM** contract is refused too, although its
///   code is builtin: contracts, like user actors, must use the exported numbers. A caller with no
///   code is refused as well.
/// - The check comes first, so a user actor calling an unknown small number of a restricted actor
///   gets `USR_FORBIDDEN`, not `USR_UNHANDLED_MESSAGE`; a builtin caller gets the method's own result
///   (its own caller checks still apply: the rule only narrows, it never grants).
///
/// Method 0 (a plain value transfer) never reaches actor code in the FVM, so it is not affected.
/// Constructors pass because the FVM and builtin actors call them from system or init.
///
/// Call it first in `invoke`, before `dispatch!`, in an actor that stands in for a restricted
/// builtin actor. Actors of your own should not: user actors have no such rule.
///
/// ```
/// use actorlib_kit::builtin::BuiltinType;
/// use actorlib_kit::dispatch::restrict_internal_api;
/// use actorlib_kit::FakeRuntime;
/// use multihash_codetable::{Code, MultihashDigest};
///
/// let code = |name: &[u8]| cid::Cid::new_v1(0x55, Code::Blake2b256.digest(name));
/// let (account_code, user_code) = (code(b"account"), code(b"my actor"));
/// let rt = FakeRuntime::new(5);
/// rt.set_code(101, account_code, Some(BuiltinType::Account as i32));
/// rt.set_code(102, user_code, None); // a user actor: code, but no builtin type
/// rt.set_caller(101);
/// assert!(restrict_internal_api(&rt, 2).is_ok());
/// rt.set_caller(102);
/// assert_eq!(restrict_internal_api(&rt, 2).unwrap_err().code().value(), 18); // USR_FORBIDDEN
/// assert!(restrict_internal_api(&rt, actorlib_kit::method_hash!("AddBalance")).is_ok());
/// ```
pub fn restrict_internal_api(rt: &impl Runtime, method: fvm_shared::MethodNum) -> Result<()> {
    if method >= FIRST_EXPORTED_METHOD_NUMBER {
        return Ok(());
    }
    let caller = rt.caller();
    let Some(code) = rt.actor_code(caller) else {
        return Err(
            crate::actor_error!(forbidden; "no code for caller f0{} of method {}", caller, method),
        );
    };
    match rt.builtin_type(&code) {
        Some(t) if t != crate::builtin::BuiltinType::Evm as i32 => Ok(()),
        _ => Err(
            crate::actor_error!(forbidden; "caller f0{} of method {} must be built-in", caller, method),
        ),
    }
}

/// A `dispatch!` fallback that accepts every FRC-42 exported method with no effect and no return
/// (as accounts do, so that they accept receiver hooks and other notifications), and rejects other
/// unknown methods with `USR_UNHANDLED_MESSAGE`.
pub fn accept_exported<RT>(
    _rt: &RT,
    method: fvm_shared::MethodNum,
    _params: Option<IpldBlock>,
) -> Result<Option<IpldBlock>> {
    if method >= FIRST_EXPORTED_METHOD_NUMBER {
        Ok(None)
    } else {
        Err(crate::ActorError::unhandled_message(format!("unknown method {method}")))
    }
}

/// Routes a method number to its handler; unknown numbers fail with `USR_UNHANDLED_MESSAGE`.
///
/// `dispatch!(rt, method, params; Method::A => a, Method::B => b,)`. An optional final arm
/// `_ => fallback` names a function `fn(&RT, MethodNum, Option<IpldBlock>) -> Result<Option<IpldBlock>>`
/// that receives every other method (e.g. to accept all FRC-42 methods, as accounts do).
#[macro_export]
macro_rules! dispatch {
    ($rt:expr, $method:expr, $params:expr; $($m:expr => $handler:expr),+ $(,)?) => {{
        let method: u64 = $method;
        let params = $params;
        $(
            if method == $m as u64 {
                return $crate::dispatch::call($rt, params, $handler);
            }
        )+
        Err($crate::ActorError::unhandled_message(format!("unknown method {method}")))
    }};
    ($rt:expr, $method:expr, $params:expr; $($m:expr => $handler:expr,)+ _ => $fallback:expr $(,)?) => {{
        let method: u64 = $method;
        let params = $params;
        $(
            if method == $m as u64 {
                return $crate::dispatch::call($rt, params, $handler);
            }
        )+
        $fallback($rt, method, params)
    }};
}

/// Runs one call in the FVM: reads the method and parameters, dispatches, and returns the block ID
/// of the return value or aborts with the error's exit code and message.
#[doc(hidden)]
pub fn invoke_fvm(
    params_id: u32,
    dispatch: fn(
        &crate::FvmRuntime,
        fvm_shared::MethodNum,
        Option<IpldBlock>,
    ) -> Result<Option<IpldBlock>>,
) -> u32 {
    use fvm_shared::error::ExitCode;
    let rt = crate::FvmRuntime::default();
    let method = fvm_sdk::message::method_number();
    let params = match fvm_sdk::message::params_raw(params_id) {
        Ok(p) => p,
        Err(e) => fvm_sdk::vm::abort(
            ExitCode::USR_SERIALIZATION.value(),
            Some(&format!("reading parameters: {e}")),
        ),
    };
    match dispatch(&rt, method, params) {
        Ok(None) => fvm_sdk::NO_DATA_BLOCK_ID,
        Ok(Some(ret)) => match fvm_sdk::ipld::put_block(ret.codec, &ret.data) {
            Ok(id) => id,
            Err(e) => fvm_sdk::vm::abort(
                ExitCode::USR_SERIALIZATION.value(),
                Some(&format!("writing return value: {e}")),
            ),
        },
        Err(mut e) => {
            let data = e.take_data();
            fvm_sdk::vm::exit(e.exit_code().value(), data, Some(e.message()))
        }
    }
}

/// Exports the Wasm `invoke` entry point for an actor whose dispatch function (in the same module) is
/// `fn(&FvmRuntime, MethodNum, Option<IpldBlock>) -> Result<Option<IpldBlock>>`.
///
/// Put it behind the actor crate's `fil-actor` feature:
/// `#[cfg(feature = "fil-actor")] actorlib_kit::wasm_trampoline!(invoke);`. The export lives in a
/// private module, so the dispatch function may itself be called `invoke`.
#[macro_export]
macro_rules! wasm_trampoline {
    ($dispatch:ident) => {
        mod __actorlib_wasm_entry {
            #[no_mangle]
            pub extern "C" fn invoke(params_id: u32) -> u32 {
                $crate::dispatch::invoke_fvm(params_id, |rt, method, params| {
                    super::$dispatch(rt, method, params)
                })
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FakeRuntime;

    #[test]
    fn legacy_methods_are_for_builtin_callers() {
        use crate::builtin::BuiltinType;
        use fvm_shared::error::ExitCode;
        use multihash_codetable::MultihashDigest;
        let code = |n: u8| {
            let mh = multihash_codetable::Code::Blake2b256.digest(&[n]);
            cid::Cid::new_v1(fvm_shared::IPLD_RAW, mh)
        };
        let rt = FakeRuntime::new(5);
        rt.set_code(0, code(1), Some(BuiltinType::System as i32));
        rt.set_code(1, code(2), Some(BuiltinType::Init as i32));
        rt.set_code(101, code(4), Some(BuiltinType::Account as i32));
        rt.set_code(102, code(9), Some(BuiltinType::Multisig as i32));
        rt.set_code(103, code(16), Some(BuiltinType::EthAccount as i32));
        rt.set_code(104, code(13), Some(BuiltinType::Placeholder as i32));
        rt.set_code(105, code(14), Some(BuiltinType::Evm as i32));
        rt.set_code(106, code(100), None);
        let legacy = [1, 2, 3, 16, 999, FIRST_EXPORTED_METHOD_NUMBER - 1];
        let exported = [FIRST_EXPORTED_METHOD_NUMBER, crate::method_hash!("AddBalance"), u64::MAX];
        // Builtin callers (any type but EVM) may call every number.
        for caller in [0, 1, 101, 102, 103, 104] {
            rt.set_caller(caller);
            for m in legacy.iter().chain(&exported) {
                assert!(restrict_internal_api(&rt, *m).is_ok(), "caller {caller} method {m}");
            }
        }
        // A user actor, an EVM contract and a caller with no code: exported numbers only.
        for caller in [105, 106, 107] {
            rt.set_caller(caller);
            for m in legacy {
                let e = restrict_internal_api(&rt, m).unwrap_err();
                assert_eq!(e.code(), ExitCode::USR_FORBIDDEN, "caller {caller} method {m}");
                assert!(e.message().contains(&format!("f0{caller}")), "{}", e.message());
            }
            for m in exported {
                assert!(restrict_internal_api(&rt, m).is_ok(), "caller {caller} method {m}");
            }
        }
    }

    #[test]
    fn accepts_only_exported_methods() {
        let rt = FakeRuntime::new(1000);
        assert_eq!(accept_exported(&rt, FIRST_EXPORTED_METHOD_NUMBER, None).unwrap(), None);
        assert_eq!(accept_exported(&rt, crate::method_hash!("Receive"), None).unwrap(), None);
        let e = accept_exported(&rt, FIRST_EXPORTED_METHOD_NUMBER - 1, None).unwrap_err();
        assert_eq!(e.code().value(), 22);
    }
}
