//! [`Fixed`]: an unsigned fixed-point number with 18 decimals (like a token amount), for rates,
//! shares and prices that must compute the same on every node and never panic.
//!
//! Every operation is checked: overflow, underflow and division by zero are `USR_ILLEGAL_ARGUMENT`
//! errors. Products and quotients are computed exactly on 256 bits and then rounded down (or up,
//! for [`Fixed::mul_amount_ceil`]).
use std::borrow::Cow;
use std::fmt;

use fvm_shared::bigint::BigInt;
use fvm_shared::econ::TokenAmount;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::amount::require_bounded;
use crate::{ActorError, Result};

/// An unsigned fixed-point number with 18 decimals: the value is `raw / 10^18`, from 0 to about
/// 3.4 × 10^20.
///
/// Encoded in CBOR as a big integer the way Filecoin encodes them (a byte string: empty for zero,
/// else a `0x00` sign byte then the minimal big-endian raw value), so that a number of any size
/// round-trips: DAG-CBOR integers stop at `u64::MAX`, which would cap `Fixed` at about 18.4.
///
/// ```
/// use actorlib_kit::Fixed;
/// use fvm_shared::econ::TokenAmount;
///
/// let rate = Fixed::from_ratio(3, 100).unwrap(); // 3%
/// assert_eq!(rate.to_string(), "0.03");
/// let fee = rate.mul_amount(&TokenAmount::from_whole(250)).unwrap();
/// assert_eq!(fee, TokenAmount::from_nano(7_500_000_000u64)); // 7.5 tokens
///
/// let doubled = rate.checked_mul(Fixed::from_int(2)).unwrap();
/// assert_eq!(doubled, Fixed::from_ratio(6, 100).unwrap());
/// assert!(Fixed::ONE.checked_div(Fixed::ZERO).is_err());
/// assert!(Fixed::ZERO.checked_sub(Fixed::ONE).is_err());
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Fixed(u128);

impl Fixed {
    /// The number of decimal digits after the point.
    pub const DECIMALS: u32 = 18;
    /// The raw value of one: `10^18`.
    pub const SCALE: u128 = 10u128.pow(Self::DECIMALS);
    /// Zero.
    pub const ZERO: Fixed = Fixed(0);
    /// One.
    pub const ONE: Fixed = Fixed(Self::SCALE);
    /// The largest representable value (`u128::MAX / 10^18`).
    pub const MAX: Fixed = Fixed(u128::MAX);

    /// The integer `n` (exact: every `u64` fits).
    pub const fn from_int(n: u64) -> Fixed {
        Fixed(n as u128 * Self::SCALE)
    }

    /// The number whose raw value is `raw`, i.e. `raw / 10^18`.
    pub const fn from_raw(raw: u128) -> Fixed {
        Fixed(raw)
    }

    /// The raw value: the number times `10^18`.
    pub const fn raw(self) -> u128 {
        self.0
    }

    /// Whether this is zero.
    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// The integer part (rounded down).
    pub const fn floor_int(self) -> u128 {
        self.0 / Self::SCALE
    }

    /// `num / den`, rounded down. Fails if `den` is zero or the ratio exceeds [`Fixed::MAX`].
    pub fn from_ratio(num: u128, den: u128) -> Result<Fixed> {
        if den == 0 {
            return Err(ActorError::illegal_argument(format!(
                "fixed-point ratio {num}/0: division by zero"
            )));
        }
        mul_div(num, Self::SCALE, den, false).map(Fixed).ok_or_else(|| {
            ActorError::illegal_argument(format!("fixed-point ratio {num}/{den} overflows"))
        })
    }

    /// `self + rhs`, failing on overflow.
    pub fn checked_add(self, rhs: Fixed) -> Result<Fixed> {
        self.0.checked_add(rhs.0).map(Fixed).ok_or_else(|| overflow(self, "+", rhs))
    }

    /// `self - rhs`, failing if the result would be negative.
    pub fn checked_sub(self, rhs: Fixed) -> Result<Fixed> {
        self.0.checked_sub(rhs.0).map(Fixed).ok_or_else(|| {
            ActorError::illegal_argument(format!("fixed-point {self} - {rhs} would be negative"))
        })
    }

