//! The FRC-46 surface of the token, run as Wasm in the sandbox: every method's happy path, the main
//! error paths with the token's state unchanged, receiver hooks to accounts (which accept) and to
//! actors that do not implement the hook (which refuse), events in receipts, read-only queries.
mod common;

use actorlib_sandbox::RELAY_ACTOR_ID;
use actorlib_token::*;
use common::*;
use fvm_ipld_encoding::RawBytes;
use fvm_shared::address::Address;
use fvm_shared::econ::TokenAmount;
use fvm_shared::error::ExitCode;
use fvm_shared::ActorID;

#[test]
fn deploys_with_metadata_roles_and_initial_holders() {
    let mut e = Env::new();
    assert_eq!(e.query::<_, String>(Method::Name, &()), "Sandbox Token");
    assert_eq!(e.query::<_, String>(Method::Symbol, &()), "SBT");
    assert_eq!(e.query::<_, u64>(Method::Granularity, &()), 1);
    assert_eq!(e.query::<_, TokenAmount>(Method::TotalSupply, &()), whole(100));
    let alice = e.alice.address;
    assert_eq!(e.balance(alice), whole(100));
    assert_eq!(e.query::<_, TokenAmount>(Method::BalanceOf, &alice), whole(100));
    assert_eq!(e.query::<_, Option<TokenAmount>>(Method::Cap, &()), None);
    let admin = e.admin.address;
    assert!(e.query::<_, bool>(Method::HasRole, &RoleParams { role: Role::Admin, account: admin }));
    assert!(!e.query::<_, bool>(Method::Paused, &()));
    let code = e.sb.actor(e.id).unwrap().unwrap().code;
    let bundled = actorlib_bundle::manifest(actorlib_bundle::ACTORS_CAR).unwrap();
    assert!(bundled.iter().any(|(n, c)| n == "token" && *c == code));
    e.check();
}

#[test]
fn transfers_call_account_hooks_and_emit_events() {
    let mut e = Env::new();
    let (alice, bob) = (e.alice.clone(), e.bob.clone());
    let p = TransferParams {
        to: bob.address,
        amount: whole(30),
        operator_data: RawBytes::new(vec![1]),
    };
    let r = e.send(&alice, Method::Transfer, &p);
    assert_eq!(r.exit_code, ExitCode::OK, "{:?}", r.failure_info);
    let ret: TransferReturn = r.ret().unwrap();
    assert_eq!(ret, TransferReturn { from_balance: whole(70), to_balance: whole(30) });
    assert_eq!(events_of(&r, e.id), ["transfer"]);
    assert_eq!(field::<ActorID>(&r, 0, "from"), alice.id);
    assert_eq!(field::<ActorID>(&r, 0, "to"), bob.id);
    assert_eq!(field::<TokenAmount>(&r, 0, "amount"), whole(30));
    assert!(r.gas_used > 0);
    println!("transfer to a new holder: {} gas", r.gas_used);
    let r = e.transfer(&alice, bob.address, whole(1));
    println!("transfer to an existing holder: {} gas", r.gas_used);
    assert_eq!(e.balance(bob.id_address()), whole(31));
    // To oneself: a normal transfer.
    let r = e.transfer(&alice, alice.address, whole(69));
    assert_eq!(
        r.ret::<TransferReturn>().unwrap(),
        TransferReturn { from_balance: whole(69), to_balance: whole(69) }
    );
    e.check();
}

#[test]
fn transfers_to_new_key_addresses_create_accounts() {
    let mut e = Env::new();
    let alice = e.alice.clone();
    let fresh = Address::new_secp256k1(&[42u8; 65]).unwrap();
    assert_eq!(e.sb.resolve(&fresh).unwrap(), None);
    // Zero to an unknown address: no account, no entry.
    let before = e.state_cid();
    let r = e.transfer(&alice, fresh, atto(0));
    assert_eq!(r.ret::<TransferReturn>().unwrap().to_balance, atto(0));
    assert_eq!(e.sb.resolve(&fresh).unwrap(), None, "no account for a zero transfer");
    assert_eq!(e.state_cid(), before);
    // Non-zero: the account is created and credited.
    let r = e.transfer(&alice, fresh, whole(5));
    assert_eq!(r.exit_code, ExitCode::OK, "{:?}", r.failure_info);
    let id = e.sb.resolve(&fresh).unwrap().expect("account created");
    assert_eq!(e.balance(Address::new_id(id)), whole(5));
    // An f410 address gets a placeholder, which accepts the hook.
    let eth = Address::new_delegated(10, &[7u8; 20]).unwrap();
    let r = e.transfer(&alice, eth, whole(1));
    assert_eq!(r.exit_code, ExitCode::OK, "{:?}", r.failure_info);
    assert_eq!(e.balance(eth), whole(1));
    // An f2 address with no actor cannot be created by a send.
    let f2 = Address::new_actor(b"no such actor");
    let p = TransferParams { to: f2, amount: whole(1), operator_data: RawBytes::default() };
    e.fails(&alice, Method::Transfer, &p, ExitCode::USR_NOT_FOUND);
    e.check();
}

