//! Collection roots kept inside their parent block ([`EmbeddedRoot`]).
//!
//! A [`crate::Vector`] or [`crate::Map`] normally lives behind a CID: its root node is a block of
//! its own. Opening a block costs about 200,000 gas and writing one about 506,000 plus its bytes,
//! so a state object whose hot collections change in every call (an NFT's token table and owners
//! map, a token's balances) pays for a root block per collection, read and written, on top of the
//! state block that links them. An embedded root is the root node's DAG-CBOR *in* the parent:
//! loading the collection opens no block for its root, and changing it writes none, since the
//! parent is written anyway. The price is that the parent carries the root's bytes (a few hundred
//! once the collection is large) in every write of it, including writes that do not touch that
//! collection: embed the roots that change together with their parent.
//!
//! The root's children are ordinary blocks, linked from the embedded bytes. The FVM sees those
//! links (the bytes are CBOR inside the parent, not a byte string), so reachability and garbage
//! collection work as for any link.
//!
//! How: the collection is loaded from a store ([`Embedded`]) that serves the embedded bytes under a
//! placeholder CID and holds back the blocks a flush writes. The flush's last block is the new
//! root: it is returned as the new [`EmbeddedRoot`] and never written; the blocks before it (the
//! changed children) are then written, in order. Holding them back means their CIDs are computed
//! in Wasm (Blake2b-256) before the FVM computes them again when writing; that costs far less than
//! the block it saves.
//!
//! ```
//! use actorlib_kit::embedded::EmbeddedRoot;
//! use actorlib_kit::{Vector, VectorConfig};
//! use fvm_ipld_blockstore::MemoryBlockstore;
//!
//! let store = MemoryBlockstore::new();
//! let config = VectorConfig { bit_width: 3, inline: true };
//! let mut v: Vector<_, u64> = Vector::load_embedded(&store, &EmbeddedRoot::empty_vector(config)?, config, "v")?;
//! for i in 0..100 {
//!     v.set(i, i * i)?;
//! }
//! let root: EmbeddedRoot = v.flush_embedded()?; // the children are written, the root is not
//! let v: Vector<_, u64> = Vector::load_embedded(&store, &root, config, "v")?;
//! assert_eq!(v.get(9)?, Some(&81));
//! # Ok::<(), actorlib_kit::ActorError>(())
//! ```
use std::cell::RefCell;
use std::fmt;

use cid::multihash::Multihash;
use cid::Cid;
use fvm_ipld_blockstore::{Block, Blockstore};
use fvm_ipld_encoding::DAG_CBOR;
use ipld_core::ipld::Ipld;
use multihash_codetable::{Code, MultihashDigest};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::inline::inline_block;
use crate::map::{Map, MapConfig, MapKey};
use crate::vector::{Vector, VectorConfig};
use crate::{ActorError, Result};

/// A collection's root node, encoded, kept inside its parent.
///
/// It encodes as that node itself (the parent's encoding contains the root's CBOR, not a byte
/// string of it), so the parent's encoding is what it would be with the node written out in place
/// of a link. Through serde this goes through an IPLD tree (convenient, not cheap); a state object
/// that actors load on every call assembles its block from the fields' bytes instead
/// ([`crate::cbor_array`]), with the root's bytes as [`EmbeddedRoot::as_cbor`] gives them.
#[derive(Clone, PartialEq, Eq)]
pub struct EmbeddedRoot(Vec<u8>);

impl EmbeddedRoot {
    /// The root held by these bytes (one CBOR item; checked when the collection is loaded).
    pub fn from_cbor(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }

    /// The root's CBOR.
    pub fn as_cbor(&self) -> &[u8] {
        &self.0
    }

    /// The root of an empty vector with `config`.
    pub fn empty_vector(config: VectorConfig) -> Result<Self> {
        let store = fvm_ipld_blockstore::MemoryBlockstore::new();
        Vector::<_, ()>::empty(Embedded::new(&store, Vec::new()), config, "empty vector")
            .flush_embedded()
    }

    /// The root of an empty map with `config`.
    pub fn empty_map(config: MapConfig) -> Result<Self> {
        let store = fvm_ipld_blockstore::MemoryBlockstore::new();
        Map::<_, u64, ()>::empty(Embedded::new(&store, Vec::new()), config, "empty map")
            .flush_embedded()
    }
}

impl fmt::Debug for EmbeddedRoot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EmbeddedRoot({} bytes)", self.0.len())
    }
}

impl Serialize for EmbeddedRoot {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let node: Ipld =
            fvm_ipld_encoding::from_slice(&self.0).map_err(serde::ser::Error::custom)?;
        node.serialize(s)
    }
}

impl<'de> Deserialize<'de> for EmbeddedRoot {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let node = Ipld::deserialize(d)?;
        fvm_ipld_encoding::to_vec(&node).map(Self).map_err(serde::de::Error::custom)
    }
}

