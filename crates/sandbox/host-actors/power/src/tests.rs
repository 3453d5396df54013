//! Host-side tests of every method through `invoke`, with a `FakeRuntime`.
use actorlib_kit::runtime::fake::ExpectedSend;
use actorlib_kit::runtime::SendResponse;
use actorlib_kit::FakeRuntime;
use cid::multihash::Multihash;
use cid::Cid;
use fvm_shared::error::ExitCode;
use fvm_shared::sector::{RegisteredPoStProof, StoragePower};
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::*;

const POWER: u64 = 4;
const OWNER: u64 = 100;
const WORKER: u64 = 101;
const CONTRACT: u64 = 102;
const USER_ACTOR: u64 = 103;
const TIB: i64 = 1 << 40;
const MIN: i64 = MINIMUM_CONSENSUS_POWER;

fn code_cid(name: &str) -> Cid {
    Cid::new_v1(0x55, Multihash::<64>::wrap(0, name.as_bytes()).unwrap())
}
fn pw(n: i64) -> StoragePower {
    StoragePower::from(n)
}

fn call<P: Serialize>(
    rt: &FakeRuntime,
    caller: u64,
    method: Method,
    params: &P,
) -> Result<Option<IpldBlock>> {
    rt.set_caller(caller);
    rt.set_method(method as u64);
    invoke(rt, method as u64, actorlib_kit::params::params(params).unwrap())
}
fn ret<T: DeserializeOwned>(r: Result<Option<IpldBlock>>) -> T {
    actorlib_kit::params::decode(r.unwrap()).unwrap()
}
fn exit(r: Result<Option<IpldBlock>>) -> ExitCode {
    r.unwrap_err().code()
}

/// A constructed power actor; OWNER and WORKER are accounts, CONTRACT is an EVM actor, USER_ACTOR
/// an actor of user code.
fn setup() -> FakeRuntime {
    let rt = FakeRuntime::new(POWER);
    rt.set_code(SYSTEM_ACTOR_ID, code_cid("system"), Some(BuiltinType::System as i32));
    let account = code_cid("account");
    rt.set_code(USER_ACTOR, code_cid("user"), None);
    rt.set_code(OWNER, account, Some(BuiltinType::Account as i32));
    rt.set_code(WORKER, account, Some(BuiltinType::Account as i32));
    rt.set_code(CONTRACT, code_cid("evm"), Some(BuiltinType::Evm as i32));
    // The manifest's miner code (builtin_code looks codes up by type).
    rt.set_code(999_999, code_cid("storageminer"), Some(BuiltinType::Miner as i32));
    call(&rt, SYSTEM_ACTOR_ID, Method::Constructor, &()).unwrap();
    rt
}

fn create_params() -> CreateMinerParams {
    CreateMinerParams {
        owner: Address::new_id(OWNER),
        worker: Address::new_id(WORKER),
        window_post_proof_type: RegisteredPoStProof::StackedDRGWindow32GiBV1P1,
        peer: b"peer".to_vec(),
        multiaddrs: vec![],
    }
}

/// Creates miner `id` through `CreateMinerExported` (init's answer is faked).
fn create(rt: &FakeRuntime, id: u64) {
    let ctor = MinerConstructorParams {
        owner: Address::new_id(OWNER),
        worker: Address::new_id(WORKER),
        control_addresses: vec![],
        sector_size: 32 << 30,
        peer_id: b"peer".to_vec(),
        multiaddrs: vec![],
    };
    let exec = ExecParams {
        code_cid: code_cid("storageminer"),
        constructor_params: RawBytes::serialize(&ctor).unwrap(),
    };
    let robust = Address::new_actor(&id.to_be_bytes());
    let answer = ExecReturn { id_address: Address::new_id(id), robust_address: robust };
    rt.expect_send(ExpectedSend {
        to: Address::new_id(INIT_ACTOR_ID),
        method: ext::INIT_EXEC,
        params: actorlib_kit::params::params(&exec).unwrap(),
        value: TokenAmount::default(),
        response: Ok(SendResponse {
            exit_code: ExitCode::OK,
            return_data: actorlib_kit::params::encode(&answer).unwrap(),
        }),
    });
    let r: CreateMinerReturn = ret(call(rt, OWNER, Method::CreateMinerExported, &create_params()));
    assert_eq!(r, answer);
    assert!(rt.all_sends_made());
}

