//! A plain FRC-46 token actor over the `frc46_token` library: the gas baseline actorlib's token is
//! measured against. Mint is open to anyone (benchmarks only).
// The library returns its own large `TokenError`; the closures here pass it through unchanged.
#![allow(clippy::result_large_err)]
use actorlib_kit::{dispatch, method_hash, ActorError, Result, Runtime};
use frc46_token::token::state::TokenState;
use frc46_token::token::types::{
    BurnFromParams, BurnFromReturn, BurnParams, BurnReturn, DecreaseAllowanceParams,
    GetAllowanceParams, IncreaseAllowanceParams, MintReturn, RevokeAllowanceParams,
    TransferFromParams, TransferFromReturn, TransferParams, TransferReturn,
};
use frc46_token::token::{Token, TokenError};
use fvm_actor_utils::blockstore::Blockstore as FvmBlockstore;
use fvm_actor_utils::syscalls::fvm_syscalls::FvmSyscalls;
use fvm_actor_utils::util::ActorRuntime;
use fvm_ipld_encoding::ipld_block::IpldBlock;
use fvm_ipld_encoding::tuple::*;
use fvm_ipld_encoding::RawBytes;
use fvm_shared::address::Address;
use fvm_shared::econ::TokenAmount;
use fvm_shared::error::ExitCode;
use fvm_shared::MethodNum;

/// Method numbers (FRC-42 hashes of the library's method names).
#[repr(u64)]
pub enum Method {
    /// Constructor.
    Constructor = 1,
    /// Token name.
    Name = method_hash!("Name"),
    /// Token symbol.
    Symbol = method_hash!("Symbol"),
    /// Granularity.
    Granularity = method_hash!("Granularity"),
    /// Total supply.
    TotalSupply = method_hash!("TotalSupply"),
    /// Balance of an address.
    BalanceOf = method_hash!("BalanceOf"),
    /// Allowance of an operator.
    Allowance = method_hash!("Allowance"),
    /// Transfer.
    Transfer = method_hash!("Transfer"),
    /// Transfer by an operator.
    TransferFrom = method_hash!("TransferFrom"),
    /// Increase an allowance.
    IncreaseAllowance = method_hash!("IncreaseAllowance"),
    /// Decrease an allowance.
    DecreaseAllowance = method_hash!("DecreaseAllowance"),
    /// Revoke an allowance.
    RevokeAllowance = method_hash!("RevokeAllowance"),
    /// Burn own tokens.
    Burn = method_hash!("Burn"),
    /// Burn as an operator.
    BurnFrom = method_hash!("BurnFrom"),
    /// Mint (open to anyone: benchmarks only).
    Mint = method_hash!("Mint"),
}

/// Constructor parameters.
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq)]
pub struct ConstructorParams {
    /// Name.
    pub name: String,
    /// Symbol.
    pub symbol: String,
    /// Granularity.
    pub granularity: u64,
}

/// Mint parameters.
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq)]
pub struct MintParams {
    /// Recipient.
    pub to: Address,
    /// Amount.
    pub amount: TokenAmount,
    /// Data for the receiver hook.
    pub operator_data: RawBytes,
}

/// The actor's state: the library's token state plus name, symbol and granularity.
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq)]
pub struct State {
    /// Name.
    pub name: String,
    /// Symbol.
    pub symbol: String,
    /// Granularity.
    pub granularity: u64,
    /// The library's state.
    pub token: TokenState,
}

fn err(e: TokenError) -> ActorError {
    ActorError::new(ExitCode::from(&e), e.to_string())
}

type Rt = ActorRuntime<FvmSyscalls, FvmBlockstore>;

fn runtime() -> Rt {
    ActorRuntime::<FvmSyscalls, FvmBlockstore>::new_fvm_runtime()
}

fn load(rt: &impl Runtime) -> Result<State> {
    actorlib_kit::state::load(rt)
}

fn save(rt: &impl Runtime, st: &State) -> Result<()> {
    actorlib_kit::state::save(rt, st).map(|_| ())
}

