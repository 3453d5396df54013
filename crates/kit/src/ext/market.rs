//! The storage market actor (f05): deals, escrow, and the calls it makes to a deal's client.
//!
//! Facts from the builtin market (builtin-actors v17 `actors/market`):
//! - a deal getter takes the bare deal ID; an ID never published fails with `USR_NOT_FOUND`; a deal
//!   published and since removed (completed, expired, or terminated and cleaned up) fails with
//!   [`EX_DEAL_EXPIRED`]; `GetDealActivation` also fails with [`EX_DEAL_EXPIRED`] for a terminated
//!   deal still on record, and answers `activated: -1` ([`EPOCH_UNDEFINED`]) for a published deal
//!   not yet activated;
//! - publishing a deal whose client is an actor sends it [`AUTHENTICATE_MESSAGE`] (read-only) with
//!   the CBOR of the [`DealProposal`], then [`MARKET_NOTIFY_DEAL`] once the deal has its ID: a
//!   client that aborts either call fails the whole publication;
//! - `AddBalance` takes the address to credit as bare params and the FIL as value;
//!   `WithdrawBalance` pays the client (or the miner's owner) at most what is not locked.
//!
//! Calls return the market's own exit code in the [`ActorError`] on failure: a caller decides
//! which codes are answers (a deal not found, gone) and which are faults. Report a fault with a
//! code of your own (`USR_ILLEGAL_STATE`, say), never the market's: a caller of yours must not
//! mistake the market's exit for yours.
use std::fmt;

use cid::Cid;
use fvm_ipld_encoding::strict_bytes;
use fvm_ipld_encoding::tuple::*;
use fvm_shared::address::Address;
use fvm_shared::clock::ChainEpoch;
use fvm_shared::econ::TokenAmount;
use fvm_shared::error::ExitCode;
use fvm_shared::{ActorID, MethodNum};
use serde::de::{self, Visitor};
use serde::{Deserializer, Serializer};

use crate::builtin::STORAGE_MARKET_ACTOR_ID;
use crate::{messaging, params, ActorError, Result, Runtime};

pub use super::frc44::{AuthenticateMessageParams, AUTHENTICATE_MESSAGE};

/// A deal's ID: its index in the market's deal counter.
pub type DealID = u64;

/// The market's address.
pub const STORAGE_MARKET_ACTOR_ADDR: Address = Address::new_id(STORAGE_MARKET_ACTOR_ID);

/// The epoch the market reports for "not set" (not activated, not terminated).
pub const EPOCH_UNDEFINED: ChainEpoch = -1;
/// Market exit code: the deal was published but is gone, or terminated.
pub const EX_DEAL_EXPIRED: ExitCode = ExitCode::new(32);
/// Market exit code: the deal exists but is not activated.
pub const EX_DEAL_NOT_ACTIVATED: ExitCode = ExitCode::new(33);

/// `AddBalance`: bare `Address` to credit, FIL as value; no return.
pub const ADD_BALANCE: MethodNum = frc42_dispatch::method_hash!("AddBalance");
/// `WithdrawBalance`: [`WithdrawBalanceParams`] → bare `TokenAmount` withdrawn.
pub const WITHDRAW_BALANCE: MethodNum = frc42_dispatch::method_hash!("WithdrawBalance");
/// `GetBalance`: bare `Address` → [`GetBalanceReturn`].
pub const GET_BALANCE: MethodNum = frc42_dispatch::method_hash!("GetBalance");
/// `GetDealDataCommitment`: deal ID → [`GetDealDataCommitmentReturn`].
pub const GET_DEAL_DATA_COMMITMENT: MethodNum =
    frc42_dispatch::method_hash!("GetDealDataCommitment");
