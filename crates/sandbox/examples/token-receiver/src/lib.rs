//! A token receiver that is an actor, not an account: FRC-46 tokens call its universal receiver
//! hook (`Receive`) on every credit, and how it answers is configurable, so tests can check how a
//! token treats a recipient that accepts, rejects, aborts with its own exit code, or calls back into
//! the token from inside the hook (forwarding what it just received, reading its new balance, or
//! burning it).
//!
//! It records every hook it accepts: how many arrived, which actor called it, the last
//! `FRC46TokenReceived` payload, and what any call back into the token returned.
//!
//! The types of the token it calls are mirrored in [`ext`] (an actor never depends on another
//! actor's crate); `crates/sandbox/tests/interface_mirrors.rs` pins them to `actorlib_token`'s.
use actorlib_kit::builtin::INIT_ACTOR_ID;
use actorlib_kit::{caller, dispatch, messaging, method_hash, state, ActorError, Result, Runtime};
use fvm_ipld_encoding::ipld_block::IpldBlock;
use fvm_ipld_encoding::tuple::*;
use fvm_ipld_encoding::RawBytes;
use fvm_shared::address::Address;
use fvm_shared::econ::TokenAmount;
use fvm_shared::error::ExitCode;
use fvm_shared::{ActorID, MethodNum};
use serde::{Deserialize, Serialize};

/// The token interface this actor uses, mirrored from `actorlib_token::types`.
pub mod ext {
    use super::*;

    /// The universal receiver hook's method number, `frc42_hash("Receive")`.
    pub const RECEIVE: u64 = method_hash!("Receive");
    /// The hook's asset type for FRC-46 tokens, `frc42_hash("FRC46")` as a `u32`.
    pub const FRC46_TOKEN_TYPE: u32 = method_hash!("FRC46") as u32;
    /// The token's `Transfer` method number.
    pub const TRANSFER: u64 = method_hash!("Transfer");
    /// The token's `Balance` method number.
    pub const BALANCE: u64 = method_hash!("Balance");
    /// The token's `Burn` method number.
    pub const BURN: u64 = method_hash!("Burn");

    /// The universal receiver hook's parameters.
    #[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
    pub struct UniversalReceiverParams {
        /// The asset type ([`FRC46_TOKEN_TYPE`] for an FRC-46 token).
        pub type_: u32,
        /// The CBOR payload ([`FRC46TokenReceived`] for an FRC-46 token).
        pub payload: RawBytes,
    }

    /// The payload of an FRC-46 token's hook.
    #[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
    pub struct FRC46TokenReceived {
        /// The account debited (the token itself for a mint).
        pub from: ActorID,
        /// The account credited (this actor).
        pub to: ActorID,
        /// The actor that initiated the mint or transfer.
        pub operator: ActorID,
        /// The amount received.
        pub amount: TokenAmount,
        /// Data from the operator.
        pub operator_data: RawBytes,
        /// Data from the token.
        pub token_data: RawBytes,
    }

    /// `Transfer` parameters.
    #[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
    pub struct TransferParams {
        /// The recipient.
        pub to: Address,
        /// The amount.
        pub amount: TokenAmount,
        /// Passed to the recipient's hook.
        pub operator_data: RawBytes,
    }

    /// `Transfer` return.
    #[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
    pub struct TransferReturn {
        /// The sender's balance.
        pub from_balance: TokenAmount,
        /// The recipient's balance.
        pub to_balance: TokenAmount,
    }

    /// `Burn` parameters (a 1-tuple).
    #[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
    pub struct BurnParams {
        /// The amount.
        pub amount: TokenAmount,
    }

    /// `Burn` return.
    #[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
    pub struct BurnReturn {
        /// The caller's remaining balance.
        pub balance: TokenAmount,
    }
}

/// How the receiver hook answers.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub enum Behaviour {
    /// Accepts and records the payload.
    Accept,
    /// Aborts with `USR_FORBIDDEN`, returning the CBOR string [`REJECTION`] as its data.
    Reject,
    /// Aborts with this exit code (a system code, below 16, becomes `USR_ASSERTION_FAILED`).
    AbortWithCode(u32),
    /// From inside the hook, calls the token's `Transfer` to send `amount` of its tokens to `to`
    /// (aborting with the token's exit code if that fails); records the token's return.
    ReenterTransfer {
        /// The token to call.
        token: Address,
        /// Where the tokens go.
        to: Address,
        /// How many.
        amount: TokenAmount,
    },
    /// From inside the hook, reads its own balance with a read-only `Balance` call; records it.
    ReenterQuery {
        /// The token to call.
        token: Address,
    },
    /// From inside the hook, burns `amount` of its tokens with `Burn`; records the token's return.
    ReenterBurn {
        /// The token to call.
        token: Address,
        /// How many.
        amount: TokenAmount,
    },
}

