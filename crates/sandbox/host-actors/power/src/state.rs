//! The power actor's state and its pure logic over a blockstore: per-miner claims, the totals
//! derived from them and the consensus-minimum rule.
//!
//! The bookkeeping follows the real actor (builtin-actors `actors/power/src/state.rs` at v12, the
//! version NV21 runs): two pairs of totals are kept, one over every claim ("committed") and one
//! over the claims that meet the consensus minimum; the network's power is the first pair while
//! fewer than [`CONSENSUS_MINER_MIN_MINERS`] miners meet the minimum, the second pair after.
use actorlib_kit::{actor_error, Map, MapConfig, Result};
use cid::Cid;
use fvm_ipld_blockstore::Blockstore;
use fvm_ipld_encoding::tuple::*;
use fvm_shared::bigint::bigint_ser;
use fvm_shared::sector::StoragePower;
use fvm_shared::ActorID;

use crate::types::{CONSENSUS_MINER_MIN_MINERS, MAX_QUALITY_MULTIPLIER, MINIMUM_CONSENSUS_POWER};

/// The claims table's HAMT configuration (the builtin default, bit width 5, as the real actor's
/// `CLAIMS_CONFIG`).
pub const CLAIMS_CONFIG: MapConfig = MapConfig::DEFAULT;

/// A miner's claimed power (the real `Claim` less its PoSt proof type, which the real consensus
/// minimum does not depend on).
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, Default, PartialEq, Eq)]
pub struct Claim {
    /// Raw byte power of the miner's active sectors.
    #[serde(with = "bigint_ser")]
    pub raw_byte_power: StoragePower,
    /// Quality-adjusted power of the miner's active sectors.
    #[serde(with = "bigint_ser")]
    pub quality_adj_power: StoragePower,
}

/// The power actor's state (a subset of the real one, with the claims keyed by miner ID).
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq)]
pub struct State {
    /// Raw power of the miners that meet the consensus minimum.
    #[serde(with = "bigint_ser")]
    pub total_raw_byte_power: StoragePower,
    /// Raw power of every claim.
    #[serde(with = "bigint_ser")]
    pub total_bytes_committed: StoragePower,
    /// Quality-adjusted power of the miners that meet the consensus minimum.
    #[serde(with = "bigint_ser")]
    pub total_quality_adj_power: StoragePower,
    /// Quality-adjusted power of every claim.
    #[serde(with = "bigint_ser")]
    pub total_qa_bytes_committed: StoragePower,
    /// Miners created.
    pub miner_count: i64,
    /// Miners whose raw power is at least [`MINIMUM_CONSENSUS_POWER`].
    pub miner_above_min_power_count: i64,
    /// Claims: HAMT (miner ID → [`Claim`]), one entry per miner created.
    pub claims: Cid,
}

fn min_power() -> StoragePower {
    StoragePower::from(MINIMUM_CONSENSUS_POWER)
}

impl State {
    /// An empty power table, its claims map written to `store`.
    pub fn new<BS: Blockstore>(store: &BS) -> Result<Self> {
        Ok(Self {
            total_raw_byte_power: StoragePower::default(),
            total_bytes_committed: StoragePower::default(),
            total_quality_adj_power: StoragePower::default(),
            total_qa_bytes_committed: StoragePower::default(),
            miner_count: 0,
            miner_above_min_power_count: 0,
            claims: Map::<_, ActorID, Claim>::flush_empty(store, CLAIMS_CONFIG)?,
        })
    }

    fn load_claims<BS: Blockstore>(&self, store: BS) -> Result<Map<BS, ActorID, Claim>> {
        Map::load(store, &self.claims, CLAIMS_CONFIG, "claims")
    }

    /// The claim of `miner`, if it is a miner created by this actor.
    pub fn claim<BS: Blockstore>(&self, store: &BS, miner: ActorID) -> Result<Option<Claim>> {
        Ok(self.load_claims(store)?.get(&miner)?.cloned())
    }

    /// Records a new miner with a zero claim (`CreateMiner`). A miner that already has a claim is
    /// an illegal state (init never hands out an ID twice). The real actor also counts a new miner
    /// as above the minimum when the minimum is zero; with the mainnet minimum it never is.
    pub fn add_miner<BS: Blockstore>(&mut self, store: &BS, miner: ActorID) -> Result<()> {
        let mut claims = self.load_claims(store)?;
        if !claims.set_if_absent(miner, Claim::default())? {
            return Err(actor_error!(illegal_state; "miner f0{} already has a claim", miner));
        }
        self.claims = claims.flush()?;
        self.miner_count += 1;
        Ok(())
    }

