//! The storage market actor (f05), as far as stored-content tokens use it: two exported deal
//! getters, their returns and the market's own exit codes.
//!
//! Facts from the builtin market (builtin-actors `actors/market` v17, summarised in the sandbox's
//! host market): a deal getter takes the bare deal ID; an ID never published fails with
//! `USR_NOT_FOUND`; a deal published and since removed (completed, expired, or terminated and
//! cleaned up) fails with [`EX_DEAL_EXPIRED`]; `GetDealActivation` also fails with
//! [`EX_DEAL_EXPIRED`] for a terminated deal still on record, and answers `activated: -1` for a
//! published deal not yet activated.
use actorlib_kit::builtin::STORAGE_MARKET_ACTOR_ID;
use actorlib_kit::method_hash;
use cid::Cid;
use fvm_ipld_encoding::tuple::*;
use fvm_shared::address::Address;
use fvm_shared::clock::ChainEpoch;
use fvm_shared::error::ExitCode;
use fvm_shared::MethodNum;

/// A deal's ID in the market.
pub type DealID = u64;

/// The market's address.
pub const STORAGE_MARKET_ACTOR_ADDR: Address = Address::new_id(STORAGE_MARKET_ACTOR_ID);

/// `GetDealDataCommitment`: deal ID → [`GetDealDataCommitmentReturn`].
pub const GET_DEAL_DATA_COMMITMENT: MethodNum = method_hash!("GetDealDataCommitment");
/// `GetDealActivation`: deal ID → [`GetDealActivationReturn`].
pub const GET_DEAL_ACTIVATION: MethodNum = method_hash!("GetDealActivation");
/// `GetDealTerm`: deal ID → [`GetDealTermReturn`].
pub const GET_DEAL_TERM: MethodNum = method_hash!("GetDealTerm");

/// Market exit code: the deal was published but is gone or terminated.
pub const EX_DEAL_EXPIRED: ExitCode = ExitCode::new(32);
/// Market exit code: the deal exists but is not activated.
pub const EX_DEAL_NOT_ACTIVATED: ExitCode = ExitCode::new(33);
/// The epoch the market reports for "not set".
pub const EPOCH_UNDEFINED: ChainEpoch = -1;

/// `GetDealDataCommitment` return.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
pub struct GetDealDataCommitmentReturn {
    /// The deal's piece CID (commP).
    pub data: Cid,
    /// The padded piece size.
    pub size: u64,
}

/// `GetDealActivation` return.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
pub struct GetDealActivationReturn {
    /// The activation epoch, or [`EPOCH_UNDEFINED`] if not activated.
    pub activated: ChainEpoch,
    /// The termination epoch, or [`EPOCH_UNDEFINED`].
    pub terminated: ChainEpoch,
}

/// `GetDealTerm` return.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
pub struct GetDealTermReturn {
    /// The deal's start epoch.
    pub start: ChainEpoch,
    /// Its duration in epochs (the end is `start + duration`).
    pub duration: ChainEpoch,
}
