//! Legacy method numbers (below 2^24) are for builtin callers only, as on a real network since
//! FIP-0050: the builtin actors dispatched by builtin-actors' `actor_dispatch!` refuse them to any
//! other caller with `USR_FORBIDDEN` before looking at the method (`restrict_internal_api`), while
//! the FRC-42 exported number of the same method works for anyone. Run as Wasm in the sandbox: the
//! non-builtin caller is the sandbox relay (f0100, user code), the builtin one an account sending a
//! message.
use actorlib_host_init::{ExecParams, ExecReturn, State as InitState};
use actorlib_host_market::types::{GetBalanceReturn, Method as MarketMethod};
use actorlib_host_power::{CreateMinerParams, CreateMinerReturn, Method as PowerMethod};
use actorlib_host_relay::{ForwardParams, ForwardReturn, Method as RelayMethod};
use actorlib_host_reward::{Method as RewardMethod, ThisEpochRewardReturn};
use actorlib_kit::builtin::{
    BuiltinType, EAM_ACTOR_ID, INIT_ACTOR_ID, REWARD_ACTOR_ID, STORAGE_MARKET_ACTOR_ID,
    STORAGE_POWER_ACTOR_ID, SYSTEM_ACTOR_ID,
};
use actorlib_sandbox::{Account, Sandbox, RELAY_ACTOR_ID};
use cid::Cid;
use fvm_ipld_encoding::RawBytes;
use fvm_shared::address::Address;
use fvm_shared::econ::TokenAmount;
use fvm_shared::error::ExitCode;
use fvm_shared::sector::RegisteredPoStProof;
use fvm_shared::{ActorID, MethodNum};
use serde::Serialize;

fn zero() -> TokenAmount {
    TokenAmount::default()
}

fn fil(n: i64) -> TokenAmount {
    TokenAmount::from_whole(n)
}

fn relay() -> Address {
    Address::new_id(RELAY_ACTOR_ID)
}

/// A sandbox with a funded account and a relay holding 10 FIL to send on.
fn setup() -> (Sandbox, Account) {
    let mut sb = Sandbox::new().unwrap();
    let alice = sb.create_account(fil(100)).unwrap();
    sb.send(&alice, relay(), 0, &(), fil(10)).unwrap().ok().unwrap();
    (sb, alice)
}

/// `to.method(params)` with `value`, called by the relay (a user actor): a normal, writable call.
fn from_user_actor<P: Serialize>(
    sb: &mut Sandbox,
    alice: &Account,
    to: ActorID,
    method: MethodNum,
    params: &P,
    value: TokenAmount,
) -> ForwardReturn {
    let bytes = fvm_ipld_encoding::to_vec(params).unwrap();
    let fp = ForwardParams {
        to: Address::new_id(to),
        method,
        params: RawBytes::new(if bytes == [0xf6] { Vec::new() } else { bytes }),
        value,
        read_only: false,
    };
    let r = sb.send(alice, relay(), RelayMethod::Forward as u64, &fp, zero()).unwrap();
    r.ret().unwrap()
}

/// An actor's state root and balance: unchanged by a refused call.
fn head(sb: &Sandbox, id: ActorID) -> (Cid, TokenAmount) {
    let a = sb.actor(id).unwrap().unwrap();
    (a.state, a.balance)
}

fn escrow(sb: &mut Sandbox, alice: &Account, who: ActorID) -> TokenAmount {
    let m = MarketMethod::GetBalanceExported as u64;
    let r = sb.query(alice, Address::new_id(STORAGE_MARKET_ACTOR_ID), m, &Address::new_id(who));
    r.unwrap().ret::<GetBalanceReturn>().unwrap().balance
}

/// `USR_FORBIDDEN` as the relay reports it.
const FORBIDDEN: u32 = 18;

