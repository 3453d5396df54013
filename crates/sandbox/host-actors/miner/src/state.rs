//! The miner's state and the pure logic over it: owner, worker and control addresses, the FIP-0029
//! beneficiary state machine, and the balance bookkeeping (locked funds, vesting, pledge, fee debt).
//!
//! Nothing here touches a runtime: every function takes the caller, the epoch and the actor balance
//! as plain values, so that the rules are unit-testable on their own. The handlers in `lib.rs`
//! resolve addresses, load and save the state and do the sends.
//!
//! The layout is this stand-in's own: one tuple holding a [`MinerInfo`] (the real miner's
//! `MinerInfo` fields that the stand-in models, in the real order) and the money fields of the real
//! `State`. The real miner keeps `MinerInfo` behind a CID and the vesting table in a separate block;
//! nothing outside the actor reads either.
use fvm_ipld_encoding::tuple::*;
use fvm_ipld_encoding::{strict_bytes, BytesDe};
use fvm_shared::address::{Address, Protocol};
use fvm_shared::clock::ChainEpoch;
use fvm_shared::econ::TokenAmount;

use actorlib_kit::{actor_error, ActorError, Result};

use crate::types::{
    VestSpec, ERR_BALANCE_INVARIANTS_BROKEN, LOCKED_REWARD_FACTOR_DENOM, LOCKED_REWARD_FACTOR_NUM,
    MAX_CONTROL_ADDRESSES, MAX_MULTIADDR_DATA, MAX_PEER_ID_LENGTH, REWARD_VESTING_SPEC,
    VALID_SECTOR_SIZES, VESTING_QUANTIZATION_OFFSET, WORKER_KEY_CHANGE_DELAY,
};

/// A requested worker change, effective from `effective_at`.
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq, Eq)]
pub struct WorkerKeyChange {
    /// The new worker (f0).
    pub new_worker: Address,
    /// The first epoch at which the change can be confirmed.
    pub effective_at: ChainEpoch,
}

/// The terms under which the beneficiary may withdraw (FIP-0029).
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, Default, PartialEq, Eq)]
pub struct BeneficiaryTerm {
    /// Total the beneficiary may withdraw.
    pub quota: TokenAmount,
    /// Part of the quota already withdrawn.
    pub used_quota: TokenAmount,
    /// The term ends at this epoch.
    pub expiration: ChainEpoch,
}

impl BeneficiaryTerm {
    /// What the beneficiary may still withdraw at `epoch`: the unused quota while the term has not
    /// expired (`expiration > epoch`), else zero. Never negative.
    pub fn available(&self, epoch: ChainEpoch) -> TokenAmount {
        if self.expiration > epoch && self.quota > self.used_quota {
            &self.quota - &self.used_quota
        } else {
            TokenAmount::default()
        }
    }
}

/// A proposed beneficiary change awaiting approval by the nominee and the current beneficiary.
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq, Eq)]
pub struct PendingBeneficiaryChange {
    /// The nominee (f0).
    pub new_beneficiary: Address,
    /// The proposed quota.
    pub new_quota: TokenAmount,
    /// The proposed expiration.
    pub new_expiration: ChainEpoch,
    /// Whether the current beneficiary approved (or need not: its term is exhausted).
    pub approved_by_beneficiary: bool,
    /// Whether the nominee approved.
    pub approved_by_nominee: bool,
}

/// Funds that vest (leave `locked_funds`) once the epoch is past `epoch`.
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq, Eq)]
pub struct VestingFund {
    /// Vests when the current epoch is greater than this.
    pub epoch: ChainEpoch,
    /// Amount.
    pub amount: TokenAmount,
}

/// The modelled subset of the real `MinerInfo`, in the real field order. Every address is an ID
/// address.
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq, Eq)]
pub struct MinerInfo {
    /// Owner: proposes owner, worker and beneficiary changes, withdraws.
    pub owner: Address,
    /// Worker (an account).
    pub worker: Address,
    /// Other addresses allowed to act for the miner (at most 10).
    pub control_addresses: Vec<Address>,
    /// A requested worker change, if any.
    pub pending_worker_key: Option<WorkerKeyChange>,
    /// libp2p peer ID.
    #[serde(with = "strict_bytes")]
    pub peer_id: Vec<u8>,
    /// Multiaddresses.
    pub multi_address: Vec<BytesDe>,
    /// Sector size in bytes.
    pub sector_size: u64,
    /// Owner proposed by the owner, awaiting its confirmation.
    pub pending_owner_address: Option<Address>,
    /// Who receives withdrawals (the owner unless changed).
    pub beneficiary: Address,
    /// The beneficiary's term (all zero while the owner is the beneficiary by default).
    pub beneficiary_term: BeneficiaryTerm,
    /// A proposed beneficiary change, if any.
    pub pending_beneficiary_term: Option<PendingBeneficiaryChange>,
}

impl MinerInfo {
    /// A new miner's info: the owner is the beneficiary, with a zero term.
    pub fn new(
        owner: Address,
        worker: Address,
        control_addresses: Vec<Address>,
        sector_size: u64,
        peer_id: Vec<u8>,
        multi_address: Vec<BytesDe>,
    ) -> Self {
        Self {
            owner,
            worker,
            control_addresses,
            pending_worker_key: None,
            peer_id,
            multi_address,
            sector_size,
            pending_owner_address: None,
            beneficiary: owner,
            beneficiary_term: BeneficiaryTerm::default(),
            pending_beneficiary_term: None,
        }
    }

    /// Whether `address` (an ID address) is the owner, the worker or a control address.
    pub fn is_controlling(&self, address: &Address) -> bool {
        *address == self.owner
            || *address == self.worker
            || self.control_addresses.contains(address)
    }

    /// Fails with 18 unless `caller` is the owner, the worker or a control address.
    pub fn require_controlling(&self, caller: &Address) -> Result<()> {
        if self.is_controlling(caller) {
            Ok(())
        } else {
            Err(
                actor_error!(forbidden; "caller {} is not the owner, worker or a control address", caller),
            )
        }
    }

    /// Fails with 18 unless `caller` is the owner.
    pub fn require_owner(&self, caller: &Address) -> Result<()> {
        if *caller == self.owner {
            Ok(())
        } else {
            Err(actor_error!(forbidden; "caller {} is not the owner {}", caller, self.owner))
        }
    }

    /// `ChangeWorkerAddress` by the owner: replaces the control addresses now and queues a worker
    /// change effective [`WORKER_KEY_CHANGE_DELAY`] epochs later, unless the worker is unchanged or a
    /// change is already pending.
    pub fn change_worker(
        &mut self,
        caller: &Address,
        new_worker: Address,
        control_addresses: Vec<Address>,
        epoch: ChainEpoch,
    ) -> Result<()> {
        self.require_owner(caller)?;
        self.control_addresses = control_addresses;
        if new_worker != self.worker && self.pending_worker_key.is_none() {
            self.pending_worker_key =
                Some(WorkerKeyChange { new_worker, effective_at: epoch + WORKER_KEY_CHANGE_DELAY });
        }
        Ok(())
    }

