//! The universal receiver hook (FRC-53): every credit of tokens, mints, transfers and empty
//! transfers alike, is announced to the recipient with one call per operation, which may refuse it.
//!
//! Callers save the collection's state *before* calling the hook (the recipient may call back and
//! must see itself as the owner) and, after it, re-read the state if its root changed (see
//! [`crate::reload`]), so that what they return reflects anything the recipient did.
use actorlib_kit::{Result, Runtime};
use fvm_ipld_encoding::RawBytes;
use fvm_shared::ActorID;

use crate::types::{FRC53TokensReceived, TokenID, FRC53_TOKEN_TYPE};

/// Calls `Receive` on `to` with an [`FRC53TokensReceived`] payload.
///
/// If the recipient aborts (any non-zero exit, e.g. `USR_UNHANDLED_MESSAGE` from an actor that
/// does not implement the hook) the call fails with `USR_FORBIDDEN`, carrying the recipient's exit
/// code in the message and its return data; the FVM reverts the whole message.
pub fn tokens_received(
    rt: &impl Runtime,
    from: ActorID,
    to: ActorID,
    operator: ActorID,
    token_ids: &[TokenID],
    operator_data: RawBytes,
) -> Result<()> {
    let received = FRC53TokensReceived {
        from,
        to,
        operator,
        token_ids: token_ids.to_vec(),
        operator_data,
        token_data: RawBytes::default(),
    };
    actorlib_kit::receiver::call_receiver_hook(rt, to, FRC53_TOKEN_TYPE, &received)
}
