//! The collection's state and all of its logic, written against a blockstore only (no runtime), so
//! that every rule is unit-testable on the host.
//!
//! Layout: two blocks. The hot root ([`NftState`]) holds what transfers, approvals and the owner,
//! balance and supply queries read or write (`supply`, `next_id`, the `tokens` and `owners` roots
//! and the `cold` link); the cold block ([`NftCold`]) holds the rest, read on first use within a
//! call ([`LinkedBlock`]). Every block written costs gas by its size and every query reads the
//! root, so the hot root keeps only these; the `tokens` and `owners` root nodes are embedded in it
//! ([`EmbeddedRoot`]), and queries that need one field of it decode only that field ([`view`]).
//!
//! | field | block | structure | key → value |
//! |---|---|---|---|
//! | `tokens` | hot | AMT | token ID → [`TokenData`] (owner, token operators, metadata URI) |
//! | `owners` | hot | HAMT | owner ID → [`OwnerData`] (balance, its token IDs, account operators), packed ([`crate::owner_record`]) |
//! | `burned` | cold | AMT | the burned IDs below `next_id` ([`crate::burned`]) |
//! | `roles` | cold | HAMT set | `(role, account)` flattened into one key |
//! | `royalties` | cold | AMT | token ID → [`Royalty`] override (see [`crate::royalty`]) |
//! | `content` | cold | AMT | token ID → [`TokenContent`] (data CID, piece CID, deal; see [`crate::content`]) |
//! | `deals` | cold | HAMT | deal ID → token ID bound to it |
//! | `creators` | cold | AMT | token ID → its creators, shares and verifications (see [`mod@crate::creators`]) |
//!
//! Token IDs come from a counter, so the token table is an AMT: dense, ordered, and a lookup is a
//! walk down a tree of height log₈(supply). Each owner's record indexes its own tokens, so
//! `ListOwnedTokens` reads only that owner's tokens: its cost grows with the page, not with the
//! supply. (One HAMT keyed by a flattened `(owner, token)` would scatter an owner's tokens across
//! the whole map by hash, and listing them would walk every token.)
//!
//! The owner index is inline while it is small: an RLE+ bitfield of token IDs in the owner's record
//! (a few bytes for runs of consecutive IDs, as batch mints give), so a transfer or mint between
//! such holders writes no block beyond the owners HAMT's. An owner whose bitfield outgrows
//! [`OWNED_INLINE_MAX_BYTES`] or [`OWNED_INLINE_MAX_TOKENS`] moves, once, to an AMT of chunks
//! (chunk `id >> OWNED_CHUNK_BITS` → bitfield of the IDs held in it). Both forms list in ID order,
//! so a cursor (a token ID) means the same whichever form the owner is in when a page is read.
//!
//! Every method checks everything before it writes anything, so a method that fails leaves the
//! state as it was.
//!
//! Exit codes: an unknown or burnt token is `USR_NOT_FOUND`; a caller that neither owns nor operates
//! a token is `USR_FORBIDDEN`; a duplicate ID, an oversized batch, a bad cursor or limit, or a mint
//! beyond the maximum supply is `USR_ILLEGAL_ARGUMENT`.
use std::collections::BTreeSet;

use actorlib_kit::block::LinkedBlock;
use actorlib_kit::cbor_array;
use actorlib_kit::embedded::{Embedded, EmbeddedRoot};
use actorlib_kit::roles::{Roles, ROLES_CONFIG};
use actorlib_kit::state::{self as kit_state, decode_field, encode_field, BlockState};
use actorlib_kit::{actor_error, ActorError, Map, MapConfig, MapKey, Result};
use actorlib_kit::{Vector, VectorConfig};
use cid::Cid;
use fvm_ipld_bitfield::iter::Ranges;
use fvm_ipld_bitfield::BitField;
use fvm_ipld_blockstore::Blockstore;
use fvm_ipld_encoding::tuple::*;
use fvm_ipld_encoding::RawBytes;
use fvm_shared::clock::ChainEpoch;
use fvm_shared::ActorID;

use crate::burned::BURNED_CONFIG;
use crate::content::{TokenContent, CONTENT_CONFIG, DEALS_CONFIG};
use crate::creators::CREATORS_CONFIG;
use crate::operator::{self, is_operator, Operator};
use crate::royalty::{Royalty, ROYALTIES_CONFIG};
use crate::types::{
    Creator, ListOperatorsReturn, ListTokensReturn, Role, TokenID, MAX_BATCH, MAX_LIST_LIMIT,
};
use actorlib_kit::ext::market::DealID;

/// The owners HAMT's layout: bit width 3, the width measured cheapest for the token's balances.
pub const OWNERS_CONFIG: MapConfig = MapConfig { bit_width: 3, bucket_size: 3, inline: true };
/// An owner's token IDs stay inline (an RLE+ bitfield in its record) while they encode in at most
/// this many bytes: each record is rewritten with its neighbours in an owners HAMT node, so the
/// bound keeps those nodes small.
pub const OWNED_INLINE_MAX_BYTES: usize = 32;
/// ... and while the owner holds at most this many tokens (which bounds the one-time cost of moving
/// a set to chunks: at most `OWNED_INLINE_MAX_TOKENS >> OWNED_CHUNK_BITS` chunks plus one per run).
pub const OWNED_INLINE_MAX_TOKENS: u64 = 4096;
/// A chunked owner index groups token IDs by `id >> OWNED_CHUNK_BITS` (256 IDs per chunk).
pub const OWNED_CHUNK_BITS: u32 = 8;
/// The layout of a chunked owner index (AMT: chunk → bitfield).
pub const OWNED_CHUNKS_CONFIG: VectorConfig = VectorConfig { bit_width: 3, inline: true };
/// The token table's layout: bit width 3, measured against 2, 4 and 5 in the gas bench. Narrow
/// nodes make every write cheapest (a rewritten block costs per byte); width 4 would make lookups
/// and listings cheaper and every write dearer.
pub const TOKENS_CONFIG: VectorConfig = VectorConfig { bit_width: 3, inline: true };

