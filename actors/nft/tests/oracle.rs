//! Differential test against the reference library `frc53_nft` (the oracle): random sequences of
//! mints, transfers, operator transfers, approvals, revocations, account-level approvals and burns
//! run through this NFT (its handlers, through `invoke`, as the Wasm entry point calls them) and
//! through the library natively. After every operation the owners, metadata, token operators,
//! balances, account operators, owned-token listings and total supply must agree, and so must the
//! returns, the exit codes and the receiver hook payloads, up to the documented deviations
//! (`README.md`, "Deviations from `frc53_nft`"):
//!
//! - the hook payload: this NFT's has a `from` field, and names the caller as the operator of a
//!   `TransferFrom` (the library names the owner there);
//! - a batch naming a token twice: rejected here (`USR_ILLEGAL_ARGUMENT`); the library fails on the
//!   repeat (`USR_FORBIDDEN` for a transfer, `USR_NOT_FOUND` for a burn) or, for an approval,
//!   accepts it;
//! - an owner acting as its own operator (`TransferFrom`/`BurnFrom` with `from` = caller): a plain
//!   transfer or burn here; the library refuses (`USR_FORBIDDEN`) unless the owner approved itself;
//! - `Approve`/`Revoke` by an account-level operator of the token's owner: allowed here (FRC-53:
//!   "the caller is the owner or an operator of the owner's account"); the library allows the owner
//!   only;
//! - approving a token's owner as its operator, or an account as its own operator: refused here
//!   (`USR_ILLEGAL_ARGUMENT`); the library records it;
//! - `ApproveForAll` by an account that holds nothing and has no operators: the library stores an
//!   empty owner record and drops the approval (a bug: the operator is never recorded); here the
//!   operator is recorded;
//! - `TransferFrom`/`BurnFrom` from, or `Burn` of no tokens by, an account with no owner record:
//!   the library fails with `USR_ILLEGAL_STATE` (it looks the record up before anything else);
//!   here the usual checks apply (an empty list succeeds, a named token is not found or not owned);
//! - an empty `BatchMint`: refused here; the library mints nothing and succeeds.
//!
//! Cases whose outcome differs in a way that would make the two states diverge are left out of the
//! random sequences (they are detected from the state before each operation and counted) and
//! tested by hand in `documented_deviations`.
use std::cell::RefCell;
use std::rc::Rc;

use actorlib_kit::builtin::INIT_ACTOR_ID;
use actorlib_kit::runtime::SendResponse;
use actorlib_kit::{params, FakeRuntime, Runtime};
use actorlib_nft::testing::assert_invariants;
use actorlib_nft::*;
use actorlib_reference_frc53::exit_code;
use cid::Cid;
use frc53_nft::receiver::FRC53TokenReceived;
use frc53_nft::state::NFTState;
use frc53_nft::{NFTError, NFT};
use fvm_actor_utils::receiver::UniversalReceiverParams as RefHookParams;
use fvm_actor_utils::shared_blockstore::SharedMemoryBlockstore;
use fvm_actor_utils::syscalls::fake_syscalls::FakeSyscalls;
use fvm_actor_utils::util::ActorRuntime;
use fvm_ipld_bitfield::BitField;
use fvm_ipld_blockstore::MemoryBlockstore;
use fvm_ipld_encoding::ipld_block::IpldBlock;
use fvm_ipld_encoding::RawBytes;
use fvm_shared::address::Address;
use fvm_shared::clock::ChainEpoch;
use fvm_shared::crypto::signature::Signature;
use fvm_shared::econ::TokenAmount;
use fvm_shared::error::{ErrorNumber, ExitCode};
use fvm_shared::event::ActorEvent;
use fvm_shared::{ActorID, MethodNum};
use proptest::prelude::*;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// This collection's actor ID.
const NFT_ID: ActorID = 1000;
/// The account that mints (a minter here; minting is the library's caller's business).
const MINTER: ActorID = 99;
/// The accounts that hold, move, approve and burn.
const ACCOUNTS: std::ops::Range<ActorID> = 100..104;
/// Token IDs the random operations name (some never minted, some burnt).
const TOKENS: std::ops::Range<TokenID> = 0..14;

fn addr(id: ActorID) -> Address {
    Address::new_id(id)
}

fn ids(bf: &BitField) -> Vec<u64> {
    bf.iter().collect()
}

