//! The receiver hook against recipients that are actors, run as Wasm in the sandbox: receivers that
//! accept (and what the payload says for transfers, operator transfers, mints and initial
//! balances), reject, abort with their own exit code, or re-enter the token from inside the hook
//! (forwarding what they just received, reading their new balance, burning it). Every failed call
//! leaves the token's and the receivers' states exactly as they were and emits nothing; every
//! successful one returns balances read after the hook.
//!
//! The receiver is `crates/sandbox/examples/token-receiver` (`example-token-receiver` in the bundle).
mod common;

use actorlib_example_token_receiver::ext::{
    BurnReturn as RBurnReturn, FRC46TokenReceived, TransferReturn as RTransferReturn,
};
use actorlib_example_token_receiver::{Behaviour, Method as RMethod, State as RState, REJECTION};
use actorlib_token::*;
use cid::Cid;
use common::*;
use fvm_ipld_encoding::RawBytes;
use fvm_shared::address::Address;
use fvm_shared::econ::TokenAmount;
use fvm_shared::error::ExitCode;
use fvm_shared::ActorID;
use serde::Serialize;

/// Deploys a token receiver with `behaviour` into the env's sandbox; returns its ID address.
fn receiver(e: &mut Env, behaviour: Behaviour) -> Address {
    let wasm = actorlib_bundle::wasm("example-token-receiver").expect("receiver in the bundle");
    let code = e.sb.install_actor(wasm).unwrap();
    let admin = e.admin.clone();
    e.sb.deploy(&admin, code, &behaviour, TokenAmount::default()).unwrap().id_address
}

fn id(a: Address) -> ActorID {
    a.id().unwrap()
}

fn rstate(e: &Env, r: Address) -> RState {
    e.sb.state(id(r)).unwrap()
}

fn root(e: &Env, a: Address) -> Cid {
    e.sb.actor(id(a)).unwrap().unwrap().state
}

fn set_behaviour(e: &mut Env, r: Address, behaviour: Behaviour) {
    let admin = e.admin.clone();
    e.sb.send(&admin, r, RMethod::SetBehaviour as u64, &behaviour, TokenAmount::default())
        .unwrap()
        .ok()
        .unwrap();
}

fn transfer_params(to: Address, amount: TokenAmount, data: &[u8]) -> TransferParams {
    TransferParams { to, amount, operator_data: RawBytes::new(data.to_vec()) }
}

/// A call that must fail with `code`, emit nothing, and leave the token and every receiver in
/// `receivers` exactly as they were (state roots compared).
fn fails_unchanged<P: Serialize>(
    e: &mut Env,
    from: &actorlib_sandbox::Account,
    m: Method,
    p: &P,
    code: ExitCode,
    receivers: &[Address],
) -> actorlib_sandbox::Receipt {
    let before: Vec<Cid> = receivers.iter().map(|r| root(e, *r)).collect();
    let r = e.fails(from, m, p, code);
    let after: Vec<Cid> = receivers.iter().map(|r| root(e, *r)).collect();
    assert_eq!(before, after, "a failed {m:?} changed a receiver's state");
    r
}

/// The failure description of a receipt (the FVM's backtrace, with every actor's message).
fn info(r: &actorlib_sandbox::Receipt) -> String {
    r.failure_info.clone().unwrap_or_default()
}

// ---- accepting receivers: the payload ----