/// Runs a state change on the wrapped library token and saves it.
fn with_token<R>(
    rt: &impl Runtime,
    f: impl FnOnce(&mut Token<'_, FvmSyscalls, FvmBlockstore>) -> std::result::Result<R, TokenError>,
) -> Result<R> {
    let lib_rt = runtime();
    let mut st = load(rt)?;
    let granularity = st.granularity;
    let r = {
        let mut token = Token::wrap(&lib_rt, granularity, &mut st.token);
        let r = f(&mut token).map_err(err)?;
        token.flush().map_err(err)?;
        r
    };
    save(rt, &st)?;
    Ok(r)
}

/// Reads through the wrapped library token.
fn read_token<R>(
    rt: &impl Runtime,
    f: impl FnOnce(&Token<'_, FvmSyscalls, FvmBlockstore>) -> std::result::Result<R, TokenError>,
) -> Result<R> {
    let lib_rt = runtime();
    let mut st = load(rt)?;
    let granularity = st.granularity;
    let token = Token::wrap(&lib_rt, granularity, &mut st.token);
    f(&token).map_err(err)
}

fn caller(rt: &impl Runtime) -> Address {
    Address::new_id(rt.caller())
}

/// Constructor.
pub fn constructor(rt: &impl Runtime, p: ConstructorParams) -> Result<()> {
    let token =
        TokenState::new(rt.store()).map_err(|e| ActorError::illegal_state(e.to_string()))?;
    save(rt, &State { name: p.name, symbol: p.symbol, granularity: p.granularity, token })
}

/// Name.
pub fn name(rt: &impl Runtime, _: ()) -> Result<String> {
    Ok(load(rt)?.name)
}
/// Symbol.
pub fn symbol(rt: &impl Runtime, _: ()) -> Result<String> {
    Ok(load(rt)?.symbol)
}
/// Granularity.
pub fn granularity(rt: &impl Runtime, _: ()) -> Result<u64> {
    Ok(load(rt)?.granularity)
}
/// Total supply.
pub fn total_supply(rt: &impl Runtime, _: ()) -> Result<TokenAmount> {
    read_token(rt, |t| Ok(t.total_supply()))
}
/// Balance.
pub fn balance_of(rt: &impl Runtime, a: Address) -> Result<TokenAmount> {
    read_token(rt, |t| t.balance_of(&a))
}
/// Allowance.
pub fn allowance(rt: &impl Runtime, p: GetAllowanceParams) -> Result<TokenAmount> {
    read_token(rt, |t| t.allowance(&p.owner, &p.operator))
}
/// Increase allowance.
pub fn increase_allowance(rt: &impl Runtime, p: IncreaseAllowanceParams) -> Result<TokenAmount> {
    let owner = caller(rt);
    with_token(rt, |t| t.increase_allowance(&owner, &p.operator, &p.increase))
}
/// Decrease allowance.
pub fn decrease_allowance(rt: &impl Runtime, p: DecreaseAllowanceParams) -> Result<TokenAmount> {
    let owner = caller(rt);
    with_token(rt, |t| t.decrease_allowance(&owner, &p.operator, &p.decrease))
}
/// Revoke allowance.
pub fn revoke_allowance(rt: &impl Runtime, p: RevokeAllowanceParams) -> Result<TokenAmount> {
    let owner = caller(rt);
    with_token(rt, |t| t.revoke_allowance(&owner, &p.operator))
}
/// Burn.
pub fn burn(rt: &impl Runtime, p: BurnParams) -> Result<BurnReturn> {
    let owner = caller(rt);
    with_token(rt, |t| t.burn(&owner, &p.amount))
}
/// Burn as operator.
pub fn burn_from(rt: &impl Runtime, p: BurnFromParams) -> Result<BurnFromReturn> {
    let operator = caller(rt);
    with_token(rt, |t| t.burn_from(&operator, &p.owner, &p.amount))
}

/// Mutate, flush, call the receiver hook, reload, and compute the return from fresh state, as the
/// library prescribes.
fn with_hook<I, R>(
    rt: &impl Runtime,
    mutate: impl FnOnce(
        &mut Token<'_, FvmSyscalls, FvmBlockstore>,
    )
        -> std::result::Result<fvm_actor_utils::receiver::ReceiverHook<I>, TokenError>,
    finish: impl FnOnce(&Token<'_, FvmSyscalls, FvmBlockstore>, I) -> std::result::Result<R, TokenError>,
) -> Result<R>
where
    I: fvm_actor_utils::receiver::RecipientData,
{
    let lib_rt = runtime();
    let mut hook = with_token(rt, mutate)?;
    let intermediate =
        hook.call(&lib_rt).map_err(|e| ActorError::new(ExitCode::from(&e), e.to_string()))?;
    let mut st = load(rt)?;
    let granularity = st.granularity;
    let token = Token::wrap(&lib_rt, granularity, &mut st.token);
    finish(&token, intermediate).map_err(err)
}

/// Transfer.
pub fn transfer(rt: &impl Runtime, p: TransferParams) -> Result<TransferReturn> {
    let from = caller(rt);
    with_hook(
        rt,
        |t| t.transfer(&from, &p.to, &p.amount, p.operator_data, RawBytes::default()),
        |t, i| t.transfer_return(i),
    )
}
/// Transfer by an operator.
pub fn transfer_from(rt: &impl Runtime, p: TransferFromParams) -> Result<TransferFromReturn> {
    let operator = caller(rt);
    with_hook(
        rt,
        |t| {
            t.transfer_from(
                &operator,
                &p.from,
                &p.to,
                &p.amount,
                p.operator_data,
                RawBytes::default(),
            )
        },
        |t, i| t.transfer_from_return(i),
    )
}
/// Mint (open).
pub fn mint(rt: &impl Runtime, p: MintParams) -> Result<MintReturn> {
    let operator = caller(rt);
    with_hook(
        rt,
        |t| t.mint(&operator, &p.to, &p.amount, p.operator_data, RawBytes::default()),
        |t, i| t.mint_return(i),
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
        Method::Granularity => granularity,
        Method::TotalSupply => total_supply,
        Method::BalanceOf => balance_of,
        Method::Allowance => allowance,
        Method::Transfer => transfer,
        Method::TransferFrom => transfer_from,
        Method::IncreaseAllowance => increase_allowance,
        Method::DecreaseAllowance => decrease_allowance,
        Method::RevokeAllowance => revoke_allowance,
        Method::Burn => burn,
        Method::BurnFrom => burn_from,
        Method::Mint => mint,
    )
}

#[cfg(feature = "fil-actor")]
actorlib_kit::wasm_trampoline!(invoke);
