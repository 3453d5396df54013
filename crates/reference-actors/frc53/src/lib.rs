//! A plain FRC-53 NFT actor over the `frc53_nft` library: the gas baseline and behavioural
//! reference actorlib's NFT is measured against. `Mint` and `BatchMint` are open to anyone
//! (benchmarks only).
//!
//! The library keeps its state in an [`NFTState`] (an AMT of tokens, bit width 5, and a HAMT of
//! owners, bit width 3); this actor stores it inside [`State`] next to the collection's name and
//! symbol. Writing methods follow the library's pattern: change the state in a transaction, save,
//! call the receiver hook, then (if the hook changed the state) reload and build the return from
//! the fresh state.
// The library returns its own large `NFTError`; the closures here pass it through unchanged.
#![allow(clippy::result_large_err)]
use actorlib_kit::{dispatch, method_hash, ActorError, Result, Runtime};
use cid::Cid;
use frc53_nft::state::{actor_id_key, NFTState, StateError};
use frc53_nft::types::{
    ApproveForAllParams, ApproveParams, BurnFromParams, IsApprovedForAllParams,
    ListAccountOperatorsParams, ListAccountOperatorsReturn, ListOperatorTokensParams,
    ListOperatorTokensReturn, ListOwnedTokensParams, ListOwnedTokensReturn,
    ListTokenOperatorsParams, ListTokenOperatorsReturn, ListTokensParams, ListTokensReturn,
    MintReturn, RevokeForAllParams, RevokeParams, TokenID, TransferFromParams, TransferParams,
    TransferReturn,
};
use frc53_nft::{NFTError, NFT};
use fvm_actor_utils::blockstore::Blockstore as FvmBlockstore;
use fvm_actor_utils::receiver::{ReceiverHook, RecipientData};
use fvm_actor_utils::syscalls::fvm_syscalls::FvmSyscalls;
use fvm_actor_utils::util::ActorRuntime;
use fvm_ipld_encoding::ipld_block::IpldBlock;
use fvm_ipld_encoding::tuple::*;
use fvm_ipld_encoding::RawBytes;
use fvm_shared::address::Address;
use fvm_shared::error::ExitCode;
use fvm_shared::{ActorID, MethodNum};

/// Method numbers: FRC-42 hashes of the library's method names (the same as `actorlib_nft`'s).
#[repr(u64)]
pub enum Method {
    /// Constructor.
    Constructor = 1,
    /// The collection's name.
    Name = method_hash!("Name"),
    /// The collection's symbol.
    Symbol = method_hash!("Symbol"),
    /// Tokens in circulation.
    TotalSupply = method_hash!("TotalSupply"),
    /// Tokens an address holds.
    BalanceOf = method_hash!("BalanceOf"),
    /// A token's owner.
    OwnerOf = method_hash!("OwnerOf"),
    /// A token's metadata.
    Metadata = method_hash!("Metadata"),
    /// Moves the caller's tokens.
    Transfer = method_hash!("Transfer"),
    /// Moves an owner's tokens as operator.
    TransferFrom = method_hash!("TransferFrom"),
    /// Token-level operator approval.
    Approve = method_hash!("Approve"),
    /// Token-level operator revocation.
    Revoke = method_hash!("Revoke"),
    /// Account-level operator approval.
    ApproveForAll = method_hash!("ApproveForAll"),
    /// Account-level operator revocation.
    RevokeForAll = method_hash!("RevokeForAll"),
    /// Whether an account-level operator is approved.
    IsApprovedForAll = method_hash!("IsApprovedForAll"),
    /// Burns the caller's tokens.
    Burn = method_hash!("Burn"),
    /// Burns an owner's tokens as operator.
    BurnFrom = method_hash!("BurnFrom"),
    /// A page of the tokens.
    ListTokens = method_hash!("ListTokens"),
    /// A page of an owner's tokens.
    ListOwnedTokens = method_hash!("ListOwnedTokens"),
    /// A page of a token's operators.
    ListTokenOperators = method_hash!("ListTokenOperators"),
    /// A page of the tokens an operator may move.
    ListOperatorTokens = method_hash!("ListOperatorTokens"),
    /// A page of an owner's account-level operators.
    ListAccountOperators = method_hash!("ListAccountOperators"),
    /// Mints one token (open to anyone: benchmarks only).
    Mint = method_hash!("Mint"),
    /// Mints many tokens in one call (open to anyone: benchmarks only).
    BatchMint = method_hash!("BatchMint"),
}

