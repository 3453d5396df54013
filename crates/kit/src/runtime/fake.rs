//! A [`Runtime`] for host-side tests: state in a `MemoryBlockstore`, the call context set by the test,
//! outgoing sends answered from a queue of expectations, events recorded.
//!
//! ```
//! use actorlib_kit::{FakeRuntime, Runtime};
//! use fvm_shared::address::Address;
//!
//! let rt = FakeRuntime::new(1000);
//! rt.set_caller(101);
//! rt.register(Address::new_id(101), 101);
//! assert_eq!(rt.caller(), 101);
//! assert_eq!(rt.resolve_address(&Address::new_id(101)), Some(101));
//! ```
use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::rc::Rc;

use cid::Cid;
use fvm_ipld_blockstore::MemoryBlockstore;
use fvm_ipld_encoding::ipld_block::IpldBlock;
use fvm_shared::address::{Address, Payload};
use fvm_shared::clock::ChainEpoch;
use fvm_shared::crypto::signature::Signature;
use fvm_shared::econ::TokenAmount;
use fvm_shared::error::ErrorNumber;
use fvm_shared::event::ActorEvent;
use fvm_shared::{ActorID, MethodNum};

use super::{Runtime, SendResponse};
use crate::{ActorError, Result};

/// One outgoing call a test expects, with the answer to give.
#[derive(Clone, Debug)]
pub struct ExpectedSend {
    /// Recipient.
    pub to: Address,
    /// Method number.
    pub method: MethodNum,
    /// Parameters (compared exactly).
    pub params: Option<IpldBlock>,
    /// Value (compared exactly).
    pub value: TokenAmount,
    /// What the send returns.
    pub response: std::result::Result<SendResponse, ErrorNumber>,
}

/// A recorded outgoing call.
#[derive(Clone, Debug, PartialEq)]
pub struct SentMessage {
    /// Recipient.
    pub to: Address,
    /// Method number.
    pub method: MethodNum,
    /// Parameters.
    pub params: Option<IpldBlock>,
    /// Value.
    pub value: TokenAmount,
    /// Whether it was sent read-only.
    pub read_only: bool,
}

#[derive(Default)]
struct Context {
    caller: ActorID,
    origin: ActorID,
    method: MethodNum,
    value: TokenAmount,
    balance: TokenAmount,
    epoch: ChainEpoch,
    read_only: bool,
    root: Option<Cid>,
    addresses: HashMap<Address, ActorID>,
    codes: HashMap<ActorID, Cid>,
    builtin_types: HashMap<Cid, i32>,
    delegated: HashMap<ActorID, Address>,
    expected: VecDeque<ExpectedSend>,
    sent: Vec<SentMessage>,
    events: Vec<ActorEvent>,
    valid_signatures: Vec<(Signature, Address, Vec<u8>)>,
}

/// A fake runtime for unit tests of actor logic on the host.
pub struct FakeRuntime {
    receiver: ActorID,
    store: Rc<MemoryBlockstore>,
    ctx: RefCell<Context>,
}

impl FakeRuntime {
    /// A runtime for the actor with ID `receiver`, with an empty blockstore.
    pub fn new(receiver: ActorID) -> Self {
        let rt = Self {
            receiver,
            store: Rc::new(MemoryBlockstore::new()),
            ctx: RefCell::new(Context::default()),
        };
        rt.register(Address::new_id(receiver), receiver);
        rt
    }

    /// Sets the immediate caller (and the origin, if none was set).
    pub fn set_caller(&self, caller: ActorID) {
        let mut c = self.ctx.borrow_mut();
        c.caller = caller;
        if c.origin == 0 {
            c.origin = caller;
        }
    }
    /// Sets the origin of the message.
    pub fn set_origin(&self, origin: ActorID) {
        self.ctx.borrow_mut().origin = origin;
    }
    /// Sets the method number of the current call.
    pub fn set_method(&self, method: MethodNum) {
        self.ctx.borrow_mut().method = method;
    }
    /// Sets the value received (and adds it to the balance).
    pub fn set_value(&self, value: TokenAmount) {
        let mut c = self.ctx.borrow_mut();
        c.balance += &value;
        c.value = value;
    }
    /// Sets this actor's balance.
    pub fn set_balance(&self, balance: TokenAmount) {
        self.ctx.borrow_mut().balance = balance;
    }
    /// Sets the chain epoch.
    pub fn set_epoch(&self, epoch: ChainEpoch) {
        self.ctx.borrow_mut().epoch = epoch;
    }
    /// Puts the call in or out of read-only mode.
    pub fn set_read_only(&self, read_only: bool) {
        self.ctx.borrow_mut().read_only = read_only;
    }
    /// Makes `address` resolve to `id`; an ID address always resolves to itself once registered.
    pub fn register(&self, address: Address, id: ActorID) {
        let mut c = self.ctx.borrow_mut();
        c.addresses.insert(address, id);
        c.addresses.insert(Address::new_id(id), id);
        if let Payload::Delegated(_) = address.payload() {
            c.delegated.insert(id, address);
        }
    }
    /// Gives actor `id` a code CID, and marks that code as builtin type `builtin_type` if given.
    pub fn set_code(&self, id: ActorID, code: Cid, builtin_type: Option<i32>) {
        let mut c = self.ctx.borrow_mut();
        c.codes.insert(id, code);
        c.addresses.insert(Address::new_id(id), id);
        if let Some(t) = builtin_type {
            c.builtin_types.insert(code, t);
        }
    }
    /// Declares a signature valid for `verify_signature`.
    pub fn add_valid_signature(&self, signature: Signature, signer: Address, plaintext: Vec<u8>) {
        self.ctx.borrow_mut().valid_signatures.push((signature, signer, plaintext));
    }
    /// Queues an expected outgoing call and its answer.
    pub fn expect_send(&self, expected: ExpectedSend) {
        self.ctx.borrow_mut().expected.push_back(expected);
    }
    /// Whether every expected send was made.
    pub fn all_sends_made(&self) -> bool {
        self.ctx.borrow().expected.is_empty()
    }
    /// Every call sent so far.
    pub fn sent(&self) -> Vec<SentMessage> {
        self.ctx.borrow().sent.clone()
    }
    /// Every event emitted so far.
    pub fn events(&self) -> Vec<ActorEvent> {
        self.ctx.borrow().events.clone()
    }
    /// Forgets recorded events.
    pub fn clear_events(&self) {
        self.ctx.borrow_mut().events.clear();
    }
    /// The state root, if one was set.
    pub fn state_root(&self) -> Option<Cid> {
        self.ctx.borrow().root
    }
}