/// The CID under which [`Embedded`] serves the embedded root: a Blake2b-256 CID of an all-zero
/// digest, which no block has.
pub fn placeholder() -> Cid {
    Cid::new_v1(DAG_CBOR, Multihash::wrap(Code::Blake2b256.into(), &[0; 32]).expect("32 bytes fit"))
}

/// A store that serves an embedded root under [`placeholder`] and holds back every block written
/// to it until [`Embedded::finish`].
pub struct Embedded<BS> {
    inner: BS,
    /// The root as last loaded or finished, and the CID it is served under (the placeholder, or
    /// the CID the collection's last flush returned).
    root: RefCell<(Cid, Vec<u8>)>,
    held: RefCell<Vec<(Cid, Vec<u8>)>>,
}

impl<BS: Blockstore> Embedded<BS> {
    /// Serves `root` (the embedded bytes) over `inner`.
    pub fn new(inner: BS, root: Vec<u8>) -> Self {
        Self { inner, root: RefCell::new((placeholder(), root)), held: RefCell::new(Vec::new()) }
    }

    /// The wrapped store.
    pub fn inner(&self) -> &BS {
        &self.inner
    }

    /// Ends a flush that returned `root`: writes the held blocks but the root, in the order they
    /// came, and returns the root's bytes.
    pub fn finish(&self, root: &Cid) -> Result<EmbeddedRoot> {
        let mut held = self.held.borrow_mut();
        let mut current = self.root.borrow_mut();
        let bytes = if *root == current.0 {
            // Unchanged since loaded or since the last flush (which returns the same root again).
            current.1.clone()
        } else if let Some(bytes) = inline_block(root) {
            bytes.to_vec()
        } else {
            let i = held.iter().position(|(c, _)| c == root).ok_or_else(|| {
                ActorError::illegal_state(format!("embedded root {root} was not written"))
            })?;
            held.remove(i).1
        };
        for (cid, data) in held.drain(..) {
            self.inner
                .put_keyed(&cid, &data)
                .map_err(|e| ActorError::illegal_state(format!("failed to write {cid}: {e}")))?;
        }
        *current = (*root, bytes.clone());
        Ok(EmbeddedRoot(bytes))
    }
}

impl<BS: Blockstore> Blockstore for Embedded<BS> {
    fn get(&self, k: &Cid) -> anyhow::Result<Option<Vec<u8>>> {
        let root = self.root.borrow();
        if *k == root.0 {
            return Ok(Some(root.1.clone()));
        }
        if let Some((_, data)) = self.held.borrow().iter().find(|(c, _)| c == k) {
            return Ok(Some(data.clone()));
        }
        self.inner.get(k)
    }

    fn has(&self, k: &Cid) -> anyhow::Result<bool> {
        Ok(*k == self.root.borrow().0
            || self.held.borrow().iter().any(|(c, _)| c == k)
            || self.inner.has(k)?)
    }

    fn put_keyed(&self, k: &Cid, block: &[u8]) -> anyhow::Result<()> {
        self.held.borrow_mut().push((*k, block.to_vec()));
        Ok(())
    }

    fn put<D>(&self, code: Code, block: &Block<D>) -> anyhow::Result<Cid>
    where
        D: AsRef<[u8]>,
    {
        let data = block.data.as_ref();
        let cid = Cid::new_v1(block.codec, code.digest(data));
        self.put_keyed(&cid, data)?;
        Ok(cid)
    }
}

impl<BS: Blockstore, V: Serialize + DeserializeOwned> Vector<Embedded<BS>, V> {
    /// Loads the vector whose root is embedded in its parent, created with `config`.
    pub fn load_embedded(
        store: BS,
        root: &EmbeddedRoot,
        config: VectorConfig,
        name: &'static str,
    ) -> Result<Self> {
        Vector::load(Embedded::new(store, root.0.clone()), &placeholder(), config, name)
    }

    /// Writes every modified node but the root, and returns the root to embed.
    pub fn flush_embedded(&mut self) -> Result<EmbeddedRoot> {
        let root = self.flush()?;
        self.store().finish(&root)
    }
}

impl<BS: Blockstore, K: MapKey, V: Serialize + DeserializeOwned> Map<Embedded<BS>, K, V> {
    /// Loads the map whose root is embedded in its parent, created with `config`.
    pub fn load_embedded(
        store: BS,
        root: &EmbeddedRoot,
        config: MapConfig,
        name: &'static str,
    ) -> Result<Self> {
        Map::load(Embedded::new(store, root.0.clone()), &placeholder(), config, name)
    }

