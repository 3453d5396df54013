//! A storage deal client that is an actor, not an account: the market asks it to authenticate each
//! proposal (FRC-44 `AuthenticateMessage`, sent read-only) and then notifies it of the published deal
//! (`MarketNotifyDeal`). Its answer is configurable, so tests can check how the market treats an
//! approving, rejecting or refusing client (or one that approves but then fails the notification),
//! and it records who notified it of which piece.
//!
//! Both calls carry the deal proposal as CBOR bytes; the client decodes them with the kit's
//! [`DealProposal`], so a test through the sandbox's market also checks that the kit's shapes are
//! the market's.
use actorlib_kit::builtin::{INIT_ACTOR_ID, STORAGE_MARKET_ACTOR_ID};
use actorlib_kit::ext::market::DealProposal;
use actorlib_kit::{
    actor_error, caller, dispatch, method_hash, state, ActorError, Result, Runtime,
};
use cid::Cid;
use fvm_ipld_encoding::ipld_block::IpldBlock;
use fvm_ipld_encoding::repr::{Deserialize_repr, Serialize_repr};
use fvm_ipld_encoding::tuple::*;
use fvm_shared::address::Address;
use fvm_shared::{ActorID, MethodNum};

pub use actorlib_kit::ext::frc44::AuthenticateMessageParams;
pub use actorlib_kit::ext::market::MarketNotifyDealParams;

/// How the client answers `AuthenticateMessage`.
#[derive(Serialize_repr, Deserialize_repr, Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Answer {
    /// Returns `true`.
    Approve = 0,
    /// Returns `false`.
    Decline = 1,
    /// Aborts with `USR_FORBIDDEN`.
    Abort = 2,
    /// Returns `true`, but then aborts `MarketNotifyDeal` with `USR_FORBIDDEN` (which makes the
    /// market abort the whole publication).
    FailNotification = 3,
}

/// Method numbers.
#[repr(u64)]
pub enum Method {
    /// Constructor.
    Constructor = 1,
    /// FRC-44.
    AuthenticateMessage = method_hash!("AuthenticateMessage"),
    /// Called by the market after publishing a deal for this client.
    MarketNotifyDeal = method_hash!("MarketNotifyDeal"),
    /// Changes the answer.
    SetAnswer = method_hash!("SetAnswer"),
}

/// The client's state.
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq)]
pub struct State {
    /// How `AuthenticateMessage` answers.
    pub answer: Answer,
    /// How many `MarketNotifyDeal` calls arrived.
    pub notifications: u64,
    /// Caller of the last `MarketNotifyDeal`.
    pub last_notifier: ActorID,
    /// Deal ID of the last `MarketNotifyDeal`.
    pub last_deal_id: u64,
    /// Piece of the last `MarketNotifyDeal`'s proposal.
    pub last_piece: Option<Cid>,
}

/// Constructor: deployed through init.
pub fn constructor(rt: &impl Runtime, answer: Answer) -> Result<()> {
    caller::require_caller(rt, &[INIT_ACTOR_ID])?;
    state::save(
        rt,
        &State { answer, notifications: 0, last_notifier: 0, last_deal_id: 0, last_piece: None },
    )?;
    Ok(())
}

/// Answers as configured, once the proposal decodes.
pub fn authenticate_message(rt: &impl Runtime, p: AuthenticateMessageParams) -> Result<bool> {
    DealProposal::decode(&p.message)?;
    match state::load::<State>(rt)?.answer {
        Answer::Approve | Answer::FailNotification => Ok(true),
        Answer::Decline => Ok(false),
        Answer::Abort => Err(ActorError::forbidden("this client does not approve deals")),
    }
}

/// Records the notification (or refuses it, if so configured). Only the market notifies, and only
/// of deals whose client is this actor.
pub fn market_notify_deal(rt: &impl Runtime, p: MarketNotifyDealParams) -> Result<()> {
    caller::require_caller(rt, &[STORAGE_MARKET_ACTOR_ID])?;
    let proposal = DealProposal::decode(&p.proposal)?;
    if proposal.client != Address::new_id(rt.receiver()) {
        return Err(actor_error!(illegal_argument; "deal {} is not this client's", p.deal_id));
    }
    let mut st: State = state::load(rt)?;
    if st.answer == Answer::FailNotification {
        return Err(ActorError::forbidden("this client refuses deal notifications"));
    }
    st.notifications += 1;
    st.last_notifier = rt.caller();
    st.last_deal_id = p.deal_id;
    st.last_piece = Some(proposal.piece_cid);
    state::save(rt, &st)?;
    Ok(())
}

/// Changes the answer (anyone: a test actor).
pub fn set_answer(rt: &impl Runtime, answer: Answer) -> Result<()> {
    let mut st: State = state::load(rt)?;
    st.answer = answer;
    state::save(rt, &st)?;
    Ok(())
}

/// Routes a call.
pub fn invoke(
    rt: &impl Runtime,
    method: MethodNum,
    params: Option<IpldBlock>,
) -> Result<Option<IpldBlock>> {
    dispatch!(rt, method, params;
        Method::Constructor => constructor,
        Method::AuthenticateMessage => authenticate_message,
        Method::MarketNotifyDeal => market_notify_deal,
        Method::SetAnswer => set_answer,
    )
}

#[cfg(feature = "fil-actor")]
actorlib_kit::wasm_trampoline!(invoke);