    /// `self × rhs`, rounded down, failing on overflow.
    pub fn checked_mul(self, rhs: Fixed) -> Result<Fixed> {
        mul_div(self.0, rhs.0, Self::SCALE, false)
            .map(Fixed)
            .ok_or_else(|| overflow(self, "*", rhs))
    }

    /// `self ÷ rhs`, rounded down, failing if `rhs` is zero or on overflow.
    pub fn checked_div(self, rhs: Fixed) -> Result<Fixed> {
        if rhs.0 == 0 {
            return Err(ActorError::illegal_argument(format!(
                "fixed-point {self} / 0: division by zero"
            )));
        }
        mul_div(self.0, Self::SCALE, rhs.0, false)
            .map(Fixed)
            .ok_or_else(|| overflow(self, "/", rhs))
    }

    /// `amount × self`, rounded down to a whole atto unit. Fails with `USR_ILLEGAL_ARGUMENT` if
    /// `amount` is negative or the result exceeds [`crate::amount::max_amount`].
    pub fn mul_amount(&self, amount: &TokenAmount) -> Result<TokenAmount> {
        self.scale_amount(amount, false)
    }

    /// `amount × self`, rounded up to a whole atto unit (for amounts owed rather than paid out).
    /// Same failures as [`Fixed::mul_amount`].
    pub fn mul_amount_ceil(&self, amount: &TokenAmount) -> Result<TokenAmount> {
        self.scale_amount(amount, true)
    }

    fn scale_amount(&self, amount: &TokenAmount, round_up: bool) -> Result<TokenAmount> {
        if amount.is_negative() {
            return Err(ActorError::illegal_argument(format!(
                "cannot scale a negative amount {amount} by {self}"
            )));
        }
        let product = TokenAmount::from_atto(amount.atto() * BigInt::from(self.0));
        let result =
            if round_up { product.div_ceil(Self::SCALE) } else { product.div_floor(Self::SCALE) };
        require_bounded(&result, "scaled amount")?;
        Ok(result)
    }
}

fn overflow(a: Fixed, op: &str, b: Fixed) -> ActorError {
    ActorError::illegal_argument(format!("fixed-point {a} {op} {b} overflows"))
}

/// The full 256-bit product `a × b`, as `(high, low)` 128-bit halves.
fn mul_wide(a: u128, b: u128) -> (u128, u128) {
    const MASK: u128 = u64::MAX as u128;
    let (a_hi, a_lo) = (a >> 64, a & MASK);
    let (b_hi, b_lo) = (b >> 64, b & MASK);
    let lo_lo = a_lo * b_lo;
    let lo_hi = a_lo * b_hi;
    let hi_lo = a_hi * b_lo;
    let hi_hi = a_hi * b_hi;
    // The 2^64 column: each term is below 2^64, so the sum is below 3 × 2^64.
    let middle = (lo_lo >> 64) + (lo_hi & MASK) + (hi_lo & MASK);
    let low = (lo_lo & MASK) | (middle << 64);
    let high = hi_hi + (lo_hi >> 64) + (hi_lo >> 64) + (middle >> 64);
    (high, low)
}

/// `(high × 2^128 + low) ÷ d` as `(quotient, remainder)`, or `None` if `d` is zero or the
/// quotient does not fit in 128 bits (exactly when `high >= d`).
fn div_wide(high: u128, low: u128, d: u128) -> Option<(u128, u128)> {
    if d == 0 || high >= d {
        return None;
    }
    if high == 0 {
        return Some((low / d, low % d));
    }
    // Binary long division; the remainder stays below `d` between steps.
    let (mut rem, mut quot) = (high, 0u128);
    for i in (0..128).rev() {
        let carry = rem >> 127;
        rem = (rem << 1) | ((low >> i) & 1);
        quot <<= 1;
        // With a carry the shifted remainder is at least 2^128 > d; the true difference is
        // below d, so wrapping arithmetic yields it exactly.
        if carry == 1 || rem >= d {
            rem = rem.wrapping_sub(d);
            quot |= 1;
        }
    }
    Some((quot, rem))
}

