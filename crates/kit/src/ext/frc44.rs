//! FRC-44 `AuthenticateMessage`: how an actor signs.
//!
//! An account proves a message is its own with a signature; an actor cannot, so the builtin
//! actors ask it instead. The market sends `AuthenticateMessage` (read-only) to the client of every
//! deal being published, with the CBOR of the proposal as `message` and the client's signature
//! bytes as `signature`: an actor that is a deal client approves by returning `true` (or nothing),
//! and refuses by returning `false` or aborting. Accounts answer by verifying the signature.
use fvm_ipld_encoding::strict_bytes;
use fvm_ipld_encoding::tuple::*;
use fvm_shared::MethodNum;

/// `AuthenticateMessage`'s method number (FRC-42 hash of the name).
pub const AUTHENTICATE_MESSAGE: MethodNum = frc42_dispatch::method_hash!("AuthenticateMessage");

/// `AuthenticateMessage` parameters. The return is a bare `bool`.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
pub struct AuthenticateMessageParams {
    /// The signature's bytes, without the signature type byte.
    #[serde(with = "strict_bytes")]
    pub signature: Vec<u8>,
    /// The bytes signed: for a deal, the CBOR of its [`DealProposal`](super::market::DealProposal).
    #[serde(with = "strict_bytes")]
    pub message: Vec<u8>,
}
