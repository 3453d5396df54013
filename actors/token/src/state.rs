//! The token's state and all of its logic, written against a blockstore only (no runtime), so that
//! every rule is unit-testable on the host.
//!
//! Layout: two blocks, each collection behind its own root so that an operation loads and writes
//! only what it touches. Every block written costs gas by its size, so the root that transfers,
//! mints, burns and allowance changes rewrite is kept small (the hot root, [`TokenState`]: `supply`,
//! `supply_epoch`, `holders`, `delegators`, `granularity`, `mode`, `paused`, the `balances` and
//! `allowances` roots, the supply history's root (written by the first supply change of each epoch)
//! and the `cold` link); the rest lives in the cold block ([`ColdState`]: `name`, `symbol`, `cap`,
//! and the `roles`, `delegates` and `votes` roots), which is loaded only when needed (role and cap
//! checks, delegations) and rewritten only when it changes: votes only while someone delegates,
//! roles on grants and revocations.
//!
//! | field | block | structure | key → value |
//! |---|---|---|---|
//! | `balances` | hot | HAMT | holder ID → balance (never zero: a zero balance is deleted) |
//! | `allowances` | hot | HAMT | `(owner, operator)` as one key → allowance (never zero) |
//! | `roles` | cold | HAMT set | `(role, account)` flattened into one key |
//! | `delegates` | cold | HAMT | delegator ID → delegatee ID |
//! | `votes` | cold | HAMT | delegatee ID → root of its vote history (an AMT of checkpoints) |
//! | `supply_checkpoints` | hot | AMT | the total supply's history before `supply_epoch` |
//!
//! Allowances live in one map keyed by both IDs (rather than a map of maps, as `frc46_token` does):
//! one HAMT path to read and write instead of two, and no inner map to create for a new owner.
//! Every collection keeps nodes of at most 64 bytes inline in its parent
//! ([`actorlib_kit::inline`]), and balances and allowances are [`StoredAmount`]s, decoded only
//! for the entry looked up.
//!
//! Every method checks everything before it writes anything, so a method that fails leaves the
//! state as it was (the actor aborts anyway, but host code may keep using the value).
//!
//! Exit codes: a negative, non-granular, oversized amount or a cap overrun is
//! `USR_ILLEGAL_ARGUMENT`; a balance too small is `USR_INSUFFICIENT_FUNDS`; an operator acting
//! beyond its allowance, or any transfer of a soulbound token, is `USR_FORBIDDEN`; any transfer,
//! mint or burn while paused is `USR_ILLEGAL_STATE` (the token's state, not the caller, is at fault).
use crate::allowance::{Expiry, StoredAllowance};
use actorlib_kit::amount::{require_bounded, require_granular, require_non_negative, Amount};
use actorlib_kit::block::LinkedBlock;
use actorlib_kit::cbor_array;
use actorlib_kit::embedded::{Embedded, EmbeddedRoot};
use actorlib_kit::foreign_cid::ForeignCid;
use actorlib_kit::roles::{Roles, ROLES_CONFIG};
use actorlib_kit::state::{self as kit_state, decode_field, encode_field, put, BlockState};
use actorlib_kit::stored_amount::StoredAmount;
use actorlib_kit::varint::{decode_uvarint, take_uvarint};
use actorlib_kit::{actor_error, ActorError, Checkpoints, Map, MapConfig, MapKey, Result};
use cid::Cid;
use fvm_ipld_blockstore::Blockstore;
use fvm_ipld_encoding::tuple::*;
use fvm_shared::clock::ChainEpoch;
use fvm_shared::econ::TokenAmount;
use fvm_shared::ActorID;

use crate::types::{
    ListHoldersReturn, Role, TokenMetadata, TokenMode, MAX_LIST_LIMIT, MAX_METADATA_URI,
};

/// The balances HAMT's layout, chosen by gas (`cargo bench -p actorlib_token --bench gas`).
///
/// Bit width: transfer to an existing holder at 1,000 / 100,000 holders: bit width 2: 16.1M /
/// 26.2M; 3: 14.6M / 24.6M; 4: 15.8M / 26.4M; 5: 16.4M / 34.8M; 6: 19.9M / 42.9M. Small nodes win:
/// every write rewrites the path's nodes, and a node's cost grows with its size. Buckets (entries
/// per slot before a split): 3, 4 and 6 cost transfers within 1% of each other (at 10,000 holders
/// 18.48M, 18.37M, 18.39M), but larger leaves make every read decode more: a balance query at
/// 100,000 holders costs 2.70M with 3, 2.85M with 4, 2.93M with 6. Small nodes are kept inline
/// ([`actorlib_kit::inline`]): a token with a few holders has no balances block at all.
pub const BALANCES_CONFIG: MapConfig = MapConfig { bit_width: 3, bucket_size: 3, inline: true };
/// The allowances HAMT's layout (the same trade-off as balances).
pub const ALLOWANCES_CONFIG: MapConfig = BALANCES_CONFIG;
/// The delegations HAMT's layout.
pub const DELEGATES_CONFIG: MapConfig = MapConfig { bit_width: 5, bucket_size: 3, inline: true };
/// The vote histories HAMT's layout.
pub const VOTES_CONFIG: MapConfig = MapConfig { bit_width: 5, bucket_size: 3, inline: true };

/// The key of an allowance: the owner's and the operator's IDs, flattened into one key (two
/// minimal LEB128 varints back to back; each is self-delimiting, so the key is injective).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct AllowanceKey {
    /// Whose tokens.
    pub owner: ActorID,
    /// Who may spend them.
    pub operator: ActorID,
}

/// The key of a role grant (the kit's: the role's byte, then the account's ID as a varint).
pub type RoleKey = actorlib_kit::roles::RoleKey<Role>;

impl MapKey for AllowanceKey {
    fn to_key_bytes(&self) -> Vec<u8> {
        let mut b = self.owner.to_key_bytes();
        b.extend(self.operator.to_key_bytes());
        b
    }
    fn from_key_bytes(b: &[u8]) -> Result<Self> {
        let bad = |why| ActorError::serialization(format!("invalid allowance key {b:02x?}: {why}"));
        let mut rest = b;
        let owner = take_uvarint(&mut rest).map_err(bad)?;
        let operator = decode_uvarint(rest).map_err(bad)?;
        Ok(Self { owner, operator })
    }
}