    /// `ConfirmChangeWorkerAddress` by the owner: applies a pending worker change once its epoch has
    /// come; otherwise (none pending, or too early) does nothing. Returns whether the worker changed.
    pub fn confirm_worker(&mut self, caller: &Address, epoch: ChainEpoch) -> Result<bool> {
        self.require_owner(caller)?;
        match &self.pending_worker_key {
            Some(change) if epoch >= change.effective_at => {
                self.worker = change.new_worker;
                self.pending_worker_key = None;
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    /// `ChangeOwnerAddress`, two steps. The owner (or anyone while nothing is pending, which then
    /// fails unless it is the owner) proposes `new_owner`; proposing the current owner withdraws the
    /// proposal. The proposed address confirms by sending its own address: it becomes the owner,
    /// takes over as beneficiary if the old owner was the beneficiary, and any pending beneficiary
    /// change is cancelled.
    pub fn change_owner(&mut self, caller: &Address, new_owner: Address) -> Result<()> {
        if new_owner.protocol() != Protocol::ID {
            return Err(
                actor_error!(illegal_argument; "owner address {} must be an ID address", new_owner),
            );
        }
        match self.pending_owner_address {
            Some(pending) if *caller != self.owner => {
                if *caller != pending {
                    return Err(
                        actor_error!(forbidden; "caller {} is neither the owner nor the proposed owner {}", caller, pending),
                    );
                }
                if new_owner != pending {
                    return Err(
                        actor_error!(illegal_argument; "expected confirmation of {} got {}", pending, new_owner),
                    );
                }
                if self.beneficiary == self.owner {
                    self.beneficiary = pending;
                }
                self.pending_beneficiary_term = None;
                self.owner = pending;
            }
            _ => {
                self.require_owner(caller)?;
                self.pending_owner_address = Some(new_owner);
            }
        }
        if self.pending_owner_address == Some(self.owner) {
            self.pending_owner_address = None;
        }
        Ok(())
    }

    /// `ChangeBeneficiary` (FIP-0029). `new_beneficiary` is already resolved to an ID address.
    ///
    /// The owner proposes (replacing any pending proposal): a nominee other than the owner needs a
    /// positive quota, the owner as nominee needs quota and expiration zero. A proposal is
    /// pre-approved on behalf of the current beneficiary when its term has nothing left at `epoch`.
    /// Anyone else must be the current beneficiary or the nominee and repeat the proposal exactly.
    /// The caller's approvals are recorded (as beneficiary and/or nominee); once both are given the
    /// change applies, resetting the used quota if the beneficiary changes.
    pub fn change_beneficiary(
        &mut self,
        caller: &Address,
        new_beneficiary: Address,
        new_quota: &TokenAmount,
        new_expiration: ChainEpoch,
        epoch: ChainEpoch,
    ) -> Result<()> {
        if *caller == self.owner {
            if new_beneficiary != self.owner {
                if !new_quota.is_positive() {
                    return Err(
                        actor_error!(illegal_argument; "beneficiary quota {} must be greater than zero", new_quota),
                    );
                }
            } else {
                if !new_quota.is_zero() {
                    return Err(
                        actor_error!(illegal_argument; "owner beneficiary quota {} must be zero", new_quota),
                    );
                }
                if new_expiration != 0 {
                    return Err(
                        actor_error!(illegal_argument; "owner beneficiary expiration {} must be zero", new_expiration),
                    );
                }
            }
            self.pending_beneficiary_term = Some(PendingBeneficiaryChange {
                new_beneficiary,
                new_quota: new_quota.clone(),
                new_expiration,
                approved_by_beneficiary: self.beneficiary_term.available(epoch).is_zero(),
                approved_by_nominee: false,
            });
        } else {
            let pending = self
                .pending_beneficiary_term
                .as_ref()
                .ok_or_else(|| ActorError::forbidden("No changeBeneficiary proposal exists"))?;
            if *caller != self.beneficiary && *caller != pending.new_beneficiary {
                return Err(
                    actor_error!(forbidden; "caller {} is neither the nominee {} nor the current beneficiary {}", caller, pending.new_beneficiary, self.beneficiary),
                );
            }
            if pending.new_beneficiary != new_beneficiary {
                return Err(
                    actor_error!(illegal_argument; "new beneficiary {} differs from the proposed {}", new_beneficiary, pending.new_beneficiary),
                );
            }
            if pending.new_quota != *new_quota {
                return Err(
                    actor_error!(illegal_argument; "new quota {} differs from the proposed {}", new_quota, pending.new_quota),
                );
            }
            if pending.new_expiration != new_expiration {
                return Err(
                    actor_error!(illegal_argument; "new expiration {} differs from the proposed {}", new_expiration, pending.new_expiration),
                );
            }
        }

        let Some(pending) = self.pending_beneficiary_term.as_mut() else {
            return Ok(());
        };
        if *caller == self.beneficiary {
            pending.approved_by_beneficiary = true;
        }
        if *caller == new_beneficiary {
            pending.approved_by_nominee = true;
        }
        if pending.approved_by_beneficiary && pending.approved_by_nominee {
            if new_beneficiary != self.beneficiary {
                self.beneficiary_term.used_quota = TokenAmount::default();
            }
            self.beneficiary = new_beneficiary;
            self.beneficiary_term.quota = pending.new_quota.clone();
            self.beneficiary_term.expiration = pending.new_expiration;
            self.pending_beneficiary_term = None;
        }
        Ok(())
    }
}

/// Fails with 16 if there are more than [`MAX_CONTROL_ADDRESSES`] control addresses.
pub fn check_control_addresses(addresses: &[Address]) -> Result<()> {
    if addresses.len() > MAX_CONTROL_ADDRESSES {
        return Err(
            actor_error!(illegal_argument; "{} control addresses exceed the maximum of {}", addresses.len(), MAX_CONTROL_ADDRESSES),
        );
    }
    Ok(())
}

/// Fails with 16 if the peer ID is too long, a multiaddress is empty, or the multiaddresses are
/// too long in total.
pub fn check_peer_info(peer_id: &[u8], multiaddrs: &[BytesDe]) -> Result<()> {
    if peer_id.len() > MAX_PEER_ID_LENGTH {
        return Err(
            actor_error!(illegal_argument; "peer ID size of {} exceeds maximum size of {}", peer_id.len(), MAX_PEER_ID_LENGTH),
        );
    }
    let mut total = 0;
    for ma in multiaddrs {
        if ma.0.is_empty() {
            return Err(ActorError::illegal_argument("invalid empty multiaddr"));
        }
        total += ma.0.len();
    }
    if total > MAX_MULTIADDR_DATA {
        return Err(
            actor_error!(illegal_argument; "multiaddr size of {} exceeds maximum of {}", total, MAX_MULTIADDR_DATA),
        );
    }
    Ok(())
}

/// Fails with 16 unless `sector_size` is one of [`VALID_SECTOR_SIZES`].
pub fn check_sector_size(sector_size: u64) -> Result<()> {
    if VALID_SECTOR_SIZES.contains(&sector_size) {
        Ok(())
    } else {
        Err(
            actor_error!(illegal_argument; "sector size {} is not a registered proof's sector size", sector_size),
        )
    }
}

/// Fails with 16 if `amount` is negative.
fn require_non_negative(amount: &TokenAmount, what: &str) -> Result<()> {
    if amount.is_negative() {
        return Err(
            actor_error!(illegal_argument; "{} must not be negative, got {}", what, amount),
        );
    }
    Ok(())
}

/// Rounds `epoch` up to the nearest epoch that is `offset` plus a multiple of `unit` (`epoch`
/// itself if it is one). `unit` must be positive.
pub fn quantize_up(epoch: ChainEpoch, unit: ChainEpoch, offset: ChainEpoch) -> ChainEpoch {
    let past = (epoch - offset).rem_euclid(unit);
    if past == 0 {
        epoch
    } else {
        epoch + (unit - past)
    }
}

/// The part of a block reward that is locked to vest: 3/4 of it, rounded down. The rest is
/// available at once.
pub fn locked_reward(reward: &TokenAmount) -> TokenAmount {
    (reward * LOCKED_REWARD_FACTOR_NUM).div_floor(LOCKED_REWARD_FACTOR_DENOM)
}

/// The vesting table entries for `sum` locked at `epoch` under `spec`, vesting epochs quantized
/// from `offset`, in epoch order.
///
/// The clock starts at `start = epoch + initial_delay`. Step `k` (1, 2, ...) falls at
/// `start + k * step_duration` rounded up by [`quantize_up`]; by then
/// `sum * (vest_epoch - start) / vest_period` (rounded down) has vested in total, or all of `sum`
/// once `vest_period` has elapsed, and the step's entry holds the increase over the previous step.
/// Steps stop once all of `sum` is scheduled. Steps that add nothing (possible only for sums
/// below 180 attoFIL, through the rounding) get no entry; the real miner keeps them.
pub fn vesting_schedule(
    sum: &TokenAmount,
    epoch: ChainEpoch,
    spec: &VestSpec,
    offset: ChainEpoch,
) -> Vec<VestingFund> {
    let start = epoch + spec.initial_delay;
    let mut entries = Vec::new();
    let mut scheduled = TokenAmount::default();
    let mut step = start;
    while scheduled < *sum {
        step += spec.step_duration;
        let vest_epoch = quantize_up(step, spec.quantization, offset);
        let elapsed = vest_epoch - start;
        let target = if elapsed < spec.vest_period {
            (sum * elapsed).div_floor(spec.vest_period)
        } else {
            sum.clone()
        };
        let amount = &target - &scheduled;
        scheduled = target;
        if !amount.is_zero() {
            entries.push(VestingFund { epoch: vest_epoch, amount });
        }
    }
    entries
}

/// What a withdrawal pays out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Withdrawal {
    /// Amount sent to `to` (may be zero).
    pub amount: TokenAmount,
    /// The beneficiary (the owner unless changed).
    pub to: Address,
    /// Fee debt repaid, to burn.
    pub fee_to_burn: TokenAmount,
}

/// The miner's state.
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq, Eq)]
pub struct State {
    /// Addresses, peer info, sector size, beneficiary.
    pub info: MinerInfo,
    /// Locked funds: the sum of `vesting_funds`.
    pub locked_funds: TokenAmount,
    /// Locked funds by vesting epoch, in epoch order, no zero entries.
    pub vesting_funds: Vec<VestingFund>,
    /// Unpaid penalties.
    pub fee_debt: TokenAmount,
    /// Pledge held against sectors.
    pub initial_pledge: TokenAmount,
}