#[derive(Clone, Debug)]
enum Op {
    /// Mints `n` tokens to an account (`Mint` for one, `BatchMint` for more).
    Mint(ActorID, usize),
    Transfer(ActorID, ActorID, Vec<TokenID>),
    /// (operator, from, to, tokens)
    TransferFrom(ActorID, ActorID, ActorID, Vec<TokenID>),
    /// (caller, operator, tokens)
    Approve(ActorID, ActorID, Vec<TokenID>),
    Revoke(ActorID, ActorID, Vec<TokenID>),
    /// (owner, operator)
    ApproveForAll(ActorID, ActorID),
    RevokeForAll(ActorID, ActorID),
    Burn(ActorID, Vec<TokenID>),
    /// (operator, from, tokens)
    BurnFrom(ActorID, ActorID, Vec<TokenID>),
}

/// What an operation returned: the numbers it returns, in order (balances, supply, token IDs).
type Outcome = std::result::Result<Vec<u64>, ExitCode>;

/// A hook payload, as both sides' fields: (from if the payload has it, to, operator, tokens).
type Hook = (Option<ActorID>, ActorID, ActorID, Vec<TokenID>);

// ---- this NFT, through its handlers ----

/// The kit's `FakeRuntime`, except that every outgoing call (a receiver hook) succeeds and is
/// recorded: recipients here are accounts that accept everything.
struct HookRt {
    inner: FakeRuntime,
    sent: RefCell<Vec<(Address, MethodNum, Option<IpldBlock>)>>,
}

impl Runtime for HookRt {
    type Blockstore = Rc<MemoryBlockstore>;
    fn store(&self) -> &Rc<MemoryBlockstore> {
        self.inner.store()
    }
    fn caller(&self) -> ActorID {
        self.inner.caller()
    }
    fn origin(&self) -> ActorID {
        self.inner.origin()
    }
    fn receiver(&self) -> ActorID {
        self.inner.receiver()
    }
    fn method_number(&self) -> MethodNum {
        self.inner.method_number()
    }
    fn value_received(&self) -> TokenAmount {
        self.inner.value_received()
    }
    fn current_balance(&self) -> TokenAmount {
        self.inner.current_balance()
    }
    fn curr_epoch(&self) -> ChainEpoch {
        self.inner.curr_epoch()
    }
    fn read_only(&self) -> bool {
        self.inner.read_only()
    }
    fn resolve_address(&self, address: &Address) -> Option<ActorID> {
        self.inner.resolve_address(address)
    }
    fn actor_code(&self, id: ActorID) -> Option<Cid> {
        self.inner.actor_code(id)
    }
    fn builtin_type(&self, code: &Cid) -> Option<i32> {
        self.inner.builtin_type(code)
    }
    fn builtin_code(&self, builtin_type: i32) -> Option<Cid> {
        self.inner.builtin_code(builtin_type)
    }
    fn delegated_address(&self, id: ActorID) -> Option<Address> {
        self.inner.delegated_address(id)
    }
    fn root(&self) -> actorlib_kit::Result<Cid> {
        self.inner.root()
    }
    fn set_root(&self, root: &Cid) -> actorlib_kit::Result<()> {
        self.inner.set_root(root)
    }
    fn send(
        &self,
        to: &Address,
        method: MethodNum,
        params: Option<IpldBlock>,
        _value: TokenAmount,
        _read_only: bool,
    ) -> std::result::Result<SendResponse, ErrorNumber> {
        self.sent.borrow_mut().push((*to, method, params));
        Ok(SendResponse { exit_code: ExitCode::OK, return_data: None })
    }
    fn emit_event(&self, event: &ActorEvent) -> std::result::Result<(), ErrorNumber> {
        self.inner.emit_event(event)
    }
    fn verify_signature(&self, signature: &Signature, signer: &Address, plaintext: &[u8]) -> bool {
        self.inner.verify_signature(signature, signer, plaintext)
    }
    fn hash_blake2b(&self, data: &[u8]) -> [u8; 32] {
        self.inner.hash_blake2b(data)
    }
}

struct Ours {
    rt: HookRt,
}

impl Ours {
    fn new() -> Self {
        let inner = FakeRuntime::new(NFT_ID);
        for a in ACCOUNTS.chain([MINTER]) {
            inner.register(addr(a), a);
        }
        let ours = Self { rt: HookRt { inner, sent: RefCell::new(vec![]) } };
        let p = ConstructorParams {
            name: "Oracle".into(),
            symbol: "ORC".into(),
            max_supply: None,
            admins: vec![addr(MINTER)],
            minters: vec![addr(MINTER)],
            royalty: None,
        };
        ours.call::<_, ()>(INIT_ACTOR_ID, Method::Constructor, &p).unwrap();
        ours
    }

