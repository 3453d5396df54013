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