#[test]
fn an_accepting_receiver_gets_the_transfer_payload() {
    let mut e = Env::new();
    let alice = e.alice.clone();
    let r = receiver(&mut e, Behaviour::Accept);
    assert_eq!(rstate(&e, r).received, 0);

    let rc = e.send(&alice, Method::Transfer, &transfer_params(r, whole(30), &[1, 2, 3]));
    assert_eq!(rc.exit_code, ExitCode::OK, "{}", info(&rc));
    let ret: TransferReturn = rc.ret().unwrap();
    assert_eq!(ret, TransferReturn { from_balance: whole(70), to_balance: whole(30) });
    assert_eq!(events_of(&rc, e.id), ["transfer"]);
    let st = rstate(&e, r);
    assert_eq!(st.received, 1);
    assert_eq!(st.last_token, Some(e.id));
    assert_eq!(
        st.last,
        Some(FRC46TokenReceived {
            from: alice.id,
            to: id(r),
            operator: alice.id,
            amount: whole(30),
            operator_data: RawBytes::new(vec![1, 2, 3]),
            token_data: RawBytes::default(),
        })
    );
    assert_eq!(e.balance(r), whole(30));

    // Zero amounts are announced too (FRC-46), with the operator data as given.
    let rc = e.send(&alice, Method::Transfer, &transfer_params(r, atto(0), &[]));
    assert_eq!(rc.ret::<TransferReturn>().unwrap().to_balance, whole(30));
    let st = rstate(&e, r);
    assert_eq!(st.received, 2);
    let last = st.last.unwrap();
    assert_eq!((last.amount, last.operator_data), (atto(0), RawBytes::default()));
    e.check();
}

#[test]
fn a_mint_to_an_accepting_receiver_comes_from_the_token() {
    let mut e = Env::new();
    let admin = e.admin.clone();
    let r = receiver(&mut e, Behaviour::Accept);
    let m = MintParams { to: r, amount: whole(5), operator_data: RawBytes::new(vec![0xf6]) };
    let ret: MintReturn = e.ok(&admin, Method::Mint, &m);
    assert_eq!(ret, MintReturn { balance: whole(5), supply: whole(105) });
    let last = rstate(&e, r).last.unwrap();
    assert_eq!(
        last,
        FRC46TokenReceived {
            from: e.id,
            to: id(r),
            operator: admin.id,
            amount: whole(5),
            operator_data: RawBytes::new(vec![0xf6]),
            token_data: RawBytes::default(),
        }
    );
    e.check();
}

#[test]
fn an_operator_transfer_names_the_operator_and_the_owner() {
    let mut e = Env::new();
    let (alice, bob) = (e.alice.clone(), e.bob.clone());
    let r = receiver(&mut e, Behaviour::Accept);
    let inc = IncreaseAllowanceParams { operator: bob.address, increase: whole(50) };
    e.ok::<_, TokenAmount>(&alice, Method::IncreaseAllowance, &inc);
    let p = TransferFromParams {
        from: alice.address,
        to: r,
        amount: whole(20),
        operator_data: RawBytes::new(vec![7]),
    };
    let ret: TransferFromReturn = e.ok(&bob, Method::TransferFrom, &p);
    assert_eq!(
        ret,
        TransferFromReturn { from_balance: whole(80), to_balance: whole(20), allowance: whole(30) }
    );
    // FRC-46: `from` is the owner whose balance was debited, `operator` the caller.
    let last = rstate(&e, r).last.unwrap();
    assert_eq!(
        last,
        FRC46TokenReceived {
            from: alice.id,
            to: id(r),
            operator: bob.id,
            amount: whole(20),
            operator_data: RawBytes::new(vec![7]),
            token_data: RawBytes::default(),
        }
    );
    e.check();
}