/// Constructor parameters.
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq)]
pub struct ConstructorParams {
    /// Name.
    pub name: String,
    /// Symbol.
    pub symbol: String,
}

/// `Mint` parameters (the same layout as `actorlib_nft`'s).
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq)]
pub struct MintParams {
    /// Recipient.
    pub to: Address,
    /// The token's metadata URI.
    pub metadata: String,
    /// Data for the receiver hook.
    pub operator_data: RawBytes,
}

/// `BatchMint` parameters (the same layout as `actorlib_nft`'s).
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq)]
pub struct BatchMintParams {
    /// Recipient of every token.
    pub to: Address,
    /// One metadata URI per token.
    pub metadata: Vec<String>,
    /// Data for the receiver hook.
    pub operator_data: RawBytes,
}

/// The actor's state: the library's state plus name and symbol.
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq)]
pub struct State {
    /// Name.
    pub name: String,
    /// Symbol.
    pub symbol: String,
    /// The library's state.
    pub nft: NFTState,
}

/// The exit code for one of the library's errors (the library has no mapping of its own).
pub fn exit_code(e: &NFTError) -> ExitCode {
    match e {
        NFTError::NFTState(s) => state_exit_code(s),
        NFTError::Messaging(m) => m.into(),
        NFTError::Actor(a) => a.into(),
        NFTError::Encoding(_) => ExitCode::USR_SERIALIZATION,
    }
}

/// The exit code for one of the library's state errors.
pub fn state_exit_code(e: &StateError) -> ExitCode {
    match e {
        StateError::TokenNotFound(_) => ExitCode::USR_NOT_FOUND,
        StateError::NotOwner { .. } | StateError::NotAuthorized { .. } => ExitCode::USR_FORBIDDEN,
        StateError::InvalidCursor => ExitCode::USR_ILLEGAL_ARGUMENT,
        StateError::ReceiverHook(h) => h.into(),
        StateError::IpldAmt(_) | StateError::IpldHamt(_) | StateError::InvariantFailed(_) => {
            ExitCode::USR_ILLEGAL_STATE
        }
    }
}

fn err(e: NFTError) -> ActorError {
    ActorError::new(exit_code(&e), e.to_string())
}

fn state_err(e: StateError) -> ActorError {
    ActorError::new(state_exit_code(&e), e.to_string())
}

type Rt = ActorRuntime<FvmSyscalls, FvmBlockstore>;
type Nft<'a> = NFT<'a, FvmSyscalls, FvmBlockstore>;

fn runtime() -> Rt {
    ActorRuntime::<FvmSyscalls, FvmBlockstore>::new_fvm_runtime()
}

fn load(rt: &impl Runtime) -> Result<State> {
    actorlib_kit::state::load(rt)
}

fn save(rt: &impl Runtime, st: &State) -> Result<Cid> {
    actorlib_kit::state::save(rt, st)
}

