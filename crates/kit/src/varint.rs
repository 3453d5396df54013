//! Unsigned LEB128 varints, minimal form only: the encoding of `u64` map keys (the builtin
//! actors' `u64_key`), of composite keys built from them, and of packed records.
//!
//! A decoder accepts exactly the bytes [`put_uvarint`] writes, so a value has one encoding and a
//! stored key or record decodes to one value.
//!
//! ```
//! use actorlib_kit::varint::{put_uvarint, take_uvarint};
//!
//! let mut bytes = Vec::new();
//! put_uvarint(300, &mut bytes);
//! put_uvarint(7, &mut bytes);
//! assert_eq!(bytes, [0xac, 0x02, 0x07]);
//! let mut rest = bytes.as_slice();
//! assert_eq!(take_uvarint(&mut rest), Ok(300));
//! assert_eq!(take_uvarint(&mut rest), Ok(7));
//! assert!(rest.is_empty());
//! assert!(take_uvarint(&mut &[0x80, 0x00][..]).is_err()); // not minimal
//! ```

/// Appends the minimal unsigned LEB128 encoding of `v` to `out`.
pub fn put_uvarint(mut v: u64, out: &mut Vec<u8>) {
    while v >= 0x80 {
        out.push((v as u8 & 0x7f) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Takes one minimal unsigned LEB128 varint off the front of `b`, advancing it past the varint.
/// On error `b` is left as it was.
pub fn take_uvarint(b: &mut &[u8]) -> Result<u64, &'static str> {
    let mut value = 0u64;
    for (i, &byte) in b.iter().enumerate() {
        if i >= 10 {
            return Err("varint longer than 10 bytes");
        }
        let part = u64::from(byte & 0x7f);
        if i == 9 && part > 1 {
            return Err("varint overflows 64 bits");
        }
        value |= part << (7 * i);
        if byte & 0x80 == 0 {
            if byte == 0 && i > 0 {
                return Err("varint is not minimally encoded");
            }
            *b = &b[i + 1..];
            return Ok(value);
        }
    }
    Err(if b.is_empty() { "empty varint" } else { "truncated varint" })
}

/// Decodes a varint that spans all of `b`.
pub fn decode_uvarint(b: &[u8]) -> Result<u64, &'static str> {
    let mut rest = b;
    let value = take_uvarint(&mut rest)?;
    if !rest.is_empty() {
        return Err("trailing bytes after varint");
    }
    Ok(value)
}

/// Appends a strictly increasing list (such as sorted actor IDs) as its length and then each
/// value, all as varints.
pub fn put_increasing(values: &[u64], out: &mut Vec<u8>) {
    put_uvarint(values.len() as u64, out);
    for &v in values {
        put_uvarint(v, out);
    }
}

/// Takes a list written by [`put_increasing`] off the front of `b`: a count that the remaining
/// bytes can hold, then that many varints, each greater than the one before.
pub fn take_increasing(b: &mut &[u8]) -> Result<Vec<u64>, &'static str> {
    let n = take_uvarint(b)?;
    if n > b.len() as u64 {
        return Err("list longer than its bytes");
    }
    let mut values: Vec<u64> = Vec::with_capacity(n as usize);
    for _ in 0..n {
        let v = take_uvarint(b)?;
        if values.last().is_some_and(|&last| last >= v) {
            return Err("list not strictly increasing");
        }
        values.push(v);
    }
    Ok(values)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn increasing_lists_roundtrip_and_reject_disorder() {
        let mut bytes = Vec::new();
        put_increasing(&[3, 300], &mut bytes);
        bytes.push(0xff);
        let mut rest = bytes.as_slice();
        assert_eq!(take_increasing(&mut rest), Ok(vec![3, 300]));
        assert_eq!(rest, [0xff]);
        for bad in [&[0x02, 0x05, 0x05][..], &[0x02, 0x05, 0x04], &[0x03, 0x01, 0x02], &[]] {
            assert!(take_increasing(&mut &bad[..]).is_err(), "{bad:02x?}");
        }
    }

    #[test]
    fn rejects_every_other_form() {
        assert_eq!(decode_uvarint(&[]), Err("empty varint"));
        assert_eq!(decode_uvarint(&[0x80]), Err("truncated varint"));
        assert_eq!(decode_uvarint(&[0x81, 0x00]), Err("varint is not minimally encoded"));
        assert_eq!(decode_uvarint(&[0x01, 0x01]), Err("trailing bytes after varint"));
        let mut max = Vec::new();
        put_uvarint(u64::MAX, &mut max);
        assert_eq!(max.len(), 10);
        assert_eq!(decode_uvarint(&max), Ok(u64::MAX));
        max[9] = 0x02;
        assert_eq!(decode_uvarint(&max), Err("varint overflows 64 bits"));
        assert_eq!(decode_uvarint(&[0xff; 11]), Err("varint overflows 64 bits"));
    }

    proptest! {
        #[test]
        fn roundtrips(values in proptest::collection::vec(any::<u64>(), 0..8)) {
            let mut bytes = Vec::new();
            for &v in &values {
                put_uvarint(v, &mut bytes);
            }
            let mut rest = bytes.as_slice();
            for &v in &values {
                prop_assert_eq!(take_uvarint(&mut rest), Ok(v));
            }
            prop_assert!(rest.is_empty());
        }
    }
}
