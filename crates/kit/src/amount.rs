//! Checked arithmetic on [`TokenAmount`] that never goes negative and never grows without bound.
//!
//! `TokenAmount` is an arbitrary-precision signed integer (of atto units): plain `+` and `-` never
//! fail, so a balance can silently go negative or a sum grow until it no longer serialises. The
//! [`Amount`] methods and the `require_*` checks below turn each of those into an [`ActorError`]
//! with the exit code a caller expects:
//!
//! | condition | exit code |
//! | --- | --- |
//! | a subtraction would go negative | `USR_INSUFFICIENT_FUNDS` |
//! | a negative operand, a non-granular or out-of-bounds amount | `USR_ILLEGAL_ARGUMENT` |
//!
//! ```
//! use actorlib_kit::amount::{require_non_negative, Amount};
//! use fvm_shared::econ::TokenAmount;
//! use fvm_shared::error::ExitCode;
//!
//! let balance = TokenAmount::from_whole(10);
//! let spent = TokenAmount::from_whole(4);
//! let left = balance.checked_sub_amount(&spent).unwrap();
//! assert_eq!(left, TokenAmount::from_whole(6));
//! let err = left.checked_sub_amount(&balance).unwrap_err();
//! assert_eq!(err.code(), ExitCode::USR_INSUFFICIENT_FUNDS);
//! assert!(require_non_negative(&-spent, "amount").is_err());
//! ```
use fvm_shared::bigint::BigInt;
use fvm_shared::econ::TokenAmount;
use num_traits::Zero;

use crate::{ActorError, Result};

/// Amounts are bounded by `2^MAX_AMOUNT_BITS` atto units (about 5.8 × 10^58 whole tokens): far
/// above any real supply, and small enough that sums of bounded amounts always serialise.
pub const MAX_AMOUNT_BITS: u64 = 255;

/// The largest amount [`require_bounded`] accepts: `2^MAX_AMOUNT_BITS` atto units.
pub fn max_amount() -> TokenAmount {
    TokenAmount::from_atto(BigInt::from(1u8) << MAX_AMOUNT_BITS)
}

/// Checked, never-negative arithmetic on token amounts.
///
/// ```
/// use actorlib_kit::Amount;
/// use fvm_shared::econ::TokenAmount;
///
/// let a = TokenAmount::from_atto(5);
/// assert_eq!(a.checked_add_amount(&TokenAmount::from_atto(3)).unwrap(), TokenAmount::from_atto(8));
/// assert!(a.checked_add_amount(&TokenAmount::from_atto(-3)).is_err());
/// ```
pub trait Amount {
    /// `self + other`. Fails with `USR_ILLEGAL_ARGUMENT` if either operand is negative or the sum
    /// exceeds [`max_amount`].
    fn checked_add_amount(&self, other: &TokenAmount) -> Result<TokenAmount>;
    /// `self - other`. Fails with `USR_INSUFFICIENT_FUNDS` (naming both values) if the result
    /// would be negative, and with `USR_ILLEGAL_ARGUMENT` if either operand is negative.
    fn checked_sub_amount(&self, other: &TokenAmount) -> Result<TokenAmount>;
}

impl Amount for TokenAmount {
    fn checked_add_amount(&self, other: &TokenAmount) -> Result<TokenAmount> {
        require_non_negative(self, "augend")?;
        require_non_negative(other, "addend")?;
        let sum = self + other;
        require_bounded(&sum, "sum")?;
        Ok(sum)
    }

    fn checked_sub_amount(&self, other: &TokenAmount) -> Result<TokenAmount> {
        require_non_negative(self, "minuend")?;
        require_non_negative(other, "subtrahend")?;
        if other > self {
            return Err(ActorError::insufficient_funds(format!(
                "cannot subtract {other} from {self}: the result would be negative"
            )));
        }
        Ok(self - other)
    }
}