/// `a × b ÷ d`, rounded down (or up), or `None` on division by zero or overflow.
fn mul_div(a: u128, b: u128, d: u128, round_up: bool) -> Option<u128> {
    let (high, low) = mul_wide(a, b);
    let (quot, rem) = div_wide(high, low, d)?;
    if round_up && rem != 0 {
        quot.checked_add(1)
    } else {
        Some(quot)
    }
}

/// Decimal notation with the trailing zeros of the fraction removed and at least one fractional
/// digit: `1.0`, `0.03`, `340282366920938463463.374607431768211455`.
impl fmt::Display for Fixed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let int = self.0 / Self::SCALE;
        let frac = self.0 % Self::SCALE;
        let digits = format!("{frac:018}");
        let trimmed = digits.trim_end_matches('0');
        let trimmed = if trimmed.is_empty() { "0" } else { trimmed };
        f.pad_integral(true, "", &format!("{int}.{trimmed}"))
    }
}

impl Serialize for Fixed {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut bytes = Vec::with_capacity(17);
        if self.0 != 0 {
            let be = self.0.to_be_bytes();
            let first = be.iter().position(|b| *b != 0).unwrap_or(be.len());
            bytes.push(0);
            bytes.extend_from_slice(&be[first..]);
        }
        s.serialize_bytes(&bytes)
    }
}

impl<'de> Deserialize<'de> for Fixed {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        use serde::de::Error;
        let bytes: Cow<'de, [u8]> = fvm_ipld_encoding::strict_bytes::deserialize(d)?;
        let Some((&sign, magnitude)) = bytes.split_first() else {
            return Ok(Fixed::ZERO);
        };
        if sign != 0 {
            return Err(D::Error::custom("fixed-point number: invalid sign byte (must be 0)"));
        }
        if magnitude.is_empty() || magnitude[0] == 0 {
            return Err(D::Error::custom("fixed-point number: magnitude is not minimal"));
        }
        if magnitude.len() > 16 {
            return Err(D::Error::custom("fixed-point number: more than 128 bits"));
        }
        let mut be = [0u8; 16];
        be[16 - magnitude.len()..].copy_from_slice(magnitude);
        Ok(Fixed(u128::from_be_bytes(be)))
    }
}

#[cfg(test)]
mod tests {
    use fvm_shared::bigint::BigUint;
    use fvm_shared::error::ExitCode;
    use proptest::prelude::*;

    use super::*;

    const S: u128 = Fixed::SCALE;

    fn big(n: u128) -> BigUint {
        BigUint::from(n)
    }

    /// The reference: `a × b ÷ d` on big integers, or `None` if it does not fit in 128 bits.
    fn model_mul_div(a: u128, b: u128, d: u128, round_up: bool) -> Option<u128> {
        let p = big(a) * big(b);
        let mut q = &p / big(d);
        if round_up && &q * big(d) != p {
            q += 1u8;
        }
        u128::try_from(q).ok()
    }

    #[test]
    fn constants_and_conversions() {
        assert_eq!(Fixed::ONE.raw(), 1_000_000_000_000_000_000);
        assert_eq!(Fixed::from_int(0), Fixed::ZERO);
        assert_eq!(Fixed::from_int(7).raw(), 7 * S);
        assert_eq!(Fixed::from_int(u64::MAX).floor_int(), u64::MAX as u128);
        assert_eq!(Fixed::from_raw(1234).raw(), 1234);
        assert!(Fixed::ZERO.is_zero() && !Fixed::ONE.is_zero());
        assert_eq!(Fixed::from_raw(S * 5 / 2).floor_int(), 2);
        assert!(Fixed::from_int(2) > Fixed::ONE);
    }

    #[test]
    fn display() {
        assert_eq!(Fixed::ZERO.to_string(), "0.0");
        assert_eq!(Fixed::ONE.to_string(), "1.0");
        assert_eq!(Fixed::from_raw(1).to_string(), "0.000000000000000001");
        assert_eq!(Fixed::from_ratio(5, 2).unwrap().to_string(), "2.5");
        assert_eq!(Fixed::MAX.to_string(), "340282366920938463463.374607431768211455");
    }

