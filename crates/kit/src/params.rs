//! Typed parameters and return values.
//!
//! Parameters arrive as an optional IPLD block; [`decode`] turns it into the method's parameter type
//! or fails with `USR_SERIALIZATION`, and [`encode`] turns a return value into a block. Methods that
//! take nothing use `()`: no block decodes to `()`, and `()` encodes to no block, exactly like the
//! builtin actors.
//!
//! ```
//! use actorlib_kit::params::{decode, encode};
//! use fvm_ipld_encoding::ipld_block::IpldBlock;
//!
//! let block = IpldBlock::serialize_cbor(&42u64).unwrap();
//! assert_eq!(decode::<u64>(block).unwrap(), 42);
//! assert!(decode::<u64>(None).is_err());
//! decode::<()>(None).unwrap();
//! assert_eq!(encode(&()).unwrap(), None);
//! ```
use fvm_ipld_encoding::ipld_block::IpldBlock;
use fvm_ipld_encoding::{CBOR, DAG_CBOR};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::nesting::{check_nesting, MAX_NESTING};
use crate::{ActorError, Result};

/// CBOR `null`: what `()` serialises to, and what an absent block decodes from.
const CBOR_NULL: &[u8] = &[0xf6];

/// Decodes a method's parameters, or fails with `USR_SERIALIZATION`.
pub fn decode<T: DeserializeOwned>(params: Option<IpldBlock>) -> Result<T> {
    let bytes: &[u8] = match &params {
        None => CBOR_NULL,
        Some(block) if block.codec == DAG_CBOR || block.codec == CBOR => &block.data,
        Some(block) => {
            return Err(ActorError::serialization(format!(
                "parameters: unsupported codec {:#x}",
                block.codec
            )))
        }
    };
    decode_bytes(bytes).map_err(|e| e.wrap("parameters"))
}

/// Decodes CBOR bytes received inside parameters (a deal proposal in `AuthenticateMessage`, say),
/// with the same nesting bound as [`decode`], or fails with `USR_SERIALIZATION`.
pub fn decode_bytes<T: DeserializeOwned>(bytes: &[u8]) -> Result<T> {
    // Bounded first: the decoder recurses once per level and would exhaust the Wasm stack.
    check_nesting(bytes, MAX_NESTING).map_err(|e| ActorError::serialization(e.to_string()))?;
    fvm_ipld_encoding::from_slice(bytes).map_err(|e| ActorError::serialization(e.to_string()))
}

/// Encodes a return value; `()` becomes no block.
pub fn encode<T: Serialize + ?Sized>(value: &T) -> Result<Option<IpldBlock>> {
    let data = fvm_ipld_encoding::to_vec(value)
        .map_err(|e| ActorError::serialization(format!("return value: {e}")))?;
    if data == CBOR_NULL {
        return Ok(None);
    }
    Ok(Some(IpldBlock { codec: CBOR, data }))
}

/// Encodes parameters for a call to another actor; `()` becomes no block.
pub fn params<T: Serialize + ?Sized>(value: &T) -> Result<Option<IpldBlock>> {
    encode(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use fvm_ipld_encoding::tuple::*;
    use fvm_shared::error::ExitCode;

    #[derive(Serialize_tuple, Deserialize_tuple, Debug, PartialEq)]
    struct P {
        a: u64,
        b: String,
    }

    #[test]
    fn round_trips_structs() {
        let p = P { a: 7, b: "x".into() };
        let block = encode(&p).unwrap();
        assert_eq!(block.as_ref().unwrap().data, vec![0x82, 0x07, 0x61, b'x']);
        assert_eq!(decode::<P>(block).unwrap(), p);
    }

    #[test]
    fn rejects_bad_input_with_serialization() {
        let bad = Some(IpldBlock { codec: CBOR, data: vec![0x82, 0x07] });
        assert_eq!(decode::<P>(bad).unwrap_err().code(), ExitCode::USR_SERIALIZATION);
        assert_eq!(decode::<P>(None).unwrap_err().code(), ExitCode::USR_SERIALIZATION);
        let raw = Some(IpldBlock { codec: fvm_ipld_encoding::IPLD_RAW, data: vec![0xf6] });
        assert_eq!(decode::<()>(raw).unwrap_err().code(), ExitCode::USR_SERIALIZATION);
        let extra = Some(IpldBlock { codec: CBOR, data: vec![0x83, 0x07, 0x61, b'x', 0x01] });
        assert_eq!(decode::<P>(extra).unwrap_err().code(), ExitCode::USR_SERIALIZATION);
    }

    #[test]
    fn rejects_deep_nesting_before_decoding() {
        // Any depth is valid for a decoder that accepts any value; it would recurse 10,000 times.
        let deep = Some(IpldBlock { codec: CBOR, data: [vec![0x81; 10_000], vec![0x00]].concat() });
        let err = decode::<serde::de::IgnoredAny>(deep).unwrap_err();
        assert_eq!(err.code(), ExitCode::USR_SERIALIZATION);
        assert!(err.message().contains("nested too deeply"), "{}", err.message());
        let shallow = Some(IpldBlock { codec: CBOR, data: [vec![0x81; 3], vec![0x00]].concat() });
        assert_eq!(decode::<Vec<Vec<Vec<u8>>>>(shallow).unwrap(), vec![vec![vec![0]]]);
    }

    #[test]
    fn unit_is_no_block() {
        assert_eq!(encode(&()).unwrap(), None);
        decode::<()>(None).unwrap();
        assert!(encode(&0u8).unwrap().is_some());
    }
}
