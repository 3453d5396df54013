//! The miner's interface types: method numbers, limits, parameters and returns.
//!
//! Every struct is CBOR *tuple* encoded (an array of its fields in the order listed) unless noted;
//! single values (an address, a token amount, a sector size, a flag) are passed bare, as the real
//! miner does. The shapes are the real miner's, except [`ConstructorParams`] (see there) and the
//! sandbox-only parameter types.
use fvm_ipld_encoding::tuple::*;
use fvm_ipld_encoding::{strict_bytes, BytesDe};
use fvm_shared::address::Address;
use fvm_shared::clock::ChainEpoch;
use fvm_shared::econ::TokenAmount;
use fvm_shared::error::ExitCode;

use actorlib_kit::method_hash;

use crate::state::{BeneficiaryTerm, PendingBeneficiaryChange};

/// Most control addresses a miner may have (policy `max_control_addresses`).
pub const MAX_CONTROL_ADDRESSES: usize = 10;
/// Epochs between a worker change request and the earliest epoch it can be confirmed (policy
/// `worker_key_change_delay` = chain finality).
pub const WORKER_KEY_CHANGE_DELAY: ChainEpoch = 900;
/// Longest peer ID in bytes (policy `max_peer_id_length`).
pub const MAX_PEER_ID_LENGTH: usize = 128;
/// Most multiaddress bytes in total (policy `max_multiaddr_data`).
pub const MAX_MULTIADDR_DATA: usize = 1024;
/// Sector sizes of the registered proof types (2 KiB, 8 MiB, 512 MiB, 32 GiB, 64 GiB).
pub const VALID_SECTOR_SIZES: [u64; 5] = [2 << 10, 8 << 20, 512 << 20, 32 << 30, 64 << 30];

/// Epochs in an hour (30-second epochs).
pub const EPOCHS_IN_HOUR: ChainEpoch = 120;
/// Epochs in a day.
pub const EPOCHS_IN_DAY: ChainEpoch = 24 * EPOCHS_IN_HOUR;

/// A linear vesting schedule (policy `VestSpec`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VestSpec {
    /// Epochs between the lock and the start of the vesting clock.
    pub initial_delay: ChainEpoch,
    /// Epochs over which the whole sum vests, counted from the start of the clock.
    pub vest_period: ChainEpoch,
    /// Epochs between two vesting steps.
    pub step_duration: ChainEpoch,
    /// Each step's vesting epoch is rounded up to this unit (from the quantization offset), so
    /// that steps of rewards locked close together share entries and the table stays bounded.
    pub quantization: ChainEpoch,
}

/// How the locked part of a block reward vests (policy `REWARD_VESTING_SPEC`): from the epoch of
/// the reward, a step a day for 180 days, each step's epoch rounded up to 12 hours.
pub const REWARD_VESTING_SPEC: VestSpec = VestSpec {
    initial_delay: 0,
    vest_period: 180 * EPOCHS_IN_DAY,
    step_duration: EPOCHS_IN_DAY,
    quantization: 12 * EPOCHS_IN_HOUR,
};

/// Numerator of the share of a block reward that is locked to vest (3/4, rounded down).
pub const LOCKED_REWARD_FACTOR_NUM: i64 = 3;
/// Denominator of the share of a block reward that is locked to vest.
pub const LOCKED_REWARD_FACTOR_DENOM: i64 = 4;

/// Offset of the vesting quantization: vesting epochs are `VESTING_QUANTIZATION_OFFSET` plus a
/// multiple of [`REWARD_VESTING_SPEC`]'s 1440 epochs.
///
/// **Sandbox choice**: the real miner quantizes from its proving period start, which it places at
/// creation at a pseudo-random offset in `[0, 2880)` (the first 8 bytes, big-endian, of the
/// blake2b-256 of its CBOR-encoded address followed by the creation epoch as a big-endian `i64`,
/// modulo the 2880-epoch proving period), so each real miner's vesting epochs share their own
/// residue modulo 1440. The stand-in has no proving period and uses 0 for every miner: vesting
/// epochs are multiples of 1440.
pub const VESTING_QUANTIZATION_OFFSET: ChainEpoch = 0;