fn set_power(rt: &FakeRuntime, miner: u64, raw: i64, qa: i64) -> Result<Option<IpldBlock>> {
    let p =
        SandboxSetMinerPowerParams { miner, raw_byte_power: pw(raw), quality_adj_power: pw(qa) };
    call(rt, SYSTEM_ACTOR_ID, Method::SandboxSetMinerPower, &p)
}

fn raw_power(rt: &FakeRuntime, miner: u64) -> MinerRawPowerReturn {
    ret(call(rt, CONTRACT, Method::MinerRawPowerExported, &MinerRawPowerParams { miner }))
}
fn network(rt: &FakeRuntime) -> StoragePower {
    ret::<NetworkRawPowerReturn>(call(rt, CONTRACT, Method::NetworkRawPowerExported, &()))
        .raw_byte_power
}
fn totals(rt: &FakeRuntime) -> (StoragePower, StoragePower) {
    // A legacy number: builtin callers only.
    let r: CurrentTotalPowerReturn = ret(call(rt, OWNER, Method::CurrentTotalPower, &()));
    (r.raw_byte_power, r.quality_adj_power)
}
fn counts(rt: &FakeRuntime) -> (i64, i64) {
    let m: MinerCountReturn = ret(call(rt, CONTRACT, Method::MinerCountExported, &()));
    let c: MinerConsensusCountReturn =
        ret(call(rt, CONTRACT, Method::MinerConsensusCountExported, &()));
    (m.miner_count, c.miner_consensus_count)
}

#[test]
fn constructor_is_for_the_system_actor() {
    let rt = FakeRuntime::new(POWER);
    rt.set_code(SYSTEM_ACTOR_ID, code_cid("system"), Some(BuiltinType::System as i32));
    rt.set_code(OWNER, code_cid("account"), Some(BuiltinType::Account as i32));
    assert_eq!(exit(call(&rt, OWNER, Method::Constructor, &())), ExitCode::USR_FORBIDDEN);
    assert!(rt.state_root().is_none());
    call(&rt, SYSTEM_ACTOR_ID, Method::Constructor, &()).unwrap();
    assert_eq!(counts(&rt), (0, 0));
    assert_eq!(network(&rt), pw(0));
}

#[test]
fn create_miner_records_a_zero_claim() {
    let rt = setup();
    create(&rt, 1000);
    create(&rt, 1001);
    assert_eq!(counts(&rt), (2, 0));
    let st: State = actorlib_kit::state::load(&rt).unwrap();
    assert_eq!(st.claim(rt.store(), 1001).unwrap(), Some(Claim::default()));
    assert_eq!(
        raw_power(&rt, 1000),
        MinerRawPowerReturn { raw_byte_power: pw(0), meets_consensus_minimum: false }
    );
    // Contracts and user actors may not use the legacy number (they may the exported one).
    let before = rt.state_root();
    for caller in [CONTRACT, USER_ACTOR] {
        assert_eq!(
            exit(call(&rt, caller, Method::CreateMiner, &create_params())),
            ExitCode::USR_FORBIDDEN
        );
    }
    let bad = CreateMinerParams {
        window_post_proof_type: RegisteredPoStProof::Invalid(99),
        ..create_params()
    };
    assert_eq!(exit(call(&rt, OWNER, Method::CreateMiner, &bad)), ExitCode::USR_ILLEGAL_ARGUMENT);
    assert_eq!(rt.state_root(), before);
}

