//! Checked calls to other actors.
//!
//! [`send`] encodes the parameters, checks the callee's exit code and decodes the return; a syscall
//! failure or a non-zero exit becomes an [`ActorError`] (the callee's code is kept, so a caller can
//! propagate it with `?` or map it).
//!
//! ```
//! use actorlib_kit::{messaging, FakeRuntime};
//! use actorlib_kit::runtime::{fake::ExpectedSend, SendResponse};
//! use fvm_ipld_encoding::ipld_block::IpldBlock;
//! use fvm_shared::{address::Address, econ::TokenAmount, error::ExitCode};
//!
//! let rt = FakeRuntime::new(1000);
//! rt.expect_send(ExpectedSend {
//!     to: Address::new_id(5), method: 42, params: IpldBlock::serialize_cbor(&1u64).unwrap(),
//!     value: TokenAmount::default(),
//!     response: Ok(SendResponse { exit_code: ExitCode::OK, return_data: IpldBlock::serialize_cbor(&2u64).unwrap() }),
//! });
//! let r: u64 = messaging::send(&rt, &Address::new_id(5), 42, &1u64, TokenAmount::default()).unwrap();
//! assert_eq!(r, 2);
//! ```
use fvm_ipld_encoding::ipld_block::IpldBlock;
use fvm_shared::address::Address;
use fvm_shared::econ::TokenAmount;
use fvm_shared::error::{ErrorNumber, ExitCode};
use fvm_shared::MethodNum;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::runtime::SendResponse;
use crate::{params, ActorError, Result, Runtime};

/// The exit code a failed send syscall maps to (the same mapping as the builtin actors' runtime).
pub fn send_error_code(e: ErrorNumber) -> ExitCode {
    match e {
        ErrorNumber::NotFound => ExitCode::USR_UNSPECIFIED,
        ErrorNumber::InsufficientFunds => ExitCode::USR_INSUFFICIENT_FUNDS,
        ErrorNumber::ReadOnly => ExitCode::USR_READ_ONLY,
        _ => ExitCode::USR_ASSERTION_FAILED,
    }
}

/// Sends a raw call and returns the callee's response, failing only on a syscall error.
pub fn send_raw(
    rt: &impl Runtime,
    to: &Address,
    method: MethodNum,
    params: Option<IpldBlock>,
    value: TokenAmount,
    read_only: bool,
) -> Result<SendResponse> {
    rt.send(to, method, params, value, read_only).map_err(|e| {
        ActorError::new(send_error_code(e), format!("send to {to} method {method} failed: {e:?}"))
    })
}

/// Sends a call, requires exit code 0 and decodes the return (`()` for none).
pub fn send<P: Serialize, R: DeserializeOwned>(
    rt: &impl Runtime,
    to: &Address,
    method: MethodNum,
    params: &P,
    value: TokenAmount,
) -> Result<R> {
    let r = send_raw(rt, to, method, params::params(params)?, value, false)?;
    decode_response(to, method, r)
}

/// Like [`send`], read-only: the callee cannot change state, emit events or send value.
pub fn send_read_only<P: Serialize, R: DeserializeOwned>(
    rt: &impl Runtime,
    to: &Address,
    method: MethodNum,
    params: &P,
) -> Result<R> {
    let r = send_raw(rt, to, method, params::params(params)?, TokenAmount::default(), true)?;
    decode_response(to, method, r)
}

/// Turns a callee's response into its decoded return, or an error carrying the callee's exit code.
pub fn decode_response<R: DeserializeOwned>(
    to: &Address,
    method: MethodNum,
    r: SendResponse,
) -> Result<R> {
    if !r.exit_code.is_success() {
        return Err(ActorError::new(
            r.exit_code,
            format!("{to} method {method} exited with {}", r.exit_code),
        )
        .with_data(r.return_data));
    }
    params::decode(r.return_data).map_err(|e| e.wrap(format!("return of {to} method {method}")))
}

/// Sends FIL with no method call (method 0).
pub fn transfer(rt: &impl Runtime, to: &Address, value: TokenAmount) -> Result<()> {
    let r = send_raw(rt, to, fvm_shared::METHOD_SEND, None, value, false)?;
    decode_response(to, fvm_shared::METHOD_SEND, r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::fake::ExpectedSend;
    use crate::FakeRuntime;

    #[test]
    fn callee_errors_keep_their_code() {
        let rt = FakeRuntime::new(1000);
        let to = Address::new_id(5);
        rt.expect_send(ExpectedSend {
            to,
            method: 7,
            params: None,
            value: TokenAmount::default(),
            response: Ok(SendResponse { exit_code: ExitCode::USR_FORBIDDEN, return_data: None }),
        });
        let e = send::<(), ()>(&rt, &to, 7, &(), TokenAmount::default()).unwrap_err();
        assert_eq!(e.code(), ExitCode::USR_FORBIDDEN);
    }

    #[test]
    fn syscall_errors_map_like_builtin_actors() {
        let rt = FakeRuntime::new(1000);
        let to = Address::new_id(5);
        rt.expect_send(ExpectedSend {
            to,
            method: 0,
            params: None,
            value: TokenAmount::from_atto(5),
            response: Err(ErrorNumber::NotFound),
        });
        rt.set_balance(TokenAmount::from_atto(10));
        let e = transfer(&rt, &to, TokenAmount::from_atto(5)).unwrap_err();
        assert_eq!(e.code(), ExitCode::USR_UNSPECIFIED);
        assert_eq!(
            send_error_code(ErrorNumber::InsufficientFunds),
            ExitCode::USR_INSUFFICIENT_FUNDS
        );
        assert_eq!(send_error_code(ErrorNumber::ReadOnly), ExitCode::USR_READ_ONLY);
        assert_eq!(send_error_code(ErrorNumber::LimitExceeded), ExitCode::USR_ASSERTION_FAILED);
    }

    #[test]
    fn bad_returns_are_serialization_errors() {
        let rt = FakeRuntime::new(1000);
        let to = Address::new_id(5);
        rt.expect_send(ExpectedSend {
            to,
            method: 9,
            params: None,
            value: TokenAmount::default(),
            response: Ok(SendResponse {
                exit_code: ExitCode::OK,
                return_data: IpldBlock::serialize_cbor(&"text").unwrap(),
            }),
        });
        let e = send_read_only::<(), u64>(&rt, &to, 9, &()).unwrap_err();
        assert_eq!(e.code(), ExitCode::USR_SERIALIZATION);
        assert!(rt.sent()[0].read_only);
    }
}