/// The token's state object: the hot root, which every transfer, mint, burn and allowance change
/// rewrites, so it holds only what they read or change. The rest is in the [`ColdState`] block.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq)]
pub struct TokenState {
    /// The sum of all balances.
    pub supply: TokenAmount,
    /// The epoch at which `supply` took its current value. The value in force before it is the
    /// history's last checkpoint: a change within the same epoch writes no history, and the
    /// history gains at most one checkpoint per epoch in which the supply changed.
    pub supply_epoch: ChainEpoch,
    /// The total supply's history before `supply_epoch` ([`Checkpoints`] of amounts). Kept in the
    /// hot root: the first mint or burn of each epoch writes it, and would otherwise rewrite the
    /// cold block too.
    pub supply_checkpoints: Cid,
    /// The number of accounts with a non-zero balance.
    pub holders: u64,
    /// HAMT: holder ID → balance, its root node embedded here (every transfer, mint and burn
    /// changes it, and every balance query reads it: a block of its own would cost a block open
    /// per query and a block write per change; see `actorlib_kit::embedded`).
    pub balances: EmbeddedRoot,
    /// HAMT: [`AllowanceKey`] → allowance.
    pub allowances: Cid,
    /// The number of entries in the cold block's `delegates` (transfers skip the delegation
    /// lookups, and so the cold block, while zero).
    pub delegators: u64,
    /// The smallest indivisible amount, in atto units (at least 1).
    pub granularity: u64,
    /// The mode fixed at construction.
    pub mode: TokenMode,
    /// Whether transfers, mints and burns are stopped.
    pub paused: bool,
    /// The [`ColdState`] block.
    pub cold: Cid,
}

impl BlockState for TokenState {
    /// The state from its block's bytes (what the actor reads: the balances root is taken as
    /// bytes, not decoded).
    fn from_block(block: &[u8]) -> Result<Self> {
        let [supply, supply_epoch, supply_checkpoints, holders, balances, allowances, delegators, granularity, mode, paused, cold] =
            kit_state::fields(block)?;
        Ok(Self {
            supply: decode_field(supply, "supply")?,
            supply_epoch: decode_field(supply_epoch, "supply_epoch")?,
            supply_checkpoints: decode_field(supply_checkpoints, "supply_checkpoints")?,
            holders: decode_field(holders, "holders")?,
            balances: EmbeddedRoot::from_cbor(balances.to_vec()),
            allowances: decode_field(allowances, "allowances")?,
            delegators: decode_field(delegators, "delegators")?,
            granularity: decode_field(granularity, "granularity")?,
            mode: decode_field(mode, "mode")?,
            paused: decode_field(paused, "paused")?,
            cold: decode_field(cold, "cold")?,
        })
    }

    /// The state's block: what serde writes, without re-encoding the balances root.
    fn to_block(&self) -> Result<Vec<u8>> {
        Ok(cbor_array::array(&[
            &encode_field(&self.supply, "supply")?,
            &encode_field(&self.supply_epoch, "supply_epoch")?,
            &encode_field(&self.supply_checkpoints, "supply_checkpoints")?,
            &encode_field(&self.holders, "holders")?,
            self.balances.as_cbor(),
            &encode_field(&self.allowances, "allowances")?,
            &encode_field(&self.delegators, "delegators")?,
            &encode_field(&self.granularity, "granularity")?,
            &encode_field(&self.mode, "mode")?,
            &encode_field(&self.paused, "paused")?,
            &encode_field(&self.cold, "cold")?,
        ]))
    }
}

/// The token's cold state: what transfers never touch (unless someone delegates) and mints and
/// burns only read, or write at most once per epoch (the supply history).
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq)]
pub struct ColdState {
    /// The token's name.
    pub name: String,
    /// The token's symbol.
    pub symbol: String,
    /// The most the supply may reach, if limited.
    pub cap: Option<TokenAmount>,
    /// HAMT set of [`RoleKey`]s.
    pub roles: Cid,
    /// HAMT: delegator ID → delegatee ID.
    pub delegates: Cid,
    /// HAMT: delegatee ID → root of its vote history ([`Checkpoints`] of amounts).
    pub votes: Cid,
    /// Where the token is described, if set.
    pub metadata: Option<StoredMetadata>,
}

/// [`TokenMetadata`] as stored: its CID names a document outside the state, so it is kept as bytes
/// (the FVM refuses links to blocks the state does not hold; `actorlib_kit::foreign_cid`).
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
pub struct StoredMetadata {
    /// The document's URI.
    pub uri: String,
    /// The document's CID, if given.
    pub cid: Option<ForeignCid>,
}

impl From<TokenMetadata> for StoredMetadata {
    fn from(m: TokenMetadata) -> Self {
        Self { uri: m.uri, cid: m.cid.map(ForeignCid) }
    }
}

impl From<StoredMetadata> for TokenMetadata {
    fn from(m: StoredMetadata) -> Self {
        Self { uri: m.uri, cid: m.cid.map(Cid::from) }
    }
}

impl ColdState {
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

    /// Gives `account` the `role`; returns whether it is new (this block's `roles` changes only
    /// then).
    pub fn grant_role<BS: Blockstore>(
        &mut self,
        bs: &BS,
        role: Role,
        account: ActorID,
    ) -> Result<bool> {
        let mut roles = self.load_roles(bs)?;
        let added = roles.grant(role, account)?;
        if added {
            self.roles = roles.flush()?;
        }
        Ok(added)
    }

