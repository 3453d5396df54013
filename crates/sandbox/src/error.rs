//! The sandbox's error type.
use fvm_shared::error::ExitCode;

/// Everything that can go wrong driving the sandbox. Never a panic.
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    /// Building the genesis state or the machine failed.
    #[error("boot: {0}")]
    Boot(String),
    /// The FVM failed to apply a message (a fatal error, not an exit code).
    #[error("fatal execution error: {0}")]
    Fatal(String),
    /// A message ran and exited with a non-zero code where success was required.
    #[error("exit code {code}: {message}")]
    Exit {
        /// The exit code.
        code: ExitCode,
        /// What the actor said (or the failure trace).
        message: String,
    },
    /// Encoding parameters or decoding a return or a state failed.
    #[error("encoding: {0}")]
    Encoding(String),
    /// An actor, code or block was not found.
    #[error("not found: {0}")]
    NotFound(String),
    /// The blockstore or state tree failed.
    #[error("state: {0}")]
    State(String),
}

impl SandboxError {
    /// The exit code, if this is an [`SandboxError::Exit`].
    pub fn exit_code(&self) -> Option<ExitCode> {
        match self {
            Self::Exit { code, .. } => Some(*code),
            _ => None,
        }
    }
}

/// Result of sandbox operations.
pub type Result<T, E = SandboxError> = std::result::Result<T, E>;

pub(crate) fn state_err(e: impl std::fmt::Display) -> SandboxError {
    SandboxError::State(e.to_string())
}

pub(crate) fn enc_err(e: impl std::fmt::Display) -> SandboxError {
    SandboxError::Encoding(e.to_string())
}