    #[test]
    fn ratios_round_down() {
        assert_eq!(Fixed::from_ratio(1, 3).unwrap().raw(), 333_333_333_333_333_333);
        assert_eq!(Fixed::from_ratio(2, 3).unwrap().raw(), 666_666_666_666_666_666);
        assert_eq!(Fixed::from_ratio(10, 5).unwrap(), Fixed::from_int(2));
        assert_eq!(Fixed::from_ratio(0, 5).unwrap(), Fixed::ZERO);
        // Large numerators are fine as long as the ratio fits.
        assert_eq!(Fixed::from_ratio(u128::MAX, u128::MAX).unwrap(), Fixed::ONE);
        let e = Fixed::from_ratio(1, 0).unwrap_err();
        assert_eq!(e.code(), ExitCode::USR_ILLEGAL_ARGUMENT);
        assert!(e.message().contains("division by zero"));
        let e = Fixed::from_ratio(u128::MAX, 1).unwrap_err();
        assert_eq!(e.code(), ExitCode::USR_ILLEGAL_ARGUMENT);
        assert!(e.message().contains("overflows"));
    }

    #[test]
    fn arithmetic_and_its_failures() {
        let half = Fixed::from_ratio(1, 2).unwrap();
        let third = Fixed::from_ratio(1, 3).unwrap();
        assert_eq!(half.checked_add(half).unwrap(), Fixed::ONE);
        assert_eq!(Fixed::ONE.checked_sub(half).unwrap(), half);
        assert_eq!(half.checked_mul(Fixed::from_int(3)).unwrap(), Fixed::from_ratio(3, 2).unwrap());
        assert_eq!(Fixed::ONE.checked_div(Fixed::from_int(3)).unwrap(), third);
        // Multiplication rounds down: 1/3 × 1/3 = 0.111...1 (truncated).
        assert_eq!(third.checked_mul(third).unwrap().raw(), 111_111_111_111_111_110);
        assert_eq!(Fixed::from_raw(1).checked_mul(Fixed::from_raw(1)).unwrap(), Fixed::ZERO);
        assert_eq!(Fixed::MAX.checked_mul(Fixed::ONE).unwrap(), Fixed::MAX);
        assert_eq!(Fixed::MAX.checked_div(Fixed::ONE).unwrap(), Fixed::MAX);

        let failures = [
            Fixed::MAX.checked_add(Fixed::from_raw(1)),
            Fixed::ZERO.checked_sub(Fixed::from_raw(1)),
            Fixed::MAX.checked_mul(Fixed::from_int(2)),
            Fixed::MAX.checked_div(half),
            Fixed::ONE.checked_div(Fixed::ZERO),
        ];
        for r in failures {
            assert_eq!(r.unwrap_err().code(), ExitCode::USR_ILLEGAL_ARGUMENT);
        }
    }

    #[test]
    fn scaling_amounts() {
        let third = Fixed::from_ratio(1, 3).unwrap();
        let ten = TokenAmount::from_atto(10);
        assert_eq!(third.mul_amount(&ten).unwrap(), TokenAmount::from_atto(3));
        assert_eq!(third.mul_amount_ceil(&ten).unwrap(), TokenAmount::from_atto(4));
        assert_eq!(Fixed::ONE.mul_amount(&ten).unwrap(), ten);
        assert_eq!(Fixed::ONE.mul_amount_ceil(&ten).unwrap(), ten);
        assert_eq!(Fixed::ZERO.mul_amount_ceil(&ten).unwrap(), TokenAmount::from_atto(0));
        let big = TokenAmount::from_whole(1_000_000_000u64);
        assert_eq!(Fixed::from_int(3).mul_amount(&big).unwrap(), big.clone() * 3);

        let e = Fixed::ONE.mul_amount(&TokenAmount::from_atto(-1)).unwrap_err();
        assert_eq!(e.code(), ExitCode::USR_ILLEGAL_ARGUMENT);
        let e = Fixed::from_int(2).mul_amount(&crate::amount::max_amount()).unwrap_err();
        assert_eq!(e.code(), ExitCode::USR_ILLEGAL_ARGUMENT);
    }

