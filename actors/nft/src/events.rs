//! The FIP-0049 events the collection emits: one function per event.
//!
//! Every event has a `$type` entry; accounts are actor IDs with indexed keys and values (so an
//! indexer can filter by account); token lists are indexed by key only. One event per call, listing
//! its tokens (a batch holds at most [`crate::types::MAX_BATCH`] IDs, so every event fits the FVM's
//! 8 KiB limit).
//!
//! | `$type` | fields |
//! |---|---|
//! | `mint` | `operator`, `to`, `token_ids`, `supply` |
//! | `transfer` | `operator`, `from`, `to`, `token_ids` |
//! | `burn` | `operator`, `from`, `token_ids`, `supply` |
//! | `approval` | `by`, `operator`, `token_ids`, `approved` (bool) |
//! | `operator-changed` | `owner`, `operator`, `approved` (bool) |
//! | `role-granted` / `role-revoked` | `role` (u8, indexed), `account`, `by` |
use actorlib_kit::events::EventBuilder;
use actorlib_kit::{Result, Runtime};
use fvm_shared::ActorID;

use crate::types::{Role, TokenID};

/// Tokens were created.
pub fn mint(
    rt: &impl Runtime,
    operator: ActorID,
    to: ActorID,
    token_ids: &[TokenID],
    supply: u64,
) -> Result<()> {
    EventBuilder::new("mint")
        .field_indexed("operator", &operator)
        .field_indexed("to", &to)
        .field("token_ids", token_ids)
        .field("supply", &supply)
        .emit(rt)
}

/// Tokens moved from one account to another.
pub fn transfer(
    rt: &impl Runtime,
    operator: ActorID,
    from: ActorID,
    to: ActorID,
    token_ids: &[TokenID],
) -> Result<()> {
    EventBuilder::new("transfer")
        .field_indexed("operator", &operator)
        .field_indexed("from", &from)
        .field_indexed("to", &to)
        .field("token_ids", token_ids)
        .emit(rt)
}

/// Tokens were destroyed.
pub fn burn(
    rt: &impl Runtime,
    operator: ActorID,
    from: ActorID,
    token_ids: &[TokenID],
    supply: u64,
) -> Result<()> {
    EventBuilder::new("burn")
        .field_indexed("operator", &operator)
        .field_indexed("from", &from)
        .field("token_ids", token_ids)
        .field("supply", &supply)
        .emit(rt)
}

/// A token-level operator was approved or revoked on some tokens.
pub fn approval(
    rt: &impl Runtime,
    by: ActorID,
    operator: ActorID,
    token_ids: &[TokenID],
    approved: bool,
) -> Result<()> {
    EventBuilder::new("approval")
        .field_indexed("by", &by)
        .field_indexed("operator", &operator)
        .field("token_ids", token_ids)
        .field("approved", &approved)
        .emit(rt)
}

/// An account-level operator was approved or revoked.
pub fn operator_changed(
    rt: &impl Runtime,
    owner: ActorID,
    operator: ActorID,
    approved: bool,
) -> Result<()> {
    EventBuilder::new("operator-changed")
        .field_indexed("owner", &owner)
        .field_indexed("operator", &operator)
        .field("approved", &approved)
        .emit(rt)
}

/// A role was granted.
pub fn role_granted(rt: &impl Runtime, role: Role, account: ActorID, by: ActorID) -> Result<()> {
    role_event(rt, "role-granted", role, account, by)
}

/// A role was revoked (or renounced).
pub fn role_revoked(rt: &impl Runtime, role: Role, account: ActorID, by: ActorID) -> Result<()> {
    role_event(rt, "role-revoked", role, account, by)
}

fn role_event(
    rt: &impl Runtime,
    typ: &str,
    role: Role,
    account: ActorID,
    by: ActorID,
) -> Result<()> {
    EventBuilder::new(typ)
        .field_indexed("role", &role)
        .field_indexed("account", &account)
        .field_indexed("by", &by)
        .emit(rt)
}
