//! The universal receiver hook (FRC-46): every credit of tokens, transfers and mints alike and zero
//! amounts included, is announced to the recipient, which may refuse it.
//!
//! Callers save the token's state *before* calling the hook (the recipient may call back into the
//! token and must see the new balances) and, after it, re-read the state if its root changed (see
//! [`crate::reload`]), so that what they return reflects anything the recipient did.
use actorlib_kit::{Result, Runtime};
use fvm_ipld_encoding::RawBytes;
use fvm_shared::econ::TokenAmount;
use fvm_shared::ActorID;

use crate::types::{FRC46TokenReceived, FRC46_TOKEN_TYPE};

/// Calls `Receive` on `to` with an [`FRC46TokenReceived`] payload.
///
/// If the recipient aborts (any non-zero exit, e.g. `USR_UNHANDLED_MESSAGE` from an actor that
/// does not implement the hook) the call fails with `USR_FORBIDDEN` ("the recipient refuses"),
/// carrying the recipient's exit code in the message and its return data, and the whole message is
/// reverted by the FVM: the credit never happened.
pub fn tokens_received(
    rt: &impl Runtime,
    from: ActorID,
    to: ActorID,
    operator: ActorID,
    amount: &TokenAmount,
    operator_data: RawBytes,
) -> Result<()> {
    let received = FRC46TokenReceived {
        from,
        to,
        operator,
        amount: amount.clone(),
        operator_data,
        token_data: RawBytes::default(),
    };
    actorlib_kit::receiver::call_receiver_hook(rt, to, FRC46_TOKEN_TYPE, &received)
}
