//! The universal receiver hook (FRC-46 §"Universal receiver hook", shared by FRC-53): an actor that
//! credits an asset to a recipient calls the recipient's `Receive` method with the asset's type and
//! a payload; the recipient may refuse by aborting, and then the credit must not happen.
//!
//! [`call_receiver_hook`] makes that call and turns a refusal into an error. Callers save their
//! state *before* calling it (the recipient may call back and must see the credit) and re-read it
//! afterwards if the root changed, so that what they return reflects anything the recipient did.
//!
//! ```
//! use actorlib_kit::receiver::{call_receiver_hook, UniversalReceiverParams, RECEIVER_HOOK_METHOD};
//! use actorlib_kit::runtime::{fake::ExpectedSend, SendResponse};
//! use actorlib_kit::{params, FakeRuntime};
//! use fvm_ipld_encoding::RawBytes;
//! use fvm_shared::{address::Address, econ::TokenAmount, error::ExitCode};
//!
//! let rt = FakeRuntime::new(1000);
//! let hook = UniversalReceiverParams { type_: 7, payload: RawBytes::serialize(&5u64).unwrap() };
//! rt.expect_send(ExpectedSend {
//!     to: Address::new_id(101),
//!     method: RECEIVER_HOOK_METHOD,
//!     params: params::params(&hook).unwrap(),
//!     value: TokenAmount::default(),
//!     response: Ok(SendResponse { exit_code: ExitCode::USR_UNHANDLED_MESSAGE, return_data: None }),
//! });
//! let e = call_receiver_hook(&rt, 101, 7, &5u64).unwrap_err();
//! assert_eq!(e.code(), ExitCode::USR_FORBIDDEN);
//! ```
use fvm_ipld_encoding::tuple::*;
use fvm_ipld_encoding::RawBytes;
use fvm_shared::address::Address;
use fvm_shared::econ::TokenAmount;
use fvm_shared::{ActorID, MethodNum};
use serde::Serialize;

use crate::{messaging, params, ActorError, Result, Runtime};

/// The method number of the universal receiver hook, `frc42_hash("Receive")`.
pub const RECEIVER_HOOK_METHOD: MethodNum = frc42_dispatch::method_hash!("Receive");

/// The universal receiver hook's parameters.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
pub struct UniversalReceiverParams {
    /// The asset type (an FRC-42 hash as `u32`, e.g. of "FRC46" or "FRC53").
    pub type_: u32,
    /// The CBOR-encoded payload for that asset type.
    pub payload: RawBytes,
}

/// Calls `Receive` on `to` with `payload` for asset type `type_`.
///
/// If the recipient aborts (any non-zero exit, e.g. `USR_UNHANDLED_MESSAGE` from an actor that
/// does not implement the hook) the call fails with `USR_FORBIDDEN` ("the recipient refuses"),
/// carrying the recipient's exit code in the message and its return data; the FVM then reverts
/// the whole message, so the credit never happened.
pub fn call_receiver_hook<P: Serialize>(
    rt: &impl Runtime,
    to: ActorID,
    type_: u32,
    payload: &P,
) -> Result<()> {
    let hook = UniversalReceiverParams { type_, payload: RawBytes::serialize(payload)? };
    let r = messaging::send_raw(
        rt,
        &Address::new_id(to),
        RECEIVER_HOOK_METHOD,
        params::params(&hook)?,
        TokenAmount::default(),
        false,
    )?;
    if !r.exit_code.is_success() {
        return Err(ActorError::forbidden(format!(
            "recipient f0{to} refused the tokens: its receiver hook exited with {}",
            r.exit_code
        ))
        .with_data(r.return_data));
    }
    Ok(())
}