    /// Calls a method as `caller`; a failed call leaves the state as it was (as the FVM does).
    fn call<P: Serialize, R: DeserializeOwned>(
        &self,
        caller: ActorID,
        m: Method,
        p: &P,
    ) -> std::result::Result<R, ExitCode> {
        let before = self.rt.inner.state_root();
        self.rt.sent.borrow_mut().clear();
        self.rt.inner.clear_events();
        self.rt.inner.set_caller(caller);
        self.rt.inner.set_method(m as u64);
        match invoke(&self.rt, m as u64, params::params(p).unwrap()) {
            Ok(ret) => Ok(params::decode(ret).unwrap()),
            Err(e) => {
                if let Some(root) = before {
                    self.rt.inner.set_root(&root).unwrap();
                }
                Err(e.code())
            }
        }
    }

    /// A read-only query by an account.
    fn query<P: Serialize, R: DeserializeOwned>(
        &self,
        m: Method,
        p: &P,
    ) -> std::result::Result<R, ExitCode> {
        self.rt.inner.set_read_only(true);
        self.rt.inner.set_caller(ACCOUNTS.start);
        let r = invoke(&self.rt, m as u64, params::params(p).unwrap())
            .map(|ret| params::decode(ret).unwrap())
            .map_err(|e| e.code());
        self.rt.inner.set_read_only(false);
        r
    }

    fn apply(&mut self, op: &Op) -> Outcome {
        let data = RawBytes::default;
        match op.clone() {
            Op::Mint(to, n) => {
                let r: MintReturn = if n == 1 {
                    let p = MintParams { to: addr(to), metadata: uri(0), operator_data: data() };
                    self.call(MINTER, Method::Mint, &p)?
                } else {
                    let metadata = (0..n).map(uri).collect();
                    let p = BatchMintParams { to: addr(to), metadata, operator_data: data() };
                    self.call(MINTER, Method::BatchMint, &p)?
                };
                Ok([vec![r.balance, r.supply], r.token_ids].concat())
            }
            Op::Transfer(from, to, token_ids) => {
                let p = TransferParams { to: addr(to), token_ids, operator_data: data() };
                let r: TransferReturn = self.call(from, Method::Transfer, &p)?;
                Ok([vec![r.from_balance, r.to_balance], r.token_ids].concat())
            }
            Op::TransferFrom(o, from, to, token_ids) => {
                let p = TransferFromParams {
                    from: addr(from),
                    to: addr(to),
                    token_ids,
                    operator_data: data(),
                };
                let r: TransferReturn = self.call(o, Method::TransferFrom, &p)?;
                Ok([vec![r.from_balance, r.to_balance], r.token_ids].concat())
            }
            Op::Approve(by, o, token_ids) => {
                let p = ApproveParams { operator: addr(o), token_ids };
                self.call::<_, ()>(by, Method::Approve, &p).map(|_| vec![])
            }
            Op::Revoke(by, o, token_ids) => {
                let p = RevokeParams { operator: addr(o), token_ids };
                self.call::<_, ()>(by, Method::Revoke, &p).map(|_| vec![])
            }
            Op::ApproveForAll(owner, o) => {
                let p = ApproveForAllParams { operator: addr(o) };
                self.call::<_, ()>(owner, Method::ApproveForAll, &p).map(|_| vec![])
            }
            Op::RevokeForAll(owner, o) => {
                let p = RevokeForAllParams { operator: addr(o) };
                self.call::<_, ()>(owner, Method::RevokeForAll, &p).map(|_| vec![])
            }
            Op::Burn(owner, token_ids) => {
                self.call::<_, u64>(owner, Method::Burn, &token_ids).map(|b| vec![b])
            }
            Op::BurnFrom(o, from, token_ids) => {
                let p = BurnFromParams { from: addr(from), token_ids };
                self.call::<_, ()>(o, Method::BurnFrom, &p).map(|_| vec![])
            }
        }
    }

    /// The receiver hooks the last call made, decoded.
    fn hooks(&self) -> Vec<Hook> {
        self.rt
            .sent
            .borrow()
            .iter()
            .map(|(to, method, p)| {
                assert_eq!(*method, RECEIVER_HOOK_METHOD);
                let hp: UniversalReceiverParams = params::decode(p.clone()).unwrap();
                assert_eq!(hp.type_, FRC53_TOKEN_TYPE);
                let r: FRC53TokensReceived = hp.payload.deserialize().unwrap();
                assert_eq!(Address::new_id(r.to), *to);
                (Some(r.from), r.to, r.operator, r.token_ids)
            })
            .collect()
    }

    fn owner(&self, t: TokenID) -> std::result::Result<ActorID, ExitCode> {
        self.query(Method::OwnerOf, &t)
    }

    fn balance(&self, a: ActorID) -> u64 {
        self.query(Method::BalanceOf, &addr(a)).unwrap()
    }

