//! Sandbox stand-in for the storage miner actor (builtin type 6, `storageminer`; one per storage
//! provider).
//!
//! Real interface (builtin-actors `actors/miner`, FIP-0029 for the beneficiary): every struct is CBOR
//! tuple encoded, single values are bare. Each method answers on its legacy number and on its
//! FRC-42 exported number alike.
//!
//! | # | exported | method | caller | params | return |
//! |---|---|---|---|---|---|
//! | 1 | — | Constructor | f01 init (or f00, sandbox) | [`ConstructorParams`] (sandbox shape) | none |
//! | 2 | — | ControlAddresses | any | none | `{owner, worker, control_addresses}` |
//! | 3 | 3302309124 | ChangeWorkerAddress | owner | `{new_worker, new_control_addresses}` | none |
//! | 21 | 2354970453 | ConfirmChangeWorkerAddress | owner | none | none |
//! | 23 | 1010589339 | ChangeOwnerAddress | owner (propose) / proposed owner (confirm) | `Address` (f0, else 16) | none |
//! | 16 | 2280458852 | WithdrawBalance | owner or beneficiary | `[amount_requested]` | `TokenAmount` withdrawn |
//! | 30 | 1570634796 | ChangeBeneficiary | owner / beneficiary / nominee | `{new_beneficiary, new_quota, new_expiration}` | none |
//! | 31 | 4158972569 | GetBeneficiary | any | none | `{active: {beneficiary, term}, proposed}` |
//! | — | 3275365574 | GetOwner | any | none | `{owner, proposed}` |
//! | — | 348244887 | IsControllingAddress | any | `Address` | `bool` (unresolvable: false) |
//! | — | 4026106874 | GetAvailableBalance | any | none | `TokenAmount` (may be negative) |
//! | — | 1726876304 | GetVestingFunds | any | none | `[[[epoch, amount], ...]]` |
//! | — | 3858292296 | GetSectorSize | any | none | `u64` |
//! | 22 | 3665352697 | RepayDebt | owner, worker or control | none (payable) | none |
//! | 4 | 1236548004 | ChangePeerID | owner, worker or control | `[new_id]` | none |
//! | 18 | 1063480576 | ChangeMultiaddrs | owner, worker or control | `[new_multi_addrs]` | none |
//! | — | 2812875329 | GetPeerID | any | none | `[peer_id]` |
//! | — | 1332909407 | GetMultiaddrs | any | none | `[multi_addrs]` |
//! | 14 | — | ApplyRewards | reward actor f02 | `{reward, penalty}` (value = reward) | none; locks 3/4 of the reward to vest, repays and burns fee debt |
//!
//! Block rewards arrive through `ApplyRewards` from the reward actor (the sandbox drives it with
//! `Sandbox::award_block_reward`), as on a real network: 1/4 of the reward is available at once,
//! 3/4 is locked and vests over 180 days in daily steps, each step's vesting epoch rounded up to a
//! multiple of 1440 epochs (12 hours; the real miner rounds from its proving period start, see
//! [`types::VESTING_QUANTIZATION_OFFSET`]); entries at the same epoch merge, so the table stays
//! bounded however many rewards arrive. A penalty is added to the fee debt, which the call repays
//! at once as far as it can, from funds still vesting first, and burns (f099).
//!
//! **Sandbox-only methods** (not on a real network; caller must be the system actor f00, so the
//! sandbox drives them with implicit messages). They stand in for sector pledge, penalties and
//! vesting funds of other origins, which the stand-in does not model:
//!
//! | # | method | params | effect |
//! |---|---|---|---|
//! | 1000 | SandboxLockFunds | `[amount]` | available → initial pledge (19 if more than available) |
//! | 1001 | SandboxUnlockFunds | `[amount]` | initial pledge → available (16 if more than the pledge) |
//! | 1002 | SandboxAddFeeDebt | `[amount]` | fee debt += amount |
//! | 1003 | SandboxAddVestingFunds | `{amount, vest_epoch}` | available → locked funds vesting after `vest_epoch` |
//!
//! **Differences from a real network** (details in the crate's README): no sectors, proofs,
//! deadlines, power or cron; the constructor takes a sector size instead of a PoSt proof type and
//! may also be called by f00 (a power stand-in may not exist to create miners through init); the
//! new worker must be an account but its key is not required to be BLS (sandbox accounts are
//! secp256k1); vested funds are released lazily by the state-changing money methods (withdrawals,
//! debt repayment, rewards, the sandbox lock methods) rather than also by deadline cron, so
//! `GetAvailableBalance` and `GetVestingFunds` show vested funds as locked until one of those
//! runs; pledge changes are not reported to a power actor.
pub mod state;
pub mod types;

