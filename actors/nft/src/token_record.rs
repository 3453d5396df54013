//! The wire form of a token's record ([`TokenData`]): one CBOR byte string.
//!
//! Why not a CBOR tuple of three fields: every lookup (`OwnerOf`, `Metadata`, a transfer's checks)
//! loads a leaf of the token table and decodes all eight records in it, whichever was asked for.
//! A byte string per record is one CBOR item instead of five or more (an array, the owner, the
//! operator list and its entries, the URI), so a leaf decodes at a fraction of the Wasm cost, and
//! is a byte or two smaller per record (every rewritten byte costs storage gas).
//!
//! The bytes are: `uvarint(owner) ‖ the token's operators ([`crate::operator`]) ‖ the metadata URI
//! (UTF-8, to the end)`. Varints are unsigned LEB128, minimal; a decoder rejects any
//! other form, so each record has one encoding.
use fvm_ipld_encoding::BytesSer;
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use actorlib_kit::varint::{put_uvarint, take_uvarint};

use crate::operator::{put_operators, take_operators};

use crate::state::TokenData;

impl TokenData {
    /// The record's bytes.
    fn packed(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(4 + 6 * self.operators.len() + self.metadata.len());
        put_uvarint(self.owner, &mut out);
        put_operators(&self.operators, &mut out);
        out.extend_from_slice(self.metadata.as_bytes());
        out
    }

    /// Reads a record from its bytes.
    fn unpack(mut bytes: Vec<u8>) -> Result<Self, String> {
        let mut rest = bytes.as_slice();
        let owner = take_uvarint(&mut rest)?;
        let operators = take_operators(&mut rest).map_err(|e| format!("operators: {e}"))?;
        // The URI is the tail: drop the header in place rather than copy into a new buffer.
        let header = bytes.len() - rest.len();
        bytes.drain(..header);
        let metadata = String::from_utf8(bytes).map_err(|e| format!("metadata URI: {e}"))?;
        Ok(TokenData { owner, operators, metadata })
    }
}

impl Serialize for TokenData {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        BytesSer(&self.packed()).serialize(s)
    }
}

impl<'de> Deserialize<'de> for TokenData {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_bytes(RecordVisitor)
    }
}

struct RecordVisitor;

impl Visitor<'_> for RecordVisitor {
    type Value = TokenData;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a token record: bytes")
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<TokenData, E> {
        TokenData::unpack(v.to_vec()).map_err(E::custom)
    }

    fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<TokenData, E> {
        TokenData::unpack(v).map_err(E::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operator::Operator;
    use fvm_ipld_encoding::{from_slice, to_vec};

    fn token(owner: u64, operators: Vec<u64>, metadata: &str) -> TokenData {
        let operators = operators.into_iter().map(Operator::forever).collect();
        TokenData { owner, operators, metadata: metadata.into() }
    }

    #[test]
    fn golden_record_is_one_byte_string() {
        // owner 1000, operators 100 (for ever) and 300 (until epoch 1000), URI "ipfs://x".
        let mut t = token(1000, vec![100, 300], "ipfs://x");
        t.operators[1].expires_at = Some(1000);
        let mut expected = vec![0x40 + 17, 0xe8, 0x07, 0x02, 0x64, 0x00, 0xac, 0x02, 0xe8, 0x07];
        expected.extend_from_slice(b"ipfs://x");
        let bytes = to_vec(&t).unwrap();
        assert_eq!(bytes, expected);
        assert_eq!(from_slice::<TokenData>(&bytes).unwrap(), t);
    }

    #[test]
    fn records_roundtrip_through_the_token_table() {
        let store = fvm_ipld_blockstore::MemoryBlockstore::new();
        let config = crate::state::TOKENS_CONFIG;
        let mut v: actorlib_kit::Vector<_, TokenData> =
            actorlib_kit::Vector::empty(&store, config, "tokens");
        let tokens: Vec<TokenData> =
            (0..40).map(|i| token(100 + i, (0..i % 3).collect(), &format!("u{i}"))).collect();
        for (i, t) in tokens.iter().enumerate() {
            v.set(i as u64, t.clone()).unwrap();
        }
        let root = v.flush().unwrap();
        let v: actorlib_kit::Vector<_, TokenData> =
            actorlib_kit::Vector::load(&store, &root, config, "tokens").unwrap();
        for (i, t) in tokens.iter().enumerate() {
            assert_eq!(v.get(i as u64).unwrap(), Some(t));
        }
    }

    #[test]
    fn malformed_records_are_rejected() {
        let bad: &[&[u8]] = &[
            &[0x40],                                     // empty: no owner
            &[0x42, 0x80, 0x00],                         // non-minimal varint
            &[0x43, 0x01, 0x02, 0x05],                   // two operators announced, one present
            &[0x46, 0x01, 0x02, 0x05, 0x00, 0x05, 0x00], // operators not increasing
            &[0x43, 0x01, 0x00, 0xff],                   // URI not UTF-8
            &[0x01],                                     // not bytes
            &[0x61, 0x61],                               // a text string
        ];
        for b in bad {
            assert!(from_slice::<TokenData>(b).is_err(), "{b:02x?} decoded");
        }
    }

    #[test]
    fn roundtrips_any_record() {
        use proptest::prelude::*;
        proptest!(|(owner in any::<u64>(), ops in proptest::collection::btree_set(any::<u64>(), 0..5),
                    uri in ".{0,40}")| {
            let mut t = token(owner, ops.into_iter().collect(), &uri);
            if let Some(first) = t.operators.first_mut() {
                first.expires_at = Some(owner as i64 & 0xffff | 1);
            }
            let bytes = to_vec(&t).unwrap();
            prop_assert_eq!(from_slice::<TokenData>(&bytes).unwrap(), t);
        });
    }
}
