//! [`StoredAmount`]: a token amount as a collection stores it, decoded only when it is used.
//!
//! A HAMT or AMT node is decoded whole when it is read, every value in it included, and decoding a
//! `TokenAmount` builds an arbitrary-precision integer: in Wasm, thousands of instructions per
//! value. A lookup needs one value of the node's dozens. `StoredAmount` keeps the value's CBOR
//! bytes as they are (the same encoding as `TokenAmount`'s: a byte string, empty for zero, else a
//! sign byte and the big-endian magnitude) and builds the integer only for the entry asked for.
//!
//! ```
//! use actorlib_kit::stored_amount::StoredAmount;
//! use fvm_shared::econ::TokenAmount;
//!
//! let amount = TokenAmount::from_whole(12);
//! let stored = StoredAmount::new(&amount);
//! assert_eq!(stored.amount().unwrap(), amount);
//! // The same bytes on the wire as the amount itself.
//! assert_eq!(fvm_ipld_encoding::to_vec(&stored).unwrap(), fvm_ipld_encoding::to_vec(&amount).unwrap());
//! ```
use fvm_shared::bigint::{BigInt, Sign};
use fvm_shared::econ::TokenAmount;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{ActorError, Result};

/// A token amount in its stored form (see the module docs).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StoredAmount(Vec<u8>);

impl StoredAmount {
    /// The stored form of `amount`.
    pub fn new(amount: &TokenAmount) -> Self {
        let (sign, magnitude) = amount.atto().to_bytes_be();
        Self(match sign {
            Sign::NoSign => Vec::new(),
            Sign::Plus => [&[0u8][..], &magnitude].concat(),
            Sign::Minus => [&[1u8][..], &magnitude].concat(),
        })
    }

    /// An amount's stored bytes, as read from a containing record (checked when the amount is
    /// used, like every stored amount).
    pub fn from_bytes(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }

    /// The amount. Fails with `USR_ILLEGAL_STATE` for bytes no amount encodes to (only a corrupt
    /// state holds such).
    pub fn amount(&self) -> Result<TokenAmount> {
        let sign = match self.0.first() {
            None => return Ok(TokenAmount::default()),
            Some(0) => Sign::Plus,
            Some(1) => Sign::Minus,
            Some(s) => {
                return Err(ActorError::illegal_state(format!("stored amount: sign byte {s}")))
            }
        };
        Ok(TokenAmount::from_atto(BigInt::from_bytes_be(sign, &self.0[1..])))
    }

    /// Whether the amount is zero.
    pub fn is_zero(&self) -> bool {
        self.0.iter().skip(1).all(|b| *b == 0)
    }
}

impl From<&TokenAmount> for StoredAmount {
    fn from(amount: &TokenAmount) -> Self {
        Self::new(amount)
    }
}

impl Serialize for StoredAmount {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        fvm_ipld_encoding::BytesSer(&self.0).serialize(s)
    }
}

impl<'de> Deserialize<'de> for StoredAmount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        Ok(Self(fvm_ipld_encoding::BytesDe::deserialize(d)?.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn encodes_exactly_like_token_amount(atto in any::<i128>(), scale in 0u32..4) {
            let amount = TokenAmount::from_atto(BigInt::from(atto) * BigInt::from(10u64).pow(scale * 18));
            let stored = StoredAmount::new(&amount);
            let bytes = fvm_ipld_encoding::to_vec(&stored).unwrap();
            prop_assert_eq!(&bytes, &fvm_ipld_encoding::to_vec(&amount).unwrap());
            let back: StoredAmount = fvm_ipld_encoding::from_slice(&bytes).unwrap();
            prop_assert_eq!(back.amount().unwrap(), amount.clone());
            let as_amount: TokenAmount = fvm_ipld_encoding::from_slice(&bytes).unwrap();
            prop_assert_eq!(as_amount, amount.clone());
            prop_assert_eq!(stored.is_zero(), amount.is_zero());
        }
    }

    #[test]
    fn a_bad_sign_byte_is_illegal_state() {
        let bad: StoredAmount = fvm_ipld_encoding::from_slice(&[0x42, 0x07, 0x01]).unwrap();
        let err = bad.amount().unwrap_err();
        assert_eq!(err.code(), fvm_shared::error::ExitCode::USR_ILLEGAL_STATE);
    }
}
