//! [`LinkedBlock`]: a part of a state object kept in a block of its own, behind one link, loaded
//! only when an operation needs it.
//!
//! Every block an actor rewrites costs gas by its size, and every block it opens costs a flat
//! read, so a state object is best split by use: a small "hot" root with what every call reads or
//! writes, and a "cold" block with what few calls touch (names, limits, role sets, rarely used
//! indexes). The hot root holds a `LinkedBlock<Cold>` field. It encodes as the cold block's CID,
//! so the hot root stays small. The cold block is read at most once per operation, on first use,
//! and is never read when it is not used.
//!
//! A change goes through [`LinkedBlock::update`], which writes the block at once and keeps the new
//! value in hand: the link in the hot root can never go stale, and saving the hot root needs no
//! extra step that a caller could forget. (A method that changes several cold fields should do it
//! in one `update`, so that the block is written once.) An operation whose changes are spread over
//! several steps may instead change the value with [`LinkedBlock::get_mut`] and write it once at
//! the end with [`LinkedBlock::commit`]; a block changed and not committed refuses to encode, so a
//! stale link is never saved.
//!
//! ```
//! use actorlib_kit::block::LinkedBlock;
//! use fvm_ipld_blockstore::MemoryBlockstore;
//!
//! let bs = MemoryBlockstore::new();
//! let mut cold = LinkedBlock::new(&bs, ("name".to_string(), 7u64)).unwrap();
//! let root = *cold.root();
//! cold.update(&bs, |c| { c.1 = 8; Ok(()) }).unwrap();
//! assert_ne!(*cold.root(), root);
//!
//! // As a field of a state object, the block is a link; decoding it reads nothing.
//! let encoded = fvm_ipld_encoding::to_vec(&cold).unwrap();
//! let back: LinkedBlock<(String, u64)> = fvm_ipld_encoding::from_slice(&encoded).unwrap();
//! assert_eq!(back.get(&bs).unwrap().1, 8);
//! ```
use std::cell::OnceCell;
use std::fmt;

use cid::Cid;
use fvm_ipld_blockstore::Blockstore;
use fvm_ipld_encoding::CborStore;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::state::put;
use crate::{ActorError, Result};

/// A block behind a link: its CID, and its value once loaded (or just written).
pub struct LinkedBlock<T> {
    root: Cid,
    value: OnceCell<T>,
    /// Changed through `get_mut` since it was last written.
    dirty: bool,
}

impl<T: Serialize + DeserializeOwned> LinkedBlock<T> {
    /// Writes `value` as a new block, kept in hand.
    pub fn new<BS: Blockstore>(bs: &BS, value: T) -> Result<Self> {
        let root = put(bs, &value)?;
        Ok(Self::in_hand(root, value))
    }

    /// The block at `root` whose value is already in hand (just written): never read back.
    pub fn in_hand(root: Cid, value: T) -> Self {
        Self { root, value: OnceCell::from(value), dirty: false }
    }

    /// The block's CID.
    pub fn root(&self) -> &Cid {
        &self.root
    }

    /// The block's value: read from the store on the first call, from memory after it.
    pub fn get<BS: Blockstore>(&self, bs: &BS) -> Result<&T> {
        if let Some(v) = self.value.get() {
            return Ok(v);
        }
        let v: T = bs
            .get_cbor(&self.root)
            .map_err(|e| {
                ActorError::illegal_state(format!("failed to load block {}: {e}", self.root))
            })?
            .ok_or_else(|| ActorError::illegal_state(format!("no block at {}", self.root)))?;
        Ok(self.value.get_or_init(|| v))
    }

    /// The block's value, taken out of the link (read from the store if not in hand).
    pub fn into_value<BS: Blockstore>(self, bs: &BS) -> Result<T> {
        self.get(bs)?;
        self.value.into_inner().ok_or_else(|| ActorError::illegal_state("linked block: not loaded"))
    }

    /// The value, to change in several steps: nothing is written until [`Self::commit`].
    pub fn get_mut<BS: Blockstore>(&mut self, bs: &BS) -> Result<&mut T> {
        self.get(bs)?;
        self.dirty = true;
        self.value.get_mut().ok_or_else(|| ActorError::illegal_state("linked block: not loaded"))
    }

    /// Writes the value if [`Self::get_mut`] was called since the last write; returns whether it
    /// wrote (the CID is then new).
    pub fn commit<BS: Blockstore>(&mut self, bs: &BS) -> Result<bool> {
        if !self.dirty {
            return Ok(false);
        }
        let value = self
            .value
            .get()
            .ok_or_else(|| ActorError::illegal_state("linked block: not loaded"))?;
        self.root = put(bs, value)?;
        self.dirty = false;
        Ok(true)
    }

