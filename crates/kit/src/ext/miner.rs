//! A storage miner actor: its owner, its beneficiary (FIP-0029) and its balance.
//!
//! Facts from the builtin miner (builtin-actors v17 `actors/miner`):
//! - the owner receives withdrawals unless a beneficiary is set; `ChangeBeneficiary` is proposed by
//!   the owner and takes effect when the nominee (and the current beneficiary, if its quota is not
//!   used up and its term has not expired) send the same parameters; a proposal naming the owner
//!   itself takes effect at once. The nominee's approval must match the proposal exactly, else
//!   `USR_ILLEGAL_ARGUMENT`;
//! - `WithdrawBalance` may be sent by the owner or the beneficiary; the amount goes to the
//!   beneficiary, capped by the available balance and the beneficiary's unused quota (while its term
//!   has not expired), and the return is the amount withdrawn (possibly zero);
//! - `GetAvailableBalance` may be negative (fee debt), `GetBeneficiary` answers the owner with an
//!   all-zero term when no beneficiary was ever set.
use fvm_ipld_encoding::tuple::*;
use fvm_shared::address::Address;
use fvm_shared::clock::ChainEpoch;
use fvm_shared::econ::TokenAmount;
use fvm_shared::MethodNum;

use crate::{messaging, Result, Runtime};

/// `ChangeBeneficiary`: [`ChangeBeneficiaryParams`] → none.
pub const CHANGE_BENEFICIARY: MethodNum = frc42_dispatch::method_hash!("ChangeBeneficiary");
/// `GetBeneficiary`: none → [`GetBeneficiaryReturn`].
pub const GET_BENEFICIARY: MethodNum = frc42_dispatch::method_hash!("GetBeneficiary");
/// `WithdrawBalance`: [`WithdrawBalanceParams`] → bare `TokenAmount` withdrawn.
pub const WITHDRAW_BALANCE: MethodNum = frc42_dispatch::method_hash!("WithdrawBalance");
/// `GetOwner`: none → [`GetOwnerReturn`].
pub const GET_OWNER: MethodNum = frc42_dispatch::method_hash!("GetOwner");
/// `IsControllingAddress`: bare `Address` → bare `bool` (owner, worker or a control address).
pub const IS_CONTROLLING_ADDRESS: MethodNum = frc42_dispatch::method_hash!("IsControllingAddress");
/// `GetAvailableBalance`: none → bare `TokenAmount` (may be negative).
pub const GET_AVAILABLE_BALANCE: MethodNum = frc42_dispatch::method_hash!("GetAvailableBalance");
/// `GetVestingFunds`: none → [`GetVestingFundsReturn`].
pub const GET_VESTING_FUNDS: MethodNum = frc42_dispatch::method_hash!("GetVestingFunds");
/// `GetSectorSize`: none → bare `u64`.
pub const GET_SECTOR_SIZE: MethodNum = frc42_dispatch::method_hash!("GetSectorSize");

/// `WithdrawBalance` parameters (a 1-tuple).
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq, Eq)]
pub struct WithdrawBalanceParams {
    /// The most to withdraw.
    pub amount_requested: TokenAmount,
}

/// `ChangeBeneficiary` parameters: a proposal (from the owner) or an approval (from the nominee or
/// the current beneficiary), which must repeat the proposal's values.
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq, Eq)]
pub struct ChangeBeneficiaryParams {
    /// The proposed beneficiary.
    pub new_beneficiary: Address,
    /// The most it may withdraw over its term.
    pub new_quota: TokenAmount,
    /// The epoch its term ends.
    pub new_expiration: ChainEpoch,
}

/// The terms under which a beneficiary may withdraw.
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, Default, PartialEq, Eq)]
pub struct BeneficiaryTerm {
    /// The total it may withdraw.
    pub quota: TokenAmount,
    /// The part of the quota already withdrawn.
    pub used_quota: TokenAmount,
    /// The term ends at this epoch.
    pub expiration: ChainEpoch,
}

impl BeneficiaryTerm {
    /// What the beneficiary may still withdraw at `epoch`: the unused quota while the term has not
    /// expired (`expiration > epoch`), else zero.
    pub fn available(&self, epoch: ChainEpoch) -> TokenAmount {
        if self.expiration > epoch && self.quota > self.used_quota {
            &self.quota - &self.used_quota
        } else {
            TokenAmount::default()
        }
    }
}

/// A proposed beneficiary change awaiting approvals.
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq, Eq)]
pub struct PendingBeneficiaryChange {
    /// The nominee.
    pub new_beneficiary: Address,
    /// The proposed quota.
    pub new_quota: TokenAmount,
    /// The proposed expiration.
    pub new_expiration: ChainEpoch,
    /// Whether the current beneficiary approved (or need not).
    pub approved_by_beneficiary: bool,
    /// Whether the nominee approved.
    pub approved_by_nominee: bool,
}

/// The beneficiary in force and its term.
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq, Eq)]
pub struct ActiveBeneficiary {
    /// The beneficiary (an ID address; the owner when none was set).
    pub beneficiary: Address,
    /// Its term.
    pub term: BeneficiaryTerm,
}

/// `GetBeneficiary` return.
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq, Eq)]
pub struct GetBeneficiaryReturn {
    /// The beneficiary in force.
    pub active: ActiveBeneficiary,
    /// The pending proposal, if any.
    pub proposed: Option<PendingBeneficiaryChange>,
}

