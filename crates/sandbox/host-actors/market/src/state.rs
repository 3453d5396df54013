//! The market's state and the deal bookkeeping over it: escrow and locked balances, proposals, deal
//! states and the pending-proposal set.
//!
//! Everything here is pure logic over a [`Blockstore`]: no sends, no events, no runtime. The method
//! handlers in `lib.rs` call into it and do the messaging around it.
//!
//! The layout is this stand-in's own (the real market has 14 fields; nothing outside the actor reads
//! it): proposals and deal states are AMTs by deal ID (bit widths 5 and 6, as the real market uses),
//! the balance tables are HAMTs keyed by the account's actor ID, and the pending set is a HAMT of
//! proposal CIDs.
use std::collections::BTreeMap;

use actorlib_kit::{
    actor_error, ActorError, Amount, Map, MapConfig, Result, Set, Vector, VectorConfig,
};
use cid::multihash::Multihash;
use cid::Cid;
use fvm_ipld_blockstore::Blockstore;
use fvm_ipld_encoding::tuple::*;
use fvm_ipld_encoding::DAG_CBOR;
use fvm_shared::clock::ChainEpoch;
use fvm_shared::econ::TokenAmount;
use fvm_shared::ActorID;

use crate::types::{
    DealID, DealProposal, DealState, EPOCH_UNDEFINED, EX_DEAL_EXPIRED, EX_DEAL_NOT_ACTIVATED,
};

/// Proposals by deal ID.
pub const PROPOSALS_CONFIG: VectorConfig = VectorConfig { bit_width: 5, ..VectorConfig::DEFAULT };
/// Deal states by deal ID.
pub const STATES_CONFIG: VectorConfig = VectorConfig { bit_width: 6, ..VectorConfig::DEFAULT };
/// Escrow and locked tables, and the pending-proposal set.
pub const TABLE_CONFIG: MapConfig = MapConfig { bit_width: 5, ..MapConfig::DEFAULT };

/// Multihash code of Blake2b-256.
const BLAKE2B_256: u64 = 0xb220;

/// A Blake2b-256 function (the runtime's syscall in the actor; anything deterministic in tests).
pub type Hasher<'a> = &'a dyn Fn(&[u8]) -> [u8; 32];

/// The CID of a proposal: CIDv1, DAG-CBOR, Blake2b-256 of its CBOR encoding.
pub fn proposal_cid(proposal: &DealProposal, hash: Hasher) -> Result<Cid> {
    let bytes = fvm_ipld_encoding::to_vec(proposal)?;
    let mh = Multihash::<64>::wrap(BLAKE2B_256, &hash(&bytes))
        .map_err(|e| ActorError::assertion_failed(format!("proposal multihash: {e}")))?;
    Ok(Cid::new_v1(DAG_CBOR, mh))
}

/// The market's state.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
pub struct State {
    /// AMT: deal ID → [`DealProposal`] (normalised: client and provider as ID addresses).
    pub proposals: Cid,
    /// AMT: deal ID → [`DealState`], present once a deal is activated.
    pub states: Cid,
    /// HAMT set of the CIDs of published proposals not yet removed (rejects duplicates).
    pub pending_proposals: Cid,
    /// HAMT: account ID → escrow balance (including locked funds).
    pub escrow_table: Cid,
    /// HAMT: account ID → locked part of the escrow.
    pub locked_table: Cid,
    /// The next deal ID.
    pub next_id: DealID,
}

/// Escrow and locked balances of every account, loaded for a sequence of changes.
pub struct Balances<BS: Blockstore> {
    escrow: Map<BS, ActorID, TokenAmount>,
    locked: Map<BS, ActorID, TokenAmount>,
}

fn get_amount<BS: Blockstore>(
    m: &Map<BS, ActorID, TokenAmount>,
    id: ActorID,
) -> Result<TokenAmount> {
    Ok(m.get(&id)?.cloned().unwrap_or_default())
}

