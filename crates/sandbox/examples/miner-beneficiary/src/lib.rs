//! A storage miner's beneficiary, as an actor: the first half of a loan to a storage provider.
//!
//! The miner's owner proposes this actor as its beneficiary (FIP-0029 `ChangeBeneficiary`, with a
//! quota and an expiration). `Accept` approves the proposal only if it names this actor on terms at
//! least those the actor was built for; once it is the beneficiary, anyone may `Collect`: the actor
//! asks the miner for what its term still allows, at most the miner's available balance, and the
//! miner pays it here. A lender would then credit the amount against the debt.
//!
//! Every call to the miner goes through `actorlib_kit::ext::miner`, so a test through the
//! sandbox's miner also checks the kit's shapes against the miner's.
use actorlib_kit::builtin::{BuiltinType, INIT_ACTOR_ID};
use actorlib_kit::ext::miner::{self, ChangeBeneficiaryParams};
use actorlib_kit::{actor_error, caller, dispatch, method_hash, state, Result, Runtime};
use fvm_ipld_encoding::ipld_block::IpldBlock;
use fvm_ipld_encoding::tuple::*;
use fvm_shared::address::Address;
use fvm_shared::clock::ChainEpoch;
use fvm_shared::econ::TokenAmount;
use fvm_shared::{ActorID, MethodNum};

/// Method numbers.
#[repr(u64)]
pub enum Method {
    /// Constructor.
    Constructor = 1,
    /// Approves the miner owner's proposal naming this actor; returns whether it is now the
    /// beneficiary (the current beneficiary may still have to approve).
    Accept = method_hash!("Accept"),
    /// Pulls what the term allows from the miner; returns the amount received.
    Collect = method_hash!("Collect"),
}

/// Constructor parameters.
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq, Eq)]
pub struct ConstructorParams {
    /// The miner (any address that resolves to a storage miner actor).
    pub miner: Address,
    /// The smallest quota this actor accepts.
    pub min_quota: TokenAmount,
    /// The earliest expiration this actor accepts.
    pub min_expiration: ChainEpoch,
}

/// The actor's state.
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq, Eq)]
pub struct State {
    /// The miner.
    pub miner: ActorID,
    /// The smallest quota accepted.
    pub min_quota: TokenAmount,
    /// The earliest expiration accepted.
    pub min_expiration: ChainEpoch,
    /// Everything collected from the miner so far.
    pub collected: TokenAmount,
}

/// Constructor: deployed through init, for a storage miner.
pub fn constructor(rt: &impl Runtime, p: ConstructorParams) -> Result<()> {
    caller::require_caller(rt, &[INIT_ACTOR_ID])?;
    let miner = caller::resolve_id(rt, &p.miner)?;
    let is_miner = rt.actor_code(miner).and_then(|code| rt.builtin_type(&code))
        == Some(BuiltinType::Miner as i32);
    if !is_miner {
        return Err(actor_error!(illegal_argument; "actor {} is not a storage miner", miner));
    }
    if p.min_quota.is_negative() {
        return Err(actor_error!(illegal_argument; "negative minimum quota"));
    }
    state::save(
        rt,
        &State {
            miner,
            min_quota: p.min_quota,
            min_expiration: p.min_expiration,
            collected: TokenAmount::default(),
        },
    )?;
    Ok(())
}

/// Approves the pending proposal if it names this actor on acceptable terms.
pub fn accept(rt: &impl Runtime, _: ()) -> Result<bool> {
    caller::require_writable(rt)?;
    let st: State = state::load(rt)?;
    let miner_addr = Address::new_id(st.miner);
    let me = Address::new_id(rt.receiver());
    let proposed = miner::beneficiary(rt, &miner_addr)?
        .proposed
        .filter(|p| p.new_beneficiary == me)
        .ok_or_else(
            || actor_error!(not_found; "miner {} proposes no change to this actor", st.miner),
        )?;
    if proposed.new_quota < st.min_quota || proposed.new_expiration < st.min_expiration {
        return Err(actor_error!(illegal_argument;
            "terms {} until {} are below {} until {}",
            proposed.new_quota, proposed.new_expiration, st.min_quota, st.min_expiration));
    }
    miner::change_beneficiary(
        rt,
        &miner_addr,
        &ChangeBeneficiaryParams {
            new_beneficiary: me,
            new_quota: proposed.new_quota,
            new_expiration: proposed.new_expiration,
        },
    )?;
    Ok(miner::beneficiary(rt, &miner_addr)?.active.beneficiary == me)
}

/// Pulls `min(what the term allows, the miner's available balance)` from the miner.
pub fn collect(rt: &impl Runtime, _: ()) -> Result<TokenAmount> {
    caller::require_writable(rt)?;
    let mut st: State = state::load(rt)?;
    let miner_addr = Address::new_id(st.miner);
    let active = miner::beneficiary(rt, &miner_addr)?.active;
    if active.beneficiary != Address::new_id(rt.receiver()) {
        return Err(actor_error!(illegal_state; "not the beneficiary of miner {}", st.miner));
    }
    let allowed = active.term.available(rt.curr_epoch());
    let amount = allowed.min(miner::available_balance(rt, &miner_addr)?);
    if !amount.is_positive() {
        return Ok(TokenAmount::default());
    }
    let received = miner::withdraw_balance(rt, &miner_addr, amount)?;
    st.collected += &received;
    state::save(rt, &st)?;
    Ok(received)
}

/// Routes a call.
pub fn invoke(
    rt: &impl Runtime,
    method: MethodNum,
    params: Option<IpldBlock>,
) -> Result<Option<IpldBlock>> {
    dispatch!(rt, method, params;
        Method::Constructor => constructor,
        Method::Accept => accept,
        Method::Collect => collect,
    )
}

#[cfg(feature = "fil-actor")]
actorlib_kit::wasm_trampoline!(invoke);
