//! The syscalls an actor uses, behind one trait.
//!
//! Actor code is written against [`Runtime`]; the Wasm entry point passes an [`fvm::FvmRuntime`] and
//! host-side tests pass a [`fake::FakeRuntime`]. The trait is deliberately small: what the actors need,
//! each method a thin wrapper over one `fvm_sdk` call.
use cid::Cid;
use fvm_ipld_blockstore::Blockstore;
use fvm_ipld_encoding::ipld_block::IpldBlock;
use fvm_shared::address::Address;
use fvm_shared::clock::ChainEpoch;
use fvm_shared::crypto::signature::Signature;
use fvm_shared::econ::TokenAmount;
use fvm_shared::error::{ErrorNumber, ExitCode};
use fvm_shared::event::ActorEvent;
use fvm_shared::{ActorID, MethodNum};

pub mod fake;
pub mod fvm;

/// What a call to another actor returned: its exit code and return block.
#[derive(Clone, Debug, PartialEq)]
pub struct SendResponse {
    /// The callee's exit code (`OK` on success).
    pub exit_code: ExitCode,
    /// The callee's return block, if any.
    pub return_data: Option<IpldBlock>,
}

/// The syscalls available to an actor.
pub trait Runtime {
    /// The blockstore the actor's state lives in.
    type Blockstore: Blockstore + Clone;

    /// The blockstore handle (cheap to clone).
    fn store(&self) -> &Self::Blockstore;
    /// ID of the immediate caller.
    fn caller(&self) -> ActorID;
    /// ID of the account that signed the top-level message.
    fn origin(&self) -> ActorID;
    /// ID of this actor.
    fn receiver(&self) -> ActorID;
    /// Method number of the current call.
    fn method_number(&self) -> MethodNum;
    /// Value sent with the current call.
    fn value_received(&self) -> TokenAmount;
    /// This actor's balance (including the value received).
    fn current_balance(&self) -> TokenAmount;
    /// The current chain epoch.
    fn curr_epoch(&self) -> ChainEpoch;
    /// Whether this call may not change state, emit events or send value.
    fn read_only(&self) -> bool;
    /// Resolves any address to an actor ID, without creating an actor.
    fn resolve_address(&self, address: &Address) -> Option<ActorID>;
    /// The code CID of an actor, if it exists.
    fn actor_code(&self, id: ActorID) -> Option<Cid>;
    /// The builtin type (manifest position) of a code CID, if it is a builtin actor.
    fn builtin_type(&self, code: &Cid) -> Option<i32>;
    /// The code CID of builtin type `builtin_type` on this network.
    fn builtin_code(&self, builtin_type: i32) -> Option<Cid>;
    /// The f4 (delegated) address of an actor, if it has one.
    fn delegated_address(&self, id: ActorID) -> Option<Address>;
    /// This actor's state root.
    fn root(&self) -> crate::Result<Cid>;
    /// Replaces this actor's state root.
    fn set_root(&self, root: &Cid) -> crate::Result<()>;
    /// Calls another actor. Syscall failures (no such actor, insufficient funds, read-only) are
    /// returned as `Err`; the callee's own exit code is in the response.
    fn send(
        &self,
        to: &Address,
        method: MethodNum,
        params: Option<IpldBlock>,
        value: TokenAmount,
        read_only: bool,
    ) -> Result<SendResponse, ErrorNumber>;
    /// Emits a FIP-0049 actor event.
    fn emit_event(&self, event: &ActorEvent) -> Result<(), ErrorNumber>;
    /// Verifies a signature by `signer` (a key address) over `plaintext`.
    fn verify_signature(&self, signature: &Signature, signer: &Address, plaintext: &[u8]) -> bool;
    /// Blake2b-256 of `data`.
    fn hash_blake2b(&self, data: &[u8]) -> [u8; 32];
}