impl State {
    /// A new miner's state: no locked funds, pledge or debt.
    pub fn new(info: MinerInfo) -> Self {
        Self {
            info,
            locked_funds: TokenAmount::default(),
            vesting_funds: Vec::new(),
            fee_debt: TokenAmount::default(),
            initial_pledge: TokenAmount::default(),
        }
    }

    /// `balance - locked_funds - initial_pledge` (may be negative).
    pub fn unlocked_balance(&self, balance: &TokenAmount) -> TokenAmount {
        balance - &self.locked_funds - &self.initial_pledge
    }

    /// `balance - locked_funds - initial_pledge - fee_debt` (may be negative).
    pub fn available_balance(&self, balance: &TokenAmount) -> TokenAmount {
        self.unlocked_balance(balance) - &self.fee_debt
    }

    /// Fails with [`ERR_BALANCE_INVARIANTS_BROKEN`] if the balance does not cover locked funds and
    /// pledge, or the locked funds are not the vesting total.
    pub fn check_balance_invariants(&self, balance: &TokenAmount) -> Result<()> {
        let vesting: TokenAmount = self.vesting_funds.iter().map(|f| &f.amount).sum();
        if self.unlocked_balance(balance).is_negative()
            || vesting != self.locked_funds
            || self.fee_debt.is_negative()
            || self.initial_pledge.is_negative()
        {
            return Err(ActorError::new(
                ERR_BALANCE_INVARIANTS_BROKEN,
                format!(
                    "balance invariants broken: balance {}, locked {} (vesting {}), pledge {}, debt {}",
                    balance, self.locked_funds, vesting, self.initial_pledge, self.fee_debt
                ),
            ));
        }
        Ok(())
    }

    /// Releases the funds whose vesting epoch is before `epoch`; returns the amount released.
    pub fn unlock_vested_funds(&mut self, epoch: ChainEpoch) -> TokenAmount {
        let vested = self.vesting_funds.iter().take_while(|f| f.epoch < epoch).count();
        let amount: TokenAmount = self.vesting_funds.drain(..vested).map(|f| f.amount).sum();
        self.locked_funds -= &amount;
        amount
    }

    /// Takes up to `target` from funds not yet vested at `epoch`, earliest first; returns the
    /// amount taken (removed from the locked funds).
    fn take_unvested_funds(&mut self, epoch: ChainEpoch, target: &TokenAmount) -> TokenAmount {
        let mut taken = TokenAmount::default();
        for fund in self.vesting_funds.iter_mut().filter(|f| f.epoch >= epoch) {
            let want = target - &taken;
            if !want.is_positive() {
                break;
            }
            let take = if fund.amount < want { fund.amount.clone() } else { want };
            fund.amount -= &take;
            taken += take;
        }
        self.vesting_funds.retain(|f| !f.amount.is_zero());
        self.locked_funds -= &taken;
        taken
    }

    /// Repays all fee debt from the unlocked balance, or fails with 19 if it does not cover it.
    /// Returns the amount to burn.
    pub fn repay_debts(&mut self, balance: &TokenAmount) -> Result<TokenAmount> {
        let unlocked = self.unlocked_balance(balance);
        if unlocked < self.fee_debt {
            return Err(
                actor_error!(insufficient_funds; "unlocked balance {} can not repay fee debt {}", unlocked, self.fee_debt),
            );
        }
        Ok(std::mem::take(&mut self.fee_debt))
    }

    /// `RepayDebt`: repays as much fee debt as possible, first from funds still vesting, then from
    /// the unlocked balance (vested funds are released first). Returns the amount to burn.
    pub fn repay_partial_debt(&mut self, balance: &TokenAmount, epoch: ChainEpoch) -> TokenAmount {
        self.unlock_vested_funds(epoch);
        let unlocked = self.unlocked_balance(balance);
        let debt = self.fee_debt.clone();
        let from_vesting = self.take_unvested_funds(epoch, &debt);
        self.fee_debt -= &from_vesting;
        let from_balance = if unlocked.is_positive() {
            std::cmp::min(unlocked, self.fee_debt.clone())
        } else {
            TokenAmount::default()
        };
        self.fee_debt -= &from_balance;
        from_vesting + from_balance
    }

    /// `WithdrawBalance` by `caller` at `epoch` with the actor's `balance` (pure part).
    ///
    /// Negative request: 16. Caller neither owner nor beneficiary: 18. Releases vested funds,
    /// repays the fee debt (19 if the unlocked balance does not cover it), then withdraws
    /// `min(available balance, requested)`; a beneficiary other than the owner is further limited to
    /// its term's remaining quota (18 if nothing remains) and the amount counts against the quota.
    pub fn withdraw(
        &mut self,
        caller: &Address,
        balance: &TokenAmount,
        requested: &TokenAmount,
        epoch: ChainEpoch,
    ) -> Result<Withdrawal> {
        require_non_negative(requested, "amount requested")?;
        if *caller != self.info.owner && *caller != self.info.beneficiary {
            return Err(
                actor_error!(forbidden; "caller {} is neither the owner nor the beneficiary", caller),
            );
        }
        self.unlock_vested_funds(epoch);
        self.check_balance_invariants(balance)?;
        // The available balance already accounts for the debt about to be repaid.
        let available = self.available_balance(balance);
        let fee_to_burn = self.repay_debts(balance)?;
        let mut amount = std::cmp::min(available, requested.clone());
        if amount.is_negative() {
            return Err(actor_error!(illegal_state; "negative amount to withdraw: {}", amount));
        }
        let info = &mut self.info;
        if info.beneficiary != info.owner {
            let remaining = info.beneficiary_term.available(epoch);
            if remaining.is_zero() {
                return Err(
                    actor_error!(forbidden; "beneficiary expiration of epoch {} passed or quota of {} used up", info.beneficiary_term.expiration, info.beneficiary_term.quota),
                );
            }
            amount = std::cmp::min(amount, remaining);
            info.beneficiary_term.used_quota += &amount;
        }
        Ok(Withdrawal { amount, to: info.beneficiary, fee_to_burn })
    }

    /// `SandboxLockFunds`: moves `amount` of the available balance into the initial pledge (16 if
    /// negative, 19 if more than available).
    pub fn lock_pledge(
        &mut self,
        balance: &TokenAmount,
        amount: &TokenAmount,
        epoch: ChainEpoch,
    ) -> Result<()> {
        require_non_negative(amount, "amount")?;
        self.unlock_vested_funds(epoch);
        self.require_available(balance, amount)?;
        self.initial_pledge += amount;
        Ok(())
    }

    /// `SandboxUnlockFunds`: releases `amount` of the initial pledge (16 if negative or more than
    /// the pledge).
    pub fn unlock_pledge(&mut self, amount: &TokenAmount) -> Result<()> {
        require_non_negative(amount, "amount")?;
        if *amount > self.initial_pledge {
            return Err(
                actor_error!(illegal_argument; "cannot unlock {} of a pledge of {}", amount, self.initial_pledge),
            );
        }
        self.initial_pledge -= amount;
        Ok(())
    }

