//! The builtin stand-ins in the FVM: manifest order, accounts and FRC-44, init's Exec rules.
use actorlib_host_account::AuthenticateMessageParams;
use actorlib_kit::builtin::BuiltinType;
use actorlib_sandbox::Sandbox;
use fvm_shared::address::Address;
use fvm_shared::econ::TokenAmount;
use fvm_shared::error::ExitCode;

const AUTHENTICATE_MESSAGE: u64 = 2643134072;

#[test]
fn manifest_lists_every_builtin_type_in_canonical_order_with_distinct_codes() {
    let table = actorlib_bundle::manifest(actorlib_bundle::HOST_CAR).unwrap();
    let names: Vec<&str> = table.iter().map(|(n, _)| n.as_str()).collect();
    let canonical: Vec<&str> = BuiltinType::ALL.iter().map(|t| t.name()).collect();
    assert_eq!(names, canonical);
    let mut cids: Vec<_> = table.iter().map(|(_, c)| *c).collect();
    cids.sort();
    cids.dedup();
    assert_eq!(cids.len(), table.len());
}

#[test]
fn accounts_authenticate_real_signatures() {
    let mut sb = Sandbox::new().unwrap();
    let alice = sb.create_account(TokenAmount::from_whole(1)).unwrap();
    let bob = sb.create_account(TokenAmount::from_whole(1)).unwrap();
    assert_ne!(alice.address, bob.address);
    let msg = b"deal proposal bytes".to_vec();
    let sig = alice.sign(&msg);
    let ok = AuthenticateMessageParams { signature: sig.bytes.clone(), message: msg.clone() };
    let r = sb.query(&bob, alice.id_address(), AUTHENTICATE_MESSAGE, &ok).unwrap();
    assert!(r.ret::<bool>().unwrap());
    // Bob's signature does not authenticate for Alice.
    let wrong = AuthenticateMessageParams { signature: bob.sign(&msg).bytes, message: msg.clone() };
    let r = sb.query(&bob, alice.id_address(), AUTHENTICATE_MESSAGE, &wrong).unwrap();
    assert_eq!(r.exit_code, ExitCode::USR_ILLEGAL_ARGUMENT);
    // A tampered message fails too.
    let tampered = AuthenticateMessageParams { signature: sig.bytes, message: b"other".to_vec() };
    let r = sb.query(&bob, alice.id_address(), AUTHENTICATE_MESSAGE, &tampered).unwrap();
    assert_eq!(r.exit_code, ExitCode::USR_ILLEGAL_ARGUMENT);
}

#[test]
fn accounts_accept_frc42_methods_and_reject_small_unknown_ones() {
    let mut sb = Sandbox::new().unwrap();
    let alice = sb.create_account(TokenAmount::from_whole(1)).unwrap();
    let bob = sb.create_account(TokenAmount::from_whole(1)).unwrap();
    let receive = actorlib_kit::method_hash!("Receive");
    let r = sb.send(&alice, bob.id_address(), receive, &(), TokenAmount::from_atto(5)).unwrap();
    assert_eq!(r.exit_code, ExitCode::OK);
    assert_eq!(sb.balance(bob.id).unwrap(), TokenAmount::from_whole(1) + TokenAmount::from_atto(5));
    let r = sb.send(&alice, bob.id_address(), 7, &(), TokenAmount::default()).unwrap();
    assert_eq!(r.exit_code, ExitCode::USR_UNHANDLED_MESSAGE);
    // PubkeyAddress (method 2) returns the key address.
    let r = sb.send(&alice, bob.id_address(), 2, &(), TokenAmount::default()).unwrap();
    assert_eq!(r.ret::<Address>().unwrap(), bob.address);
}

#[test]
fn sending_to_a_new_key_address_creates_an_account() {
    let mut sb = Sandbox::new().unwrap();
    let alice = sb.create_account(TokenAmount::from_whole(1)).unwrap();
    let fresh = Address::new_secp256k1(&[7u8; 65]).unwrap();
    let r = sb.send(&alice, fresh, 0, &(), TokenAmount::from_atto(10)).unwrap();
    assert_eq!(r.exit_code, ExitCode::OK);
    let id = sb.resolve(&fresh).unwrap().unwrap();
    assert_eq!(sb.actor(id).unwrap().unwrap().code, sb.builtin_code("account").unwrap());
    let st: actorlib_host_account::State = sb.state(id).unwrap();
    assert_eq!(st.address, fresh);
}

#[test]
fn init_refuses_to_exec_builtin_singletons_and_system_only_methods() {
    let mut sb = Sandbox::new().unwrap();
    let alice = sb.create_account(TokenAmount::from_whole(1)).unwrap();
    let market = sb.builtin_code("storagemarket").unwrap();
    let r = sb.deploy_receipt(&alice, market, &(), TokenAmount::default()).unwrap();
    assert_eq!(r.exit_code, ExitCode::USR_FORBIDDEN);
    // Constructors of system actors only run for the system actor.
    let r = sb
        .send(&alice, Address::new_id(1), 1, &("net".to_string(),), TokenAmount::default())
        .unwrap();
    assert_eq!(r.exit_code, ExitCode::USR_FORBIDDEN);
    // An unmodelled builtin type rejects calls with a clear code.
    let bob = sb.create_account(TokenAmount::from_whole(1)).unwrap();
    let r = sb.send(&bob, Address::new_id(10), 4, &(), TokenAmount::default()).unwrap();
    assert_eq!(r.exit_code, ExitCode::USR_UNHANDLED_MESSAGE);
}

