//! Method-by-method fidelity of the storage power stand-in's power queries, run as Wasm in the
//! sandbox.
//!
//! The queries (`NetworkRawPower`, `MinerRawPower`, `MinerCount`, `MinerConsensusCount`,
//! `CurrentTotalPower`) are called as messages and as read-only queries through the relay (f0100,
//! an actor caller, as a lending actor would be), which must agree — except `CurrentTotalPower`,
//! a legacy number the relay (user code) may not call (18); claims are set with
//! `Sandbox::set_miner_power` (the sandbox-only `SandboxSetMinerPower`, 1000, caller f00). Exit
//! codes and shapes are the real power actor's (builtin-actors `actors/power`, v12 for NV21).
use actorlib_host_power::State as PowerState;
use actorlib_host_relay::{ForwardParams, ForwardReturn, Method as RelayMethod};
use actorlib_kit::dispatch::FIRST_EXPORTED_METHOD_NUMBER;
use actorlib_sandbox::builtin::{STORAGE_POWER_ACTOR_ID, SYSTEM_ACTOR_ID};
use actorlib_sandbox::power::{
    CurrentTotalPowerReturn, Method, MinerConsensusCountReturn, MinerCountReturn,
    MinerRawPowerParams, MinerRawPowerReturn, NetworkRawPowerReturn, SandboxSetMinerPowerParams,
    CONSENSUS_MINER_MIN_MINERS, MINIMUM_CONSENSUS_POWER,
};
use actorlib_sandbox::storage::Miner;
use actorlib_sandbox::{Account, Sandbox};
use cid::Cid;
use fvm_ipld_encoding::RawBytes;
use fvm_shared::address::Address;
use fvm_shared::econ::TokenAmount;
use fvm_shared::error::ExitCode;
use fvm_shared::sector::StoragePower;
use fvm_shared::ActorID;
use serde::de::DeserializeOwned;
use serde::Serialize;

const RELAY: u64 = 100;
const MIN: i64 = MINIMUM_CONSENSUS_POWER;
const GIB: i64 = 1 << 30;

fn zero() -> TokenAmount {
    TokenAmount::default()
}

fn pw(n: i64) -> StoragePower {
    StoragePower::from(n)
}

fn power() -> Address {
    Address::new_id(STORAGE_POWER_ACTOR_ID)
}

struct World {
    sb: Sandbox,
    owner: Account,
    stranger: Account,
    miners: Vec<Miner>,
}

/// A sandbox with `n` miners, all owned by one account.
fn world(n: usize) -> World {
    let mut sb = Sandbox::new().unwrap();
    let owner = sb.create_account(TokenAmount::from_whole(100)).unwrap();
    let worker = sb.create_account(TokenAmount::from_whole(10)).unwrap();
    let stranger = sb.create_account(TokenAmount::from_whole(10)).unwrap();
    let miners = (0..n).map(|_| sb.create_miner(&owner, &worker).unwrap()).collect();
    World { sb, owner, stranger, miners }
}

impl World {
    fn miner(&self, i: usize) -> ActorID {
        self.miners[i].id
    }

    fn root(&self) -> Cid {
        self.sb.actor(STORAGE_POWER_ACTOR_ID).unwrap().unwrap().state
    }

    fn st(&self) -> PowerState {
        self.sb.state(STORAGE_POWER_ACTOR_ID).unwrap()
    }

    fn set(&mut self, miner: ActorID, raw: i64, qa: i64) {
        let r = self.sb.set_miner_power(miner, pw(raw), pw(qa)).unwrap();
        assert!(r.is_ok(), "set_miner_power f0{miner}: {} {:?}", r.exit_code, r.failure_info);
    }

    /// Runs a query as a message from an account and as a read-only query (caller: the relay
    /// actor), which must agree and leave the state alone; decodes the return. A legacy number
    /// (`CurrentTotalPower`, 9: no exported twin) answers the account only: the relay is user code,
    /// and the real power actor refuses legacy numbers to non-builtin callers (18).
    fn get<P: Serialize + ?Sized, R: DeserializeOwned>(&mut self, method: Method, params: &P) -> R {
        let before = self.root();
        let s = self.stranger.clone();
        let sent = self.sb.send(&s, power(), method as u64, params, zero()).unwrap();
        let queried = self.sb.query(&s, power(), method as u64, params).unwrap();
        assert_eq!(sent.exit_code, ExitCode::OK, "{method:?}: {:?}", sent.failure_info);
        if (method as u64) < FIRST_EXPORTED_METHOD_NUMBER {
            assert_eq!(queried.exit_code, ExitCode::USR_FORBIDDEN, "query of {method:?}");
        } else {
            assert_eq!(queried.exit_code, ExitCode::OK, "query of {method:?}");
            assert_eq!(sent.return_data, queried.return_data, "{method:?}");
        }
        assert_eq!(self.root(), before, "{method:?} changed the power state");
        sent.ret().unwrap()
    }

