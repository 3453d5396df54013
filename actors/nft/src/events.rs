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
//! | `royalty-set` | `token_id` (indexed; null for the default), `receiver` (null when cleared), `basis_points`, `by` |
//! | `metadata-changed` | `token_id` (indexed), `by` |
//! | `metadata-frozen` | `by` |
//! | `content-bound` | `token_id`, `deal_id` (both indexed), `piece_cid` |
//! | `creators-set` | `token_id` (indexed), `creators` (IDs, empty when removed), `by` |
//! | `creator-verified` | `creator`, `token_ids`, `verified` (bool) |
use actorlib_kit::events::EventBuilder;
use actorlib_kit::{Result, Runtime};
use cid::Cid;
use fvm_shared::clock::ChainEpoch;
use fvm_shared::ActorID;

use crate::royalty::Royalty;
use crate::types::{Role, TokenID};
use actorlib_kit::ext::market::DealID;

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
    expires_at: Option<ChainEpoch>,
) -> Result<()> {
    let event = EventBuilder::new("approval")
        .field_indexed("by", &by)
        .field_indexed("operator", &operator)
        .field("token_ids", token_ids)
        .field("approved", &approved);
    with_expiry(event, expires_at).emit(rt)
}

/// An account-level operator was approved or revoked.
pub fn operator_changed(
    rt: &impl Runtime,
    owner: ActorID,
    operator: ActorID,
    approved: bool,
    expires_at: Option<ChainEpoch>,
) -> Result<()> {
    let event = EventBuilder::new("operator-changed")
        .field_indexed("owner", &owner)
        .field_indexed("operator", &operator)
        .field("approved", &approved);
    with_expiry(event, expires_at).emit(rt)
}

/// An approval's expiry, as an `expires_at` entry when there is one.
fn with_expiry(event: EventBuilder, expires_at: Option<ChainEpoch>) -> EventBuilder {
    match expires_at {
        Some(epoch) => event.field("expires_at", &epoch),
        None => event,
    }
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

/// The default royalty (`token_id` null) or a token's override was set, or cleared (`receiver`
/// null, `basis_points` 0).
pub fn royalty_set(
    rt: &impl Runtime,
    token_id: Option<TokenID>,
    royalty: Option<Royalty>,
    by: ActorID,
) -> Result<()> {
    EventBuilder::new("royalty-set")
        .field_indexed("token_id", &token_id)
        .field_indexed("receiver", &royalty.map(|r| r.receiver))
        .field("basis_points", &royalty.map_or(0, |r| r.basis_points))
        .field_indexed("by", &by)
        .emit(rt)
}

/// A token's metadata (URI, data CID or piece CID) changed.
pub fn metadata_changed(rt: &impl Runtime, token_id: TokenID, by: ActorID) -> Result<()> {
    EventBuilder::new("metadata-changed")
        .field_indexed("token_id", &token_id)
        .field_indexed("by", &by)
        .emit(rt)
}

/// Metadata was frozen for good.
pub fn metadata_frozen(rt: &impl Runtime, by: ActorID) -> Result<()> {
    EventBuilder::new("metadata-frozen").field_indexed("by", &by).emit(rt)
}

/// A new token was bound to a storage deal and its piece.
pub fn content_bound(
    rt: &impl Runtime,
    token_id: TokenID,
    deal_id: DealID,
    piece_cid: &Cid,
) -> Result<()> {
    EventBuilder::new("content-bound")
        .field_indexed("token_id", &token_id)
        .field_indexed("deal_id", &deal_id)
        .field("piece_cid", piece_cid)
        .emit(rt)
}

/// A token's creators were replaced (`creators` empty: removed).
pub fn creators_set(
    rt: &impl Runtime,
    token_id: TokenID,
    creators: &[ActorID],
    by: ActorID,
) -> Result<()> {
    EventBuilder::new("creators-set")
        .field_indexed("token_id", &token_id)
        .field("creators", creators)
        .field_indexed("by", &by)
        .emit(rt)
}

/// A creator verified its entry on tokens, or took the verification back.
pub fn creator_verified(
    rt: &impl Runtime,
    creator: ActorID,
    token_ids: &[TokenID],
    verified: bool,
) -> Result<()> {
    EventBuilder::new("creator-verified")
        .field_indexed("creator", &creator)
        .field("token_ids", token_ids)
        .field("verified", &verified)
        .emit(rt)
}