/// The key of a role grant (the kit's: the role's byte, then the account's ID as a varint).
pub type RoleKey = actorlib_kit::roles::RoleKey<Role>;

/// One token. Stored packed (one CBOR byte string, see [`crate::token_record`]), not as a tuple
/// of its fields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenData {
    /// The owner's ID.
    pub owner: ActorID,
    /// The token-level operators, sorted by ID (cleared by every transfer).
    pub operators: Vec<Operator>,
    /// The metadata URI.
    pub metadata: String,
}

/// One account that holds tokens or has account-level operators. Stored packed (one CBOR byte
/// string, see [`crate::owner_record`]), not as a tuple of its fields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwnerData {
    /// The number of tokens held.
    pub balance: u64,
    /// The IDs of the tokens held, while inline: the bytes of an RLE+ bitfield (empty once
    /// `chunks` is set). Kept encoded, so that loading a HAMT node of owner records does not decode
    /// every record's bitfield; [`OwnerData::inline_tokens`] decodes it.
    pub tokens: RawBytes,
    /// AMT: chunk (`id >> OWNED_CHUNK_BITS`) → bitfield of the IDs held in it, once the inline
    /// bitfield outgrew its bounds.
    pub chunks: Option<Cid>,
    /// The account-level operators, sorted by ID.
    pub operators: Vec<Operator>,
}

impl OwnerData {
    /// The inline token set, decoded.
    pub fn inline_tokens(&self) -> Result<BitField> {
        BitField::from_bytes(self.tokens.bytes())
            .map_err(|e| actor_error!(illegal_state; "an owner's token bitfield: {}", e))
    }
}

/// The collection's state object: the hot root, which every transfer, approval, mint and burn
/// rewrites and every query decodes, so it holds only what those read or change. The rest is in
/// the [`NftCold`] block behind `cold`, read on first use within a call.
///
/// The token table's and the owners map's root nodes are inside this block
/// ([`EmbeddedRoot`]): transfers, mints and burns change both, and every query reads one, so a
/// block of their own would cost a block open per query and a block write per change. The actor
/// reads and writes this block through [`NftState::from_block`] and [`NftState::to_block`], which
/// take the fields' bytes apart and put them together without decoding the roots; serde gives
/// the same encoding (a test checks), for tools and tests.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
pub struct NftState {
    /// The tokens in circulation.
    pub supply: u64,
    /// The next token ID (also the number of tokens ever minted).
    pub next_id: TokenID,
    /// AMT: token ID → [`TokenData`], its root node embedded.
    pub tokens: EmbeddedRoot,
    /// HAMT: owner ID → [`OwnerData`], its root node embedded.
    pub owners: EmbeddedRoot,
    /// The rest of the state.
    pub cold: LinkedBlock<NftCold>,
}

impl BlockState for NftState {
    /// The state from its block's bytes.
    fn from_block(block: &[u8]) -> Result<Self> {
        let [supply, next_id, tokens, owners, cold] = kit_state::fields(block)?;
        Ok(Self {
            supply: decode_field(supply, "supply")?,
            next_id: decode_field(next_id, "next_id")?,
            tokens: EmbeddedRoot::from_cbor(tokens.to_vec()),
            owners: EmbeddedRoot::from_cbor(owners.to_vec()),
            cold: decode_field(cold, "cold")?,
        })
    }

    /// The state's block (the cold block must be committed).
    fn to_block(&self) -> Result<Vec<u8>> {
        Ok(cbor_array::array(&[
            &encode_field(&self.supply, "supply")?,
            &encode_field(&self.next_id, "next_id")?,
            self.tokens.as_cbor(),
            self.owners.as_cbor(),
            &encode_field(&self.cold, "cold")?,
        ]))
    }
}

/// The hot root's fields, as bytes: queries that need one field decode only that one (a CID costs
/// thousands of gas to decode, stepping over one a few dozen). The order is [`NftState`]'s.
pub mod view {
    use actorlib_kit::embedded::EmbeddedRoot;
    use actorlib_kit::state::{decode_field, field};
    use actorlib_kit::Result;

    /// The tokens in circulation.
    pub fn supply(block: &[u8]) -> Result<u64> {
        decode_field(field(block, 0)?, "supply")
    }

    /// The token table's root.
    pub fn tokens(block: &[u8]) -> Result<EmbeddedRoot> {
        Ok(EmbeddedRoot::from_cbor(field(block, 2)?.to_vec()))
    }

    /// The owners map's root.
    pub fn owners(block: &[u8]) -> Result<EmbeddedRoot> {
        Ok(EmbeddedRoot::from_cbor(field(block, 3)?.to_vec()))
    }
}

/// The collection's cold state: what transfers, approvals and queries of owners and balances never
/// touch. Mints read it (the minter role, the maximum supply), burns rewrite it (the burned index),
/// and so do the administrative methods.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
pub struct NftCold {
    /// The collection's name.
    pub name: String,
    /// The collection's symbol.
    pub symbol: String,
    /// The most tokens that may ever be minted, if limited.
    pub max_supply: Option<u64>,
    /// AMT: the burned IDs below `next_id` ([`crate::burned`]).
    pub burned: Cid,
    /// HAMT set of [`RoleKey`]s.
    pub roles: Cid,
    /// The royalty of every token without an override, if any.
    pub default_royalty: Option<Royalty>,
    /// AMT: token ID → [`Royalty`] override.
    pub royalties: Cid,
    /// AMT: token ID → [`TokenContent`], for tokens with a data CID, piece CID or deal.
    pub content: Cid,
    /// HAMT: deal ID → the token bound to it (a deal backs at most one live token).
    pub deals: Cid,
    /// AMT: token ID → its [`Creator`]s, for tokens that list any ([`mod@crate::creators`]).
    pub creators: Cid,
    /// Whether metadata is frozen: no URI or content may change any more (mints still may set
    /// theirs).
    pub metadata_frozen: bool,
}

