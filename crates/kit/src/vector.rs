//! [`Vector`]: a typed, named array over an AMT (`fvm_ipld_amt`), indexed by `u64`.
//!
//! Like [`crate::Map`], every vector has a name that prefixes its errors, and is loaded with the
//! configuration it was created with (the bit width is recorded in the AMT's root; whether small
//! nodes are written inline is the configuration's).
//!
//! ```
//! use actorlib_kit::{Vector, VectorConfig};
//! use fvm_ipld_blockstore::MemoryBlockstore;
//!
//! let store = MemoryBlockstore::new();
//! let mut log: Vector<_, String> = Vector::empty(&store, VectorConfig::DEFAULT, "log");
//! assert_eq!(log.push("first".to_string()).unwrap(), 0);
//! assert_eq!(log.push("second".to_string()).unwrap(), 1);
//! let root = log.flush().unwrap();
//!
//! let log: Vector<_, String> = Vector::load(&store, &root, VectorConfig::DEFAULT, "log").unwrap();
//! assert_eq!(log.count(), 2);
//! assert_eq!(log.get(1).unwrap().map(String::as_str), Some("second"));
//! ```
use std::fmt;
use std::sync::Arc;

use cid::Cid;
use fvm_ipld_amt::{Amt, MAX_INDEX};
use fvm_ipld_blockstore::Blockstore;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::inline::Inline;
use crate::map::traverse;
use crate::{ActorError, Result};

/// How a new [`Vector`]'s AMT is laid out (the AMT stores it in its root).
///
/// ```
/// use actorlib_kit::VectorConfig;
///
/// assert_eq!(VectorConfig::DEFAULT.bit_width, 3);
/// let wide = VectorConfig { bit_width: 5, ..VectorConfig::DEFAULT };
/// assert_ne!(wide, VectorConfig::DEFAULT);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VectorConfig {
    /// Each node has `2^bit_width` slots. Must be in `1..=8`; a vector created with any other
    /// value fails every access with `USR_ILLEGAL_ARGUMENT`.
    pub bit_width: u32,
    /// Whether nodes small enough are kept inside their parent rather than written as blocks of
    /// their own ([`crate::inline`]). Vectors are read the same either way.
    pub inline: bool,
}

impl VectorConfig {
    /// Bit width 3 (8 slots per node), the AMT's default, and every node a block.
    pub const DEFAULT: VectorConfig = VectorConfig { bit_width: 3, inline: false };
    /// The largest bit width accepted.
    pub const MAX_BIT_WIDTH: u32 = 8;

    fn is_valid(self) -> bool {
        (1..=Self::MAX_BIT_WIDTH).contains(&self.bit_width)
    }
}

impl Default for VectorConfig {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// A typed array of `V` stored in an AMT, with a name that appears in every error.
///
/// Indices need not be contiguous (the AMT is sparse), but [`Vector::push`] is meant for dense,
/// append-only use. Storage faults are `USR_ILLEGAL_STATE` errors starting with the vector's name
/// and the failed operation, e.g. `log: failed to get: ...`.
///
/// ```
/// use actorlib_kit::{Vector, VectorConfig};
/// use fvm_ipld_blockstore::MemoryBlockstore;
///
/// let store = MemoryBlockstore::new();
/// let mut v: Vector<_, u64> = Vector::empty(&store, VectorConfig::DEFAULT, "squares");
/// for i in 0..10 {
///     v.push(i * i).unwrap();
/// }
/// v.set(100, 10_000).unwrap(); // sparse set
/// assert_eq!(v.count(), 11);
/// assert_eq!(v.delete(3).unwrap(), Some(9));
/// assert_eq!(v.get(3).unwrap(), None);
///
/// let mut page = vec![];
/// let next = v.for_each_from(2, 4, |i, x| {
///     page.push((i, *x));
///     Ok(())
/// }).unwrap();
/// assert_eq!(page, vec![(2, 4), (4, 16), (5, 25), (6, 36)]);
/// assert_eq!(next, Some(7));
/// ```
pub struct Vector<BS: Blockstore, V> {
    /// The AMT has no accessor for its store, so it gets a shared handle to it.
    /// Through [`Inline`]: small nodes live inside their parent (see [`crate::inline`]).
    amt: Amt<V, Arc<Inline<BS>>>,
    store: Arc<Inline<BS>>,
    name: &'static str,
    /// Set when the vector was created with an invalid configuration (the AMT itself was then
    /// built with the default one, so that nothing panics).
    invalid_bit_width: Option<u32>,
}

impl<BS: Blockstore, V> fmt::Debug for Vector<BS, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Vector")
            .field("name", &self.name)
            .field("count", &self.amt.count())
            .finish()
    }
}