    /// Loads the role set.
    pub fn load_roles<'a, BS: Blockstore>(&self, bs: &'a BS) -> Result<Roles<&'a BS, Role>> {
        Roles::load(bs, &self.roles, ROLES_CONFIG)
    }

    /// Loads the delegations map.
    pub fn load_delegates<'a, BS: Blockstore>(
        &self,
        bs: &'a BS,
    ) -> Result<Map<&'a BS, ActorID, ActorID>> {
        Map::load(bs, &self.delegates, DELEGATES_CONFIG, "delegates")
    }

    /// Loads the map of vote histories.
    pub fn load_votes<'a, BS: Blockstore>(&self, bs: &'a BS) -> Result<Map<&'a BS, ActorID, Cid>> {
        Map::load(bs, &self.votes, VOTES_CONFIG, "votes")
    }

    fn vote_history<'a, BS: Blockstore>(
        &self,
        bs: &'a BS,
        id: ActorID,
    ) -> Result<Option<Checkpoints<&'a BS, TokenAmount>>> {
        match self.load_votes(bs)?.get(&id)? {
            Some(root) => Ok(Some(Checkpoints::load(bs, root, "vote history")?)),
            None => Ok(None),
        }
    }
}

/// The cold block within one operation: loaded on first use, changed in memory (`get_mut`), and
/// written back once by [`TokenState::commit_cold`] if anything changed it.
pub type Cold = LinkedBlock<ColdState>;

/// A new token's state, from [`TokenState::with_roles`].
#[derive(Debug)]
pub struct Constructed {
    /// The hot root.
    pub state: TokenState,
    /// The grants that were new, in order (a repeated grant appears once).
    pub granted: Vec<(Role, ActorID)>,
    /// The cold block just written, in hand.
    pub cold: Cold,
}

/// A change of a delegatee's voting power.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VoteChange {
    /// Whose votes changed.
    pub delegatee: ActorID,
    /// Before.
    pub previous: TokenAmount,
    /// After.
    pub current: TokenAmount,
}

/// What a transfer did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transferred {
    /// The sender's balance after.
    pub from_balance: TokenAmount,
    /// The recipient's balance after.
    pub to_balance: TokenAmount,
    /// Voting power moved with the tokens.
    pub votes: Vec<VoteChange>,
}

/// What a mint or a burn did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SupplyChanged {
    /// The account's balance after.
    pub balance: TokenAmount,
    /// The total supply after.
    pub supply: TokenAmount,
    /// Voting power created or destroyed.
    pub votes: Vec<VoteChange>,
}

/// What a change of delegation did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delegated {
    /// The delegatee before.
    pub previous: Option<ActorID>,
    /// Whether the delegatee changed.
    pub changed: bool,
    /// Voting power moved.
    pub votes: Vec<VoteChange>,
}

/// Balances and allowances are kept as [`StoredAmount`]s: a lookup decodes only the value it
/// needs, not every amount in the node it reads.
type Balances<'a, BS> = Map<Embedded<&'a BS>, ActorID, StoredAmount>;
type Allowances<'a, BS> = Map<&'a BS, AllowanceKey, StoredAllowance>;

impl TokenState {
    /// A token with no holders, roles or allowances. Fails with `USR_ILLEGAL_ARGUMENT` for an
    /// empty name or symbol, a zero granularity, or a negative, oversized or non-granular cap.
    pub fn new<BS: Blockstore>(
        bs: &BS,
        name: String,
        symbol: String,
        granularity: u64,
        mode: TokenMode,
        cap: Option<TokenAmount>,
    ) -> Result<Self> {
        Ok(Self::with_roles(bs, name, symbol, granularity, mode, cap, &[])?.state)
    }

    /// [`Self::new`] with `roles` granted, writing the cold block once; also returns the grants
    /// that were new (a repeated grant is granted once) and the cold block, in hand.
    pub fn with_roles<BS: Blockstore>(
        bs: &BS,
        name: String,
        symbol: String,
        granularity: u64,
        mode: TokenMode,
        cap: Option<TokenAmount>,
        roles: &[(Role, ActorID)],
    ) -> Result<Constructed> {
        if name.is_empty() || symbol.is_empty() {
            return Err(ActorError::illegal_argument("name and symbol must not be empty"));
        }
        if granularity == 0 {
            return Err(ActorError::illegal_argument("granularity must be at least 1"));
        }
        if let Some(cap) = &cap {
            require_non_negative(cap, "cap")?;
            require_bounded(cap, "cap")?;
            require_granular(cap, granularity, "cap")?;
        }
        // An empty HAMT's root node does not depend on the bit width (it has no slots yet), and
        // it is kept inline: every map starts from the same CID, and none costs a write.
        let empty_map = Map::<_, ActorID, ()>::flush_empty(bs, BALANCES_CONFIG)?;
        let mut role_set = Roles::empty(bs, ROLES_CONFIG);
        let mut granted = Vec::new();
        for &(role, account) in roles {
            if role_set.grant(role, account)? {
                granted.push((role, account));
            }
        }
        let cold = ColdState {
            name,
            symbol,
            cap,
            roles: role_set.flush()?,
            delegates: empty_map,
            votes: empty_map,
            metadata: None,
        };
        let st = Self {
            supply: TokenAmount::default(),
            supply_epoch: 0,
            supply_checkpoints: Checkpoints::<_, TokenAmount>::flush_empty(bs)?,
            holders: 0,
            balances: EmbeddedRoot::empty_map(BALANCES_CONFIG)?,
            allowances: empty_map,
            delegators: 0,
            granularity,
            mode,
            paused: false,
            cold: put(bs, &cold)?,
        };
        let cold = Cold::in_hand(st.cold, cold);
        Ok(Constructed { state: st, granted, cold })
    }

    // ---- the cold block ----

    /// Loads the cold block.
    pub fn cold<BS: Blockstore>(&self, bs: &BS) -> Result<ColdState> {
        Cold::at(self.cold).into_value(bs)
    }

    /// Writes `cold` as the cold block.
    pub fn set_cold<BS: Blockstore>(&mut self, bs: &BS, cold: &ColdState) -> Result<()> {
        self.cold = put(bs, cold)?;
        Ok(())
    }

    /// The cold block, to load lazily within one operation.
    pub fn lazy_cold(&self) -> Cold {
        Cold::at(self.cold)
    }

    /// Writes `cold` back if it was changed since it was loaded.
    pub fn commit_cold<BS: Blockstore>(&mut self, bs: &BS, cold: &mut Cold) -> Result<()> {
        if cold.commit(bs)? {
            self.cold = *cold.root();
        }
        Ok(())
    }