/// What a new collection starts with, besides its name, symbol and maximum supply.
#[derive(Clone, Debug, Default)]
pub struct Genesis {
    /// The default royalty.
    pub royalty: Option<Royalty>,
    /// The roles to grant.
    pub grants: Vec<(Role, ActorID)>,
}

/// What a mint did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Minted {
    /// The new tokens.
    pub token_ids: Vec<TokenID>,
    /// The recipient's balance.
    pub balance: u64,
    /// The supply after the mint.
    pub supply: u64,
}

/// What a transfer did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Moved {
    /// The owner's balance.
    pub from_balance: u64,
    /// The recipient's balance.
    pub to_balance: u64,
}

pub(crate) type Tokens<'a, BS> = Vector<Embedded<&'a BS>, TokenData>;
pub(crate) type Owners<'a, BS> = Map<Embedded<&'a BS>, ActorID, OwnerData>;
type Chunks<'a, BS> = Vector<&'a BS, BitField>;

/// The current epoch, asked for only when an operator's expiry must be checked (in an actor,
/// reading the epoch is a syscall, which transfers by owners should not pay for).
pub type Now<'a> = &'a dyn Fn() -> ChainEpoch;

/// Fails with `USR_ILLEGAL_ARGUMENT` unless an expiry is after the current epoch.
fn check_expiry(expires_at: Option<ChainEpoch>, now: Now<'_>) -> Result<()> {
    match expires_at {
        Some(at) if at <= now() => Err(actor_error!(illegal_argument;
            "an approval cannot expire at epoch {}: the current epoch is {}", at, now())),
        _ => Ok(()),
    }
}

/// Checks a batch: at most [`MAX_BATCH`] IDs, none twice.
pub fn check_batch(ids: &[TokenID]) -> Result<()> {
    if ids.len() > MAX_BATCH {
        return Err(actor_error!(illegal_argument;
            "at most {} tokens per call, got {}", MAX_BATCH, ids.len()));
    }
    let mut seen = BTreeSet::new();
    for id in ids {
        if !seen.insert(*id) {
            return Err(actor_error!(illegal_argument; "token {} is named twice", id));
        }
    }
    Ok(())
}

/// The token IDs of an RLE+ token set (the FRC-53 text's `TokenSet`), in ascending order: at most
/// [`MAX_BATCH`] of them (`USR_ILLEGAL_ARGUMENT` otherwise). The count is taken from the runs
/// before any ID is expanded, so a small encoding of a huge range costs nothing.
pub fn token_ids_of(set: &BitField) -> Result<Vec<TokenID>> {
    let mut n: u64 = 0;
    for run in set.ranges() {
        n = n.saturating_add(run.end - run.start);
        if n > MAX_BATCH as u64 {
            return Err(actor_error!(illegal_argument;
                "at most {} tokens per call, the set names more", MAX_BATCH));
        }
    }
    Ok(set.iter().collect())
}

/// Decodes a cursor: empty for the start, else a minimal varint key.
pub fn decode_cursor(cursor: &RawBytes) -> Result<Option<u64>> {
    if cursor.is_empty() {
        return Ok(None);
    }
    u64::from_key_bytes(cursor.bytes())
        .map(Some)
        .map_err(|e| actor_error!(illegal_argument; "invalid cursor: {}", e.message()))
}

/// Encodes a cursor.
pub fn encode_cursor(key: u64) -> RawBytes {
    RawBytes::new(key.to_key_bytes())
}

pub(crate) fn check_limit(limit: u64) -> Result<usize> {
    if limit == 0 || limit > MAX_LIST_LIMIT {
        return Err(actor_error!(illegal_argument;
            "limit must be between 1 and {}, got {}", MAX_LIST_LIMIT, limit));
    }
    Ok(limit as usize)
}

pub(crate) fn bitfield(ids: impl IntoIterator<Item = u64>) -> BitField {
    let mut bf = BitField::new();
    for id in ids {
        bf.set(id);
    }
    bf
}

/// A page of a sorted list of IDs starting at `cursor`.
fn page_sorted(list: &[ActorID], cursor: Option<u64>, limit: usize) -> ListOperatorsReturn {
    let start = cursor.map_or(0, |c| list.partition_point(|x| *x < c));
    let rest = &list[start..];
    let (page, next) =
        if rest.len() > limit { (&rest[..limit], Some(rest[limit])) } else { (rest, None) };
    ListOperatorsReturn {
        operators: bitfield(page.iter().copied()),
        next_cursor: next.map(encode_cursor),
    }
}

impl NftState {
    /// A new, empty collection.
    pub fn new<BS: Blockstore>(
        bs: &BS,
        name: String,
        symbol: String,
        max_supply: Option<u64>,
    ) -> Result<Self> {
        Ok(Self::with_genesis(bs, name, symbol, max_supply, Genesis::default())?.0)
    }

