//! The market's interface types: method numbers, exit codes, parameters, returns and the deal records
//! kept in state.
//!
//! Every struct is CBOR *tuple* encoded (an array of its fields in the order listed) unless noted;
//! single values (a deal ID, an address, a token amount) are passed bare, as the real market does.
use std::fmt;

use cid::Cid;
use fvm_ipld_bitfield::BitField;
use fvm_ipld_encoding::strict_bytes;
use fvm_ipld_encoding::tuple::*;
use fvm_shared::address::Address;
use fvm_shared::clock::ChainEpoch;
use fvm_shared::crypto::signature::Signature;
use fvm_shared::econ::TokenAmount;
use fvm_shared::error::ExitCode;
use serde::de::{self, Visitor};
use serde::{Deserializer, Serializer};

use actorlib_kit::method_hash;

/// A deal's ID: its index in the market's deal counter.
pub type DealID = u64;

/// The epoch value meaning "not set" (not activated, not slashed).
pub const EPOCH_UNDEFINED: ChainEpoch = -1;

/// Market exit code: the deal was published but is gone (completed, terminated or expired), or is
/// too late to activate.
pub const EX_DEAL_EXPIRED: ExitCode = ExitCode::new(32);
/// Market exit code: the deal exists but has not been activated in a sector.
pub const EX_DEAL_NOT_ACTIVATED: ExitCode = ExitCode::new(33);

/// Method numbers: legacy numbers (`1..=4`), FRC-42 exported numbers, and the sandbox-only methods
/// (`1000..`) that stand in for the miner, cron and power interactions the sandbox does not model.
#[repr(u64)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// Constructor (caller f00).
    Constructor = 1,
    /// Legacy AddBalance.
    AddBalance = 2,
    /// Legacy WithdrawBalance.
    WithdrawBalance = 3,
    /// Legacy PublishStorageDeals.
    PublishStorageDeals = 4,
    /// Exported AddBalance.
    AddBalanceExported = method_hash!("AddBalance"),
    /// Exported WithdrawBalance.
    WithdrawBalanceExported = method_hash!("WithdrawBalance"),
    /// Exported PublishStorageDeals.
    PublishStorageDealsExported = method_hash!("PublishStorageDeals"),
    /// Exported GetBalance.
    GetBalanceExported = method_hash!("GetBalance"),
    /// Exported GetDealDataCommitment.
    GetDealDataCommitmentExported = method_hash!("GetDealDataCommitment"),
    /// Exported GetDealClient.
    GetDealClientExported = method_hash!("GetDealClient"),
    /// Exported GetDealProvider.
    GetDealProviderExported = method_hash!("GetDealProvider"),
    /// Exported GetDealLabel.
    GetDealLabelExported = method_hash!("GetDealLabel"),
    /// Exported GetDealTerm.
    GetDealTermExported = method_hash!("GetDealTerm"),
    /// Exported GetDealTotalPrice.
    GetDealTotalPriceExported = method_hash!("GetDealTotalPrice"),
    /// Exported GetDealClientCollateral.
    GetDealClientCollateralExported = method_hash!("GetDealClientCollateral"),
    /// Exported GetDealProviderCollateral.
    GetDealProviderCollateralExported = method_hash!("GetDealProviderCollateral"),
    /// Exported GetDealVerified.
    GetDealVerifiedExported = method_hash!("GetDealVerified"),
    /// Exported GetDealActivation.
    GetDealActivationExported = method_hash!("GetDealActivation"),
    /// Exported GetDealSector.
    GetDealSectorExported = method_hash!("GetDealSector"),
    /// Sandbox only (caller f00): activates deals as if a miner had proven their sector.
    SandboxActivateDeals = 1000,
    /// Sandbox only (caller f00): terminates active deals as if their sector had been terminated.
    SandboxTerminateDeals = 1001,
    /// Sandbox only (caller f00): completes ended deals and expires unactivated ones, as cron does.
    SandboxCronTick = 1002,
}

/// Methods the market *calls* on other actors.
pub mod ext {
    use actorlib_kit::method_hash;
    use fvm_shared::MethodNum;

