//! An NFT receiver that is an actor, not an account: FRC-53 collections call its universal receiver
//! hook (`Receive`) on every credit, and how it answers is configurable, so tests can check how a
//! collection treats a recipient that accepts, rejects, aborts with its own exit code, or calls back
//! into the collection from inside the hook (forwarding the tokens it just received, reading their
//! owner and its own balance, or burning them).
//!
//! It records every hook it accepts: how many arrived, which actor called it, the last
//! `FRC53TokensReceived` payload, and what any call back into the collection returned.
//!
//! The collection's types are mirrored in [`ext`] (an actor never depends on another actor's
//! crate); `actors/nft/tests/sandbox_receivers.rs` pins them to `actorlib_nft`'s encodings.
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

/// The collection interface this actor uses, mirrored from `actorlib_nft::types`.
pub mod ext {
    use super::*;

    /// The universal receiver hook's method number, `frc42_hash("Receive")`.
    pub const RECEIVE: u64 = method_hash!("Receive");
    /// The hook's asset type for FRC-53 tokens, `frc42_hash("FRC53")` as a `u32`.
    pub const FRC53_TOKEN_TYPE: u32 = method_hash!("FRC53") as u32;
    /// `Transfer`.
    pub const TRANSFER: u64 = method_hash!("Transfer");
    /// `OwnerOf`.
    pub const OWNER_OF: u64 = method_hash!("OwnerOf");
    /// `BalanceOf`.
    pub const BALANCE_OF: u64 = method_hash!("BalanceOf");
    /// `Burn`.
    pub const BURN: u64 = method_hash!("Burn");

    /// The universal receiver hook's parameters.
    #[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
    pub struct UniversalReceiverParams {
        /// The asset type ([`FRC53_TOKEN_TYPE`] for FRC-53 tokens).
        pub type_: u32,
        /// The CBOR payload ([`FRC53TokensReceived`] for FRC-53 tokens).
        pub payload: RawBytes,
    }

    /// The payload of an FRC-53 collection's hook (actorlib's layout, with `from`).
    #[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
    pub struct FRC53TokensReceived {
        /// The account debited (the collection itself for a mint).
        pub from: ActorID,
        /// The account credited (this actor).
        pub to: ActorID,
        /// The actor that initiated the mint or transfer.
        pub operator: ActorID,
        /// The tokens received.
        pub token_ids: Vec<u64>,
        /// Data from the operator.
        pub operator_data: RawBytes,
        /// Data from the collection.
        pub token_data: RawBytes,
    }

    /// `Transfer` parameters.
    #[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
    pub struct TransferParams {
        /// The recipient.
        pub to: Address,
        /// The tokens.
        pub token_ids: Vec<u64>,
        /// Passed to the recipient's hook.
        pub operator_data: RawBytes,
    }

    /// `Transfer` return.
    #[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
    pub struct TransferReturn {
        /// The sender's balance.
        pub from_balance: u64,
        /// The recipient's balance.
        pub to_balance: u64,
        /// The tokens moved.
        pub token_ids: Vec<u64>,
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
    /// From inside the hook, transfers every token it just received to `to` with `Transfer`
    /// (aborting with the collection's exit code if that fails); records the return.
    ReenterTransfer {
        /// The collection to call.
        nft: Address,
        /// Where the tokens go.
        to: Address,
    },
    /// From inside the hook, reads the owner of the first token received (`OwnerOf`) and its own
    /// balance (`BalanceOf`) with read-only calls; records both.
    ReenterQuery {
        /// The collection to call.
        nft: Address,
    },
    /// From inside the hook, burns every token it just received with `Burn`; records the balance
    /// the collection returns.
    ReenterBurn {
        /// The collection to call.
        nft: Address,
    },
}

/// The return data of a [`Behaviour::Reject`] abort (CBOR text).
pub const REJECTION: &str = "this receiver rejects NFTs";

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
    /// The caller (the collection) of the last accepted hook.
    pub last_nft: Option<ActorID>,
    /// The payload of the last accepted hook.
    pub last: Option<ext::FRC53TokensReceived>,
    /// What the last [`Behaviour::ReenterQuery`] read: the first token's owner inside the hook.
    pub seen_owner: Option<ActorID>,
    /// What the last [`Behaviour::ReenterQuery`] read: its own balance inside the hook.
    pub seen_balance: Option<u64>,
    /// What the last [`Behaviour::ReenterTransfer`]'s `Transfer` returned.
    pub forwarded: Option<ext::TransferReturn>,
    /// What the last [`Behaviour::ReenterBurn`]'s `Burn` returned (its balance after the burn).
    pub burnt: Option<u64>,
}

