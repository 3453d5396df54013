//! A vault that holds FRC-46 tokens of one token for its owner, written the way an actor that
//! *imports* actorlib is: it depends on `actorlib_token` without that crate's `fil-actor` feature,
//! calls the token through [`TokenClient`], and decodes the receiver hook's payload with the token
//! crate's own [`FRC46TokenReceived`]. Nothing of the token's interface is copied here.
//!
//! - Its hook (`Receive`) accepts credits of its token only, and counts them.
//! - `Pay` (owner only) transfers some of its tokens through the client.
//! - `Holdings` asks the token for the vault's balance, read-only.
use actorlib_kit::builtin::INIT_ACTOR_ID;
use actorlib_kit::{caller, dispatch, method_hash, state, ActorError, Result, Runtime};
use actorlib_token::client::TokenClient;
use actorlib_token::{
    FRC46TokenReceived, TransferReturn, UniversalReceiverParams, FRC46_TOKEN_TYPE,
};
use fvm_ipld_encoding::ipld_block::IpldBlock;
use fvm_ipld_encoding::tuple::*;
use fvm_ipld_encoding::RawBytes;
use fvm_shared::address::Address;
use fvm_shared::econ::TokenAmount;
use fvm_shared::{ActorID, MethodNum};

/// The vault's methods.
#[repr(u64)]
pub enum Method {
    /// Called by init on deployment.
    Constructor = 1,
    /// The universal receiver hook.
    Receive = method_hash!("Receive"),
    /// Pays tokens out (owner only).
    Pay = method_hash!("Pay"),
    /// The vault's balance of its token, as the token reports it.
    Holdings = method_hash!("Holdings"),
}

/// Constructor parameters.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
pub struct ConstructorParams {
    /// Who may pay out.
    pub owner: Address,
    /// The only token the vault accepts.
    pub token: Address,
}

/// `Pay` parameters.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
pub struct PayParams {
    /// The recipient.
    pub to: Address,
    /// The amount.
    pub amount: TokenAmount,
}

/// The vault's state.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
pub struct State {
    /// Who may pay out.
    pub owner: ActorID,
    /// The token held.
    pub token: ActorID,
    /// Credits accepted by the hook.
    pub deposits: u64,
    /// The sum of those credits.
    pub deposited: TokenAmount,
}

/// `Constructor`: records the owner and the token (both must be actors).
pub fn constructor(rt: &impl Runtime, p: ConstructorParams) -> Result<()> {
    caller::require_caller(rt, &[INIT_ACTOR_ID])?;
    let owner = rt
        .resolve_address(&p.owner)
        .ok_or_else(|| ActorError::illegal_argument(format!("owner {} is no actor", p.owner)))?;
    let token = rt
        .resolve_address(&p.token)
        .ok_or_else(|| ActorError::illegal_argument(format!("token {} is no actor", p.token)))?;
    let st = State { owner, token, deposits: 0, deposited: TokenAmount::default() };
    state::save(rt, &st)?;
    Ok(())
}

/// `Receive`: accepts a credit of the vault's token; refuses anything else (the token then
/// reverts the credit).
pub fn receive(rt: &impl Runtime, p: UniversalReceiverParams) -> Result<()> {
    let mut st: State = state::load(rt)?;
    caller::require_caller(rt, &[st.token])?;
    if p.type_ != FRC46_TOKEN_TYPE {
        return Err(ActorError::illegal_argument(format!("asset type {} is not FRC-46", p.type_)));
    }
    let credit: FRC46TokenReceived = p
        .payload
        .deserialize()
        .map_err(|e| ActorError::serialization(format!("FRC46TokenReceived payload: {e}")))?;
    st.deposits += 1;
    st.deposited += credit.amount;
    state::save(rt, &st)?;
    Ok(())
}

/// `Pay`: transfers `amount` of the vault's tokens to `to` (owner only); returns the token's
/// answer.
pub fn pay(rt: &impl Runtime, p: PayParams) -> Result<TransferReturn> {
    let st: State = state::load(rt)?;
    caller::require_caller(rt, &[st.owner])?;
    TokenClient::new(Address::new_id(st.token)).transfer(rt, p.to, p.amount, RawBytes::default())
}

/// `Holdings`: the vault's balance, asked of the token.
pub fn holdings(rt: &impl Runtime, _: ()) -> Result<TokenAmount> {
    let st: State = state::load(rt)?;
    TokenClient::new(Address::new_id(st.token)).balance(rt, Address::new_id(rt.receiver()))
}

/// The vault's dispatch.
pub fn invoke(
    rt: &impl Runtime,
    method: MethodNum,
    params: Option<IpldBlock>,
) -> Result<Option<IpldBlock>> {
    dispatch!(rt, method, params;
        Method::Constructor => constructor,
        Method::Receive => receive,
        Method::Pay => pay,
        Method::Holdings => holdings,
    )
}

#[cfg(feature = "fil-actor")]
actorlib_kit::wasm_trampoline!(invoke);
