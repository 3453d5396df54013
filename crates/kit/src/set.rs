//! [`Set`]: a named set of keys, stored as a HAMT mapping each key to `null` (as the builtin
//! actors' sets are).
use cid::Cid;
use fvm_ipld_blockstore::Blockstore;

use crate::map::{Map, MapConfig, MapKey};
use crate::Result;

/// A set of `K` over a [`Map<BS, K, ()>`](Map), with a name that appears in every error.
///
/// ```
/// use actorlib_kit::{MapConfig, Set};
/// use fvm_ipld_blockstore::MemoryBlockstore;
///
/// let store = MemoryBlockstore::new();
/// let mut operators: Set<_, u64> = Set::empty(&store, MapConfig::DEFAULT, "operators");
/// assert!(operators.insert(7).unwrap());
/// assert!(!operators.insert(7).unwrap()); // already there
/// let root = operators.flush().unwrap();
///
/// let mut operators: Set<_, u64> = Set::load(&store, &root, MapConfig::DEFAULT, "operators").unwrap();
/// assert!(operators.contains(&7).unwrap());
/// assert!(operators.remove(&7).unwrap());
/// assert!(!operators.contains(&7).unwrap());
/// ```
pub struct Set<BS: Blockstore, K: MapKey> {
    map: Map<BS, K, ()>,
}

impl<BS: Blockstore, K: MapKey> std::fmt::Debug for Set<BS, K> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Set").field("name", &self.map.name()).finish()
    }
}

impl<BS: Blockstore, K: MapKey> Set<BS, K> {
    /// A new, empty set (nothing is written until [`Set::flush`]).
    pub fn empty(store: BS, config: MapConfig, name: &'static str) -> Self {
        Self { map: Map::empty(store, config, name) }
    }

    /// Loads the set rooted at `root`, created with the same `config`. A root that is not in the
    /// store is a `USR_ILLEGAL_STATE` error naming the set.
    pub fn load(store: BS, root: &Cid, config: MapConfig, name: &'static str) -> Result<Self> {
        Ok(Self { map: Map::load(store, root, config, name)? })
    }

    /// Writes every modified node to the store and returns the root CID.
    pub fn flush(&mut self) -> Result<Cid> {
        self.map.flush()
    }

    /// Adds `key`; returns whether it was new.
    pub fn insert(&mut self, key: K) -> Result<bool> {
        self.map.set_if_absent(key, ())
    }

    /// Whether `key` is in the set.
    pub fn contains(&self, key: &K) -> Result<bool> {
        self.map.contains_key(key)
    }

    /// Removes `key`; returns whether it was there.
    pub fn remove(&mut self, key: &K) -> Result<bool> {
        Ok(self.map.delete(key)?.is_some())
    }

    /// Whether the set has no keys.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Calls `f` on every key, in the HAMT's order. Stops at, and returns, the first error of `f`.
    pub fn for_each<F>(&self, mut f: F) -> Result<()>
    where
        F: FnMut(K) -> Result<()>,
    {
        self.map.for_each(|k, _| f(k))
    }

    /// Calls `f` on at most `limit` keys starting at `start` (or at the first key) and returns the
    /// key to start the next page at, or `None` when done. Same cursor rules as
    /// [`Map::for_each_from`]: a cursor whose key has been removed is `USR_ILLEGAL_ARGUMENT`.
    ///
    /// ```
    /// use actorlib_kit::{MapConfig, Set};
    /// use fvm_ipld_blockstore::MemoryBlockstore;
    ///
    /// let store = MemoryBlockstore::new();
    /// let mut s: Set<_, String> = Set::empty(&store, MapConfig::DEFAULT, "names");
    /// for name in ["ann", "bob", "cy", "dee", "eve"] {
    ///     s.insert(name.to_string()).unwrap();
    /// }
    /// let mut all = vec![];
    /// let mut cursor = None;
    /// loop {
    ///     cursor = s.for_each_from(cursor.as_ref(), 2, |k| {
    ///         all.push(k);
    ///         Ok(())
    ///     }).unwrap();
    ///     if cursor.is_none() {
    ///         break;
    ///     }
    /// }
    /// all.sort();
    /// assert_eq!(all, ["ann", "bob", "cy", "dee", "eve"]);
    /// ```
    pub fn for_each_from<F>(&self, start: Option<&K>, limit: usize, mut f: F) -> Result<Option<K>>
    where
        F: FnMut(K) -> Result<()>,
    {
        self.map.for_each_from(start, limit, |k, _| f(k))
    }