impl<BS, V> Vector<BS, V>
where
    BS: Blockstore,
    V: Serialize + DeserializeOwned,
{
    /// A new, empty vector (nothing is written until [`Vector::flush`]).
    pub fn empty(store: BS, config: VectorConfig, name: &'static str) -> Self {
        let store = Arc::new(Inline::new(store, config.inline));
        let (bit_width, invalid_bit_width) = if config.is_valid() {
            (config.bit_width, None)
        } else {
            (VectorConfig::DEFAULT.bit_width, Some(config.bit_width))
        };
        let amt = Amt::new_with_bit_width(Arc::clone(&store), bit_width);
        Self { amt, store, name, invalid_bit_width }
    }

    /// Loads the vector rooted at `root`, created with `config`. The bit width is the one recorded
    /// in the root; `config.inline` chooses how changes are written.
    ///
    /// A root that is not in the store, or is not an AMT root, is a `USR_ILLEGAL_STATE` error
    /// naming the vector.
    pub fn load(store: BS, root: &Cid, config: VectorConfig, name: &'static str) -> Result<Self> {
        let store = Arc::new(Inline::new(store, config.inline));
        let amt = Amt::load(root, Arc::clone(&store))
            .map_err(|e| ActorError::from(e).wrap(format_args!("{name}: failed to load {root}")))?;
        Ok(Self { amt, store, name, invalid_bit_width: None })
    }

    /// Writes an empty vector with this configuration to `store` and returns its root.
    ///
    /// ```
    /// use actorlib_kit::{Vector, VectorConfig};
    /// use fvm_ipld_blockstore::MemoryBlockstore;
    ///
    /// let store = MemoryBlockstore::new();
    /// let root = Vector::<_, u64>::flush_empty(&store, VectorConfig::DEFAULT).unwrap();
    /// assert_eq!(Vector::<_, u64>::load(&store, &root, VectorConfig::DEFAULT, "v").unwrap().count(), 0);
    /// ```
    pub fn flush_empty(store: BS, config: VectorConfig) -> Result<Cid> {
        Self::empty(store, config, "empty vector").flush()
    }

    /// Writes every modified node to the store and returns the root CID.
    pub fn flush(&mut self) -> Result<Cid> {
        self.check()?;
        self.amt.flush().map_err(|e| self.fault("flush", e))
    }

    /// The value at index `i`, if any.
    pub fn get(&self, i: u64) -> Result<Option<&V>> {
        self.check()?;
        self.check_index(i)?;
        self.amt.get(i).map_err(|e| self.fault("get", e))
    }

    /// Stores `value` at index `i` (indices up to `u64::MAX - 1`), replacing any value there.
    pub fn set(&mut self, i: u64, value: V) -> Result<()> {
        self.check()?;
        self.check_index(i)?;
        self.amt.set(i, value).map_err(|e| self.fault("set", e))
    }

    /// Appends `value` at index [`Vector::count`] and returns that index.
    ///
    /// This assumes a dense vector (indices `0..count` all set), as an append-only log is. On a
    /// vector with holes, index `count` may already be taken: then nothing is written and the
    /// call fails with `USR_ILLEGAL_STATE`.
    pub fn push(&mut self, value: V) -> Result<u64> {
        self.check()?;
        let i = self.amt.count();
        self.check_index(i)?;
        if self.amt.get(i).map_err(|e| self.fault("push", e))?.is_some() {
            return Err(ActorError::illegal_state(format!(
                "{}: cannot push: index {i} (the count) is taken, the vector is not dense",
                self.name
            )));
        }
        self.amt.set(i, value).map_err(|e| self.fault("push", e))?;
        Ok(i)
    }

    /// Removes the value at index `i`, returning it. Other indices are unchanged.
    pub fn delete(&mut self, i: u64) -> Result<Option<V>> {
        self.check()?;
        self.check_index(i)?;
        self.amt.delete(i).map_err(|e| self.fault("delete", e))
    }

    /// The number of values stored (not the largest index plus one, if the vector has holes).
    pub fn count(&self) -> u64 {
        self.amt.count()
    }

    /// Whether the vector holds no values.
    pub fn is_empty(&self) -> bool {
        self.amt.count() == 0
    }

    /// Calls `f` on every value in index order. Stops at, and returns, the first error of `f`.
    pub fn for_each<F>(&self, mut f: F) -> Result<()>
    where
        F: FnMut(u64, &V) -> Result<()>,
    {
        self.check()?;
        traverse(self.name, "iterate", |stop| self.amt.for_each(|i, v| f(i, v).map_err(&mut *stop)))
    }

    /// Calls `f` on at most `limit` values with index `>= start`, in index order, and returns the
    /// index to start the next page at, or `None` when no values remain. As indices do not move,
    /// the cursor stays valid whatever is written between pages.
    pub fn for_each_from<F>(&self, start: u64, limit: usize, mut f: F) -> Result<Option<u64>>
    where
        F: FnMut(u64, &V) -> Result<()>,
    {
        self.check()?;
        if start > MAX_INDEX {
            return Ok(None);
        }
        let limit = u64::try_from(limit).unwrap_or(u64::MAX);
        let (_, next) = traverse(self.name, "iterate", |stop| {
            self.amt.for_each_ranged(Some(start), Some(limit), |i, v| f(i, v).map_err(&mut *stop))
        })?;
        Ok(next)
    }

    /// The vector's name, as it appears in errors.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The blockstore the vector reads and writes.
    pub fn store(&self) -> &BS {
        self.store.inner()
    }

    fn check(&self) -> Result<()> {
        match self.invalid_bit_width {
            None => Ok(()),
            Some(bit_width) => Err(ActorError::illegal_argument(format!(
                "{}: invalid AMT bit width {bit_width} (must be 1..={})",
                self.name,
                VectorConfig::MAX_BIT_WIDTH
            ))),
        }
    }

    fn check_index(&self, i: u64) -> Result<()> {
        if i > MAX_INDEX {
            return Err(ActorError::illegal_argument(format!(
                "{}: index {i} is out of range (max {MAX_INDEX})",
                self.name
            )));
        }
        Ok(())
    }

    fn fault(&self, op: &str, e: fvm_ipld_amt::Error) -> ActorError {
        ActorError::from(e).wrap(format_args!("{}: failed to {op}", self.name))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use fvm_ipld_blockstore::MemoryBlockstore;
    use fvm_shared::error::ExitCode;
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn push_get_set_delete() {
        let store = MemoryBlockstore::new();
        let mut v: Vector<_, String> = Vector::empty(&store, VectorConfig::DEFAULT, "v");
        assert!(v.is_empty());
        for i in 0..20u64 {
            assert_eq!(v.push(format!("#{i}")).unwrap(), i);
        }
        assert_eq!(v.count(), 20);
        assert_eq!(v.get(7).unwrap().map(String::as_str), Some("#7"));
        assert_eq!(v.get(20).unwrap(), None);
        v.set(7, "seven".into()).unwrap();
        assert_eq!(v.count(), 20, "overwriting does not change the count");
        assert_eq!(v.get(7).unwrap().map(String::as_str), Some("seven"));
        assert_eq!(v.delete(19).unwrap(), Some("#19".to_string()));
        assert_eq!(v.delete(19).unwrap(), None);
        assert_eq!(v.count(), 19);
        // Deleting the last element keeps the vector dense: push reuses the index.
        assert_eq!(v.push("again".into()).unwrap(), 19);
        assert_eq!(v.name(), "v");
        assert!(std::ptr::eq(*v.store(), &store));
    }

    #[test]
    fn flush_load_round_trip_keeps_the_bit_width() {
        let store = MemoryBlockstore::new();
        let wide = VectorConfig { bit_width: 5, ..VectorConfig::DEFAULT };
        let mut v: Vector<_, u64> = Vector::empty(&store, wide, "v");
        for i in 0..50 {
            v.push(i * 3).unwrap();
        }
        let root = v.flush().unwrap();
        assert_eq!(v.flush().unwrap(), root);

        let mut loaded: Vector<_, u64> = Vector::load(&store, &root, wide, "v").unwrap();
        assert_eq!(loaded.count(), 50);
        for i in 0..50 {
            assert_eq!(loaded.get(i).unwrap(), Some(&(i * 3)));
        }
        for i in 50..100 {
            loaded.push(i * 3).unwrap();
        }
        let continued = loaded.flush().unwrap();

        // Same content built in one go with the same bit width: same root; another width differs.
        let mut direct: Vector<_, u64> = Vector::empty(&store, wide, "v");
        let mut narrow: Vector<_, u64> = Vector::empty(&store, VectorConfig::DEFAULT, "v");
        for i in 0..100 {
            direct.push(i * 3).unwrap();
            narrow.push(i * 3).unwrap();
        }
        assert_eq!(direct.flush().unwrap(), continued);
        assert_ne!(narrow.flush().unwrap(), continued);

        let empty = Vector::<_, u64>::flush_empty(&store, wide).unwrap();
        assert_eq!(
            Vector::<_, u64>::load(&store, &empty, VectorConfig::DEFAULT, "v").unwrap().count(),
            0
        );
    }

    #[test]
    fn loading_a_missing_root_names_the_vector() {
        let store = MemoryBlockstore::new();
        let root =
            Vector::<_, u64>::flush_empty(MemoryBlockstore::new(), VectorConfig::DEFAULT).unwrap();
        let e =
            Vector::<_, u64>::load(&store, &root, VectorConfig::DEFAULT, "proposals").unwrap_err();
        assert_eq!(e.code(), ExitCode::USR_ILLEGAL_STATE);
        assert!(e.message().starts_with("proposals: failed to load"), "{}", e.message());
    }

    #[test]
    fn values_of_the_wrong_type_are_illegal_state() {
        let store = MemoryBlockstore::new();
        let mut v: Vector<_, String> = Vector::empty(&store, VectorConfig::DEFAULT, "names");
        v.push("x".into()).unwrap();
        let root = v.flush().unwrap();
        let e = Vector::<_, u64>::load(&store, &root, VectorConfig::DEFAULT, "names")
            .and_then(|v| v.get(0).map(|x| x.copied()));
        let e = match e {
            Err(e) => e,
            Ok(_) => panic!("decoding a string as u64 succeeded"),
        };
        assert_eq!(e.code(), ExitCode::USR_ILLEGAL_STATE);
        assert!(e.message().starts_with("names: failed to"), "{}", e.message());
    }

    #[test]
    fn invalid_bit_width_is_an_error_not_a_panic() {
        let store = MemoryBlockstore::new();
        for bit_width in [0, 9, 64, u32::MAX] {
            let mut v: Vector<_, u64> =
                Vector::empty(&store, VectorConfig { bit_width, ..VectorConfig::DEFAULT }, "bad");
            let e = v.push(1).unwrap_err();
            assert_eq!(e.code(), ExitCode::USR_ILLEGAL_ARGUMENT);
            assert!(e.message().starts_with("bad: invalid AMT bit width"), "{}", e.message());
            assert!(v.set(5, 1).is_err());
            assert!(v.get(0).is_err());
            assert!(v.flush().is_err());
            assert!(v.for_each(|_, _| Ok(())).is_err());
        }
    }

    #[test]
    fn push_refuses_to_overwrite_in_a_sparse_vector() {
        let store = MemoryBlockstore::new();
        let mut v: Vector<_, u64> = Vector::empty(&store, VectorConfig::DEFAULT, "v");
        for i in 0..3 {
            v.push(i).unwrap();
        }
        v.delete(0).unwrap(); // count is now 2, but index 2 is taken
        let e = v.push(99).unwrap_err();
        assert_eq!(e.code(), ExitCode::USR_ILLEGAL_STATE);
        assert!(e.message().starts_with("v: cannot push"), "{}", e.message());
        assert_eq!(v.get(2).unwrap(), Some(&2));
        assert_eq!(v.count(), 2);
    }

    #[test]
    fn indices_beyond_the_maximum_are_illegal_arguments() {
        let store = MemoryBlockstore::new();
        let mut v: Vector<_, u64> = Vector::empty(&store, VectorConfig::DEFAULT, "v");
        v.set(MAX_INDEX, 1).unwrap();
        assert_eq!(v.get(MAX_INDEX).unwrap(), Some(&1));
        for e in [v.set(u64::MAX, 1).unwrap_err(), v.get(u64::MAX).unwrap_err()] {
            assert_eq!(e.code(), ExitCode::USR_ILLEGAL_ARGUMENT);
            assert!(e.message().starts_with("v: index"), "{}", e.message());
        }
        assert_eq!(v.for_each_from(u64::MAX, 10, |_, _| Ok(())).unwrap(), None);
    }

    #[test]
    fn pagination_with_a_cursor_that_survives_writes() {
        let store = MemoryBlockstore::new();
        let mut v: Vector<_, u64> = Vector::empty(&store, VectorConfig::DEFAULT, "v");
        for i in 0..25 {
            v.push(i).unwrap();
        }
        let mut seen = vec![];
        let mut cursor = Some(0);
        let mut pages = 0;
        while let Some(start) = cursor {
            let mut n = 0;
            cursor = v
                .for_each_from(start, 10, |i, x| {
                    assert_eq!(i, *x);
                    seen.push(i);
                    n += 1;
                    Ok(())
                })
                .unwrap();
            pages += 1;
            if pages == 1 {
                assert_eq!((n, cursor), (10, Some(10)));
                // Writes between pages: behind the cursor (not visited), ahead of it (visited).
                v.set(3, 3).unwrap();
                v.push(25).unwrap();
                v.set(40, 40).unwrap();
            }
        }
        assert_eq!(pages, 3);
        let expected: Vec<u64> = (0..26).chain([40]).collect();
        assert_eq!(seen, expected);

        // A hole at the cursor: the next page starts at the next value.
        v.delete(12).unwrap();
        let mut page = vec![];
        let next = v
            .for_each_from(12, 2, |i, _| {
                page.push(i);
                Ok(())
            })
            .unwrap();
        assert_eq!((page, next), (vec![13, 14], Some(15)));
    }

    #[test]
    fn callback_errors_are_returned_unchanged() {
        let store = MemoryBlockstore::new();
        let mut v: Vector<_, u64> = Vector::empty(&store, VectorConfig::DEFAULT, "v");
        for i in 0..10 {
            v.push(i).unwrap();
        }
        let e = v
            .for_each(|i, _| if i == 4 { Err(ActorError::forbidden("four")) } else { Ok(()) })
            .unwrap_err();
        assert_eq!(e, ActorError::forbidden("four"));
        let e = v.for_each_from(5, 3, |_, _| Err(ActorError::not_found("x"))).unwrap_err();
        assert_eq!(e, ActorError::not_found("x"));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn behaves_like_a_btreemap(
            ops in proptest::collection::vec((0u8..4, 0u64..300, any::<u32>()), 0..150),
            page in 1usize..40,
            inline in any::<bool>(),
        ) {
            // Small nodes inline or not, the same vector.
            let store = MemoryBlockstore::new();
            let config = VectorConfig { bit_width: 2, inline };
            let mut v: Vector<_, u32> = Vector::empty(&store, config, "v");
            let mut model = BTreeMap::new();
            for (kind, i, x) in ops {
                match kind {
                    0 => {
                        v.set(i, x).unwrap();
                        model.insert(i, x);
                    }
                    1 => prop_assert_eq!(v.delete(i).unwrap(), model.remove(&i)),
                    2 => {
                        let root = v.flush().unwrap();
                        v = Vector::load(&store, &root, config, "v").unwrap();
                    }
                    _ => prop_assert_eq!(v.get(i).unwrap(), model.get(&i)),
                }
                prop_assert_eq!(v.count(), model.len() as u64);
            }
            let mut paged = vec![];
            let mut cursor = Some(0);
            while let Some(start) = cursor {
                cursor = v.for_each_from(start, page, |i, x| {
                    paged.push((i, *x));
                    Ok(())
                }).unwrap();
            }
            prop_assert_eq!(paged, model.into_iter().collect::<Vec<_>>());
        }
    }
}