use actorlib_kit::builtin::{
    BuiltinType, BURNT_FUNDS_ACTOR_ID, INIT_ACTOR_ID, REWARD_ACTOR_ID, SYSTEM_ACTOR_ID,
};
use actorlib_kit::{actor_error, caller, dispatch, messaging, ActorError, Result, Runtime};
use fvm_ipld_encoding::ipld_block::IpldBlock;
use fvm_shared::address::Address;
use fvm_shared::econ::TokenAmount;
use fvm_shared::MethodNum;

use crate::state::{check_control_addresses, check_peer_info, check_sector_size, MinerInfo, State};
pub use crate::types::*;

fn load(rt: &impl Runtime) -> Result<State> {
    actorlib_kit::state::load(rt)
}

fn save(rt: &impl Runtime, st: &State) -> Result<()> {
    actorlib_kit::state::save(rt, st).map(|_| ())
}

fn caller_address(rt: &impl Runtime) -> Address {
    Address::new_id(rt.caller())
}

/// Resolves a control (or owner, or beneficiary) address to an ID address; 16 if it does not
/// resolve.
fn resolve_control(rt: &impl Runtime, address: &Address) -> Result<Address> {
    rt.resolve_address(address)
        .map(Address::new_id)
        .ok_or_else(|| actor_error!(illegal_argument; "unable to resolve address {}", address))
}

fn resolve_controls(rt: &impl Runtime, addresses: &[Address]) -> Result<Vec<Address>> {
    addresses.iter().map(|a| resolve_control(rt, a)).collect()
}

/// Resolves a worker address: it must resolve to an account actor (16 otherwise). The real miner
/// also requires the account's key to be BLS; sandbox accounts are secp256k1, so that is skipped.
fn resolve_worker(rt: &impl Runtime, address: &Address) -> Result<Address> {
    let id = rt.resolve_address(address).ok_or_else(
        || actor_error!(illegal_argument; "unable to resolve worker address {}", address),
    )?;
    let is_account =
        rt.actor_code(id).and_then(|c| rt.builtin_type(&c)) == Some(BuiltinType::Account as i32);
    if !is_account {
        return Err(actor_error!(illegal_argument; "worker actor f0{} must be an account", id));
    }
    Ok(Address::new_id(id))
}

fn burn(rt: &impl Runtime, amount: &TokenAmount) -> Result<()> {
    if amount.is_positive() {
        messaging::transfer(rt, &Address::new_id(BURNT_FUNDS_ACTOR_ID), amount.clone())?;
    }
    Ok(())
}

/// Constructor: caller f01 (init, executing for the power actor) or f00 (the sandbox, which may not
/// have a power actor). Addresses are resolved to ID addresses; the owner is the beneficiary.
pub fn constructor(rt: &impl Runtime, params: ConstructorParams) -> Result<()> {
    caller::require_caller(rt, &[INIT_ACTOR_ID, SYSTEM_ACTOR_ID])?;
    check_control_addresses(&params.control_addresses)?;
    check_peer_info(&params.peer_id, &params.multiaddrs)?;
    check_sector_size(params.sector_size)?;
    let owner = resolve_control(rt, &params.owner)?;
    let worker = resolve_worker(rt, &params.worker)?;
    let control_addresses = resolve_controls(rt, &params.control_addresses)?;
    let info = MinerInfo::new(
        owner,
        worker,
        control_addresses,
        params.sector_size,
        params.peer_id,
        params.multiaddrs,
    );
    save(rt, &State::new(info))
}