    /// Changes the value with `f` and writes the block, once. If `f` fails, nothing is written
    /// and the value in hand is dropped (it may be half changed), to be read again on next use.
    pub fn update<BS: Blockstore, R>(
        &mut self,
        bs: &BS,
        f: impl FnOnce(&mut T) -> Result<R>,
    ) -> Result<R> {
        self.get(bs)?;
        let Some(value) = self.value.get_mut() else {
            return Err(ActorError::illegal_state("linked block: not loaded"));
        };
        let out = match f(value) {
            Ok(out) => out,
            Err(e) => {
                self.value = OnceCell::new();
                self.dirty = false;
                return Err(e);
            }
        };
        match put(bs, &*value) {
            Ok(root) => {
                self.root = root;
                self.dirty = false;
            }
            Err(e) => {
                self.value = OnceCell::new();
                self.dirty = false;
                return Err(e);
            }
        }
        Ok(out)
    }
}

impl<T> LinkedBlock<T> {
    /// The block at `root`, not loaded yet.
    pub fn at(root: Cid) -> Self {
        Self { root, value: OnceCell::new(), dirty: false }
    }
}

impl<T: Clone> Clone for LinkedBlock<T> {
    fn clone(&self) -> Self {
        Self { root: self.root, value: self.value.clone(), dirty: self.dirty }
    }
}

/// Two blocks are equal when their CIDs are: the value in hand matches the CID (unless changed with
/// `get_mut` and not committed yet).
impl<T> PartialEq for LinkedBlock<T> {
    fn eq(&self, other: &Self) -> bool {
        self.root == other.root
    }
}

impl<T> Eq for LinkedBlock<T> {}

impl<T> fmt::Debug for LinkedBlock<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "LinkedBlock({})", self.root)
    }
}

impl<T> Serialize for LinkedBlock<T> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        if self.dirty {
            return Err(serde::ser::Error::custom("linked block changed but not committed"));
        }
        self.root.serialize(s)
    }
}

impl<'de, T> Deserialize<'de> for LinkedBlock<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        Ok(Self::at(Cid::deserialize(d)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fvm_ipld_blockstore::MemoryBlockstore;
    use fvm_shared::error::ExitCode;

    #[test]
    fn failed_update_writes_nothing_and_drops_the_half_changed_value() {
        let bs = MemoryBlockstore::new();
        let mut b = LinkedBlock::new(&bs, vec![1u64]).unwrap();
        let root = *b.root();
        let err = b
            .update(&bs, |v| {
                v.push(2);
                Err::<(), _>(ActorError::illegal_argument("no"))
            })
            .unwrap_err();
        assert_eq!(err.code(), ExitCode::USR_ILLEGAL_ARGUMENT);
        assert_eq!(*b.root(), root);
        assert_eq!(b.get(&bs).unwrap(), &vec![1]);
    }

    #[test]
    fn changes_in_steps_are_written_once_on_commit() {
        let bs = MemoryBlockstore::new();
        let mut b = LinkedBlock::new(&bs, vec![1u64]).unwrap();
        let root = *b.root();
        assert!(!b.commit(&bs).unwrap(), "nothing changed, nothing written");
        b.get_mut(&bs).unwrap().push(2);
        b.get_mut(&bs).unwrap().push(3);
        assert!(fvm_ipld_encoding::to_vec(&b).is_err(), "a stale link is never encoded");
        assert!(b.commit(&bs).unwrap());
        assert_ne!(*b.root(), root);
        let back: LinkedBlock<Vec<u64>> = LinkedBlock::at(*b.root());
        assert_eq!(back.into_value(&bs).unwrap(), vec![1, 2, 3]);
        assert!(fvm_ipld_encoding::to_vec(&b).is_ok());
    }

    #[test]
    fn encodes_as_its_link_and_loads_on_first_use() {
        let bs = MemoryBlockstore::new();
        let b = LinkedBlock::new(&bs, "cold".to_string()).unwrap();
        assert_eq!(
            fvm_ipld_encoding::to_vec(&b).unwrap(),
            fvm_ipld_encoding::to_vec(b.root()).unwrap()
        );
        let lazy: LinkedBlock<String> = LinkedBlock::at(*b.root());
        assert_eq!(lazy.get(&bs).unwrap(), "cold");
        assert_eq!(lazy, b);
        let missing: LinkedBlock<String> = LinkedBlock::at(Cid::default());
        assert_eq!(missing.get(&bs).unwrap_err().code(), ExitCode::USR_ILLEGAL_STATE);
    }
}
