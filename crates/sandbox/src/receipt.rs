//! What a message did: exit code, return value, gas and events.
use fvm_ipld_encoding::RawBytes;
use fvm_shared::error::ExitCode;
use fvm_shared::event::StampedEvent;
use serde::de::DeserializeOwned;

use crate::error::{enc_err, Result, SandboxError};

/// The outcome of one message.
#[derive(Clone, Debug)]
pub struct Receipt {
    /// Exit code of the receiver (for a read-only query: of the queried actor).
    pub exit_code: ExitCode,
    /// CBOR return bytes (empty for none).
    pub return_data: RawBytes,
    /// Gas used by the whole message.
    pub gas_used: u64,
    /// Events emitted (empty when the message failed: failed calls' events are reverted).
    pub events: Vec<StampedEvent>,
    /// The FVM's failure description, when the message failed.
    pub failure_info: Option<String>,
}

impl Receipt {
    /// Whether the message succeeded.
    pub fn is_ok(&self) -> bool {
        self.exit_code.is_success()
    }

    /// Requires success, returning the receipt.
    pub fn ok(self) -> Result<Self> {
        if self.is_ok() {
            Ok(self)
        } else {
            Err(SandboxError::Exit {
                code: self.exit_code,
                message: self.failure_info.unwrap_or_default(),
            })
        }
    }

    /// Requires success and decodes the return value (`()` for none).
    pub fn ret<R: DeserializeOwned>(&self) -> Result<R> {
        if !self.is_ok() {
            return Err(SandboxError::Exit {
                code: self.exit_code,
                message: self.failure_info.clone().unwrap_or_default(),
            });
        }
        let bytes: &[u8] = if self.return_data.is_empty() { &[0xf6] } else { &self.return_data };
        fvm_ipld_encoding::from_slice(bytes).map_err(enc_err)
    }

    /// The `$type` of every event, in order.
    pub fn event_types(&self) -> Vec<String> {
        self.events.iter().filter_map(|e| actorlib_kit::events::event_type(&e.event)).collect()
    }
}
