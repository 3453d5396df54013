//! The FIP-0049 events the token emits: one function per event.
//!
//! Every event has a `$type` entry; accounts are actor IDs with indexed keys and values (so an
//! indexer can filter by account), amounts are indexed by key only.
//!
//! | `$type` | fields |
//! |---|---|
//! | `transfer` | `operator`, `from`, `to`, `amount` |
//! | `mint` | `operator`, `to`, `amount`, `supply` |
//! | `burn` | `operator`, `from`, `amount`, `supply` |
//! | `approval` | `owner`, `operator`, `allowance` (the new value), and `expires_at` (an epoch) when it expires |
//! | `role-granted` / `role-revoked` | `role` (u8, indexed), `account`, `by` |
//! | `paused` / `unpaused` | `by` |
//! | `delegate-changed` | `delegator`, `from_delegate`, `to_delegate` (`null` for none) |
//! | `votes-changed` | `delegatee`, `previous`, `current` |
use actorlib_kit::events::EventBuilder;
use actorlib_kit::{Result, Runtime};
use fvm_shared::clock::ChainEpoch;
use fvm_shared::econ::TokenAmount;
use fvm_shared::ActorID;

use crate::state::VoteChange;
use crate::types::{Role, TokenMetadata};

/// Tokens moved from one account to another.
pub fn transfer(
    rt: &impl Runtime,
    operator: ActorID,
    from: ActorID,
    to: ActorID,
    amount: &TokenAmount,
) -> Result<()> {
    EventBuilder::new("transfer")
        .field_indexed("operator", &operator)
        .field_indexed("from", &from)
        .field_indexed("to", &to)
        .field("amount", amount)
        .emit(rt)
}

/// Tokens were created.
pub fn mint(
    rt: &impl Runtime,
    operator: ActorID,
    to: ActorID,
    amount: &TokenAmount,
    supply: &TokenAmount,
) -> Result<()> {
    EventBuilder::new("mint")
        .field_indexed("operator", &operator)
        .field_indexed("to", &to)
        .field("amount", amount)
        .field("supply", supply)
        .emit(rt)
}

/// Tokens were destroyed.
pub fn burn(
    rt: &impl Runtime,
    operator: ActorID,
    from: ActorID,
    amount: &TokenAmount,
    supply: &TokenAmount,
) -> Result<()> {
    EventBuilder::new("burn")
        .field_indexed("operator", &operator)
        .field_indexed("from", &from)
        .field("amount", amount)
        .field("supply", supply)
        .emit(rt)
}

/// An allowance was set by its owner (increased, decreased or revoked), or its expiry changed.
pub fn approval(
    rt: &impl Runtime,
    owner: ActorID,
    operator: ActorID,
    allowance: &TokenAmount,
    expires_at: Option<ChainEpoch>,
) -> Result<()> {
    let event = EventBuilder::new("approval")
        .field_indexed("owner", &owner)
        .field_indexed("operator", &operator)
        .field("allowance", allowance);
    match expires_at {
        Some(epoch) => event.field("expires_at", &epoch).emit(rt),
        None => event.emit(rt),
    }
}

/// A role was granted.
pub fn role_granted(rt: &impl Runtime, role: Role, account: ActorID, by: ActorID) -> Result<()> {
    role_event(rt, "role-granted", role, account, by)
}

/// A role was revoked (or renounced: `by == account`).
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

/// The token's metadata was set (`metadata` given) or cleared.
pub fn metadata_changed(
    rt: &impl Runtime,
    metadata: Option<&TokenMetadata>,
    by: ActorID,
) -> Result<()> {
    EventBuilder::new("metadata-changed")
        .field("uri", &metadata.map(|m| m.uri.as_str()))
        .field("cid", &metadata.and_then(|m| m.cid))
        .field_indexed("by", &by)
        .emit(rt)
}

/// The token was paused.
pub fn paused(rt: &impl Runtime, by: ActorID) -> Result<()> {
    EventBuilder::new("paused").field_indexed("by", &by).emit(rt)
}

/// The token was unpaused.
pub fn unpaused(rt: &impl Runtime, by: ActorID) -> Result<()> {
    EventBuilder::new("unpaused").field_indexed("by", &by).emit(rt)
}

/// An account changed the delegatee its votes count for.
pub fn delegate_changed(
    rt: &impl Runtime,
    delegator: ActorID,
    from_delegate: Option<ActorID>,
    to_delegate: Option<ActorID>,
) -> Result<()> {
    EventBuilder::new("delegate-changed")
        .field_indexed("delegator", &delegator)
        .field_indexed("from_delegate", &from_delegate)
        .field_indexed("to_delegate", &to_delegate)
        .emit(rt)
}

/// A delegatee's voting power changed.
pub fn votes_changed(rt: &impl Runtime, change: &VoteChange) -> Result<()> {
    EventBuilder::new("votes-changed")
        .field_indexed("delegatee", &change.delegatee)
        .field("previous", &change.previous)
        .field("current", &change.current)
        .emit(rt)
}

/// One `votes-changed` event per change.
pub fn votes_changed_all(rt: &impl Runtime, changes: &[VoteChange]) -> Result<()> {
    changes.iter().try_for_each(|c| votes_changed(rt, c))
}