    #[test]
    fn wide_multiplication_and_division() {
        assert_eq!(mul_wide(u128::MAX, u128::MAX), (u128::MAX - 1, 1));
        assert_eq!(mul_wide(1 << 64, 1 << 64), (1, 0));
        assert_eq!(div_wide(1, 0, 2), Some((1 << 127, 0)));
        assert_eq!(div_wide(u128::MAX - 1, 1, u128::MAX), Some((u128::MAX, 0)));
        assert_eq!(div_wide(1, 0, 1), None);
        assert_eq!(div_wide(0, 5, 0), None);
    }

    #[test]
    fn cbor_encoding() {
        let cases: [(Fixed, &[u8]); 4] = [
            (Fixed::ZERO, &[0x40]),
            (Fixed::from_raw(1), &[0x42, 0x00, 0x01]),
            (Fixed::from_raw(0x1234), &[0x43, 0x00, 0x12, 0x34]),
            (Fixed::ONE, &[0x49, 0x00, 0x0d, 0xe0, 0xb6, 0xb3, 0xa7, 0x64, 0x00, 0x00]),
        ];
        for (value, bytes) in cases {
            assert_eq!(fvm_ipld_encoding::to_vec(&value).unwrap(), bytes, "{value}");
            assert_eq!(fvm_ipld_encoding::from_slice::<Fixed>(bytes).unwrap(), value);
        }
        // Same bytes as a non-negative TokenAmount with the raw value in atto.
        let amount = TokenAmount::from_atto(Fixed::MAX.raw());
        assert_eq!(
            fvm_ipld_encoding::to_vec(&Fixed::MAX).unwrap(),
            fvm_ipld_encoding::to_vec(&amount).unwrap()
        );
        let bad: [&[u8]; 4] = [
            &[0x42, 0x01, 0x01],                                              // negative
            &[0x42, 0x00, 0x00],                                              // not minimal
            &[0x41, 0x00], // sign without magnitude
            &[0x52, 0x00, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], // 136 bits
        ];
        for bytes in bad {
            assert!(fvm_ipld_encoding::from_slice::<Fixed>(bytes).is_err(), "{bytes:?}");
        }
    }

    fn any_raw() -> impl Strategy<Value = u128> {
        prop_oneof![
            any::<u128>(),
            (any::<u128>(), 0u32..128).prop_map(|(x, shift)| x >> shift),
            (0u128..1000).prop_map(|x| x * S),
            0u128..1000,
        ]
    }

    proptest! {
        #[test]
        fn operations_match_a_big_integer_model(a in any_raw(), b in any_raw()) {
            let (fa, fb) = (Fixed::from_raw(a), Fixed::from_raw(b));
            prop_assert_eq!(fa.checked_add(fb).ok().map(Fixed::raw), a.checked_add(b));
            prop_assert_eq!(fa.checked_sub(fb).ok().map(Fixed::raw), a.checked_sub(b));
            prop_assert_eq!(fa.checked_mul(fb).ok().map(Fixed::raw), model_mul_div(a, b, S, false));
            let div = fa.checked_div(fb).ok().map(Fixed::raw);
            prop_assert_eq!(div, if b == 0 { None } else { model_mul_div(a, S, b, false) });
            let ratio = Fixed::from_ratio(a, b).ok().map(Fixed::raw);
            prop_assert_eq!(ratio, if b == 0 { None } else { model_mul_div(a, S, b, false) });
            if b != 0 {
                prop_assert_eq!(mul_div(a, b, a.max(1), true), model_mul_div(a, b, a.max(1), true));
            }

            let amount = TokenAmount::from_atto(b);
            let floor = fa.mul_amount(&amount).unwrap();
            let ceil = fa.mul_amount_ceil(&amount).unwrap();
            let exact = BigInt::from(a) * BigInt::from(b);
            prop_assert_eq!(floor.atto(), &(&exact / BigInt::from(S)));
            prop_assert!(ceil.atto() - floor.atto() <= BigInt::from(1));
            prop_assert_eq!(ceil == floor, (&exact % BigInt::from(S)) == BigInt::from(0));

            let bytes = fvm_ipld_encoding::to_vec(&fa).unwrap();
            prop_assert_eq!(fvm_ipld_encoding::from_slice::<Fixed>(&bytes).unwrap(), fa);
        }
    }
}