    /// Sets or clears the token's metadata; returns whether it changed. A URI must have 1 to
    /// [`MAX_METADATA_URI`] bytes.
    pub fn set_metadata<BS: Blockstore>(
        &mut self,
        bs: &BS,
        metadata: Option<TokenMetadata>,
    ) -> Result<bool> {
        if let Some(m) = &metadata {
            if m.uri.is_empty() || m.uri.len() > MAX_METADATA_URI {
                return Err(actor_error!(illegal_argument;
                    "a metadata URI has 1 to {} bytes, got {}", MAX_METADATA_URI, m.uri.len()));
            }
        }
        let metadata = metadata.map(StoredMetadata::from);
        let mut cold = self.lazy_cold();
        if cold.get(bs)?.metadata == metadata {
            return Ok(false);
        }
        cold.get_mut(bs)?.metadata = metadata;
        self.commit_cold(bs, &mut cold)?;
        Ok(true)
    }

    // ---- checks ----

    /// Fails with `USR_ILLEGAL_ARGUMENT` unless `amount` is non-negative, bounded and a multiple
    /// of the granularity.
    pub fn check_amount(&self, amount: &TokenAmount, what: &str) -> Result<()> {
        require_non_negative(amount, what)?;
        require_bounded(amount, what)?;
        require_granular(amount, self.granularity, what)
    }

    /// Fails with `USR_ILLEGAL_STATE` while the token is paused.
    pub fn require_not_paused(&self) -> Result<()> {
        if self.paused {
            return Err(ActorError::illegal_state("the token is paused"));
        }
        Ok(())
    }

    /// Fails with `USR_FORBIDDEN` if the token is soulbound.
    pub fn require_transferable(&self) -> Result<()> {
        if self.mode == TokenMode::Soulbound {
            return Err(ActorError::forbidden("the token is soulbound: it cannot be transferred"));
        }
        Ok(())
    }

    // ---- balances ----

    /// An account's balance (zero if it holds nothing).
    pub fn balance<BS: Blockstore>(&self, bs: &BS, id: ActorID) -> Result<TokenAmount> {
        balance_in(&self.load_balances(bs)?, id)
    }

    /// Creates `amount` tokens for `to`. A zero amount changes nothing (no entry is created).
    pub fn mint<BS: Blockstore>(
        &mut self,
        bs: &BS,
        to: ActorID,
        amount: &TokenAmount,
        epoch: ChainEpoch,
    ) -> Result<SupplyChanged> {
        self.mint_with(bs, &mut self.lazy_cold(), to, amount, epoch)
    }

    /// [`Self::mint`] with the cold block already at hand (it is written back if it changed).
    pub fn mint_with<BS: Blockstore>(
        &mut self,
        bs: &BS,
        cold: &mut Cold,
        to: ActorID,
        amount: &TokenAmount,
        epoch: ChainEpoch,
    ) -> Result<SupplyChanged> {
        self.check_amount(amount, "mint amount")?;
        self.require_not_paused()?;
        let supply = self.supply.checked_add_amount(amount)?;
        if let Some(cap) = &cold.get(bs)?.cap {
            if &supply > cap {
                return Err(actor_error!(illegal_argument;
                    "minting {} would raise the supply to {}, above the cap {}", amount, supply, cap));
            }
        }
        let mut balances = self.load_balances(bs)?;
        let old = balance_in(&balances, to)?;
        if amount.is_zero() {
            return Ok(SupplyChanged { balance: old, supply, votes: vec![] });
        }
        let balance = old.checked_add_amount(amount)?;
        self.put_balance(&mut balances, to, &old, &balance)?;
        self.balances = balances.flush_embedded()?;
        let previous = std::mem::replace(&mut self.supply, supply);
        self.record_supply(bs, epoch, previous)?;
        let delegatee = self.delegate_in(bs, cold, to)?;
        let votes = self.move_votes(bs, cold, None, delegatee, amount, epoch)?;
        self.commit_cold(bs, cold)?;
        Ok(SupplyChanged { balance, supply: self.supply.clone(), votes })
    }

    /// Destroys `amount` of `owner`'s tokens.
    pub fn burn<BS: Blockstore>(
        &mut self,
        bs: &BS,
        owner: ActorID,
        amount: &TokenAmount,
        epoch: ChainEpoch,
    ) -> Result<SupplyChanged> {
        self.check_amount(amount, "burn amount")?;
        self.require_not_paused()?;
        let mut balances = self.load_balances(bs)?;
        let old = balance_in(&balances, owner)?;
        let balance = debit(&old, amount, owner)?;
        if amount.is_zero() {
            return Ok(SupplyChanged { balance, supply: self.supply.clone(), votes: vec![] });
        }
        self.put_balance(&mut balances, owner, &old, &balance)?;
        self.balances = balances.flush_embedded()?;
        let supply = self.supply.checked_sub_amount(amount).map_err(corrupt)?;
        let previous = std::mem::replace(&mut self.supply, supply);
        let mut cold = self.lazy_cold();
        self.record_supply(bs, epoch, previous)?;
        let delegatee = self.delegate_in(bs, &mut cold, owner)?;
        let votes = self.move_votes(bs, &mut cold, delegatee, None, amount, epoch)?;
        self.commit_cold(bs, &mut cold)?;
        Ok(SupplyChanged { balance, supply: self.supply.clone(), votes })
    }