    /// A query that must fail with `code`, as a message and read-only, without effect.
    fn get_fails<P: Serialize + ?Sized>(&mut self, method: Method, params: &P, code: ExitCode) {
        let before = self.root();
        let s = self.stranger.clone();
        let sent = self.sb.send(&s, power(), method as u64, params, zero()).unwrap();
        let queried = self.sb.query(&s, power(), method as u64, params).unwrap();
        assert_eq!(sent.exit_code, code, "{method:?}");
        assert_eq!(queried.exit_code, code, "query of {method:?}");
        assert_eq!(self.root(), before);
    }

    fn network_raw_power(&mut self) -> StoragePower {
        self.get::<_, NetworkRawPowerReturn>(Method::NetworkRawPowerExported, &()).raw_byte_power
    }

    fn miner_raw_power(&mut self, miner: ActorID) -> MinerRawPowerReturn {
        self.get(Method::MinerRawPowerExported, &MinerRawPowerParams { miner })
    }

    fn totals(&mut self) -> (StoragePower, StoragePower) {
        let r: CurrentTotalPowerReturn = self.get(Method::CurrentTotalPower, &());
        assert_eq!(r.pledge_collateral, zero());
        (r.raw_byte_power, r.quality_adj_power)
    }

    fn miner_count(&mut self) -> i64 {
        self.get::<_, MinerCountReturn>(Method::MinerCountExported, &()).miner_count
    }

    fn consensus_count(&mut self) -> i64 {
        self.get::<_, MinerConsensusCountReturn>(Method::MinerConsensusCountExported, &())
            .miner_consensus_count
    }

    /// The sandbox-only method sent by `caller` through the relay (an actor caller).
    fn forward_set(&mut self, params: &SandboxSetMinerPowerParams, read_only: bool) -> u32 {
        let fp = ForwardParams {
            to: power(),
            method: Method::SandboxSetMinerPower as u64,
            params: RawBytes::new(fvm_ipld_encoding::to_vec(params).unwrap()),
            value: zero(),
            read_only,
        };
        let s = self.stranger.clone();
        let relay = Address::new_id(RELAY);
        let r: ForwardReturn = self
            .sb
            .send(&s, relay, RelayMethod::Forward as u64, &fp, zero())
            .unwrap()
            .ret()
            .unwrap();
        r.exit_code
    }
}

fn set_params(miner: ActorID, raw: i64, qa: i64) -> SandboxSetMinerPowerParams {
    SandboxSetMinerPowerParams { miner, raw_byte_power: pw(raw), quality_adj_power: pw(qa) }
}

#[test]
fn new_miners_have_zero_power_and_are_counted() {
    let mut w = world(0);
    assert_eq!(w.miner_count(), 0);
    assert_eq!(w.network_raw_power(), pw(0));
    let owner = w.owner.clone();
    let worker = w.stranger.clone();
    let m = w.sb.create_miner(&owner, &worker).unwrap();
    assert_eq!(w.miner_count(), 1);
    assert_eq!(w.consensus_count(), 0);
    assert_eq!(
        w.miner_raw_power(m.id),
        MinerRawPowerReturn { raw_byte_power: pw(0), meets_consensus_minimum: false }
    );
    assert_eq!(w.totals(), (pw(0), pw(0)));
    // The claim is in the power state, keyed by the miner's ID.
    let st = w.st();
    assert_eq!(st.miner_count, 1);
    assert_eq!(st.miner_above_min_power_count, 0);
}