    /// Replaces the claim of `miner`, keeping the totals and the count of miners above the minimum
    /// consistent, as the real `add_to_claim` does for a delta. Fails with `USR_NOT_FOUND` if the
    /// miner has no claim and `USR_ILLEGAL_ARGUMENT` unless `0 <= raw <= qa <= 10 * raw`; nothing
    /// changes on failure.
    pub fn set_claim<BS: Blockstore>(
        &mut self,
        store: &BS,
        miner: ActorID,
        raw: StoragePower,
        qa: StoragePower,
    ) -> Result<()> {
        check_claim(&raw, &qa)?;
        let mut claims = self.load_claims(store)?;
        let old = claims
            .get(&miner)?
            .cloned()
            .ok_or_else(|| actor_error!(not_found; "no claim for miner f0{}", miner))?;
        let new = Claim { raw_byte_power: raw, quality_adj_power: qa };
        let min = min_power();
        let was_above = old.raw_byte_power >= min;
        let is_above = new.raw_byte_power >= min;

        self.total_bytes_committed += &new.raw_byte_power - &old.raw_byte_power;
        self.total_qa_bytes_committed += &new.quality_adj_power - &old.quality_adj_power;
        if was_above {
            self.miner_above_min_power_count -= 1;
            self.total_raw_byte_power -= &old.raw_byte_power;
            self.total_quality_adj_power -= &old.quality_adj_power;
        }
        if is_above {
            self.miner_above_min_power_count += 1;
            self.total_raw_byte_power += &new.raw_byte_power;
            self.total_quality_adj_power += &new.quality_adj_power;
        }
        claims.set(miner, new)?;
        self.claims = claims.flush()?;
        Ok(())
    }

    /// Whether a miner with `raw` power meets the consensus minimum: at least
    /// [`MINIMUM_CONSENSUS_POWER`]; or, while fewer than [`CONSENSUS_MINER_MIN_MINERS`] miners
    /// reach it, any positive power (the real `miner_nominal_power_meets_consensus_minimum`).
    pub fn meets_consensus_minimum(&self, raw: &StoragePower) -> bool {
        if *raw >= min_power() {
            true
        } else if self.miner_above_min_power_count >= CONSENSUS_MINER_MIN_MINERS {
            false
        } else {
            *raw > StoragePower::default()
        }
    }

    /// The raw power of `miner` and whether it meets the consensus minimum. A miner without a
    /// claim fails with `USR_ILLEGAL_ARGUMENT`, as in the real actor from v10 on.
    pub fn miner_raw_power<BS: Blockstore>(
        &self,
        store: &BS,
        miner: ActorID,
    ) -> Result<(StoragePower, bool)> {
        let claim = self
            .claim(store, miner)?
            .ok_or_else(|| actor_error!(illegal_argument; "no claim for actor: {}", miner))?;
        let meets = self.meets_consensus_minimum(&claim.raw_byte_power);
        Ok((claim.raw_byte_power, meets))
    }

    /// The network's (raw, quality-adjusted) power: every claim while fewer than
    /// [`CONSENSUS_MINER_MIN_MINERS`] miners meet the minimum, else the claims that meet it (the
    /// real `current_total_power`).
    pub fn current_total_power(&self) -> (StoragePower, StoragePower) {
        if self.miner_above_min_power_count < CONSENSUS_MINER_MIN_MINERS {
            (self.total_bytes_committed.clone(), self.total_qa_bytes_committed.clone())
        } else {
            (self.total_raw_byte_power.clone(), self.total_quality_adj_power.clone())
        }
    }
}