#[test]
fn initial_holders_are_notified_at_construction_and_may_refuse() {
    let mut e = Env::new();
    let admin = e.admin.clone();
    let accepting = receiver(&mut e, Behaviour::Accept);
    let rejecting = receiver(&mut e, Behaviour::Reject);
    let code = e.sb.install_actor(actorlib_bundle::wasm("token").unwrap()).unwrap();
    let mut p = params(TokenMode::Standard);
    p.initial_holders = vec![(accepting, whole(9))];
    let token = e.sb.deploy(&admin, code, &p, TokenAmount::default()).unwrap().id_address;
    let last = rstate(&e, accepting).last.unwrap();
    // A mint by the token itself: the token is sender and operator.
    assert_eq!(
        last,
        FRC46TokenReceived {
            from: id(token),
            to: id(accepting),
            operator: id(token),
            amount: whole(9),
            operator_data: RawBytes::default(),
            token_data: RawBytes::default(),
        }
    );
    assert_eq!(rstate(&e, accepting).last_token, Some(id(token)));

    // Initial holders that call back into the token while its constructor runs see their
    // balances and can spend them: the state is saved before the first hook. (The token's address
    // is set in their behaviour beforehand: init gives it the next ID.)
    let query = receiver(&mut e, Behaviour::Accept);
    let fwd = receiver(&mut e, Behaviour::Accept);
    let next = Address::new_id(id(fwd) + 1);
    set_behaviour(&mut e, query, Behaviour::ReenterQuery { token: next });
    let forward = Behaviour::ReenterTransfer { token: next, to: accepting, amount: whole(2) };
    set_behaviour(&mut e, fwd, forward);
    p.initial_holders = vec![(query, whole(4)), (fwd, whole(6))];
    let token = e.sb.deploy(&admin, code, &p, TokenAmount::default()).unwrap().id_address;
    assert_eq!(token, next);
    assert_eq!(rstate(&e, query).seen_balance, Some(whole(4)));
    assert_eq!(
        rstate(&e, fwd).forwarded,
        Some(RTransferReturn { from_balance: whole(4), to_balance: whole(2) })
    );
    let st: TokenState = e.sb.state(id(token)).unwrap();
    let summary = actorlib_token::testing::assert_invariants(&st, e.sb.blockstore().unwrap());
    let balances: Vec<_> = summary.balances.into_iter().collect();
    assert_eq!(
        balances,
        [(id(accepting), whole(2)), (id(query), whole(4)), (id(fwd), whole(4))],
        "the accepting receiver holds only what was forwarded to it from this token"
    );

    // A refusing initial holder fails the deployment; the receivers are untouched.
    let before = (root(&e, accepting), root(&e, rejecting));
    p.initial_holders = vec![(accepting, whole(1)), (rejecting, whole(1))];
    let rc = e.sb.deploy_receipt(&admin, code, &p, TokenAmount::default()).unwrap();
    assert_eq!(rc.exit_code, ExitCode::USR_FORBIDDEN, "{}", info(&rc));
    assert!(rc.events.is_empty());
    assert_eq!((root(&e, accepting), root(&e, rejecting)), before);
}

// ---- rejecting and aborting receivers ----

#[test]
fn a_rejecting_receiver_fails_every_credit_and_nothing_changes() {
    let mut e = Env::new();
    let (alice, bob, admin) = (e.alice.clone(), e.bob.clone(), e.admin.clone());
    let r = receiver(&mut e, Behaviour::Reject);
    let inc = IncreaseAllowanceParams { operator: bob.address, increase: whole(50) };
    e.ok::<_, TokenAmount>(&alice, Method::IncreaseAllowance, &inc);

    let p = transfer_params(r, whole(10), &[1]);
    let rc = fails_unchanged(&mut e, &alice, Method::Transfer, &p, ExitCode::USR_FORBIDDEN, &[r]);
    assert!(info(&rc).contains("refused"), "{}", info(&rc));
    // The receiver's return data comes back with the token's abort.
    let why: String = fvm_ipld_encoding::from_slice(&rc.return_data).unwrap();
    assert_eq!(why, REJECTION);

    let p = transfer_params(r, atto(0), &[]);
    fails_unchanged(&mut e, &alice, Method::Transfer, &p, ExitCode::USR_FORBIDDEN, &[r]);
    let m = MintParams { to: r, amount: whole(1), operator_data: RawBytes::default() };
    fails_unchanged(&mut e, &admin, Method::Mint, &m, ExitCode::USR_FORBIDDEN, &[r]);
    let tf = TransferFromParams {
        from: alice.address,
        to: r,
        amount: whole(10),
        operator_data: RawBytes::default(),
    };
    fails_unchanged(&mut e, &bob, Method::TransferFrom, &tf, ExitCode::USR_FORBIDDEN, &[r]);

    let q = GetAllowanceParams { owner: alice.address, operator: bob.address };
    assert_eq!(e.query::<_, TokenAmount>(Method::Allowance, &q), whole(50));
    assert_eq!(e.balance(alice.address), whole(100));
    assert_eq!(e.balance(r), atto(0));
    assert_eq!(e.query::<_, TokenAmount>(Method::TotalSupply, &()), whole(100));
    assert_eq!(rstate(&e, r).received, 0);
    e.check();
}

