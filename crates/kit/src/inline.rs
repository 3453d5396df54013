//! Small blocks kept inside their parent: identity-hashed CIDs.
//!
//! Writing a block to the FVM's state costs about 506,000 gas plus 3,340 a byte, reading one about
//! 187,000, whatever its size; a CID that names a block costs its parent about 40 bytes. A block of
//! a few dozen bytes (an empty collection, a HAMT node holding a few entries, a set with one or two
//! members) therefore costs far more as a block of its own than as bytes in its parent. A CID whose
//! multihash is the *identity* (code 0) carries the block's bytes itself: nothing is written,
//! nothing is read, and the parent grows by the block's size instead of by a 32-byte hash.
//!
//! The FVM accepts such links in state (it scans inline blocks for the links inside them and
//! checks those are reachable) and Filecoin clients serve identity CIDs from the CID itself, as
//! [`Inline`] does. The actor cannot `block_open` an identity CID (it is not a stored block), so
//! every collection in this kit *reads* through [`Inline`], natively and in Wasm alike. Writing
//! inline is a choice of the collection's configuration (`MapConfig::inline`,
//! `VectorConfig::inline`): actorlib's actors choose it; layouts that must match the builtin actors'
//! (the sandbox's stand-ins, whose state the FVM itself reads) do not.
//!
//! ```
//! use actorlib_kit::inline::{Inline, MAX_INLINE_BLOCK};
//! use fvm_ipld_blockstore::{Blockstore, MemoryBlockstore};
//! use fvm_ipld_encoding::CborStore;
//! use multihash_codetable::Code;
//!
//! let store = Inline::new(MemoryBlockstore::new(), true);
//! let small = store.put_cbor(&(1u8, "one"), Code::Blake2b256).unwrap();
//! assert_eq!(small.hash().code(), 0); // kept in the CID
//! assert_eq!(store.get_cbor::<(u8, String)>(&small).unwrap(), Some((1, "one".to_string())));
//! let large = store.put_cbor(&vec![7u8; MAX_INLINE_BLOCK], Code::Blake2b256).unwrap();
//! assert_eq!(large.hash().code(), 0xb220); // a block of its own
//! ```
use cid::Cid;
use fvm_ipld_blockstore::{Block, Blockstore};
use fvm_ipld_encoding::DAG_CBOR;
use multihash_codetable::Code;

/// The multihash code of the identity hash.
pub const IDENTITY: u64 = 0;

/// The largest block kept inline, in bytes. 64 is the most a CID's multihash may carry; below it a
/// block always costs less inline than written, even counting the bytes it adds to every later
/// write of its parent.
pub const MAX_INLINE_BLOCK: usize = 64;

/// A blockstore that answers reads of identity CIDs from the CID and, if enabled, keeps DAG-CBOR
/// blocks of up to [`MAX_INLINE_BLOCK`] bytes in their CIDs. Everything else goes to the wrapped
/// store.
#[derive(Clone, Copy, Debug, Default)]
pub struct Inline<BS> {
    store: BS,
    write_inline: bool,
}

impl<BS> Inline<BS> {
    /// Wraps `store`; small blocks are written inline if `write_inline`.
    pub fn new(store: BS, write_inline: bool) -> Self {
        Self { store, write_inline }
    }

    /// The wrapped store.
    pub fn inner(&self) -> &BS {
        &self.store
    }
}

/// The block an identity CID carries, if `cid` is one.
pub fn inline_block(cid: &Cid) -> Option<&[u8]> {
    (cid.hash().code() == IDENTITY).then(|| cid.hash().digest())
}

impl<BS: Blockstore> Blockstore for Inline<BS> {
    fn get(&self, k: &Cid) -> anyhow::Result<Option<Vec<u8>>> {
        match inline_block(k) {
            Some(data) => Ok(Some(data.to_vec())),
            None => self.store.get(k),
        }
    }

    fn put_keyed(&self, k: &Cid, block: &[u8]) -> anyhow::Result<()> {
        match inline_block(k) {
            Some(data) => {
                anyhow::ensure!(data == block, "put_keyed: {k} does not carry this block");
                Ok(())
            }
            None => self.store.put_keyed(k, block),
        }
    }

    fn has(&self, k: &Cid) -> anyhow::Result<bool> {
        match inline_block(k) {
            Some(_) => Ok(true),
            None => self.store.has(k),
        }
    }

    fn put<D: AsRef<[u8]>>(&self, code: Code, block: &Block<D>) -> anyhow::Result<Cid> {
        let data = block.data.as_ref();
        if self.write_inline && block.codec == DAG_CBOR && data.len() <= MAX_INLINE_BLOCK {
            let hash = multihash_codetable::Multihash::wrap(IDENTITY, data)?;
            return Ok(Cid::new_v1(DAG_CBOR, hash));
        }
        self.store.put(code, block)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fvm_ipld_blockstore::MemoryBlockstore;
    use fvm_ipld_encoding::CborStore;

    #[test]
    fn small_blocks_stay_in_their_cid_and_large_ones_are_stored() {
        let inner = MemoryBlockstore::new();
        let store = Inline::new(&inner, true);
        let small = store.put_cbor(&[1u8; 8], Code::Blake2b256).unwrap();
        assert_eq!(small.hash().code(), IDENTITY);
        assert!(inner.get(&small).unwrap().is_none(), "nothing written");
        assert!(store.has(&small).unwrap());
        assert_eq!(store.get_cbor::<[u8; 8]>(&small).unwrap(), Some([1u8; 8]));

        // The boundary: a byte string of 62 bytes encodes to 64 (two header bytes), 63 to 65.
        let at_limit = store.put_cbor(&fvm_ipld_encoding::BytesSer(&[0; 62]), Code::Blake2b256);
        assert_eq!(at_limit.unwrap().hash().code(), IDENTITY);
        let over = store.put_cbor(&fvm_ipld_encoding::BytesSer(&[0; 63]), Code::Blake2b256);
        let over = over.unwrap();
        assert_eq!(over.hash().code(), u64::from(Code::Blake2b256));
        assert!(inner.get(&over).unwrap().is_some());
    }

    #[test]
    fn raw_blocks_are_never_inlined() {
        let inner = MemoryBlockstore::new();
        let store = Inline::new(&inner, true);
        let cid = store.put(Code::Blake2b256, &Block::new(fvm_ipld_encoding::IPLD_RAW, [1u8; 4]));
        assert_ne!(cid.unwrap().hash().code(), IDENTITY);
    }

    #[test]
    fn without_inline_writes_every_block_is_stored_but_inline_ones_are_still_read() {
        let inner = MemoryBlockstore::new();
        let small = Inline::new(&inner, true).put_cbor(&5u8, Code::Blake2b256).unwrap();
        let plain = Inline::new(&inner, false);
        let stored = plain.put_cbor(&5u8, Code::Blake2b256).unwrap();
        assert_eq!(stored.hash().code(), u64::from(Code::Blake2b256));
        assert_eq!(plain.get_cbor::<u8>(&small).unwrap(), Some(5));
    }

    #[test]
    fn put_keyed_checks_inline_content() {
        let store = Inline::new(MemoryBlockstore::new(), true);
        let cid = store.put_cbor(&7u64, Code::Blake2b256).unwrap();
        store.put_keyed(&cid, &[0x07]).unwrap();
        assert!(store.put_keyed(&cid, &[0x08]).is_err());
    }
}