    /// The set's name, as it appears in errors.
    pub fn name(&self) -> &'static str {
        self.map.name()
    }

    /// The blockstore the set reads and writes.
    pub fn store(&self) -> &BS {
        self.map.store()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use fvm_ipld_blockstore::MemoryBlockstore;
    use fvm_shared::address::Address;
    use fvm_shared::error::ExitCode;

    use super::*;
    use crate::ActorError;

    #[test]
    fn insert_contains_remove() {
        let store = MemoryBlockstore::new();
        let mut s: Set<_, Address> = Set::empty(&store, MapConfig::DEFAULT, "s");
        assert!(s.is_empty());
        let a = Address::new_id(1);
        let b = Address::new_actor(b"b");
        assert!(s.insert(a).unwrap());
        assert!(s.insert(b).unwrap());
        assert!(!s.insert(a).unwrap());
        assert!(s.contains(&a).unwrap());
        assert!(!s.contains(&Address::new_id(2)).unwrap());
        assert!(s.remove(&a).unwrap());
        assert!(!s.remove(&a).unwrap());
        assert!(!s.contains(&a).unwrap());
        assert!(!s.is_empty());
        assert_eq!(s.name(), "s");
        assert!(std::ptr::eq(*s.store(), &store));
    }

    #[test]
    fn flush_load_round_trip_matches_a_map_of_nulls() {
        let store = MemoryBlockstore::new();
        let mut s: Set<_, u64> = Set::empty(&store, MapConfig::DEFAULT, "s");
        let mut m: Map<_, u64, ()> = Map::empty(&store, MapConfig::DEFAULT, "m");
        for i in 0..100 {
            s.insert(i * 7).unwrap();
            m.set(i * 7, ()).unwrap();
        }
        let root = s.flush().unwrap();
        assert_eq!(root, m.flush().unwrap());
        let loaded: Set<_, u64> = Set::load(&store, &root, MapConfig::DEFAULT, "s").unwrap();
        let mut all = BTreeSet::new();
        loaded
            .for_each(|k| {
                all.insert(k);
                Ok(())
            })
            .unwrap();
        assert_eq!(all, (0..100).map(|i| i * 7).collect());
    }

    #[test]
    fn loading_a_missing_root_names_the_set() {
        let store = MemoryBlockstore::new();
        let mut other: Set<_, u64> = Set::empty(MemoryBlockstore::new(), MapConfig::DEFAULT, "o");
        other.insert(1).unwrap();
        let root = other.flush().unwrap();
        let e = Set::<_, u64>::load(&store, &root, MapConfig::DEFAULT, "signers").unwrap_err();
        assert_eq!(e.code(), ExitCode::USR_ILLEGAL_STATE);
        assert!(e.message().starts_with("signers: failed to load"), "{}", e.message());
    }

    #[test]
    fn paginated_iteration_across_pages_and_inserts() {
        let store = MemoryBlockstore::new();
        let mut s: Set<_, u64> = Set::empty(&store, MapConfig::DEFAULT, "s");
        for i in 0..40 {
            s.insert(i).unwrap();
        }
        let mut seen = BTreeSet::new();
        let mut cursor = None;
        let mut pages = 0;
        loop {
            cursor = s
                .for_each_from(cursor.as_ref(), 6, |k| {
                    assert!(seen.insert(k), "{k} visited twice");
                    Ok(())
                })
                .unwrap();
            pages += 1;
            if cursor.is_none() {
                break;
            }
            if pages == 2 {
                // The cursor stays valid after an insert.
                s.insert(1000).unwrap();
            }
        }
        assert!(pages >= 7);
        assert!((0..40).all(|k| seen.contains(&k)));

        let e = s.for_each_from(Some(&5000), 6, |_| Ok(())).unwrap_err();
        assert_eq!(e.code(), ExitCode::USR_ILLEGAL_ARGUMENT);
        let e = s.for_each(|_| Err(ActorError::forbidden("no"))).unwrap_err();
        assert_eq!(e, ActorError::forbidden("no"));
    }
}
