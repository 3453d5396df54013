//! Stored-content tokens: a token's data CID and piece CID, and a storage deal that proves the
//! piece is stored, checked against the storage market when minted and whenever asked.
//!
//! `MintStoredContent` asks the market (read-only) whether the deal is active — activated, not
//! terminated, not past its end — and for the deal's piece CID and term, then mints a token bound to
//! the deal, recording its end epoch. A deal backs at most one live token (burning the token frees
//! it). `ContentStatus` asks the market's `GetDealActivation` again:
//!
//! | market answer | status |
//! |---|---|
//! | token has no deal | `NotBound` |
//! | activated, not terminated, before the deal's end epoch | `Active` |
//! | published, not activated | `NotActivated` |
//! | a termination epoch, or exit 32 (removed) before the deal's end epoch | `Terminated` |
//! | activated at or after the end epoch, or exit 32 from then on | `Expired` |
//! | exit 17: the market has never heard of the deal | `Gone` |
//!
//! Why the recorded end epoch: the market answers exit 32 (`EX_DEAL_EXPIRED`) both for a deal it
//! removed on termination and for one it removed on completion, and the builtin market removes a
//! terminated deal at once. A deal that was active when the token was minted and is gone before its
//! end epoch can only have been terminated; gone at or after its end, it ran its course.
use actorlib_kit::foreign_cid::ForeignCid;
use actorlib_kit::{actor_error, ActorError, MapConfig, Result, Runtime, VectorConfig};
use cid::Cid;
use fvm_ipld_blockstore::Blockstore;
use fvm_ipld_encoding::tuple::*;
use fvm_shared::clock::ChainEpoch;
use fvm_shared::error::ExitCode;
use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize, Serializer};

use crate::piece::require_piece_cid;
use crate::state::NftState;
use crate::types::TokenID;
use actorlib_kit::ext::market::{self, DealID, EPOCH_UNDEFINED};

/// The content table's layout (sparse, keyed by token ID).
pub const CONTENT_CONFIG: VectorConfig = VectorConfig { bit_width: 3, inline: true };
/// The deal index's layout.
pub const DEALS_CONFIG: MapConfig = MapConfig { bit_width: 5, bucket_size: 3, inline: true };

/// What a token says about its data, beyond the metadata URI. Stored only when not empty.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, Default, PartialEq, Eq)]
pub struct TokenContent {
    /// The CID of the data itself (e.g. an IPFS root), if given: stored as bytes, since the data
    /// is not in the actor's state and the FVM refuses links to it (`actorlib_kit::foreign_cid`).
    pub data_cid: Option<ForeignCid>,
    /// The piece CID (commP) of the data, if given or taken from the deal.
    pub piece_cid: Option<Cid>,
    /// The storage deal that backs the token, if minted with `MintStoredContent`.
    pub deal: Option<BoundDeal>,
}

/// A storage deal a token is bound to.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Copy, Debug, PartialEq, Eq)]
pub struct BoundDeal {
    /// The deal's ID in the market.
    pub deal_id: DealID,
    /// The deal's end epoch (`start + duration`), as the market reported it at mint.
    pub end_epoch: ChainEpoch,
}

impl TokenContent {
    /// Whether there is nothing to store.
    pub fn is_empty(&self) -> bool {
        self.data_cid.is_none() && self.piece_cid.is_none() && self.deal.is_none()
    }

    /// Fails with `USR_ILLEGAL_ARGUMENT` if the piece CID does not have the piece CID form.
    pub fn validate(&self) -> Result<()> {
        match &self.piece_cid {
            Some(p) => require_piece_cid(p),
            None => Ok(()),
        }
    }
}

/// Where a token's stored content stands, as the storage market reports it now. Encoded as a `u8`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContentStatus {
    /// The token was not minted against a deal (0).
    NotBound,
    /// The deal is activated, not terminated and not past its end (1).
    Active,
    /// The deal is published but not activated (2).
    NotActivated,
    /// The deal was terminated before its end (3).
    Terminated,
    /// The deal reached its end epoch (4).
    Expired,
    /// The market does not know the deal (5).
    Gone,
}

impl ContentStatus {
    /// The encoding.
    pub const fn to_u8(self) -> u8 {
        match self {
            ContentStatus::NotBound => 0,
            ContentStatus::Active => 1,
            ContentStatus::NotActivated => 2,
            ContentStatus::Terminated => 3,
            ContentStatus::Expired => 4,
            ContentStatus::Gone => 5,
        }
    }

    /// Decodes, or `None` for an unknown value.
    pub const fn from_u8(n: u8) -> Option<Self> {
        Some(match n {
            0 => ContentStatus::NotBound,
            1 => ContentStatus::Active,
            2 => ContentStatus::NotActivated,
            3 => ContentStatus::Terminated,
            4 => ContentStatus::Expired,
            5 => ContentStatus::Gone,
            _ => return None,
        })
    }
}

impl Serialize for ContentStatus {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_u8(self.to_u8())
    }
}

