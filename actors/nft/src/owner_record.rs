//! The wire form of an owner's record ([`OwnerData`]): one CBOR byte string, or a two-element
//! array `[bytes, cid]` once the record's token index has moved to chunks.
//!
//! Why not a CBOR tuple of four fields, like every other record: the owners HAMT
//! (`fvm_ipld_hamt`) decodes each bucket entry of a node it loads through a generic IPLD tree
//! before converting it to the value type, so every CBOR item of every record in the node costs an
//! allocation and a conversion, whichever record was asked for. A balance query loads a node of up
//! to 24 records; one byte string per record makes that decode several times cheaper than four
//! fields with a nested list, and the node a few bytes per record smaller (every rewritten byte
//! costs storage gas). The chunk index's root stays a CBOR link (tag 42), outside the byte string,
//! so that tools walking the state still see it.
//!
//! The bytes are: `uvarint(balance) ‖ the account's operators ([`crate::operator`]) ‖ the RLE+
//! bitfield of the token IDs held` (the bitfield is empty when `cid` is present). Varints are
//! unsigned LEB128, minimal; a decoder rejects any other form, so each record has one encoding.
use cid::Cid;
use fvm_ipld_encoding::{BytesSer, RawBytes};
use serde::de::{self, SeqAccess, Visitor};
use serde::ser::SerializeTuple;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use actorlib_kit::varint::{put_uvarint, take_uvarint};

use crate::operator::{put_operators, take_operators};

use crate::state::OwnerData;

impl OwnerData {
    /// The record's bytes (everything but the chunk root).
    fn packed(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(4 + 6 * self.operators.len() + self.tokens.len());
        put_uvarint(self.balance, &mut out);
        put_operators(&self.operators, &mut out);
        out.extend_from_slice(self.tokens.bytes());
        out
    }

    /// Reads a record from its bytes and chunk root.
    fn unpack(mut bytes: Vec<u8>, chunks: Option<Cid>) -> Result<Self, String> {
        let mut rest = bytes.as_slice();
        let balance = take_uvarint(&mut rest)?;
        let operators = take_operators(&mut rest).map_err(|e| format!("operators: {e}"))?;
        if chunks.is_some() && !rest.is_empty() {
            return Err("both an inline token set and chunks".into());
        }
        // The token set is the tail: drop the header in place rather than copy into a new buffer.
        let header = bytes.len() - rest.len();
        bytes.drain(..header);
        Ok(OwnerData { balance, tokens: RawBytes::new(bytes), chunks, operators })
    }
}