/// Fails with `USR_ILLEGAL_ARGUMENT` if `a` is negative; `what` names the amount in the message.
pub fn require_non_negative(a: &TokenAmount, what: &str) -> Result<()> {
    if a.is_negative() {
        return Err(ActorError::illegal_argument(format!("{what} must not be negative, got {a}")));
    }
    Ok(())
}

/// Fails with `USR_ILLEGAL_ARGUMENT` if `a` is zero or negative.
pub fn require_positive(a: &TokenAmount, what: &str) -> Result<()> {
    if !a.is_positive() {
        return Err(ActorError::illegal_argument(format!("{what} must be positive, got {a}")));
    }
    Ok(())
}

/// Fails with `USR_ILLEGAL_ARGUMENT` if `a` (in atto units) is not a multiple of `granularity`, or
/// if `granularity` is zero.
///
/// ```
/// use actorlib_kit::amount::require_granular;
/// use fvm_shared::econ::TokenAmount;
///
/// let whole = TokenAmount::PRECISION;
/// assert!(require_granular(&TokenAmount::from_whole(3), whole, "amount").is_ok());
/// assert!(require_granular(&TokenAmount::from_atto(1), whole, "amount").is_err());
/// ```
pub fn require_granular(a: &TokenAmount, granularity: u64, what: &str) -> Result<()> {
    if granularity == 0 {
        return Err(ActorError::illegal_argument(format!("{what}: granularity must be positive")));
    }
    if !(a.atto() % BigInt::from(granularity)).is_zero() {
        return Err(ActorError::illegal_argument(format!(
            "{what} {} atto is not a multiple of the granularity {granularity} atto",
            a.atto()
        )));
    }
    Ok(())
}