/// Miner exit code: the balance no longer covers locked funds and pledge.
pub const ERR_BALANCE_INVARIANTS_BROKEN: ExitCode = ExitCode::new(1000);

/// Method numbers: the real miner's legacy numbers, its FRC-42 exported numbers, and the
/// sandbox-only methods (`1000..`, caller f00) standing in for pledge, penalties and reward vesting.
#[repr(u64)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// Constructor (caller f01 init, or f00 in the sandbox).
    Constructor = 1,
    /// Legacy ControlAddresses (not exported).
    ControlAddresses = 2,
    /// Legacy ChangeWorkerAddress.
    ChangeWorkerAddress = 3,
    /// Legacy ChangePeerID.
    ChangePeerID = 4,
    /// Legacy WithdrawBalance.
    WithdrawBalance = 16,
    /// Legacy ChangeMultiaddrs.
    ChangeMultiaddrs = 18,
    /// Legacy ConfirmChangeWorkerAddress.
    ConfirmChangeWorkerAddress = 21,
    /// Legacy RepayDebt.
    RepayDebt = 22,
    /// Legacy ChangeOwnerAddress.
    ChangeOwnerAddress = 23,
    /// Legacy ChangeBeneficiary.
    ChangeBeneficiary = 30,
    /// Legacy GetBeneficiary.
    GetBeneficiary = 31,
    /// Exported ChangeWorkerAddress.
    ChangeWorkerAddressExported = method_hash!("ChangeWorkerAddress"),
    /// Exported ChangePeerID.
    ChangePeerIDExported = method_hash!("ChangePeerID"),
    /// Exported WithdrawBalance.
    WithdrawBalanceExported = method_hash!("WithdrawBalance"),
    /// Exported ChangeMultiaddrs.
    ChangeMultiaddrsExported = method_hash!("ChangeMultiaddrs"),
    /// Exported ConfirmChangeWorkerAddress.
    ConfirmChangeWorkerAddressExported = method_hash!("ConfirmChangeWorkerAddress"),
    /// Exported RepayDebt.
    RepayDebtExported = method_hash!("RepayDebt"),
    /// Exported ChangeOwnerAddress.
    ChangeOwnerAddressExported = method_hash!("ChangeOwnerAddress"),
    /// Exported ChangeBeneficiary.
    ChangeBeneficiaryExported = method_hash!("ChangeBeneficiary"),
    /// Exported GetBeneficiary.
    GetBeneficiaryExported = method_hash!("GetBeneficiary"),
    /// Exported GetOwner (no legacy number).
    GetOwnerExported = method_hash!("GetOwner"),
    /// Exported IsControllingAddress (no legacy number).
    IsControllingAddressExported = method_hash!("IsControllingAddress"),
    /// Exported GetSectorSize (no legacy number).
    GetSectorSizeExported = method_hash!("GetSectorSize"),
    /// Exported GetAvailableBalance (no legacy number).
    GetAvailableBalanceExported = method_hash!("GetAvailableBalance"),
    /// Exported GetVestingFunds (no legacy number).
    GetVestingFundsExported = method_hash!("GetVestingFunds"),
    /// Exported GetPeerID (no legacy number).
    GetPeerIDExported = method_hash!("GetPeerID"),
    /// Exported GetMultiaddrs (no legacy number).
    GetMultiaddrsExported = method_hash!("GetMultiaddrs"),
    /// Sandbox only (caller f00): moves available balance into the initial pledge.
    SandboxLockFunds = 1000,
    /// Sandbox only (caller f00): releases initial pledge back to the available balance.
    SandboxUnlockFunds = 1001,
    /// Sandbox only (caller f00): adds fee debt (an unpaid penalty).
    SandboxAddFeeDebt = 1002,
    /// Sandbox only (caller f00): moves available balance into locked funds vesting at an epoch.
    SandboxAddVestingFunds = 1003,
    /// Block reward from the reward actor (legacy, not exported; caller must be f02).
    ApplyRewards = 14,
}

/// `ApplyRewards` parameters, sent by the reward actor with `reward` as value.
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq, Eq)]
pub struct ApplyRewardParams {
    /// The reward (equal to the value sent).
    pub reward: TokenAmount,
    /// A penalty the miner owes: added to the fee debt, which the call then repays as far as it
    /// can (from funds still vesting, the new reward's first, then from the unlocked balance) and
    /// burns.
    pub penalty: TokenAmount,
}