    /// Moves `amount` from `from` to `to`. A transfer to oneself or of zero changes nothing (but
    /// still requires the balance).
    pub fn transfer<BS: Blockstore>(
        &mut self,
        bs: &BS,
        from: ActorID,
        to: ActorID,
        amount: &TokenAmount,
        epoch: ChainEpoch,
    ) -> Result<Transferred> {
        self.check_amount(amount, "transfer amount")?;
        self.require_transferable()?;
        self.require_not_paused()?;
        let mut balances = self.load_balances(bs)?;
        let from_old = balance_in(&balances, from)?;
        let from_balance = debit(&from_old, amount, from)?;
        if from == to {
            return Ok(Transferred {
                from_balance: from_old.clone(),
                to_balance: from_old,
                votes: vec![],
            });
        }
        let to_old = balance_in(&balances, to)?;
        if amount.is_zero() {
            return Ok(Transferred { from_balance, to_balance: to_old, votes: vec![] });
        }
        let to_balance = to_old.checked_add_amount(amount)?;
        self.put_balance(&mut balances, from, &from_old, &from_balance)?;
        self.put_balance(&mut balances, to, &to_old, &to_balance)?;
        self.balances = balances.flush_embedded()?;
        let votes = if self.delegators == 0 {
            vec![]
        } else {
            let mut cold = self.lazy_cold();
            let delegates = cold.get(bs)?.load_delegates(bs)?;
            let (df, dt) = (delegates.get(&from)?.copied(), delegates.get(&to)?.copied());
            let votes = self.move_votes(bs, &mut cold, df, dt, amount, epoch)?;
            self.commit_cold(bs, &mut cold)?;
            votes
        };
        Ok(Transferred { from_balance, to_balance, votes })
    }

    /// `operator` moves `amount` of `from`'s tokens to `to`, spending its allowance; returns the
    /// transfer and the remaining allowance. The allowance is checked before anything else about
    /// the state (FRC-46): an operator with no allowance is refused even for zero. The owner itself
    /// (`operator == from`) needs no allowance: that is a plain transfer.
    pub fn transfer_from<BS: Blockstore>(
        &mut self,
        bs: &BS,
        operator: ActorID,
        from: ActorID,
        to: ActorID,
        amount: &TokenAmount,
        epoch: ChainEpoch,
    ) -> Result<(Transferred, TokenAmount)> {
        self.check_amount(amount, "transfer amount")?;
        if from != operator {
            self.check_allowance(bs, from, operator, amount, epoch)?;
        }
        let moved = self.transfer(bs, from, to, amount, epoch)?;
        Ok((moved, self.spend_allowance(bs, from, operator, amount, epoch)?))
    }

    /// `operator` burns `amount` of `owner`'s tokens, spending its allowance; returns the burn and
    /// the remaining allowance.
    pub fn burn_from<BS: Blockstore>(
        &mut self,
        bs: &BS,
        operator: ActorID,
        owner: ActorID,
        amount: &TokenAmount,
        epoch: ChainEpoch,
    ) -> Result<(SupplyChanged, TokenAmount)> {
        self.check_amount(amount, "burn amount")?;
        if owner != operator {
            self.check_allowance(bs, owner, operator, amount, epoch)?;
        }
        let burnt = self.burn(bs, owner, amount, epoch)?;
        Ok((burnt, self.spend_allowance(bs, owner, operator, amount, epoch)?))
    }

    /// Up to `limit` holders with their balances, from `cursor` on (see `ListHolders`), and the
    /// cursor of the next page.
    ///
    /// The cursor is a holder ID. It stays valid across writes, even if that holder has since
    /// emptied its balance: the page then starts where the ID would be in the map's order.
    pub fn list_holders<BS: Blockstore>(
        &self,
        bs: &BS,
        cursor: Option<ActorID>,
        limit: u32,
    ) -> Result<ListHoldersReturn> {
        if limit == 0 || limit > MAX_LIST_LIMIT {
            return Err(actor_error!(illegal_argument;
                "limit must be between 1 and {}, got {}", MAX_LIST_LIMIT, limit));
        }
        let mut balances = self.load_balances(bs)?;
        // A cursor whose holder left the map is put back, in memory only, as a zero entry: the
        // traversal then starts exactly where it was, and zero entries are skipped below.
        let mut skip = 0;
        if let Some(c) = cursor {
            if !balances.contains_key(&c)? {
                balances.set(c, StoredAmount::default())?;
                skip = 1;
            }
        }
        let mut holders = Vec::with_capacity(limit as usize);
        let next = balances.for_each_from(cursor.as_ref(), limit as usize + skip, |id, b| {
            if !b.is_zero() {
                holders.push((id, b.amount()?));
            }
            Ok(())
        })?;
        Ok(ListHoldersReturn { holders, next })
    }

    // ---- allowances ----

    /// `operator`'s stored allowance over `owner`'s tokens, expired or not.
    pub fn allowance_entry<BS: Blockstore>(
        &self,
        bs: &BS,
        owner: ActorID,
        operator: ActorID,
    ) -> Result<Option<StoredAllowance>> {
        Ok(self.load_allowances(bs)?.get(&AllowanceKey { owner, operator })?.cloned())
    }

    /// What `operator` may spend of `owner`'s tokens at `epoch` (zero once expired).
    pub fn allowance<BS: Blockstore>(
        &self,
        bs: &BS,
        owner: ActorID,
        operator: ActorID,
        epoch: ChainEpoch,
    ) -> Result<TokenAmount> {
        let m = self.load_allowances(bs)?;
        spendable(m.get(&AllowanceKey { owner, operator })?, epoch)
    }

    /// The epoch at which `operator`'s allowance over `owner`'s tokens expires, if it is live at
    /// `epoch` and has an expiry.
    pub fn allowance_expiry<BS: Blockstore>(
        &self,
        bs: &BS,
        owner: ActorID,
        operator: ActorID,
        epoch: ChainEpoch,
    ) -> Result<Option<ChainEpoch>> {
        let m = self.load_allowances(bs)?;
        Ok(m.get(&AllowanceKey { owner, operator })?
            .filter(|a| !a.expired(epoch))
            .and_then(|a| a.expires_at))
    }

    /// Raises an allowance by `increase` (non-negative; need not be granular) and sets its expiry
    /// as `expiry` says; returns the new allowance. An expired allowance counts as zero (the
    /// increase does not revive it) and loses its expiry. An owner cannot be its own operator, and
    /// an expiry must be after `epoch` (`USR_ILLEGAL_ARGUMENT` for both).
    pub fn increase_allowance<BS: Blockstore>(
        &mut self,
        bs: &BS,
        owner: ActorID,
        operator: ActorID,
        increase: &TokenAmount,
        expiry: Expiry,
        epoch: ChainEpoch,
    ) -> Result<TokenAmount> {
        Ok(self.raise_allowance(bs, owner, operator, increase, expiry, epoch)?.0)
    }

