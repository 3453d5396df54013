//! [`Checkpoints`]: a value's history by epoch (a balance, a voting power, a total supply), so that
//! "what was it at epoch E?" is answered in O(log n) reads.
//!
//! The history is a dense, append-only [`Vector`] of [`Checkpoint`]s with increasing epochs, one
//! per change of value: recording an unchanged value writes nothing, so two histories with the
//! same values at every epoch have the same root.
use std::fmt;

use cid::Cid;
use fvm_ipld_blockstore::Blockstore;
use fvm_shared::clock::ChainEpoch;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::vector::{Vector, VectorConfig};
use crate::{ActorError, Result};

/// The history's AMT: the default bit width, and small nodes (a short history, the partly filled
/// last leaf) kept inline, so that a history of a few checkpoints costs no block of its own.
pub const HISTORY_CONFIG: VectorConfig = VectorConfig { bit_width: 3, inline: true };

/// The value a history took from `epoch` on (until the next checkpoint).
///
/// Encoded as the CBOR array `[epoch, value]` (tuple encoding).
///
/// ```
/// use actorlib_kit::checkpoints::Checkpoint;
///
/// let cp = Checkpoint { epoch: 10, value: 5u64 };
/// let bytes = fvm_ipld_encoding::to_vec(&cp).unwrap();
/// assert_eq!(bytes, vec![0x82, 0x0a, 0x05]);
/// assert_eq!(fvm_ipld_encoding::from_slice::<Checkpoint<u64>>(&bytes).unwrap(), cp);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checkpoint<V> {
    /// The first epoch at which the value holds.
    pub epoch: ChainEpoch,
    /// The value.
    pub value: V,
}

// Written by hand rather than derived with `Serialize_tuple` so that no bound is needed on the
// struct itself; the encoding is the same.
impl<V: Serialize> Serialize for Checkpoint<V> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        (&self.epoch, &self.value).serialize(s)
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Checkpoint<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let (epoch, value) = <(ChainEpoch, V)>::deserialize(d)?;
        Ok(Self { epoch, value })
    }
}

/// The history of a value by epoch, stored as an AMT of [`Checkpoint`]s, with a name that appears
/// in every error.
///
/// ```
/// use actorlib_kit::Checkpoints;
/// use fvm_ipld_blockstore::MemoryBlockstore;
///
/// let store = MemoryBlockstore::new();
/// let mut supply: Checkpoints<_, u64> = Checkpoints::empty(&store, "supply");
/// supply.push(10, 100).unwrap();
/// supply.push(20, 150).unwrap();
/// supply.push(20, 160).unwrap(); // same epoch: replaces 150
/// supply.push(30, 160).unwrap(); // unchanged: nothing written
/// assert_eq!(supply.len(), 2);
///
/// let root = supply.flush().unwrap();
/// let mut supply: Checkpoints<_, u64> = Checkpoints::load(&store, &root, "supply").unwrap();
/// assert_eq!(supply.at(9).unwrap(), None);
/// assert_eq!(supply.at(10).unwrap(), Some(100));
/// assert_eq!(supply.at(19).unwrap(), Some(100));
/// assert_eq!(supply.at(25).unwrap(), Some(160));
/// assert_eq!(supply.latest().unwrap(), Some(160));
///
/// // History cannot be rewritten.
/// let err = supply.push(15, 1).unwrap_err();
/// assert_eq!(err.code(), fvm_shared::error::ExitCode::USR_ILLEGAL_ARGUMENT);
/// ```
pub struct Checkpoints<BS: Blockstore, V> {
    vector: Vector<BS, Checkpoint<V>>,
}

impl<BS: Blockstore, V> fmt::Debug for Checkpoints<BS, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Checkpoints").field("vector", &self.vector).finish()
    }
}