    /// Miner (legacy, not exported): returns `{owner, worker, control_addresses}`.
    pub const MINER_CONTROL_ADDRESSES: MethodNum = 2;
    /// Miner (exported): transparent `Address` → transparent `bool`.
    pub const MINER_IS_CONTROLLING_ADDRESS: MethodNum = method_hash!("IsControllingAddress");
    /// FRC-44, sent read-only to a deal's client.
    pub const AUTHENTICATE_MESSAGE: MethodNum = method_hash!("AuthenticateMessage");
    /// Sent to a deal's client after publication.
    pub const MARKET_NOTIFY_DEAL: MethodNum = method_hash!("MarketNotifyDeal");
}

/// A deal label: a UTF-8 string (CBOR text string) or arbitrary bytes (CBOR byte string).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Label {
    /// Encoded as a CBOR text string.
    String(String),
    /// Encoded as a CBOR byte string.
    Bytes(Vec<u8>),
}

impl Default for Label {
    fn default() -> Self {
        Label::String(String::new())
    }
}

impl Label {
    /// Length in bytes (of the UTF-8 encoding for a string).
    pub fn len(&self) -> usize {
        match self {
            Label::String(s) => s.len(),
            Label::Bytes(b) => b.len(),
        }
    }

    /// Whether the label is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl serde::Serialize for Label {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Label::String(v) => s.serialize_str(v),
            Label::Bytes(v) => s.serialize_bytes(v),
        }
    }
}

struct LabelVisitor;

impl<'de> Visitor<'de> for LabelVisitor {
    type Value = Label;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a text string or a byte string")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Label, E> {
        Ok(Label::String(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Label, E> {
        Ok(Label::String(v))
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Label, E> {
        Ok(Label::Bytes(v.to_vec()))
    }
    fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<Label, E> {
        Ok(Label::Bytes(v))
    }
}

impl<'de> serde::Deserialize<'de> for Label {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(LabelVisitor)
    }
}

/// A storage deal proposal (11 fields, in this order).
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
pub struct DealProposal {
    /// CommP: CIDv1, codec fil-commitment-unsealed, multihash sha2-256-trunc254-padded.
    pub piece_cid: Cid,
    /// Padded piece size (a power of two, at least 128).
    pub piece_size: u64,
    /// Whether the deal uses DataCap (refused by this stand-in).
    pub verified_deal: bool,
    /// The client (any address as submitted; stored as an ID address).
    pub client: Address,
    /// The provider, a miner (stored as an ID address).
    pub provider: Address,
    /// Free-form label, at most 256 bytes.
    pub label: Label,
    /// First epoch of the deal; it must be activated by then.
    pub start_epoch: ChainEpoch,
    /// Epoch the deal ends (exclusive).
    pub end_epoch: ChainEpoch,
    /// Price per epoch paid by the client.
    pub storage_price_per_epoch: TokenAmount,
    /// Collateral locked by the provider.
    pub provider_collateral: TokenAmount,
    /// Collateral locked by the client.
    pub client_collateral: TokenAmount,
}

impl DealProposal {
    /// `end_epoch - start_epoch`.
    pub fn duration(&self) -> ChainEpoch {
        self.end_epoch - self.start_epoch
    }

    /// `storage_price_per_epoch * duration`.
    pub fn total_storage_fee(&self) -> TokenAmount {
        self.storage_price_per_epoch.clone() * self.duration()
    }

    /// What the client must lock: collateral plus the total storage fee.
    pub fn client_balance_requirement(&self) -> TokenAmount {
        self.client_collateral.clone() + self.total_storage_fee()
    }

    /// What the provider must lock: its collateral.
    pub fn provider_balance_requirement(&self) -> TokenAmount {
        self.provider_collateral.clone()
    }
}

/// A proposal with the client's signature (a typed signature: type byte then raw bytes).
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq)]
pub struct ClientDealProposal {
    /// The proposal, as the client signed it.
    pub proposal: DealProposal,
    /// The client's signature over the CBOR of `proposal`.
    pub client_signature: Signature,
}

/// `PublishStorageDeals` parameters.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq)]
pub struct PublishStorageDealsParams {
    /// Deals to publish; all for the same provider.
    pub deals: Vec<ClientDealProposal>,
}

/// `PublishStorageDeals` return.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq)]
pub struct PublishStorageDealsReturn {
    /// IDs of the published deals, in input order.
    pub ids: Vec<DealID>,
    /// Indices (in the input list) of the deals that were published.
    pub valid_deals: BitField,
}