    /// [`Self::increase_allowance`], also returning the allowance's expiry after it.
    pub fn raise_allowance<BS: Blockstore>(
        &mut self,
        bs: &BS,
        owner: ActorID,
        operator: ActorID,
        increase: &TokenAmount,
        expiry: Expiry,
        epoch: ChainEpoch,
    ) -> Result<(TokenAmount, Option<ChainEpoch>)> {
        require_non_negative(increase, "allowance increase")?;
        require_bounded(increase, "allowance increase")?;
        if owner == operator {
            return Err(ActorError::illegal_argument("an owner cannot be its own operator"));
        }
        if let Expiry::At(at) = expiry {
            if at <= epoch {
                return Err(actor_error!(illegal_argument;
                    "an allowance cannot expire at epoch {}: the current epoch is {}", at, epoch));
            }
        }
        let mut m = self.load_allowances(bs)?;
        let key = AllowanceKey { owner, operator };
        let stored = m.get(&key)?.cloned();
        let live = stored.as_ref().filter(|a| !a.expired(epoch));
        let old = spendable(live, epoch)?;
        let old_expiry = live.and_then(|a| a.expires_at);
        let new = old.checked_add_amount(increase)?;
        let new_expiry = match expiry {
            Expiry::Keep => old_expiry,
            Expiry::At(at) => Some(at),
            Expiry::Never => None,
        };
        let unchanged = live.is_some_and(|_| new == old && new_expiry == old_expiry)
            || (stored.is_none() && new.is_zero());
        if unchanged {
            return Ok((new, new_expiry));
        }
        if new.is_zero() {
            m.delete(&key)?; // an expired entry, now gone
        } else {
            m.set(key, StoredAllowance::new(&new, new_expiry))?;
        }
        self.allowances = m.flush()?;
        Ok((new, new_expiry))
    }

    /// Lowers an allowance by `decrease` (non-negative), to no less than zero, keeping its expiry;
    /// returns the new allowance.
    pub fn decrease_allowance<BS: Blockstore>(
        &mut self,
        bs: &BS,
        owner: ActorID,
        operator: ActorID,
        decrease: &TokenAmount,
        epoch: ChainEpoch,
    ) -> Result<TokenAmount> {
        Ok(self.lower_allowance(bs, owner, operator, decrease, epoch)?.0)
    }

    /// [`Self::decrease_allowance`], also returning the allowance's expiry after it.
    pub fn lower_allowance<BS: Blockstore>(
        &mut self,
        bs: &BS,
        owner: ActorID,
        operator: ActorID,
        decrease: &TokenAmount,
        epoch: ChainEpoch,
    ) -> Result<(TokenAmount, Option<ChainEpoch>)> {
        require_non_negative(decrease, "allowance decrease")?;
        let key = AllowanceKey { owner, operator };
        let stored = self.load_allowances(bs)?.get(&key)?.cloned();
        let Some(stored) = stored else {
            return Ok((TokenAmount::default(), None));
        };
        let old = stored.spendable(epoch)?;
        let new = if decrease >= &old { TokenAmount::default() } else { &old - decrease };
        if new != old || stored.expired(epoch) {
            self.put_allowance(bs, key, &new, stored.expires_at)?;
        }
        let expires_at = if new.is_zero() { None } else { stored.expires_at };
        Ok((new, expires_at))
    }

    /// Sets an allowance to zero; returns what could be spent of it at `epoch`.
    pub fn revoke_allowance<BS: Blockstore>(
        &mut self,
        bs: &BS,
        owner: ActorID,
        operator: ActorID,
        epoch: ChainEpoch,
    ) -> Result<TokenAmount> {
        let mut m = self.load_allowances(bs)?;
        let Some(old) = m.delete(&AllowanceKey { owner, operator })? else {
            return Ok(TokenAmount::default());
        };
        self.allowances = m.flush()?;
        old.spendable(epoch)
    }

    /// Returns `operator`'s allowance over `owner`'s tokens if it covers `amount` at `epoch`, else
    /// fails with `USR_FORBIDDEN` (also when it is zero or expired, whatever the amount: FRC-46).
    pub fn check_allowance<BS: Blockstore>(
        &self,
        bs: &BS,
        owner: ActorID,
        operator: ActorID,
        amount: &TokenAmount,
        epoch: ChainEpoch,
    ) -> Result<TokenAmount> {
        let m = self.load_allowances(bs)?;
        covering(m.get(&AllowanceKey { owner, operator })?, owner, operator, amount, epoch)
    }

    /// Spends `amount` of `operator`'s allowance over `owner`'s tokens at `epoch`, keeping its
    /// expiry; returns what is left. `USR_FORBIDDEN` if the allowance is zero, expired or smaller
    /// than `amount`. An owner acting on its own tokens needs no allowance (what is left is then
    /// reported as zero).
    pub fn spend_allowance<BS: Blockstore>(
        &mut self,
        bs: &BS,
        owner: ActorID,
        operator: ActorID,
        amount: &TokenAmount,
        epoch: ChainEpoch,
    ) -> Result<TokenAmount> {
        if owner == operator {
            return Ok(TokenAmount::default());
        }
        let mut m = self.load_allowances(bs)?;
        let key = AllowanceKey { owner, operator };
        let stored = m.get(&key)?;
        let old = covering(stored, owner, operator, amount, epoch)?;
        if amount.is_zero() {
            return Ok(old);
        }
        let expires_at = stored.and_then(|a| a.expires_at);
        let new = &old - amount;
        if new.is_zero() {
            m.delete(&key)?;
        } else {
            m.set(key, StoredAllowance::new(&new, expires_at))?;
        }
        self.allowances = m.flush()?;
        Ok(new)
    }

    // ---- roles ----

    /// Whether `account` holds `role`.
    pub fn has_role<BS: Blockstore>(&self, bs: &BS, role: Role, account: ActorID) -> Result<bool> {
        self.cold(bs)?.has_role(bs, role, account)
    }

