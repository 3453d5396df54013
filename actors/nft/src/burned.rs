//! The burned-token index: which IDs below `next_id` no longer exist.
//!
//! Token IDs come from a counter, so the tokens in circulation are `0..next_id` minus the burned
//! ones. `ListTokens` walks that range against this index instead of the token table: the table
//! holds a block per eight tokens (its narrow nodes keep every write cheap), while the index holds
//! one small bitfield per 256 IDs (kept inline while small, [`actorlib_kit::inline`]), so a page
//! of 100 tokens reads one or two small nodes rather than a dozen leaves. Only burns write it.
use std::collections::BTreeMap;

use actorlib_kit::{Result, Vector, VectorConfig};
use fvm_ipld_bitfield::BitField;
use fvm_ipld_blockstore::Blockstore;

use crate::state::{check_limit, decode_cursor, encode_cursor, NftCold, NftState};
use crate::types::{ListTokensReturn, TokenID};
use fvm_ipld_encoding::RawBytes;

/// The index's layout: an AMT from chunk number to the bitfield of burned offsets in the chunk,
/// small nodes inline.
pub const BURNED_CONFIG: VectorConfig = VectorConfig { bit_width: 3, inline: true };
/// IDs are grouped by `id >> BURNED_CHUNK_BITS` (256 IDs per chunk).
pub const BURNED_CHUNK_BITS: u32 = 8;
/// The most chunks one listing reads: a page over a long run of burned tokens ends early, with a
/// cursor to go on from, rather than reading without bound.
pub const MAX_LIST_CHUNKS: usize = 16;

type Burned<'a, BS> = Vector<&'a BS, BitField>;

impl NftState {
    fn load_burned<'a, BS: Blockstore>(&self, bs: &'a BS) -> Result<Burned<'a, BS>> {
        Vector::load(bs, &self.cold(bs)?.burned, BURNED_CONFIG, "burned")
    }

    /// Records `ids` as burned in `cold` (written by the caller).
    pub(crate) fn record_burned<BS: Blockstore>(
        bs: &BS,
        cold: &mut NftCold,
        ids: &[TokenID],
    ) -> Result<()> {
        let mut by_chunk: BTreeMap<u64, Vec<u64>> = BTreeMap::new();
        for &id in ids {
            by_chunk.entry(id >> BURNED_CHUNK_BITS).or_default().push(id & chunk_mask());
        }
        let mut burned: Burned<'_, BS> = Vector::load(bs, &cold.burned, BURNED_CONFIG, "burned")?;
        for (chunk, offsets) in by_chunk {
            let mut holes = burned.get(chunk)?.cloned().unwrap_or_default();
            for offset in offsets {
                holes.set(offset);
            }
            burned.set(chunk, holes)?;
        }
        cold.burned = burned.flush()?;
        Ok(())
    }

    /// Whether `id` was minted and burned.
    pub fn is_burned<BS: Blockstore>(&self, bs: &BS, id: TokenID) -> Result<bool> {
        let burned = self.load_burned(bs)?;
        Ok(burned.get(id >> BURNED_CHUNK_BITS)?.is_some_and(|h| h.get(id & chunk_mask())))
    }

    /// A page of the tokens in circulation, in ID order, from the cursor's ID on. The cursor is
    /// the next ID to look at, so pages go on across any writes. A page is short (with a cursor)
    /// only when it crossed [`MAX_LIST_CHUNKS`] chunks of burned tokens.
    pub fn list_tokens<BS: Blockstore>(
        &self,
        bs: &BS,
        cursor: &RawBytes,
        limit: u64,
    ) -> Result<ListTokensReturn> {
        let limit = check_limit(limit)?;
        let mut id = decode_cursor(cursor)?.unwrap_or(0);
        let burned = self.load_burned(bs)?;
        let mut tokens = BitField::new();
        let (mut found, mut chunks) = (0, 0);
        while id < self.next_id && found < limit && chunks < MAX_LIST_CHUNKS {
            let chunk = id >> BURNED_CHUNK_BITS;
            let end = ((chunk + 1) << BURNED_CHUNK_BITS).min(self.next_id);
            let holes = burned.get(chunk)?;
            chunks += 1;
            while id < end && found < limit {
                if !holes.is_some_and(|h| h.get(id & chunk_mask())) {
                    tokens.set(id);
                    found += 1;
                }
                id += 1;
            }
        }
        let next_cursor = (id < self.next_id).then(|| encode_cursor(id));
        Ok(ListTokensReturn { tokens, next_cursor })
    }

    /// Every burned ID (for invariant checks and tests: reads the whole index).
    pub fn all_burned<BS: Blockstore>(&self, bs: &BS) -> Result<Vec<TokenID>> {
        let mut ids = Vec::new();
        self.load_burned(bs)?.for_each(|chunk, holes| {
            ids.extend(holes.iter().map(|offset| (chunk << BURNED_CHUNK_BITS) | offset));
            Ok(())
        })?;
        Ok(ids)
    }
}

const fn chunk_mask() -> u64 {
    (1 << BURNED_CHUNK_BITS) - 1
}