    /// A new collection with a default royalty and roles granted, writing the cold block once;
    /// also returns the grants that were new (a repeated grant is granted once).
    pub fn with_genesis<BS: Blockstore>(
        bs: &BS,
        name: String,
        symbol: String,
        max_supply: Option<u64>,
        genesis: Genesis,
    ) -> Result<(Self, Vec<(Role, ActorID)>)> {
        if let Some(r) = genesis.royalty {
            Royalty::new(r.receiver, r.basis_points)?;
        }
        let mut roles = Roles::<_, Role>::empty(bs, ROLES_CONFIG);
        let mut granted = Vec::new();
        for (role, account) in genesis.grants {
            if roles.grant(role, account)? {
                granted.push((role, account));
            }
        }
        let cold = NftCold {
            name,
            symbol,
            max_supply,
            burned: Vector::<_, BitField>::flush_empty(bs, BURNED_CONFIG)?,
            roles: roles.flush()?,
            default_royalty: genesis.royalty,
            royalties: Vector::<_, Royalty>::flush_empty(bs, ROYALTIES_CONFIG)?,
            content: Vector::<_, TokenContent>::flush_empty(bs, CONTENT_CONFIG)?,
            deals: Map::<_, DealID, TokenID>::flush_empty(bs, DEALS_CONFIG)?,
            creators: Vector::<_, Vec<Creator>>::flush_empty(bs, CREATORS_CONFIG)?,
            metadata_frozen: false,
        };
        let st = Self {
            supply: 0,
            next_id: 0,
            tokens: EmbeddedRoot::empty_vector(TOKENS_CONFIG)?,
            owners: EmbeddedRoot::empty_map(OWNERS_CONFIG)?,
            cold: LinkedBlock::new(bs, cold)?,
        };
        Ok((st, granted))
    }