/// `GetDealClient`: deal ID → bare `ActorID`.
pub const GET_DEAL_CLIENT: MethodNum = frc42_dispatch::method_hash!("GetDealClient");
/// `GetDealProvider`: deal ID → bare `ActorID`.
pub const GET_DEAL_PROVIDER: MethodNum = frc42_dispatch::method_hash!("GetDealProvider");
/// `GetDealLabel`: deal ID → bare [`Label`].
pub const GET_DEAL_LABEL: MethodNum = frc42_dispatch::method_hash!("GetDealLabel");
/// `GetDealTerm`: deal ID → [`GetDealTermReturn`].
pub const GET_DEAL_TERM: MethodNum = frc42_dispatch::method_hash!("GetDealTerm");
/// `GetDealTotalPrice`: deal ID → bare `TokenAmount` (price per epoch × duration).
pub const GET_DEAL_TOTAL_PRICE: MethodNum = frc42_dispatch::method_hash!("GetDealTotalPrice");
/// `GetDealClientCollateral`: deal ID → bare `TokenAmount`.
pub const GET_DEAL_CLIENT_COLLATERAL: MethodNum =
    frc42_dispatch::method_hash!("GetDealClientCollateral");
/// `GetDealProviderCollateral`: deal ID → bare `TokenAmount`.
pub const GET_DEAL_PROVIDER_COLLATERAL: MethodNum =
    frc42_dispatch::method_hash!("GetDealProviderCollateral");
/// `GetDealVerified`: deal ID → bare `bool`.
pub const GET_DEAL_VERIFIED: MethodNum = frc42_dispatch::method_hash!("GetDealVerified");
/// `GetDealActivation`: deal ID → [`GetDealActivationReturn`].
pub const GET_DEAL_ACTIVATION: MethodNum = frc42_dispatch::method_hash!("GetDealActivation");
/// `GetDealSector`: deal ID → bare sector number (fails with [`EX_DEAL_NOT_ACTIVATED`] before
/// activation).
pub const GET_DEAL_SECTOR: MethodNum = frc42_dispatch::method_hash!("GetDealSector");
/// `MarketNotifyDeal`: sent by the market to a deal's client after publication, with
/// [`MarketNotifyDealParams`]; no return.
pub const MARKET_NOTIFY_DEAL: MethodNum = frc42_dispatch::method_hash!("MarketNotifyDeal");

/// A deal label: a UTF-8 string (CBOR text string) or arbitrary bytes (CBOR byte string), at most
/// 256 bytes.
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
    /// The label's bytes (the UTF-8 encoding of a string).
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            Label::String(s) => s.as_bytes(),
            Label::Bytes(b) => b,
        }
    }
}

impl serde::Serialize for Label {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
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
    fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Label, E> {
        Ok(Label::String(v.to_owned()))
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> std::result::Result<Label, E> {
        Ok(Label::Bytes(v.to_vec()))
    }
    fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> std::result::Result<Label, E> {
        Ok(Label::Bytes(v))
    }
}

impl<'de> serde::Deserialize<'de> for Label {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_any(LabelVisitor)
    }
}

/// A storage deal proposal (11 fields, in this order), as a client signs it and as the market
/// sends it to the client in [`AuthenticateMessageParams::message`] and
/// [`MarketNotifyDealParams::proposal`].
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
pub struct DealProposal {
    /// The piece's CID (CommP: codec fil-commitment-unsealed, multihash
    /// sha2-256-trunc254-padded).
    pub piece_cid: Cid,
    /// The padded piece size (a power of two, at least 128).
    pub piece_size: u64,
    /// Whether the deal uses DataCap.
    pub verified_deal: bool,
    /// The client: any address in `AuthenticateMessage` (as signed), an ID address in
    /// `MarketNotifyDeal`.
    pub client: Address,
    /// The provider, a miner.
    pub provider: Address,
    /// Free-form label.
    pub label: Label,
    /// The first epoch of the deal; it must be activated by then.
    pub start_epoch: ChainEpoch,
    /// The epoch the deal ends (exclusive).
    pub end_epoch: ChainEpoch,
    /// The price per epoch the client pays.
    pub storage_price_per_epoch: TokenAmount,
    /// The collateral the provider locks.
    pub provider_collateral: TokenAmount,
    /// The collateral the client locks.
    pub client_collateral: TokenAmount,
}