impl<'de> Deserialize<'de> for ContentStatus {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let n = u8::deserialize(d)?;
        ContentStatus::from_u8(n)
            .ok_or_else(|| de::Error::custom(format!("unknown content status {n}")))
    }
}

/// Asks the market (read-only) where a bound deal stands.
pub fn deal_status(rt: &impl Runtime, deal: &BoundDeal) -> Result<ContentStatus> {
    let ended = rt.curr_epoch() >= deal.end_epoch;
    let gone_early_or_late = if ended { ContentStatus::Expired } else { ContentStatus::Terminated };
    let a = match activation(rt, deal.deal_id)? {
        Ok(a) => a,
        Err(code) if code == ExitCode::USR_NOT_FOUND => return Ok(ContentStatus::Gone),
        Err(_) => return Ok(gone_early_or_late),
    };
    Ok(if a.activated == EPOCH_UNDEFINED {
        ContentStatus::NotActivated
    } else if a.terminated != EPOCH_UNDEFINED {
        ContentStatus::Terminated
    } else if ended {
        ContentStatus::Expired
    } else {
        ContentStatus::Active
    })
}

/// `GetDealActivation`: the answer, `Err` with the market's code for "not found" (17) or "removed
/// or terminated" (32), or an error for any other failure.
fn activation(
    rt: &impl Runtime,
    deal_id: DealID,
) -> Result<std::result::Result<market::GetDealActivationReturn, ExitCode>> {
    match market::deal_activation(rt, deal_id) {
        Ok(a) => Ok(Ok(a)),
        Err(e) if market::is_deal_gone(&e) => Ok(Err(e.code())),
        Err(e) => Err(market_error(e, deal_id)),
    }
}

/// An unexpected market failure: reported as `USR_ILLEGAL_STATE`, never with the market's own code
/// (a caller must not mistake the market's exit for the collection's).
fn market_error(e: ActorError, deal_id: DealID) -> ActorError {
    actor_error!(illegal_state; "storage market failed on deal {}: {} ({})", deal_id, e.message(), e.code())
}

/// Checks that a deal is active (activated, not terminated, before its end) and returns its piece
/// CID and the binding to record, for minting a token bound to it.
///
/// A deal never published is `USR_NOT_FOUND`; one not activated, terminated, ended or removed is
/// `USR_ILLEGAL_STATE`.
pub fn require_active_deal(rt: &impl Runtime, deal_id: DealID) -> Result<(Cid, BoundDeal)> {
    let a = match activation(rt, deal_id)? {
        Ok(a) => a,
        Err(code) if code == ExitCode::USR_NOT_FOUND => {
            return Err(actor_error!(not_found; "deal {} does not exist", deal_id));
        }
        Err(_) => {
            return Err(
                actor_error!(illegal_state; "deal {} was terminated or has ended", deal_id),
            );
        }
    };
    if a.activated == EPOCH_UNDEFINED {
        return Err(actor_error!(illegal_state; "deal {} is not activated", deal_id));
    }
    if a.terminated != EPOCH_UNDEFINED {
        return Err(actor_error!(illegal_state; "deal {} was terminated", deal_id));
    }
    let term = market::deal_term(rt, deal_id).map_err(|e| market_error(e, deal_id))?;
    let end_epoch = term.start.saturating_add(term.duration);
    if rt.curr_epoch() >= end_epoch {
        return Err(actor_error!(illegal_state; "deal {} ended at epoch {}", deal_id, end_epoch));
    }
    let commitment =
        market::deal_data_commitment(rt, deal_id).map_err(|e| market_error(e, deal_id))?;
    require_piece_cid(&commitment.data).map_err(|e| {
        actor_error!(illegal_state; "the market's piece CID for deal {}: {}", deal_id, e.message())
    })?;
    Ok((commitment.data, BoundDeal { deal_id, end_epoch }))
}

impl NftState {
    /// A live token's content (empty if it has none); `USR_NOT_FOUND` for an unknown token.
    pub fn token_content<BS: Blockstore>(&self, bs: &BS, id: TokenID) -> Result<TokenContent> {
        self.token(bs, id)?;
        Ok(self.load_content(bs)?.get(id)?.cloned().unwrap_or_default())
    }

    /// The live token a deal backs, if any.
    pub fn token_of_deal<BS: Blockstore>(&self, bs: &BS, deal: DealID) -> Result<Option<TokenID>> {
        Ok(self.load_deals(bs)?.get(&deal)?.copied())
    }

    /// Every token's content (for tests and invariants).
    pub fn all_content<BS: Blockstore>(&self, bs: &BS) -> Result<Vec<(TokenID, TokenContent)>> {
        let mut out = Vec::new();
        self.load_content(bs)?.for_each(|id, c| {
            out.push((id, c.clone()));
            Ok(())
        })?;
        Ok(out)
    }

    /// Every deal binding (for tests and invariants).
    pub fn all_deals<BS: Blockstore>(&self, bs: &BS) -> Result<Vec<(DealID, TokenID)>> {
        let mut out = Vec::new();
        self.load_deals(bs)?.for_each(|d, t| {
            out.push((d, *t));
            Ok(())
        })?;
        Ok(out)
    }
}
