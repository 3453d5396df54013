//! The whole path for one actor: Wasm built by the bundle, deployed in the sandbox through init,
//! called, state read, event seen; bad params, wrong caller and read-only writes rejected with state
//! unchanged.
use actorlib_example_counter::{ConstructorParams, Method, State};
use actorlib_sandbox::{Account, Sandbox};
use fvm_ipld_encoding::RawBytes;
use fvm_shared::address::Address;
use fvm_shared::econ::TokenAmount;
use fvm_shared::error::ExitCode;

fn setup() -> (Sandbox, Account, Account, Address, u64) {
    let mut sb = Sandbox::new().unwrap();
    let alice = sb.create_account(TokenAmount::from_whole(10)).unwrap();
    let bob = sb.create_account(TokenAmount::from_whole(10)).unwrap();
    let code = sb.install_actor(actorlib_bundle::wasm("example-counter").unwrap()).unwrap();
    let ret = sb
        .deploy(
            &alice,
            code,
            &ConstructorParams { owner: alice.address, start: 7 },
            TokenAmount::default(),
        )
        .unwrap();
    let id = ret.id_address.id().unwrap();
    (sb, alice, bob, ret.id_address, id)
}

#[test]
fn deploys_through_init_with_a_robust_address() {
    let (sb, alice, _, counter, id) = setup();
    assert!(id > alice.id);
    let st: State = sb.state(id).unwrap();
    assert_eq!(st, State { owner: alice.id, count: 7 });
    let code = sb.actor(id).unwrap().unwrap().code;
    let bundled = actorlib_bundle::manifest(actorlib_bundle::ACTORS_CAR).unwrap();
    assert!(bundled.iter().any(|(n, c)| n == "example-counter" && *c == code));
    assert_eq!(sb.resolve(&counter).unwrap(), Some(id));
}

#[test]
fn increments_and_emits_an_event() {
    let (mut sb, _, bob, counter, id) = setup();
    let r =
        sb.send(&bob, counter, Method::Increment as u64, &5u64, TokenAmount::default()).unwrap();
    assert_eq!(r.exit_code, ExitCode::OK);
    assert_eq!(r.ret::<u64>().unwrap(), 12);
    assert_eq!(r.event_types(), vec!["incremented".to_string()]);
    assert_eq!(r.events[0].emitter, id);
    let by: u64 = actorlib_kit::events::event_field(&r.events[0].event, "by_actor").unwrap();
    assert_eq!(by, bob.id);
    assert!(r.gas_used > 0);
    assert_eq!(sb.state::<State>(id).unwrap().count, 12);
}

#[test]
fn malformed_params_fail_with_serialization_and_change_nothing() {
    let (mut sb, alice, _, counter, _) = setup();
    let before = sb.state_root().unwrap();
    for bad in [vec![0xff], vec![0x82, 0x01, 0x02], b"text".to_vec()] {
        let r = sb
            .send_raw(
                alice.id,
                counter,
                Method::Increment as u64,
                RawBytes::new(bad),
                TokenAmount::default(),
            )
            .unwrap();
        assert_eq!(r.exit_code, ExitCode::USR_SERIALIZATION);
        assert!(r.events.is_empty());
    }
    // Only the sender's nonce moved.
    let after = sb.state_root().unwrap();
    assert_ne!(before, after);
    let counter_state_before = sb.actor(counter.id().unwrap()).unwrap().unwrap().state;
    let r = sb
        .send_raw(
            alice.id,
            counter,
            Method::Increment as u64,
            RawBytes::new(vec![0xff]),
            TokenAmount::default(),
        )
        .unwrap();
    assert_eq!(r.exit_code, ExitCode::USR_SERIALIZATION);
    assert_eq!(sb.actor(counter.id().unwrap()).unwrap().unwrap().state, counter_state_before);
}

