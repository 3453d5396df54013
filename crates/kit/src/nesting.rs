//! A bound on how deeply CBOR input nests, checked before it is decoded.
//!
//! The CBOR decoder under `fvm_ipld_encoding` recurses once per level of nesting and has no limit
//! of its own, and an actor's Wasm stack is small (see [`crate::WASM_STACK_SIZE`]): parameters
//! nested thousands of levels deep would exhaust it and trap, where the caller should get
//! `USR_SERIALIZATION`. [`check_nesting`] walks the input's item headers iteratively (no recursion,
//! memory bounded by the limit) and refuses anything nested deeper than the limit, so no decoding
//! of accepted input can come near the end of the stack.
//!
//! ```
//! use actorlib_kit::nesting::{check_nesting, MAX_NESTING};
//!
//! assert!(check_nesting(&[0x82, 0x01, 0x81, 0x02], MAX_NESTING).is_ok()); // [1, [2]]
//! let deep = [vec![0x81; 1000], vec![0x00]].concat(); // [[[…[0]…]]]
//! assert!(check_nesting(&deep, MAX_NESTING).is_err());
//! ```

/// The deepest nesting of arrays, maps and tags that parameters and return values may have. Every
/// interface in actorlib nests a few levels at most; 64 leaves room for any reasonable payload.
pub const MAX_NESTING: usize = 64;

/// Why input was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NestingError {
    /// Arrays, maps or tags nested deeper than the limit.
    TooDeep,
    /// The input ends inside an item.
    Truncated,
    /// A reserved header (additional information 28–30) or an indefinite length, which DAG-CBOR
    /// forbids.
    Unsupported,
}

impl std::fmt::Display for NestingError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::TooDeep => "nested too deeply",
            Self::Truncated => "truncated",
            Self::Unsupported => "reserved header or indefinite length",
        })
    }
}

/// Checks that the first CBOR item in `input` nests no deeper than `max_depth` levels. Bytes after
/// that item are not looked at (the decoder refuses them).
pub fn check_nesting(input: &[u8], max_depth: usize) -> Result<(), NestingError> {
    // `pending[d]`: the items still to read at depth `d`; depth 0 holds the one top-level item.
    let mut pending: Vec<u64> = Vec::with_capacity(8);
    pending.push(1);
    let mut at = 0usize;
    while let Some(left) = pending.last_mut() {
        if *left == 0 {
            pending.pop();
            continue;
        }
        *left -= 1;
        let (major, arg, next) = header(input, at)?;
        at = next;
        let children = match major {
            // Byte and text strings: skip the content.
            2 | 3 => {
                at = usize::try_from(arg)
                    .ok()
                    .and_then(|len| at.checked_add(len))
                    .filter(|&end| end <= input.len())
                    .ok_or(NestingError::Truncated)?;
                0
            }
            4 => arg,
            5 => arg.checked_mul(2).ok_or(NestingError::Truncated)?,
            6 => 1,
            // Integers, simple values and floats carry no items.
            _ => 0,
        };
        if children > 0 {
            if pending.len() > max_depth {
                return Err(NestingError::TooDeep);
            }
            pending.push(children);
        }
    }
    Ok(())
}

/// The header at `at`: major type, argument (a length, count or value) and where the item's content
/// begins.
fn header(input: &[u8], at: usize) -> Result<(u8, u64, usize), NestingError> {
    let first = *input.get(at).ok_or(NestingError::Truncated)?;
    let (major, info) = (first >> 5, first & 0x1f);
    let width = match info {
        0..=23 => return Ok((major, u64::from(info), at + 1)),
        24 => 1,
        25 => 2,
        26 => 4,
        27 => 8,
        _ => return Err(NestingError::Unsupported),
    };
    let bytes = input.get(at + 1..at + 1 + width).ok_or(NestingError::Truncated)?;
    let arg = bytes.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
    Ok((major, arg, at + 1 + width))
}

#[cfg(test)]
mod tests {
    use super::*;
    use fvm_ipld_encoding::to_vec;

    fn nested_arrays(depth: usize) -> Vec<u8> {
        [vec![0x81; depth], vec![0x00]].concat()
    }

    #[test]
    fn accepts_every_shape_up_to_the_limit() {
        let value = (
            1u64,
            "text",
            vec![(fvm_shared::address::Address::new_id(7), vec![1u8, 2, 3])],
            std::collections::BTreeMap::from([("k".to_string(), vec![vec![1.5f64]])]),
            u64::MAX,
            -5i64,
            Some(cid::Cid::default()),
        );
        check_nesting(&to_vec(&value).unwrap(), MAX_NESTING).unwrap();
        check_nesting(&nested_arrays(MAX_NESTING), MAX_NESTING).unwrap();
        check_nesting(&[0x80], 0).unwrap(); // an empty array has nothing below it
    }

    #[test]
    fn refuses_deeper_input_whatever_nests() {
        assert_eq!(
            check_nesting(&nested_arrays(MAX_NESTING + 1), MAX_NESTING),
            Err(NestingError::TooDeep)
        );
        let maps = [[0xa1, 0x00].repeat(100), vec![0x00]].concat();
        assert_eq!(check_nesting(&maps, MAX_NESTING), Err(NestingError::TooDeep));
        let tags = [vec![0xc1; 100], vec![0x00]].concat();
        assert_eq!(check_nesting(&tags, MAX_NESTING), Err(NestingError::TooDeep));
        // Deep nesting after valid leading fields.
        let inner = [vec![0x83, 0x42, 0x00, 0x64], nested_arrays(1000), vec![0x40]].concat();
        assert_eq!(check_nesting(&inner, MAX_NESTING), Err(NestingError::TooDeep));
    }

    #[test]
    fn refuses_truncated_and_indefinite_input() {
        assert_eq!(check_nesting(&[], 4), Err(NestingError::Truncated));
        assert_eq!(check_nesting(&[0x82, 0x01], 4), Err(NestingError::Truncated));
        assert_eq!(check_nesting(&[0x19, 0x01], 4), Err(NestingError::Truncated));
        assert_eq!(check_nesting(&[0x45, 0x01], 4), Err(NestingError::Truncated));
        assert_eq!(
            check_nesting(&[0x5b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], 4),
            Err(NestingError::Truncated)
        );
        assert_eq!(check_nesting(&[0x9f, 0x01, 0xff], 4), Err(NestingError::Unsupported));
        assert_eq!(check_nesting(&[0x1c], 4), Err(NestingError::Unsupported));
    }

    #[test]
    fn huge_declared_counts_fail_without_allocating() {
        // A map claiming 2^63 entries: the count is never materialised, the input just ends.
        let b = [0xbb, 0x80, 0, 0, 0, 0, 0, 0, 0];
        assert_eq!(check_nesting(&b, 4), Err(NestingError::Truncated));
    }
}