/// `WithdrawBalance` parameters.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq)]
pub struct WithdrawBalanceParams {
    /// Whose escrow to withdraw from.
    pub provider_or_client: Address,
    /// How much to withdraw at most (negative fails with 16).
    pub amount: TokenAmount,
}

/// `GetBalance` return.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq)]
pub struct GetBalanceReturn {
    /// Escrow balance (including locked funds).
    pub balance: TokenAmount,
    /// Locked part of the escrow.
    pub locked: TokenAmount,
}

/// `GetDealDataCommitment` return.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq)]
pub struct GetDealDataCommitmentReturn {
    /// The piece CID.
    pub data: Cid,
    /// The padded piece size.
    pub size: u64,
}

/// `GetDealTerm` return.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq)]
pub struct GetDealTermReturn {
    /// Start epoch.
    pub start: ChainEpoch,
    /// Duration in epochs (not the end epoch).
    pub duration: ChainEpoch,
}

/// `GetDealActivation` return.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq)]
pub struct GetDealActivationReturn {
    /// Activation epoch, or -1 if not activated.
    pub activated: ChainEpoch,
    /// Termination epoch; -1 on every successful return (terminated deals fail with 32).
    pub terminated: ChainEpoch,
}

/// `MarketNotifyDeal` parameters, sent to the client of each published deal.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq)]
pub struct MarketNotifyDealParams {
    /// CBOR of the normalised proposal (client and provider as ID addresses).
    #[serde(with = "strict_bytes")]
    pub proposal: Vec<u8>,
    /// The new deal's ID.
    pub deal_id: DealID,
}

/// FRC-44 `AuthenticateMessage` parameters.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq)]
pub struct AuthenticateMessageParams {
    /// Raw signature bytes (without the type byte).
    #[serde(with = "strict_bytes")]
    pub signature: Vec<u8>,
    /// The signed bytes (CBOR of the proposal as submitted).
    #[serde(with = "strict_bytes")]
    pub message: Vec<u8>,
}

/// What the miner's `ControlAddresses` (method 2) returns.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq)]
pub struct GetControlAddressesReturn {
    /// The miner's owner (receives withdrawals).
    pub owner: Address,
    /// The miner's worker.
    pub worker: Address,
    /// Further control addresses.
    pub control_addresses: Vec<Address>,
}

/// A published deal's on-chain progress; present only once activated.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
pub struct DealState {
    /// The sector holding the deal.
    pub sector_number: u64,
    /// Activation epoch.
    pub sector_start_epoch: ChainEpoch,
    /// Last payment epoch (-1: never; this stand-in pays only at completion or termination).
    pub last_updated_epoch: ChainEpoch,
    /// Termination epoch, or -1.
    pub slash_epoch: ChainEpoch,
}

/// `SandboxActivateDeals` parameters (sandbox only).
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq)]
pub struct SandboxActivateDealsParams {
    /// Deals to activate.
    pub deal_ids: Vec<DealID>,
    /// The sector they are recorded in.
    pub sector_number: u64,
}

/// `SandboxTerminateDeals` parameters (sandbox only).
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq)]
pub struct SandboxTerminateDealsParams {
    /// Active deals to terminate.
    pub deal_ids: Vec<DealID>,
}

/// `SandboxTerminateDeals` return (sandbox only).
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Default)]
pub struct SandboxTerminateDealsReturn {
    /// Deals terminated. Deals whose end epoch has passed are skipped, as the real market skips
    /// them on sector termination: they complete at the next `SandboxCronTick`.
    pub terminated: Vec<DealID>,
}