/// Runs a state change through the wrapped library and saves it. (The library's state methods
/// flush their AMT and HAMT themselves; only the state object is written here.)
fn with_nft<R>(
    rt: &impl Runtime,
    f: impl FnOnce(&mut Nft<'_>) -> std::result::Result<R, NFTError>,
) -> Result<(R, Cid)> {
    let mut st = load(rt)?;
    let r = f(&mut NFT::wrap(runtime(), &mut st.nft)).map_err(err)?;
    Ok((r, save(rt, &st)?))
}

/// Reads through the wrapped library.
fn read_nft<R>(
    rt: &impl Runtime,
    f: impl FnOnce(&Nft<'_>) -> std::result::Result<R, NFTError>,
) -> Result<R> {
    let mut st = load(rt)?;
    let nft = NFT::wrap(runtime(), &mut st.nft);
    f(&nft).map_err(err)
}

/// Mutates and saves, calls the receiver hook, then builds the return from the state as the hook
/// left it (reloaded only if its root changed), as the library prescribes.
fn with_hook<I: RecipientData, R>(
    rt: &impl Runtime,
    mutate: impl FnOnce(&mut Nft<'_>) -> std::result::Result<ReceiverHook<I>, NFTError>,
    finish: impl FnOnce(&NFTState, I) -> std::result::Result<R, StateError>,
) -> Result<R> {
    let mut st = load(rt)?;
    let mut hook = mutate(&mut NFT::wrap(runtime(), &mut st.nft)).map_err(err)?;
    let prior = save(rt, &st)?;
    let intermediate =
        hook.call(&runtime()).map_err(|e| ActorError::new(ExitCode::from(&e), e.to_string()))?;
    if rt.root()? != prior {
        st = load(rt)?;
    }
    finish(&st.nft, intermediate).map_err(state_err)
}

fn caller(rt: &impl Runtime) -> Address {
    Address::new_id(rt.caller())
}

/// Constructor.
pub fn constructor(rt: &impl Runtime, p: ConstructorParams) -> Result<()> {
    let nft = NFTState::new(rt.store()).map_err(state_err)?;
    save(rt, &State { name: p.name, symbol: p.symbol, nft }).map(|_| ())
}

/// Name.
pub fn name(rt: &impl Runtime, _: ()) -> Result<String> {
    Ok(load(rt)?.name)
}
/// Symbol.
pub fn symbol(rt: &impl Runtime, _: ()) -> Result<String> {
    Ok(load(rt)?.symbol)
}
/// Total supply.
pub fn total_supply(rt: &impl Runtime, _: ()) -> Result<u64> {
    read_nft(rt, |n| Ok(n.total_supply()))
}
/// Balance.
pub fn balance_of(rt: &impl Runtime, a: Address) -> Result<u64> {
    read_nft(rt, |n| n.balance_of(&a))
}
/// Owner.
pub fn owner_of(rt: &impl Runtime, id: TokenID) -> Result<ActorID> {
    read_nft(rt, |n| n.owner_of(id))
}
/// Metadata.
pub fn metadata(rt: &impl Runtime, id: TokenID) -> Result<String> {
    read_nft(rt, |n| n.metadata(id))
}

/// Transfer.
pub fn transfer(rt: &impl Runtime, p: TransferParams) -> Result<TransferReturn> {
    let from = caller(rt);
    with_hook(
        rt,
        |n| n.transfer(&from, &p.to, &p.token_ids, p.operator_data, RawBytes::default()),
        |st, i| st.transfer_return(&runtime(), i),
    )
}
/// Transfer as operator.
pub fn transfer_from(rt: &impl Runtime, p: TransferFromParams) -> Result<TransferReturn> {
    let operator = caller(rt);
    with_hook(
        rt,
        |n| {
            n.transfer_from(
                &p.from,
                &operator,
                &p.to,
                &p.token_ids,
                p.operator_data,
                RawBytes::default(),
            )
        },
        |st, i| st.transfer_return(&runtime(), i),
    )
}

/// Approve an operator for tokens.
pub fn approve(rt: &impl Runtime, p: ApproveParams) -> Result<()> {
    let by = caller(rt);
    with_nft(rt, |n| n.approve(&by, &p.operator, &p.token_ids)).map(|_| ())
}
/// Revoke an operator for tokens.
pub fn revoke(rt: &impl Runtime, p: RevokeParams) -> Result<()> {
    let by = caller(rt);
    with_nft(rt, |n| n.revoke(&by, &p.operator, &p.token_ids)).map(|_| ())
}
/// Approve an account-level operator.
pub fn approve_for_all(rt: &impl Runtime, p: ApproveForAllParams) -> Result<()> {
    let owner = caller(rt);
    with_nft(rt, |n| n.approve_for_owner(&owner, &p.operator)).map(|_| ())
}
/// Revoke an account-level operator.
pub fn revoke_for_all(rt: &impl Runtime, p: RevokeForAllParams) -> Result<()> {
    let owner = caller(rt);
    with_nft(rt, |n| n.revoke_for_all(&owner, &p.operator)).map(|_| ())
}
/// Whether an account-level operator is approved (false for an owner with no record).
pub fn is_approved_for_all(rt: &impl Runtime, p: IsApprovedForAllParams) -> Result<bool> {
    let (Some(owner), Some(operator)) =
        (rt.resolve_address(&p.owner), rt.resolve_address(&p.operator))
    else {
        return Ok(false);
    };
    let st = load(rt)?;
    let owners = st.nft.get_owner_data_hamt(rt.store()).map_err(state_err)?;
    let rec = owners.get(&actor_id_key(owner)).map_err(|e| state_err(e.into()))?;
    Ok(rec.is_some_and(|r| r.operators.get(operator)))
}

/// Burn the caller's tokens; returns its balance.
pub fn burn(rt: &impl Runtime, token_ids: Vec<TokenID>) -> Result<u64> {
    let owner = caller(rt);
    with_nft(rt, |n| n.burn(&owner, &token_ids)).map(|(b, _)| b)
}
/// Burn as operator.
pub fn burn_from(rt: &impl Runtime, p: BurnFromParams) -> Result<()> {
    let operator = caller(rt);
    with_nft(rt, |n| n.burn_from(&p.from, &operator, &p.token_ids)).map(|_| ())
}

/// A page of the tokens.
pub fn list_tokens(rt: &impl Runtime, p: ListTokensParams) -> Result<ListTokensReturn> {
    read_nft(rt, |n| n.list_tokens(p.cursor, p.limit))
}
/// A page of an owner's tokens.
pub fn list_owned_tokens(
    rt: &impl Runtime,
    p: ListOwnedTokensParams,
) -> Result<ListOwnedTokensReturn> {
    read_nft(rt, |n| n.list_owned_tokens(&p.owner, p.cursor, p.limit))
        .map(|r| ListOwnedTokensReturn { tokens: r.tokens, next_cursor: r.next_cursor })
}
/// A page of a token's operators.
pub fn list_token_operators(
    rt: &impl Runtime,
    p: ListTokenOperatorsParams,
) -> Result<ListTokenOperatorsReturn> {
    read_nft(rt, |n| n.list_token_operators(p.token_id, p.cursor, p.limit))
}
/// A page of the tokens an operator may move.
pub fn list_operator_tokens(
    rt: &impl Runtime,
    p: ListOperatorTokensParams,
) -> Result<ListOperatorTokensReturn> {
    read_nft(rt, |n| n.list_operator_tokens(&p.operator, p.cursor, p.limit))
}
/// A page of an owner's account-level operators.
pub fn list_account_operators(
    rt: &impl Runtime,
    p: ListAccountOperatorsParams,
) -> Result<ListAccountOperatorsReturn> {
    read_nft(rt, |n| n.list_account_operators(&p.owner, p.cursor, p.limit))
}

/// Mint one token (open).
pub fn mint(rt: &impl Runtime, p: MintParams) -> Result<MintReturn> {
    batch_mint(
        rt,
        BatchMintParams { to: p.to, metadata: vec![p.metadata], operator_data: p.operator_data },
    )
}
/// Mint many tokens in one call (open).
pub fn batch_mint(rt: &impl Runtime, p: BatchMintParams) -> Result<MintReturn> {
    let operator = caller(rt);
    with_hook(
        rt,
        |n| n.mint(&operator, &p.to, p.metadata, p.operator_data, RawBytes::default()),
        |st, i| st.mint_return(&runtime(), i),
    )
}

/// Routes a call.
pub fn invoke(
    rt: &impl Runtime,
    method: MethodNum,
    params: Option<IpldBlock>,
) -> Result<Option<IpldBlock>> {
    dispatch!(rt, method, params;
        Method::Constructor => constructor,
        Method::Name => name,
        Method::Symbol => symbol,
        Method::TotalSupply => total_supply,
        Method::BalanceOf => balance_of,
        Method::OwnerOf => owner_of,
        Method::Metadata => metadata,
        Method::Transfer => transfer,
        Method::TransferFrom => transfer_from,
        Method::Approve => approve,
        Method::Revoke => revoke,
        Method::ApproveForAll => approve_for_all,
        Method::RevokeForAll => revoke_for_all,
        Method::IsApprovedForAll => is_approved_for_all,
        Method::Burn => burn,
        Method::BurnFrom => burn_from,
        Method::ListTokens => list_tokens,
        Method::ListOwnedTokens => list_owned_tokens,
        Method::ListTokenOperators => list_token_operators,
        Method::ListOperatorTokens => list_operator_tokens,
        Method::ListAccountOperators => list_account_operators,
        Method::Mint => mint,
        Method::BatchMint => batch_mint,
    )
}

#[cfg(feature = "fil-actor")]
actorlib_kit::wasm_trampoline!(invoke);