#[test]
fn market_add_balance_legacy_number_is_for_builtin_callers() {
    let (mut sb, alice) = setup();
    let market = STORAGE_MARKET_ACTOR_ID;
    let target = Address::new_id(alice.id);
    let before = (head(&sb, market), sb.balance(RELAY_ACTOR_ID).unwrap());
    // The user actor on the legacy number: refused, nothing moves (its value stays with it).
    let legacy = MarketMethod::AddBalance as u64;
    let r = from_user_actor(&mut sb, &alice, market, legacy, &target, fil(3));
    assert_eq!(r.exit_code, FORBIDDEN);
    assert_eq!((head(&sb, market), sb.balance(RELAY_ACTOR_ID).unwrap()), before);
    assert_eq!(escrow(&mut sb, &alice, alice.id), zero());
    // The same call on the exported number is accepted.
    let exported = MarketMethod::AddBalanceExported as u64;
    let r = from_user_actor(&mut sb, &alice, market, exported, &target, fil(3));
    assert_eq!(r.exit_code, 0);
    assert_eq!(escrow(&mut sb, &alice, alice.id), fil(3));
    assert_eq!(sb.balance(RELAY_ACTOR_ID).unwrap(), fil(7));
    // An account (builtin) may still use the legacy number.
    let r = sb.send(&alice, Address::new_id(market), legacy, &target, fil(2)).unwrap();
    assert!(r.is_ok(), "{:?}", r.failure_info);
    assert_eq!(escrow(&mut sb, &alice, alice.id), fil(5));
    // Refused before dispatch: even numbers the market does not know, and the sandbox-only ones,
    // are 18 for the user actor (an account gets 22 and 18 from the methods themselves).
    for m in [9, 999, 1002] {
        let r = from_user_actor(&mut sb, &alice, market, m, &(), zero());
        assert_eq!(r.exit_code, FORBIDDEN, "method {m}");
    }
    let r = sb.send(&alice, Address::new_id(market), 999, &(), zero()).unwrap();
    assert_eq!(r.exit_code, ExitCode::USR_UNHANDLED_MESSAGE);
}

#[test]
fn power_create_miner_legacy_number_is_for_builtin_callers() {
    let (mut sb, alice) = setup();
    let worker = sb.create_account(fil(1)).unwrap();
    let power = STORAGE_POWER_ACTOR_ID;
    let params = CreateMinerParams {
        owner: alice.id_address(),
        worker: worker.id_address(),
        window_post_proof_type: RegisteredPoStProof::StackedDRGWindow32GiBV1P1,
        peer: Vec::new(),
        multiaddrs: Vec::new(),
    };
    let count = |sb: &mut Sandbox| {
        let m = PowerMethod::MinerCountExported as u64;
        sb.query(&alice, Address::new_id(power), m, &()).unwrap().ret::<i64>().unwrap()
    };
    let before = (head(&sb, power), head(&sb, INIT_ACTOR_ID));
    let legacy = PowerMethod::CreateMiner as u64;
    let r = from_user_actor(&mut sb, &alice, power, legacy, &params, zero());
    assert_eq!(r.exit_code, FORBIDDEN);
    assert_eq!((head(&sb, power), head(&sb, INIT_ACTOR_ID)), before);
    assert_eq!(count(&mut sb), 0);
    // Exported: any caller creates a miner (the real power actor checks no caller type).
    let exported = PowerMethod::CreateMinerExported as u64;
    let r = from_user_actor(&mut sb, &alice, power, exported, &params, zero());
    assert_eq!(r.exit_code, 0);
    let created: CreateMinerReturn = fvm_ipld_encoding::from_slice(&r.return_data).unwrap();
    let code = sb.actor(created.id_address.id().unwrap()).unwrap().unwrap().code;
    assert_eq!(code, sb.builtin_code("storageminer").unwrap());
    assert_eq!(count(&mut sb), 1);
    // An account may still use the legacy number.
    let r = sb.send(&alice, Address::new_id(power), legacy, &params, zero()).unwrap();
    assert!(r.is_ok(), "{:?}", r.failure_info);
    assert_eq!(count(&mut sb), 2);
}