/// `SandboxCronTick` return (sandbox only).
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Default)]
pub struct SandboxCronTickReturn {
    /// Active deals that reached their end epoch, paid out and removed.
    pub completed: Vec<DealID>,
    /// Unactivated deals past their start epoch, slashed and removed.
    pub expired: Vec<DealID>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn method_numbers_match_the_interface_doc() {
        let pinned: [(Method, u64); 20] = [
            (Method::Constructor, 1),
            (Method::AddBalance, 2),
            (Method::WithdrawBalance, 3),
            (Method::PublishStorageDeals, 4),
            (Method::AddBalanceExported, 822473126),
            (Method::WithdrawBalanceExported, 2280458852),
            (Method::PublishStorageDealsExported, 2236929350),
            (Method::GetBalanceExported, 726108461),
            (Method::GetDealDataCommitmentExported, 1157985802),
            (Method::GetDealClientExported, 128053329),
            (Method::GetDealProviderExported, 935081690),
            (Method::GetDealLabelExported, 46363526),
            (Method::GetDealTermExported, 163777312),
            (Method::GetDealTotalPriceExported, 4287162428),
            (Method::GetDealClientCollateralExported, 200567895),
            (Method::GetDealProviderCollateralExported, 2986712137),
            (Method::GetDealVerifiedExported, 2627389465),
            (Method::GetDealActivationExported, 2567238399),
            (Method::GetDealSectorExported, 2611213344),
            (Method::SandboxActivateDeals, 1000),
        ];
        for (m, n) in pinned {
            assert_eq!(m as u64, n, "{m:?}");
        }
        assert_eq!(Method::SandboxTerminateDeals as u64, 1001);
        assert_eq!(Method::SandboxCronTick as u64, 1002);
        assert_eq!(ext::MINER_IS_CONTROLLING_ADDRESS, 348244887);
        assert_eq!(ext::AUTHENTICATE_MESSAGE, 2643134072);
        assert_eq!(ext::MARKET_NOTIFY_DEAL, 4186741094);
        assert_eq!(ext::MINER_CONTROL_ADDRESSES, 2);
        assert_eq!(EX_DEAL_EXPIRED.value(), 32);
        assert_eq!(EX_DEAL_NOT_ACTIVATED.value(), 33);
    }

    #[test]
    fn labels_are_text_or_byte_strings() {
        let s = fvm_ipld_encoding::to_vec(&Label::String("ab".into())).unwrap();
        assert_eq!(s, vec![0x62, b'a', b'b']);
        let b = fvm_ipld_encoding::to_vec(&Label::Bytes(vec![1, 2])).unwrap();
        assert_eq!(b, vec![0x42, 1, 2]);
        assert_eq!(fvm_ipld_encoding::from_slice::<Label>(&s).unwrap(), Label::String("ab".into()));
        assert_eq!(fvm_ipld_encoding::from_slice::<Label>(&b).unwrap(), Label::Bytes(vec![1, 2]));
        assert!(fvm_ipld_encoding::from_slice::<Label>(&[0x01]).is_err());
        assert_eq!(Label::String("é".into()).len(), 2);
        assert!(Label::default().is_empty());
    }

    #[test]
    fn proposal_is_an_eleven_field_tuple() {
        let p = DealProposal {
            piece_cid: Cid::default(),
            piece_size: 128,
            verified_deal: false,
            client: Address::new_id(100),
            provider: Address::new_id(101),
            label: Label::Bytes(vec![]),
            start_epoch: 10,
            end_epoch: 20,
            storage_price_per_epoch: TokenAmount::from_atto(3),
            provider_collateral: TokenAmount::from_atto(1),
            client_collateral: TokenAmount::from_atto(2),
        };
        let bytes = fvm_ipld_encoding::to_vec(&p).unwrap();
        assert_eq!(bytes[0], 0x8b); // array of 11
        assert_eq!(fvm_ipld_encoding::from_slice::<DealProposal>(&bytes).unwrap(), p);
        assert_eq!(p.duration(), 10);
        assert_eq!(p.total_storage_fee(), TokenAmount::from_atto(30));
        assert_eq!(p.client_balance_requirement(), TokenAmount::from_atto(32));
        assert_eq!(p.provider_balance_requirement(), TokenAmount::from_atto(1));
    }

    #[test]
    fn publish_return_carries_a_bitfield() {
        let mut bf = BitField::new();
        bf.set(0);
        bf.set(2);
        let r = PublishStorageDealsReturn { ids: vec![7, 8], valid_deals: bf };
        let bytes = fvm_ipld_encoding::to_vec(&r).unwrap();
        let back: PublishStorageDealsReturn = fvm_ipld_encoding::from_slice(&bytes).unwrap();
        assert_eq!(back.valid_deals.iter().collect::<Vec<_>>(), vec![0, 2]);
    }
}
