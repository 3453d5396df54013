//! The power actor's interface types: method numbers, policy constants, parameters and returns.
//!
//! Every struct is CBOR *tuple* encoded (an array of its fields in order) unless marked
//! transparent (encoded as its single field, bare). The shapes are the real power actor's
//! (builtin-actors `actors/power/src/types.rs`, v12 for NV21 and unchanged through v17), except the
//! sandbox-only [`SandboxSetMinerPowerParams`]. Powers are `BigInt`s in the builtin encoding (CBOR
//! bytes: a sign byte, then the big-endian magnitude; zero is empty bytes).
use fvm_ipld_encoding::tuple::*;
use fvm_ipld_encoding::{strict_bytes, BytesDe};
use fvm_shared::address::Address;
use fvm_shared::bigint::{bigint_ser, BigInt};
use fvm_shared::econ::TokenAmount;
use fvm_shared::sector::{RegisteredPoStProof, StoragePower};
use fvm_shared::ActorID;

use actorlib_kit::method_hash;

/// Raw power a miner needs to meet the consensus minimum: 10 TiB, the mainnet policy
/// (builtin-actors `runtime/src/runtime/policy.rs`, `policy_constants::MINIMUM_CONSENSUS_POWER`
/// without the `min-power-*` features). The real `consensus_miner_min_power` returns this one
/// value for every valid PoSt proof type, so it does not depend on the sector size.
pub const MINIMUM_CONSENSUS_POWER: i64 = 10 << 40;

/// Miners that must meet [`MINIMUM_CONSENSUS_POWER`] before the minimum is enforced; until then
/// any miner with positive raw power meets the minimum (builtin-actors
/// `actors/power/src/policy.rs`, `CONSENSUS_MINER_MIN_MINERS`).
pub const CONSENSUS_MINER_MIN_MINERS: i64 = 4;

/// Highest quality multiplier a sector can have (verified deals, 10x): a claim's quality-adjusted
/// power lies between its raw power and ten times it (builtin-actors `actors/miner/src/policy.rs`,
/// `VERIFIED_DEAL_WEIGHT_MULTIPLIER / QUALITY_BASE_MULTIPLIER`).
pub const MAX_QUALITY_MULTIPLIER: i64 = 10;

/// Method numbers: the real power actor's (legacy numbers and FRC-42 exported numbers) and the
/// sandbox-only method (`1000`, caller f00) standing in for proven sectors.
#[repr(u64)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// Constructor (caller f00).
    Constructor = 1,
    /// Legacy CreateMiner.
    CreateMiner = 2,
    /// Legacy CurrentTotalPower (no exported twin).
    CurrentTotalPower = 9,
    /// Exported CreateMiner.
    CreateMinerExported = method_hash!("CreateMiner"),
    /// Exported NetworkRawPower: the network's raw byte power.
    NetworkRawPowerExported = method_hash!("NetworkRawPower"),
    /// Exported MinerRawPower: a miner's raw byte power and whether it meets the consensus minimum.
    MinerRawPowerExported = method_hash!("MinerRawPower"),
    /// Exported MinerCount: miners created.
    MinerCountExported = method_hash!("MinerCount"),
    /// Exported MinerConsensusCount: miners at or above the consensus minimum.
    MinerConsensusCountExported = method_hash!("MinerConsensusCount"),
    /// Sandbox only (caller f00): sets a miner's claimed power.
    SandboxSetMinerPower = 1000,
}

/// `CreateMiner` parameters.
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq)]
pub struct CreateMinerParams {
    /// The owner (receives withdrawals; controls the miner).
    pub owner: Address,
    /// The worker (signs PoSt and deal publication).
    pub worker: Address,
    /// Window PoSt proof type (fixes the sector size).
    pub window_post_proof_type: RegisteredPoStProof,
    /// libp2p peer ID.
    #[serde(with = "strict_bytes")]
    pub peer: Vec<u8>,
    /// Multiaddresses.
    pub multiaddrs: Vec<BytesDe>,
}

/// `CreateMiner` return: init's `Exec` return, `{id_address, robust_address}`.
pub type CreateMinerReturn = crate::ext::ExecReturn;

/// `CurrentTotalPower` return.
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq)]
pub struct CurrentTotalPowerReturn {
    /// Raw byte power.
    #[serde(with = "bigint_ser")]
    pub raw_byte_power: StoragePower,
    /// Quality-adjusted power.
    #[serde(with = "bigint_ser")]
    pub quality_adj_power: StoragePower,
    /// Pledge collateral.
    pub pledge_collateral: TokenAmount,
    /// Smoothed quality-adjusted power `{position, velocity}`.
    pub quality_adj_power_smoothed: (BigIntDe, BigIntDe),
    /// Ramp start.
    pub ramp_start_epoch: i64,
    /// Ramp duration.
    pub ramp_duration_epochs: u64,
}

