//! A storage deal client that is an actor, not an account: the market asks it to authenticate each
//! proposal (FRC-44 `AuthenticateMessage`, sent read-only) and then notifies it of the published deal
//! (`MarketNotifyDeal`). Its answer is configurable, so tests can check how the market treats an
//! approving, rejecting or refusing client (or one that approves but then fails the notification),
//! and it records who notified it.
use actorlib_kit::builtin::INIT_ACTOR_ID;
use actorlib_kit::{caller, dispatch, method_hash, state, ActorError, Result, Runtime};
use fvm_ipld_encoding::ipld_block::IpldBlock;
use fvm_ipld_encoding::repr::{Deserialize_repr, Serialize_repr};
use fvm_ipld_encoding::strict_bytes;
use fvm_ipld_encoding::tuple::*;
use fvm_shared::{ActorID, MethodNum};

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
}

/// `AuthenticateMessage` parameters.
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq)]
pub struct AuthenticateMessageParams {
    /// Signature bytes (ignored: this client decides by its configured answer).
    #[serde(with = "strict_bytes")]
    pub signature: Vec<u8>,
    /// The proposal bytes.
    #[serde(with = "strict_bytes")]
    pub message: Vec<u8>,
}

/// `MarketNotifyDeal` parameters.
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq)]
pub struct MarketNotifyDealParams {
    /// CBOR of the published proposal.
    #[serde(with = "strict_bytes")]
    pub proposal: Vec<u8>,
    /// The deal's ID.
    pub deal_id: u64,
}

/// Constructor: deployed through init.
pub fn constructor(rt: &impl Runtime, answer: Answer) -> Result<()> {
    caller::require_caller(rt, &[INIT_ACTOR_ID])?;
    state::save(rt, &State { answer, notifications: 0, last_notifier: 0, last_deal_id: 0 })?;
    Ok(())
}

/// Answers as configured.
pub fn authenticate_message(rt: &impl Runtime, _p: AuthenticateMessageParams) -> Result<bool> {
    match state::load::<State>(rt)?.answer {
        Answer::Approve | Answer::FailNotification => Ok(true),
        Answer::Decline => Ok(false),
        Answer::Abort => Err(ActorError::forbidden("this client does not approve deals")),
    }
}

/// Records the notification (or refuses it, if so configured).
pub fn market_notify_deal(rt: &impl Runtime, p: MarketNotifyDealParams) -> Result<()> {
    let mut st: State = state::load(rt)?;
    if st.answer == Answer::FailNotification {
        return Err(ActorError::forbidden("this client refuses deal notifications"));
    }
    st.notifications += 1;
    st.last_notifier = rt.caller();
    st.last_deal_id = p.deal_id;
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
