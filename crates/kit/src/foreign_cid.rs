//! [`ForeignCid`]: a CID that names data outside the actor's state, kept in state as its bytes.
//!
//! The FVM checks every link in a block an actor writes: a link whose codec is DAG-CBOR, CBOR or
//! raw must name a block reachable from the actor's state, and a link with any other codec (but
//! Filecoin's piece and sector commitments) is refused outright ("forbidden codec"). A CID that a
//! user hands an actor to *describe* data stored elsewhere (an IPFS dataset's root: dag-pb
//! `bafybei…`, raw `bafkrei…`, or a DAG-CBOR block the actor never saw) is therefore not a link
//! the actor may store: written as one, the state write fails. Kept as its binary form in a CBOR
//! byte string, it is opaque to the FVM and to garbage collection, as it should be: the actor does
//! not hold that data.
//!
//! Interfaces (parameters and returns) still carry such CIDs as ordinary CIDs: messages' params are
//! not state and are not checked for reachability.
//!
//! ```
//! use actorlib_kit::foreign_cid::ForeignCid;
//! use cid::Cid;
//!
//! let dataset: Cid = "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi".parse().unwrap();
//! let bytes = fvm_ipld_encoding::to_vec(&ForeignCid(dataset)).unwrap();
//! assert_eq!(bytes[0] >> 5, 2); // a byte string, not a tag-42 link
//! let back: ForeignCid = fvm_ipld_encoding::from_slice(&bytes).unwrap();
//! assert_eq!(back.0, dataset);
//! ```
use std::fmt;

use cid::Cid;
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A CID stored as its bytes (see the module's documentation).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ForeignCid(pub Cid);

impl From<Cid> for ForeignCid {
    fn from(c: Cid) -> Self {
        Self(c)
    }
}

impl From<ForeignCid> for Cid {
    fn from(c: ForeignCid) -> Self {
        c.0
    }
}

impl Serialize for ForeignCid {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(&self.0.to_bytes())
    }
}

impl<'de> Deserialize<'de> for ForeignCid {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Bytes;
        impl Visitor<'_> for Bytes {
            type Value = ForeignCid;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a CID's bytes")
            }
            fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<ForeignCid, E> {
                Cid::try_from(v).map(ForeignCid).map_err(E::custom)
            }
        }
        d.deserialize_bytes(Bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fvm_ipld_encoding::{from_slice, to_vec, BytesSer};

    #[test]
    fn round_trips_and_rejects_what_is_not_a_cid() {
        let raw: Cid =
            "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy".parse().unwrap();
        let bytes = to_vec(&Some(ForeignCid(raw))).unwrap();
        assert_eq!(from_slice::<Option<ForeignCid>>(&bytes).unwrap(), Some(ForeignCid(raw)));
        assert_eq!(bytes, to_vec(&BytesSer(&raw.to_bytes())).unwrap());
        assert!(from_slice::<ForeignCid>(&to_vec(&BytesSer(&[1, 2, 3])).unwrap()).is_err());
        assert!(from_slice::<ForeignCid>(&to_vec(&raw).unwrap()).is_err(), "a link is not bytes");
    }
}
