//! A DAG-CBOR array taken apart into its items' bytes, and put together from them.
//!
//! A state object that keeps a collection's root inside itself ([`crate::embedded`]) holds that
//! root as encoded bytes; serde cannot splice encoded bytes into an encoding, nor hand out the
//! bytes of one field. These two functions can: [`items`] finds where each item of a top-level
//! array begins and ends without decoding it (headers only, so a CID costs a few dozen gas to
//! step over rather than thousands to decode), and [`array()`] writes an array header followed by
//! the items as given. A state object is then `array(&[field bytes, …])`, and a query that needs
//! one field decodes only that item.
//!
//! ```
//! use actorlib_kit::cbor_array::{array, items};
//! use fvm_ipld_encoding::{from_slice, to_vec};
//!
//! let bytes = array(&[&to_vec(&7u64).unwrap(), &to_vec(&("a", [1u8, 2])).unwrap()]);
//! assert_eq!(bytes, to_vec(&(7u64, ("a", [1u8, 2]))).unwrap());
//! let parts = items(&bytes).unwrap();
//! assert_eq!(from_slice::<u64>(parts[0]).unwrap(), 7);
//! ```

/// The slices of `bytes` holding each item of the array it encodes: exactly one definite-length
/// DAG-CBOR array, nothing after it. Items are checked only for being well-formed CBOR of known
/// lengths (each decoder checks the rest).
pub fn items(bytes: &[u8]) -> Result<Vec<&[u8]>, String> {
    let (major, n, mut at) = header(bytes, 0)?;
    if major != ARRAY {
        return Err(format!("expected an array, found major type {major}"));
    }
    // Each item is at least one byte: a count beyond the bytes left is malformed, not a reason
    // to allocate.
    if n > (bytes.len() - at) as u64 {
        return Err(format!("an array of {n} items in {} bytes", bytes.len()));
    }
    let mut out = Vec::with_capacity(n as usize);
    for _ in 0..n {
        let end = skip(bytes, at)?;
        out.push(&bytes[at..end]);
        at = end;
    }
    if at != bytes.len() {
        return Err(format!("{} bytes after the array", bytes.len() - at));
    }
    Ok(out)
}

/// The bytes of item `index` of the array `bytes` encodes, stepping over the items before it and
/// nothing after it (what follows is not checked: [`items`] checks the whole).
pub fn item(bytes: &[u8], index: usize) -> Result<&[u8], String> {
    let (major, n, mut at) = header(bytes, 0)?;
    if major != ARRAY {
        return Err(format!("expected an array, found major type {major}"));
    }
    if index as u64 >= n {
        return Err(format!("no item {index} in an array of {n}"));
    }
    for _ in 0..index {
        at = skip(bytes, at)?;
    }
    Ok(&bytes[at..skip(bytes, at)?])
}

/// A definite-length array of `items` (each one encoded CBOR item).
pub fn array(items: &[&[u8]]) -> Vec<u8> {
    let len = items.iter().map(|i| i.len()).sum::<usize>();
    let mut out = Vec::with_capacity(9 + len);
    put_header(ARRAY, items.len() as u64, &mut out);
    for item in items {
        out.extend_from_slice(item);
    }
    out
}

const BYTES: u8 = 2;
const TEXT: u8 = 3;
const ARRAY: u8 = 4;
const MAP: u8 = 5;
const TAG: u8 = 6;

/// The end of the item starting at `at`. Iterative (a count of items still to step over), so
/// that nesting cannot exhaust the stack.
fn skip(b: &[u8], mut at: usize) -> Result<usize, String> {
    let mut pending: u64 = 1;
    while pending > 0 {
        pending -= 1;
        let (major, arg, next) = header(b, at)?;
        at = next;
        let more = match major {
            BYTES | TEXT => {
                if arg > (b.len() - at) as u64 {
                    return Err(format!("a string of {arg} bytes in {} left", b.len() - at));
                }
                at += arg as usize;
                0
            }
            ARRAY => arg,
            MAP => arg.checked_mul(2).ok_or("a map too large")?,
            TAG => 1,
            _ => 0,
        };
        pending = pending.checked_add(more).ok_or("too many items")?;
        // Every pending item needs at least a byte.
        if pending > (b.len() - at) as u64 {
            return Err(format!("{pending} items in {} bytes", b.len() - at));
        }
    }
    Ok(at)
}