    /// The cold block (read from the store on first use).
    pub fn cold<'a, BS: Blockstore>(&'a self, bs: &BS) -> Result<&'a NftCold> {
        self.cold.get(bs)
    }

    pub(crate) fn load_tokens<'a, BS: Blockstore>(&self, bs: &'a BS) -> Result<Tokens<'a, BS>> {
        Vector::load_embedded(bs, &self.tokens, TOKENS_CONFIG, "tokens")
    }

    pub(crate) fn load_owners<'a, BS: Blockstore>(&self, bs: &'a BS) -> Result<Owners<'a, BS>> {
        Map::load_embedded(bs, &self.owners, OWNERS_CONFIG, "owners")
    }

    pub(crate) fn load_content<'a, BS: Blockstore>(
        &self,
        bs: &'a BS,
    ) -> Result<Vector<&'a BS, TokenContent>> {
        Vector::load(bs, &self.cold(bs)?.content, CONTENT_CONFIG, "content")
    }

    pub(crate) fn load_deals<'a, BS: Blockstore>(
        &self,
        bs: &'a BS,
    ) -> Result<Map<&'a BS, DealID, TokenID>> {
        Map::load(bs, &self.cold(bs)?.deals, DEALS_CONFIG, "deals")
    }

    pub(crate) fn load_royalties<'a, BS: Blockstore>(
        &self,
        bs: &'a BS,
    ) -> Result<Vector<&'a BS, Royalty>> {
        Vector::load(bs, &self.cold(bs)?.royalties, ROYALTIES_CONFIG, "royalties")
    }

    /// Deletes the royalty overrides, content, deal bindings and creators of burnt tokens from
    /// `cold` (the collections are read through `bs`; `cold` is written by the caller).
    fn forget_extras<BS: Blockstore>(bs: &BS, cold: &mut NftCold, ids: &[TokenID]) -> Result<()> {
        let mut creators: Vector<_, Vec<Creator>> =
            Vector::load(bs, &cold.creators, CREATORS_CONFIG, "creators")?;
        let mut creators_changed = false;
        for &id in ids {
            creators_changed |= creators.delete(id)?.is_some();
        }
        if creators_changed {
            cold.creators = creators.flush()?;
        }
        let mut royalties: Vector<_, Royalty> =
            Vector::load(bs, &cold.royalties, ROYALTIES_CONFIG, "royalties")?;
        let mut content: Vector<_, TokenContent> =
            Vector::load(bs, &cold.content, CONTENT_CONFIG, "content")?;
        let mut deals: Map<_, DealID, TokenID> = Map::load(bs, &cold.deals, DEALS_CONFIG, "deals")?;
        let (mut r_changed, mut c_changed, mut d_changed) = (false, false, false);
        for &id in ids {
            r_changed |= royalties.delete(id)?.is_some();
            if let Some(c) = content.delete(id)? {
                c_changed = true;
                if let Some(deal) = c.deal {
                    d_changed |= deals.delete(&deal.deal_id)?.is_some();
                }
            }
        }
        if r_changed {
            cold.royalties = royalties.flush()?;
        }
        if c_changed {
            cold.content = content.flush()?;
        }
        if d_changed {
            cold.deals = deals.flush()?;
        }
        Ok(())
    }

    fn load_roles<'a, BS: Blockstore>(&self, bs: &'a BS) -> Result<Roles<&'a BS, Role>> {
        Roles::load(bs, &self.cold(bs)?.roles, ROLES_CONFIG)
    }

    // ---- roles ----

    /// Whether `account` holds `role`.
    pub fn has_role<BS: Blockstore>(&self, bs: &BS, role: Role, account: ActorID) -> Result<bool> {
        self.load_roles(bs)?.has(role, account)
    }

    /// Fails with `USR_FORBIDDEN` unless `account` holds `role`.
    pub fn require_role<BS: Blockstore>(
        &self,
        bs: &BS,
        role: Role,
        account: ActorID,
    ) -> Result<()> {
        self.load_roles(bs)?.require(role, account)
    }

    /// Gives `account` a role; returns whether it is new.
    pub fn grant_role<BS: Blockstore>(
        &mut self,
        bs: &BS,
        role: Role,
        account: ActorID,
    ) -> Result<bool> {
        let mut roles = self.load_roles(bs)?;
        let added = roles.grant(role, account)?;
        if added {
            let root = roles.flush()?;
            self.cold.update(bs, |c| {
                c.roles = root;
                Ok(())
            })?;
        }
        Ok(added)
    }

    /// Takes a role from `account`; returns whether it had it.
    pub fn revoke_role<BS: Blockstore>(
        &mut self,
        bs: &BS,
        role: Role,
        account: ActorID,
    ) -> Result<bool> {
        let mut roles = self.load_roles(bs)?;
        let removed = roles.revoke(role, account)?;
        if removed {
            let root = roles.flush()?;
            self.cold.update(bs, |c| {
                c.roles = root;
                Ok(())
            })?;
        }
        Ok(removed)
    }

    // ---- queries ----

    /// A token, or `USR_NOT_FOUND` if it was never minted or is burnt.
    pub fn token<BS: Blockstore>(&self, bs: &BS, id: TokenID) -> Result<TokenData> {
        token_in(bs, &self.tokens, id)
    }

    /// The number of tokens `owner` holds.
    pub fn balance<BS: Blockstore>(&self, bs: &BS, owner: ActorID) -> Result<u64> {
        balance_in(bs, &self.owners, owner)
    }

    /// Whether `operator` is a live account-level operator of `owner`.
    pub fn is_account_operator<BS: Blockstore>(
        &self,
        bs: &BS,
        owner: ActorID,
        operator: ActorID,
        now: Now<'_>,
    ) -> Result<bool> {
        let owners = self.load_owners(bs)?;
        Ok(owners.get(&owner)?.is_some_and(|o| is_operator(&o.operators, operator, now)))
    }

    // ---- mint ----

    /// Mints one token per metadata URI to `to`.
    pub fn mint<BS: Blockstore>(
        &mut self,
        bs: &BS,
        to: ActorID,
        metadata: Vec<String>,
    ) -> Result<Minted> {
        self.mint_with_content(
            bs,
            to,
            metadata.into_iter().map(|uri| (uri, TokenContent::default())).collect(),
        )
    }

    /// Mints one token per entry to `to`, each with its URI and content (data CID, piece CID,
    /// deal). Piece CIDs must have the piece CID form; a deal may back one live token only.
    pub fn mint_with_content<BS: Blockstore>(
        &mut self,
        bs: &BS,
        to: ActorID,
        entries: Vec<(String, TokenContent)>,
    ) -> Result<Minted> {
        if entries.len() > MAX_BATCH {
            return Err(actor_error!(illegal_argument;
                "at most {} tokens per call, got {}", MAX_BATCH, entries.len()));
        }
        let n = entries.len() as u64;
        let next_id = self
            .next_id
            .checked_add(n)
            .ok_or_else(|| ActorError::illegal_argument("token IDs exhausted"))?;
        if let Some(max) = self.cold(bs)?.max_supply {
            if next_id > max {
                return Err(actor_error!(illegal_argument;
                    "minting {} tokens would exceed the maximum supply of {} ({} minted)", n, max, self.next_id));
            }
        }
        let ids: Vec<TokenID> = (self.next_id..next_id).collect();
        let mut tokens = self.load_tokens(bs)?;
        let mut content = self.load_content(bs)?;
        let mut deals = self.load_deals(bs)?;
        let (mut content_changed, mut deals_changed) = (false, false);
        for (id, (uri, c)) in ids.iter().zip(entries) {
            c.validate()?;
            if let Some(deal) = c.deal.map(|d| d.deal_id) {
                if !deals.set_if_absent(deal, *id)? {
                    return Err(actor_error!(illegal_argument;
                        "deal {} already backs token {}", deal, deals.get(&deal)?.copied().unwrap_or_default()));
                }
                deals_changed = true;
            }
            if !c.is_empty() {
                content.set(*id, c)?;
                content_changed = true;
            }
            tokens.set(*id, TokenData { owner: to, operators: vec![], metadata: uri })?;
        }
        let mut owners = self.load_owners(bs)?;
        let balance = credit(bs, &mut owners, to, &ids)?;
        self.tokens = tokens.flush_embedded()?;
        self.owners = owners.flush_embedded()?;
        if content_changed || deals_changed {
            let content = content_changed.then(|| content.flush()).transpose()?;
            let deals = deals_changed.then(|| deals.flush()).transpose()?;
            self.cold.update(bs, |c| {
                c.content = content.unwrap_or(c.content);
                c.deals = deals.unwrap_or(c.deals);
                Ok(())
            })?;
        }
        self.next_id = next_id;
        self.supply += n;
        Ok(Minted { token_ids: ids, balance, supply: self.supply })
    }

    // ---- transfers and burns ----

    /// Checks that `operator` may debit every token in `ids` from `from`: each exists, is owned by
    /// `from`, and `operator` is `from`, an account-level operator of `from`, or an operator of the
    /// token. Returns the tokens.
    fn check_debit<BS: Blockstore>(
        tokens: &Tokens<'_, BS>,
        owners: &Owners<'_, BS>,
        operator: ActorID,
        from: ActorID,
        ids: &[TokenID],
        now: Now<'_>,
    ) -> Result<Vec<TokenData>> {
        check_batch(ids)?;
        let account_op = operator != from
            && owners.get(&from)?.is_some_and(|o| is_operator(&o.operators, operator, now));
        let mut out = Vec::with_capacity(ids.len());
        for &id in ids {
            let t = get_token(tokens, id)?;
            if t.owner != from {
                return Err(if operator == from {
                    actor_error!(forbidden; "f0{} does not own token {}", from, id)
                } else {
                    actor_error!(forbidden; "token {} is not owned by f0{}", id, from)
                });
            }
            if operator != from && !account_op && !is_operator(&t.operators, operator, now) {
                return Err(
                    actor_error!(forbidden; "f0{} is not an operator of token {}", operator, id),
                );
            }
            out.push(t);
        }
        Ok(out)
    }

    /// Moves `ids` from `from` to `to`, `operator` acting (the owner itself for `Transfer`); clears
    /// each token's operators.
    pub fn transfer<BS: Blockstore>(
        &mut self,
        bs: &BS,
        operator: ActorID,
        from: ActorID,
        to: ActorID,
        ids: &[TokenID],
        now: Now<'_>,
    ) -> Result<Moved> {
        let mut tokens = self.load_tokens(bs)?;
        let mut owners = self.load_owners(bs)?;
        let checked = Self::check_debit(&tokens, &owners, operator, from, ids, now)?;
        if ids.is_empty() {
            let balance = |id| owners.get(&id).map(|o| o.map_or(0, |o| o.balance));
            return Ok(Moved { from_balance: balance(from)?, to_balance: balance(to)? });
        }
        for (&id, mut t) in ids.iter().zip(checked) {
            t.owner = to;
            t.operators.clear();
            tokens.set(id, t)?;
        }
        let from_balance = debit(bs, &mut owners, from, ids)?;
        let to_balance = credit(bs, &mut owners, to, ids)?;
        let from_balance = if from == to { to_balance } else { from_balance };
        self.tokens = tokens.flush_embedded()?;
        self.owners = owners.flush_embedded()?;
        Ok(Moved { from_balance, to_balance })
    }

    /// Destroys `ids`, owned by `from`, `operator` acting; returns `from`'s balance.
    pub fn burn<BS: Blockstore>(
        &mut self,
        bs: &BS,
        operator: ActorID,
        from: ActorID,
        ids: &[TokenID],
        now: Now<'_>,
    ) -> Result<u64> {
        let mut tokens = self.load_tokens(bs)?;
        let mut owners = self.load_owners(bs)?;
        Self::check_debit(&tokens, &owners, operator, from, ids, now)?;
        if ids.is_empty() {
            return Ok(owners.get(&from)?.map_or(0, |o| o.balance));
        }
        for &id in ids {
            tokens.delete(id)?;
        }
        let balance = debit(bs, &mut owners, from, ids)?;
        self.tokens = tokens.flush_embedded()?;
        self.owners = owners.flush_embedded()?;
        self.supply -= ids.len() as u64;
        self.cold.update(bs, |c| {
            Self::record_burned(bs, c, ids)?;
            // A burnt token keeps no royalty or content, and frees its deal for another token.
            Self::forget_extras(bs, c, ids)
        })?;
        Ok(balance)
    }

    // ---- operators ----

    /// Adds (`approve`, until `expires_at` if given) or removes `operator` on each token in
    /// `ids`, `by` acting: `by` must own each token or be a live account-level operator of its
    /// owner. An expiry must be after the current epoch. Returns whether anything changed.
    #[allow(clippy::too_many_arguments)]
    pub fn set_token_operator<BS: Blockstore>(
        &mut self,
        bs: &BS,
        by: ActorID,
        operator: ActorID,
        ids: &[TokenID],
        approve: bool,
        expires_at: Option<ChainEpoch>,
        now: Now<'_>,
    ) -> Result<bool> {
        check_batch(ids)?;
        if approve {
            check_expiry(expires_at, now)?;
        }
        let mut tokens = self.load_tokens(bs)?;
        let mut updates = Vec::new();
        for &id in ids {
            let mut t = get_token(&tokens, id)?;
            if t.owner != by && !self.is_account_operator(bs, t.owner, by, now)? {
                return Err(actor_error!(forbidden;
                    "f0{} neither owns token {} nor operates its owner's account", by, id));
            }
            if approve && operator == t.owner {
                return Err(actor_error!(illegal_argument;
                    "f0{} owns token {}: an owner is not its token's operator", operator, id));
            }
            let changed = if approve {
                operator::set(&mut t.operators, Operator { id: operator, expires_at })
            } else {
                operator::remove(&mut t.operators, operator)
            };
            if changed {
                updates.push((id, t));
            }
        }
        if updates.is_empty() {
            return Ok(false);
        }
        for (id, t) in updates {
            tokens.set(id, t)?;
        }
        self.tokens = tokens.flush_embedded()?;
        Ok(true)
    }

    /// Adds (`approve`, until `expires_at` if given) or removes `operator` as an account-level
    /// operator of `owner`; returns whether anything changed. An account is never its own
    /// operator, and an expiry must be after the current epoch.
    #[allow(clippy::too_many_arguments)]
    pub fn set_account_operator<BS: Blockstore>(
        &mut self,
        bs: &BS,
        owner: ActorID,
        operator: ActorID,
        approve: bool,
        expires_at: Option<ChainEpoch>,
        now: Now<'_>,
    ) -> Result<bool> {
        if owner == operator && approve {
            return Err(ActorError::illegal_argument("an account cannot be its own operator"));
        }
        if approve {
            check_expiry(expires_at, now)?;
        }
        let mut owners = self.load_owners(bs)?;
        let mut rec = match owners.get(&owner)? {
            Some(r) => r.clone(),
            None if approve => empty_owner(),
            None => return Ok(false),
        };
        let changed = if approve {
            operator::set(&mut rec.operators, Operator { id: operator, expires_at })
        } else {
            operator::remove(&mut rec.operators, operator)
        };
        if !changed {
            return Ok(false);
        }
        put_owner(&mut owners, owner, rec)?;
        self.owners = owners.flush_embedded()?;
        Ok(true)
    }

    // ---- listings ----

    /// A page of `owner`'s tokens, in ID order, from the cursor's ID on (whether or not the owner
    /// still holds that token).
    pub fn list_owned_tokens<BS: Blockstore>(
        &self,
        bs: &BS,
        owner: ActorID,
        cursor: &RawBytes,
        limit: u64,
    ) -> Result<ListTokensReturn> {
        let limit = check_limit(limit)?;
        let start = decode_cursor(cursor)?.unwrap_or(0);
        let owners = self.load_owners(bs)?;
        let Some(rec) = owners.get(&owner)? else {
            return Ok(ListTokensReturn { tokens: BitField::new(), next_cursor: None });
        };
        // One more than the page, to know where the next page starts.
        let mut ids = Vec::with_capacity(limit + 1);
        match &rec.chunks {
            None => {
                for r in rec.inline_tokens()?.ranges() {
                    ids.extend(r.start.max(start)..r.end);
                    if ids.len() > limit {
                        break;
                    }
                }
            }
            Some(root) => {
                // Every chunk after the first holds at least one ID: `limit + 2` chunks suffice.
                let chunks: Chunks<'_, BS> = Vector::load(bs, root, OWNED_CHUNKS_CONFIG, "owned")?;
                chunks.for_each_from(start >> OWNED_CHUNK_BITS, limit + 2, |_, bf| {
                    if ids.len() <= limit {
                        ids.extend(bf.iter().filter(|id| *id >= start));
                    }
                    Ok(())
                })?;
            }
        }
        let next = ids.get(limit).copied();
        ids.truncate(limit);
        Ok(ListTokensReturn { tokens: bitfield(ids), next_cursor: next.map(encode_cursor) })
    }

    /// A page of a token's operators live at the epoch `now` gives, in ID order.
    pub fn list_token_operators<BS: Blockstore>(
        &self,
        bs: &BS,
        id: TokenID,
        cursor: &RawBytes,
        limit: u64,
        now: Now<'_>,
    ) -> Result<ListOperatorsReturn> {
        let limit = check_limit(limit)?;
        let cursor = decode_cursor(cursor)?;
        let t = self.token(bs, id)?;
        Ok(page_sorted(&operator::live_ids(&t.operators, now), cursor, limit))
    }

    /// A page of an owner's account-level operators live at the epoch `now` gives, in ID order.
    pub fn list_account_operators<BS: Blockstore>(
        &self,
        bs: &BS,
        owner: ActorID,
        cursor: &RawBytes,
        limit: u64,
        now: Now<'_>,
    ) -> Result<ListOperatorsReturn> {
        let limit = check_limit(limit)?;
        let cursor = decode_cursor(cursor)?;
        let owners = self.load_owners(bs)?;
        let ops = owners.get(&owner)?.map(|o| operator::live_ids(&o.operators, now));
        Ok(page_sorted(&ops.unwrap_or_default(), cursor, limit))
    }

    /// The owners of `ids`, in the same order (`USR_NOT_FOUND` if any is unknown or burnt).
    pub fn owners_of<BS: Blockstore>(&self, bs: &BS, ids: &[TokenID]) -> Result<Vec<ActorID>> {
        check_batch(ids)?;
        let tokens = self.load_tokens(bs)?;
        ids.iter().map(|&id| get_token(&tokens, id).map(|t| t.owner)).collect()
    }

    /// The tokens of `ids` of which `operator` is a token-level operator (`USR_NOT_FOUND` if any is
    /// unknown or burnt). Owners and account-level operators are not counted, as FRC-53 says.
    pub fn approved_subset<BS: Blockstore>(
        &self,
        bs: &BS,
        operator: Option<ActorID>,
        ids: &[TokenID],
        now: Now<'_>,
    ) -> Result<Vec<TokenID>> {
        check_batch(ids)?;
        let tokens = self.load_tokens(bs)?;
        let mut out = Vec::new();
        for &id in ids {
            let t = get_token(&tokens, id)?;
            if operator.is_some_and(|op| is_operator(&t.operators, op, now)) {
                out.push(id);
            }
        }
        Ok(out)
    }

    /// A page of `owner`'s tokens of which `operator` is a token-level operator. The page walks
    /// `limit` of the owner's tokens and returns those that match, so it may hold fewer than
    /// `limit` (even none) while more remain, as FRC-53 allows; the cost is bounded by `limit`.
    pub fn list_operator_tokens<BS: Blockstore>(
        &self,
        bs: &BS,
        owner: ActorID,
        operator: Option<ActorID>,
        cursor: &RawBytes,
        limit: u64,
        now: Now<'_>,
    ) -> Result<ListTokensReturn> {
        let page = self.list_owned_tokens(bs, owner, cursor, limit)?;
        let Some(operator) = operator else {
            return Ok(ListTokensReturn { tokens: BitField::new(), next_cursor: page.next_cursor });
        };
        let tokens = self.load_tokens(bs)?;
        let mut ids = Vec::new();
        for id in page.tokens.iter() {
            if is_operator(&get_token(&tokens, id)?.operators, operator, now) {
                ids.push(id);
            }
        }
        Ok(ListTokensReturn { tokens: bitfield(ids), next_cursor: page.next_cursor })
    }

    /// Every owner's record (for tests and invariants).
    pub fn owners<BS: Blockstore>(&self, bs: &BS) -> Result<Vec<(ActorID, OwnerData)>> {
        let mut out = Vec::new();
        self.load_owners(bs)?.for_each(|id, o| {
            out.push((id, o.clone()));
            Ok(())
        })?;
        Ok(out)
    }

    /// Every token an owner's record lists, in ID order (for tests and invariants).
    pub fn owned_tokens<BS: Blockstore>(bs: &BS, rec: &OwnerData) -> Result<Vec<TokenID>> {
        let Some(root) = &rec.chunks else {
            return Ok(rec.inline_tokens()?.iter().collect());
        };
        let mut out = Vec::new();
        Chunks::<'_, BS>::load(bs, root, OWNED_CHUNKS_CONFIG, "owned")?.for_each(|_, bf| {
            out.extend(bf.iter());
            Ok(())
        })?;
        Ok(out)
    }

    /// Every token (for tests and invariants).
    pub fn all_tokens<BS: Blockstore>(&self, bs: &BS) -> Result<Vec<(TokenID, TokenData)>> {
        let mut out = Vec::new();
        self.load_tokens(bs)?.for_each(|id, t| {
            out.push((id, t.clone()));
            Ok(())
        })?;
        Ok(out)
    }
}

