//! The storage power actor (f04): a miner's raw power and the network's, for underwriting a
//! storage provider from chain state.
//!
//! Facts from the builtin power actor (builtin-actors v12 to v17 `actors/power`): `MinerRawPower`
//! takes the bare miner ID and fails with `USR_ILLEGAL_ARGUMENT` for a miner without a claim;
//! powers are `BigInt`s in the builtin encoding (a byte string: sign byte, then the big-endian
//! magnitude; zero is empty). `NetworkRawPower` answers the total as frozen at the end of the
//! previous epoch's cron on a real network.
use fvm_ipld_encoding::tuple::*;
use fvm_shared::address::Address;
use fvm_shared::bigint::bigint_ser;
use fvm_shared::sector::StoragePower;
use fvm_shared::{ActorID, MethodNum};

use crate::builtin::STORAGE_POWER_ACTOR_ID;
use crate::{messaging, Result, Runtime};

/// The power actor's address.
pub const STORAGE_POWER_ACTOR_ADDR: Address = Address::new_id(STORAGE_POWER_ACTOR_ID);

/// `MinerRawPower`: bare miner `ActorID` → [`MinerRawPowerReturn`].
pub const MINER_RAW_POWER: MethodNum = frc42_dispatch::method_hash!("MinerRawPower");
/// `NetworkRawPower`: none → bare `BigInt` ([`StoragePower`]).
pub const NETWORK_RAW_POWER: MethodNum = frc42_dispatch::method_hash!("NetworkRawPower");
/// `MinerCount`: none → bare `i64`.
pub const MINER_COUNT: MethodNum = frc42_dispatch::method_hash!("MinerCount");

/// `MinerRawPower` return.
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq, Eq)]
pub struct MinerRawPowerReturn {
    /// The miner's raw byte power.
    #[serde(with = "bigint_ser")]
    pub raw_byte_power: StoragePower,
    /// Whether the miner meets the consensus minimum (may win blocks).
    pub meets_consensus_minimum: bool,
}

/// `StoragePower` in the builtin encoding, for decoding `NetworkRawPower`'s bare return.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
struct PowerDe(#[serde(with = "bigint_ser")] StoragePower);

/// `MinerRawPower` of `miner`.
pub fn miner_raw_power(rt: &impl Runtime, miner: ActorID) -> Result<MinerRawPowerReturn> {
    messaging::send_read_only(rt, &STORAGE_POWER_ACTOR_ADDR, MINER_RAW_POWER, &miner)
}

/// `NetworkRawPower`.
pub fn network_raw_power(rt: &impl Runtime) -> Result<StoragePower> {
    let PowerDe(power) =
        messaging::send_read_only(rt, &STORAGE_POWER_ACTOR_ADDR, NETWORK_RAW_POWER, &())?;
    Ok(power)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::fake::ExpectedSend;
    use crate::runtime::SendResponse;
    use crate::FakeRuntime;
    use fvm_ipld_encoding::ipld_block::IpldBlock;
    use fvm_shared::econ::TokenAmount;
    use fvm_shared::error::ExitCode;

    #[test]
    fn network_power_is_a_bare_builtin_bigint() {
        let rt = FakeRuntime::new(1000);
        rt.expect_send(ExpectedSend {
            to: STORAGE_POWER_ACTOR_ADDR,
            method: NETWORK_RAW_POWER,
            params: None,
            value: TokenAmount::default(),
            // A byte string: sign byte 0 (positive), then 2^40 big-endian.
            response: Ok(SendResponse {
                exit_code: ExitCode::OK,
                return_data: Some(IpldBlock {
                    codec: fvm_ipld_encoding::CBOR,
                    data: vec![0x47, 0x00, 0x01, 0, 0, 0, 0, 0],
                }),
            }),
        });
        assert_eq!(network_raw_power(&rt).unwrap(), StoragePower::from(1u64 << 40));
    }

    #[test]
    fn a_miner_without_a_claim_keeps_the_power_actor_code() {
        let rt = FakeRuntime::new(1000);
        rt.expect_send(ExpectedSend {
            to: STORAGE_POWER_ACTOR_ADDR,
            method: MINER_RAW_POWER,
            params: IpldBlock::serialize_cbor(&77u64).unwrap(),
            value: TokenAmount::default(),
            response: Ok(SendResponse {
                exit_code: ExitCode::USR_ILLEGAL_ARGUMENT,
                return_data: None,
            }),
        });
        let e = miner_raw_power(&rt, 77).unwrap_err();
        assert_eq!(e.code(), ExitCode::USR_ILLEGAL_ARGUMENT);
    }
}