impl Serialize for OwnerData {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let packed = self.packed();
        match &self.chunks {
            None => BytesSer(&packed).serialize(s),
            Some(root) => {
                let mut t = s.serialize_tuple(2)?;
                t.serialize_element(&BytesSer(&packed))?;
                t.serialize_element(root)?;
                t.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for OwnerData {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(RecordVisitor)
    }
}

struct RecordVisitor;

impl<'de> Visitor<'de> for RecordVisitor {
    type Value = OwnerData;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an owner record: bytes, or [bytes, cid]")
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<OwnerData, E> {
        OwnerData::unpack(v.to_vec(), None).map_err(E::custom)
    }

    fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<OwnerData, E> {
        OwnerData::unpack(v, None).map_err(E::custom)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<OwnerData, A::Error> {
        let bytes: fvm_ipld_encoding::BytesDe =
            seq.next_element()?.ok_or_else(|| de::Error::invalid_length(0, &self))?;
        let root: Cid = seq.next_element()?.ok_or_else(|| de::Error::invalid_length(1, &self))?;
        if seq.next_element::<de::IgnoredAny>()?.is_some() {
            return Err(de::Error::invalid_length(3, &self));
        }
        OwnerData::unpack(bytes.into_vec(), Some(root)).map_err(de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operator::Operator;
    use fvm_ipld_bitfield::BitField;
    use fvm_ipld_encoding::{from_slice, to_vec};

    fn record(balance: u64, operators: Vec<u64>, ids: &[u64], chunks: Option<Cid>) -> OwnerData {
        let operators = operators.into_iter().map(Operator::forever).collect();
        let tokens = if chunks.is_some() {
            RawBytes::default()
        } else {
            RawBytes::new(BitField::try_from_bits(ids.iter().copied()).unwrap().to_bytes())
        };
        OwnerData { balance, tokens, chunks, operators }
    }

    #[test]
    fn golden_inline_record_is_one_byte_string() {
        // balance 3, operators [100, 300], tokens {1, 2, 3}.
        let rec = record(3, vec![100, 300], &[1, 2, 3], None);
        let bytes = to_vec(&rec).unwrap();
        // A byte string (major type 2) of 7 header bytes plus the bitfield: balance, count, then
        // 100 and 300, each without expiry (0).
        let mut expected =
            vec![0x40 + (7 + rec.tokens.len()) as u8, 0x03, 0x02, 0x64, 0x00, 0xac, 0x02, 0x00];
        expected.extend_from_slice(rec.tokens.bytes());
        assert_eq!(bytes, expected);
        assert_eq!(from_slice::<OwnerData>(&bytes).unwrap(), rec);
    }

    fn a_cid() -> Cid {
        actorlib_kit::state::put(&fvm_ipld_blockstore::MemoryBlockstore::new(), &1u64).unwrap()
    }

    #[test]
    fn chunked_record_keeps_its_root_as_a_link() {
        let rec = record(5000, vec![], &[], Some(a_cid()));
        let bytes = to_vec(&rec).unwrap();
        assert_eq!(bytes[0], 0x82, "a two-element array");
        assert_eq!(&bytes[1..5], &[0x43, 0x88, 0x27, 0x00], "balance 5000, no operators");
        assert_eq!(&bytes[5..7], &[0xd8, 0x2a], "the chunk root is a CBOR link (tag 42)");
        assert_eq!(from_slice::<OwnerData>(&bytes).unwrap(), rec);
    }

    #[test]
    fn records_roundtrip_through_the_owners_hamt() {
        // The HAMT decodes values through an IPLD tree, not straight from CBOR.
        let store = fvm_ipld_blockstore::MemoryBlockstore::new();
        let config = crate::state::OWNERS_CONFIG;
        let mut map: actorlib_kit::Map<_, u64, OwnerData> =
            actorlib_kit::Map::empty(&store, config, "owners");
        let records: Vec<OwnerData> = (0..40)
            .map(|i| match i % 3 {
                0 => record(i + 1, vec![], &[i, i + 1], None),
                1 => record(i + 1, vec![7, 9 + i], &[2 * i], None),
                _ => record(i + 1, vec![3], &[], Some(a_cid())),
            })
            .collect();
        for (i, rec) in records.iter().enumerate() {
            map.set(i as u64, rec.clone()).unwrap();
        }
        let root = map.flush().unwrap();
        let map: actorlib_kit::Map<_, u64, OwnerData> =
            actorlib_kit::Map::load(&store, &root, config, "owners").unwrap();
        for (i, rec) in records.iter().enumerate() {
            assert_eq!(map.get(&(i as u64)).unwrap(), Some(rec));
        }
    }

    #[test]
    fn malformed_records_are_rejected() {
        let bad: &[&[u8]] = &[
            &[0x40],                                     // empty: no balance
            &[0x42, 0x80, 0x00],                         // non-minimal varint
            &[0x43, 0x01, 0x02, 0x05],                   // two operators announced, one present
            &[0x46, 0x01, 0x02, 0x05, 0x00, 0x05, 0x00], // operators not increasing
            &[0x01],                                     // not bytes
            &[0x83, 0x41, 0x00, 0x01, 0x02],             // three elements
        ];
        for b in bad {
            assert!(from_slice::<OwnerData>(b).is_err(), "{b:02x?} decoded");
        }
    }

    #[test]
    fn roundtrips_any_record() {
        use proptest::prelude::*;
        proptest!(|(balance in any::<u64>(), ops in proptest::collection::btree_set(any::<u64>(), 0..5),
                    ids in proptest::collection::btree_set(0u64..10_000, 0..20), chunked in any::<bool>())| {
            let chunks = chunked.then(Cid::default);
            let ids: Vec<u64> = ids.into_iter().collect();
            let rec = record(balance, ops.into_iter().collect(), &ids, chunks);
            let bytes = to_vec(&rec).unwrap();
            prop_assert_eq!(from_slice::<OwnerData>(&bytes).unwrap(), rec);
        });
    }
}
