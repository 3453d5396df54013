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

use crate::{params, Result};

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
    fn accepts_only_exported_methods() {
        let rt = FakeRuntime::new(1000);
        assert_eq!(accept_exported(&rt, FIRST_EXPORTED_METHOD_NUMBER, None).unwrap(), None);
        assert_eq!(accept_exported(&rt, crate::method_hash!("Receive"), None).unwrap(), None);
        let e = accept_exported(&rt, FIRST_EXPORTED_METHOD_NUMBER - 1, None).unwrap_err();
        assert_eq!(e.code().value(), 22);
    }
}
