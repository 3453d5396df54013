//! Sandbox stand-in for the reward actor (f02): it holds the mining reserve and pays block rewards.
//!
//! Real interface (builtin-actors `actors/reward`, v17):
//!
//! | # | method | caller | params | return |
//! |---|---|---|---|---|
//! | 1 | Constructor | f00 | `Option<BigInt>` (current realised power) | none |
//! | 2 | AwardBlockReward | f00 | `{miner, penalty, gas_reward, win_count}` | none; sends the miner `ApplyRewards` (14) `{reward, penalty}` with value `reward` |
//! | 3 | ThisEpochReward | builtin actors | none | `{this_epoch_reward_smoothed: {position, velocity}, this_epoch_baseline_power}` |
//!
//! The reward actor exports no method. Like the real actor (`actor_dispatch!`), it refuses every
//! method number below 2^24 from a caller that is not a builtin actor (or is an EVM contract) with
//! `USR_FORBIDDEN` before dispatch ([`actorlib_kit::dispatch::restrict_internal_api`]), so user
//! actors cannot read `ThisEpochReward`.
//!
//! **Differences**: the reward per win is a fixed amount set at construction ([`State::reward_per_win`])
//! instead of the baseline-minting schedule, and `ThisEpochReward` reports that amount with zero
//! velocity and zero baseline power. The sandbox also uses `AwardBlockReward` with a `gas_reward` to
//! credit an exact amount: the miner receives `reward_per_win * win_count + gas_reward`, as on chain
//! (where gas rewards are added to the block reward). If the reserve is short, the miner gets what
//! is left, as the real actor does.
use actorlib_kit::builtin::SYSTEM_ACTOR_ID;
use actorlib_kit::{caller, dispatch, messaging, state, ActorError, Result, Runtime};
use fvm_ipld_encoding::ipld_block::IpldBlock;
use fvm_ipld_encoding::tuple::*;
use fvm_shared::address::Address;
use fvm_shared::bigint::bigint_ser;
use fvm_shared::bigint::BigInt;
use fvm_shared::econ::TokenAmount;
use fvm_shared::MethodNum;

/// The miner's method that receives rewards.
pub const MINER_APPLY_REWARDS: MethodNum = 14;

/// Method numbers.
#[repr(u64)]
pub enum Method {
    /// Constructor.
    Constructor = 1,
    /// Pays a block reward to a miner.
    AwardBlockReward = 2,
    /// The current epoch's reward estimate.
    ThisEpochReward = 3,
}

/// The reward actor's state.
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq)]
pub struct State {
    /// What one winning block pays.
    pub reward_per_win: TokenAmount,
    /// Total paid so far.
    pub total_paid: TokenAmount,
}

/// `AwardBlockReward` parameters.
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq)]
pub struct AwardBlockRewardParams {
    /// The winning miner.
    pub miner: Address,
    /// Penalty for the miner (passed on to `ApplyRewards`).
    pub penalty: TokenAmount,
    /// Gas rewards of the block, added to the reward.
    pub gas_reward: TokenAmount,
    /// Number of winning tickets.
    pub win_count: i64,
}

/// The miner's `ApplyRewards` parameters.
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq)]
pub struct ApplyRewardParams {
    /// Reward sent with the call.
    pub reward: TokenAmount,
    /// Penalty the miner owes.
    pub penalty: TokenAmount,
}

/// An alpha-beta filter estimate.
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq, Default)]
pub struct FilterEstimate {
    /// Position.
    #[serde(with = "bigint_ser")]
    pub position: BigInt,
    /// Velocity.
    #[serde(with = "bigint_ser")]
    pub velocity: BigInt,
}

/// `ThisEpochReward` return.
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq)]
pub struct ThisEpochRewardReturn {
    /// Smoothed reward estimate.
    pub this_epoch_reward_smoothed: FilterEstimate,
    /// Baseline power.
    #[serde(with = "bigint_ser")]
    pub this_epoch_baseline_power: BigInt,
}

/// The reward per win the sandbox starts with: 5 FIL.
pub fn default_reward_per_win() -> TokenAmount {
    TokenAmount::from_whole(5)
}

/// Constructor: caller f00; the parameter (realised power) is accepted and ignored.
pub fn constructor(rt: &impl Runtime, _power: Option<BigIntParam>) -> Result<()> {
    caller::require_caller(rt, &[SYSTEM_ACTOR_ID])?;
    state::save(
        rt,
        &State { reward_per_win: default_reward_per_win(), total_paid: TokenAmount::default() },
    )?;
    Ok(())
}

/// A BigInt parameter in the builtin encoding.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq)]
#[serde(transparent)]
pub struct BigIntParam(#[serde(with = "bigint_ser")] pub BigInt);

/// Pays `reward_per_win * win_count + gas_reward` (capped by the reserve) to the miner through its
/// `ApplyRewards` method.
pub fn award_block_reward(rt: &impl Runtime, p: AwardBlockRewardParams) -> Result<()> {
    caller::require_caller(rt, &[SYSTEM_ACTOR_ID])?;
    if p.win_count < 0 || p.penalty.is_negative() || p.gas_reward.is_negative() {
        return Err(ActorError::illegal_argument("negative win count, penalty or gas reward"));
    }
    let miner = caller::resolve_id(rt, &p.miner)
        .map_err(|e| ActorError::illegal_argument(e.message().to_string()))?;
    let mut st: State = state::load(rt)?;
    let mut reward = &st.reward_per_win * p.win_count + &p.gas_reward;
    let balance = rt.current_balance();
    if reward > balance {
        reward = balance;
    }
    st.total_paid += &reward;
    state::save(rt, &st)?;
    let params = ApplyRewardParams { reward: reward.clone(), penalty: p.penalty };
    messaging::send::<_, ()>(rt, &Address::new_id(miner), MINER_APPLY_REWARDS, &params, reward)
}

/// Reports the fixed reward per win as the smoothed estimate.
pub fn this_epoch_reward(rt: &impl Runtime, _: ()) -> Result<ThisEpochRewardReturn> {
    let st: State = state::load(rt)?;
    Ok(ThisEpochRewardReturn {
        this_epoch_reward_smoothed: FilterEstimate {
            position: st.reward_per_win.atto().clone(),
            velocity: BigInt::default(),
        },
        this_epoch_baseline_power: BigInt::default(),
    })
}

/// Routes a call.
pub fn invoke(
    rt: &impl Runtime,
    method: MethodNum,
    params: Option<IpldBlock>,
) -> Result<Option<IpldBlock>> {
    actorlib_kit::dispatch::restrict_internal_api(rt, method)?;
    dispatch!(rt, method, params;
        Method::Constructor => constructor,
        Method::AwardBlockReward => award_block_reward,
        Method::ThisEpochReward => this_epoch_reward,
    )
}

#[cfg(feature = "fil-actor")]
actorlib_kit::wasm_trampoline!(invoke);