/// The major type, argument and end of the header at `at`. Indefinite lengths and reserved
/// additional information (not DAG-CBOR) are errors.
fn header(b: &[u8], at: usize) -> Result<(u8, u64, usize), String> {
    let first = *b.get(at).ok_or("truncated: expected an item")?;
    let (major, info) = (first >> 5, first & 0x1f);
    let width = match info {
        0..=23 => return Ok((major, info as u64, at + 1)),
        24 => 1,
        25 => 2,
        26 => 4,
        27 => 8,
        _ => return Err(format!("unsupported additional information {info}")),
    };
    let arg = b.get(at + 1..at + 1 + width).ok_or("truncated header")?;
    let arg = arg.iter().fold(0u64, |acc, &x| acc << 8 | x as u64);
    // Major type 7 with an argument is a float or a simple value: no content follows.
    Ok((major, arg, at + 1 + width))
}

fn put_header(major: u8, n: u64, out: &mut Vec<u8>) {
    let m = major << 5;
    match n {
        0..=23 => out.push(m | n as u8),
        24..=0xff => out.extend_from_slice(&[m | 24, n as u8]),
        0x100..=0xffff => {
            out.push(m | 25);
            out.extend_from_slice(&(n as u16).to_be_bytes());
        }
        0x1_0000..=0xffff_ffff => {
            out.push(m | 26);
            out.extend_from_slice(&(n as u32).to_be_bytes());
        }
        _ => {
            out.push(m | 27);
            out.extend_from_slice(&n.to_be_bytes());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cid::Cid;
    use fvm_ipld_encoding::{to_vec, BytesSer};
    use std::collections::BTreeMap;

    #[test]
    fn splits_what_serde_joins() {
        let cid: Cid =
            "bafy2bzacecu4bm4wzwe3rvtufvipgcrckb2bsdhdmuv5vz3pcs2mtbgdy34va".parse().unwrap();
        let map: BTreeMap<String, i64> = [("a".into(), -5), ("bb".into(), 1 << 40)].into();
        let value = (
            u64::MAX,
            -300i64,
            BytesSer(&[9u8; 300]),
            "text".to_string(),
            vec![Some(cid), None],
            map,
            (1.5f64, true),
            Vec::<u8>::new(),
        );
        let bytes = to_vec(&value).unwrap();
        let parts = items(&bytes).unwrap();
        assert_eq!(parts.len(), 8);
        assert_eq!(parts[0], to_vec(&u64::MAX).unwrap());
        assert_eq!(parts[2], to_vec(&BytesSer(&[9u8; 300])).unwrap());
        assert_eq!(parts[4], to_vec(&vec![Some(cid), None]).unwrap());
        assert_eq!(array(&parts), bytes);
        for (i, part) in parts.iter().enumerate() {
            assert_eq!(item(&bytes, i).unwrap(), *part);
        }
        assert!(item(&bytes, 8).is_err());
        assert!(item(&to_vec(&5u8).unwrap(), 0).is_err());
        // Long arrays get the longer headers.
        for n in [23usize, 24, 255, 256, 70_000] {
            let v = vec![0u8; n];
            let bytes = to_vec(&v).unwrap();
            let parts = items(&bytes).unwrap();
            assert_eq!(parts.len(), n);
            assert_eq!(array(&parts), bytes);
        }
    }

    #[test]
    fn malformed_input_is_an_error() {
        let bad: &[&[u8]] = &[
            &[],                                                           // nothing
            &[0x01],                                                       // not an array
            &[0x82, 0x01],                                                 // one item short
            &[0x81, 0x01, 0x01],                                           // bytes after
            &[0x81, 0x9f, 0xff],                                           // indefinite length
            &[0x81, 0x1c],       // reserved additional information
            &[0x81, 0x19, 0x01], // truncated header
            &[0x81, 0x45, 0x01], // string longer than the input
            &[0x9b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], // absurd count
            &[0x81, 0xbb, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], // map count overflow
            &[0x81, 0xd8, 0x2a], // a tag without its item
        ];
        for b in bad {
            assert!(items(b).is_err(), "{b:02x?}");
        }
    }

    #[test]
    fn deep_nesting_does_not_recurse() {
        let mut bytes = vec![0x81; 100_000];
        bytes.push(0x00);
        let parts = items(&bytes).unwrap();
        assert_eq!(parts[0].len(), bytes.len() - 1);
    }
}
