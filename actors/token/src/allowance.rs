//! An allowance as the allowances map stores it: an amount, and optionally the epoch at which it
//! expires.
//!
//! FRC-46 allowances never expire; an owner who forgets one leaves an operator able to spend for
//! ever. `IncreaseAllowanceUntil` sets an expiry (as cw20's `expires` does): from that epoch on,
//! the allowance counts as zero. The rules follow from what bit cw20's users (cw-plus #628, #909):
//! an expiry must be after the current epoch, and an expired allowance is gone — a later increase
//! starts from zero, it does not revive the old amount.
//!
//! Wire form: an allowance without expiry is the amount's byte string alone (what the map held
//! before expiries existed, so the common case costs nothing more); one with an expiry is
//! `[amount bytes, epoch]`.
use actorlib_kit::stored_amount::StoredAmount;
use actorlib_kit::Result;
use fvm_ipld_encoding::BytesDe;
use fvm_shared::clock::ChainEpoch;
use fvm_shared::econ::TokenAmount;
use serde::de::{self, SeqAccess, Visitor};
use serde::ser::SerializeTuple;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A stored allowance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredAllowance {
    /// The amount (never zero in the map).
    pub amount: StoredAmount,
    /// The first epoch at which the allowance no longer counts, if any.
    pub expires_at: Option<ChainEpoch>,
}

impl StoredAllowance {
    /// An allowance of `amount` until `expires_at` (for ever if `None`).
    pub fn new(amount: &TokenAmount, expires_at: Option<ChainEpoch>) -> Self {
        Self { amount: StoredAmount::new(amount), expires_at }
    }

    /// Whether it has expired at `epoch`.
    pub fn expired(&self, epoch: ChainEpoch) -> bool {
        self.expires_at.is_some_and(|e| epoch >= e)
    }

    /// What may be spent at `epoch`: the amount, or zero once expired.
    pub fn spendable(&self, epoch: ChainEpoch) -> Result<TokenAmount> {
        if self.expired(epoch) {
            Ok(TokenAmount::default())
        } else {
            self.amount.amount()
        }
    }
}

/// How `IncreaseAllowanceUntil` changes an allowance's expiry (`IncreaseAllowance` keeps it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expiry {
    /// Leave it as it is.
    Keep,
    /// Expire at this epoch (which must be after the current one).
    At(ChainEpoch),
    /// Never expire.
    Never,
}

impl Serialize for StoredAllowance {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self.expires_at {
            None => self.amount.serialize(s),
            Some(epoch) => {
                let mut t = s.serialize_tuple(2)?;
                t.serialize_element(&self.amount)?;
                t.serialize_element(&epoch)?;
                t.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for StoredAllowance {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_any(AllowanceVisitor)
    }
}

struct AllowanceVisitor;

impl<'de> Visitor<'de> for AllowanceVisitor {
    type Value = StoredAllowance;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an allowance: amount bytes, or [amount bytes, expiry epoch]")
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> std::result::Result<StoredAllowance, E> {
        self.visit_byte_buf(v.to_vec())
    }

    fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> std::result::Result<StoredAllowance, E> {
        Ok(StoredAllowance { amount: StoredAmount::from_bytes(v), expires_at: None })
    }

    fn visit_seq<A: SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> std::result::Result<StoredAllowance, A::Error> {
        let bytes: BytesDe =
            seq.next_element()?.ok_or_else(|| de::Error::invalid_length(0, &self))?;
        let epoch: ChainEpoch =
            seq.next_element()?.ok_or_else(|| de::Error::invalid_length(1, &self))?;
        if seq.next_element::<de::IgnoredAny>()?.is_some() {
            return Err(de::Error::invalid_length(3, &self));
        }
        Ok(StoredAllowance { amount: StoredAmount::from_bytes(bytes.0), expires_at: Some(epoch) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fvm_ipld_encoding::{from_slice, to_vec};

    #[test]
    fn without_expiry_it_is_the_amount_alone() {
        let amount = TokenAmount::from_atto(300);
        let a = StoredAllowance::new(&amount, None);
        assert_eq!(to_vec(&a).unwrap(), to_vec(&amount).unwrap());
        assert_eq!(from_slice::<StoredAllowance>(&to_vec(&a).unwrap()).unwrap(), a);
    }

    #[test]
    fn with_expiry_it_is_a_pair() {
        let a = StoredAllowance::new(&TokenAmount::from_atto(300), Some(1000));
        let bytes = to_vec(&a).unwrap();
        // [h'00012c', 1000]
        assert_eq!(bytes, [0x82, 0x43, 0x00, 0x01, 0x2c, 0x19, 0x03, 0xe8]);
        assert_eq!(from_slice::<StoredAllowance>(&bytes).unwrap(), a);
        assert!(!a.expired(999));
        assert!(a.expired(1000));
        assert_eq!(a.spendable(999).unwrap(), TokenAmount::from_atto(300));
        assert_eq!(a.spendable(1000).unwrap(), TokenAmount::default());
    }

    #[test]
    fn malformed_allowances_are_rejected() {
        for bad in
            [&[0x01][..], &[0x83, 0x41, 0x00, 0x01, 0x02], &[0x81, 0x41, 0x00], &[0x82, 0x01, 0x02]]
        {
            assert!(from_slice::<StoredAllowance>(bad).is_err(), "{bad:02x?}");
        }
    }
}