#[test]
fn totals_follow_set_miner_power() {
    let mut w = world(3);
    let (a, b, c) = (w.miner(0), w.miner(1), w.miner(2));
    w.set(a, 32 * GIB, 320 * GIB);
    assert_eq!(w.network_raw_power(), pw(32 * GIB));
    assert_eq!(w.totals(), (pw(32 * GIB), pw(320 * GIB)));
    w.set(b, 64 * GIB, 64 * GIB);
    w.set(c, MIN, 2 * MIN);
    assert_eq!(w.network_raw_power(), pw(96 * GIB + MIN));
    assert_eq!(w.totals(), (pw(96 * GIB + MIN), pw(384 * GIB + 2 * MIN)));
    assert_eq!(w.consensus_count(), 1);
    // A new claim replaces the old one.
    w.set(a, 0, 0);
    assert_eq!(w.totals(), (pw(64 * GIB + MIN), pw(64 * GIB + 2 * MIN)));
    w.set(c, MIN - 1, MIN - 1);
    assert_eq!(w.consensus_count(), 0);
    assert_eq!(w.network_raw_power(), pw(64 * GIB + MIN - 1));
    assert_eq!(w.miner_count(), 3);
}

#[test]
fn miner_raw_power_applies_the_consensus_minimum() {
    let n = CONSENSUS_MINER_MIN_MINERS as usize + 1;
    let mut w = world(n);
    let small = w.miner(n - 1);
    w.set(small, 32 * GIB, 32 * GIB);
    // Fewer than four miners at 10 TiB: any positive power meets the minimum, zero does not.
    assert_eq!(
        w.miner_raw_power(small),
        MinerRawPowerReturn { raw_byte_power: pw(32 * GIB), meets_consensus_minimum: true }
    );
    assert!(!w.miner_raw_power(w.miner(0)).meets_consensus_minimum);
    for i in 0..n - 2 {
        w.set(w.miner(i), MIN, MIN);
    }
    assert_eq!(w.consensus_count(), 3);
    assert!(w.miner_raw_power(small).meets_consensus_minimum);
    assert_eq!(w.network_raw_power(), pw(3 * MIN + 32 * GIB));
    // The fourth miner at 10 TiB: the minimum is enforced, and the network's power counts only
    // the miners that meet it.
    let fourth = w.miner(n - 2);
    w.set(fourth, MIN, 10 * MIN);
    assert_eq!(w.consensus_count(), 4);
    assert_eq!(
        w.miner_raw_power(small),
        MinerRawPowerReturn { raw_byte_power: pw(32 * GIB), meets_consensus_minimum: false }
    );
    assert_eq!(
        w.miner_raw_power(fourth),
        MinerRawPowerReturn { raw_byte_power: pw(MIN), meets_consensus_minimum: true }
    );
    assert_eq!(w.network_raw_power(), pw(4 * MIN));
    assert_eq!(w.totals(), (pw(4 * MIN), pw(13 * MIN)));
    // The fourth drops just below 10 TiB: three miners reach it, so the minimum is relaxed again
    // (positive power meets it) and the network's power counts every claim.
    w.set(fourth, MIN - 1, MIN - 1);
    assert_eq!(w.consensus_count(), 3);
    assert_eq!(
        w.miner_raw_power(fourth),
        MinerRawPowerReturn { raw_byte_power: pw(MIN - 1), meets_consensus_minimum: true }
    );
    assert!(w.miner_raw_power(small).meets_consensus_minimum);
    assert_eq!(w.network_raw_power(), pw(4 * MIN - 1 + 32 * GIB));
}

#[test]
fn miner_raw_power_of_an_unknown_miner_fails_illegal_argument() {
    let mut w = world(1);
    let owner = w.owner.id;
    // An ID no actor has, an account, and a singleton: none has a claim.
    for miner in [w.miner(0) + 1000, owner, STORAGE_POWER_ACTOR_ID, SYSTEM_ACTOR_ID] {
        w.get_fails(
            Method::MinerRawPowerExported,
            &MinerRawPowerParams { miner },
            ExitCode::USR_ILLEGAL_ARGUMENT,
        );
    }
}

#[test]
fn malformed_params_fail_with_serialization() {
    let mut w = world(1);
    let stranger = w.stranger.id;
    // Not an integer, a 1-tuple instead of the bare ID, a negative ID, an unfinished array, none.
    let bad: [&[u8]; 5] = [&[0x61, b'x'], &[0x81, 0x01], &[0x20], &[0x83, 0x01], &[]];
    for m in [Method::MinerRawPowerExported, Method::SandboxSetMinerPower] {
        for bytes in bad {
            let before = w.root();
            let r =
                w.sb.send_raw(stranger, power(), m as u64, RawBytes::new(bytes.to_vec()), zero())
                    .unwrap();
            assert_eq!(r.exit_code, ExitCode::USR_SERIALIZATION, "{m:?} {bytes:?}");
            assert_eq!(w.root(), before);
        }
    }
    // From the system actor too: the shape is checked before anything else.
    let before = w.root();
    let m = w.miner(0);
    let method = Method::SandboxSetMinerPower as u64;
    let receipts = [
        w.sb.apply_implicit(SYSTEM_ACTOR_ID, power(), method, &(m, 1u64)).unwrap(),
        w.sb.apply_implicit(SYSTEM_ACTOR_ID, power(), method, &(m,)).unwrap(),
        w.sb.apply_implicit(SYSTEM_ACTOR_ID, power(), method, &"x").unwrap(),
    ];
    for r in receipts {
        assert_eq!(r.exit_code, ExitCode::USR_SERIALIZATION);
    }
    assert_eq!(w.root(), before);
}