/// `GetOwner` return.
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq, Eq)]
pub struct GetOwnerReturn {
    /// The owner (an ID address).
    pub owner: Address,
    /// The proposed new owner, if any.
    pub proposed: Option<Address>,
}

/// `GetVestingFunds` return (a 1-tuple): the locked funds and the epochs they vest at.
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq, Eq)]
pub struct GetVestingFundsReturn {
    /// `[epoch, amount]` pairs in epoch order.
    pub vesting_funds: Vec<(ChainEpoch, TokenAmount)>,
}

/// `GetOwner` of `miner`.
pub fn owner(rt: &impl Runtime, miner: &Address) -> Result<GetOwnerReturn> {
    messaging::send_read_only(rt, miner, GET_OWNER, &())
}

/// `GetBeneficiary` of `miner`.
pub fn beneficiary(rt: &impl Runtime, miner: &Address) -> Result<GetBeneficiaryReturn> {
    messaging::send_read_only(rt, miner, GET_BENEFICIARY, &())
}

/// `GetAvailableBalance` of `miner`.
pub fn available_balance(rt: &impl Runtime, miner: &Address) -> Result<TokenAmount> {
    messaging::send_read_only(rt, miner, GET_AVAILABLE_BALANCE, &())
}

/// `GetVestingFunds` of `miner`.
pub fn vesting_funds(rt: &impl Runtime, miner: &Address) -> Result<GetVestingFundsReturn> {
    messaging::send_read_only(rt, miner, GET_VESTING_FUNDS, &())
}

/// `IsControllingAddress`: whether `address` is `miner`'s owner, worker or a control address.
pub fn is_controlling_address(
    rt: &impl Runtime,
    miner: &Address,
    address: &Address,
) -> Result<bool> {
    messaging::send_read_only(rt, miner, IS_CONTROLLING_ADDRESS, address)
}

/// `ChangeBeneficiary` on `miner`, sent by this actor (to approve a nomination of itself, say).
pub fn change_beneficiary(
    rt: &impl Runtime,
    miner: &Address,
    params: &ChangeBeneficiaryParams,
) -> Result<()> {
    messaging::send(rt, miner, CHANGE_BENEFICIARY, params, TokenAmount::default())
}

/// `WithdrawBalance` from `miner`, sent by this actor as its owner or beneficiary: the amount
/// withdrawn (paid to the beneficiary).
pub fn withdraw_balance(
    rt: &impl Runtime,
    miner: &Address,
    amount_requested: TokenAmount,
) -> Result<TokenAmount> {
    let params = WithdrawBalanceParams { amount_requested };
    messaging::send(rt, miner, WITHDRAW_BALANCE, &params, TokenAmount::default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::fake::ExpectedSend;
    use crate::runtime::SendResponse;
    use crate::FakeRuntime;
    use fvm_ipld_encoding::ipld_block::IpldBlock;
    use fvm_shared::error::ExitCode;

    #[test]
    fn withdrawals_send_a_one_tuple_and_return_the_amount_paid() {
        let rt = FakeRuntime::new(1000);
        let miner = Address::new_id(1234);
        rt.expect_send(ExpectedSend {
            to: miner,
            method: WITHDRAW_BALANCE,
            // [amount_requested]: a one-element array holding the big-integer bytes of 10.
            params: Some(IpldBlock {
                codec: fvm_ipld_encoding::CBOR,
                data: vec![0x81, 0x42, 0x00, 0x0a],
            }),
            value: TokenAmount::default(),
            response: Ok(SendResponse {
                exit_code: ExitCode::OK,
                return_data: IpldBlock::serialize_cbor(&TokenAmount::from_atto(4)).unwrap(),
            }),
        });
        assert_eq!(
            withdraw_balance(&rt, &miner, TokenAmount::from_atto(10)).unwrap(),
            TokenAmount::from_atto(4)
        );
        assert!(rt.all_sends_made());
        assert!(!rt.sent()[0].read_only);
    }

    #[test]
    fn queries_send_no_parameters_read_only() {
        let rt = FakeRuntime::new(1000);
        let miner = Address::new_id(1234);
        let ret = GetOwnerReturn { owner: Address::new_id(7), proposed: None };
        rt.expect_send(ExpectedSend {
            to: miner,
            method: GET_OWNER,
            params: None,
            value: TokenAmount::default(),
            response: Ok(SendResponse {
                exit_code: ExitCode::OK,
                return_data: IpldBlock::serialize_cbor(&ret).unwrap(),
            }),
        });
        assert_eq!(owner(&rt, &miner).unwrap(), ret);
        assert!(rt.sent()[0].read_only);
    }

    #[test]
    fn a_term_is_available_until_it_expires_and_never_negative() {
        let term = BeneficiaryTerm {
            quota: TokenAmount::from_atto(100),
            used_quota: TokenAmount::from_atto(30),
            expiration: 50,
        };
        assert_eq!(term.available(49), TokenAmount::from_atto(70));
        assert_eq!(term.available(50), TokenAmount::default());
        let overdrawn = BeneficiaryTerm { used_quota: TokenAmount::from_atto(120), ..term };
        assert_eq!(overdrawn.available(0), TokenAmount::default());
    }
}