/// Fails with `USR_ILLEGAL_ARGUMENT` if the magnitude of `a` exceeds [`max_amount`]
/// (`2^MAX_AMOUNT_BITS` atto units).
pub fn require_bounded(a: &TokenAmount, what: &str) -> Result<()> {
    let magnitude = a.atto().magnitude();
    let bits = magnitude.bits();
    let within = bits <= MAX_AMOUNT_BITS
        || (bits == MAX_AMOUNT_BITS + 1 && magnitude.trailing_zeros() == Some(MAX_AMOUNT_BITS));
    if !within {
        return Err(ActorError::illegal_argument(format!(
            "{what} exceeds the maximum amount of 2^{MAX_AMOUNT_BITS} atto"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use fvm_shared::error::ExitCode;
    use proptest::prelude::*;

    use super::*;

    fn atto(n: i128) -> TokenAmount {
        TokenAmount::from_atto(n)
    }

    #[test]
    fn add_and_sub_happy_paths() {
        assert_eq!(atto(2).checked_add_amount(&atto(3)).unwrap(), atto(5));
        assert_eq!(atto(0).checked_add_amount(&atto(0)).unwrap(), atto(0));
        assert_eq!(atto(5).checked_sub_amount(&atto(3)).unwrap(), atto(2));
        assert_eq!(atto(5).checked_sub_amount(&atto(5)).unwrap(), atto(0));
    }

    #[test]
    fn negative_results_are_insufficient_funds_with_both_values() {
        let e =
            TokenAmount::from_whole(1).checked_sub_amount(&TokenAmount::from_whole(2)).unwrap_err();
        assert_eq!(e.code(), ExitCode::USR_INSUFFICIENT_FUNDS);
        assert_eq!(e.message(), "cannot subtract 2.0 from 1.0: the result would be negative");
        let e = atto(0).checked_sub_amount(&atto(1)).unwrap_err();
        assert_eq!(e.code(), ExitCode::USR_INSUFFICIENT_FUNDS);
    }

    #[test]
    fn negative_operands_are_illegal_arguments() {
        for e in [
            atto(-1).checked_add_amount(&atto(5)).unwrap_err(),
            atto(5).checked_add_amount(&atto(-1)).unwrap_err(),
            atto(-1).checked_sub_amount(&atto(0)).unwrap_err(),
            atto(5).checked_sub_amount(&atto(-1)).unwrap_err(),
        ] {
            assert_eq!(e.code(), ExitCode::USR_ILLEGAL_ARGUMENT);
            assert!(e.message().contains("must not be negative"), "{}", e.message());
        }
        assert!(require_non_negative(&atto(0), "x").is_ok());
        let e = require_non_negative(&atto(-7), "deposit").unwrap_err();
        assert_eq!(e.message(), "deposit must not be negative, got -0.000000000000000007");
        assert!(require_positive(&atto(1), "x").is_ok());
        assert_eq!(
            require_positive(&atto(0), "x").unwrap_err().code(),
            ExitCode::USR_ILLEGAL_ARGUMENT
        );
    }

    #[test]
    fn granularity() {
        assert!(require_granular(&atto(0), 7, "a").is_ok());
        assert!(require_granular(&atto(21), 7, "a").is_ok());
        assert!(require_granular(&atto(-21), 7, "a").is_ok());
        assert!(require_granular(&atto(123), 1, "a").is_ok());
        let e = require_granular(&atto(22), 7, "transfer").unwrap_err();
        assert_eq!(e.code(), ExitCode::USR_ILLEGAL_ARGUMENT);
        assert_eq!(e.message(), "transfer 22 atto is not a multiple of the granularity 7 atto");
        let e = require_granular(&atto(0), 0, "a").unwrap_err();
        assert_eq!(e.code(), ExitCode::USR_ILLEGAL_ARGUMENT);
    }

    #[test]
    fn bounds() {
        let max = max_amount();
        assert_eq!(max.atto().bits(), MAX_AMOUNT_BITS + 1);
        assert!(require_bounded(&max, "a").is_ok());
        assert!(require_bounded(&-max.clone(), "a").is_ok());
        assert!(require_bounded(&(max.clone() - atto(1)), "a").is_ok());
        let e = require_bounded(&(max.clone() + atto(1)), "total").unwrap_err();
        assert_eq!(e.code(), ExitCode::USR_ILLEGAL_ARGUMENT);
        assert!(e.message().starts_with("total exceeds the maximum"), "{}", e.message());
        assert!(require_bounded(&(max.clone() * 2), "a").is_err());

        // Sums are bounded too, and the bound always serialises.
        assert_eq!(max.checked_add_amount(&atto(0)).unwrap(), max);
        let e = max.checked_add_amount(&atto(1)).unwrap_err();
        assert_eq!(e.code(), ExitCode::USR_ILLEGAL_ARGUMENT);
        let bytes = fvm_ipld_encoding::to_vec(&max).unwrap();
        assert_eq!(fvm_ipld_encoding::from_slice::<TokenAmount>(&bytes).unwrap(), max);
    }

    proptest! {
        #[test]
        fn matches_i128_arithmetic(a in any::<i128>(), b in any::<i128>()) {
            let (ta, tb) = (atto(a), atto(b));
            match ta.checked_add_amount(&tb) {
                Ok(sum) => {
                    prop_assert!(a >= 0 && b >= 0);
                    prop_assert_eq!(sum.atto(), &(BigInt::from(a) + BigInt::from(b)));
                }
                Err(e) => {
                    prop_assert!(a < 0 || b < 0);
                    prop_assert_eq!(e.code(), ExitCode::USR_ILLEGAL_ARGUMENT);
                }
            }
            match ta.checked_sub_amount(&tb) {
                Ok(diff) => {
                    prop_assert!(a >= 0 && b >= 0 && a >= b);
                    prop_assert_eq!(diff, atto(a - b));
                }
                Err(e) if a < 0 || b < 0 => prop_assert_eq!(e.code(), ExitCode::USR_ILLEGAL_ARGUMENT),
                Err(e) => {
                    prop_assert!(a < b);
                    prop_assert_eq!(e.code(), ExitCode::USR_INSUFFICIENT_FUNDS);
                }
            }
        }
    }
}
