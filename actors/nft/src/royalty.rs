//! Royalties, ERC-2981 style: what a marketplace should pay, and to whom, when a token sells.
//!
//! A collection has an optional default royalty (set in the constructor, changed by admins) and
//! each token an optional override (set and cleared by admins). `RoyaltyInfo` answers
//! `sale_price × basis_points / 10,000`, rounded down, to the override's receiver if the token has
//! one, else to the default's. Royalties are advisory, as in ERC-2981: the collection reports them,
//! sales that honour them pay them.
//!
//! Why admins and not minters set overrides: the minter role is meant for mint services and
//! automation; where a token's sale proceeds go is the collection owner's decision, and letting a
//! minter pick it would let a compromised mint key redirect royalties of everything it mints.
use actorlib_kit::{actor_error, Result, VectorConfig};
use fvm_ipld_blockstore::Blockstore;
use fvm_ipld_encoding::tuple::*;
use fvm_shared::econ::TokenAmount;
use fvm_shared::ActorID;

use crate::state::NftState;
use crate::types::TokenID;

/// The denominator of basis points: 10,000 basis points are the whole sale price.
pub const MAX_BASIS_POINTS: u16 = 10_000;

/// The royalty overrides' layout (sparse, keyed by token ID).
pub const ROYALTIES_CONFIG: VectorConfig = VectorConfig { bit_width: 3, inline: true };

/// A royalty: who receives it and its share of a sale price in basis points.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Royalty {
    /// The receiver's ID.
    pub receiver: ActorID,
    /// The share of the sale price, in basis points (at most [`MAX_BASIS_POINTS`]).
    pub basis_points: u16,
}

impl Royalty {
    /// A royalty, or `USR_ILLEGAL_ARGUMENT` if `basis_points` exceeds 10,000.
    pub fn new(receiver: ActorID, basis_points: u16) -> Result<Self> {
        if basis_points > MAX_BASIS_POINTS {
            return Err(actor_error!(illegal_argument;
                "royalty of {} basis points exceeds {}", basis_points, MAX_BASIS_POINTS));
        }
        Ok(Self { receiver, basis_points })
    }

    /// The royalty on `sale_price`: `sale_price × basis_points / 10,000`, rounded down.
    /// A negative price is `USR_ILLEGAL_ARGUMENT`.
    pub fn amount(&self, sale_price: &TokenAmount) -> Result<TokenAmount> {
        if sale_price.is_negative() {
            return Err(actor_error!(illegal_argument; "negative sale price {}", sale_price));
        }
        let scaled = sale_price.atto() * self.basis_points;
        Ok(TokenAmount::from_atto(scaled / MAX_BASIS_POINTS))
    }
}

impl NftState {
    /// Replaces (or with `None` clears) the collection's default royalty.
    pub fn set_default_royalty<BS: Blockstore>(
        &mut self,
        bs: &BS,
        royalty: Option<Royalty>,
    ) -> Result<()> {
        if let Some(r) = royalty {
            Royalty::new(r.receiver, r.basis_points)?;
        }
        self.cold.update(bs, |c| {
            c.default_royalty = royalty;
            Ok(())
        })
    }

    /// Sets (or with `None` clears) a live token's royalty override; returns whether anything
    /// changed. An unknown or burnt token is `USR_NOT_FOUND`.
    pub fn set_token_royalty<BS: Blockstore>(
        &mut self,
        bs: &BS,
        id: TokenID,
        royalty: Option<Royalty>,
    ) -> Result<bool> {
        self.token(bs, id)?;
        let mut royalties = self.load_royalties(bs)?;
        let changed = match royalty {
            Some(r) => {
                Royalty::new(r.receiver, r.basis_points)?;
                royalties.get(id)? != Some(&r) && {
                    royalties.set(id, r)?;
                    true
                }
            }
            None => royalties.delete(id)?.is_some(),
        };
        if changed {
            let root = royalties.flush()?;
            self.cold.update(bs, |c| {
                c.royalties = root;
                Ok(())
            })?;
        }
        Ok(changed)
    }

    /// A live token's own royalty override, if any (`USR_NOT_FOUND` for an unknown token).
    pub fn token_royalty<BS: Blockstore>(&self, bs: &BS, id: TokenID) -> Result<Option<Royalty>> {
        self.token(bs, id)?;
        Ok(self.load_royalties(bs)?.get(id)?.copied())
    }

    /// The royalty that applies to a live token: its override, else the default.
    pub fn royalty_for<BS: Blockstore>(&self, bs: &BS, id: TokenID) -> Result<Option<Royalty>> {
        Ok(self.token_royalty(bs, id)?.or(self.cold(bs)?.default_royalty))
    }

    /// Every royalty override (for tests and invariants).
    pub fn all_royalties<BS: Blockstore>(&self, bs: &BS) -> Result<Vec<(TokenID, Royalty)>> {
        let mut out = Vec::new();
        self.load_royalties(bs)?.for_each(|id, r| {
            out.push((id, *r));
            Ok(())
        })?;
        Ok(out)
    }
}
