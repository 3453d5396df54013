//! The one error type every actorlib actor returns.
//!
//! An [`ActorError`] carries the exit code the message aborts with and a message for humans. Library
//! errors (HAMT, AMT, CBOR) convert with `?`: storage faults become `USR_ILLEGAL_STATE`, decoding
//! faults `USR_SERIALIZATION`. Use [`Context`] to pick a different code and add context:
//!
//! ```
//! use actorlib_kit::{ActorError, Context, Result, actor_error};
//! use fvm_shared::error::ExitCode;
//!
//! fn parse(n: Option<u64>) -> Result<u64> {
//!     let v = n.context_code(ExitCode::USR_NOT_FOUND, "no value")?;
//!     if v > 10 {
//!         return Err(actor_error!(illegal_argument; "value {} exceeds 10", v));
//!     }
//!     Ok(v)
//! }
//! assert_eq!(parse(None).unwrap_err().code(), ExitCode::USR_NOT_FOUND);
//! assert_eq!(parse(Some(11)).unwrap_err().message(), "value 11 exceeds 10");
//! ```
use std::fmt;

use fvm_ipld_encoding::ipld_block::IpldBlock;
use fvm_shared::error::ExitCode;

/// Result of every kit and actor operation.
pub type Result<T, E = ActorError> = std::result::Result<T, E>;

/// An exit code with a message (and optionally a return block), aborting the current call.
#[derive(Clone, PartialEq, Eq)]
pub struct ActorError {
    code: ExitCode,
    message: String,
    data: Option<IpldBlock>,
}

impl ActorError {
    /// An error with any exit code. System codes (below 16) are reserved for the VM: an actor that
    /// aborts with one gets `SYS_ILLEGAL_EXIT_CODE`, so the entry point replaces them with
    /// `USR_ASSERTION_FAILED` (see [`ActorError::exit_code`]).
    pub fn new(code: ExitCode, message: impl Into<String>) -> Self {
        Self { code, message: message.into(), data: None }
    }

    /// The same error carrying a return block (delivered to the caller with the abort).
    pub fn with_data(mut self, data: Option<IpldBlock>) -> Self {
        self.data = data;
        self
    }

    /// `USR_ILLEGAL_ARGUMENT` (16): a parameter value is invalid.
    pub fn illegal_argument(message: impl Into<String>) -> Self {
        Self::new(ExitCode::USR_ILLEGAL_ARGUMENT, message)
    }
    /// `USR_NOT_FOUND` (17): a requested entry does not exist.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(ExitCode::USR_NOT_FOUND, message)
    }
    /// `USR_FORBIDDEN` (18): the caller may not do this.
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(ExitCode::USR_FORBIDDEN, message)
    }
    /// `USR_INSUFFICIENT_FUNDS` (19): a balance or allowance is too small.
    pub fn insufficient_funds(message: impl Into<String>) -> Self {
        Self::new(ExitCode::USR_INSUFFICIENT_FUNDS, message)
    }
    /// `USR_ILLEGAL_STATE` (20): the actor's state does not allow this call (or is corrupt).
    pub fn illegal_state(message: impl Into<String>) -> Self {
        Self::new(ExitCode::USR_ILLEGAL_STATE, message)
    }
    /// `USR_SERIALIZATION` (21): parameters or state failed to (de)serialise.
    pub fn serialization(message: impl Into<String>) -> Self {
        Self::new(ExitCode::USR_SERIALIZATION, message)
    }
    /// `USR_UNHANDLED_MESSAGE` (22): the method number is not implemented.
    pub fn unhandled_message(message: impl Into<String>) -> Self {
        Self::new(ExitCode::USR_UNHANDLED_MESSAGE, message)
    }
    /// `USR_UNSPECIFIED` (23).
    pub fn unspecified(message: impl Into<String>) -> Self {
        Self::new(ExitCode::USR_UNSPECIFIED, message)
    }
    /// `USR_ASSERTION_FAILED` (24): an internal invariant does not hold.
    pub fn assertion_failed(message: impl Into<String>) -> Self {
        Self::new(ExitCode::USR_ASSERTION_FAILED, message)
    }
    /// `USR_READ_ONLY` (25): a state change was attempted in a read-only call.
    pub fn read_only(message: impl Into<String>) -> Self {
        Self::new(ExitCode::USR_READ_ONLY, message)
    }
    /// `USR_NOT_PAYABLE` (26): the method does not accept value.
    pub fn not_payable(message: impl Into<String>) -> Self {
        Self::new(ExitCode::USR_NOT_PAYABLE, message)
    }

    /// The exit code as given.
    pub fn code(&self) -> ExitCode {
        self.code
    }

    /// The exit code an actor may abort with: system codes are mapped to `USR_ASSERTION_FAILED`.
    pub fn exit_code(&self) -> ExitCode {
        if self.code.is_system_error() || self.code.is_success() {
            ExitCode::USR_ASSERTION_FAILED
        } else {
            self.code
        }
    }

    /// The human-readable message.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The return block delivered with the abort, if any.
    pub fn data(&self) -> Option<&IpldBlock> {
        self.data.as_ref()
    }

    /// Takes the return block out of the error.
    pub fn take_data(&mut self) -> Option<IpldBlock> {
        self.data.take()
    }

    /// Prefixes the message with context, keeping the code.
    pub fn wrap(mut self, context: impl fmt::Display) -> Self {
        self.message = format!("{context}: {}", self.message);
        self
    }
}