    /// `SandboxAddFeeDebt`: adds `amount` to the fee debt (16 if negative).
    pub fn add_fee_debt(&mut self, amount: &TokenAmount) -> Result<()> {
        require_non_negative(amount, "amount")?;
        self.fee_debt += amount;
        Ok(())
    }

    /// Adds `entries` (in epoch order) to the vesting table, adding each amount to the entry
    /// already at its epoch if there is one. Does not touch `locked_funds`.
    fn merge_vesting_funds(&mut self, entries: Vec<VestingFund>) {
        let mut old = std::mem::take(&mut self.vesting_funds).into_iter().peekable();
        let mut merged = Vec::with_capacity(old.len() + entries.len());
        for entry in entries {
            while let Some(earlier) = old.next_if(|f| f.epoch < entry.epoch) {
                merged.push(earlier);
            }
            match old.next_if(|f| f.epoch == entry.epoch) {
                Some(mut same) => {
                    same.amount += entry.amount;
                    merged.push(same);
                }
                None => merged.push(entry),
            }
        }
        merged.extend(old);
        self.vesting_funds = merged;
    }

    /// Releases the funds vested by `epoch`, then locks `sum` (already part of the balance) to
    /// vest under `spec` from `epoch` ([`vesting_schedule`], quantized from
    /// [`VESTING_QUANTIZATION_OFFSET`]); entries at an epoch already in the table are merged into
    /// it. Returns the amount released. 16 if `sum` is negative.
    pub fn add_locked_funds(
        &mut self,
        sum: &TokenAmount,
        spec: &VestSpec,
        epoch: ChainEpoch,
    ) -> Result<TokenAmount> {
        require_non_negative(sum, "vesting sum")?;
        let released = self.unlock_vested_funds(epoch);
        self.merge_vesting_funds(vesting_schedule(sum, epoch, spec, VESTING_QUANTIZATION_OFFSET));
        self.locked_funds += sum;
        Ok(released)
    }

    /// `ApplyRewards` (pure part) at `epoch`, with the actor's `balance` already holding the
    /// reward. Returns the fee debt repaid, to burn.
    ///
    /// As the real miner: 3/4 of `reward` ([`locked_reward`]) is locked to vest over 180 days
    /// ([`REWARD_VESTING_SPEC`]) after the funds vested by `epoch` are released (19 if the unlocked
    /// balance does not cover the part to lock); the rest is available at once. `penalty` is then
    /// added to the fee debt, and as much debt as possible is repaid, first from funds still
    /// vesting (earliest first, so typically the start of this reward's schedule), then from the
    /// unlocked balance ([`State::repay_partial_debt`]). Debt left over stays. 16 if `reward` or
    /// `penalty` is negative.
    pub fn apply_rewards(
        &mut self,
        balance: &TokenAmount,
        reward: &TokenAmount,
        penalty: &TokenAmount,
        epoch: ChainEpoch,
    ) -> Result<TokenAmount> {
        require_non_negative(reward, "reward")?;
        require_non_negative(penalty, "penalty")?;
        let to_lock = locked_reward(reward);
        let unlocked = self.unlocked_balance(balance);
        if unlocked < to_lock {
            return Err(
                actor_error!(insufficient_funds; "unlocked balance {} does not cover the {} of reward to lock", unlocked, to_lock),
            );
        }
        self.add_locked_funds(&to_lock, &REWARD_VESTING_SPEC, epoch)?;
        self.add_fee_debt(penalty)?;
        Ok(self.repay_partial_debt(balance, epoch))
    }

    /// `SandboxAddVestingFunds`: moves `amount` of the available balance into locked funds that
    /// vest after `vest_epoch` (16 if negative or `vest_epoch` is not after `epoch`, 19 if more than
    /// available).
    pub fn add_vesting_funds(
        &mut self,
        balance: &TokenAmount,
        amount: &TokenAmount,
        vest_epoch: ChainEpoch,
        epoch: ChainEpoch,
    ) -> Result<()> {
        require_non_negative(amount, "amount")?;
        if vest_epoch <= epoch {
            return Err(
                actor_error!(illegal_argument; "vesting epoch {} must be after the current epoch {}", vest_epoch, epoch),
            );
        }
        self.unlock_vested_funds(epoch);
        self.require_available(balance, amount)?;
        if amount.is_zero() {
            return Ok(());
        }
        self.merge_vesting_funds(vec![VestingFund { epoch: vest_epoch, amount: amount.clone() }]);
        self.locked_funds += amount;
        Ok(())
    }