#[test]
fn state_root_is_stable_without_messages() {
    let mut sb = Sandbox::new().unwrap();
    let a = sb.state_root().unwrap();
    let b = sb.state_root().unwrap();
    assert_eq!(a, b);
    sb.create_account(TokenAmount::from_whole(1)).unwrap();
    assert_ne!(sb.state_root().unwrap(), a);
}

#[test]
fn power_counts_miners_and_reports_zero_power() {
    let mut sb = Sandbox::new().unwrap();
    let owner = sb.create_account(TokenAmount::from_whole(10)).unwrap();
    let worker = sb.create_account(TokenAmount::from_whole(10)).unwrap();
    let power = Address::new_id(4);
    let count = actorlib_host_power::Method::MinerCountExported as u64;
    assert_eq!(
        sb.send(&owner, power, count, &(), TokenAmount::default()).unwrap().ret::<i64>().unwrap(),
        0
    );
    let a = sb.create_miner(&owner, &worker).unwrap();
    let b = sb.create_miner(&owner, &worker).unwrap();
    assert_ne!(a.id, b.id);
    assert_eq!(
        sb.send(&owner, power, count, &(), TokenAmount::default()).unwrap().ret::<i64>().unwrap(),
        2
    );
    let total = actorlib_host_power::Method::CurrentTotalPower as u64;
    let r: actorlib_host_power::CurrentTotalPowerReturn =
        sb.send(&owner, power, total, &(), TokenAmount::default()).unwrap().ret().unwrap();
    assert_eq!(r.pledge_collateral, TokenAmount::default());
    // A worker that is not an account is refused by the miner's constructor.
    let params = actorlib_host_power::CreateMinerParams {
        owner: owner.id_address(),
        worker: Address::new_id(5),
        window_post_proof_type: fvm_shared::sector::RegisteredPoStProof::StackedDRGWindow32GiBV1P1,
        peer: Vec::new(),
        multiaddrs: Vec::new(),
    };
    let r = sb
        .send(
            &owner,
            power,
            actorlib_host_power::Method::CreateMiner as u64,
            &params,
            TokenAmount::default(),
        )
        .unwrap();
    assert_eq!(r.exit_code, ExitCode::USR_ILLEGAL_ARGUMENT);
}

#[test]
fn only_the_system_awards_block_rewards() {
    let mut sb = Sandbox::new().unwrap();
    let owner = sb.create_account(TokenAmount::from_whole(10)).unwrap();
    let worker = sb.create_account(TokenAmount::from_whole(10)).unwrap();
    let miner = sb.create_miner(&owner, &worker).unwrap();
    let params = actorlib_host_reward::AwardBlockRewardParams {
        miner: miner.id_address(),
        penalty: TokenAmount::default(),
        gas_reward: TokenAmount::from_whole(1),
        win_count: 1,
    };
    let reward = Address::new_id(2);
    let r = sb
        .send(
            &owner,
            reward,
            actorlib_host_reward::Method::AwardBlockReward as u64,
            &params,
            TokenAmount::default(),
        )
        .unwrap();
    assert_eq!(r.exit_code, ExitCode::USR_FORBIDDEN);
    let reserve = sb.balance(2).unwrap();
    let r = sb
        .apply_implicit(0, reward, actorlib_host_reward::Method::AwardBlockReward as u64, &params)
        .unwrap();
    assert!(r.is_ok(), "{:?}", r.failure_info);
    // One win (5 FIL) plus the gas reward.
    assert_eq!(sb.balance(miner.id).unwrap(), TokenAmount::from_whole(6));
    assert_eq!(reserve - sb.balance(2).unwrap(), TokenAmount::from_whole(6));
    let r: actorlib_host_reward::ThisEpochRewardReturn = sb
        .send(
            &owner,
            reward,
            actorlib_host_reward::Method::ThisEpochReward as u64,
            &(),
            TokenAmount::default(),
        )
        .unwrap()
        .ret()
        .unwrap();
    assert_eq!(r.this_epoch_reward_smoothed.position, TokenAmount::from_whole(5).atto().clone());
}

#[test]
fn state_can_be_seeded_natively() {
    use actorlib_example_counter::{ConstructorParams, Method, State};
    let mut sb = Sandbox::new().unwrap();
    let alice = sb.create_account(TokenAmount::from_whole(1)).unwrap();
    let code = sb.install_actor(actorlib_bundle::wasm("example-counter").unwrap()).unwrap();
    let counter = sb
        .deploy(
            &alice,
            code,
            &ConstructorParams { owner: alice.address, start: 1 },
            TokenAmount::default(),
        )
        .unwrap();
    let id = counter.id_address.id().unwrap();
    let root =
        actorlib_kit::state::put(&sb.base_store(), &State { owner: alice.id, count: 41 }).unwrap();
    sb.set_state_root(id, root).unwrap();
    let r = sb
        .send(&alice, counter.id_address, Method::Increment as u64, &1u64, TokenAmount::default())
        .unwrap();
    assert_eq!(r.ret::<u64>().unwrap(), 42);
    assert!(sb.set_state_root(9999, root).is_err());
}