#[test]
fn an_aborting_receiver_fails_the_credit_with_its_code_reported() {
    let mut e = Env::new();
    let (alice, admin) = (e.alice.clone(), e.admin.clone());
    let r = receiver(&mut e, Behaviour::AbortWithCode(42));
    let p = transfer_params(r, whole(10), &[]);
    let rc = fails_unchanged(&mut e, &alice, Method::Transfer, &p, ExitCode::USR_FORBIDDEN, &[r]);
    assert!(info(&rc).contains("its receiver hook exited with 42"), "{}", info(&rc));
    let m = MintParams { to: r, amount: whole(1), operator_data: RawBytes::default() };
    fails_unchanged(&mut e, &admin, Method::Mint, &m, ExitCode::USR_FORBIDDEN, &[r]);

    // Whatever the receiver's code, the token reports USR_FORBIDDEN: even a code the token uses
    // for its own errors, and a reserved system code (the receiver's kit turns it into 24).
    for (code, reported) in [(19, 19), (16, 16), (3, 24)] {
        set_behaviour(&mut e, r, Behaviour::AbortWithCode(code));
        let rc =
            fails_unchanged(&mut e, &alice, Method::Transfer, &p, ExitCode::USR_FORBIDDEN, &[r]);
        let want = format!("its receiver hook exited with {reported}");
        assert!(info(&rc).contains(&want), "{}", info(&rc));
    }

    // Once it accepts, the same transfer goes through: nothing of the failures lingers.
    set_behaviour(&mut e, r, Behaviour::Accept);
    let ret: TransferReturn = e.ok(&alice, Method::Transfer, &p);
    assert_eq!(ret, TransferReturn { from_balance: whole(90), to_balance: whole(10) });
    assert_eq!(rstate(&e, r).received, 1);
    e.check();
}

// ---- receivers that call back into the token ----

#[test]
fn a_receiver_forwarding_onward_inside_the_hook() {
    let mut e = Env::new();
    let alice = e.alice.clone();
    let sink = receiver(&mut e, Behaviour::Accept);
    let token = e.token;
    let fwd = receiver(&mut e, Behaviour::ReenterTransfer { token, to: sink, amount: whole(10) });

    let rc = e.send(&alice, Method::Transfer, &transfer_params(fwd, whole(30), &[5]));
    assert_eq!(rc.exit_code, ExitCode::OK, "{}", info(&rc));
    // The token's return is read after the hook: the forwarded 10 are gone from `fwd`.
    let ret: TransferReturn = rc.ret().unwrap();
    assert_eq!(ret, TransferReturn { from_balance: whole(70), to_balance: whole(20) });
    // Inside the hook, the token already had the credit saved: `fwd` could spend it.
    let st = rstate(&e, fwd);
    assert_eq!(
        st.forwarded,
        Some(RTransferReturn { from_balance: whole(20), to_balance: whole(10) })
    );
    assert_eq!(st.last.unwrap().amount, whole(30));
    let last = rstate(&e, sink).last.unwrap();
    assert_eq!(
        last,
        FRC46TokenReceived {
            from: id(fwd),
            to: id(sink),
            operator: id(fwd),
            amount: whole(10),
            operator_data: RawBytes::default(),
            token_data: RawBytes::default(),
        }
    );
    // Events in the order of the state changes: the outer transfer, then the forwarded one.
    assert_eq!(events_of(&rc, e.id), ["transfer", "transfer"]);
    assert_eq!(field::<ActorID>(&rc, 0, "to"), id(fwd));
    assert_eq!(field::<ActorID>(&rc, 1, "from"), id(fwd));
    assert_eq!(field::<ActorID>(&rc, 1, "to"), id(sink));
    assert_eq!(e.balance(alice.address), whole(70));
    assert_eq!(e.balance(fwd), whole(20));
    assert_eq!(e.balance(sink), whole(10));
    assert_eq!(e.query::<_, TokenAmount>(Method::TotalSupply, &()), whole(100));
    let summary =
        actorlib_token::testing::assert_invariants(&e.state(), e.sb.blockstore().unwrap());
    assert_eq!(summary.balances.len(), 3);
    assert_eq!(e.state().holders, 3);
}