    /// Fails with `USR_FORBIDDEN` unless `account` holds `role`.
    pub fn require_role<BS: Blockstore>(
        &self,
        bs: &BS,
        role: Role,
        account: ActorID,
    ) -> Result<()> {
        self.cold(bs)?.require_role(bs, role, account)
    }

    /// Gives `account` the `role`; returns whether it is new.
    pub fn grant_role<BS: Blockstore>(
        &mut self,
        bs: &BS,
        role: Role,
        account: ActorID,
    ) -> Result<bool> {
        let mut cold = self.cold(bs)?;
        let added = cold.grant_role(bs, role, account)?;
        if added {
            self.set_cold(bs, &cold)?;
        }
        Ok(added)
    }

    /// Takes `role` from `account`; returns whether it had it.
    pub fn revoke_role<BS: Blockstore>(
        &mut self,
        bs: &BS,
        role: Role,
        account: ActorID,
    ) -> Result<bool> {
        let mut cold = self.cold(bs)?;
        let mut roles = cold.load_roles(bs)?;
        let removed = roles.revoke(role, account)?;
        if removed {
            cold.roles = roles.flush()?;
            self.set_cold(bs, &cold)?;
        }
        Ok(removed)
    }

    // ---- pause ----

    /// Pauses or unpauses; `USR_ILLEGAL_STATE` if the token already is in that state.
    pub fn set_paused(&mut self, paused: bool) -> Result<()> {
        if self.paused == paused {
            return Err(actor_error!(illegal_state;
                "the token is already {}", if paused { "paused" } else { "unpaused" }));
        }
        self.paused = paused;
        Ok(())
    }

    // ---- delegation and votes ----

    /// The account `id`'s votes count for, if any.
    pub fn delegate_of<BS: Blockstore>(&self, bs: &BS, id: ActorID) -> Result<Option<ActorID>> {
        self.delegate_in(bs, &mut self.lazy_cold(), id)
    }

    fn delegate_in<BS: Blockstore>(
        &self,
        bs: &BS,
        cold: &mut Cold,
        id: ActorID,
    ) -> Result<Option<ActorID>> {
        if self.delegators == 0 {
            return Ok(None);
        }
        Ok(cold.get(bs)?.load_delegates(bs)?.get(&id)?.copied())
    }

    /// Makes `account`'s votes (its whole balance) count for `delegatee` (or for no one).
    pub fn delegate<BS: Blockstore>(
        &mut self,
        bs: &BS,
        account: ActorID,
        delegatee: Option<ActorID>,
        epoch: ChainEpoch,
    ) -> Result<Delegated> {
        let mut cold = self.lazy_cold();
        let mut delegates = cold.get(bs)?.load_delegates(bs)?;
        let previous = delegates.get(&account)?.copied();
        if previous == delegatee {
            return Ok(Delegated { previous, changed: false, votes: vec![] });
        }
        match delegatee {
            Some(d) => {
                delegates.set(account, d)?;
            }
            None => {
                delegates.delete(&account)?;
            }
        }
        match (previous, delegatee) {
            (None, Some(_)) => self.delegators += 1,
            (Some(_), None) => self.delegators -= 1,
            _ => {}
        }
        cold.get_mut(bs)?.delegates = delegates.flush()?;
        let balance = self.balance(bs, account)?;
        let votes = self.move_votes(bs, &mut cold, previous, delegatee, &balance, epoch)?;
        self.commit_cold(bs, &mut cold)?;
        Ok(Delegated { previous, changed: true, votes })
    }

    /// `id`'s current voting power: the balances of the accounts delegating to it.
    pub fn votes_of<BS: Blockstore>(&self, bs: &BS, id: ActorID) -> Result<TokenAmount> {
        match self.cold(bs)?.vote_history(bs, id)? {
            Some(h) => Ok(h.latest()?.unwrap_or_default()),
            None => Ok(TokenAmount::default()),
        }
    }

    /// `id`'s voting power at the end of `epoch`, which must be before `now` (the current epoch,
    /// whose value is not final yet): `USR_ILLEGAL_ARGUMENT` otherwise. O(log n) reads.
    pub fn past_votes<BS: Blockstore>(
        &self,
        bs: &BS,
        id: ActorID,
        epoch: ChainEpoch,
        now: ChainEpoch,
    ) -> Result<TokenAmount> {
        require_past(epoch, now)?;
        match self.cold(bs)?.vote_history(bs, id)? {
            Some(h) => Ok(h.at(epoch)?.unwrap_or_default()),
            None => Ok(TokenAmount::default()),
        }
    }

    /// The total supply at the end of `epoch`, which must be before `now`.
    pub fn past_total_supply<BS: Blockstore>(
        &self,
        bs: &BS,
        epoch: ChainEpoch,
        now: ChainEpoch,
    ) -> Result<TokenAmount> {
        require_past(epoch, now)?;
        if epoch >= self.supply_epoch {
            return Ok(self.supply.clone());
        }
        Ok(self.load_supply_checkpoints(bs)?.at(epoch)?.unwrap_or_default())
    }

    // ---- internals ----