    /// Writes every modified node but the root, and returns the root to embed.
    pub fn flush_embedded(&mut self) -> Result<EmbeddedRoot> {
        let root = self.flush()?;
        self.store().finish(&root)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fvm_ipld_blockstore::MemoryBlockstore;
    use fvm_ipld_encoding::CborStore;

    const WIDE: VectorConfig = VectorConfig { bit_width: 3, inline: true };

    /// A store that counts the blocks written to it.
    #[derive(Default)]
    struct Counted {
        store: MemoryBlockstore,
        puts: std::cell::Cell<usize>,
    }

    impl Blockstore for Counted {
        fn get(&self, k: &Cid) -> anyhow::Result<Option<Vec<u8>>> {
            self.store.get(k)
        }
        fn put_keyed(&self, k: &Cid, block: &[u8]) -> anyhow::Result<()> {
            self.puts.set(self.puts.get() + 1);
            self.store.put_keyed(k, block)
        }
    }

    fn blocks(store: &Counted) -> usize {
        store.puts.get()
    }

    #[test]
    fn the_root_is_never_written_and_equals_the_linked_root() {
        let linked = Counted::default();
        let embedded = Counted::default();
        let mut a: Vector<_, String> = Vector::empty(&linked, WIDE, "a");
        let mut b: Vector<_, String> =
            Vector::load_embedded(&embedded, &EmbeddedRoot::empty_vector(WIDE).unwrap(), WIDE, "b")
                .unwrap();
        for i in 0..200u64 {
            a.set(i * 3, format!("value {i}")).unwrap();
            b.set(i * 3, format!("value {i}")).unwrap();
        }
        let cid = a.flush().unwrap();
        let root = b.flush_embedded().unwrap();
        // The same node, as bytes: the linked vector wrote it as a block, the embedded one did not.
        assert_eq!(linked.get(&cid).unwrap().unwrap(), root.as_cbor());
        assert_eq!(blocks(&linked), blocks(&embedded) + 1);
        assert!(embedded.get(&cid).unwrap().is_none());
        // Reloaded, changed, flushed again: only the changed path is written, root held back.
        let before = blocks(&embedded);
        let mut b: Vector<_, String> = Vector::load_embedded(&embedded, &root, WIDE, "b").unwrap();
        assert_eq!(b.get(30).unwrap().map(String::as_str), Some("value 10"));
        b.set(30, "changed".into()).unwrap();
        let changed = b.flush_embedded().unwrap();
        assert_ne!(changed, root);
        assert_eq!(b.flush_embedded().unwrap(), changed, "a second flush gives the same root");
        assert!(blocks(&embedded) > before);
        let b: Vector<_, String> = Vector::load_embedded(&embedded, &changed, WIDE, "b").unwrap();
        assert_eq!(b.get(30).unwrap().map(String::as_str), Some("changed"));
        assert_eq!(b.count(), 200);
    }

    #[test]
    fn an_unchanged_collection_gives_back_its_root_and_writes_nothing() {
        let store = Counted::default();
        let config = MapConfig::default();
        let mut m: Map<_, u64, u64> =
            Map::load_embedded(&store, &EmbeddedRoot::empty_map(config).unwrap(), config, "m")
                .unwrap();
        for k in 0..100 {
            m.set(k, k + 1).unwrap();
        }
        let root = m.flush_embedded().unwrap();
        let before = blocks(&store);
        let mut m: Map<_, u64, u64> = Map::load_embedded(&store, &root, config, "m").unwrap();
        assert_eq!(m.get(&42).unwrap(), Some(&43));
        assert_eq!(m.flush_embedded().unwrap(), root);
        assert_eq!(blocks(&store), before);
    }

    #[test]
    fn serde_encodes_the_node_in_place() {
        let store = MemoryBlockstore::new();
        let mut v: Vector<_, u64> =
            Vector::load_embedded(&store, &EmbeddedRoot::empty_vector(WIDE).unwrap(), WIDE, "v")
                .unwrap();
        for i in 0..50 {
            v.set(i, i).unwrap();
        }
        let root = v.flush_embedded().unwrap();
        let parent = (7u64, root.clone());
        let bytes = fvm_ipld_encoding::to_vec(&parent).unwrap();
        let parts = crate::cbor_array::items(&bytes).unwrap();
        assert_eq!(parts[1], root.as_cbor());
        let back: (u64, EmbeddedRoot) = fvm_ipld_encoding::from_slice(&bytes).unwrap();
        assert_eq!(back, parent);
        // Stored under a link instead, the same bytes are a block.
        let cid = store.put_cbor(&back.1, Code::Blake2b256).unwrap();
        let linked: Vector<_, u64> = Vector::load(&store, &cid, WIDE, "v").unwrap();
        assert_eq!(linked.get(49).unwrap(), Some(&49));
    }

    #[test]
    fn a_malformed_root_is_an_error() {
        let store = MemoryBlockstore::new();
        let bad = EmbeddedRoot::from_cbor(vec![0x83, 0x01]);
        let e = Vector::<_, u64>::load_embedded(&store, &bad, WIDE, "v").unwrap_err();
        assert_eq!(e.code(), fvm_shared::error::ExitCode::USR_ILLEGAL_STATE);
    }
}