fn put_amount<BS: Blockstore>(
    m: &mut Map<BS, ActorID, TokenAmount>,
    id: ActorID,
    v: TokenAmount,
) -> Result<()> {
    if v.is_zero() {
        m.delete(&id)?;
    } else {
        m.set(id, v)?;
    }
    Ok(())
}

impl<BS: Blockstore> Balances<BS> {
    /// Escrow balance of `id` (zero if none).
    pub fn escrow(&self, id: ActorID) -> Result<TokenAmount> {
        get_amount(&self.escrow, id)
    }

    /// Locked balance of `id` (zero if none).
    pub fn locked(&self, id: ActorID) -> Result<TokenAmount> {
        get_amount(&self.locked, id)
    }

    /// `escrow - locked`.
    pub fn available(&self, id: ActorID) -> Result<TokenAmount> {
        self.escrow(id)?.checked_sub_amount(&self.locked(id)?)
    }

    /// Whether `id`'s escrow covers its locked funds plus `amount` more.
    pub fn is_covered(&self, id: ActorID, amount: &TokenAmount) -> Result<bool> {
        Ok(self.locked(id)? + amount <= self.escrow(id)?)
    }

    /// Credits `amount` to `id`'s escrow.
    pub fn deposit(&mut self, id: ActorID, amount: &TokenAmount) -> Result<()> {
        let v = self.escrow(id)?.checked_add_amount(amount)?;
        put_amount(&mut self.escrow, id, v)
    }

    /// Takes `min(requested, escrow - locked)` out of `id`'s escrow and returns it.
    pub fn withdraw_available(
        &mut self,
        id: ActorID,
        requested: &TokenAmount,
    ) -> Result<TokenAmount> {
        let available = self.available(id)?;
        let amount = std::cmp::min(available, requested.clone());
        let v = self.escrow(id)?.checked_sub_amount(&amount)?;
        put_amount(&mut self.escrow, id, v)?;
        Ok(amount)
    }

    /// Locks `amount` more of `id`'s escrow; fails with `USR_INSUFFICIENT_FUNDS` if not covered.
    pub fn lock(&mut self, id: ActorID, amount: &TokenAmount) -> Result<()> {
        if !self.is_covered(id, amount)? {
            return Err(actor_error!(insufficient_funds;
                "cannot lock {} for f0{}: escrow {} locked {}", amount, id, self.escrow(id)?, self.locked(id)?));
        }
        let v = self.locked(id)?.checked_add_amount(amount)?;
        put_amount(&mut self.locked, id, v)
    }

    /// Unlocks `amount` of `id`'s locked funds (they stay in escrow).
    pub fn unlock(&mut self, id: ActorID, amount: &TokenAmount) -> Result<()> {
        let v = self.locked(id)?.checked_sub_amount(amount)?;
        put_amount(&mut self.locked, id, v)
    }

    /// Removes `amount` of locked funds from `id`'s escrow entirely (paid out or slashed).
    pub fn take_locked(&mut self, id: ActorID, amount: &TokenAmount) -> Result<()> {
        self.unlock(id, amount)?;
        let v = self.escrow(id)?.checked_sub_amount(amount)?;
        put_amount(&mut self.escrow, id, v)
    }

    /// Pays `amount` of `from`'s locked funds into `to`'s escrow (unlocked).
    pub fn pay_locked(&mut self, from: ActorID, to: ActorID, amount: &TokenAmount) -> Result<()> {
        self.take_locked(from, amount)?;
        self.deposit(to, amount)
    }

    /// Writes both tables and records their roots in `st`.
    pub fn flush(&mut self, st: &mut State) -> Result<()> {
        st.escrow_table = self.escrow.flush()?;
        st.locked_table = self.locked.flush()?;
        Ok(())
    }
}

/// The collections of deals, loaded for a sequence of changes.
struct Deals<BS: Blockstore> {
    proposals: Vector<BS, DealProposal>,
    states: Vector<BS, DealState>,
    pending: Set<BS, Cid>,
}

