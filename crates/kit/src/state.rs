//! Loading and saving an actor's state object.
//!
//! ```
//! use actorlib_kit::{state, FakeRuntime};
//! let rt = FakeRuntime::new(1000);
//! state::save(&rt, &(1u64, "x".to_string())).unwrap();
//! let (n, s): (u64, String) = state::load(&rt).unwrap();
//! assert_eq!((n, s.as_str()), (1, "x"));
//! ```
use cid::Cid;
use fvm_ipld_blockstore::Blockstore;
use fvm_ipld_encoding::CborStore;
use multihash_codetable::Code;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::{ActorError, Result, Runtime};

/// Loads the state object at the actor's root.
pub fn load<S: DeserializeOwned>(rt: &impl Runtime) -> Result<S> {
    let root = rt.root()?;
    load_at(rt, &root)
}

/// Loads a state object stored at `root`.
pub fn load_at<S: DeserializeOwned>(rt: &impl Runtime, root: &Cid) -> Result<S> {
    rt.store()
        .get_cbor(root)
        .map_err(|e| ActorError::illegal_state(format!("state: failed to load {root}: {e}")))?
        .ok_or_else(|| ActorError::illegal_state(format!("state: no block at {root}")))
}

/// Writes any CBOR object into a blockstore (Blake2b-256, DAG-CBOR) and returns its CID.
pub fn put<T: Serialize>(store: &impl fvm_ipld_blockstore::Blockstore, value: &T) -> Result<Cid> {
    store
        .put_cbor(value, Code::Blake2b256)
        .map_err(|e| ActorError::illegal_state(format!("failed to write block: {e}")))
}

/// Writes the state object and makes it the actor's root; returns the new root. Fails with
/// `USR_READ_ONLY` in a read-only call.
pub fn save<S: Serialize>(rt: &impl Runtime, state: &S) -> Result<Cid> {
    crate::caller::require_writable(rt)?;
    let root = put(rt.store(), state)?;
    rt.set_root(&root)?;
    Ok(root)
}

/// The undecoded block at `root`: for state objects that take their block apart themselves
/// (see [`crate::embedded`]).
pub fn block_at(rt: &impl Runtime, root: &Cid) -> Result<Vec<u8>> {
    rt.store()
        .get(root)
        .map_err(|e| ActorError::illegal_state(format!("state: failed to load {root}: {e}")))?
        .ok_or_else(|| ActorError::illegal_state(format!("state: no block at {root}")))
}

/// Writes an encoded state object (DAG-CBOR) and makes it the actor's root; returns the new root.
/// Fails with `USR_READ_ONLY` in a read-only call.
pub fn save_block(rt: &impl Runtime, block: &[u8]) -> Result<Cid> {
    crate::caller::require_writable(rt)?;
    let root = rt
        .store()
        .put(Code::Blake2b256, &fvm_ipld_blockstore::Block::new(fvm_ipld_encoding::DAG_CBOR, block))
        .map_err(|e| ActorError::illegal_state(format!("failed to write block: {e}")))?;
    rt.set_root(&root)?;
    Ok(root)
}

/// A state object that assembles its own block and takes it apart (so that a collection root can
/// be embedded as bytes, [`crate::embedded`], and a query can decode only the field it needs),
/// with the loading and saving every actor needs. An actor implements the two conversions; the
/// rest comes with them.
///
/// ```
/// use actorlib_kit::state::{decode_field, encode_field, fields, BlockState};
/// use actorlib_kit::{cbor_array, FakeRuntime, Result, Runtime};
///
/// #[derive(Debug, PartialEq)]
/// struct Counter { count: u64, owner: u64 }
///
/// impl BlockState for Counter {
///     fn from_block(block: &[u8]) -> Result<Self> {
///         let [count, owner] = fields(block)?;
///         Ok(Self { count: decode_field(count, "count")?, owner: decode_field(owner, "owner")? })
///     }
///     fn to_block(&self) -> Result<Vec<u8>> {
///         let (count, owner) = (encode_field(&self.count, "count")?, encode_field(&self.owner, "owner")?);
///         Ok(cbor_array::array(&[&count, &owner]))
///     }
/// }
///
/// let rt = FakeRuntime::new(1000);
/// let root = Counter { count: 1, owner: 7 }.save(&rt).unwrap();
/// assert_eq!(Counter::load(&rt).unwrap(), Counter { count: 1, owner: 7 });
/// assert!(Counter::reload(&rt, &root).unwrap().is_none(), "nothing wrote since");
/// Counter { count: 2, owner: 7 }.save(&rt).unwrap();
/// assert_eq!(Counter::reload(&rt, &root).unwrap().unwrap().count, 2);
/// ```
pub trait BlockState: Sized {
    /// The state from its block's bytes; a block that is not one is `USR_ILLEGAL_STATE`.
    fn from_block(block: &[u8]) -> Result<Self>;