    fn account_operators(&self, a: ActorID) -> Vec<ActorID> {
        let p =
            ListAccountOperatorsParams { owner: addr(a), cursor: RawBytes::default(), limit: 1000 };
        let r: ListOperatorsReturn = self.query(Method::ListAccountOperators, &p).unwrap();
        assert!(r.next_cursor.is_none());
        ids(&r.operators)
    }

    fn is_account_operator(&self, owner: ActorID, operator: ActorID) -> bool {
        let p = IsApprovedForAllParams { owner: addr(owner), operator: addr(operator) };
        self.query(Method::IsApprovedForAll, &p).unwrap()
    }

    /// An account has an owner record when it holds a token or has an account-level operator.
    fn has_record(&self, a: ActorID) -> bool {
        self.balance(a) > 0 || !self.account_operators(a).is_empty()
    }

    fn state(&self) -> NftState {
        actorlib_kit::state::load(&self.rt).unwrap()
    }
}

fn uri(i: usize) -> String {
    format!("ipfs://oracle/{i}")
}

// ---- the reference library ----

type RefRuntime = ActorRuntime<FakeSyscalls, SharedMemoryBlockstore>;

struct Reference {
    rt: RefRuntime,
    st: NFTState,
}

/// The library's errors as exit codes (the reference actor's mapping).
fn code(e: NFTError) -> ExitCode {
    exit_code(&e)
}

impl Reference {
    fn new() -> Self {
        let rt = RefRuntime::new_shared_test_runtime();
        let st = NFTState::new(&rt.blockstore).unwrap();
        Self { rt, st }
    }

    fn nft(&mut self) -> NFT<'_, FakeSyscalls, SharedMemoryBlockstore> {
        // Clones of the runtime share the blockstore.
        NFT::wrap(self.rt.clone(), &mut self.st)
    }

    fn apply(&mut self, op: &Op) -> Outcome {
        let before = self.st.clone();
        self.rt.syscalls.last_message.replace(None);
        let r = self.apply_inner(op);
        if r.is_err() {
            self.st = before;
        }
        r
    }

    fn apply_inner(&mut self, op: &Op) -> Outcome {
        let data = RawBytes::default;
        // Hooks are called through `self.rt`, whose syscalls record the last message sent.
        match op.clone() {
            Op::Mint(to, n) => {
                let metadata = if n == 1 { vec![uri(0)] } else { (0..n).map(uri).collect() };
                let mut h = self
                    .nft()
                    .mint(&addr(MINTER), &addr(to), metadata, data(), data())
                    .map_err(code)?;
                let i = h.call(&self.rt).map_err(|e| ExitCode::from(&e))?;
                let r = self.st.mint_return(&self.rt, i).map_err(|e| code(e.into()))?;
                Ok([vec![r.balance, r.supply], r.token_ids].concat())
            }
            Op::Transfer(from, to, token_ids) => {
                let mut h = self
                    .nft()
                    .transfer(&addr(from), &addr(to), &token_ids, data(), data())
                    .map_err(code)?;
                let i = h.call(&self.rt).map_err(|e| ExitCode::from(&e))?;
                let r = self.st.transfer_return(&self.rt, i).map_err(|e| code(e.into()))?;
                Ok([vec![r.from_balance, r.to_balance], r.token_ids].concat())
            }
            Op::TransferFrom(o, from, to, token_ids) => {
                let mut h = self
                    .nft()
                    .transfer_from(&addr(from), &addr(o), &addr(to), &token_ids, data(), data())
                    .map_err(code)?;
                let i = h.call(&self.rt).map_err(|e| ExitCode::from(&e))?;
                let r = self.st.transfer_return(&self.rt, i).map_err(|e| code(e.into()))?;
                Ok([vec![r.from_balance, r.to_balance], r.token_ids].concat())
            }
            Op::Approve(by, o, token_ids) => {
                self.nft().approve(&addr(by), &addr(o), &token_ids).map_err(code)?;
                Ok(vec![])
            }
            Op::Revoke(by, o, token_ids) => {
                self.nft().revoke(&addr(by), &addr(o), &token_ids).map_err(code)?;
                Ok(vec![])
            }
            Op::ApproveForAll(owner, o) => {
                self.nft().approve_for_owner(&addr(owner), &addr(o)).map_err(code)?;
                Ok(vec![])
            }
            Op::RevokeForAll(owner, o) => {
                self.nft().revoke_for_all(&addr(owner), &addr(o)).map_err(code)?;
                Ok(vec![])
            }
            Op::Burn(owner, token_ids) => {
                Ok(vec![self.nft().burn(&addr(owner), &token_ids).map_err(code)?])
            }
            Op::BurnFrom(o, from, token_ids) => {
                // The library returns the owner's balance; this NFT's BurnFrom returns nothing.
                self.nft().burn_from(&addr(from), &addr(o), &token_ids).map_err(code)?;
                Ok(vec![])
            }
        }
    }

    /// The receiver hook the last operation made, decoded.
    fn hooks(&self) -> Vec<Hook> {
        let m = self.rt.syscalls.last_message.borrow().clone();
        m.into_iter()
            .map(|m| {
                assert_eq!(m.method, RECEIVER_HOOK_METHOD);
                let hp: RefHookParams = params::decode(m.params).unwrap();
                assert_eq!(hp.type_, FRC53_TOKEN_TYPE);
                let r: FRC53TokenReceived = hp.payload.deserialize().unwrap();
                (None, r.to, r.operator, r.token_ids)
            })
            .collect()
    }

    fn owner(&mut self, t: TokenID) -> std::result::Result<ActorID, ExitCode> {
        self.nft().owner_of(t).map_err(code)
    }
}