/// Returns the owner, worker and control addresses.
pub fn control_addresses(rt: &impl Runtime, _: ()) -> Result<GetControlAddressesReturn> {
    let info = load(rt)?.info;
    Ok(GetControlAddressesReturn {
        owner: info.owner,
        worker: info.worker,
        control_addresses: info.control_addresses,
    })
}

/// Replaces the control addresses and queues a worker change (owner only).
pub fn change_worker_address(rt: &impl Runtime, params: ChangeWorkerAddressParams) -> Result<()> {
    check_control_addresses(&params.new_control_addresses)?;
    let new_worker = resolve_worker(rt, &params.new_worker)?;
    let controls = resolve_controls(rt, &params.new_control_addresses)?;
    let mut st = load(rt)?;
    st.info.change_worker(&caller_address(rt), new_worker, controls, rt.curr_epoch())?;
    save(rt, &st)
}

/// Applies a pending worker change once effective (owner only; otherwise a no-op).
pub fn confirm_change_worker_address(rt: &impl Runtime, _: ()) -> Result<()> {
    let mut st = load(rt)?;
    if st.info.confirm_worker(&caller_address(rt), rt.curr_epoch())? {
        save(rt, &st)?;
    }
    Ok(())
}

/// Proposes (owner) or confirms (proposed owner) an owner change.
pub fn change_owner_address(rt: &impl Runtime, new_owner: Address) -> Result<()> {
    let mut st = load(rt)?;
    st.info.change_owner(&caller_address(rt), new_owner)?;
    save(rt, &st)
}

/// Withdraws up to the requested amount to the beneficiary; returns the amount withdrawn.
pub fn withdraw_balance(rt: &impl Runtime, params: WithdrawBalanceParams) -> Result<TokenAmount> {
    let mut st = load(rt)?;
    let w = st.withdraw(
        &caller_address(rt),
        &rt.current_balance(),
        &params.amount_requested,
        rt.curr_epoch(),
    )?;
    save(rt, &st)?;
    if w.amount.is_positive() {
        messaging::transfer(rt, &w.to, w.amount.clone())?;
    }
    burn(rt, &w.fee_to_burn)?;
    st.check_balance_invariants(&rt.current_balance())?;
    Ok(w.amount)
}

/// Proposes (owner) or approves (current beneficiary, nominee) a beneficiary change.
pub fn change_beneficiary(rt: &impl Runtime, params: ChangeBeneficiaryParams) -> Result<()> {
    let new_beneficiary = resolve_control(rt, &params.new_beneficiary)?;
    let mut st = load(rt)?;
    st.info.change_beneficiary(
        &caller_address(rt),
        new_beneficiary,
        &params.new_quota,
        params.new_expiration,
        rt.curr_epoch(),
    )?;
    save(rt, &st)
}

/// Returns the active beneficiary and term, and the pending proposal.
pub fn get_beneficiary(rt: &impl Runtime, _: ()) -> Result<GetBeneficiaryReturn> {
    let info = load(rt)?.info;
    Ok(GetBeneficiaryReturn {
        active: ActiveBeneficiary { beneficiary: info.beneficiary, term: info.beneficiary_term },
        proposed: info.pending_beneficiary_term,
    })
}

/// Returns the owner and the proposed owner.
pub fn get_owner(rt: &impl Runtime, _: ()) -> Result<GetOwnerReturn> {
    let info = load(rt)?.info;
    Ok(GetOwnerReturn { owner: info.owner, proposed: info.pending_owner_address })
}

/// Whether an address is the owner, worker or a control address (false if it does not resolve).
pub fn is_controlling_address(rt: &impl Runtime, address: Address) -> Result<bool> {
    let Some(id) = rt.resolve_address(&address) else {
        return Ok(false);
    };
    Ok(load(rt)?.info.is_controlling(&Address::new_id(id)))
}

