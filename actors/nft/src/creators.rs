//! Verified creators: who made a token, each with a share, and whether each has confirmed it.
//!
//! A collection's admins or metadata editors may list up to [`MAX_CREATORS`] creators on a token,
//! with shares in percent that sum to 100 (`SetCreators`). Listing someone proves nothing: an
//! editor could name a famous artist on anything. So each creator starts unverified, and only the
//! creator itself can verify its entry (`VerifyCreator`), or take the verification back
//! (`UnverifyCreator`); a marketplace shows a creator as the token's author only when verified
//! (Metaplex's `verified` flag works the same way). An editor who lists itself is verified at
//! once. Changing the list keeps the verification of every creator whose share is unchanged and
//! drops it for the others, who must verify again.
//!
//! Membership of a collection needs no such flag here: the collection is the actor, and a token
//! exists only if the actor minted it.
//!
//! The shares are advisory, like royalties (`RoyaltyInfo`): they say how the creators split what
//! is paid to them. Lists are replaced only while metadata is not frozen; verification is the
//! creator's own statement and stays possible after. A burnt token's list is deleted.
use actorlib_kit::{actor_error, Result, Vector, VectorConfig};
use fvm_ipld_blockstore::Blockstore;
use fvm_shared::ActorID;

use crate::state::{check_batch, get_token, NftState};
use crate::types::{Creator, TokenID, MAX_CREATORS};

/// The creator lists' layout (sparse, keyed by token ID; most tokens have none).
pub const CREATORS_CONFIG: VectorConfig = VectorConfig { bit_width: 3, inline: true };

/// The sum of a list's shares.
pub const SHARES_TOTAL: u32 = 100;

/// Checks a list of `(creator, share)`: empty, or at most [`MAX_CREATORS`] distinct creators with
/// positive shares summing to 100 (`USR_ILLEGAL_ARGUMENT` otherwise).
pub fn check_creators(creators: &[(ActorID, u8)]) -> Result<()> {
    if creators.is_empty() {
        return Ok(());
    }
    if creators.len() > MAX_CREATORS {
        return Err(actor_error!(illegal_argument;
            "at most {} creators, got {}", MAX_CREATORS, creators.len()));
    }
    for (i, (id, share)) in creators.iter().enumerate() {
        if *share == 0 {
            return Err(actor_error!(illegal_argument; "creator f0{} has a zero share", id));
        }
        if creators[..i].iter().any(|(other, _)| other == id) {
            return Err(actor_error!(illegal_argument; "creator f0{} listed twice", id));
        }
    }
    let total: u32 = creators.iter().map(|(_, s)| u32::from(*s)).sum();
    if total != SHARES_TOTAL {
        return Err(actor_error!(illegal_argument;
            "creators' shares sum to {}, not {}", total, SHARES_TOTAL));
    }
    Ok(())
}

impl NftState {
    fn load_creators<'a, BS: Blockstore>(
        &self,
        bs: &'a BS,
    ) -> Result<Vector<&'a BS, Vec<Creator>>> {
        Vector::load(bs, &self.cold(bs)?.creators, CREATORS_CONFIG, "creators")
    }

    /// Replaces a live token's creators, `by` acting (the caller's role is checked by the actor);
    /// an empty list removes them. Returns the new list if anything changed. Fails with
    /// `USR_ILLEGAL_STATE` once metadata is frozen, `USR_NOT_FOUND` for an unknown or burnt token,
    /// `USR_ILLEGAL_ARGUMENT` for a list that [`check_creators`] refuses.
    pub fn set_creators<BS: Blockstore>(
        &mut self,
        bs: &BS,
        id: TokenID,
        creators: &[(ActorID, u8)],
        by: ActorID,
    ) -> Result<Option<Vec<Creator>>> {
        if self.cold(bs)?.metadata_frozen {
            return Err(actor_error!(illegal_state; "metadata is frozen"));
        }
        get_token(&self.load_tokens(bs)?, id)?;
        check_creators(creators)?;
        let mut table = self.load_creators(bs)?;
        let old = table.get(id)?.cloned().unwrap_or_default();
        let new: Vec<Creator> = creators
            .iter()
            .map(|&(creator, share)| Creator {
                creator,
                share,
                verified: creator == by
                    || old.iter().any(|c| c.creator == creator && c.share == share && c.verified),
            })
            .collect();
        if new == old {
            return Ok(None);
        }
        if new.is_empty() {
            table.delete(id)?;
        } else {
            table.set(id, new.clone())?;
        }
        let root = table.flush()?;
        self.cold.update(bs, |c| {
            c.creators = root;
            Ok(())
        })?;
        Ok(Some(new))
    }

    /// Sets `creator`'s verification on each token in `ids` (at most [`crate::types::MAX_BATCH`],
    /// none twice); returns the tokens whose flag changed. Every token must be live
    /// (`USR_NOT_FOUND`) and list `creator` (`USR_FORBIDDEN`); nothing changes unless all do.
    pub fn verify_creator<BS: Blockstore>(
        &mut self,
        bs: &BS,
        creator: ActorID,
        ids: &[TokenID],
        verified: bool,
    ) -> Result<Vec<TokenID>> {
        check_batch(ids)?;
        let tokens = self.load_tokens(bs)?;
        let mut table = self.load_creators(bs)?;
        let mut changed = Vec::new();
        for &id in ids {
            get_token(&tokens, id)?;
            let mut list = table.get(id)?.cloned().unwrap_or_default();
            let entry = list.iter_mut().find(|c| c.creator == creator).ok_or_else(
                || actor_error!(forbidden; "f0{} is not a creator of token {}", creator, id),
            )?;
            if entry.verified != verified {
                entry.verified = verified;
                table.set(id, list)?;
                changed.push(id);
            }
        }
        if !changed.is_empty() {
            let root = table.flush()?;
            self.cold.update(bs, |c| {
                c.creators = root;
                Ok(())
            })?;
        }
        Ok(changed)
    }

    /// A live token's creators (empty if none are listed; `USR_NOT_FOUND` for an unknown token).
    pub fn creators<BS: Blockstore>(&self, bs: &BS, id: TokenID) -> Result<Vec<Creator>> {
        get_token(&self.load_tokens(bs)?, id)?;
        Ok(self.load_creators(bs)?.get(id)?.cloned().unwrap_or_default())
    }

    /// Every token's creators (for tests and invariants).
    pub fn all_creators<BS: Blockstore>(&self, bs: &BS) -> Result<Vec<(TokenID, Vec<Creator>)>> {
        let mut out = Vec::new();
        self.load_creators(bs)?.for_each(|id, list| {
            out.push((id, list.clone()));
            Ok(())
        })?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fvm_shared::error::ExitCode;

    #[test]
    fn lists_are_empty_or_distinct_positive_shares_summing_to_100() {
        assert!(check_creators(&[]).is_ok());
        assert!(check_creators(&[(1, 100)]).is_ok());
        assert!(check_creators(&[(1, 60), (2, 40)]).is_ok());
        let bad: &[&[(ActorID, u8)]] = &[
            &[(1, 99)],
            &[(1, 60), (2, 60)],
            &[(1, 100), (2, 0)],
            &[(1, 50), (1, 50)],
            &[(1, 20), (2, 20), (3, 20), (4, 20), (5, 10), (6, 10)],
        ];
        for list in bad {
            let e = check_creators(list).unwrap_err();
            assert_eq!(e.code(), ExitCode::USR_ILLEGAL_ARGUMENT, "{list:?}");
        }
    }
}