#[test]
fn queries_follow_set_power() {
    let rt = setup();
    for id in 1000..1005 {
        create(&rt, id);
    }
    set_power(&rt, 1000, 64 << 30, 640 << 30).unwrap();
    assert_eq!(
        raw_power(&rt, 1000),
        MinerRawPowerReturn { raw_byte_power: pw(64 << 30), meets_consensus_minimum: true }
    );
    assert_eq!(network(&rt), pw(64 << 30));
    assert_eq!(totals(&rt), (pw(64 << 30), pw(640 << 30)));
    assert_eq!(counts(&rt), (5, 0));
    // Four miners at 10 TiB: the minimum is enforced.
    for id in 1001..1005 {
        set_power(&rt, id, MIN, MIN + TIB).unwrap();
    }
    assert_eq!(counts(&rt), (5, 4));
    assert!(!raw_power(&rt, 1000).meets_consensus_minimum);
    assert!(raw_power(&rt, 1004).meets_consensus_minimum);
    assert_eq!(network(&rt), pw(4 * MIN));
    assert_eq!(totals(&rt), (pw(4 * MIN), pw(4 * (MIN + TIB))));
    // Setting replaces the claim.
    set_power(&rt, 1004, 0, 0).unwrap();
    assert_eq!(counts(&rt), (5, 3));
    assert!(raw_power(&rt, 1000).meets_consensus_minimum);
    assert_eq!(network(&rt), pw(3 * MIN + (64 << 30)));
}

#[test]
fn miner_raw_power_of_an_unknown_miner_is_an_illegal_argument() {
    let rt = setup();
    create(&rt, 1000);
    let r =
        call(&rt, CONTRACT, Method::MinerRawPowerExported, &MinerRawPowerParams { miner: 1001 });
    assert_eq!(exit(r), ExitCode::USR_ILLEGAL_ARGUMENT);
    // An account is not a miner either.
    let r =
        call(&rt, CONTRACT, Method::MinerRawPowerExported, &MinerRawPowerParams { miner: OWNER });
    assert_eq!(exit(r), ExitCode::USR_ILLEGAL_ARGUMENT);
}

#[test]
fn set_power_checks_caller_miner_and_values() {
    let rt = setup();
    create(&rt, 1000);
    let before = rt.state_root();
    let p =
        SandboxSetMinerPowerParams { miner: 1000, raw_byte_power: pw(1), quality_adj_power: pw(1) };
    for caller in [OWNER, CONTRACT, INIT_ACTOR_ID, POWER, 1000] {
        assert_eq!(
            exit(call(&rt, caller, Method::SandboxSetMinerPower, &p)),
            ExitCode::USR_FORBIDDEN,
            "caller {caller}"
        );
    }
    assert_eq!(exit(set_power(&rt, 1001, 1, 1)), ExitCode::USR_NOT_FOUND);
    for (raw, qa) in [(-1, 0), (0, -1), (5, 4), (5, 51)] {
        assert_eq!(exit(set_power(&rt, 1000, raw, qa)), ExitCode::USR_ILLEGAL_ARGUMENT);
    }
    rt.set_read_only(true);
    assert_eq!(exit(set_power(&rt, 1000, 1, 1)), ExitCode::USR_READ_ONLY);
    rt.set_read_only(false);
    assert_eq!(rt.state_root(), before);
    // The bounds themselves are allowed.
    set_power(&rt, 1000, 5, 50).unwrap();
    set_power(&rt, 1000, 5, 5).unwrap();
    assert_eq!(totals(&rt), (pw(5), pw(5)));
}

#[test]
fn queries_answer_read_only() {
    let rt = setup();
    create(&rt, 1000);
    set_power(&rt, 1000, 7, 8).unwrap();
    rt.set_read_only(true);
    assert_eq!(network(&rt), pw(7));
    assert_eq!(totals(&rt), (pw(7), pw(8)));
    assert_eq!(counts(&rt), (1, 0));
    assert!(raw_power(&rt, 1000).meets_consensus_minimum);
}