impl<BS: Blockstore> Deals<BS> {
    /// Removes a deal's proposal, state and pending entry.
    fn remove(&mut self, id: DealID, proposal: &DealProposal, hash: Hasher) -> Result<()> {
        self.proposals.delete(id)?;
        self.states.delete(id)?;
        self.pending.remove(&proposal_cid(proposal, hash)?)?;
        Ok(())
    }

    fn flush(&mut self, st: &mut State) -> Result<()> {
        st.proposals = self.proposals.flush()?;
        st.states = self.states.flush()?;
        st.pending_proposals = self.pending.flush()?;
        Ok(())
    }
}

/// The IDs of a normalised proposal's client and provider.
pub fn parties(p: &DealProposal) -> Result<(ActorID, ActorID)> {
    let client = p.client.id().map_err(|_| {
        ActorError::illegal_state(format!("stored proposal has non-ID client {}", p.client))
    })?;
    let provider = p.provider.id().map_err(|_| {
        ActorError::illegal_state(format!("stored proposal has non-ID provider {}", p.provider))
    })?;
    Ok((client, provider))
}

/// A deal removed by [`State::cron_tick`] or [`State::terminate_deals`].
#[derive(Clone, Debug, PartialEq)]
pub struct RemovedDeal {
    /// Its ID.
    pub id: DealID,
    /// Its (normalised) proposal.
    pub proposal: DealProposal,
}

/// What [`State::cron_tick`] did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CronOutcome {
    /// Active deals that ended: provider paid, collateral unlocked, removed.
    pub completed: Vec<RemovedDeal>,
    /// Unactivated deals past their start epoch: provider collateral slashed, removed.
    pub expired: Vec<RemovedDeal>,
    /// Provider collateral slashed, to burn.
    pub slashed: TokenAmount,
}

/// What [`State::terminate_deals`] did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TerminateOutcome {
    /// Deals terminated and removed.
    pub terminated: Vec<RemovedDeal>,
    /// Provider collateral slashed, to burn.
    pub slashed: TokenAmount,
}

impl State {
    /// An empty market, its collections written to `store`.
    pub fn new<BS: Blockstore>(store: &BS) -> Result<Self> {
        Ok(Self {
            proposals: Vector::<_, DealProposal>::flush_empty(store, PROPOSALS_CONFIG)?,
            states: Vector::<_, DealState>::flush_empty(store, STATES_CONFIG)?,
            pending_proposals: Set::<_, Cid>::empty(store, TABLE_CONFIG, "pending_proposals")
                .flush()?,
            escrow_table: Map::<_, ActorID, TokenAmount>::flush_empty(store, TABLE_CONFIG)?,
            locked_table: Map::<_, ActorID, TokenAmount>::flush_empty(store, TABLE_CONFIG)?,
            next_id: 0,
        })
    }

    /// Loads the balance tables.
    pub fn balances<BS: Blockstore + Clone>(&self, store: BS) -> Result<Balances<BS>> {
        Ok(Balances {
            escrow: Map::load(store.clone(), &self.escrow_table, TABLE_CONFIG, "escrow_table")?,
            locked: Map::load(store, &self.locked_table, TABLE_CONFIG, "locked_table")?,
        })
    }

    fn deals<BS: Blockstore + Clone>(&self, store: BS) -> Result<Deals<BS>> {
        Ok(Deals {
            proposals: Vector::load(store.clone(), &self.proposals, PROPOSALS_CONFIG, "proposals")?,
            states: Vector::load(store.clone(), &self.states, STATES_CONFIG, "states")?,
            pending: Set::load(store, &self.pending_proposals, TABLE_CONFIG, "pending_proposals")?,
        })
    }

    /// The proposal of deal `id`, if it is still stored.
    pub fn find_proposal<BS: Blockstore>(
        &self,
        store: &BS,
        id: DealID,
    ) -> Result<Option<DealProposal>> {
        if id >= self.next_id {
            // Never assigned (this also keeps IDs beyond the AMT's range out of it).
            return Ok(None);
        }
        let proposals: Vector<_, DealProposal> =
            Vector::load(store, &self.proposals, PROPOSALS_CONFIG, "proposals")?;
        Ok(proposals.get(id)?.cloned())
    }