/// A BigInt in the builtin encoding.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Default)]
#[serde(transparent)]
pub struct BigIntDe(#[serde(with = "bigint_ser")] pub BigInt);

/// `NetworkRawPower` return (transparent: a bare BigInt).
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(transparent)]
pub struct NetworkRawPowerReturn {
    /// The network's raw byte power.
    #[serde(with = "bigint_ser")]
    pub raw_byte_power: StoragePower,
}

/// `MinerRawPower` parameters (transparent: a bare unsigned integer, the miner's actor ID).
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(transparent)]
pub struct MinerRawPowerParams {
    /// The miner's actor ID.
    pub miner: ActorID,
}

/// `MinerRawPower` return.
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq, Eq)]
pub struct MinerRawPowerReturn {
    /// The miner's raw byte power.
    #[serde(with = "bigint_ser")]
    pub raw_byte_power: StoragePower,
    /// Whether the miner meets the consensus minimum (may win blocks).
    pub meets_consensus_minimum: bool,
}

/// `MinerCount` return (transparent: a bare integer).
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(transparent)]
pub struct MinerCountReturn {
    /// Miners created, with or without power.
    pub miner_count: i64,
}

/// `MinerConsensusCount` return (transparent: a bare integer).
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(transparent)]
pub struct MinerConsensusCountReturn {
    /// Miners whose raw power is at least [`MINIMUM_CONSENSUS_POWER`].
    pub miner_consensus_count: i64,
}

/// Parameters of the sandbox-only `SandboxSetMinerPower`: the miner's new claim (replacing the
/// old one, not added to it).
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq, Eq)]
pub struct SandboxSetMinerPowerParams {
    /// The miner's actor ID.
    pub miner: ActorID,
    /// New raw byte power (not negative).
    #[serde(with = "bigint_ser")]
    pub raw_byte_power: StoragePower,
    /// New quality-adjusted power, between the raw power and [`MAX_QUALITY_MULTIPLIER`] times it.
    #[serde(with = "bigint_ser")]
    pub quality_adj_power: StoragePower,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn method_numbers_match_the_real_power_actor() {
        // Exported numbers: FRC-42 hashes, as also published for Solidity callers
        // (Zondax filecoin-solidity `docs/api/actors/Power.md`).
        let pinned: [(Method, u64); 9] = [
            (Method::Constructor, 1),
            (Method::CreateMiner, 2),
            (Method::CurrentTotalPower, 9),
            (Method::CreateMinerExported, 1173380165),
            (Method::NetworkRawPowerExported, 931722534),
            (Method::MinerRawPowerExported, 3753401894),
            (Method::MinerCountExported, 1987646258),
            (Method::MinerConsensusCountExported, 196739875),
            (Method::SandboxSetMinerPower, 1000),
        ];
        for (m, n) in pinned {
            assert_eq!(m as u64, n, "{m:?}");
        }
    }

    #[test]
    fn shapes_match_the_real_encoding() {
        // Transparent: a bare BigInt (bytes: sign 0x00, then 0x01 0x00 = 256).
        let n = NetworkRawPowerReturn { raw_byte_power: BigInt::from(256) };
        assert_eq!(enc(&n), vec![0x43, 0x00, 0x01, 0x00]);
        // Zero power is empty bytes.
        let z = NetworkRawPowerReturn { raw_byte_power: BigInt::default() };
        assert_eq!(enc(&z), vec![0x40]);
        // Transparent: the miner ID as a bare unsigned integer.
        assert_eq!(enc(&MinerRawPowerParams { miner: 1000 }), vec![0x19, 0x03, 0xe8]);
        // A 2-tuple [BigInt, bool].
        let r =
            MinerRawPowerReturn { raw_byte_power: BigInt::from(1), meets_consensus_minimum: true };
        assert_eq!(enc(&r), vec![0x82, 0x42, 0x00, 0x01, 0xf5]);
        assert_eq!(enc(&MinerCountReturn { miner_count: 3 }), vec![0x03]);
        assert_eq!(enc(&MinerConsensusCountReturn { miner_consensus_count: 2 }), vec![0x02]);
        let s = SandboxSetMinerPowerParams {
            miner: 5,
            raw_byte_power: BigInt::from(1),
            quality_adj_power: BigInt::from(2),
        };
        assert_eq!(enc(&s), vec![0x83, 0x05, 0x42, 0x00, 0x01, 0x42, 0x00, 0x02]);
        // Decoding accepts exactly these shapes.
        let back: MinerRawPowerReturn = fvm_ipld_encoding::from_slice(&[0x82, 0x40, 0xf4]).unwrap();
        assert_eq!(
            back,
            MinerRawPowerReturn {
                raw_byte_power: BigInt::default(),
                meets_consensus_minimum: false
            }
        );
        assert!(fvm_ipld_encoding::from_slice::<MinerRawPowerParams>(&[0x81, 0x01]).is_err());
    }

    fn enc<T: serde::Serialize>(v: &T) -> Vec<u8> {
        fvm_ipld_encoding::to_vec(v).unwrap()
    }
}