/// Constructor parameters.
///
/// **Sandbox simplification** of the real `MinerConstructorParams`
/// `{owner, worker, control_addresses, window_post_proof_type, peer_id, multi_addresses}`: the
/// fourth field is the sector size in bytes instead of a registered PoSt proof type (the stand-in
/// proves nothing; the proof type only determines the sector size).
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq, Eq)]
pub struct ConstructorParams {
    /// Owner (any resolvable address; stored as f0).
    pub owner: Address,
    /// Worker (must resolve to an account actor; stored as f0).
    pub worker: Address,
    /// Control addresses (at most 10, each must resolve; stored as f0).
    pub control_addresses: Vec<Address>,
    /// Sector size in bytes: one of [`VALID_SECTOR_SIZES`].
    pub sector_size: u64,
    /// libp2p peer ID (at most 128 bytes).
    #[serde(with = "strict_bytes")]
    pub peer_id: Vec<u8>,
    /// Multiaddresses (each non-empty, at most 1024 bytes in total).
    pub multiaddrs: Vec<BytesDe>,
}

/// `ControlAddresses` return.
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq, Eq)]
pub struct GetControlAddressesReturn {
    /// Owner (f0).
    pub owner: Address,
    /// Worker (f0).
    pub worker: Address,
    /// Control addresses (f0).
    pub control_addresses: Vec<Address>,
}

/// `ChangeWorkerAddress` parameters.
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq, Eq)]
pub struct ChangeWorkerAddressParams {
    /// The new worker (must resolve to an account actor).
    pub new_worker: Address,
    /// The new control addresses; they replace the old list immediately.
    pub new_control_addresses: Vec<Address>,
}

/// `ChangePeerID` parameters.
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq, Eq)]
pub struct ChangePeerIDParams {
    /// The new peer ID.
    #[serde(with = "strict_bytes")]
    pub new_id: Vec<u8>,
}

/// `ChangeMultiaddrs` parameters.
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq, Eq)]
pub struct ChangeMultiaddrsParams {
    /// The new multiaddresses.
    pub new_multi_addrs: Vec<BytesDe>,
}

/// `GetPeerID` return.
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq, Eq)]
pub struct GetPeerIDReturn {
    /// The peer ID.
    #[serde(with = "strict_bytes")]
    pub peer_id: Vec<u8>,
}

/// `GetMultiaddrs` return.
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq, Eq)]
pub struct GetMultiaddrsReturn {
    /// The multiaddresses.
    pub multi_addrs: Vec<BytesDe>,
}

/// `WithdrawBalance` parameters (a 1-tuple). The return is the bare amount withdrawn.
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq, Eq)]
pub struct WithdrawBalanceParams {
    /// The most to withdraw (negative: 16).
    pub amount_requested: TokenAmount,
}

/// `ChangeBeneficiary` parameters.
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq, Eq)]
pub struct ChangeBeneficiaryParams {
    /// The proposed beneficiary (must resolve).
    pub new_beneficiary: Address,
    /// The proposed quota.
    pub new_quota: TokenAmount,
    /// The proposed expiration epoch.
    pub new_expiration: ChainEpoch,
}

/// The active beneficiary and its term.
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq, Eq)]
pub struct ActiveBeneficiary {
    /// The beneficiary (f0; the owner when none was set).
    pub beneficiary: Address,
    /// Its term (all zero when the beneficiary is the owner by default).
    pub term: BeneficiaryTerm,
}

/// `GetBeneficiary` return.
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq, Eq)]
pub struct GetBeneficiaryReturn {
    /// The beneficiary in force.
    pub active: ActiveBeneficiary,
    /// The pending proposal, if any (CBOR null otherwise).
    pub proposed: Option<PendingBeneficiaryChange>,
}

/// `GetOwner` return.
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq, Eq)]
pub struct GetOwnerReturn {
    /// The owner (f0).
    pub owner: Address,
    /// The proposed new owner, if any.
    pub proposed: Option<Address>,
}