    /// The proposal of deal `id`; fails with `USR_NOT_FOUND` if no deal `id` was ever published and
    /// with `EX_DEAL_EXPIRED` (32) if it was published and has since been removed.
    pub fn get_proposal<BS: Blockstore>(&self, store: &BS, id: DealID) -> Result<DealProposal> {
        self.find_proposal(store, id)?.ok_or_else(|| self.missing_deal(id))
    }

    /// The error for a deal whose proposal is not stored: `EX_DEAL_EXPIRED` if it was published
    /// (`id < next_id`), `USR_NOT_FOUND` otherwise.
    pub fn missing_deal(&self, id: DealID) -> ActorError {
        if id < self.next_id {
            ActorError::new(EX_DEAL_EXPIRED, format!("deal {id} expired"))
        } else {
            actor_error!(not_found; "no such deal {}", id)
        }
    }

    /// The state of deal `id`, if it was activated and not yet removed.
    pub fn find_deal_state<BS: Blockstore>(
        &self,
        store: &BS,
        id: DealID,
    ) -> Result<Option<DealState>> {
        if id >= self.next_id {
            return Ok(None);
        }
        let states: Vector<_, DealState> =
            Vector::load(store, &self.states, STATES_CONFIG, "states")?;
        Ok(states.get(id)?.cloned())
    }

    /// The state of an active deal: `EX_DEAL_EXPIRED` if it was terminated, `EX_DEAL_NOT_ACTIVATED`
    /// (33) if it is published but not activated, and the [`State::get_proposal`] errors otherwise.
    pub fn get_active_deal_state<BS: Blockstore>(
        &self,
        store: &BS,
        id: DealID,
    ) -> Result<DealState> {
        match self.find_deal_state(store, id)? {
            Some(s) if s.slash_epoch != EPOCH_UNDEFINED => {
                Err(ActorError::new(EX_DEAL_EXPIRED, format!("deal {id} was terminated")))
            }
            Some(s) => Ok(s),
            None => {
                self.get_proposal(store, id)?;
                Err(ActorError::new(EX_DEAL_NOT_ACTIVATED, format!("deal {id} is not activated")))
            }
        }
    }

    /// Whether a proposal with this CID is published and not yet removed.
    pub fn has_pending<BS: Blockstore>(&self, store: &BS, cid: &Cid) -> Result<bool> {
        let pending: Set<_, Cid> =
            Set::load(store, &self.pending_proposals, TABLE_CONFIG, "pending_proposals")?;
        pending.contains(cid)
    }

    /// Publishes validated, normalised proposals (with their CIDs): locks the client's collateral
    /// and fee and the provider's collateral, assigns sequential IDs, stores the proposals and marks
    /// them pending. Returns the new IDs in order. Fails with `USR_INSUFFICIENT_FUNDS` if a balance
    /// does not cover its lock (validation should have dropped such deals).
    pub fn publish_deals<BS: Blockstore + Clone>(
        &mut self,
        store: BS,
        deals: &[(DealProposal, Cid)],
    ) -> Result<Vec<DealID>> {
        let mut balances = self.balances(store.clone())?;
        let mut d = self.deals(store)?;
        let mut ids = Vec::with_capacity(deals.len());
        for (p, cid) in deals {
            let (client, provider) = parties(p)?;
            balances.lock(client, &p.client_balance_requirement())?;
            balances.lock(provider, &p.provider_balance_requirement())?;
            let id = self.next_id;
            self.next_id += 1;
            d.proposals.set(id, p.clone())?;
            if !d.pending.insert(*cid)? {
                return Err(actor_error!(illegal_argument; "proposal {} is already pending", cid));
            }
            ids.push(id);
        }
        balances.flush(self)?;
        d.flush(self)?;
        Ok(ids)
    }