#[test]
fn malformed_params_and_unknown_methods() {
    let rt = setup();
    create(&rt, 1000);
    let before = rt.state_root();
    let bad = [
        IpldBlock { codec: fvm_ipld_encoding::CBOR, data: vec![0x83, 0x01] },
        IpldBlock { codec: fvm_ipld_encoding::CBOR, data: vec![0x61, b'x'] },
        // A negative ID, and a 1-tuple instead of the bare ID.
        IpldBlock { codec: fvm_ipld_encoding::CBOR, data: vec![0x20] },
        IpldBlock { codec: fvm_ipld_encoding::CBOR, data: vec![0x81, 0x01] },
    ];
    for m in [Method::MinerRawPowerExported, Method::SandboxSetMinerPower, Method::CreateMiner] {
        for b in &bad {
            rt.set_caller(SYSTEM_ACTOR_ID);
            let r = invoke(&rt, m as u64, Some(b.clone()));
            assert_eq!(exit(r), ExitCode::USR_SERIALIZATION, "{m:?} {:?}", b.data);
        }
        // No parameters at all.
        assert_eq!(exit(invoke(&rt, m as u64, None)), ExitCode::USR_SERIALIZATION, "{m:?}");
    }
    for m in [3, 4, 5, 6, 8, 10, 999, 1001, actorlib_kit::method_hash!("MinerPower")] {
        assert_eq!(exit(invoke(&rt, m, None)), ExitCode::USR_UNHANDLED_MESSAGE, "method {m}");
    }
    assert_eq!(rt.state_root(), before);
}

#[test]
fn legacy_numbers_are_for_builtin_callers() {
    let rt = setup();
    create(&rt, 1000);
    let before = rt.state_root();
    // Every number below 2^24, known or not, fails with 18 for a user actor or a contract before
    // its parameters are even decoded.
    for caller in [USER_ACTOR, CONTRACT] {
        for m in [1, 2, 3, 9, 1000, 1001] {
            rt.set_caller(caller);
            assert_eq!(exit(invoke(&rt, m, None)), ExitCode::USR_FORBIDDEN, "{caller} {m}");
        }
        // Exported numbers answer them (an unknown one: 22).
        assert_eq!(counts(&rt), (1, 0));
        rt.set_caller(caller);
        let unknown = invoke(&rt, actorlib_kit::method_hash!("MinerPower"), None);
        assert_eq!(exit(unknown), ExitCode::USR_UNHANDLED_MESSAGE);
    }
    // An account gets each method's own answer.
    assert_eq!(totals(&rt), (pw(0), pw(0)));
    rt.set_caller(OWNER);
    assert_eq!(exit(invoke(&rt, 3, None)), ExitCode::USR_UNHANDLED_MESSAGE);
    assert_eq!(exit(invoke(&rt, 1, None)), ExitCode::USR_FORBIDDEN); // constructor: f00 only
    assert_eq!(rt.state_root(), before);
}

#[test]
fn any_caller_creates_miners_on_the_exported_number() {
    let rt = setup();
    // As the real actor since FIP-0050: no caller type check (the legacy number is for builtin
    // callers only, see above).
    for (caller, id) in [(USER_ACTOR, 1000), (CONTRACT, 1001)] {
        let before = counts(&rt).0;
        let ctor = MinerConstructorParams {
            owner: Address::new_id(OWNER),
            worker: Address::new_id(WORKER),
            control_addresses: vec![],
            sector_size: 32 << 30,
            peer_id: b"peer".to_vec(),
            multiaddrs: vec![],
        };
        let exec = ExecParams {
            code_cid: code_cid("storageminer"),
            constructor_params: RawBytes::serialize(&ctor).unwrap(),
        };
        let answer = ExecReturn {
            id_address: Address::new_id(id),
            robust_address: Address::new_actor(&id.to_be_bytes()),
        };
        rt.expect_send(ExpectedSend {
            to: Address::new_id(INIT_ACTOR_ID),
            method: ext::INIT_EXEC,
            params: actorlib_kit::params::params(&exec).unwrap(),
            value: TokenAmount::default(),
            response: Ok(SendResponse {
                exit_code: ExitCode::OK,
                return_data: actorlib_kit::params::encode(&answer).unwrap(),
            }),
        });
        let r: CreateMinerReturn =
            ret(call(&rt, caller, Method::CreateMinerExported, &create_params()));
        assert_eq!(r, answer);
        assert!(rt.all_sends_made());
        assert_eq!(counts(&rt).0, before + 1);
    }
}