impl fmt::Debug for ActorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ActorError(exit {}: {})", self.code.value(), self.message)
    }
}

impl fmt::Display for ActorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "exit {}: {}", self.code.value(), self.message)
    }
}

impl std::error::Error for ActorError {}

/// Builds an [`ActorError`] from a code name and a format string:
/// `actor_error!(forbidden; "caller {} is not the owner", id)`.
#[macro_export]
macro_rules! actor_error {
    ($code:ident; $($fmt:tt)+) => {
        $crate::ActorError::$code(format!($($fmt)+))
    };
}

/// Attaches an exit code and context to any error or missing value.
pub trait Context<T> {
    /// Maps the error (or `None`) to an [`ActorError`] with `code` and the message `context: error`.
    fn context_code(self, code: ExitCode, context: impl fmt::Display) -> Result<T>;
    /// Like [`Context::context_code`], with the context computed only on failure.
    fn with_context_code<C: fmt::Display>(self, code: ExitCode, f: impl FnOnce() -> C)
        -> Result<T>;
}

impl<T, E: fmt::Display> Context<T> for std::result::Result<T, E> {
    fn context_code(self, code: ExitCode, context: impl fmt::Display) -> Result<T> {
        self.map_err(|e| ActorError::new(code, format!("{context}: {e}")))
    }
    fn with_context_code<C: fmt::Display>(
        self,
        code: ExitCode,
        f: impl FnOnce() -> C,
    ) -> Result<T> {
        self.map_err(|e| ActorError::new(code, format!("{}: {e}", f())))
    }
}

impl<T> Context<T> for Option<T> {
    fn context_code(self, code: ExitCode, context: impl fmt::Display) -> Result<T> {
        self.ok_or_else(|| ActorError::new(code, context.to_string()))
    }
    fn with_context_code<C: fmt::Display>(
        self,
        code: ExitCode,
        f: impl FnOnce() -> C,
    ) -> Result<T> {
        self.ok_or_else(|| ActorError::new(code, f().to_string()))
    }
}

impl From<fvm_ipld_encoding::Error> for ActorError {
    fn from(e: fvm_ipld_encoding::Error) -> Self {
        Self::serialization(e.to_string())
    }
}

impl From<fvm_ipld_hamt::Error> for ActorError {
    fn from(e: fvm_ipld_hamt::Error) -> Self {
        Self::illegal_state(format!("hamt: {e}"))
    }
}

impl From<fvm_ipld_amt::Error> for ActorError {
    fn from(e: fvm_ipld_amt::Error) -> Self {
        Self::illegal_state(format!("amt: {e}"))
    }
}

impl From<anyhow::Error> for ActorError {
    fn from(e: anyhow::Error) -> Self {
        Self::illegal_state(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_codes_are_not_used_as_exit_codes() {
        let e = ActorError::new(ExitCode::SYS_OUT_OF_GAS, "boom");
        assert_eq!(e.code(), ExitCode::SYS_OUT_OF_GAS);
        assert_eq!(e.exit_code(), ExitCode::USR_ASSERTION_FAILED);
        assert_eq!(ActorError::forbidden("x").exit_code(), ExitCode::USR_FORBIDDEN);
        assert_eq!(ActorError::new(ExitCode::OK, "x").exit_code(), ExitCode::USR_ASSERTION_FAILED);
    }

    #[test]
    fn named_constructors_carry_standard_codes() {
        let cases = [
            (ActorError::illegal_argument(""), 16),
            (ActorError::not_found(""), 17),
            (ActorError::forbidden(""), 18),
            (ActorError::insufficient_funds(""), 19),
            (ActorError::illegal_state(""), 20),
            (ActorError::serialization(""), 21),
            (ActorError::unhandled_message(""), 22),
            (ActorError::unspecified(""), 23),
            (ActorError::assertion_failed(""), 24),
            (ActorError::read_only(""), 25),
            (ActorError::not_payable(""), 26),
        ];
        for (e, code) in cases {
            assert_eq!(e.code().value(), code);
        }
    }

    #[test]
    fn context_wraps_messages() {
        let r: std::result::Result<(), &str> = Err("inner");
        let e = r.context_code(ExitCode::USR_ILLEGAL_STATE, "outer").unwrap_err();
        assert_eq!(e.message(), "outer: inner");
        assert_eq!(e.wrap("top").message(), "top: outer: inner");
        let e =
            fvm_ipld_encoding::from_slice::<u64>(&[0xff]).map_err(ActorError::from).unwrap_err();
        assert_eq!(e.code(), ExitCode::USR_SERIALIZATION);
    }
}
