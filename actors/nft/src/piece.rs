//! Piece CIDs (commP): the form the storage market gives a deal's data, and the only form this
//! collection accepts as a token's piece CID.
//!
//! A piece CID is a CIDv1 with codec fil-commitment-unsealed (0xf101) and a 32-byte
//! sha2-256-trunc254-padded (0x1012) multihash, exactly as the market validates a deal proposal's
//! `piece_cid`. The content is not checked (it is a commitment, not something an actor can
//! recompute).
use actorlib_kit::{actor_error, Result};
use cid::{Cid, Version};

/// Multicodec of unsealed piece commitments, `fil-commitment-unsealed`.
pub const FIL_COMMITMENT_UNSEALED: u64 = 0xf101;
/// Multihash code of piece commitments, `sha2-256-trunc254-padded`.
pub const SHA2_256_TRUNC254_PADDED: u64 = 0x1012;

/// Whether `cid` has the form of a piece CID.
pub fn is_piece_cid(cid: &Cid) -> bool {
    cid.version() == Version::V1
        && cid.codec() == FIL_COMMITMENT_UNSEALED
        && cid.hash().code() == SHA2_256_TRUNC254_PADDED
        && cid.hash().size() == 32
}

/// Fails with `USR_ILLEGAL_ARGUMENT` unless `cid` has the form of a piece CID.
pub fn require_piece_cid(cid: &Cid) -> Result<()> {
    if is_piece_cid(cid) {
        Ok(())
    } else {
        Err(actor_error!(illegal_argument;
            "{} is not a piece CID (CIDv1, codec 0xf101, multihash 0x1012 of 32 bytes)", cid))
    }
}