/// `GetVestingFunds` return (a 1-tuple).
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq, Eq)]
pub struct GetVestingFundsReturn {
    /// `[epoch, amount]` pairs in epoch order.
    pub vesting_funds: Vec<(ChainEpoch, TokenAmount)>,
}

/// Parameters of the sandbox-only `SandboxLockFunds`, `SandboxUnlockFunds` and
/// `SandboxAddFeeDebt` (a 1-tuple).
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq, Eq)]
pub struct SandboxAmountParams {
    /// The amount (negative: 16).
    pub amount: TokenAmount,
}

/// Parameters of the sandbox-only `SandboxAddVestingFunds`.
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq, Eq)]
pub struct SandboxAddVestingFundsParams {
    /// The amount to lock (negative: 16).
    pub amount: TokenAmount,
    /// The epoch after which it vests (must be after the current epoch).
    pub vest_epoch: ChainEpoch,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn method_numbers_match_the_real_miner() {
        let pinned: [(Method, u64); 29] = [
            (Method::Constructor, 1),
            (Method::ControlAddresses, 2),
            (Method::ChangeWorkerAddress, 3),
            (Method::ChangeWorkerAddressExported, 3302309124),
            (Method::ConfirmChangeWorkerAddress, 21),
            (Method::ConfirmChangeWorkerAddressExported, 2354970453),
            (Method::ChangeOwnerAddress, 23),
            (Method::ChangeOwnerAddressExported, 1010589339),
            (Method::WithdrawBalance, 16),
            (Method::WithdrawBalanceExported, 2280458852),
            (Method::ChangeBeneficiary, 30),
            (Method::ChangeBeneficiaryExported, 1570634796),
            (Method::GetBeneficiary, 31),
            (Method::GetBeneficiaryExported, 4158972569),
            (Method::GetOwnerExported, 3275365574),
            (Method::IsControllingAddressExported, 348244887),
            (Method::GetAvailableBalanceExported, 4026106874),
            (Method::GetVestingFundsExported, 1726876304),
            (Method::GetSectorSizeExported, 3858292296),
            (Method::RepayDebt, 22),
            (Method::RepayDebtExported, 3665352697),
            (Method::GetPeerIDExported, 2812875329),
            (Method::GetMultiaddrsExported, 1332909407),
            (Method::ChangePeerID, 4),
            (Method::ChangePeerIDExported, 1236548004),
            (Method::ChangeMultiaddrs, 18),
            (Method::ChangeMultiaddrsExported, 1063480576),
            (Method::SandboxLockFunds, 1000),
            (Method::SandboxAddVestingFunds, 1003),
        ];
        for (m, n) in pinned {
            assert_eq!(m as u64, n, "{m:?}");
        }
        assert_eq!(Method::SandboxUnlockFunds as u64, 1001);
        assert_eq!(Method::SandboxAddFeeDebt as u64, 1002);
    }

    #[test]
    fn shapes_are_tuples() {
        let p = WithdrawBalanceParams { amount_requested: TokenAmount::from_atto(1) };
        // [bytes(0x00 0x01)]: a 1-tuple holding the amount.
        assert_eq!(fvm_ipld_encoding::to_vec(&p).unwrap(), vec![0x81, 0x42, 0x00, 0x01]);
        let r = GetVestingFundsReturn { vesting_funds: vec![(5, TokenAmount::from_atto(1))] };
        assert_eq!(
            fvm_ipld_encoding::to_vec(&r).unwrap(),
            vec![0x81, 0x81, 0x82, 0x05, 0x42, 0x00, 0x01]
        );
        let o = GetOwnerReturn { owner: Address::new_id(1), proposed: None };
        assert_eq!(fvm_ipld_encoding::to_vec(&o).unwrap(), vec![0x82, 0x42, 0x00, 0x01, 0xf6]);
        let c = ConstructorParams {
            owner: Address::new_id(1),
            worker: Address::new_id(2),
            control_addresses: vec![],
            sector_size: 2048,
            peer_id: vec![7],
            multiaddrs: vec![BytesDe(vec![8])],
        };
        let bytes = fvm_ipld_encoding::to_vec(&c).unwrap();
        assert_eq!(bytes[0], 0x86);
        assert_eq!(fvm_ipld_encoding::from_slice::<ConstructorParams>(&bytes).unwrap(), c);
    }
}