#[test]
fn wrong_caller_is_forbidden_and_state_is_unchanged() {
    let (mut sb, alice, bob, counter, id) = setup();
    let state_before = sb.actor(id).unwrap().unwrap().state;
    let r = sb.send(&bob, counter, Method::Reset as u64, &(), TokenAmount::default()).unwrap();
    assert_eq!(r.exit_code, ExitCode::USR_FORBIDDEN);
    assert_eq!(sb.actor(id).unwrap().unwrap().state, state_before);
    let r = sb.send(&alice, counter, Method::Reset as u64, &(), TokenAmount::default()).unwrap();
    assert_eq!(r.exit_code, ExitCode::OK);
    assert_eq!(sb.state::<State>(id).unwrap().count, 0);
    // The constructor only runs for init.
    let r = sb
        .send(
            &alice,
            counter,
            Method::Constructor as u64,
            &ConstructorParams { owner: bob.address, start: 1 },
            TokenAmount::default(),
        )
        .unwrap();
    assert_eq!(r.exit_code, ExitCode::USR_FORBIDDEN);
}

#[test]
fn read_only_queries_cannot_write() {
    let (mut sb, alice, _, counter, id) = setup();
    let r = sb.query(&alice, counter, Method::Get as u64, &()).unwrap();
    assert_eq!(r.ret::<u64>().unwrap(), 7);
    let state_before = sb.actor(id).unwrap().unwrap().state;
    let r = sb.query(&alice, counter, Method::Increment as u64, &1u64).unwrap();
    assert_eq!(r.exit_code, ExitCode::USR_READ_ONLY);
    assert_eq!(sb.actor(id).unwrap().unwrap().state, state_before);
}

#[test]
fn unknown_methods_are_unhandled() {
    let (mut sb, alice, _, counter, _) = setup();
    let r = sb.send(&alice, counter, 12345, &(), TokenAmount::default()).unwrap();
    assert_eq!(r.exit_code, ExitCode::USR_UNHANDLED_MESSAGE);
}

#[test]
fn a_failing_constructor_leaves_no_actor() {
    let mut sb = Sandbox::new().unwrap();
    let alice = sb.create_account(TokenAmount::from_whole(10)).unwrap();
    let code = sb.install_actor(actorlib_bundle::wasm("example-counter").unwrap()).unwrap();
    let nobody = Address::new_secp256k1(&[9u8; 65]).unwrap();
    let r = sb
        .deploy_receipt(
            &alice,
            code,
            &ConstructorParams { owner: nobody, start: 0 },
            TokenAmount::default(),
        )
        .unwrap();
    assert_eq!(r.exit_code, ExitCode::USR_NOT_FOUND);
    assert_eq!(sb.actor(alice.id + 1).unwrap(), None);
}

#[test]
fn epochs_advance_and_state_survives() {
    let (mut sb, _, bob, counter, id) = setup();
    sb.send(&bob, counter, Method::Increment as u64, &1u64, TokenAmount::default())
        .unwrap()
        .ok()
        .unwrap();
    sb.advance_epochs(100).unwrap();
    assert_eq!(sb.epoch(), 100);
    assert_eq!(sb.state::<State>(id).unwrap().count, 8);
    let r =
        sb.send(&bob, counter, Method::Increment as u64, &1u64, TokenAmount::default()).unwrap();
    assert_eq!(r.ret::<u64>().unwrap(), 9);
    assert!(sb.set_epoch(5).is_err());
}

#[test]
fn gas_tracing_explains_the_gas_used_without_changing_it() {
    let (mut sb, _, bob, counter, _) = setup();
    let untraced =
        sb.send(&bob, counter, Method::Increment as u64, &1u64, TokenAmount::default()).unwrap();
    assert!(untraced.gas_charges.by_name.is_empty());
    sb.trace_gas(true).unwrap();
    let traced =
        sb.send(&bob, counter, Method::Increment as u64, &1u64, TokenAmount::default()).unwrap();
    assert_eq!(traced.exit_code, ExitCode::OK);
    // The same message on the same state costs the same; the trace accounts for all of it.
    assert_eq!(traced.gas_used, untraced.gas_used);
    assert_eq!(traced.gas_charges.total(), traced.gas_used);
    // Increment rewrites the counter's one state block and reads it once.
    assert_eq!(traced.gas_charges.count("OnBlockLink"), 1);
    assert!(traced.gas_charges.count("OnBlockOpen") >= 1);
    assert!(traced.gas_charges.gas("OnChainMessage") > 0);
    sb.trace_gas(false).unwrap();
    let again =
        sb.send(&bob, counter, Method::Increment as u64, &1u64, TokenAmount::default()).unwrap();
    assert!(again.gas_charges.by_name.is_empty());
    assert_eq!(again.gas_used, untraced.gas_used);
}