    /// Loads the total supply's history.
    pub fn load_supply_checkpoints<'a, BS: Blockstore>(
        &self,
        bs: &'a BS,
    ) -> Result<Checkpoints<&'a BS, TokenAmount>> {
        Checkpoints::load(bs, &self.supply_checkpoints, "supply checkpoints")
    }

    /// Loads the balances map.
    pub fn load_balances<'a, BS: Blockstore>(&self, bs: &'a BS) -> Result<Balances<'a, BS>> {
        Map::load_embedded(bs, &self.balances, BALANCES_CONFIG, "balances")
    }

    /// Loads the allowances map.
    pub fn load_allowances<'a, BS: Blockstore>(&self, bs: &'a BS) -> Result<Allowances<'a, BS>> {
        Map::load(bs, &self.allowances, ALLOWANCES_CONFIG, "allowances")
    }

    fn put_balance<BS: Blockstore>(
        &mut self,
        balances: &mut Balances<'_, BS>,
        id: ActorID,
        old: &TokenAmount,
        new: &TokenAmount,
    ) -> Result<()> {
        if new.is_zero() {
            balances.delete(&id)?;
            if !old.is_zero() {
                self.holders -= 1;
            }
        } else {
            balances.set(id, StoredAmount::new(new))?;
            if old.is_zero() {
                self.holders += 1;
            }
        }
        Ok(())
    }

    fn put_allowance<BS: Blockstore>(
        &mut self,
        bs: &BS,
        key: AllowanceKey,
        value: &TokenAmount,
        expires_at: Option<ChainEpoch>,
    ) -> Result<()> {
        let mut m = self.load_allowances(bs)?;
        if value.is_zero() {
            m.delete(&key)?;
        } else {
            m.set(key, StoredAllowance::new(value, expires_at))?;
        }
        self.allowances = m.flush()?;
        Ok(())
    }

    /// Records that the supply changed at `epoch` from `previous`, the value it had held since
    /// `supply_epoch`. Only the first change in an epoch writes history (the value that held
    /// until then); later changes in the same epoch only update `supply`.
    fn record_supply<BS: Blockstore>(
        &mut self,
        bs: &BS,
        epoch: ChainEpoch,
        previous: TokenAmount,
    ) -> Result<()> {
        if epoch < self.supply_epoch {
            return Err(ActorError::illegal_state(format!(
                "inconsistent token state: supply changed at epoch {epoch}, before {}",
                self.supply_epoch
            )));
        }
        if epoch > self.supply_epoch {
            let mut h = self.load_supply_checkpoints(bs)?;
            h.push(self.supply_epoch, previous)?;
            self.supply_checkpoints = h.flush()?;
            self.supply_epoch = epoch;
        }
        Ok(())
    }

    /// Moves `amount` of voting power from one delegatee to another (`None`: created or destroyed).
    fn move_votes<BS: Blockstore>(
        &self,
        bs: &BS,
        cold: &mut Cold,
        from: Option<ActorID>,
        to: Option<ActorID>,
        amount: &TokenAmount,
        epoch: ChainEpoch,
    ) -> Result<Vec<VoteChange>> {
        if amount.is_zero() || from == to {
            return Ok(vec![]);
        }
        let c = cold.get_mut(bs)?;
        let mut votes = c.load_votes(bs)?;
        let mut changes = Vec::with_capacity(2);
        if let Some(d) = from {
            changes.push(adjust_votes(bs, &mut votes, d, epoch, |v| {
                v.checked_sub_amount(amount).map_err(corrupt)
            })?);
        }
        if let Some(d) = to {
            changes.push(adjust_votes(bs, &mut votes, d, epoch, |v| v.checked_add_amount(amount))?);
        }
        c.votes = votes.flush()?;
        Ok(changes)
    }
}

fn adjust_votes<BS: Blockstore>(
    bs: &BS,
    votes: &mut Map<&BS, ActorID, Cid>,
    delegatee: ActorID,
    epoch: ChainEpoch,
    f: impl FnOnce(&TokenAmount) -> Result<TokenAmount>,
) -> Result<VoteChange> {
    let mut history = match votes.get(&delegatee)? {
        Some(root) => Checkpoints::load(bs, root, "vote history")?,
        None => Checkpoints::empty(bs, "vote history"),
    };
    let previous = history.latest()?.unwrap_or_default();
    let current = f(&previous)?;
    history.push(epoch, current.clone())?;
    votes.set(delegatee, history.flush()?)?;
    Ok(VoteChange { delegatee, previous, current })
}

fn balance_in<BS: Blockstore>(balances: &Balances<'_, BS>, id: ActorID) -> Result<TokenAmount> {
    stored_or_zero(balances.get(&id)?)
}

/// An entry's amount, zero if there is none.
fn stored_or_zero(stored: Option<&StoredAmount>) -> Result<TokenAmount> {
    stored.map_or_else(|| Ok(TokenAmount::default()), StoredAmount::amount)
}

/// A stored allowance's spendable amount if it covers `amount` at `epoch`, else `USR_FORBIDDEN`
/// (also when it is zero or expired, whatever the amount: FRC-46).
fn covering(
    stored: Option<&StoredAllowance>,
    owner: ActorID,
    operator: ActorID,
    amount: &TokenAmount,
    epoch: ChainEpoch,
) -> Result<TokenAmount> {
    if let Some(at) = stored.filter(|a| a.expired(epoch)).and_then(|a| a.expires_at) {
        return Err(actor_error!(forbidden;
            "the allowance of f0{} over f0{}'s tokens expired at epoch {}", operator, owner, at));
    }
    let allowance = spendable(stored, epoch)?;
    if allowance.is_zero() || &allowance < amount {
        return Err(actor_error!(forbidden;
            "f0{} may spend {} of f0{}'s tokens, not {}", operator, allowance, owner, amount));
    }
    Ok(allowance)
}

/// What may be spent of a stored allowance at `epoch` (zero for none or an expired one).
fn spendable(stored: Option<&StoredAllowance>, epoch: ChainEpoch) -> Result<TokenAmount> {
    stored.map_or_else(|| Ok(TokenAmount::default()), |a| a.spendable(epoch))
}

/// `balance - amount`, or `USR_INSUFFICIENT_FUNDS` naming the account.
fn debit(balance: &TokenAmount, amount: &TokenAmount, id: ActorID) -> Result<TokenAmount> {
    if amount > balance {
        return Err(actor_error!(insufficient_funds;
            "f0{} has a balance of {}, less than {}", id, balance, amount));
    }
    Ok(balance - amount)
}

/// Fails with `USR_ILLEGAL_ARGUMENT` unless `epoch` is before `now`: the current epoch's values are
/// not final until it ends.
pub fn require_past(epoch: ChainEpoch, now: ChainEpoch) -> Result<()> {
    if epoch >= now {
        return Err(actor_error!(illegal_argument;
            "epoch {} is not in the past (the current epoch is {})", epoch, now));
    }
    Ok(())
}

/// An arithmetic failure that only a corrupt state can cause.
fn corrupt(e: ActorError) -> ActorError {
    ActorError::illegal_state(format!("inconsistent token state: {}", e.message()))
}
