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
    ERR_BALANCE_INVARIANTS_BROKEN, MAX_CONTROL_ADDRESSES, MAX_MULTIADDR_DATA, MAX_PEER_ID_LENGTH,
    VALID_SECTOR_SIZES, WORKER_KEY_CHANGE_DELAY,
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
        match self.vesting_funds.binary_search_by_key(&vest_epoch, |f| f.epoch) {
            Ok(i) => self.vesting_funds[i].amount += amount,
            Err(i) => self
                .vesting_funds
                .insert(i, VestingFund { epoch: vest_epoch, amount: amount.clone() }),
        }
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
}