/// Returns the balance less locked funds, pledge and fee debt (may be negative).
pub fn get_available_balance(rt: &impl Runtime, _: ()) -> Result<TokenAmount> {
    Ok(load(rt)?.available_balance(&rt.current_balance()))
}

/// Returns the locked funds by vesting epoch.
pub fn get_vesting_funds(rt: &impl Runtime, _: ()) -> Result<GetVestingFundsReturn> {
    let funds = load(rt)?.vesting_funds;
    Ok(GetVestingFundsReturn {
        vesting_funds: funds.into_iter().map(|f| (f.epoch, f.amount)).collect(),
    })
}

/// Returns the sector size in bytes.
pub fn get_sector_size(rt: &impl Runtime, _: ()) -> Result<u64> {
    Ok(load(rt)?.info.sector_size)
}

/// Repays as much fee debt as possible (from vesting funds, then the unlocked balance, including
/// the value sent) and burns it.
pub fn repay_debt(rt: &impl Runtime, _: ()) -> Result<()> {
    let mut st = load(rt)?;
    st.info.require_controlling(&caller_address(rt))?;
    let to_burn = st.repay_partial_debt(&rt.current_balance(), rt.curr_epoch());
    save(rt, &st)?;
    burn(rt, &to_burn)?;
    st.check_balance_invariants(&rt.current_balance())
}

/// Returns the peer ID.
pub fn get_peer_id(rt: &impl Runtime, _: ()) -> Result<GetPeerIDReturn> {
    Ok(GetPeerIDReturn { peer_id: load(rt)?.info.peer_id })
}

/// Returns the multiaddresses.
pub fn get_multiaddrs(rt: &impl Runtime, _: ()) -> Result<GetMultiaddrsReturn> {
    Ok(GetMultiaddrsReturn { multi_addrs: load(rt)?.info.multi_address })
}

/// Replaces the peer ID (owner, worker or control).
pub fn change_peer_id(rt: &impl Runtime, params: ChangePeerIDParams) -> Result<()> {
    check_peer_info(&params.new_id, &[])?;
    let mut st = load(rt)?;
    st.info.require_controlling(&caller_address(rt))?;
    st.info.peer_id = params.new_id;
    save(rt, &st)
}

/// Replaces the multiaddresses (owner, worker or control).
pub fn change_multiaddrs(rt: &impl Runtime, params: ChangeMultiaddrsParams) -> Result<()> {
    check_peer_info(&[], &params.new_multi_addrs)?;
    let mut st = load(rt)?;
    st.info.require_controlling(&caller_address(rt))?;
    st.info.multi_address = params.new_multi_addrs;
    save(rt, &st)
}

/// Sandbox only (f00): moves available balance into the initial pledge.
pub fn sandbox_lock_funds(rt: &impl Runtime, params: SandboxAmountParams) -> Result<()> {
    caller::require_caller(rt, &[SYSTEM_ACTOR_ID])?;
    let mut st = load(rt)?;
    st.lock_pledge(&rt.current_balance(), &params.amount, rt.curr_epoch())?;
    save(rt, &st)
}

/// Sandbox only (f00): releases initial pledge to the available balance.
pub fn sandbox_unlock_funds(rt: &impl Runtime, params: SandboxAmountParams) -> Result<()> {
    caller::require_caller(rt, &[SYSTEM_ACTOR_ID])?;
    let mut st = load(rt)?;
    st.unlock_pledge(&params.amount)?;
    save(rt, &st)
}

/// Sandbox only (f00): adds fee debt.
pub fn sandbox_add_fee_debt(rt: &impl Runtime, params: SandboxAmountParams) -> Result<()> {
    caller::require_caller(rt, &[SYSTEM_ACTOR_ID])?;
    let mut st = load(rt)?;
    st.add_fee_debt(&params.amount)?;
    save(rt, &st)
}