    fn require_available(&self, balance: &TokenAmount, amount: &TokenAmount) -> Result<()> {
        let available = self.available_balance(balance);
        if *amount > available {
            return Err(
                actor_error!(insufficient_funds; "amount {} exceeds the available balance {}", amount, available),
            );
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fvm_shared::error::ExitCode;

    const OWNER: u64 = 100;
    const WORKER: u64 = 101;
    const CONTROL: u64 = 102;
    const BEN: u64 = 103;
    const OTHER: u64 = 104;

    fn id(n: u64) -> Address {
        Address::new_id(n)
    }
    fn atto(n: i64) -> TokenAmount {
        TokenAmount::from_atto(n)
    }
    fn info() -> MinerInfo {
        MinerInfo::new(id(OWNER), id(WORKER), vec![id(CONTROL)], 2048, vec![1], vec![])
    }
    fn code<T: std::fmt::Debug>(r: Result<T>) -> u32 {
        r.unwrap_err().code().value()
    }
    /// Gives `info` an active beneficiary BEN with the given term, through the FIP-0029 flow.
    fn with_beneficiary(info: &mut MinerInfo, quota: i64, expiration: ChainEpoch) {
        info.change_beneficiary(&id(OWNER), id(BEN), &atto(quota), expiration, 0).unwrap();
        info.change_beneficiary(&id(BEN), id(BEN), &atto(quota), expiration, 0).unwrap();
        assert_eq!(info.beneficiary, id(BEN));
    }

    #[test]
    fn beneficiary_term_available() {
        let t = BeneficiaryTerm { quota: atto(10), used_quota: atto(4), expiration: 50 };
        assert_eq!(t.available(49), atto(6));
        assert_eq!(t.available(50), atto(0));
        assert_eq!(t.available(51), atto(0));
        let used_up = BeneficiaryTerm { quota: atto(10), used_quota: atto(12), expiration: 50 };
        assert_eq!(used_up.available(0), atto(0));
        assert_eq!(BeneficiaryTerm::default().available(0), atto(0));
        assert_eq!(BeneficiaryTerm::default().available(-1), atto(0));
    }

    #[test]
    fn controlling_addresses() {
        let i = info();
        for a in [OWNER, WORKER, CONTROL] {
            assert!(i.is_controlling(&id(a)));
            i.require_controlling(&id(a)).unwrap();
        }
        assert!(!i.is_controlling(&id(OTHER)));
        assert_eq!(code(i.require_controlling(&id(OTHER))), 18);
    }

    #[test]
    fn worker_change_is_delayed_and_queued_once() {
        let mut i = info();
        assert_eq!(code(i.change_worker(&id(WORKER), id(OTHER), vec![], 10)), 18);
        // Same worker: only the control list changes.
        i.change_worker(&id(OWNER), id(WORKER), vec![], 10).unwrap();
        assert!(i.control_addresses.is_empty());
        assert_eq!(i.pending_worker_key, None);
        i.change_worker(&id(OWNER), id(OTHER), vec![id(CONTROL)], 10).unwrap();
        let pending = WorkerKeyChange { new_worker: id(OTHER), effective_at: 910 };
        assert_eq!(i.pending_worker_key, Some(pending.clone()));
        // A second request does not replace the pending one, but still replaces the controls.
        i.change_worker(&id(OWNER), id(BEN), vec![], 20).unwrap();
        assert_eq!(i.pending_worker_key, Some(pending));
        assert!(i.control_addresses.is_empty());
        assert_eq!(code(i.confirm_worker(&id(WORKER), 910)), 18);
        assert!(!i.confirm_worker(&id(OWNER), 909).unwrap());
        assert_eq!(i.worker, id(WORKER));
        assert!(i.confirm_worker(&id(OWNER), 910).unwrap());
        assert_eq!(i.worker, id(OTHER));
        assert_eq!(i.pending_worker_key, None);
        assert!(!i.confirm_worker(&id(OWNER), 2000).unwrap());
    }

    #[test]
    fn owner_change_two_steps() {
        let mut i = info();
        assert_eq!(code(i.change_owner(&id(OWNER), Address::new_actor(b"x"))), 16);
        // Nothing pending: only the owner may propose.
        assert_eq!(code(i.change_owner(&id(OTHER), id(OTHER))), 18);
        i.change_owner(&id(OWNER), id(OTHER)).unwrap();
        assert_eq!(i.pending_owner_address, Some(id(OTHER)));
        // Proposing the owner itself withdraws the proposal.
        i.change_owner(&id(OWNER), id(OWNER)).unwrap();
        assert_eq!(i.pending_owner_address, None);
        i.change_owner(&id(OWNER), id(OTHER)).unwrap();
        assert_eq!(code(i.change_owner(&id(WORKER), id(OTHER))), 18);
        assert_eq!(code(i.change_owner(&id(OTHER), id(WORKER))), 16);
        i.change_owner(&id(OTHER), id(OTHER)).unwrap();
        assert_eq!(i.owner, id(OTHER));
        assert_eq!(i.pending_owner_address, None);
        // The owner was the beneficiary: the new owner is now.
        assert_eq!(i.beneficiary, id(OTHER));
        assert_eq!(code(i.change_owner(&id(OWNER), id(OWNER))), 18);
    }

    #[test]
    fn owner_change_keeps_other_beneficiary_and_cancels_pending_change() {
        let mut i = info();
        with_beneficiary(&mut i, 100, 1000);
        i.change_beneficiary(&id(OWNER), id(OTHER), &atto(5), 500, 0).unwrap();
        assert!(i.pending_beneficiary_term.is_some());
        i.change_owner(&id(OWNER), id(WORKER)).unwrap();
        i.change_owner(&id(WORKER), id(WORKER)).unwrap();
        assert_eq!(i.owner, id(WORKER));
        assert_eq!(i.beneficiary, id(BEN));
        assert_eq!(i.beneficiary_term.quota, atto(100));
        assert_eq!(i.pending_beneficiary_term, None);
    }

    #[test]
    fn owner_change_proposal_by_owner_replaces_pending() {
        let mut i = info();
        i.change_owner(&id(OWNER), id(OTHER)).unwrap();
        i.change_owner(&id(OWNER), id(BEN)).unwrap();
        assert_eq!(i.pending_owner_address, Some(id(BEN)));
        assert_eq!(code(i.change_owner(&id(OTHER), id(OTHER))), 18);
    }

    #[test]
    fn beneficiary_proposal_rules() {
        let mut i = info();
        assert_eq!(code(i.change_beneficiary(&id(OWNER), id(BEN), &atto(0), 100, 0)), 16);
        assert_eq!(code(i.change_beneficiary(&id(OWNER), id(BEN), &atto(-1), 100, 0)), 16);
        assert_eq!(code(i.change_beneficiary(&id(OWNER), id(OWNER), &atto(1), 0, 0)), 16);
        assert_eq!(code(i.change_beneficiary(&id(OWNER), id(OWNER), &atto(0), 5, 0)), 16);
        // No proposal: approvals are forbidden.
        assert_eq!(code(i.change_beneficiary(&id(BEN), id(BEN), &atto(1), 100, 0)), 18);
        i.change_beneficiary(&id(OWNER), id(BEN), &atto(10), 100, 0).unwrap();
        // The owner is the beneficiary (zero term): pre-approved and approved by the owner.
        let p = i.pending_beneficiary_term.clone().unwrap();
        assert!(p.approved_by_beneficiary && !p.approved_by_nominee);
        assert_eq!(code(i.change_beneficiary(&id(OTHER), id(BEN), &atto(10), 100, 0)), 18);
        assert_eq!(code(i.change_beneficiary(&id(BEN), id(OTHER), &atto(10), 100, 0)), 16);
        assert_eq!(code(i.change_beneficiary(&id(BEN), id(BEN), &atto(11), 100, 0)), 16);
        assert_eq!(code(i.change_beneficiary(&id(BEN), id(BEN), &atto(10), 101, 0)), 16);
        i.change_beneficiary(&id(BEN), id(BEN), &atto(10), 100, 0).unwrap();
        assert_eq!(i.beneficiary, id(BEN));
        assert_eq!(
            i.beneficiary_term,
            BeneficiaryTerm { quota: atto(10), used_quota: atto(0), expiration: 100 }
        );
        assert_eq!(i.pending_beneficiary_term, None);
    }

    #[test]
    fn beneficiary_change_needs_both_approvals_while_term_active() {
        let mut i = info();
        with_beneficiary(&mut i, 100, 1000);
        i.beneficiary_term.used_quota = atto(40);
        i.change_beneficiary(&id(OWNER), id(OTHER), &atto(50), 2000, 10).unwrap();
        let p = i.pending_beneficiary_term.clone().unwrap();
        assert!(!p.approved_by_beneficiary && !p.approved_by_nominee);
        // Nominee first, then the current beneficiary.
        i.change_beneficiary(&id(OTHER), id(OTHER), &atto(50), 2000, 10).unwrap();
        assert!(i.pending_beneficiary_term.as_ref().unwrap().approved_by_nominee);
        assert_eq!(i.beneficiary, id(BEN));
        i.change_beneficiary(&id(BEN), id(OTHER), &atto(50), 2000, 10).unwrap();
        assert_eq!(i.beneficiary, id(OTHER));
        assert_eq!(
            i.beneficiary_term,
            BeneficiaryTerm { quota: atto(50), used_quota: atto(0), expiration: 2000 }
        );
    }

    #[test]
    fn same_beneficiary_keeps_used_quota() {
        let mut i = info();
        with_beneficiary(&mut i, 100, 1000);
        i.beneficiary_term.used_quota = atto(40);
        i.change_beneficiary(&id(OWNER), id(BEN), &atto(200), 3000, 10).unwrap();
        // The caller is both the current beneficiary and the nominee: one approval suffices.
        i.change_beneficiary(&id(BEN), id(BEN), &atto(200), 3000, 10).unwrap();
        assert_eq!(
            i.beneficiary_term,
            BeneficiaryTerm { quota: atto(200), used_quota: atto(40), expiration: 3000 }
        );
    }

    #[test]
    fn exhausted_term_is_pre_approved() {
        let mut i = info();
        with_beneficiary(&mut i, 100, 1000);
        // Expired at epoch 1000: the owner can take the beneficiary back alone.
        i.change_beneficiary(&id(OWNER), id(OWNER), &atto(0), 0, 1000).unwrap();
        assert_eq!(i.beneficiary, id(OWNER));
        assert_eq!(i.beneficiary_term, BeneficiaryTerm::default());
        assert_eq!(i.pending_beneficiary_term, None);

        let mut i = info();
        with_beneficiary(&mut i, 100, 1000);
        i.beneficiary_term.used_quota = atto(100);
        i.change_beneficiary(&id(OWNER), id(OTHER), &atto(5), 1000, 10).unwrap();
        assert!(i.pending_beneficiary_term.as_ref().unwrap().approved_by_beneficiary);
        i.change_beneficiary(&id(OTHER), id(OTHER), &atto(5), 1000, 10).unwrap();
        assert_eq!(i.beneficiary, id(OTHER));
        assert_eq!(i.beneficiary_term.used_quota, atto(0));
    }

    #[test]
    fn owner_reclaiming_active_beneficiary_needs_its_approval() {
        let mut i = info();
        with_beneficiary(&mut i, 100, 1000);
        i.change_beneficiary(&id(OWNER), id(OWNER), &atto(0), 0, 10).unwrap();
        let p = i.pending_beneficiary_term.clone().unwrap();
        assert!(p.approved_by_nominee && !p.approved_by_beneficiary);
        assert_eq!(i.beneficiary, id(BEN));
        i.change_beneficiary(&id(BEN), id(OWNER), &atto(0), 0, 10).unwrap();
        assert_eq!(i.beneficiary, id(OWNER));
        assert_eq!(i.beneficiary_term, BeneficiaryTerm::default());
    }

    #[test]
    fn owner_proposal_overwrites_pending() {
        let mut i = info();
        i.change_beneficiary(&id(OWNER), id(BEN), &atto(10), 100, 0).unwrap();
        i.change_beneficiary(&id(OWNER), id(OTHER), &atto(20), 200, 0).unwrap();
        assert_eq!(code(i.change_beneficiary(&id(BEN), id(BEN), &atto(10), 100, 0)), 18);
        i.change_beneficiary(&id(OTHER), id(OTHER), &atto(20), 200, 0).unwrap();
        assert_eq!(i.beneficiary, id(OTHER));
    }

    #[test]
    fn parameter_checks() {
        check_control_addresses(&[id(1); 10]).unwrap();
        assert_eq!(code(check_control_addresses(&[id(1); 11])), 16);
        check_peer_info(&[0; 128], &[BytesDe(vec![1; 1024])]).unwrap();
        assert_eq!(code(check_peer_info(&[0; 129], &[])), 16);
        assert_eq!(code(check_peer_info(&[], &[BytesDe(vec![])])), 16);
        assert_eq!(code(check_peer_info(&[], &[BytesDe(vec![1; 1000]), BytesDe(vec![1; 25])])), 16);
        for s in VALID_SECTOR_SIZES {
            check_sector_size(s).unwrap();
        }
        check_sector_size(34359738368).unwrap();
        assert_eq!(code(check_sector_size(4096)), 16);
    }

    #[test]
    fn balances() {
        let mut st = State::new(info());
        let bal = atto(100);
        assert_eq!(st.available_balance(&bal), atto(100));
        st.lock_pledge(&bal, &atto(30), 0).unwrap();
        st.add_vesting_funds(&bal, &atto(20), 10, 0).unwrap();
        st.add_fee_debt(&atto(5)).unwrap();
        assert_eq!(st.unlocked_balance(&bal), atto(50));
        assert_eq!(st.available_balance(&bal), atto(45));
        assert_eq!(code(st.lock_pledge(&bal, &atto(46), 0)), 19);
        assert_eq!(code(st.lock_pledge(&bal, &atto(-1), 0)), 16);
        assert_eq!(code(st.add_fee_debt(&atto(-1))), 16);
        assert_eq!(code(st.unlock_pledge(&atto(31))), 16);
        assert_eq!(code(st.unlock_pledge(&atto(-1))), 16);
        st.add_fee_debt(&atto(100)).unwrap();
        assert_eq!(st.available_balance(&bal), atto(-55));
        st.unlock_pledge(&atto(30)).unwrap();
        assert_eq!(st.initial_pledge, atto(0));
        st.check_balance_invariants(&bal).unwrap();
        assert_eq!(st.check_balance_invariants(&atto(19)).unwrap_err().code().value(), 1000);
    }

    #[test]
    fn vesting_merges_sorts_and_unlocks() {
        let mut st = State::new(info());
        let bal = atto(100);
        st.add_vesting_funds(&bal, &atto(10), 20, 0).unwrap();
        st.add_vesting_funds(&bal, &atto(5), 10, 0).unwrap();
        st.add_vesting_funds(&bal, &atto(1), 20, 0).unwrap();
        st.add_vesting_funds(&bal, &atto(0), 30, 0).unwrap();
        assert_eq!(code(st.add_vesting_funds(&bal, &atto(1), 0, 0)), 16);
        assert_eq!(code(st.add_vesting_funds(&bal, &atto(-1), 5, 0)), 16);
        assert_eq!(code(st.add_vesting_funds(&bal, &atto(85), 5, 0)), 19);
        let epochs: Vec<_> = st.vesting_funds.iter().map(|f| (f.epoch, f.amount.clone())).collect();
        assert_eq!(epochs, vec![(10, atto(5)), (20, atto(11))]);
        assert_eq!(st.locked_funds, atto(16));
        assert_eq!(st.unlock_vested_funds(10), atto(0));
        assert_eq!(st.unlock_vested_funds(11), atto(5));
        assert_eq!(st.locked_funds, atto(11));
        assert_eq!(st.unlock_vested_funds(100), atto(11));
        assert!(st.vesting_funds.is_empty());
        st.check_balance_invariants(&bal).unwrap();
    }

    #[test]
    fn partial_debt_repayment_takes_unvested_first() {
        let mut st = State::new(info());
        let bal = atto(100);
        st.add_vesting_funds(&bal, &atto(10), 5, 0).unwrap();
        st.add_vesting_funds(&bal, &atto(10), 20, 0).unwrap();
        st.add_vesting_funds(&bal, &atto(10), 30, 0).unwrap();
        st.lock_pledge(&bal, &atto(60), 0).unwrap();
        st.add_fee_debt(&atto(25)).unwrap();
        // At epoch 10: the first fund vests (unlocked becomes 20), 20 comes from the unvested
        // funds, the last 5 from the unlocked balance.
        assert_eq!(st.repay_partial_debt(&bal, 10), atto(25));
        assert_eq!(st.fee_debt, atto(0));
        assert_eq!(st.locked_funds, atto(0));
        assert!(st.vesting_funds.is_empty());

        let mut st = State::new(info());
        st.add_vesting_funds(&bal, &atto(10), 20, 0).unwrap();
        st.lock_pledge(&bal, &atto(85), 0).unwrap();
        st.add_fee_debt(&atto(30)).unwrap();
        // All 10 still vesting, then the 5 unlocked: 15 repaid, 15 left.
        assert_eq!(st.repay_partial_debt(&bal, 0), atto(15));
        assert_eq!(st.fee_debt, atto(15));
        let mut st2 = State::new(info());
        st2.add_vesting_funds(&bal, &atto(10), 20, 0).unwrap();
        st2.add_fee_debt(&atto(4)).unwrap();
        assert_eq!(st2.repay_partial_debt(&bal, 0), atto(4));
        assert_eq!(st2.vesting_funds, vec![VestingFund { epoch: 20, amount: atto(6) }]);
        assert_eq!(st2.locked_funds, atto(6));
        // Nothing unlocked and no vesting: nothing repaid.
        let mut st3 = State::new(info());
        st3.lock_pledge(&bal, &atto(100), 0).unwrap();
        st3.add_fee_debt(&atto(4)).unwrap();
        assert_eq!(st3.repay_partial_debt(&bal, 0), atto(0));
        assert_eq!(st3.fee_debt, atto(4));
    }

    #[test]
    fn owner_withdrawal() {
        let mut st = State::new(info());
        let bal = atto(100);
        st.lock_pledge(&bal, &atto(30), 0).unwrap();
        st.add_fee_debt(&atto(10)).unwrap();
        assert_eq!(code(st.withdraw(&id(OWNER), &bal, &atto(-1), 0)), 16);
        assert_eq!(code(st.withdraw(&id(WORKER), &bal, &atto(1), 0)), 18);
        let w = st.withdraw(&id(OWNER), &bal, &atto(1000), 0).unwrap();
        assert_eq!(w, Withdrawal { amount: atto(60), to: id(OWNER), fee_to_burn: atto(10) });
        assert_eq!(st.fee_debt, atto(0));
        let w = st.clone().withdraw(&id(OWNER), &bal, &atto(7), 0).unwrap();
        assert_eq!(w.amount, atto(7));
        // Debt the unlocked balance cannot cover.
        st.add_fee_debt(&atto(71)).unwrap();
        assert_eq!(code(st.withdraw(&id(OWNER), &bal, &atto(1), 0)), 19);
    }

    #[test]
    fn withdrawal_releases_vested_funds() {
        let mut st = State::new(info());
        let bal = atto(100);
        st.add_vesting_funds(&bal, &atto(100), 10, 0).unwrap();
        assert_eq!(st.clone().withdraw(&id(OWNER), &bal, &atto(100), 10).unwrap().amount, atto(0));
        assert_eq!(st.withdraw(&id(OWNER), &bal, &atto(100), 11).unwrap().amount, atto(100));
        assert_eq!(st.locked_funds, atto(0));
    }

    #[test]
    fn beneficiary_withdrawals_use_the_quota() {
        let mut st = State::new(info());
        with_beneficiary(&mut st.info, 50, 100);
        let bal = atto(200);
        // The owner may withdraw too, but the funds go to the beneficiary and use its quota.
        let w = st.withdraw(&id(OWNER), &bal, &atto(30), 10).unwrap();
        assert_eq!(w, Withdrawal { amount: atto(30), to: id(BEN), fee_to_burn: atto(0) });
        let w = st.withdraw(&id(BEN), &bal, &atto(30), 10).unwrap();
        assert_eq!(w.amount, atto(20));
        assert_eq!(st.info.beneficiary_term.used_quota, atto(50));
        assert_eq!(code(st.withdraw(&id(BEN), &bal, &atto(1), 10)), 18);
        assert_eq!(code(st.withdraw(&id(OTHER), &bal, &atto(1), 10)), 18);

        let mut st = State::new(info());
        with_beneficiary(&mut st.info, 50, 100);
        assert_eq!(code(st.withdraw(&id(BEN), &bal, &atto(1), 100)), 18);
        // A zero request while quota remains succeeds with zero.
        assert_eq!(st.withdraw(&id(BEN), &bal, &atto(0), 99).unwrap().amount, atto(0));
        // Available below the remaining quota.
        st.lock_pledge(&bal, &atto(190), 0).unwrap();
        assert_eq!(st.withdraw(&id(BEN), &bal, &atto(50), 99).unwrap().amount, atto(10));
        assert_eq!(st.info.beneficiary_term.used_quota, atto(10));
    }

    #[test]
    fn state_round_trips() {
        let mut st = State::new(info());
        st.info.pending_worker_key = Some(WorkerKeyChange { new_worker: id(1), effective_at: 9 });
        st.add_vesting_funds(&atto(10), &atto(3), 7, 0).unwrap();
        let bytes = fvm_ipld_encoding::to_vec(&st).unwrap();
        assert_eq!(fvm_ipld_encoding::from_slice::<State>(&bytes).unwrap(), st);
        // MinerInfo is an 11-tuple; the term a 3-tuple; the pending change a 5-tuple.
        let info_bytes = fvm_ipld_encoding::to_vec(&st.info).unwrap();
        assert_eq!(info_bytes[0], 0x8b);
    }

    #[test]
    fn id_protocol_only_for_new_owner() {
        let mut i = info();
        let key = Address::new_secp256k1(&[4u8; 65]).unwrap();
        let e = i.change_owner(&id(OWNER), key).unwrap_err();
        assert_eq!(e.code(), ExitCode::USR_ILLEGAL_ARGUMENT);
    }

    /// Reward vesting: the real miner's rules (3/4 locked, 180 daily steps, 12-hour quantization).
    mod reward_vesting {
        use super::*;
        use crate::types::{EPOCHS_IN_DAY, REWARD_VESTING_SPEC};

        const DAY: ChainEpoch = EPOCHS_IN_DAY;
        const HALF_DAY: ChainEpoch = EPOCHS_IN_DAY / 2;
        const PERIOD: ChainEpoch = 180 * EPOCHS_IN_DAY;

        fn fil(n: i64) -> TokenAmount {
            TokenAmount::from_whole(n)
        }
        fn total(funds: &[VestingFund]) -> TokenAmount {
            funds.iter().map(|f| &f.amount).sum()
        }
        fn schedule(sum: &TokenAmount, epoch: ChainEpoch) -> Vec<VestingFund> {
            vesting_schedule(sum, epoch, &REWARD_VESTING_SPEC, VESTING_QUANTIZATION_OFFSET)
        }
        /// A miner that has just received `reward` at `epoch` (its balance holds `balance`).
        fn rewarded(balance: &TokenAmount, reward: &TokenAmount, epoch: ChainEpoch) -> State {
            let mut st = State::new(info());
            assert_eq!(st.apply_rewards(balance, reward, &atto(0), epoch).unwrap(), atto(0));
            st
        }

        #[test]
        fn policy_constants() {
            assert_eq!(DAY, 2880);
            assert_eq!(REWARD_VESTING_SPEC.initial_delay, 0);
            assert_eq!(REWARD_VESTING_SPEC.vest_period, 518_400);
            assert_eq!(REWARD_VESTING_SPEC.step_duration, 2880);
            assert_eq!(REWARD_VESTING_SPEC.quantization, 1440);
            assert_eq!(VESTING_QUANTIZATION_OFFSET, 0);
        }

        #[test]
        fn quantize_rounds_up_from_the_offset() {
            for (epoch, unit, offset, expected) in [
                (0, 1440, 0, 0),
                (1, 1440, 0, 1440),
                (1440, 1440, 0, 1440),
                (1441, 1440, 0, 2880),
                (2880 + 5, 1440, 0, 4320),
                (5, 10, 3, 13),
                (3, 10, 3, 3),
                (2, 10, 3, 3),
                (5, 10, 23, 13),
                (-5, 10, 0, 0),
                (-15, 10, 3, -7),
                (7, 1, 0, 7),
            ] {
                assert_eq!(quantize_up(epoch, unit, offset), expected, "{epoch} {unit} {offset}");
            }
        }

        #[test]
        fn three_quarters_of_a_reward_are_locked_rounded_down() {
            for (reward, locked) in [(0, 0), (1, 0), (2, 1), (3, 2), (4, 3), (100, 75), (101, 75)] {
                assert_eq!(locked_reward(&atto(reward)), atto(locked), "{reward}");
            }
            assert_eq!(locked_reward(&fil(20)), fil(15));
        }

        #[test]
        fn schedule_from_a_quantized_epoch_is_180_equal_daily_steps() {
            let sum = fil(180);
            let funds = schedule(&sum, 0);
            assert_eq!(funds.len(), 180);
            assert_eq!(total(&funds), sum);
            for (k, f) in funds.iter().enumerate() {
                assert_eq!(f.epoch, (k as ChainEpoch + 1) * DAY);
                assert_eq!(f.amount, fil(1), "step {k}");
            }
        }

        #[test]
        fn schedule_steps_are_quantized_and_sum_to_the_locked_amount() {
            // A reward at an epoch that is not on the 12-hour grid: every step rounds up.
            let sum = atto(1_000_000_007);
            let epoch = 1000;
            let funds = schedule(&sum, epoch);
            assert_eq!(funds.len(), 180);
            assert_eq!(total(&funds), sum);
            assert!(funds.iter().all(|f| f.epoch % HALF_DAY == 0 && f.amount.is_positive()));
            assert!(funds.windows(2).all(|w| w[0].epoch < w[1].epoch));
            // The first step: one day after the reward, rounded up to 12 hours.
            assert_eq!(funds[0].epoch, 4320);
            assert_eq!(funds[0].amount, (&sum * (4320 - epoch)).div_floor(PERIOD));
            // The last step completes the sum once 180 days have passed.
            assert_eq!(funds[179].epoch, quantize_up(epoch + PERIOD, HALF_DAY, 0));
            assert_eq!(funds[179].epoch, 519_840);
            // Each step brings the total to sum * elapsed / period (rounded down).
            let mut so_far = TokenAmount::default();
            for f in &funds[..179] {
                so_far += &f.amount;
                assert_eq!(so_far, (&sum * (f.epoch - epoch)).div_floor(PERIOD));
            }
            // Another offset moves the grid.
            let shifted = vesting_schedule(&sum, epoch, &REWARD_VESTING_SPEC, 100);
            assert_eq!(total(&shifted), sum);
            assert!(shifted.iter().all(|f| f.epoch % HALF_DAY == 100));
            assert_eq!(shifted[0].epoch, 4420);
        }

        #[test]
        fn small_sums_get_no_empty_steps() {
            for n in [1, 2, 75, 179, 180, 181, 1000] {
                for epoch in [0, 1000] {
                    let funds = schedule(&atto(n), epoch);
                    assert_eq!(total(&funds), atto(n));
                    assert!(funds.iter().all(|f| f.amount.is_positive()), "{n}");
                    // From 180 attoFIL on, every step adds something.
                    assert_eq!(funds.len() == 180, n >= 180, "{n} at {epoch}");
                }
            }
            assert_eq!(schedule(&atto(1), 0), vec![VestingFund { epoch: PERIOD, amount: atto(1) }]);
            assert!(schedule(&atto(0), 0).is_empty());
        }

        #[test]
        fn a_reward_locks_three_quarters_and_the_rest_is_available() {
            let st = rewarded(&fil(20), &fil(20), 0);
            assert_eq!(st.locked_funds, fil(15));
            assert_eq!(total(&st.vesting_funds), fil(15));
            assert_eq!(st.vesting_funds, schedule(&fil(15), 0));
            assert_eq!(st.available_balance(&fil(20)), fil(5));
            st.check_balance_invariants(&fil(20)).unwrap();
        }

        #[test]
        fn the_first_step_vests_a_day_after_the_reward_and_all_after_180_days() {
            let epoch = 700;
            let mut st = rewarded(&fil(4), &fil(4), epoch);
            let first = quantize_up(epoch + DAY, HALF_DAY, 0);
            assert_eq!(st.vesting_funds[0].epoch, first);
            // Funds vest once the epoch is past their entry's.
            assert_eq!(st.clone().unlock_vested_funds(first), atto(0));
            let step = st.vesting_funds[0].amount.clone();
            assert_eq!(st.clone().unlock_vested_funds(first + 1), step);
            let last = quantize_up(epoch + PERIOD, HALF_DAY, 0);
            assert!(last < epoch + PERIOD + HALF_DAY);
            assert!(st.clone().unlock_vested_funds(last).is_positive());
            assert!(!st.vesting_funds.is_empty());
            let mut at_last = st.clone();
            at_last.unlock_vested_funds(last);
            assert_eq!(at_last.vesting_funds.len(), 1);
            assert_eq!(st.unlock_vested_funds(epoch + PERIOD + HALF_DAY), fil(3));
            assert!(st.vesting_funds.is_empty());
            assert_eq!(st.locked_funds, atto(0));
            assert_eq!(st.available_balance(&fil(4)), fil(4));
        }

        #[test]
        fn rewards_in_the_same_epoch_merge_their_entries() {
            let mut st = rewarded(&fil(20), &fil(20), 10);
            let one = st.vesting_funds.clone();
            st.apply_rewards(&fil(40), &fil(20), &atto(0), 10).unwrap();
            assert_eq!(st.vesting_funds.len(), 180);
            for (merged, single) in st.vesting_funds.iter().zip(&one) {
                assert_eq!(merged.epoch, single.epoch);
                assert_eq!(merged.amount, &single.amount * 2);
            }
            assert_eq!(st.locked_funds, fil(30));
            // Within the same 12 hours the steps land on the same epochs too.
            st.apply_rewards(&fil(60), &fil(20), &atto(0), 1439).unwrap();
            assert_eq!(st.vesting_funds.len(), 180);
            assert_eq!(st.locked_funds, fil(45));
            st.check_balance_invariants(&fil(60)).unwrap();
        }

        #[test]
        fn the_table_stays_bounded_as_rewards_accumulate() {
            let mut st = State::new(info());
            let mut balance = TokenAmount::default();
            let reward = atto(1_000_000_000_000);
            // A reward every 100 epochs for 200 days (5760 rewards).
            let mut epoch = 0;
            while epoch < 200 * DAY {
                balance += &reward;
                st.apply_rewards(&balance, &reward, &atto(0), epoch).unwrap();
                // Nothing is due, nothing is stale: every entry is after the epoch, on the grid.
                assert!(
                    st.vesting_funds.len() <= 2 * 180 + 1,
                    "{} at {epoch}",
                    st.vesting_funds.len()
                );
                assert!(st
                    .vesting_funds
                    .iter()
                    .all(|f| f.epoch >= epoch && f.epoch % HALF_DAY == 0));
                epoch += 100;
            }
            assert_eq!(total(&st.vesting_funds), st.locked_funds);
            st.check_balance_invariants(&balance).unwrap();
        }

        #[test]
        fn vested_funds_are_released_before_locking() {
            let mut st = rewarded(&fil(4), &fil(4), 0);
            // Two days later: the first two steps have vested and leave the table.
            let released = st.add_locked_funds(&fil(3), &REWARD_VESTING_SPEC, 2 * DAY + 1).unwrap();
            assert_eq!(released, (fil(3) * 2).div_floor(180));
            assert_eq!(total(&st.vesting_funds), st.locked_funds);
            assert_eq!(st.locked_funds, fil(6) - &released);
            assert!(st.vesting_funds.iter().all(|f| f.epoch > 2 * DAY));
            assert_eq!(code(st.add_locked_funds(&atto(-1), &REWARD_VESTING_SPEC, 0)), 16);
        }

        #[test]
        fn a_penalty_is_repaid_from_the_new_locked_funds_and_burnt() {
            // 100 FIL reward, 21 FIL penalty: 75 locked, the penalty taken from the earliest
            // steps of the schedule and burnt; the 25 FIL at once are untouched.
            let mut st = State::new(info());
            let burn = st.apply_rewards(&fil(100), &fil(100), &fil(21), 0).unwrap();
            assert_eq!(burn, fil(21));
            assert_eq!(st.fee_debt, atto(0));
            assert_eq!(st.locked_funds, fil(54));
            assert_eq!(total(&st.vesting_funds), fil(54));
            let full = schedule(&fil(75), 0);
            // Each step is about 75/180 FIL: 50 whole steps go, the 51st is cut.
            assert!(total(&full[..50]) < fil(21) && total(&full[..51]) > fil(21));
            assert_eq!(st.vesting_funds.len(), 180 - 50);
            assert_eq!(st.vesting_funds[0].epoch, full[50].epoch);
            assert_eq!(st.vesting_funds[0].amount, total(&full[..51]) - fil(21));
            assert_eq!(st.vesting_funds[1..], full[51..]);
            // After the burn the balance is 79: 25 available.
            assert_eq!(st.available_balance(&fil(79)), fil(25));
            st.check_balance_invariants(&fil(79)).unwrap();
        }

        #[test]
        fn a_penalty_beyond_the_funds_leaves_fee_debt() {
            let mut st = State::new(info());
            let burn = st.apply_rewards(&fil(100), &fil(100), &fil(150), 0).unwrap();
            // Everything goes: the 75 vesting and the 25 unlocked; 50 remain owed.
            assert_eq!(burn, fil(100));
            assert_eq!(st.fee_debt, fil(50));
            assert_eq!(st.locked_funds, atto(0));
            assert!(st.vesting_funds.is_empty());
            assert_eq!(st.available_balance(&atto(0)), fil(-50));
            // The next reward repays the debt first, from its locked part, then its free part.
            let burn = st.apply_rewards(&fil(40), &fil(40), &atto(0), 10).unwrap();
            assert_eq!(burn, fil(40));
            assert_eq!(st.fee_debt, fil(10));
            assert!(st.vesting_funds.is_empty());
            st.check_balance_invariants(&atto(0)).unwrap();
        }

        #[test]
        fn a_reward_repays_earlier_fee_debt_and_respects_the_pledge() {
            let mut st = State::new(info());
            st.lock_pledge(&fil(10), &fil(10), 0).unwrap();
            st.add_fee_debt(&fil(2)).unwrap();
            // Balance 10 (pledge) + 8 (reward): 6 locked, 2 of debt out of the vesting funds.
            let burn = st.apply_rewards(&fil(18), &fil(8), &atto(0), 0).unwrap();
            assert_eq!(burn, fil(2));
            assert_eq!((st.fee_debt.clone(), st.locked_funds.clone()), (atto(0), fil(4)));
            assert_eq!(st.available_balance(&fil(16)), fil(2));
            // The part to lock must be covered by the unlocked balance (pledge excluded).
            let mut short = State::new(info());
            short.lock_pledge(&fil(10), &fil(10), 0).unwrap();
            assert_eq!(code(short.apply_rewards(&fil(12), &fil(4), &atto(0), 0)), 19);
            assert_eq!(code(short.apply_rewards(&fil(12), &atto(-1), &atto(0), 0)), 16);
            assert_eq!(code(short.apply_rewards(&fil(12), &atto(0), &atto(-1), 0)), 16);
            assert_eq!(short, {
                let mut s = State::new(info());
                s.lock_pledge(&fil(10), &fil(10), 0).unwrap();
                s
            });
        }
    }
}