#[test]
fn recipients_without_a_hook_refuse_and_nothing_changes() {
    let mut e = Env::new();
    let alice = e.alice.clone();
    // The sandbox relay implements no receiver hook: USR_UNHANDLED_MESSAGE → refused.
    let relay = Address::new_id(RELAY_ACTOR_ID);
    let p = TransferParams { to: relay, amount: whole(1), operator_data: RawBytes::default() };
    let r = e.fails(&alice, Method::Transfer, &p, ExitCode::USR_FORBIDDEN);
    assert!(r.failure_info.unwrap_or_default().contains("refused"));
    // Zero amounts too: the hook still runs (FRC-46).
    let p = TransferParams { to: relay, amount: atto(0), operator_data: RawBytes::default() };
    e.fails(&alice, Method::Transfer, &p, ExitCode::USR_FORBIDDEN);
    // The token itself has no hook either: tokens cannot be sent to it by mistake.
    let p = TransferParams { to: e.token, amount: whole(1), operator_data: RawBytes::default() };
    e.fails(&alice, Method::Transfer, &p, ExitCode::USR_FORBIDDEN);
    let admin = e.admin.clone();
    let m = MintParams { to: relay, amount: whole(1), operator_data: RawBytes::default() };
    e.fails(&admin, Method::Mint, &m, ExitCode::USR_FORBIDDEN);
    assert_eq!(e.balance(relay), atto(0));
    e.check();
}

#[test]
fn transfer_errors_leave_state_unchanged() {
    let mut e = Env::new();
    let (alice, bob) = (e.alice.clone(), e.bob.clone());
    let t = |to: Address, amount| TransferParams { to, amount, operator_data: RawBytes::default() };
    e.fails(
        &alice,
        Method::Transfer,
        &t(bob.address, whole(101)),
        ExitCode::USR_INSUFFICIENT_FUNDS,
    );
    e.fails(&alice, Method::Transfer, &t(bob.address, atto(-1)), ExitCode::USR_ILLEGAL_ARGUMENT);
    e.fails(&bob, Method::Transfer, &t(alice.address, atto(1)), ExitCode::USR_INSUFFICIENT_FUNDS);
    let huge = actorlib_kit::amount::max_amount() * 2;
    e.fails(&alice, Method::Transfer, &t(bob.address, huge), ExitCode::USR_ILLEGAL_ARGUMENT);
    // Malformed parameters.
    for bad in [vec![0xff], vec![0x83, 0x01, 0x02, 0x03], vec![0x80], b"text".to_vec()] {
        let before = e.state_cid();
        let r =
            e.sb.send_raw(
                alice.id,
                e.token,
                Method::Transfer as u64,
                RawBytes::new(bad),
                TokenAmount::default(),
            )
            .unwrap();
        assert_eq!(r.exit_code, ExitCode::USR_SERIALIZATION);
        assert_eq!(e.state_cid(), before);
    }
    // Unknown methods.
    let r = e.sb.send(&alice, e.token, 12345, &(), TokenAmount::default()).unwrap();
    assert_eq!(r.exit_code, ExitCode::USR_UNHANDLED_MESSAGE);
    // Value on a non-payable method is refused and returned.
    let before = e.sb.balance(alice.id).unwrap();
    let r =
        e.sb.send(&alice, e.token, Method::Transfer as u64, &t(bob.address, atto(1)), whole(1))
            .unwrap();
    assert_eq!(r.exit_code, ExitCode::USR_NOT_PAYABLE);
    assert_eq!(e.sb.balance(alice.id).unwrap(), before);
    e.check();
}