/// Sandbox only (f00): moves available balance into locked funds vesting after an epoch.
pub fn sandbox_add_vesting_funds(
    rt: &impl Runtime,
    params: SandboxAddVestingFundsParams,
) -> Result<()> {
    caller::require_caller(rt, &[SYSTEM_ACTOR_ID])?;
    let mut st = load(rt)?;
    st.add_vesting_funds(
        &rt.current_balance(),
        &params.amount,
        params.vest_epoch,
        rt.curr_epoch(),
    )?;
    save(rt, &st)
}

/// Block reward, sent by the reward actor (f02) with the reward as value. As the real miner: 3/4
/// of the reward is locked and vests over 180 days (a step a day, vesting epochs rounded up to 12
/// hours), the rest is available at once; the penalty is added to the fee debt, which is then
/// repaid as far as possible (funds still vesting first, then the unlocked balance) and burnt.
///
/// Checks, in the real order: a negative reward or penalty is 16, a caller other than f02 is 18.
/// **Sandbox addition**: a reward different from the value received is 16.
pub fn apply_rewards(rt: &impl Runtime, params: ApplyRewardParams) -> Result<()> {
    if params.reward.is_negative() {
        return Err(actor_error!(illegal_argument; "negative reward {}", params.reward));
    }
    if params.penalty.is_negative() {
        return Err(actor_error!(illegal_argument; "negative penalty {}", params.penalty));
    }
    caller::require_caller(rt, &[REWARD_ACTOR_ID])?;
    if params.reward != rt.value_received() {
        return Err(ActorError::illegal_argument(format!(
            "reward {} differs from the value received {}",
            params.reward,
            rt.value_received()
        )));
    }
    let mut st = load(rt)?;
    let to_burn =
        st.apply_rewards(&rt.current_balance(), &params.reward, &params.penalty, rt.curr_epoch())?;
    save(rt, &st)?;
    burn(rt, &to_burn)?;
    st.check_balance_invariants(&rt.current_balance())
}

/// Routes a call; legacy and exported numbers reach the same handler.
pub fn invoke(
    rt: &impl Runtime,
    method: MethodNum,
    params: Option<IpldBlock>,
) -> Result<Option<IpldBlock>> {
    use Method::*;
    dispatch!(rt, method, params;
        Constructor => constructor,
        ControlAddresses => control_addresses,
        ChangeWorkerAddress => change_worker_address,
        ChangeWorkerAddressExported => change_worker_address,
        ConfirmChangeWorkerAddress => confirm_change_worker_address,
        ConfirmChangeWorkerAddressExported => confirm_change_worker_address,
        ChangeOwnerAddress => change_owner_address,
        ChangeOwnerAddressExported => change_owner_address,
        WithdrawBalance => withdraw_balance,
        WithdrawBalanceExported => withdraw_balance,
        ChangeBeneficiary => change_beneficiary,
        ChangeBeneficiaryExported => change_beneficiary,
        GetBeneficiary => get_beneficiary,
        GetBeneficiaryExported => get_beneficiary,
        GetOwnerExported => get_owner,
        IsControllingAddressExported => is_controlling_address,
        GetAvailableBalanceExported => get_available_balance,
        GetVestingFundsExported => get_vesting_funds,
        GetSectorSizeExported => get_sector_size,
        RepayDebt => repay_debt,
        RepayDebtExported => repay_debt,
        ChangePeerID => change_peer_id,
        ChangePeerIDExported => change_peer_id,
        ChangeMultiaddrs => change_multiaddrs,
        ChangeMultiaddrsExported => change_multiaddrs,
        GetPeerIDExported => get_peer_id,
        GetMultiaddrsExported => get_multiaddrs,
        SandboxLockFunds => sandbox_lock_funds,
        SandboxUnlockFunds => sandbox_unlock_funds,
        SandboxAddFeeDebt => sandbox_add_fee_debt,
        SandboxAddVestingFunds => sandbox_add_vesting_funds,
        ApplyRewards => apply_rewards,
    )
}

#[cfg(feature = "fil-actor")]
actorlib_kit::wasm_trampoline!(invoke);

#[cfg(test)]
mod tests;