/// A token of the token table at `tokens`, or `USR_NOT_FOUND`.
pub fn token_in<BS: Blockstore>(bs: &BS, tokens: &EmbeddedRoot, id: TokenID) -> Result<TokenData> {
    get_token(&Vector::load_embedded(bs, tokens, TOKENS_CONFIG, "tokens")?, id)
}

/// The balance of `owner` in the owners map at `owners`.
pub fn balance_in<BS: Blockstore>(bs: &BS, owners: &EmbeddedRoot, owner: ActorID) -> Result<u64> {
    let owners: Owners<'_, BS> = Map::load_embedded(bs, owners, OWNERS_CONFIG, "owners")?;
    Ok(owners.get(&owner)?.map_or(0, |o| o.balance))
}

pub(crate) fn get_token<BS: Blockstore>(tokens: &Tokens<'_, BS>, id: TokenID) -> Result<TokenData> {
    tokens.get(id)?.cloned().ok_or_else(|| actor_error!(not_found; "token {} does not exist", id))
}

fn empty_owner() -> OwnerData {
    OwnerData { balance: 0, tokens: RawBytes::default(), chunks: None, operators: vec![] }
}

/// Stores an owner's record, or deletes it when it holds nothing and has no operators.
fn put_owner<BS: Blockstore>(
    owners: &mut Owners<'_, BS>,
    id: ActorID,
    rec: OwnerData,
) -> Result<()> {
    if rec.balance == 0 && rec.operators.is_empty() {
        owners.delete(&id)?;
    } else {
        owners.set(id, rec)?;
    }
    Ok(())
}