#[test]
fn a_receiver_sending_back_to_the_sender_changes_both_returned_balances() {
    let mut e = Env::new();
    let (alice, bob, admin) = (e.alice.clone(), e.bob.clone(), e.admin.clone());
    let token = e.token;
    let back = receiver(
        &mut e,
        Behaviour::ReenterTransfer { token, to: alice.address, amount: whole(10) },
    );
    // Transfer: both balances in the return are the ones after the hook gave 10 back.
    let ret: TransferReturn =
        e.ok(&alice, Method::Transfer, &transfer_params(back, whole(30), &[]));
    assert_eq!(ret, TransferReturn { from_balance: whole(80), to_balance: whole(20) });

    // TransferFrom: the same, and the allowance is the one after the transfer (the hook left it).
    let inc = IncreaseAllowanceParams { operator: bob.address, increase: whole(50) };
    e.ok::<_, TokenAmount>(&alice, Method::IncreaseAllowance, &inc);
    let p = TransferFromParams {
        from: alice.address,
        to: back,
        amount: whole(30),
        operator_data: RawBytes::default(),
    };
    let ret: TransferFromReturn = e.ok(&bob, Method::TransferFrom, &p);
    assert_eq!(
        ret,
        TransferFromReturn { from_balance: whole(60), to_balance: whole(40), allowance: whole(20) }
    );
    let last = rstate(&e, back).last.unwrap();
    assert_eq!((last.from, last.operator, last.amount), (alice.id, bob.id, whole(30)));

    // Mint: the recipient's balance after the hook, and the supply (unchanged by a transfer).
    let m = MintParams { to: back, amount: whole(15), operator_data: RawBytes::default() };
    let ret: MintReturn = e.ok(&admin, Method::Mint, &m);
    assert_eq!(ret, MintReturn { balance: whole(45), supply: whole(115) });
    assert_eq!(e.balance(alice.address), whole(70));
    assert_eq!(e.balance(back), whole(45));
    assert_eq!(rstate(&e, back).received, 3);
    e.check();
}

#[test]
fn a_receiver_sees_its_credit_inside_the_hook() {
    let mut e = Env::new();
    let (alice, admin) = (e.alice.clone(), e.admin.clone());
    let token = e.token;
    let r = receiver(&mut e, Behaviour::ReenterQuery { token });
    let ret: TransferReturn = e.ok(&alice, Method::Transfer, &transfer_params(r, whole(30), &[]));
    assert_eq!(ret.to_balance, whole(30));
    assert_eq!(rstate(&e, r).seen_balance, Some(whole(30)));
    let ret: TransferReturn = e.ok(&alice, Method::Transfer, &transfer_params(r, whole(5), &[]));
    assert_eq!(ret.to_balance, whole(35));
    assert_eq!(rstate(&e, r).seen_balance, Some(whole(35)));
    let m = MintParams { to: r, amount: whole(7), operator_data: RawBytes::default() };
    e.ok::<_, MintReturn>(&admin, Method::Mint, &m);
    let st = rstate(&e, r);
    assert_eq!((st.seen_balance, st.received), (Some(whole(42)), 3));
    e.check();
}