impl Runtime for FakeRuntime {
    type Blockstore = Rc<MemoryBlockstore>;

    fn store(&self) -> &Rc<MemoryBlockstore> {
        &self.store
    }
    fn caller(&self) -> ActorID {
        self.ctx.borrow().caller
    }
    fn origin(&self) -> ActorID {
        self.ctx.borrow().origin
    }
    fn receiver(&self) -> ActorID {
        self.receiver
    }
    fn method_number(&self) -> MethodNum {
        self.ctx.borrow().method
    }
    fn value_received(&self) -> TokenAmount {
        self.ctx.borrow().value.clone()
    }
    fn current_balance(&self) -> TokenAmount {
        self.ctx.borrow().balance.clone()
    }
    fn curr_epoch(&self) -> ChainEpoch {
        self.ctx.borrow().epoch
    }
    fn read_only(&self) -> bool {
        self.ctx.borrow().read_only
    }
    fn resolve_address(&self, address: &Address) -> Option<ActorID> {
        self.ctx.borrow().addresses.get(address).copied()
    }
    fn actor_code(&self, id: ActorID) -> Option<Cid> {
        self.ctx.borrow().codes.get(&id).copied()
    }
    fn builtin_type(&self, code: &Cid) -> Option<i32> {
        self.ctx.borrow().builtin_types.get(code).copied()
    }
    fn builtin_code(&self, builtin_type: i32) -> Option<Cid> {
        self.ctx.borrow().builtin_types.iter().find(|(_, t)| **t == builtin_type).map(|(c, _)| *c)
    }
    fn delegated_address(&self, id: ActorID) -> Option<Address> {
        self.ctx.borrow().delegated.get(&id).copied()
    }
    fn root(&self) -> Result<Cid> {
        self.ctx.borrow().root.ok_or_else(|| ActorError::illegal_state("no state root"))
    }
    fn set_root(&self, root: &Cid) -> Result<()> {
        let mut c = self.ctx.borrow_mut();
        if c.read_only {
            return Err(ActorError::read_only("cannot change state in a read-only call"));
        }
        c.root = Some(*root);
        Ok(())
    }
    fn send(
        &self,
        to: &Address,
        method: MethodNum,
        params: Option<IpldBlock>,
        value: TokenAmount,
        read_only: bool,
    ) -> std::result::Result<SendResponse, ErrorNumber> {
        let mut c = self.ctx.borrow_mut();
        if (c.read_only || read_only) && !value.is_zero() {
            return Err(ErrorNumber::ReadOnly);
        }
        c.sent.push(SentMessage {
            to: *to,
            method,
            params: params.clone(),
            value: value.clone(),
            read_only,
        });
        let expected = c
            .expected
            .pop_front()
            .unwrap_or_else(|| panic!("unexpected send to {to} method {method}"));
        assert_eq!(
            (expected.to, expected.method, &expected.params, &expected.value),
            (*to, method, &params, &value),
            "send differs from the expected one"
        );
        if expected.response.is_ok() {
            if value > c.balance {
                return Err(ErrorNumber::InsufficientFunds);
            }
            c.balance -= &value;
        }
        expected.response
    }
    fn emit_event(&self, event: &ActorEvent) -> std::result::Result<(), ErrorNumber> {
        let mut c = self.ctx.borrow_mut();
        if c.read_only {
            return Err(ErrorNumber::ReadOnly);
        }
        c.events.push(event.clone());
        Ok(())
    }
    fn verify_signature(&self, signature: &Signature, signer: &Address, plaintext: &[u8]) -> bool {
        self.ctx
            .borrow()
            .valid_signatures
            .iter()
            .any(|(s, a, p)| s == signature && a == signer && p == plaintext)
    }
    fn hash_blake2b(&self, data: &[u8]) -> [u8; 32] {
        use multihash_codetable::MultihashDigest;
        let mh = multihash_codetable::Code::Blake2b256.digest(data);
        let mut out = [0u8; 32];
        out.copy_from_slice(mh.digest());
        out
    }
}