/// A claim is realistic if `0 <= raw <= qa <= 10 * raw`: every sector's quality-adjusted power is
/// between its size and ten times it.
fn check_claim(raw: &StoragePower, qa: &StoragePower) -> Result<()> {
    if *raw < StoragePower::default() {
        return Err(actor_error!(illegal_argument; "negative raw byte power {}", raw));
    }
    if qa < raw || *qa > raw * MAX_QUALITY_MULTIPLIER {
        return Err(actor_error!(
            illegal_argument;
            "quality-adjusted power {} must be between the raw power {} and {} times it",
            qa,
            raw,
            MAX_QUALITY_MULTIPLIER
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use fvm_ipld_blockstore::MemoryBlockstore;
    use fvm_shared::error::ExitCode;

    fn p(n: i64) -> StoragePower {
        StoragePower::from(n)
    }

    const MIN: i64 = MINIMUM_CONSENSUS_POWER;

    fn with_miners(store: &MemoryBlockstore, ids: &[ActorID]) -> State {
        let mut st = State::new(store).unwrap();
        for id in ids {
            st.add_miner(store, *id).unwrap();
        }
        st
    }

    /// The totals recomputed from the claims, to compare with the running ones.
    fn recount(st: &State, store: &MemoryBlockstore) -> State {
        let claims = st.load_claims(store).unwrap();
        let mut fresh = State { claims: st.claims, ..State::new(store).unwrap() };
        claims
            .for_each(|_, c| {
                fresh.miner_count += 1;
                fresh.total_bytes_committed += &c.raw_byte_power;
                fresh.total_qa_bytes_committed += &c.quality_adj_power;
                if c.raw_byte_power >= p(MIN) {
                    fresh.miner_above_min_power_count += 1;
                    fresh.total_raw_byte_power += &c.raw_byte_power;
                    fresh.total_quality_adj_power += &c.quality_adj_power;
                }
                Ok(())
            })
            .unwrap();
        fresh
    }

    #[test]
    fn new_miners_get_zero_claims_once() {
        let store = MemoryBlockstore::new();
        let mut st = with_miners(&store, &[1000, 1001]);
        assert_eq!(st.miner_count, 2);
        assert_eq!(st.claim(&store, 1000).unwrap(), Some(Claim::default()));
        assert_eq!(st.claim(&store, 1002).unwrap(), None);
        let e = st.add_miner(&store, 1000).unwrap_err();
        assert_eq!(e.code(), ExitCode::USR_ILLEGAL_STATE);
        assert_eq!(st.miner_count, 2);
    }

    #[test]
    fn totals_follow_claims_across_the_minimum() {
        let store = MemoryBlockstore::new();
        let ids = [1000, 1001, 1002, 1003, 1004];
        let mut st = with_miners(&store, &ids);
        let steps: [(ActorID, i64, i64); 9] = [
            (1000, 5, 7),
            (1001, MIN, MIN * 2),
            (1000, MIN + 1, MIN + 1),
            (1002, MIN, MIN),
            (1003, MIN * 3, MIN * 30),
            (1001, MIN - 1, MIN - 1), // falls below
            (1004, 0, 0),
            (1001, MIN, MIN * 10), // back above: 4 miners above
            (1003, 0, 0),
        ];
        for (id, raw, qa) in steps {
            st.set_claim(&store, id, p(raw), p(qa)).unwrap();
            assert_eq!(st, recount(&st, &store), "after setting f0{id} to {raw}");
        }
        assert_eq!(st.miner_above_min_power_count, 3);
        assert_eq!(st.total_raw_byte_power, p(3 * MIN + 1));
        assert_eq!(st.total_bytes_committed, p(3 * MIN + 1));
    }

    #[test]
    fn consensus_minimum_rule() {
        let store = MemoryBlockstore::new();
        let mut st = with_miners(&store, &[1, 2, 3, 4, 5]);
        // Fewer than four miners at the minimum: any positive power meets it.
        st.set_claim(&store, 5, p(1), p(1)).unwrap();
        assert_eq!(st.miner_raw_power(&store, 5).unwrap(), (p(1), true));
        assert_eq!(st.miner_raw_power(&store, 4).unwrap(), (p(0), false));
        for id in 1..=3 {
            st.set_claim(&store, id, p(MIN), p(MIN)).unwrap();
        }
        assert_eq!(st.miner_above_min_power_count, 3);
        assert!(st.miner_raw_power(&store, 5).unwrap().1);
        assert_eq!(st.current_total_power(), (p(3 * MIN + 1), p(3 * MIN + 1)));
        // The fourth: the minimum is now enforced and the small miner drops out of the totals.
        st.set_claim(&store, 4, p(MIN), p(2 * MIN)).unwrap();
        assert_eq!(st.miner_raw_power(&store, 5).unwrap(), (p(1), false));
        assert_eq!(st.miner_raw_power(&store, 4).unwrap(), (p(MIN), true));
        assert_eq!(st.current_total_power(), (p(4 * MIN), p(5 * MIN)));
        assert_eq!(st.total_bytes_committed, p(4 * MIN + 1));
        // One just below the minimum: back to counting every claim.
        st.set_claim(&store, 4, p(MIN - 1), p(MIN - 1)).unwrap();
        assert!(st.miner_raw_power(&store, 5).unwrap().1);
        assert_eq!(st.current_total_power(), (p(4 * MIN), p(4 * MIN)));
    }

    #[test]
    fn unknown_miners_and_unrealistic_claims_are_refused() {
        let store = MemoryBlockstore::new();
        let mut st = with_miners(&store, &[7]);
        let before = st.clone();
        let code = |r: Result<()>| r.unwrap_err().code();
        assert_eq!(code(st.set_claim(&store, 8, p(1), p(1))), ExitCode::USR_NOT_FOUND);
        for (raw, qa) in [(-1, -1), (-1, 0), (2, 1), (1, 11), (0, 1)] {
            assert_eq!(
                code(st.set_claim(&store, 7, p(raw), p(qa))),
                ExitCode::USR_ILLEGAL_ARGUMENT,
                "{raw} {qa}"
            );
        }
        assert_eq!(st, before);
        st.set_claim(&store, 7, p(1), p(10)).unwrap();
        assert_eq!(
            st.miner_raw_power(&store, 8).unwrap_err().code(),
            ExitCode::USR_ILLEGAL_ARGUMENT
        );
    }
}