#[test]
fn a_receiver_burning_inside_the_hook() {
    let mut e = Env::new();
    let (alice, admin) = (e.alice.clone(), e.admin.clone());
    let token = e.token;
    let r = receiver(&mut e, Behaviour::ReenterBurn { token, amount: whole(10) });
    let rc = e.send(&alice, Method::Transfer, &transfer_params(r, whole(30), &[]));
    let ret: TransferReturn = rc.ret().unwrap();
    assert_eq!(ret, TransferReturn { from_balance: whole(70), to_balance: whole(20) });
    assert_eq!(events_of(&rc, e.id), ["transfer", "burn"]);
    assert_eq!(rstate(&e, r).burnt, Some(RBurnReturn { balance: whole(20) }));
    // A mint's returned supply is the one after the burn inside the hook.
    let m = MintParams { to: r, amount: whole(30), operator_data: RawBytes::default() };
    let rc = e.send(&admin, Method::Mint, &m);
    assert_eq!(
        rc.ret::<MintReturn>().unwrap(),
        MintReturn { balance: whole(40), supply: whole(110) }
    );
    assert_eq!(events_of(&rc, e.id), ["mint", "burn"]);
    assert_eq!(field::<TokenAmount>(&rc, 1, "supply"), whole(110));
    assert_eq!(e.query::<_, TokenAmount>(Method::TotalSupply, &()), whole(110));
    e.check();
}

#[test]
fn a_failing_call_back_fails_the_outer_credit_and_nothing_changes() {
    let mut e = Env::new();
    let (alice, admin) = (e.alice.clone(), e.admin.clone());
    let token = e.token;
    let sink = receiver(&mut e, Behaviour::Accept);
    // Forwarding more than it just received (and has): the inner transfer fails with
    // USR_INSUFFICIENT_FUNDS, the receiver aborts with it, the token refuses the whole transfer.
    let greedy =
        receiver(&mut e, Behaviour::ReenterTransfer { token, to: sink, amount: whole(31) });
    let all = [greedy, sink];
    let p = transfer_params(greedy, whole(30), &[]);
    let rc = fails_unchanged(&mut e, &alice, Method::Transfer, &p, ExitCode::USR_FORBIDDEN, &all);
    assert!(info(&rc).contains("its receiver hook exited with 19"), "{}", info(&rc));
    let m = MintParams { to: greedy, amount: whole(30), operator_data: RawBytes::default() };
    fails_unchanged(&mut e, &admin, Method::Mint, &m, ExitCode::USR_FORBIDDEN, &all);

    // Burning more than it has.
    set_behaviour(&mut e, greedy, Behaviour::ReenterBurn { token, amount: whole(31) });
    fails_unchanged(&mut e, &alice, Method::Transfer, &p, ExitCode::USR_FORBIDDEN, &all);

    // Forwarding to a receiver that rejects: the refusal two hooks deep unwinds everything.
    set_behaviour(&mut e, sink, Behaviour::Reject);
    set_behaviour(&mut e, greedy, Behaviour::ReenterTransfer { token, to: sink, amount: whole(1) });
    let rc = fails_unchanged(&mut e, &alice, Method::Transfer, &p, ExitCode::USR_FORBIDDEN, &all);
    assert!(info(&rc).contains("its receiver hook exited with 18"), "{}", info(&rc));

    // A forward of exactly what it has is fine.
    set_behaviour(&mut e, sink, Behaviour::Accept);
    set_behaviour(
        &mut e,
        greedy,
        Behaviour::ReenterTransfer { token, to: sink, amount: whole(30) },
    );
    let ret: TransferReturn = e.ok(&alice, Method::Transfer, &p);
    assert_eq!(ret, TransferReturn { from_balance: whole(70), to_balance: atto(0) });
    assert_eq!(e.balance(sink), whole(30));
    // `greedy` no longer holds any: its entry is gone, not left at zero.
    let summary =
        actorlib_token::testing::assert_invariants(&e.state(), e.sb.blockstore().unwrap());
    assert!(!summary.balances.contains_key(&id(greedy)));
    assert_eq!(rstate(&e, sink).received, 1);
    assert_eq!(rstate(&e, greedy).received, 1);
}
