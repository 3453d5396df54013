//! Caller checks and address resolution.
//!
//! State is keyed by actor IDs only: resolve every address a caller passes with [`resolve_id`] (or
//! [`resolve_or_create`] where sending to a fresh key address should create its account).
//!
//! ```
//! use actorlib_kit::{caller, FakeRuntime};
//! let rt = FakeRuntime::new(1000);
//! rt.set_caller(101);
//! assert!(caller::require_caller(&rt, &[100, 101]).is_ok());
//! assert_eq!(caller::require_caller(&rt, &[100]).unwrap_err().code().value(), 18);
//! ```
use fvm_shared::address::Address;
use fvm_shared::econ::TokenAmount;
use fvm_shared::{ActorID, METHOD_SEND};

use crate::{actor_error, ActorError, Result, Runtime};

/// Fails with `USR_FORBIDDEN` unless the immediate caller is one of `allowed`.
pub fn require_caller(rt: &impl Runtime, allowed: &[ActorID]) -> Result<ActorID> {
    let caller = rt.caller();
    if allowed.contains(&caller) {
        Ok(caller)
    } else {
        Err(actor_error!(forbidden; "caller f0{} is not allowed", caller))
    }
}

/// Fails with `USR_FORBIDDEN` unless the immediate caller's builtin type is `builtin_type`.
pub fn require_caller_type(rt: &impl Runtime, builtin_type: i32) -> Result<ActorID> {
    let caller = rt.caller();
    let is_type = rt.actor_code(caller).and_then(|c| rt.builtin_type(&c)) == Some(builtin_type);
    if is_type {
        Ok(caller)
    } else {
        Err(actor_error!(forbidden; "caller f0{} is not of builtin type {}", caller, builtin_type))
    }
}

/// Fails with `USR_READ_ONLY` if the call is read-only: call first in every method that writes.
pub fn require_writable(rt: &impl Runtime) -> Result<()> {
    if rt.read_only() {
        Err(ActorError::read_only("method changes state and cannot run read-only"))
    } else {
        Ok(())
    }
}

/// Fails with `USR_NOT_PAYABLE` if the call carries value.
pub fn require_no_value(rt: &impl Runtime) -> Result<()> {
    let v = rt.value_received();
    if v.is_zero() {
        Ok(())
    } else {
        Err(actor_error!(not_payable; "method does not accept value (received {})", v))
    }
}

/// Resolves an address to an actor ID, or fails with `USR_NOT_FOUND`.
pub fn resolve_id(rt: &impl Runtime, address: &Address) -> Result<ActorID> {
    rt.resolve_address(address)
        .ok_or_else(|| actor_error!(not_found; "address {} does not resolve to an actor", address))
}

/// Resolves an address to an actor ID, creating the actor by sending it nothing if it does not exist
/// yet (the FVM creates accounts for f1/f3 and placeholders for f410 addresses). Other addresses
/// that don't resolve fail with `USR_NOT_FOUND`.
pub fn resolve_or_create(rt: &impl Runtime, address: &Address) -> Result<ActorID> {
    if let Some(id) = rt.resolve_address(address) {
        return Ok(id);
    }
    crate::caller::require_writable(rt)?;
    let r = rt
        .send(address, METHOD_SEND, None, TokenAmount::default(), false)
        .map_err(|e| actor_error!(not_found; "address {} cannot be created: {:?}", address, e))?;
    if !r.exit_code.is_success() {
        return Err(
            actor_error!(not_found; "creating {} failed with exit {}", address, r.exit_code),
        );
    }
    resolve_id(rt, address)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::fake::ExpectedSend;
    use crate::runtime::SendResponse;
    use crate::FakeRuntime;
    use fvm_shared::error::ExitCode;

    #[test]
    fn checks_callers_and_context() {
        let rt = FakeRuntime::new(1000);
        rt.set_caller(5);
        assert_eq!(require_caller(&rt, &[5]).unwrap(), 5);
        assert_eq!(require_caller(&rt, &[]).unwrap_err().code(), ExitCode::USR_FORBIDDEN);
        assert!(require_writable(&rt).is_ok());
        rt.set_read_only(true);
        assert_eq!(require_writable(&rt).unwrap_err().code(), ExitCode::USR_READ_ONLY);
        assert!(require_no_value(&rt).is_ok());
        rt.set_value(TokenAmount::from_atto(1));
        assert_eq!(require_no_value(&rt).unwrap_err().code(), ExitCode::USR_NOT_PAYABLE);
    }

    #[test]
    fn checks_caller_type() {
        let rt = FakeRuntime::new(1000);
        let code = cid::Cid::default();
        rt.set_code(7, code, Some(6));
        rt.set_caller(7);
        assert_eq!(require_caller_type(&rt, 6).unwrap(), 7);
        assert_eq!(require_caller_type(&rt, 7).unwrap_err().code(), ExitCode::USR_FORBIDDEN);
        rt.set_caller(8);
        assert_eq!(require_caller_type(&rt, 6).unwrap_err().code(), ExitCode::USR_FORBIDDEN);
    }

    #[test]
    fn resolves_and_creates() {
        let rt = FakeRuntime::new(1000);
        let key = Address::new_secp256k1(&[4u8; 65]).unwrap();
        assert_eq!(resolve_id(&rt, &key).unwrap_err().code(), ExitCode::USR_NOT_FOUND);
        rt.expect_send(ExpectedSend {
            to: key,
            method: METHOD_SEND,
            params: None,
            value: TokenAmount::default(),
            response: Ok(SendResponse { exit_code: ExitCode::OK, return_data: None }),
        });
        // The fake does not create actors itself: the send succeeds but the address still does not
        // resolve, which must be reported rather than assumed.
        assert_eq!(resolve_or_create(&rt, &key).unwrap_err().code(), ExitCode::USR_NOT_FOUND);
        rt.register(key, 200);
        assert_eq!(resolve_or_create(&rt, &key).unwrap(), 200);
        assert_eq!(rt.sent().len(), 1);
    }
}