#[test]
fn account_pubkey_address_is_for_builtin_callers() {
    let (mut sb, alice) = setup();
    let bob = sb.create_account(fil(1)).unwrap();
    // PubkeyAddress (2) has no exported number: a user actor cannot ask for it at all.
    let r = from_user_actor(&mut sb, &alice, bob.id, 2, &(), zero());
    assert_eq!(r.exit_code, FORBIDDEN);
    let r = sb.query(&alice, bob.id_address(), 2, &()).unwrap();
    assert_eq!(r.exit_code, ExitCode::USR_FORBIDDEN);
    // Another account may.
    let r = sb.send(&alice, bob.id_address(), 2, &(), zero()).unwrap();
    assert_eq!(r.ret::<Address>().unwrap(), bob.address);
    // Unknown small numbers: 18 for the user actor, 22 for the account; exported ones (receiver
    // hooks) are accepted from both, with their value.
    let r = from_user_actor(&mut sb, &alice, bob.id, 7, &(), zero());
    assert_eq!(r.exit_code, FORBIDDEN);
    let r = sb.send(&alice, bob.id_address(), 7, &(), zero()).unwrap();
    assert_eq!(r.exit_code, ExitCode::USR_UNHANDLED_MESSAGE);
    let receive = actorlib_kit::method_hash!("Receive");
    let r = from_user_actor(&mut sb, &alice, bob.id, receive, &(), TokenAmount::from_atto(5));
    assert_eq!(r.exit_code, 0);
    assert_eq!(sb.balance(bob.id).unwrap(), fil(1) + TokenAmount::from_atto(5));
}

#[test]
fn reward_and_init_legacy_numbers_are_for_builtin_callers() {
    let (mut sb, alice) = setup();
    // Reward's ThisEpochReward (3) has no exported number.
    let reward = Address::new_id(REWARD_ACTOR_ID);
    let m = RewardMethod::ThisEpochReward as u64;
    let r = from_user_actor(&mut sb, &alice, REWARD_ACTOR_ID, m, &(), zero());
    assert_eq!(r.exit_code, FORBIDDEN);
    let r = sb.send(&alice, reward, m, &(), zero()).unwrap();
    r.ret::<ThisEpochRewardReturn>().unwrap();
    // Init's Exec (2) has no exported number either: a user actor cannot create actors through
    // init, while an account can (`Sandbox::deploy`).
    let code = sb.install_actor(actorlib_bundle::wasm("example-counter").unwrap()).unwrap();
    let ctor = fvm_ipld_encoding::to_vec(&(alice.address, 0u64)).unwrap();
    let exec = ExecParams { code_cid: code, constructor_params: RawBytes::new(ctor) };
    let next_id = |sb: &Sandbox| sb.state::<InitState>(INIT_ACTOR_ID).unwrap().next_id;
    let before = (head(&sb, INIT_ACTOR_ID), next_id(&sb));
    let exec_method = actorlib_host_init::Method::Exec as u64;
    let r = from_user_actor(&mut sb, &alice, INIT_ACTOR_ID, exec_method, &exec, zero());
    assert_eq!(r.exit_code, FORBIDDEN);
    assert_eq!((head(&sb, INIT_ACTOR_ID), next_id(&sb)), before);
    let r = sb.send(&alice, Address::new_id(INIT_ACTOR_ID), exec_method, &exec, zero()).unwrap();
    let ret: ExecReturn = r.ret().unwrap();
    assert_eq!(ret.id_address, Address::new_id(before.1));
    // The system actor's constructor: 18 for the user actor before its own f00 check.
    let r = from_user_actor(&mut sb, &alice, SYSTEM_ACTOR_ID, 1, &(), zero());
    assert_eq!(r.exit_code, FORBIDDEN);
}

#[test]
fn the_eam_is_unrestricted() {
    // The real EAM uses `actor_dispatch_unrestricted!`: a small unknown number from a user actor
    // is unhandled (22), not refused.
    let (mut sb, alice) = setup();
    let r = from_user_actor(&mut sb, &alice, EAM_ACTOR_ID, 5, &(), zero());
    assert_eq!(r.exit_code, ExitCode::USR_UNHANDLED_MESSAGE.value());
    assert_eq!(
        sb.actor(EAM_ACTOR_ID).unwrap().unwrap().code,
        sb.builtin_code(BuiltinType::Eam.name()).unwrap()
    );
}