// ---- the comparison ----

/// Whether `op` is one of the documented deviations that would make the states diverge (tested by
/// hand instead), judged from this NFT's state before it runs.
fn diverging_deviation(ours: &Ours, op: &Op) -> bool {
    match op {
        Op::ApproveForAll(owner, o) => owner == o || !ours.has_record(*owner),
        Op::TransferFrom(o, from, _, _) | Op::BurnFrom(o, from, _) => o == from,
        Op::Approve(by, o, ts) | Op::Revoke(by, o, ts) => ts.iter().any(|t| match ours.owner(*t) {
            Ok(owner) => {
                (owner != *by && ours.is_account_operator(owner, *by))
                    || (matches!(op, Op::Approve(..)) && owner == *o)
            }
            Err(_) => false,
        }),
        _ => false,
    }
}

/// The library fails with `USR_ILLEGAL_STATE` where it looks up an owner record that does not
/// exist (a deviation that leaves both states unchanged): returns whether `op` is such a case.
fn missing_record_case(ours: &Ours, op: &Op) -> bool {
    match op {
        Op::TransferFrom(_, from, _, _) | Op::BurnFrom(_, from, _) => !ours.has_record(*from),
        Op::Burn(owner, ts) => ts.is_empty() && !ours.has_record(*owner),
        _ => false,
    }
}

/// Checks that everything observable agrees.
fn same_state(
    ours: &Ours,
    reference: &mut Reference,
    ctx: &str,
) -> std::result::Result<(), TestCaseError> {
    let supply: u64 = ours.query(Method::TotalSupply, &()).unwrap();
    prop_assert_eq!(supply, reference.nft().total_supply(), "supply after {}", ctx);
    let all = ListTokensParams { cursor: RawBytes::default(), limit: 1000 };
    let a: ListTokensReturn = ours.query(Method::ListTokens, &all).unwrap();
    let b = reference.nft().list_tokens(RawBytes::default(), 1000).unwrap();
    prop_assert_eq!(ids(&a.tokens), ids(&b.tokens), "token list after {}", ctx);
    for t in TOKENS {
        let owner = ours.owner(t);
        prop_assert_eq!(owner, reference.owner(t), "owner of {} after {}", t, ctx);
        if owner.is_err() {
            continue;
        }
        let m: String = ours.query(Method::Metadata, &t).unwrap();
        prop_assert_eq!(m, reference.nft().metadata(t).unwrap(), "metadata of {}", t);
        let p = ListTokenOperatorsParams { token_id: t, cursor: RawBytes::default(), limit: 1000 };
        let a: ListOperatorsReturn = ours.query(Method::ListTokenOperators, &p).unwrap();
        let b = reference.nft().list_token_operators(t, RawBytes::default(), 1000).unwrap();
        prop_assert_eq!(ids(&a.operators), ids(&b.operators), "operators of {} after {}", t, ctx);
    }
    for a in ACCOUNTS {
        prop_assert_eq!(
            ours.balance(a),
            reference.nft().balance_of(&addr(a)).unwrap(),
            "balance of {} after {}",
            a,
            ctx
        );
        let b =
            reference.nft().list_account_operators(&addr(a), RawBytes::default(), 1000).unwrap();
        prop_assert_eq!(ours.account_operators(a), ids(&b.operators), "operators of f0{}", a);
        let p = ListOwnedTokensParams { owner: addr(a), cursor: RawBytes::default(), limit: 1000 };
        let x: ListTokensReturn = ours.query(Method::ListOwnedTokens, &p).unwrap();
        let y = reference.nft().list_owned_tokens(&addr(a), RawBytes::default(), 1000).unwrap();
        prop_assert_eq!(ids(&x.tokens), ids(&y.tokens), "tokens of f0{} after {}", a, ctx);
    }
    Ok(())
}

/// Counts of what a run did.
#[derive(Debug, Default)]
struct Run {
    succeeded: usize,
    failed: usize,
    skipped: usize,
}