    /// The state's block (DAG-CBOR).
    fn to_block(&self) -> Result<Vec<u8>>;

    /// The state whose block is at `root`.
    fn load_at(rt: &impl Runtime, root: &Cid) -> Result<Self> {
        Self::from_block(&block_at(rt, root)?)
    }

    /// The actor's current state.
    fn load(rt: &impl Runtime) -> Result<Self> {
        Self::load_at(rt, &rt.root()?)
    }

    /// Writes the state and makes it the actor's root; returns the new root. Fails with
    /// `USR_READ_ONLY` in a read-only call.
    fn save(&self, rt: &impl Runtime) -> Result<Cid> {
        save_block(rt, &self.to_block()?)
    }

    /// After a call out (a hook, a payment), given the root saved before it: `None` if the root is
    /// still `root` (nothing re-entered and wrote, so the state in hand is current), else the
    /// state as the callee left it.
    fn reload(rt: &impl Runtime, root: &Cid) -> Result<Option<Self>> {
        let now = rt.root()?;
        if now == *root {
            return Ok(None);
        }
        Self::load_at(rt, &now).map(Some)
    }
}

/// The `N` fields of a state block that is a CBOR array ([`crate::cbor_array`]); anything else is
/// `USR_ILLEGAL_STATE`.
pub fn fields<const N: usize>(block: &[u8]) -> Result<[&[u8]; N]> {
    let items = crate::cbor_array::items(block)
        .map_err(|e| ActorError::illegal_state(format!("state: malformed block: {e}")))?;
    items.try_into().map_err(|items: Vec<&[u8]>| {
        ActorError::illegal_state(format!("state: {} fields, expected {N}", items.len()))
    })
}

/// Field `index` of a state block, without looking at the fields after it.
pub fn field(block: &[u8], index: usize) -> Result<&[u8]> {
    crate::cbor_array::item(block, index)
        .map_err(|e| ActorError::illegal_state(format!("state: malformed block: {e}")))
}

/// One field's value, decoded from its bytes (`what` names it in the error).
pub fn decode_field<T: DeserializeOwned>(bytes: &[u8], what: &str) -> Result<T> {
    fvm_ipld_encoding::from_slice(bytes)
        .map_err(|e| ActorError::illegal_state(format!("state: malformed {what}: {e}")))
}

/// One field's bytes.
pub fn encode_field<T: Serialize>(value: &T, what: &str) -> Result<Vec<u8>> {
    fvm_ipld_encoding::to_vec(value)
        .map_err(|e| ActorError::illegal_state(format!("state: failed to encode {what}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FakeRuntime;
    use fvm_shared::error::ExitCode;

    #[test]
    fn missing_root_and_read_only_are_errors() {
        let rt = FakeRuntime::new(1000);
        assert_eq!(load::<u64>(&rt).unwrap_err().code(), ExitCode::USR_ILLEGAL_STATE);
        let root = save(&rt, &5u64).unwrap();
        assert_eq!(rt.state_root(), Some(root));
        assert_eq!(load::<String>(&rt).unwrap_err().code(), ExitCode::USR_ILLEGAL_STATE);
        rt.set_read_only(true);
        assert_eq!(save(&rt, &6u64).unwrap_err().code(), ExitCode::USR_READ_ONLY);
        assert_eq!(load::<u64>(&rt).unwrap(), 5);
    }
}
