//! Per-token metadata: a URI (what FRC-53's `Metadata` / `MetadataID` return) plus an optional data
//! CID and piece CID ([`TokenContent`]), set at mint and changed later by an admin or a holder of
//! the metadata-editor role, until an admin freezes the collection's metadata for good.
//!
//! Freezing is one-way and collection-wide, because buyers want to know a token's metadata can no
//! longer be swapped (the guarantee OpenSea's `PermanentURI` and Metaplex's immutable flag give).
//! A token bound to a storage deal keeps the deal's piece CID: an edit may change its URI and data
//! CID but not the piece, since the deal proves that piece and no other.
use actorlib_kit::foreign_cid::ForeignCid;
use actorlib_kit::{actor_error, ActorError, Result};
use cid::Cid;
use fvm_ipld_blockstore::Blockstore;

use crate::content::TokenContent;
use crate::state::{get_token, NftState};
use crate::types::{TokenID, TokenMetadataReturn};

impl NftState {
    /// A live token's whole metadata record; `USR_NOT_FOUND` for an unknown token.
    pub fn token_metadata<BS: Blockstore>(
        &self,
        bs: &BS,
        id: TokenID,
    ) -> Result<TokenMetadataReturn> {
        let t = self.token(bs, id)?;
        let c = self.load_content(bs)?.get(id)?.cloned().unwrap_or_default();
        Ok(TokenMetadataReturn {
            uri: t.metadata,
            data_cid: c.data_cid.map(Cid::from),
            piece_cid: c.piece_cid,
            deal_id: c.deal.map(|d| d.deal_id),
        })
    }

    /// Replaces a live token's URI, data CID and piece CID. Fails with `USR_ILLEGAL_STATE` once
    /// metadata is frozen, `USR_NOT_FOUND` for an unknown token, and `USR_ILLEGAL_ARGUMENT` for a
    /// piece CID without the piece CID form or different from the piece of the token's deal.
    pub fn set_token_metadata<BS: Blockstore>(
        &mut self,
        bs: &BS,
        id: TokenID,
        uri: String,
        data_cid: Option<Cid>,
        piece_cid: Option<Cid>,
    ) -> Result<()> {
        if self.cold(bs)?.metadata_frozen {
            return Err(ActorError::illegal_state("metadata is frozen"));
        }
        let mut tokens = self.load_tokens(bs)?;
        let mut token = get_token(&tokens, id)?;
        let mut content = self.load_content(bs)?;
        let old = content.get(id)?.cloned().unwrap_or_default();
        if let Some(deal) = old.deal.filter(|_| piece_cid != old.piece_cid) {
            return Err(actor_error!(illegal_argument;
                "token {} is bound to deal {}: its piece CID cannot change", id, deal.deal_id));
        }
        let new = TokenContent { data_cid: data_cid.map(ForeignCid), piece_cid, deal: old.deal };
        new.validate()?;
        if new != old {
            if new.is_empty() {
                content.delete(id)?;
            } else {
                content.set(id, new)?;
            }
            let root = content.flush()?;
            self.cold.update(bs, |c| {
                c.content = root;
                Ok(())
            })?;
        }
        if token.metadata != uri {
            token.metadata = uri;
            tokens.set(id, token)?;
            self.tokens = tokens.flush_embedded()?;
        }
        Ok(())
    }

    /// Freezes metadata for good; returns whether it was not frozen yet.
    pub fn freeze_metadata<BS: Blockstore>(&mut self, bs: &BS) -> Result<bool> {
        if self.cold(bs)?.metadata_frozen {
            return Ok(false);
        }
        self.cold.update(bs, |c| {
            c.metadata_frozen = true;
            Ok(true)
        })
    }
}