/// Runs `ops` through both and compares after each.
fn run(ops: &[Op]) -> std::result::Result<Run, TestCaseError> {
    let mut ours = Ours::new();
    let mut reference = Reference::new();
    let mut counts = Run::default();
    for (i, op) in ops.iter().enumerate() {
        let ctx = format!("op {i} {op:?}");
        if diverging_deviation(&ours, op) {
            counts.skipped += 1;
            continue;
        }
        let missing_record = missing_record_case(&ours, op);
        let a = ours.apply(op);
        let b = reference.apply(op);
        match (&a, &b) {
            (Ok(x), Ok(y)) => {
                counts.succeeded += 1;
                prop_assert_eq!(x, y, "{}: returns differ", ctx);
                // Every credit calls the recipient's hook once.
                let (ha, hb) = (ours.hooks(), reference.hooks());
                prop_assert_eq!(ha.len(), hb.len(), "{}: hook calls differ", ctx);
                for ((from, to, operator, tokens), (_, to2, operator2, tokens2)) in
                    ha.iter().zip(&hb)
                {
                    prop_assert_eq!((to, tokens), (to2, tokens2), "{}: hook payloads differ", ctx);
                    // Documented: `from` is ours only; the library names the owner as the
                    // operator of a TransferFrom, this NFT the caller.
                    let (want_from, want_op, want_op2) = match *op {
                        Op::Mint(..) => (NFT_ID, MINTER, MINTER),
                        Op::Transfer(f, ..) => (f, f, f),
                        Op::TransferFrom(o, f, ..) => (f, o, f),
                        _ => unreachable!("only mints and transfers call hooks"),
                    };
                    prop_assert_eq!(
                        (*from, *operator, *operator2),
                        (Some(want_from), want_op, want_op2),
                        "{}",
                        ctx
                    );
                }
            }
            (Err(x), Err(y)) => {
                counts.failed += 1;
                if missing_record && *y == ExitCode::USR_ILLEGAL_STATE {
                    // Documented: the library's missing owner record; ours fails its own way.
                } else {
                    prop_assert_eq!(*x, *y, "{}: exit codes differ", ctx);
                }
            }
            (Ok(x), Err(y)) if missing_record && *y == ExitCode::USR_ILLEGAL_STATE => {
                // Documented: an empty TransferFrom/BurnFrom/Burn with no owner record succeeds
                // here, changing nothing.
                counts.failed += 1;
                prop_assert!(op_names_no_tokens(op), "{}: ours {:?}", ctx, x);
            }
            _ => prop_assert!(false, "{}: ours {:?}, library {:?}", ctx, a, b),
        }
        same_state(&ours, &mut reference, &ctx)?;
    }
    assert_invariants(&ours.state(), ours.rt.store());
    Ok(counts)
}

fn op_names_no_tokens(op: &Op) -> bool {
    match op {
        Op::TransferFrom(_, _, _, ts) | Op::BurnFrom(_, _, ts) | Op::Burn(_, ts) => ts.is_empty(),
        _ => false,
    }
}

fn tokens() -> impl Strategy<Value = Vec<TokenID>> {
    // Distinct IDs (a repeat is a documented deviation), in a random order.
    proptest::collection::btree_set(TOKENS, 0..4)
        .prop_map(|s| s.into_iter().collect::<Vec<_>>())
        .prop_shuffle()
}