/// Constructor: deployed through init.
pub fn constructor(rt: &impl Runtime, behaviour: Behaviour) -> Result<()> {
    caller::require_caller(rt, &[INIT_ACTOR_ID])?;
    state::save(
        rt,
        &State {
            behaviour,
            received: 0,
            last_nft: None,
            last: None,
            seen_owner: None,
            seen_balance: None,
            forwarded: None,
            burnt: None,
        },
    )?;
    Ok(())
}

/// The universal receiver hook: answers as configured.
pub fn receive(rt: &impl Runtime, p: ext::UniversalReceiverParams) -> Result<()> {
    if p.type_ != ext::FRC53_TOKEN_TYPE {
        return Err(ActorError::illegal_argument(format!("unknown asset type {}", p.type_)));
    }
    // A refusing receiver refuses before reading the payload (whatever its layout).
    let behaviour = state::load::<State>(rt)?.behaviour;
    match behaviour {
        Behaviour::Reject => {
            return Err(ActorError::forbidden(REJECTION)
                .with_data(IpldBlock::serialize_cbor(&REJECTION).ok().flatten()));
        }
        Behaviour::AbortWithCode(code) => {
            return Err(ActorError::new(ExitCode::new(code), format!("aborting with {code}")));
        }
        _ => {}
    }
    let received: ext::FRC53TokensReceived = p
        .payload
        .deserialize()
        .map_err(|e| ActorError::serialization(format!("FRC53TokensReceived payload: {e}")))?;
    let me = Address::new_id(rt.receiver());
    let mut seen = None;
    let (mut forwarded, mut burnt) = (None, None);
    let zero = TokenAmount::default;
    match behaviour {
        Behaviour::Accept | Behaviour::Reject | Behaviour::AbortWithCode(_) => {}
        Behaviour::ReenterTransfer { nft, to } => {
            let p = ext::TransferParams {
                to,
                token_ids: received.token_ids.clone(),
                operator_data: RawBytes::default(),
            };
            forwarded = Some(messaging::send(rt, &nft, ext::TRANSFER, &p, zero())?);
        }
        Behaviour::ReenterQuery { nft } => {
            let first = received
                .token_ids
                .first()
                .copied()
                .ok_or_else(|| ActorError::illegal_argument("no token to query"))?;
            let owner: ActorID = messaging::send_read_only(rt, &nft, ext::OWNER_OF, &first)?;
            let balance: u64 = messaging::send_read_only(rt, &nft, ext::BALANCE_OF, &me)?;
            seen = Some((owner, balance));
        }
        Behaviour::ReenterBurn { nft } => {
            burnt = Some(messaging::send(rt, &nft, ext::BURN, &received.token_ids, zero())?);
        }
    }
    // Loaded again: a call back into the collection may have credited (and so re-entered) this
    // actor.
    let mut st: State = state::load(rt)?;
    st.received += 1;
    st.last_nft = Some(rt.caller());
    st.last = Some(received);
    if let Some((owner, balance)) = seen {
        st.seen_owner = Some(owner);
        st.seen_balance = Some(balance);
    }
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
