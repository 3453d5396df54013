//! [`Runtime`] over the real FVM syscalls (`fvm_sdk`), used by the Wasm entry point.
use cid::Cid;
use fvm_ipld_blockstore::Block;
use fvm_ipld_encoding::ipld_block::IpldBlock;
use fvm_shared::address::Address;
use fvm_shared::clock::ChainEpoch;
use fvm_shared::crypto::signature::Signature;
use fvm_shared::econ::TokenAmount;
use fvm_shared::error::ErrorNumber;
use fvm_shared::event::ActorEvent;
use fvm_shared::{ActorID, MethodNum};

use super::{Runtime, SendResponse};
use crate::{ActorError, Result};

/// The FVM's blockstore as seen from inside an actor: every get and put is a syscall.
#[derive(Clone, Copy, Debug, Default)]
pub struct FvmBlockstore;

impl fvm_ipld_blockstore::Blockstore for FvmBlockstore {
    fn get(&self, cid: &Cid) -> anyhow::Result<Option<Vec<u8>>> {
        // The FVM only exposes blocks reachable from state; a missing block is an error there.
        fvm_sdk::ipld::get(cid).map(Some).map_err(|e| anyhow::anyhow!("get {cid}: {e}"))
    }

    fn put_keyed(&self, k: &Cid, block: &[u8]) -> anyhow::Result<()> {
        let code = multihash_codetable::Code::try_from(k.hash().code())
            .map_err(|e| anyhow::anyhow!("unsupported hash for {k}: {e}"))?;
        let cid = self.put(code, &Block::new(k.codec(), block))?;
        anyhow::ensure!(cid == *k, "put_keyed: computed {cid}, expected {k}");
        Ok(())
    }

    fn put<D>(&self, code: multihash_codetable::Code, block: &Block<D>) -> anyhow::Result<Cid>
    where
        D: AsRef<[u8]>,
    {
        let len = match code {
            multihash_codetable::Code::Blake2b256 => 32,
            _ => anyhow::bail!("the FVM blockstore only writes Blake2b-256 blocks"),
        };
        fvm_sdk::ipld::put(code.into(), len, block.codec, block.data.as_ref())
            .map_err(|e| anyhow::anyhow!("put: {e}"))
    }
}

/// The runtime of an actor executing in the FVM.
#[derive(Clone, Copy, Debug, Default)]
pub struct FvmRuntime {
    store: FvmBlockstore,
}

impl Runtime for FvmRuntime {
    type Blockstore = FvmBlockstore;

    fn store(&self) -> &FvmBlockstore {
        &self.store
    }
    fn caller(&self) -> ActorID {
        fvm_sdk::message::caller()
    }
    fn origin(&self) -> ActorID {
        fvm_sdk::message::origin()
    }
    fn receiver(&self) -> ActorID {
        fvm_sdk::message::receiver()
    }
    fn method_number(&self) -> MethodNum {
        fvm_sdk::message::method_number()
    }
    fn value_received(&self) -> TokenAmount {
        fvm_sdk::message::value_received()
    }
    fn current_balance(&self) -> TokenAmount {
        fvm_sdk::sself::current_balance()
    }
    fn curr_epoch(&self) -> ChainEpoch {
        fvm_sdk::network::curr_epoch()
    }
    fn read_only(&self) -> bool {
        fvm_sdk::vm::read_only()
    }
    fn resolve_address(&self, address: &Address) -> Option<ActorID> {
        fvm_sdk::actor::resolve_address(address)
    }
    fn actor_code(&self, id: ActorID) -> Option<Cid> {
        fvm_sdk::actor::get_actor_code_cid(&Address::new_id(id))
    }
    fn builtin_type(&self, code: &Cid) -> Option<i32> {
        fvm_sdk::actor::get_builtin_actor_type(code)
    }
    fn builtin_code(&self, builtin_type: i32) -> Option<Cid> {
        // The FVM aborts the actor on an unknown type: only ask for manifest positions.
        (1..=crate::builtin::BuiltinType::ALL.len() as i32)
            .contains(&builtin_type)
            .then(|| fvm_sdk::actor::get_code_cid_for_type(builtin_type))
    }
    fn delegated_address(&self, id: ActorID) -> Option<Address> {
        fvm_sdk::actor::lookup_delegated_address(id)
    }
    fn root(&self) -> Result<Cid> {
        fvm_sdk::sself::root().map_err(|e| ActorError::illegal_state(format!("state root: {e}")))
    }
    fn set_root(&self, root: &Cid) -> Result<()> {
        fvm_sdk::sself::set_root(root).map_err(|e| match e {
            fvm_sdk::error::StateUpdateError::ReadOnly => {
                ActorError::read_only("cannot change state in a read-only call")
            }
            e => ActorError::illegal_state(format!("set state root: {e}")),
        })
    }
    fn send(
        &self,
        to: &Address,
        method: MethodNum,
        params: Option<IpldBlock>,
        value: TokenAmount,
        read_only: bool,
    ) -> std::result::Result<SendResponse, ErrorNumber> {
        let flags = if read_only {
            fvm_shared::sys::SendFlags::READ_ONLY
        } else {
            fvm_shared::sys::SendFlags::empty()
        };
        let r = fvm_sdk::send::send(to, method, params, value, None, flags)?;
        Ok(SendResponse { exit_code: r.exit_code, return_data: r.return_data })
    }
    fn emit_event(&self, event: &ActorEvent) -> std::result::Result<(), ErrorNumber> {
        fvm_sdk::event::emit_event(event)
    }
    fn verify_signature(&self, signature: &Signature, signer: &Address, plaintext: &[u8]) -> bool {
        fvm_sdk::crypto::verify_signature(signature, signer, plaintext).unwrap_or(false)
    }
    fn hash_blake2b(&self, data: &[u8]) -> [u8; 32] {
        fvm_sdk::crypto::hash_blake2b(data)
    }
}