#[test]
fn set_miner_power_is_for_the_system_actor_only() {
    let mut w = world(1);
    let m = w.miner(0);
    let before = w.root();
    // An account's message and an actor's call are both refused.
    let owner = w.owner.clone();
    let r = w
        .sb
        .send(&owner, power(), Method::SandboxSetMinerPower as u64, &set_params(m, 1, 1), zero())
        .unwrap();
    assert_eq!(r.exit_code, ExitCode::USR_FORBIDDEN);
    assert_eq!(w.forward_set(&set_params(m, 1, 1), false), ExitCode::USR_FORBIDDEN.value());
    assert_eq!(w.forward_set(&set_params(m, 1, 1), true), ExitCode::USR_FORBIDDEN.value());
    // From the system actor: an unknown miner is not found, unrealistic claims are refused.
    let r = w.sb.set_miner_power(m + 1000, pw(1), pw(1)).unwrap();
    assert_eq!(r.exit_code, ExitCode::USR_NOT_FOUND);
    for (raw, qa) in [(-1, -1), (2, 1), (1, 11)] {
        let r = w.sb.set_miner_power(m, pw(raw), pw(qa)).unwrap();
        assert_eq!(r.exit_code, ExitCode::USR_ILLEGAL_ARGUMENT, "{raw} {qa}");
    }
    assert_eq!(w.root(), before);
    assert_eq!(w.miner_raw_power(m).raw_byte_power, pw(0));
    // The same call from the system actor succeeds.
    w.set(m, 1, 1);
    assert_eq!(w.miner_raw_power(m).raw_byte_power, pw(1));
    assert_ne!(w.root(), before);
}

#[test]
fn queries_take_no_params_and_unknown_methods_are_unhandled() {
    let mut w = world(1);
    let stranger = w.stranger.id;
    let before = w.root();
    // The real power methods the stand-in does not model, and MinerPower (exported after NV21).
    for m in [3u64, 4, 5, 6, 8, 999, 1001, actorlib_kit::method_hash!("MinerPower")] {
        let r = w.sb.send_raw(stranger, power(), m, RawBytes::default(), zero()).unwrap();
        assert_eq!(r.exit_code, ExitCode::USR_UNHANDLED_MESSAGE, "method {m}");
    }
    // Queries without parameters given some fail without effect.
    for m in [
        Method::NetworkRawPowerExported,
        Method::MinerCountExported,
        Method::MinerConsensusCountExported,
        Method::CurrentTotalPower,
    ] {
        let r =
            w.sb.send_raw(stranger, power(), m as u64, RawBytes::new(vec![0x01]), zero()).unwrap();
        assert!(!r.is_ok(), "{m:?}");
    }
    assert_eq!(w.root(), before);
}

#[test]
fn exported_numbers_reach_the_queries() {
    // The numbers a lending actor would hard-code (FRC-42 hashes of the method names).
    let mut w = world(1);
    let m = w.miner(0);
    w.set(m, 5 * GIB, 5 * GIB);
    let s = w.stranger.clone();
    let r = w.sb.query(&s, power(), 3753401894, &m).unwrap();
    let ret: MinerRawPowerReturn = r.ret().unwrap();
    assert_eq!(ret.raw_byte_power, pw(5 * GIB));
    assert!(ret.meets_consensus_minimum);
    let r = w.sb.query(&s, power(), 931722534, &()).unwrap();
    assert_eq!(r.ret::<NetworkRawPowerReturn>().unwrap().raw_byte_power, pw(5 * GIB));
    let r = w.sb.query(&s, power(), 1987646258, &()).unwrap();
    assert_eq!(r.ret::<i64>().unwrap(), 1);
    let r = w.sb.query(&s, power(), 196739875, &()).unwrap();
    assert_eq!(r.ret::<i64>().unwrap(), 0);
}