/// The Wasm is linked with a small stack (64 KiB, see `actorlib_kit::WASM_STACK_SIZE`): deeply
/// nested parameters must still be refused cleanly, never overflow it.
#[test]
fn deeply_nested_params_are_refused_without_a_trap() {
    let mut e = Env::new();
    let alice = e.alice.clone();
    for depth in [64usize, 129, 1_000, 50_000] {
        // Arrays in arrays, maps in maps, and nesting inside a valid first field.
        let arrays = [vec![0x81; depth], vec![0x00]].concat();
        let maps = [[0xa1, 0x00].repeat(depth), vec![0x00]].concat();
        let inner = [vec![0x83, 0x42, 0x00, 0x64], vec![0x81; depth], vec![0x00, 0x40]].concat();
        for bad in [arrays, maps, inner] {
            for method in [Method::Transfer, Method::IncreaseAllowance, Method::Mint, Method::Burn]
            {
                let before = e.state_cid();
                let r =
                    e.sb.send_raw(
                        alice.id,
                        e.token,
                        method as u64,
                        RawBytes::new(bad.clone()),
                        TokenAmount::default(),
                    )
                    .unwrap();
                assert_eq!(r.exit_code, ExitCode::USR_SERIALIZATION, "{method:?} depth {depth}");
                assert_eq!(e.state_cid(), before);
            }
        }
    }
    e.check();
}

#[test]
fn granularity_is_enforced() {
    let mut e = Env::with(|(admin, alice, _, _), p| {
        p.granularity = 1_000;
        p.admins = vec![admin.address];
        p.minters = vec![admin.address];
        p.initial_holders = vec![(alice.address, atto(10_000))];
    });
    let (alice, bob, admin) = (e.alice.clone(), e.bob.clone(), e.admin.clone());
    let t = |amount| TransferParams { to: bob.address, amount, operator_data: RawBytes::default() };
    e.fails(&alice, Method::Transfer, &t(atto(1_500)), ExitCode::USR_ILLEGAL_ARGUMENT);
    e.ok::<_, TransferReturn>(&alice, Method::Transfer, &t(atto(2_000)));
    e.fails(&alice, Method::Burn, &BurnParams { amount: atto(1) }, ExitCode::USR_ILLEGAL_ARGUMENT);
    let m = MintParams { to: bob.address, amount: atto(999), operator_data: RawBytes::default() };
    e.fails(&admin, Method::Mint, &m, ExitCode::USR_ILLEGAL_ARGUMENT);
    // Allowances need not be granular.
    let inc = IncreaseAllowanceParams { operator: bob.address, increase: atto(1_500) };
    assert_eq!(e.ok::<_, TokenAmount>(&alice, Method::IncreaseAllowance, &inc), atto(1_500));
    // A constructor with a bad granularity fails.
    let mut sb = actorlib_sandbox::Sandbox::new().unwrap();
    let who = sb.create_account(whole(1)).unwrap();
    let code = sb.install_actor(actorlib_bundle::wasm("token").unwrap()).unwrap();
    let mut p = params(TokenMode::Standard);
    p.granularity = 0;
    let r = sb.deploy_receipt(&who, code, &p, TokenAmount::default()).unwrap();
    assert_eq!(r.exit_code, ExitCode::USR_ILLEGAL_ARGUMENT);
    e.check();
}