impl DealProposal {
    /// `end_epoch - start_epoch`.
    pub fn duration(&self) -> ChainEpoch {
        self.end_epoch - self.start_epoch
    }

    /// `storage_price_per_epoch × duration`: what the client pays over the deal.
    pub fn total_storage_fee(&self) -> TokenAmount {
        self.storage_price_per_epoch.clone() * self.duration()
    }

    /// Decodes a proposal from the bytes the market sends a client ([`AuthenticateMessageParams`]
    /// or [`MarketNotifyDealParams`]); anything else is `USR_SERIALIZATION`.
    pub fn decode(bytes: &[u8]) -> Result<Self> {
        params::decode_bytes(bytes).map_err(|e| e.wrap("deal proposal"))
    }
}

/// `WithdrawBalance` parameters.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
pub struct WithdrawBalanceParams {
    /// Whose escrow to withdraw from: a client (paid itself) or a miner (paid to its owner).
    pub provider_or_client: Address,
    /// The most to withdraw.
    pub amount: TokenAmount,
}

/// `GetBalance` return.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
pub struct GetBalanceReturn {
    /// The escrow balance, locked funds included.
    pub balance: TokenAmount,
    /// The locked part of it.
    pub locked: TokenAmount,
}

/// `GetDealDataCommitment` return.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
pub struct GetDealDataCommitmentReturn {
    /// The deal's piece CID.
    pub data: Cid,
    /// The padded piece size.
    pub size: u64,
}

/// `GetDealTerm` return.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
pub struct GetDealTermReturn {
    /// The deal's start epoch.
    pub start: ChainEpoch,
    /// Its duration in epochs (the end is `start + duration`).
    pub duration: ChainEpoch,
}

/// `GetDealActivation` return.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
pub struct GetDealActivationReturn {
    /// The activation epoch, or [`EPOCH_UNDEFINED`] if not activated.
    pub activated: ChainEpoch,
    /// The termination epoch, or [`EPOCH_UNDEFINED`].
    pub terminated: ChainEpoch,
}

/// `MarketNotifyDeal` parameters.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
pub struct MarketNotifyDealParams {
    /// The CBOR of the published [`DealProposal`] (client and provider as ID addresses).
    #[serde(with = "strict_bytes")]
    pub proposal: Vec<u8>,
    /// The new deal's ID.
    pub deal_id: DealID,
}

/// A read-only deal getter: the return, or the market's exit code in the error.
pub fn get_deal<R: serde::de::DeserializeOwned>(
    rt: &impl Runtime,
    method: MethodNum,
    deal_id: DealID,
) -> Result<R> {
    messaging::send_read_only(rt, &STORAGE_MARKET_ACTOR_ADDR, method, &deal_id)
}

/// `GetDealActivation`.
pub fn deal_activation(rt: &impl Runtime, deal_id: DealID) -> Result<GetDealActivationReturn> {
    get_deal(rt, GET_DEAL_ACTIVATION, deal_id)
}

/// `GetDealDataCommitment`.
pub fn deal_data_commitment(
    rt: &impl Runtime,
    deal_id: DealID,
) -> Result<GetDealDataCommitmentReturn> {
    get_deal(rt, GET_DEAL_DATA_COMMITMENT, deal_id)
}

/// `GetDealTerm`.
pub fn deal_term(rt: &impl Runtime, deal_id: DealID) -> Result<GetDealTermReturn> {
    get_deal(rt, GET_DEAL_TERM, deal_id)
}

/// `GetDealClient`.
pub fn deal_client(rt: &impl Runtime, deal_id: DealID) -> Result<ActorID> {
    get_deal(rt, GET_DEAL_CLIENT, deal_id)
}