/// Adds `ids` to `to`'s tokens; returns its balance.
fn credit<BS: Blockstore>(
    bs: &BS,
    owners: &mut Owners<'_, BS>,
    to: ActorID,
    ids: &[TokenID],
) -> Result<u64> {
    let mut rec = owners.get(&to)?.cloned().unwrap_or_else(empty_owner);
    rec.balance += ids.len() as u64;
    update_owned(bs, &mut rec, ids, true)?;
    let balance = rec.balance;
    put_owner(owners, to, rec)?;
    Ok(balance)
}

/// Removes `ids` (all held) from `from`'s tokens; returns its balance.
fn debit<BS: Blockstore>(
    bs: &BS,
    owners: &mut Owners<'_, BS>,
    from: ActorID,
    ids: &[TokenID],
) -> Result<u64> {
    let mut rec = owners
        .get(&from)?
        .cloned()
        .ok_or_else(|| actor_error!(illegal_state; "owner f0{} has no record", from))?;
    rec.balance -= ids.len() as u64;
    if rec.balance == 0 {
        // Nothing left: back to an empty inline set, whatever the form was.
        rec.tokens = RawBytes::default();
        rec.chunks = None;
    } else {
        update_owned(bs, &mut rec, ids, false)?;
    }
    let balance = rec.balance;
    put_owner(owners, from, rec)?;
    Ok(balance)
}

