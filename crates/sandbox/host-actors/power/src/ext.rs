//! The interfaces power calls, mirrored here rather than imported: actor crates never depend on
//! each other, because building them together with `fil-actor` would export `invoke` twice. The
//! sandbox's tests check that these encode exactly like the originals.
use fvm_ipld_encoding::tuple::*;
use fvm_ipld_encoding::{strict_bytes, BytesDe, RawBytes};
use fvm_shared::address::Address;

/// init `Exec` (method 2) parameters.
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq)]
pub struct ExecParams {
    /// Code of the new actor.
    pub code_cid: cid::Cid,
    /// CBOR constructor parameters.
    pub constructor_params: RawBytes,
}

/// init `Exec` return.
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq)]
pub struct ExecReturn {
    /// The new actor's ID address.
    pub id_address: Address,
    /// The new actor's robust address.
    pub robust_address: Address,
}

/// init's `Exec` method number.
pub const INIT_EXEC: u64 = 2;

/// The miner stand-in's constructor parameters.
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq)]
pub struct MinerConstructorParams {
    /// Owner.
    pub owner: Address,
    /// Worker.
    pub worker: Address,
    /// Control addresses (none at creation).
    pub control_addresses: Vec<Address>,
    /// Sector size in bytes.
    pub sector_size: u64,
    /// Peer ID.
    #[serde(with = "strict_bytes")]
    pub peer_id: Vec<u8>,
    /// Multiaddresses.
    pub multiaddrs: Vec<BytesDe>,
}