    /// Activates deals at `epoch` in sector `sector_number`. Each deal must be published and not
    /// removed (`USR_NOT_FOUND` / `EX_DEAL_EXPIRED`), not already active (`USR_ILLEGAL_ARGUMENT`),
    /// and `epoch` must not be past its start epoch (`EX_DEAL_EXPIRED`). All or nothing; returns
    /// the activated proposals.
    pub fn activate_deals<BS: Blockstore + Clone>(
        &mut self,
        store: BS,
        ids: &[DealID],
        sector_number: u64,
        epoch: ChainEpoch,
    ) -> Result<Vec<(DealID, DealProposal)>> {
        let mut d = self.deals(store.clone())?;
        let mut out = Vec::with_capacity(ids.len());
        for &id in ids {
            let found = if id < self.next_id { d.proposals.get(id)?.cloned() } else { None };
            let Some(p) = found else {
                return Err(self.missing_deal(id));
            };
            if d.states.get(id)?.is_some() {
                return Err(actor_error!(illegal_argument; "deal {} already activated", id));
            }
            if epoch > p.start_epoch {
                return Err(ActorError::new(
                    EX_DEAL_EXPIRED,
                    format!("deal {id} start epoch {} has already elapsed", p.start_epoch),
                ));
            }
            d.states.set(
                id,
                DealState {
                    sector_number,
                    sector_start_epoch: epoch,
                    last_updated_epoch: EPOCH_UNDEFINED,
                    slash_epoch: EPOCH_UNDEFINED,
                },
            )?;
            out.push((id, p));
        }
        d.flush(self)?;
        Ok(out)
    }

    /// Terminates active deals at `epoch`, as a sector termination does: the provider is paid for
    /// the epochs elapsed since the start epoch, the client's remaining fee and collateral are
    /// unlocked, the provider's collateral is slashed, and the deal is removed (so getters answer
    /// `EX_DEAL_EXPIRED`). Deals that have already ended (`end_epoch <= epoch`) are skipped: they
    /// complete at the next cron tick. A deal that is not active fails the whole call
    /// (`EX_DEAL_NOT_ACTIVATED`, or the [`State::get_proposal`] errors).
    pub fn terminate_deals<BS: Blockstore + Clone>(
        &mut self,
        store: BS,
        ids: &[DealID],
        epoch: ChainEpoch,
        hash: Hasher,
    ) -> Result<TerminateOutcome> {
        let mut d = self.deals(store.clone())?;
        let mut balances = self.balances(store.clone())?;
        let mut out = TerminateOutcome::default();
        for &id in ids {
            // Re-check against the collections being modified (an ID may repeat in the batch).
            let found = if id < self.next_id { d.proposals.get(id)?.cloned() } else { None };
            let Some(p) = found else {
                return Err(self.missing_deal(id));
            };
            let Some(deal_state) = d.states.get(id)?.cloned() else {
                return Err(ActorError::new(
                    EX_DEAL_NOT_ACTIVATED,
                    format!("deal {id} is not activated"),
                ));
            };
            if deal_state.slash_epoch != EPOCH_UNDEFINED {
                return Err(ActorError::new(EX_DEAL_EXPIRED, format!("deal {id} was terminated")));
            }
            if p.end_epoch <= epoch {
                continue;
            }
            // The real market marks the slash epoch and cleans up later; the deal is removed at
            // once here, which getters cannot tell apart (both answer EX_DEAL_EXPIRED).
            let (client, provider) = parties(&p)?;
            let elapsed = (epoch - p.start_epoch).clamp(0, p.duration());
            let payment = p.storage_price_per_epoch.clone() * elapsed;
            balances.pay_locked(client, provider, &payment)?;
            let rest = p.client_balance_requirement().checked_sub_amount(&payment)?;
            balances.unlock(client, &rest)?;
            balances.take_locked(provider, &p.provider_collateral)?;
            out.slashed = out.slashed.checked_add_amount(&p.provider_collateral)?;
            d.remove(id, &p, hash)?;
            out.terminated.push(RemovedDeal { id, proposal: p });
        }
        balances.flush(self)?;
        d.flush(self)?;
        Ok(out)
    }