/// `GetDealProvider`.
pub fn deal_provider(rt: &impl Runtime, deal_id: DealID) -> Result<ActorID> {
    get_deal(rt, GET_DEAL_PROVIDER, deal_id)
}

/// `GetBalance` of a client's or a miner's escrow.
pub fn balance(rt: &impl Runtime, of: &Address) -> Result<GetBalanceReturn> {
    messaging::send_read_only(rt, &STORAGE_MARKET_ACTOR_ADDR, GET_BALANCE, of)
}

/// `AddBalance`: credits `to`'s escrow with `value` from this actor's balance.
pub fn add_balance(rt: &impl Runtime, to: &Address, value: TokenAmount) -> Result<()> {
    messaging::send(rt, &STORAGE_MARKET_ACTOR_ADDR, ADD_BALANCE, to, value)
}

/// `WithdrawBalance` from this actor's own escrow (as a client): the amount paid out.
pub fn withdraw_balance(rt: &impl Runtime, amount: TokenAmount) -> Result<TokenAmount> {
    let params =
        WithdrawBalanceParams { provider_or_client: Address::new_id(rt.receiver()), amount };
    messaging::send(
        rt,
        &STORAGE_MARKET_ACTOR_ADDR,
        WITHDRAW_BALANCE,
        &params,
        TokenAmount::default(),
    )
}

/// Whether an error from a deal getter means "this deal does not exist (any more)": never
/// published (`USR_NOT_FOUND`) or removed or terminated ([`EX_DEAL_EXPIRED`]).
pub fn is_deal_gone(e: &ActorError) -> bool {
    e.code() == ExitCode::USR_NOT_FOUND || e.code() == EX_DEAL_EXPIRED
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::fake::ExpectedSend;
    use crate::runtime::SendResponse;
    use crate::FakeRuntime;
    use fvm_ipld_encoding::ipld_block::IpldBlock;

    fn answer(rt: &FakeRuntime, method: MethodNum, deal_id: DealID, response: SendResponse) {
        rt.expect_send(ExpectedSend {
            to: STORAGE_MARKET_ACTOR_ADDR,
            method,
            params: IpldBlock::serialize_cbor(&deal_id).unwrap(),
            value: TokenAmount::default(),
            response: Ok(response),
        });
    }

    #[test]
    fn deal_getters_decode_the_answer_or_keep_the_market_code() {
        let rt = FakeRuntime::new(1000);
        let ok = GetDealActivationReturn { activated: 5, terminated: EPOCH_UNDEFINED };
        answer(
            &rt,
            GET_DEAL_ACTIVATION,
            7,
            SendResponse {
                exit_code: ExitCode::OK,
                return_data: IpldBlock::serialize_cbor(&ok).unwrap(),
            },
        );
        assert_eq!(deal_activation(&rt, 7).unwrap(), ok);
        answer(
            &rt,
            GET_DEAL_CLIENT,
            8,
            SendResponse { exit_code: EX_DEAL_EXPIRED, return_data: None },
        );
        let gone = deal_client(&rt, 8).unwrap_err();
        assert_eq!(gone.code(), EX_DEAL_EXPIRED);
        assert!(is_deal_gone(&gone));
        answer(
            &rt,
            GET_DEAL_TERM,
            9,
            SendResponse { exit_code: ExitCode::USR_ILLEGAL_STATE, return_data: None },
        );
        let fault = deal_term(&rt, 9).unwrap_err();
        assert!(!is_deal_gone(&fault));
        assert!(rt.all_sends_made());
        assert!(rt.sent().iter().all(|m| m.read_only), "getters are sent read-only");
    }

    #[test]
    fn a_proposal_that_does_not_decode_is_a_serialization_error() {
        for bytes in [&[][..], &[0x8b][..], &[0x80][..], &[0xa1, 0x01, 0x02][..]] {
            let e = DealProposal::decode(bytes).unwrap_err();
            assert_eq!(e.code(), ExitCode::USR_SERIALIZATION, "{bytes:?}");
        }
    }
}