/// The return data of a [`Behaviour::Reject`] abort (CBOR text).
pub const REJECTION: &str = "this receiver rejects tokens";

/// Method numbers.
#[repr(u64)]
pub enum Method {
    /// Constructor (init only), with the initial [`Behaviour`].
    Constructor = 1,
    /// The universal receiver hook.
    Receive = method_hash!("Receive"),
    /// Changes the behaviour (anyone: a test actor).
    SetBehaviour = method_hash!("SetBehaviour"),
}

/// The receiver's state.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
pub struct State {
    /// How the hook answers.
    pub behaviour: Behaviour,
    /// How many hooks it accepted.
    pub received: u64,
    /// The caller (the token) of the last accepted hook.
    pub last_token: Option<ActorID>,
    /// The payload of the last accepted hook.
    pub last: Option<ext::FRC46TokenReceived>,
    /// What the last [`Behaviour::ReenterQuery`] read: its balance inside the hook.
    pub seen_balance: Option<TokenAmount>,
    /// What the last [`Behaviour::ReenterTransfer`]'s `Transfer` returned.
    pub forwarded: Option<ext::TransferReturn>,
    /// What the last [`Behaviour::ReenterBurn`]'s `Burn` returned.
    pub burnt: Option<ext::BurnReturn>,
}

/// Constructor: deployed through init.
pub fn constructor(rt: &impl Runtime, behaviour: Behaviour) -> Result<()> {
    caller::require_caller(rt, &[INIT_ACTOR_ID])?;
    state::save(
        rt,
        &State {
            behaviour,
            received: 0,
            last_token: None,
            last: None,
            seen_balance: None,
            forwarded: None,
            burnt: None,
        },
    )?;
    Ok(())
}

/// The universal receiver hook: answers as configured.
pub fn receive(rt: &impl Runtime, p: ext::UniversalReceiverParams) -> Result<()> {
    if p.type_ != ext::FRC46_TOKEN_TYPE {
        return Err(ActorError::illegal_argument(format!("unknown asset type {}", p.type_)));
    }
    let received: ext::FRC46TokenReceived = p
        .payload
        .deserialize()
        .map_err(|e| ActorError::serialization(format!("FRC46TokenReceived payload: {e}")))?;
    let behaviour = state::load::<State>(rt)?.behaviour;
    let me = Address::new_id(rt.receiver());
    let (mut seen_balance, mut forwarded, mut burnt) = (None, None, None);
    match behaviour {
        Behaviour::Accept => {}
        Behaviour::Reject => {
            return Err(ActorError::forbidden(REJECTION)
                .with_data(IpldBlock::serialize_cbor(&REJECTION).ok().flatten()));
        }
        Behaviour::AbortWithCode(code) => {
            return Err(ActorError::new(ExitCode::new(code), format!("aborting with {code}")));
        }
        Behaviour::ReenterTransfer { token, to, amount } => {
            let p = ext::TransferParams { to, amount, operator_data: RawBytes::default() };
            forwarded =
                Some(messaging::send(rt, &token, ext::TRANSFER, &p, TokenAmount::default())?);
        }
        Behaviour::ReenterQuery { token } => {
            seen_balance = Some(messaging::send_read_only(rt, &token, ext::BALANCE, &me)?);
        }
        Behaviour::ReenterBurn { token, amount } => {
            let p = ext::BurnParams { amount };
            burnt = Some(messaging::send(rt, &token, ext::BURN, &p, TokenAmount::default())?);
        }
    }
    // Loaded again: a call back into the token may have credited (and so re-entered) this actor.
    let mut st: State = state::load(rt)?;
    st.received += 1;
    st.last_token = Some(rt.caller());
    st.last = Some(received);
    st.seen_balance = seen_balance.or(st.seen_balance);
    st.forwarded = forwarded.or(st.forwarded);
    st.burnt = burnt.or(st.burnt);
    state::save(rt, &st)?;
    Ok(())
}

/// Changes the behaviour (anyone: a test actor).
pub fn set_behaviour(rt: &impl Runtime, behaviour: Behaviour) -> Result<()> {
    let mut st: State = state::load(rt)?;
    st.behaviour = behaviour;
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
        Method::Receive => receive,
        Method::SetBehaviour => set_behaviour,
    )
}

#[cfg(feature = "fil-actor")]
actorlib_kit::wasm_trampoline!(invoke);