    /// What the real market's cron does for every deal, at `epoch`: an active deal whose end epoch
    /// has been reached is completed (the provider is paid the whole storage fee from the client's
    /// locked funds, both collaterals are unlocked, the deal is removed); a deal never activated
    /// whose start epoch has passed is expired (the client's funds are unlocked, the provider's
    /// collateral is slashed, the deal is removed).
    pub fn cron_tick<BS: Blockstore + Clone>(
        &mut self,
        store: BS,
        epoch: ChainEpoch,
        hash: Hasher,
    ) -> Result<CronOutcome> {
        let mut d = self.deals(store.clone())?;
        let mut balances = self.balances(store)?;
        let mut all = BTreeMap::new();
        d.proposals.for_each(|id, p| {
            all.insert(id, p.clone());
            Ok(())
        })?;
        let mut out = CronOutcome::default();
        for (id, p) in all {
            let (client, provider) = parties(&p)?;
            match d.states.get(id)?.cloned() {
                Some(st) if st.slash_epoch == EPOCH_UNDEFINED && p.end_epoch <= epoch => {
                    balances.pay_locked(client, provider, &p.total_storage_fee())?;
                    balances.unlock(client, &p.client_collateral)?;
                    balances.unlock(provider, &p.provider_collateral)?;
                    d.remove(id, &p, hash)?;
                    out.completed.push(RemovedDeal { id, proposal: p });
                }
                None if epoch > p.start_epoch => {
                    balances.unlock(client, &p.client_balance_requirement())?;
                    balances.take_locked(provider, &p.provider_collateral)?;
                    out.slashed = out.slashed.checked_add_amount(&p.provider_collateral)?;
                    d.remove(id, &p, hash)?;
                    out.expired.push(RemovedDeal { id, proposal: p });
                }
                _ => {}
            }
        }
        balances.flush(self)?;
        d.flush(self)?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::Label;
    use fvm_ipld_blockstore::MemoryBlockstore;
    use fvm_shared::address::Address;
    use fvm_shared::bigint::Zero;
    use fvm_shared::error::ExitCode;

    fn hash(data: &[u8]) -> [u8; 32] {
        // Deterministic and collision-free enough for the tests: the data folded into 32 bytes
        // with its length.
        let mut out = [0u8; 32];
        for (i, b) in data.iter().enumerate() {
            out[i % 31] = out[i % 31].wrapping_mul(31).wrapping_add(*b);
        }
        out[31] = data.len() as u8;
        out
    }

    fn proposal(start: ChainEpoch, end: ChainEpoch, label: &str) -> DealProposal {
        DealProposal {
            piece_cid: Cid::default(),
            piece_size: 2048,
            verified_deal: false,
            client: Address::new_id(100),
            provider: Address::new_id(200),
            label: Label::String(label.into()),
            start_epoch: start,
            end_epoch: end,
            storage_price_per_epoch: TokenAmount::from_atto(2),
            provider_collateral: TokenAmount::from_atto(50),
            client_collateral: TokenAmount::from_atto(10),
        }
    }

    fn funded(store: &MemoryBlockstore) -> State {
        let mut st = State::new(store).unwrap();
        let mut b = st.balances(store).unwrap();
        b.deposit(100, &TokenAmount::from_atto(1000)).unwrap();
        b.deposit(200, &TokenAmount::from_atto(1000)).unwrap();
        b.flush(&mut st).unwrap();
        st
    }

    fn publish(store: &MemoryBlockstore, st: &mut State, p: DealProposal) -> DealID {
        let cid = proposal_cid(&p, &hash).unwrap();
        st.publish_deals(store, &[(p, cid)]).unwrap()[0]
    }

    fn amounts(store: &MemoryBlockstore, st: &State, id: ActorID) -> (u64, u64) {
        let b = st.balances(store).unwrap();
        let conv = |t: TokenAmount| u64::try_from(t.atto().clone()).unwrap();
        (conv(b.escrow(id).unwrap()), conv(b.locked(id).unwrap()))
    }

    #[test]
    fn balances_lock_withdraw_and_pay() {
        let store = MemoryBlockstore::new();
        let mut st = State::new(&store).unwrap();
        let mut b = st.balances(&store).unwrap();
        b.deposit(1, &TokenAmount::from_atto(100)).unwrap();
        assert!(b.is_covered(1, &TokenAmount::from_atto(100)).unwrap());
        assert!(!b.is_covered(1, &TokenAmount::from_atto(101)).unwrap());
        b.lock(1, &TokenAmount::from_atto(60)).unwrap();
        assert_eq!(
            b.lock(1, &TokenAmount::from_atto(41)).unwrap_err().code(),
            ExitCode::USR_INSUFFICIENT_FUNDS
        );
        assert_eq!(b.available(1).unwrap(), TokenAmount::from_atto(40));
        assert_eq!(
            b.withdraw_available(1, &TokenAmount::from_atto(70)).unwrap(),
            TokenAmount::from_atto(40)
        );
        assert_eq!(
            b.withdraw_available(1, &TokenAmount::from_atto(5)).unwrap(),
            TokenAmount::zero()
        );
        b.pay_locked(1, 2, &TokenAmount::from_atto(15)).unwrap();
        b.flush(&mut st).unwrap();
        assert_eq!(amounts(&store, &st, 1), (45, 45));
        assert_eq!(amounts(&store, &st, 2), (15, 0));
        assert_eq!(amounts(&store, &st, 3), (0, 0));
    }

    #[test]
    fn publish_locks_and_assigns_sequential_ids() {
        let store = MemoryBlockstore::new();
        let mut st = funded(&store);
        let a = publish(&store, &mut st, proposal(10, 20, "a"));
        let b = publish(&store, &mut st, proposal(10, 30, "b"));
        assert_eq!((a, b), (0, 1));
        assert_eq!(st.next_id, 2);
        // client: (10 + 2*10) + (10 + 2*20) = 80; provider: 50 + 50.
        assert_eq!(amounts(&store, &st, 100), (1000, 80));
        assert_eq!(amounts(&store, &st, 200), (1000, 100));
        let cid = proposal_cid(&proposal(10, 20, "a"), &hash).unwrap();
        assert!(st.has_pending(&store, &cid).unwrap());
        assert_eq!(st.get_proposal(&store, 1).unwrap().end_epoch, 30);
        assert_eq!(st.get_proposal(&store, 2).unwrap_err().code(), ExitCode::USR_NOT_FOUND);
        // The same proposal twice is refused.
        let err = st.publish_deals(&store, &[(proposal(10, 20, "a"), cid)]).unwrap_err();
        assert_eq!(err.code(), ExitCode::USR_ILLEGAL_ARGUMENT);
    }

    #[test]
    fn activation_rules() {
        let store = MemoryBlockstore::new();
        let mut st = funded(&store);
        let id = publish(&store, &mut st, proposal(10, 20, "a"));
        assert_eq!(st.get_active_deal_state(&store, id).unwrap_err().code(), EX_DEAL_NOT_ACTIVATED);
        assert_eq!(st.activate_deals(&store, &[id], 7, 11).unwrap_err().code(), EX_DEAL_EXPIRED);
        assert_eq!(
            st.activate_deals(&store, &[5], 7, 1).unwrap_err().code(),
            ExitCode::USR_NOT_FOUND
        );
        st.activate_deals(&store, &[id], 7, 10).unwrap();
        let s = st.get_active_deal_state(&store, id).unwrap();
        assert_eq!((s.sector_number, s.sector_start_epoch, s.slash_epoch), (7, 10, -1));
        assert_eq!(
            st.activate_deals(&store, &[id], 7, 10).unwrap_err().code(),
            ExitCode::USR_ILLEGAL_ARGUMENT
        );
    }

    #[test]
    fn termination_pays_elapsed_slashes_and_removes() {
        let store = MemoryBlockstore::new();
        let mut st = funded(&store);
        let id = publish(&store, &mut st, proposal(10, 20, "a"));
        st.activate_deals(&store, &[id], 1, 5).unwrap();
        let out = st.terminate_deals(&store, &[id], 14, &hash).unwrap();
        assert_eq!(out.terminated.len(), 1);
        assert_eq!(out.slashed, TokenAmount::from_atto(50));
        // 4 epochs elapsed at 2 atto each.
        assert_eq!(amounts(&store, &st, 100), (992, 0));
        assert_eq!(amounts(&store, &st, 200), (958, 0));
        assert_eq!(st.get_proposal(&store, id).unwrap_err().code(), EX_DEAL_EXPIRED);
        assert_eq!(st.get_active_deal_state(&store, id).unwrap_err().code(), EX_DEAL_EXPIRED);
        let cid = proposal_cid(&proposal(10, 20, "a"), &hash).unwrap();
        assert!(!st.has_pending(&store, &cid).unwrap());
        assert_eq!(
            st.terminate_deals(&store, &[id], 14, &hash).unwrap_err().code(),
            EX_DEAL_EXPIRED
        );
    }

    #[test]
    fn termination_before_start_pays_nothing_and_ended_deals_are_skipped() {
        let store = MemoryBlockstore::new();
        let mut st = funded(&store);
        let a = publish(&store, &mut st, proposal(10, 20, "a"));
        let b = publish(&store, &mut st, proposal(10, 20, "b"));
        let c = publish(&store, &mut st, proposal(10, 20, "c"));
        st.activate_deals(&store, &[a, b], 1, 5).unwrap();
        assert_eq!(
            st.terminate_deals(&store, &[c], 6, &hash).unwrap_err().code(),
            EX_DEAL_NOT_ACTIVATED
        );
        let out = st.terminate_deals(&store, &[a], 6, &hash).unwrap();
        assert_eq!(out.terminated[0].id, a);
        // a unlocked with no payment; b and c still locked (30 + 30).
        assert_eq!(amounts(&store, &st, 100), (1000, 60));
        assert_eq!(amounts(&store, &st, 200), (950, 100));
        let out = st.terminate_deals(&store, &[b], 20, &hash).unwrap();
        assert!(out.terminated.is_empty());
        assert!(st.find_proposal(&store, b).unwrap().is_some());
    }

    #[test]
    fn cron_completes_and_expires() {
        let store = MemoryBlockstore::new();
        let mut st = funded(&store);
        let active = publish(&store, &mut st, proposal(10, 20, "a"));
        let idle = publish(&store, &mut st, proposal(10, 20, "b"));
        let later = publish(&store, &mut st, proposal(30, 40, "c"));
        st.activate_deals(&store, &[active], 3, 10).unwrap();

        let out = st.cron_tick(&store, 10, &hash).unwrap();
        assert_eq!(out, CronOutcome::default());

        let out = st.cron_tick(&store, 11, &hash).unwrap();
        assert!(out.completed.is_empty());
        assert_eq!(out.expired.iter().map(|d| d.id).collect::<Vec<_>>(), vec![idle]);
        assert_eq!(out.slashed, TokenAmount::from_atto(50));
        assert_eq!(amounts(&store, &st, 200), (950, 100));

        let out = st.cron_tick(&store, 20, &hash).unwrap();
        assert_eq!(out.completed.iter().map(|d| d.id).collect::<Vec<_>>(), vec![active]);
        assert!(out.slashed.is_zero());
        // Client paid 20 to the provider; only `later` (10 + 20) stays locked.
        assert_eq!(amounts(&store, &st, 100), (980, 30));
        assert_eq!(amounts(&store, &st, 200), (970, 50));
        for id in [active, idle] {
            assert_eq!(st.get_proposal(&store, id).unwrap_err().code(), EX_DEAL_EXPIRED);
        }
        assert!(st.find_proposal(&store, later).unwrap().is_some());
    }
}