#[test]
fn allowances_operators_and_burns() {
    let mut e = Env::new();
    let (alice, bob, carol) = (e.alice.clone(), e.bob.clone(), e.carol.clone());
    let r = e.send(
        &alice,
        Method::IncreaseAllowance,
        &IncreaseAllowanceParams { operator: bob.address, increase: whole(50) },
    );
    assert_eq!(r.ret::<TokenAmount>().unwrap(), whole(50));
    assert_eq!(events_of(&r, e.id), ["approval"]);
    let dec = DecreaseAllowanceParams { operator: bob.address, decrease: whole(10) };
    assert_eq!(e.ok::<_, TokenAmount>(&alice, Method::DecreaseAllowance, &dec), whole(40));
    let q = GetAllowanceParams { owner: alice.address, operator: bob.address };
    assert_eq!(e.query::<_, TokenAmount>(Method::Allowance, &q), whole(40));

    // TransferFrom: the operator moves the owner's tokens; the recipient's hook runs.
    let tf = |amount| TransferFromParams {
        from: alice.address,
        to: carol.address,
        amount,
        operator_data: RawBytes::default(),
    };
    let r = e.send(&bob, Method::TransferFrom, &tf(whole(15)));
    assert_eq!(
        r.ret::<TransferFromReturn>().unwrap(),
        TransferFromReturn { from_balance: whole(85), to_balance: whole(15), allowance: whole(25) }
    );
    assert_eq!(field::<ActorID>(&r, 0, "operator"), bob.id);
    println!("transfer_from: {} gas", r.gas_used);
    e.fails(&bob, Method::TransferFrom, &tf(whole(26)), ExitCode::USR_FORBIDDEN);
    e.fails(&carol, Method::TransferFrom, &tf(atto(0)), ExitCode::USR_FORBIDDEN);

    // BurnFrom and Burn.
    let bf = BurnFromParams { owner: alice.address, amount: whole(5) };
    let r: BurnFromReturn = e.ok(&bob, Method::BurnFrom, &bf);
    assert_eq!(r, BurnFromReturn { balance: whole(80), allowance: whole(20) });
    e.fails(&carol, Method::BurnFrom, &bf, ExitCode::USR_FORBIDDEN);
    let r = e.send(&alice, Method::Burn, &BurnParams { amount: whole(30) });
    assert_eq!(r.ret::<BurnReturn>().unwrap().balance, whole(50));
    assert_eq!(events_of(&r, e.id), ["burn"]);
    e.fails(
        &alice,
        Method::Burn,
        &BurnParams { amount: whole(51) },
        ExitCode::USR_INSUFFICIENT_FUNDS,
    );
    assert_eq!(e.query::<_, TokenAmount>(Method::TotalSupply, &()), whole(65));

    // Revoke (both encodings: the crate's 1-tuple and the FRC-46 text's bare address).
    e.ok::<_, ()>(
        &alice,
        Method::RevokeAllowance,
        &RevokeAllowanceParams { operator: bob.address },
    );
    assert_eq!(e.query::<_, TokenAmount>(Method::Allowance, &q), atto(0));
    e.ok::<_, TokenAmount>(
        &alice,
        Method::IncreaseAllowance,
        &IncreaseAllowanceParams { operator: bob.address, increase: atto(1) },
    );
    e.ok::<_, ()>(&alice, Method::RevokeAllowance, &bob.address);
    assert_eq!(e.query::<_, TokenAmount>(Method::Allowance, &q), atto(0));
    e.check();
}

#[test]
fn read_only_queries_answer_and_writes_are_refused() {
    let mut e = Env::new();
    let (alice, bob) = (e.alice.clone(), e.bob.clone());
    let r = e.sb.query(&alice, e.token, Method::Balance as u64, &alice.address).unwrap();
    assert_eq!(r.ret::<TokenAmount>().unwrap(), whole(100));
    let before = e.state_cid();
    let p =
        TransferParams { to: bob.address, amount: whole(1), operator_data: RawBytes::default() };
    let r = e.sb.query(&alice, e.token, Method::Transfer as u64, &p).unwrap();
    assert_eq!(r.exit_code, ExitCode::USR_READ_ONLY);
    let p = IncreaseAllowanceParams { operator: bob.address, increase: whole(1) };
    let r = e.sb.query(&alice, e.token, Method::IncreaseAllowance as u64, &p).unwrap();
    assert_eq!(r.exit_code, ExitCode::USR_READ_ONLY);
    let r =
        e.sb.query(&alice, e.token, Method::Burn as u64, &BurnParams { amount: whole(1) }).unwrap();
    assert_eq!(r.exit_code, ExitCode::USR_READ_ONLY);
    assert_eq!(e.state_cid(), before);
    // A query of an unknown address creates nothing.
    let fresh = Address::new_secp256k1(&[11u8; 65]).unwrap();
    assert_eq!(e.balance(fresh), atto(0));
    assert_eq!(e.sb.resolve(&fresh).unwrap(), None);
}

#[test]
fn zero_transfer_from_an_empty_account_still_notifies() {
    let mut e = Env::new();
    let (bob, carol) = (e.bob.clone(), e.carol.clone());
    let before = e.state_cid();
    let r = e.transfer(&bob, carol.address, atto(0));
    assert_eq!(r.exit_code, ExitCode::OK);
    assert_eq!(events_of(&r, e.id), ["transfer"]);
    assert_eq!(e.state_cid(), before, "nothing stored for a zero transfer");
    assert_eq!(e.state().holders, 1);
}