/// Adds (`add`) or removes `ids` in an owner's index (its balance already updated), moving an
/// inline set that outgrows its bounds to chunks.
fn update_owned<BS: Blockstore>(
    bs: &BS,
    rec: &mut OwnerData,
    ids: &[TokenID],
    add: bool,
) -> Result<()> {
    if let Some(root) = &rec.chunks {
        let mut chunks: Chunks<'_, BS> = Vector::load(bs, root, OWNED_CHUNKS_CONFIG, "owned")?;
        for &id in ids {
            let c = id >> OWNED_CHUNK_BITS;
            let mut bf = chunks.get(c)?.cloned().unwrap_or_default();
            set_bit(&mut bf, id, add)?;
            if bf.is_empty() {
                chunks.delete(c)?;
            } else {
                chunks.set(c, bf)?;
            }
        }
        rec.chunks = Some(chunks.flush()?);
        return Ok(());
    }
    let mut bits = rec.inline_tokens()?;
    for &id in ids {
        set_bit(&mut bits, id, add)?;
    }
    let bytes = bits.to_bytes();
    if bytes.len() <= OWNED_INLINE_MAX_BYTES && rec.balance <= OWNED_INLINE_MAX_TOKENS {
        rec.tokens = RawBytes::new(bytes);
        return Ok(());
    }
    // Outgrown: move to chunks, range by range (a run of consecutive IDs fills whole chunks).
    let mut chunks: Chunks<'_, BS> = Vector::empty(bs, OWNED_CHUNKS_CONFIG, "owned");
    let mut per_chunk: Vec<(u64, Vec<std::ops::Range<u64>>)> = Vec::new();
    for r in bits.ranges() {
        let mut lo = r.start;
        while lo < r.end {
            let c = lo >> OWNED_CHUNK_BITS;
            let hi = r.end.min((c + 1) << OWNED_CHUNK_BITS);
            match per_chunk.last_mut() {
                Some((k, rs)) if *k == c => rs.push(lo..hi),
                _ => per_chunk.push((c, std::iter::once(lo..hi).collect())),
            }
            lo = hi;
        }
    }
    for (c, rs) in per_chunk {
        chunks.set(c, BitField::from_ranges(Ranges::new(rs)))?;
    }
    rec.tokens = RawBytes::default();
    rec.chunks = Some(chunks.flush()?);
    Ok(())
}

fn set_bit(bf: &mut BitField, id: TokenID, add: bool) -> Result<()> {
    if add {
        bf.try_set(id).map_err(|e| actor_error!(illegal_state; "token {}: {}", id, e))
    } else {
        bf.unset(id);
        Ok(())
    }
}