fn op() -> impl Strategy<Value = Op> {
    let id = ACCOUNTS;
    prop_oneof![
        3 => (id.clone(), 1usize..4).prop_map(|(to, n)| Op::Mint(to, n)),
        4 => (id.clone(), id.clone(), tokens()).prop_map(|(a, b, t)| Op::Transfer(a, b, t)),
        3 => (id.clone(), id.clone(), id.clone(), tokens())
            .prop_map(|(o, f, to, t)| Op::TransferFrom(o, f, to, t)),
        3 => (id.clone(), id.clone(), tokens()).prop_map(|(b, o, t)| Op::Approve(b, o, t)),
        1 => (id.clone(), id.clone(), tokens()).prop_map(|(b, o, t)| Op::Revoke(b, o, t)),
        2 => (id.clone(), id.clone()).prop_map(|(a, o)| Op::ApproveForAll(a, o)),
        1 => (id.clone(), id.clone()).prop_map(|(a, o)| Op::RevokeForAll(a, o)),
        2 => (id.clone(), tokens()).prop_map(|(a, t)| Op::Burn(a, t)),
        2 => (id.clone(), id.clone(), tokens()).prop_map(|(o, f, t)| Op::BurnFrom(o, f, t)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]
    #[test]
    fn agrees_with_frc53_nft(ops in proptest::collection::vec(op(), 1..50)) {
        run(&ops)?;
    }
}

#[test]
fn a_fixed_scenario_agrees() {
    use Op::*;
    let ops = [
        Mint(100, 3),                         // 0, 1, 2 to 100
        Mint(101, 1),                         // 3 to 101
        Transfer(100, 101, vec![0]),          // ok
        Transfer(100, 102, vec![0]),          // not the owner any more
        Transfer(100, 102, vec![9]),          // never minted
        Approve(101, 102, vec![0, 3]),        // ok
        TransferFrom(102, 101, 103, vec![3]), // ok: token operator
        TransferFrom(102, 101, 103, vec![3]), // not owned by 101 any more
        ApproveForAll(101, 100),              // ok: 101 holds token 0
        TransferFrom(100, 101, 100, vec![0]), // ok: account operator
        Revoke(100, 102, vec![1]),            // ok: no such approval, a no-op
        RevokeForAll(101, 100),               // ok
        TransferFrom(100, 101, 100, vec![]),  // 101 has no record left: a library deviation
        BurnFrom(102, 100, vec![1]),          // not an operator
        Burn(100, vec![1, 2]),                // ok
        Burn(100, vec![1]),                   // burnt
        Transfer(103, 103, vec![3]),          // to itself: ok
    ];
    let r = run(&ops).unwrap();
    assert_eq!((r.succeeded, r.failed, r.skipped), (11, 6, 0), "{r:?}");
}

/// Each documented deviation, by hand: what this NFT does and what the library does.
#[test]
fn documented_deviations() {
    let fresh = || {
        let (mut ours, mut reference) = (Ours::new(), Reference::new());
        for op in [Op::Mint(100, 2), Op::Mint(101, 1)] {
            assert_eq!(ours.apply(&op), reference.apply(&op));
        }
        (ours, reference) // 100 holds 0 and 1, 101 holds 2
    };
    let both = |ours: &mut Ours, reference: &mut Reference, op: Op| {
        (ours.apply(&op), reference.apply(&op))
    };

    // A token named twice.
    let (mut o, mut r) = fresh();
    let (a, b) = both(&mut o, &mut r, Op::Transfer(100, 102, vec![0, 0]));
    assert_eq!((a, b), (Err(ExitCode::USR_ILLEGAL_ARGUMENT), Err(ExitCode::USR_FORBIDDEN)));
    let (a, b) = both(&mut o, &mut r, Op::Burn(100, vec![1, 1]));
    assert_eq!((a, b), (Err(ExitCode::USR_ILLEGAL_ARGUMENT), Err(ExitCode::USR_NOT_FOUND)));
    let (a, b) = both(&mut o, &mut r, Op::Approve(100, 103, vec![0, 0]));
    assert_eq!((a, b), (Err(ExitCode::USR_ILLEGAL_ARGUMENT), Ok(vec![])));

    // The owner as its own operator.
    let (mut o, mut r) = fresh();
    let (a, b) = both(&mut o, &mut r, Op::TransferFrom(100, 100, 102, vec![0]));
    assert_eq!((a, b), (Ok(vec![1, 1, 0]), Err(ExitCode::USR_FORBIDDEN)));
    let (a, b) = both(&mut o, &mut r, Op::BurnFrom(100, 100, vec![1]));
    assert_eq!((a, b), (Ok(vec![]), Err(ExitCode::USR_FORBIDDEN)));

    // Approve and Revoke by an account-level operator of the owner.
    let (mut o, mut r) = fresh();
    let (a, b) = both(&mut o, &mut r, Op::ApproveForAll(100, 103));
    assert_eq!((a, b), (Ok(vec![]), Ok(vec![])));
    let (a, b) = both(&mut o, &mut r, Op::Approve(103, 102, vec![0]));
    assert_eq!((a, b), (Ok(vec![]), Err(ExitCode::USR_FORBIDDEN)));
    let (a, b) = both(&mut o, &mut r, Op::Revoke(103, 102, vec![0]));
    assert_eq!((a, b), (Ok(vec![]), Err(ExitCode::USR_FORBIDDEN)));

    // The owner approved as its own token's operator; an account as its own operator.
    let (mut o, mut r) = fresh();
    let (a, b) = both(&mut o, &mut r, Op::Approve(100, 100, vec![0]));
    assert_eq!((a, b), (Err(ExitCode::USR_ILLEGAL_ARGUMENT), Ok(vec![])));
    let ops = r.nft().list_token_operators(0, RawBytes::default(), 10).unwrap();
    assert_eq!(ids(&ops.operators), vec![100], "the library records the owner as operator");
    let (a, b) = both(&mut o, &mut r, Op::ApproveForAll(100, 100));
    assert_eq!((a, b), (Err(ExitCode::USR_ILLEGAL_ARGUMENT), Ok(vec![])));

    // ApproveForAll by an account with no record: the library drops the approval.
    let (mut o, mut r) = fresh();
    let (a, b) = both(&mut o, &mut r, Op::ApproveForAll(103, 102));
    assert_eq!((a, b), (Ok(vec![]), Ok(vec![])));
    assert_eq!(o.account_operators(103), vec![102]);
    let lib = r.nft().list_account_operators(&addr(103), RawBytes::default(), 10).unwrap();
    assert!(lib.operators.is_empty(), "the library recorded no operator");
    let errs = r.nft().check_invariants().err().unwrap_or_default();
    assert!(!errs.is_empty(), "and broke its own invariant (an empty owner record)");

    // Operator calls and empty burns against an account with no owner record.
    let (mut o, mut r) = fresh();
    let (a, b) = both(&mut o, &mut r, Op::TransferFrom(102, 103, 102, vec![]));
    assert_eq!((a, b), (Ok(vec![0, 0]), Err(ExitCode::USR_ILLEGAL_STATE)));
    let (a, b) = both(&mut o, &mut r, Op::TransferFrom(102, 103, 102, vec![0]));
    assert_eq!((a, b), (Err(ExitCode::USR_FORBIDDEN), Err(ExitCode::USR_ILLEGAL_STATE)));
    let (a, b) = both(&mut o, &mut r, Op::BurnFrom(102, 103, vec![7]));
    assert_eq!((a, b), (Err(ExitCode::USR_NOT_FOUND), Err(ExitCode::USR_ILLEGAL_STATE)));
    let (a, b) = both(&mut o, &mut r, Op::Burn(103, vec![]));
    assert_eq!((a, b), (Ok(vec![0]), Err(ExitCode::USR_ILLEGAL_STATE)));

    // An empty batch mint.
    let (o, mut r) = fresh();
    let p = BatchMintParams { to: addr(100), metadata: vec![], operator_data: RawBytes::default() };
    assert_eq!(
        o.call::<_, MintReturn>(MINTER, Method::BatchMint, &p),
        Err(ExitCode::USR_ILLEGAL_ARGUMENT)
    );
    let mut h = r
        .nft()
        .mint(&addr(MINTER), &addr(100), vec![], RawBytes::default(), RawBytes::default())
        .unwrap();
    let rt = r.rt.clone();
    assert!(h.call(&rt).unwrap().token_ids.is_empty());

    // The hook payload of an operator transfer.
    let (mut o, mut r) = fresh();
    assert_eq!(both(&mut o, &mut r, Op::Approve(100, 103, vec![1])), (Ok(vec![]), Ok(vec![])));
    let (a, b) = both(&mut o, &mut r, Op::TransferFrom(103, 100, 102, vec![1]));
    assert_eq!(a, b);
    assert_eq!(o.hooks(), vec![(Some(100), 102, 103, vec![1])], "from the owner, by the operator");
    assert_eq!(r.hooks(), vec![(None, 102, 100, vec![1])], "the library names the owner");

    // Cursors: the library's name the token table's root and break on any write; ours are keys.
    let (mut o, mut r) = fresh();
    let first = ListTokensParams { cursor: RawBytes::default(), limit: 1 };
    let page: ListTokensReturn = o.query(Method::ListTokens, &first).unwrap();
    let lib_page = r.nft().list_tokens(RawBytes::default(), 1).unwrap();
    let (a, b) = both(&mut o, &mut r, Op::Mint(102, 1));
    assert_eq!(a, b);
    let next = ListTokensParams { cursor: page.next_cursor.unwrap(), limit: 10 };
    let rest: ListTokensReturn = o.query(Method::ListTokens, &next).unwrap();
    assert_eq!(ids(&rest.tokens), vec![1, 2, 3]);
    let lib_rest = r.nft().list_tokens(lib_page.next_cursor.unwrap(), 10);
    assert_eq!(lib_rest.map_err(code).err(), Some(ExitCode::USR_ILLEGAL_ARGUMENT));

    // ListOwnedTokens: the library's limit counts the collection's tokens scanned, not the owner's.
    let (o, mut r) = fresh();
    let p = ListOwnedTokensParams { owner: addr(101), cursor: RawBytes::default(), limit: 1 };
    let page: ListTokensReturn = o.query(Method::ListOwnedTokens, &p).unwrap();
    assert_eq!(ids(&page.tokens), vec![2]);
    let lib = r.nft().list_owned_tokens(&addr(101), RawBytes::default(), 1).unwrap();
    assert!(lib.tokens.is_empty() && lib.next_cursor.is_some(), "an empty page that continues");
}