impl<BS, V> Checkpoints<BS, V>
where
    BS: Blockstore,
    V: Serialize + DeserializeOwned + Clone + PartialEq,
{
    /// A new, empty history (nothing is written until [`Checkpoints::flush`]).
    pub fn empty(store: BS, name: &'static str) -> Self {
        Self { vector: Vector::empty(store, HISTORY_CONFIG, name) }
    }

    /// Loads the history rooted at `root`. A root that is not in the store is a
    /// `USR_ILLEGAL_STATE` error naming the history.
    pub fn load(store: BS, root: &Cid, name: &'static str) -> Result<Self> {
        Ok(Self { vector: Vector::load(store, root, HISTORY_CONFIG, name)? })
    }

    /// Writes an empty history to `store` and returns its root.
    pub fn flush_empty(store: BS) -> Result<Cid> {
        Self::empty(store, "empty checkpoints").flush()
    }

    /// Writes every modified node to the store and returns the root CID.
    pub fn flush(&mut self) -> Result<Cid> {
        self.vector.flush()
    }

    /// The number of checkpoints.
    pub fn len(&self) -> u64 {
        self.vector.count()
    }

    /// Whether the history has no checkpoint (the value was never recorded).
    pub fn is_empty(&self) -> bool {
        self.vector.is_empty()
    }

    /// The `i`-th checkpoint (oldest first), if `i < len()`.
    pub fn checkpoint(&self, i: u64) -> Result<Option<&Checkpoint<V>>> {
        if i >= self.len() {
            return Ok(None);
        }
        self.entry(i).map(Some)
    }

    /// The latest checkpoint, if any.
    pub fn latest_checkpoint(&self) -> Result<Option<&Checkpoint<V>>> {
        match self.len() {
            0 => Ok(None),
            n => self.entry(n - 1).map(Some),
        }
    }

    /// The current value: the latest checkpoint's, if any.
    pub fn latest(&self) -> Result<Option<V>> {
        Ok(self.latest_checkpoint()?.map(|cp| cp.value.clone()))
    }

    /// Records that the value is `value` from `epoch` on.
    ///
    /// `epoch` must not be before the latest checkpoint's epoch, the last recorded change
    /// (`USR_ILLEGAL_ARGUMENT` otherwise), so a recorded change is never rewritten. Callers
    /// normally pass the current epoch, which never decreases.
    ///
    /// The stored history is kept canonical (one checkpoint per change of value): recording the
    /// current value again writes nothing, a second value at the latest checkpoint's epoch
    /// replaces it, and a value that undoes that epoch's change removes the checkpoint. A push
    /// that wrote nothing leaves no trace, so it does not constrain the epochs of later pushes.
    pub fn push(&mut self, epoch: ChainEpoch, value: V) -> Result<()> {
        let n = self.len();
        if n == 0 {
            self.vector.push(Checkpoint { epoch, value })?;
            return Ok(());
        }
        let last = self.entry(n - 1)?;
        if epoch < last.epoch {
            return Err(ActorError::illegal_argument(format!(
                "{}: checkpoint epoch {epoch} is before the latest checkpoint's epoch {}",
                self.vector.name(),
                last.epoch
            )));
        }
        if last.value == value {
            return Ok(());
        }
        if epoch > last.epoch {
            self.vector.push(Checkpoint { epoch, value })?;
        } else if n >= 2 && self.entry(n - 2)?.value == value {
            // The change made at this epoch is undone: the previous checkpoint holds again.
            self.vector.delete(n - 1)?;
        } else {
            self.vector.set(n - 1, Checkpoint { epoch, value })?;
        }
        Ok(())
    }

    /// The value at `epoch`: that of the last checkpoint whose epoch is `<= epoch`, or `None` if
    /// `epoch` is before the first checkpoint.
    ///
    /// Checks the latest checkpoint first (the common case of a recent epoch), then binary
    /// searches: O(log n) AMT reads.
    pub fn at(&self, epoch: ChainEpoch) -> Result<Option<V>> {
        let n = self.len();
        if n == 0 {
            return Ok(None);
        }
        let last = self.entry(n - 1)?;
        if last.epoch <= epoch {
            return Ok(Some(last.value.clone()));
        }
        // Invariant: checkpoints below `lo` have epoch <= `epoch`, those at or above `hi` have a
        // later epoch; `best` is checkpoint `lo - 1`.
        let (mut lo, mut hi) = (0, n - 1);
        let mut best: Option<&Checkpoint<V>> = None;
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let cp = self.entry(mid)?;
            if cp.epoch <= epoch {
                best = Some(cp);
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        Ok(best.map(|cp| cp.value.clone()))
    }

    /// The blockstore the history reads and writes.
    pub fn store(&self) -> &BS {
        self.vector.store()
    }

    fn entry(&self, i: u64) -> Result<&Checkpoint<V>> {
        self.vector.get(i)?.ok_or_else(|| {
            ActorError::illegal_state(format!(
                "{}: checkpoint {i} of {} is missing",
                self.vector.name(),
                self.len()
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use fvm_ipld_blockstore::tracking::TrackingBlockstore;
    use fvm_ipld_blockstore::MemoryBlockstore;
    use fvm_shared::error::ExitCode;
    use proptest::prelude::*;

    use super::*;

    fn history(points: &[(ChainEpoch, u64)]) -> Vec<Checkpoint<u64>> {
        points.iter().map(|&(epoch, value)| Checkpoint { epoch, value }).collect()
    }

    fn contents<BS: Blockstore>(c: &Checkpoints<BS, u64>) -> Vec<Checkpoint<u64>> {
        (0..c.len()).map(|i| c.checkpoint(i).unwrap().unwrap().clone()).collect()
    }

    #[test]
    fn empty_history_has_no_value() {
        let store = MemoryBlockstore::new();
        let c: Checkpoints<_, u64> = Checkpoints::empty(&store, "c");
        assert!(c.is_empty());
        assert_eq!(c.latest().unwrap(), None);
        assert_eq!(c.at(0).unwrap(), None);
        assert_eq!(c.at(ChainEpoch::MAX).unwrap(), None);
        assert_eq!(c.checkpoint(0).unwrap(), None);
    }

    #[test]
    fn push_compresses_unchanged_and_same_epoch_values() {
        let store = MemoryBlockstore::new();
        let mut c: Checkpoints<_, u64> = Checkpoints::empty(&store, "c");
        c.push(5, 1).unwrap();
        c.push(6, 1).unwrap(); // unchanged
        assert_eq!(contents(&c), history(&[(5, 1)]));
        c.push(8, 2).unwrap();
        c.push(8, 3).unwrap(); // same epoch: overwrite
        assert_eq!(contents(&c), history(&[(5, 1), (8, 3)]));
        c.push(8, 1).unwrap(); // back to the previous value at the same epoch: dropped
        assert_eq!(contents(&c), history(&[(5, 1)]));
        c.push(9, 4).unwrap();
        c.push(12, 1).unwrap();
        assert_eq!(contents(&c), history(&[(5, 1), (9, 4), (12, 1)]));
        assert_eq!(c.latest().unwrap(), Some(1));
        assert_eq!(c.latest_checkpoint().unwrap(), Some(&Checkpoint { epoch: 12, value: 1 }));
    }

    #[test]
    fn epochs_must_not_decrease() {
        let store = MemoryBlockstore::new();
        let mut c: Checkpoints<_, u64> = Checkpoints::empty(&store, "power");
        c.push(10, 1).unwrap();
        let e = c.push(9, 2).unwrap_err();
        assert_eq!(e.code(), ExitCode::USR_ILLEGAL_ARGUMENT);
        assert_eq!(
            e.message(),
            "power: checkpoint epoch 9 is before the latest checkpoint's epoch 10"
        );
        // Even an unchanged value at an earlier epoch is refused, and nothing changed.
        assert!(c.push(9, 1).is_err());
        assert_eq!(contents(&c), history(&[(10, 1)]));
    }

    #[test]
    fn at_finds_the_last_checkpoint_not_after_the_epoch() {
        let store = MemoryBlockstore::new();
        let mut c: Checkpoints<_, u64> = Checkpoints::empty(&store, "c");
        for i in 0..100 {
            c.push(-50 + i * 10, i as u64).unwrap();
        }
        let root = c.flush().unwrap();
        let c: Checkpoints<_, u64> = Checkpoints::load(&store, &root, "c").unwrap();
        assert_eq!(c.len(), 100);
        assert_eq!(c.at(-51).unwrap(), None);
        assert_eq!(c.at(ChainEpoch::MIN).unwrap(), None);
        for i in 0..100i64 {
            let epoch = -50 + i * 10;
            assert_eq!(c.at(epoch).unwrap(), Some(i as u64));
            assert_eq!(c.at(epoch + 9).unwrap(), Some(i as u64));
        }
        assert_eq!(c.at(ChainEpoch::MAX).unwrap(), Some(99));
    }

    #[test]
    fn at_reads_a_logarithmic_number_of_blocks() {
        let base = MemoryBlockstore::new();
        let n = 4096u64;
        let root = {
            let mut c: Checkpoints<_, u64> = Checkpoints::empty(&base, "c");
            for i in 0..n {
                c.push(i as ChainEpoch * 2, i).unwrap();
            }
            c.flush().unwrap()
        };
        let mut max_reads = 0;
        for target in [1, 777, 2048, 4000, 8189] {
            let store = TrackingBlockstore::new(&base);
            let c: Checkpoints<_, u64> = Checkpoints::load(&store, &root, "c").unwrap();
            assert_eq!(c.at(target).unwrap(), Some(target as u64 / 2));
            max_reads = max_reads.max(store.stats.borrow().r);
        }
        // 4096 checkpoints at bit width 3 fill 512 leaves under a tree of height 4; a binary
        // search touches 12 of them plus shared interior nodes (a scan would read ~600 blocks).
        assert!(max_reads <= 30, "at() read {max_reads} blocks");

        // The fast path: the latest epoch needs only the path to the last leaf.
        let store = TrackingBlockstore::new(&base);
        let c: Checkpoints<_, u64> = Checkpoints::load(&store, &root, "c").unwrap();
        assert_eq!(c.at(10_000).unwrap(), Some(n - 1));
        assert!(store.stats.borrow().r <= 6, "fast path read {} blocks", store.stats.borrow().r);
    }

    #[test]
    fn loading_a_missing_root_names_the_history() {
        let store = MemoryBlockstore::new();
        let elsewhere = MemoryBlockstore::new();
        let mut c: Checkpoints<_, u64> = Checkpoints::empty(&elsewhere, "c");
        for epoch in 0..100 {
            c.push(epoch, epoch as u64).unwrap();
        }
        let root = c.flush().unwrap();
        let e = Checkpoints::<_, u64>::load(&store, &root, "votes").unwrap_err();
        assert_eq!(e.code(), ExitCode::USR_ILLEGAL_STATE);
        assert!(e.message().starts_with("votes: failed to load"), "{}", e.message());
    }

    #[test]
    fn short_histories_cost_no_block() {
        let store = MemoryBlockstore::new();
        let empty = Checkpoints::<_, u64>::flush_empty(&store).unwrap();
        let mut c: Checkpoints<_, u64> = Checkpoints::load(&store, &empty, "c").unwrap();
        c.push(5, 1).unwrap();
        let root = c.flush().unwrap();
        assert_eq!(root.hash().code(), crate::inline::IDENTITY);
        assert!(store.get(&root).unwrap().is_none(), "nothing was written");
        let c: Checkpoints<_, u64> = Checkpoints::load(&store, &root, "c").unwrap();
        assert_eq!(c.at(7).unwrap(), Some(1));
    }

    #[test]
    fn a_hole_in_the_history_is_illegal_state() {
        let store = MemoryBlockstore::new();
        let mut raw: Vector<_, Checkpoint<u64>> = Vector::empty(&store, HISTORY_CONFIG, "c");
        raw.set(0, Checkpoint { epoch: 1, value: 1 }).unwrap();
        raw.set(5, Checkpoint { epoch: 9, value: 2 }).unwrap(); // count 2, index 1 missing
        let root = raw.flush().unwrap();
        let c: Checkpoints<_, u64> = Checkpoints::load(&store, &root, "c").unwrap();
        let e = c.latest().unwrap_err();
        assert_eq!(e.code(), ExitCode::USR_ILLEGAL_STATE);
        assert_eq!(e.message(), "c: checkpoint 1 of 2 is missing");
    }

    /// The naive model: every accepted push, in order. A push sets the value from its epoch on,
    /// so the value at an epoch is that of the most recent push at or before that epoch.
    fn model_at(pushes: &[(ChainEpoch, u64)], epoch: ChainEpoch) -> Option<u64> {
        pushes.iter().rev().find(|(e, _)| *e <= epoch).map(|(_, v)| *v)
    }

    /// The epoch of the model's last change of value (where a push is accepted from).
    fn model_last_change(pushes: &[(ChainEpoch, u64)]) -> Option<ChainEpoch> {
        pushes
            .iter()
            .map(|(e, _)| *e)
            .filter(|e| model_at(pushes, e - 1) != model_at(pushes, *e))
            .max()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(96))]

        #[test]
        fn at_matches_a_naive_model(
            steps in proptest::collection::vec((-3i64..6, 0u64..4, any::<bool>()), 0..80),
            probes in proptest::collection::vec(-20i64..300, 1..30),
        ) {
            let store = MemoryBlockstore::new();
            let mut c: Checkpoints<_, u64> = Checkpoints::empty(&store, "c");
            let mut pushes: Vec<(ChainEpoch, u64)> = vec![];
            let mut epoch = 0;
            for (delta, value, reload) in steps {
                epoch += delta;
                let last_change = model_last_change(&pushes);
                prop_assert_eq!(c.latest_checkpoint().unwrap().map(|cp| cp.epoch), last_change);
                let result = c.push(epoch, value);
                if last_change.is_some_and(|last| epoch < last) {
                    prop_assert_eq!(result.unwrap_err().code(), ExitCode::USR_ILLEGAL_ARGUMENT);
                    epoch = last_change.unwrap_or(epoch);
                } else {
                    result.unwrap();
                    pushes.push((epoch, value));
                }
                if reload {
                    let root = c.flush().unwrap();
                    c = Checkpoints::load(&store, &root, "c").unwrap();
                }
                prop_assert_eq!(c.latest().unwrap(), pushes.last().map(|p| p.1));
            }
            for probe in probes {
                prop_assert_eq!(c.at(probe).unwrap(), model_at(&pushes, probe), "at({})", probe);
            }
            // Stored checkpoints: strictly increasing epochs, consecutive values differ.
            let stored = contents(&c);
            for pair in stored.windows(2) {
                prop_assert!(pair[0].epoch < pair[1].epoch);
                prop_assert!(pair[0].value != pair[1].value);
            }
            // And each checkpoint's value is the model's at its epoch.
            for cp in &stored {
                prop_assert_eq!(Some(cp.value), model_at(&pushes, cp.epoch));
            }
        }
    }
}
