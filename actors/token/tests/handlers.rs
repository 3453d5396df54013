//! Host tests of the method handlers with the kit's `FakeRuntime`: caller checks, parameter
//! decoding, the receiver hook (as an expected send), events, read-only and payable rules, and
//! every error path. Calls go through `invoke`, as the Wasm entry point does.
use actorlib_kit::builtin::INIT_ACTOR_ID;
use actorlib_kit::events::{event_field, event_type};
use actorlib_kit::runtime::fake::ExpectedSend;
use actorlib_kit::runtime::SendResponse;
use actorlib_kit::{params, state, FakeRuntime, Runtime};
use actorlib_token::testing::assert_invariants;
use actorlib_token::*;
use fvm_ipld_encoding::ipld_block::IpldBlock;
use fvm_ipld_encoding::RawBytes;
use fvm_shared::address::Address;
use fvm_shared::econ::TokenAmount;
use fvm_shared::error::{ErrorNumber, ExitCode};
use fvm_shared::{ActorID, METHOD_SEND};
use serde::de::DeserializeOwned;
use serde::Serialize;

const TOKEN: ActorID = 1000;
const ADMIN: ActorID = 100;
const ALICE: ActorID = 101;
const BOB: ActorID = 102;
const CAROL: ActorID = 103;
const MINTER: ActorID = 104;

fn atto(n: i64) -> TokenAmount {
    TokenAmount::from_atto(n)
}

fn id(n: ActorID) -> Address {
    Address::new_id(n)
}

fn params(mode: TokenMode) -> ConstructorParams {
    ConstructorParams {
        name: "Test Token".into(),
        symbol: "TST".into(),
        granularity: 1,
        initial_holders: vec![],
        cap: None,
        admins: vec![id(ADMIN)],
        minters: vec![id(MINTER)],
        mode,
    }
}

fn new_runtime() -> FakeRuntime {
    let rt = FakeRuntime::new(TOKEN);
    for a in [ADMIN, ALICE, BOB, CAROL, MINTER] {
        rt.register(id(a), a);
    }
    rt
}

/// A token deployed with `p`, its events cleared.
fn deploy(p: ConstructorParams) -> FakeRuntime {
    let rt = new_runtime();
    rt.set_caller(INIT_ACTOR_ID);
    for (to, amount) in &p.initial_holders {
        let to = rt.resolve_address(to).unwrap();
        expect_hook(&rt, TOKEN, to, TOKEN, amount, RawBytes::default(), ExitCode::OK);
    }
    call::<_, ()>(&rt, INIT_ACTOR_ID, Method::Constructor, &p).unwrap();
    assert!(rt.all_sends_made());
    rt.clear_events();
    rt
}

/// A standard token where ALICE holds 100.
fn token() -> FakeRuntime {
    let mut p = params(TokenMode::Standard);
    p.initial_holders = vec![(id(ALICE), atto(100))];
    deploy(p)
}

fn call<P: Serialize, R: DeserializeOwned>(
    rt: &FakeRuntime,
    caller: ActorID,
    method: Method,
    p: &P,
) -> actorlib_kit::Result<R> {
    rt.set_caller(caller);
    rt.set_method(method as u64);
    let ret = invoke(rt, method as u64, params::params(p).unwrap())?;
    Ok(params::decode(ret).unwrap())
}

fn err<P: Serialize>(rt: &FakeRuntime, caller: ActorID, method: Method, p: &P) -> ExitCode {
    rt.set_caller(caller);
    invoke(rt, method as u64, params::params(p).unwrap()).expect_err("expected an error").code()
}

fn expect_hook(
    rt: &FakeRuntime,
    from: ActorID,
    to: ActorID,
    operator: ActorID,
    amount: &TokenAmount,
    operator_data: RawBytes,
    exit_code: ExitCode,
) {
    let payload = FRC46TokenReceived {
        from,
        to,
        operator,
        amount: amount.clone(),
        operator_data,
        token_data: RawBytes::default(),
    };
    let hook = UniversalReceiverParams {
        type_: FRC46_TOKEN_TYPE,
        payload: RawBytes::serialize(&payload).unwrap(),
    };
    rt.expect_send(ExpectedSend {
        to: id(to),
        method: RECEIVER_HOOK_METHOD,
        params: params::params(&hook).unwrap(),
        value: TokenAmount::default(),
        response: Ok(SendResponse { exit_code, return_data: None }),
    });
}

fn st(rt: &FakeRuntime) -> TokenState {
    state::load(rt).unwrap()
}

fn check(rt: &FakeRuntime) {
    assert!(rt.all_sends_made(), "an expected send was not made");
    assert_invariants(&st(rt), rt.store());
}

fn balance(rt: &FakeRuntime, who: ActorID) -> TokenAmount {
    call(rt, ALICE, Method::Balance, &id(who)).unwrap()
}

fn event_types(rt: &FakeRuntime) -> Vec<String> {
    rt.events().iter().filter_map(event_type).collect()
}

// ---- construction ----

#[test]
fn constructor_sets_up_roles_and_initial_holders() {
    let mut p = params(TokenMode::Standard);
    p.initial_holders = vec![(id(ALICE), atto(60)), (id(BOB), atto(40)), (id(ALICE), atto(5))];
    p.cap = Some(atto(1000));
    let rt = new_runtime();
    rt.set_caller(INIT_ACTOR_ID);
    for (to, amount) in [(ALICE, 60), (BOB, 40), (ALICE, 5)] {
        expect_hook(&rt, TOKEN, to, TOKEN, &atto(amount), RawBytes::default(), ExitCode::OK);
    }
    call::<_, ()>(&rt, INIT_ACTOR_ID, Method::Constructor, &p).unwrap();
    check(&rt);
    assert_eq!(
        event_types(&rt),
        ["role-granted", "role-granted", "mint", "mint", "mint"].map(String::from)
    );
    let supplies: Vec<TokenAmount> =
        rt.events()[2..].iter().map(|e| event_field(e, "supply").unwrap()).collect();
    assert_eq!(supplies, [atto(60), atto(100), atto(105)]);
    assert_eq!(balance(&rt, ALICE), atto(65));
    assert_eq!(call::<_, TokenAmount>(&rt, BOB, Method::TotalSupply, &()).unwrap(), atto(105));
    assert_eq!(call::<_, String>(&rt, BOB, Method::Name, &()).unwrap(), "Test Token");
    assert_eq!(call::<_, String>(&rt, BOB, Method::Symbol, &()).unwrap(), "TST");
    assert_eq!(call::<_, u64>(&rt, BOB, Method::Granularity, &()).unwrap(), 1);
    assert_eq!(
        call::<_, Option<TokenAmount>>(&rt, BOB, Method::Cap, &()).unwrap(),
        Some(atto(1000))
    );
    let has = |role, who| -> bool {
        call(&rt, BOB, Method::HasRole, &RoleParams { role, account: id(who) }).unwrap()
    };
    assert!(has(Role::Admin, ADMIN));
    assert!(has(Role::Minter, MINTER));
    assert!(!has(Role::Minter, ADMIN));
    assert!(!has(Role::Pauser, ADMIN));
}

#[test]
fn only_init_constructs_and_bad_parameters_are_refused() {
    let rt = new_runtime();
    assert_eq!(
        err(&rt, ALICE, Method::Constructor, &params(TokenMode::Standard)),
        ExitCode::USR_FORBIDDEN
    );
    let bad = [
        ConstructorParams { name: "".into(), ..params(TokenMode::Standard) },
        ConstructorParams { symbol: "".into(), ..params(TokenMode::Standard) },
        ConstructorParams { granularity: 0, ..params(TokenMode::Standard) },
        ConstructorParams { cap: Some(atto(-5)), ..params(TokenMode::Standard) },
        ConstructorParams {
            initial_holders: vec![(id(ALICE), atto(-1))],
            ..params(TokenMode::Standard)
        },
        ConstructorParams {
            granularity: 10,
            initial_holders: vec![(id(ALICE), atto(15))],
            ..params(TokenMode::Standard)
        },
        ConstructorParams {
            cap: Some(atto(10)),
            initial_holders: vec![(id(ALICE), atto(15))],
            ..params(TokenMode::Standard)
        },
        ConstructorParams {
            initial_holders: vec![(id(ALICE), atto(15))],
            ..params(TokenMode::WrappedFil)
        },
    ];
    for p in bad {
        let rt = new_runtime();
        assert_eq!(
            err(&rt, INIT_ACTOR_ID, Method::Constructor, &p),
            ExitCode::USR_ILLEGAL_ARGUMENT,
            "{p:?}"
        );
        assert!(rt.sent().is_empty(), "nothing is sent for bad parameters");
    }
}

#[test]
fn a_refused_initial_credit_aborts_construction() {
    let mut p = params(TokenMode::Standard);
    p.initial_holders = vec![(id(ALICE), atto(1))];
    let rt = new_runtime();
    rt.set_caller(INIT_ACTOR_ID);
    expect_hook(
        &rt,
        TOKEN,
        ALICE,
        TOKEN,
        &atto(1),
        RawBytes::default(),
        ExitCode::USR_UNHANDLED_MESSAGE,
    );
    assert_eq!(err(&rt, INIT_ACTOR_ID, Method::Constructor, &p), ExitCode::USR_FORBIDDEN);
}

// ---- dispatch, params, value, read-only ----

#[test]
fn dispatch_rejects_unknown_methods_bad_params_and_value() {
    let rt = token();
    assert_eq!(invoke(&rt, 12345, None).unwrap_err().code(), ExitCode::USR_UNHANDLED_MESSAGE);
    for bad in [vec![0xff], vec![0x83, 0x01], vec![0x80]] {
        let block = Some(IpldBlock { codec: fvm_ipld_encoding::CBOR, data: bad });
        rt.set_caller(ALICE);
        let e = invoke(&rt, Method::Transfer as u64, block).unwrap_err();
        assert_eq!(e.code(), ExitCode::USR_SERIALIZATION);
    }
    rt.set_caller(ALICE);
    assert_eq!(
        invoke(&rt, Method::Transfer as u64, None).unwrap_err().code(),
        ExitCode::USR_SERIALIZATION
    );
    // Value on any method but Deposit.
    rt.set_value(atto(1));
    let p = TransferParams { to: id(BOB), amount: atto(1), operator_data: RawBytes::default() };
    assert_eq!(err(&rt, ALICE, Method::Transfer, &p), ExitCode::USR_NOT_PAYABLE);
    assert_eq!(err(&rt, ALICE, Method::Name, &()), ExitCode::USR_NOT_PAYABLE);
    assert_eq!(err(&rt, ALICE, Method::Deposit, &()), ExitCode::USR_FORBIDDEN, "standard mode");
    check(&rt);
}

#[test]
fn read_only_calls_can_query_but_not_write() {
    let rt = token();
    rt.set_read_only(true);
    assert_eq!(balance(&rt, ALICE), atto(100));
    let t = TransferParams { to: id(BOB), amount: atto(1), operator_data: RawBytes::default() };
    assert_eq!(err(&rt, ALICE, Method::Transfer, &t), ExitCode::USR_READ_ONLY);
    let writes: Vec<(Method, Option<IpldBlock>)> = vec![
        (Method::Transfer, params::params(&t).unwrap()),
        (
            Method::TransferFrom,
            params::params(&TransferFromParams {
                from: id(ALICE),
                to: id(BOB),
                amount: atto(1),
                operator_data: RawBytes::default(),
            })
            .unwrap(),
        ),
        (
            Method::IncreaseAllowance,
            params::params(&IncreaseAllowanceParams { operator: id(BOB), increase: atto(1) })
                .unwrap(),
        ),
        (
            Method::DecreaseAllowance,
            params::params(&DecreaseAllowanceParams { operator: id(BOB), decrease: atto(1) })
                .unwrap(),
        ),
        (
            Method::RevokeAllowance,
            params::params(&RevokeAllowanceParams { operator: id(BOB) }).unwrap(),
        ),
        (Method::Burn, params::params(&BurnParams { amount: atto(1) }).unwrap()),
        (
            Method::BurnFrom,
            params::params(&BurnFromParams { owner: id(ALICE), amount: atto(1) }).unwrap(),
        ),
        (
            Method::Mint,
            params::params(&MintParams {
                to: id(BOB),
                amount: atto(1),
                operator_data: RawBytes::default(),
            })
            .unwrap(),
        ),
        (
            Method::GrantRole,
            params::params(&RoleParams { role: Role::Pauser, account: id(BOB) }).unwrap(),
        ),
        (
            Method::RevokeRole,
            params::params(&RoleParams { role: Role::Minter, account: id(MINTER) }).unwrap(),
        ),
        (Method::RenounceRole, params::params(&Role::Admin).unwrap()),
        (Method::Pause, None),
        (Method::Unpause, None),
        (Method::Delegate, params::params(&DelegateParams { delegatee: Some(id(BOB)) }).unwrap()),
        (Method::Deposit, None),
        (Method::Withdraw, params::params(&WithdrawParams { amount: atto(1) }).unwrap()),
    ];
    for (m, p) in writes {
        for caller in [ALICE, ADMIN, MINTER] {
            rt.set_caller(caller);
            let e = invoke(&rt, m as u64, p.clone()).unwrap_err();
            assert_eq!(e.code(), ExitCode::USR_READ_ONLY, "{m:?}");
        }
    }
    assert_eq!(rt.sent().len(), 1, "only the constructor's hook");
    rt.set_read_only(false);
    check(&rt);
}

// ---- transfers ----

#[test]
fn transfer_calls_the_hook_and_emits() {
    let rt = token();
    let data = RawBytes::new(vec![1, 2, 3]);
    expect_hook(&rt, ALICE, BOB, ALICE, &atto(30), data.clone(), ExitCode::OK);
    let p = TransferParams { to: id(BOB), amount: atto(30), operator_data: data };
    let r: TransferReturn = call(&rt, ALICE, Method::Transfer, &p).unwrap();
    assert_eq!(r, TransferReturn { from_balance: atto(70), to_balance: atto(30) });
    assert_eq!(event_types(&rt), ["transfer"]);
    let e = &rt.events()[0];
    assert_eq!(event_field::<u64>(e, "from"), Some(ALICE));
    assert_eq!(event_field::<u64>(e, "to"), Some(BOB));
    assert_eq!(event_field::<u64>(e, "operator"), Some(ALICE));
    assert_eq!(event_field::<TokenAmount>(e, "amount"), Some(atto(30)));
    check(&rt);
}

#[test]
fn transfer_errors() {
    let rt = token();
    let t = |to: ActorID, n: i64| TransferParams {
        to: id(to),
        amount: atto(n),
        operator_data: RawBytes::default(),
    };
    assert_eq!(err(&rt, ALICE, Method::Transfer, &t(BOB, 101)), ExitCode::USR_INSUFFICIENT_FUNDS);
    assert_eq!(err(&rt, ALICE, Method::Transfer, &t(BOB, -1)), ExitCode::USR_ILLEGAL_ARGUMENT);
    assert_eq!(err(&rt, BOB, Method::Transfer, &t(ALICE, 1)), ExitCode::USR_INSUFFICIENT_FUNDS);
    // An f2 address with no actor cannot be created by a send: not found.
    let f2 = Address::new_actor(b"nobody");
    let p = TransferParams { to: f2, amount: atto(1), operator_data: RawBytes::default() };
    rt.expect_send(ExpectedSend {
        to: f2,
        method: METHOD_SEND,
        params: None,
        value: TokenAmount::default(),
        response: Err(ErrorNumber::NotFound),
    });
    assert_eq!(err(&rt, ALICE, Method::Transfer, &p), ExitCode::USR_NOT_FOUND);
    assert!(rt.events().is_empty());
    check(&rt);
}

#[test]
fn a_refusing_recipient_fails_the_transfer_with_forbidden() {
    let rt = token();
    expect_hook(
        &rt,
        ALICE,
        BOB,
        ALICE,
        &atto(1),
        RawBytes::default(),
        ExitCode::USR_UNHANDLED_MESSAGE,
    );
    let p = TransferParams { to: id(BOB), amount: atto(1), operator_data: RawBytes::default() };
    rt.set_caller(ALICE);
    let e = invoke(&rt, Method::Transfer as u64, params::params(&p).unwrap()).unwrap_err();
    assert_eq!(e.code(), ExitCode::USR_FORBIDDEN);
    assert!(e.message().contains("refused"), "{}", e.message());
    assert!(rt.all_sends_made());
    // (The FVM reverts the saved state; the sandbox tests check that.)
}

#[test]
fn zero_transfers_call_the_hook_of_existing_actors_only() {
    let rt = token();
    // To an existing actor: the hook runs (FRC-46), state is unchanged.
    let before = rt.state_root();
    expect_hook(&rt, BOB, CAROL, BOB, &atto(0), RawBytes::default(), ExitCode::OK);
    let p = TransferParams { to: id(CAROL), amount: atto(0), operator_data: RawBytes::default() };
    let r: TransferReturn = call(&rt, BOB, Method::Transfer, &p).unwrap();
    assert_eq!(r, TransferReturn { from_balance: atto(0), to_balance: atto(0) });
    assert_eq!(rt.state_root(), before, "nothing written");
    // To an address with no actor: nothing is created and no hook runs.
    let fresh = Address::new_secp256k1(&[7u8; 65]).unwrap();
    let p = TransferParams { to: fresh, amount: atto(0), operator_data: RawBytes::default() };
    let r: TransferReturn = call(&rt, ALICE, Method::Transfer, &p).unwrap();
    assert_eq!(r, TransferReturn { from_balance: atto(100), to_balance: atto(0) });
    assert_eq!(call::<_, TokenAmount>(&rt, ALICE, Method::Balance, &fresh).unwrap(), atto(0));
    assert_eq!(rt.sent().len(), 2, "the constructor's hook and the hook to CAROL");
    assert_eq!(st(&rt).holders, 1);
    check(&rt);
}

#[test]
fn balance_and_balance_of_are_the_same_method() {
    let rt = token();
    let a: TokenAmount = call(&rt, BOB, Method::Balance, &id(ALICE)).unwrap();
    let b: TokenAmount = call(&rt, BOB, Method::BalanceOf, &id(ALICE)).unwrap();
    assert_eq!((a, b), (atto(100), atto(100)));
}

// ---- allowances and operators ----

#[test]
fn allowance_lifecycle_with_events() {
    let rt = token();
    let inc = |n| IncreaseAllowanceParams { operator: id(BOB), increase: atto(n) };
    assert_eq!(
        call::<_, TokenAmount>(&rt, ALICE, Method::IncreaseAllowance, &inc(50)).unwrap(),
        atto(50)
    );
    let dec = DecreaseAllowanceParams { operator: id(BOB), decrease: atto(20) };
    assert_eq!(
        call::<_, TokenAmount>(&rt, ALICE, Method::DecreaseAllowance, &dec).unwrap(),
        atto(30)
    );
    let q = GetAllowanceParams { owner: id(ALICE), operator: id(BOB) };
    assert_eq!(call::<_, TokenAmount>(&rt, CAROL, Method::Allowance, &q).unwrap(), atto(30));
    call::<_, ()>(
        &rt,
        ALICE,
        Method::RevokeAllowance,
        &RevokeAllowanceParams { operator: id(BOB) },
    )
    .unwrap();
    assert_eq!(call::<_, TokenAmount>(&rt, CAROL, Method::Allowance, &q).unwrap(), atto(0));
    assert_eq!(event_types(&rt), ["approval", "approval", "approval"]);
    let last: TokenAmount = event_field(&rt.events()[2], "allowance").unwrap();
    assert_eq!(last, atto(0));
    // No-ops emit nothing.
    rt.clear_events();
    call::<_, ()>(
        &rt,
        ALICE,
        Method::RevokeAllowance,
        &RevokeAllowanceParams { operator: id(BOB) },
    )
    .unwrap();
    call::<_, TokenAmount>(&rt, ALICE, Method::IncreaseAllowance, &inc(0)).unwrap();
    assert!(rt.events().is_empty());
    assert_eq!(
        err(&rt, ALICE, Method::IncreaseAllowance, &inc(-1)),
        ExitCode::USR_ILLEGAL_ARGUMENT
    );
    let self_op = IncreaseAllowanceParams { operator: id(ALICE), increase: atto(1) };
    assert_eq!(
        err(&rt, ALICE, Method::IncreaseAllowance, &self_op),
        ExitCode::USR_ILLEGAL_ARGUMENT
    );
    let neg = DecreaseAllowanceParams { operator: id(BOB), decrease: atto(-1) };
    assert_eq!(err(&rt, ALICE, Method::DecreaseAllowance, &neg), ExitCode::USR_ILLEGAL_ARGUMENT);
    // Unknown operators have no allowance and are not created for nothing.
    let fresh = Address::new_secp256k1(&[8u8; 65]).unwrap();
    let q = GetAllowanceParams { owner: id(ALICE), operator: fresh };
    assert_eq!(call::<_, TokenAmount>(&rt, CAROL, Method::Allowance, &q).unwrap(), atto(0));
    let zero = IncreaseAllowanceParams { operator: fresh, increase: atto(0) };
    assert_eq!(
        call::<_, TokenAmount>(&rt, ALICE, Method::IncreaseAllowance, &zero).unwrap(),
        atto(0)
    );
    let dec = DecreaseAllowanceParams { operator: fresh, decrease: atto(3) };
    assert_eq!(
        call::<_, TokenAmount>(&rt, ALICE, Method::DecreaseAllowance, &dec).unwrap(),
        atto(0)
    );
    call::<_, ()>(&rt, ALICE, Method::RevokeAllowance, &RevokeAllowanceParams { operator: fresh })
        .unwrap();
    assert_eq!(rt.sent().len(), 1, "only the constructor's hook");
    check(&rt);
}

#[test]
fn revoke_accepts_the_bare_address_of_the_frc46_text() {
    let rt = token();
    call::<_, TokenAmount>(
        &rt,
        ALICE,
        Method::IncreaseAllowance,
        &IncreaseAllowanceParams { operator: id(BOB), increase: atto(5) },
    )
    .unwrap();
    call::<_, ()>(&rt, ALICE, Method::RevokeAllowance, &id(BOB)).unwrap();
    let q = GetAllowanceParams { owner: id(ALICE), operator: id(BOB) };
    assert_eq!(call::<_, TokenAmount>(&rt, CAROL, Method::Allowance, &q).unwrap(), atto(0));
    // And Burn the bare amount.
    let r: BurnReturn = call(&rt, ALICE, Method::Burn, &atto(10)).unwrap();
    assert_eq!(r.balance, atto(90));
    check(&rt);
}

#[test]
fn transfer_from_spends_allowance_and_calls_the_hook() {
    let rt = token();
    call::<_, TokenAmount>(
        &rt,
        ALICE,
        Method::IncreaseAllowance,
        &IncreaseAllowanceParams { operator: id(BOB), increase: atto(40) },
    )
    .unwrap();
    rt.clear_events();
    let data = RawBytes::new(vec![9]);
    expect_hook(&rt, ALICE, CAROL, BOB, &atto(25), data.clone(), ExitCode::OK);
    let p = TransferFromParams {
        from: id(ALICE),
        to: id(CAROL),
        amount: atto(25),
        operator_data: data,
    };
    let r: TransferFromReturn = call(&rt, BOB, Method::TransferFrom, &p).unwrap();
    assert_eq!(
        r,
        TransferFromReturn { from_balance: atto(75), to_balance: atto(25), allowance: atto(15) }
    );
    assert_eq!(event_types(&rt), ["transfer"]);
    assert_eq!(event_field::<u64>(&rt.events()[0], "operator"), Some(BOB));
    // Beyond the allowance: forbidden (the crate says insufficient funds; FRC-46 says forbidden).
    let p = TransferFromParams {
        from: id(ALICE),
        to: id(CAROL),
        amount: atto(16),
        operator_data: RawBytes::default(),
    };
    assert_eq!(err(&rt, BOB, Method::TransferFrom, &p), ExitCode::USR_FORBIDDEN);
    // No allowance at all, even for zero.
    let p = TransferFromParams {
        from: id(ALICE),
        to: id(BOB),
        amount: atto(0),
        operator_data: RawBytes::default(),
    };
    assert_eq!(err(&rt, CAROL, Method::TransferFrom, &p), ExitCode::USR_FORBIDDEN);
    // An owner with no actor has granted nothing.
    let fresh = Address::new_secp256k1(&[9u8; 65]).unwrap();
    let p = TransferFromParams {
        from: fresh,
        to: id(BOB),
        amount: atto(0),
        operator_data: RawBytes::default(),
    };
    assert_eq!(err(&rt, CAROL, Method::TransferFrom, &p), ExitCode::USR_FORBIDDEN);
    // The allowance is checked before the recipient is created.
    let p = TransferFromParams {
        from: id(ALICE),
        to: fresh,
        amount: atto(5),
        operator_data: RawBytes::default(),
    };
    assert_eq!(err(&rt, CAROL, Method::TransferFrom, &p), ExitCode::USR_FORBIDDEN);
    assert_eq!(rt.sent().len(), 2, "the constructor's hook and the first transfer's");
    check(&rt);
}

#[test]
fn the_owner_may_use_transfer_from_and_burn_from_on_itself() {
    let rt = token();
    expect_hook(&rt, ALICE, BOB, ALICE, &atto(10), RawBytes::default(), ExitCode::OK);
    let p = TransferFromParams {
        from: id(ALICE),
        to: id(BOB),
        amount: atto(10),
        operator_data: RawBytes::default(),
    };
    let r: TransferFromReturn = call(&rt, ALICE, Method::TransferFrom, &p).unwrap();
    assert_eq!(
        r,
        TransferFromReturn { from_balance: atto(90), to_balance: atto(10), allowance: atto(0) }
    );
    let r: BurnFromReturn =
        call(&rt, ALICE, Method::BurnFrom, &BurnFromParams { owner: id(ALICE), amount: atto(5) })
            .unwrap();
    assert_eq!(r, BurnFromReturn { balance: atto(85), allowance: atto(0) });
    check(&rt);
}

// ---- burns ----

#[test]
fn burns_and_their_errors() {
    let rt = token();
    let r: BurnReturn = call(&rt, ALICE, Method::Burn, &BurnParams { amount: atto(10) }).unwrap();
    assert_eq!(r.balance, atto(90));
    assert_eq!(event_types(&rt), ["burn"]);
    assert_eq!(event_field::<TokenAmount>(&rt.events()[0], "supply"), Some(atto(90)));
    assert_eq!(
        err(&rt, ALICE, Method::Burn, &BurnParams { amount: atto(91) }),
        ExitCode::USR_INSUFFICIENT_FUNDS
    );
    assert_eq!(
        err(&rt, ALICE, Method::Burn, &BurnParams { amount: atto(-1) }),
        ExitCode::USR_ILLEGAL_ARGUMENT
    );
    call::<_, TokenAmount>(
        &rt,
        ALICE,
        Method::IncreaseAllowance,
        &IncreaseAllowanceParams { operator: id(BOB), increase: atto(20) },
    )
    .unwrap();
    let r: BurnFromReturn =
        call(&rt, BOB, Method::BurnFrom, &BurnFromParams { owner: id(ALICE), amount: atto(15) })
            .unwrap();
    assert_eq!(r, BurnFromReturn { balance: atto(75), allowance: atto(5) });
    assert_eq!(
        err(&rt, BOB, Method::BurnFrom, &BurnFromParams { owner: id(ALICE), amount: atto(6) }),
        ExitCode::USR_FORBIDDEN
    );
    assert_eq!(
        err(&rt, CAROL, Method::BurnFrom, &BurnFromParams { owner: id(ALICE), amount: atto(0) }),
        ExitCode::USR_FORBIDDEN
    );
    let fresh = Address::new_secp256k1(&[3u8; 65]).unwrap();
    assert_eq!(
        err(&rt, CAROL, Method::BurnFrom, &BurnFromParams { owner: fresh, amount: atto(0) }),
        ExitCode::USR_FORBIDDEN
    );
    assert_eq!(call::<_, TokenAmount>(&rt, BOB, Method::TotalSupply, &()).unwrap(), atto(75));
    check(&rt);
}

// ---- mint, cap, roles ----

#[test]
fn only_minters_mint_within_the_cap() {
    let mut p = params(TokenMode::Standard);
    p.cap = Some(atto(100));
    let rt = deploy(p);
    let m = |to: ActorID, n: i64| MintParams {
        to: id(to),
        amount: atto(n),
        operator_data: RawBytes::default(),
    };
    assert_eq!(err(&rt, ALICE, Method::Mint, &m(ALICE, 1)), ExitCode::USR_FORBIDDEN);
    assert_eq!(err(&rt, ADMIN, Method::Mint, &m(ALICE, 1)), ExitCode::USR_FORBIDDEN);
    expect_hook(&rt, TOKEN, ALICE, MINTER, &atto(60), RawBytes::default(), ExitCode::OK);
    let r: MintReturn = call(&rt, MINTER, Method::Mint, &m(ALICE, 60)).unwrap();
    assert_eq!(r, MintReturn { balance: atto(60), supply: atto(60) });
    assert_eq!(event_types(&rt), ["mint"]);
    assert_eq!(err(&rt, MINTER, Method::Mint, &m(BOB, 41)), ExitCode::USR_ILLEGAL_ARGUMENT);
    assert_eq!(err(&rt, MINTER, Method::Mint, &m(BOB, -1)), ExitCode::USR_ILLEGAL_ARGUMENT);
    // A zero mint to an existing actor still calls its hook.
    expect_hook(&rt, TOKEN, BOB, MINTER, &atto(0), RawBytes::default(), ExitCode::OK);
    let r: MintReturn = call(&rt, MINTER, Method::Mint, &m(BOB, 0)).unwrap();
    assert_eq!(r, MintReturn { balance: atto(0), supply: atto(60) });
    // A refused mint fails.
    expect_hook(
        &rt,
        TOKEN,
        BOB,
        MINTER,
        &atto(1),
        RawBytes::default(),
        ExitCode::USR_ILLEGAL_ARGUMENT,
    );
    assert_eq!(err(&rt, MINTER, Method::Mint, &m(BOB, 1)), ExitCode::USR_FORBIDDEN);
    assert!(rt.all_sends_made());
}

#[test]
fn roles_are_managed_by_admins() {
    let rt = token();
    let rp = |role, who: ActorID| RoleParams { role, account: id(who) };
    assert_eq!(
        err(&rt, ALICE, Method::GrantRole, &rp(Role::Minter, ALICE)),
        ExitCode::USR_FORBIDDEN
    );
    assert_eq!(
        err(&rt, MINTER, Method::GrantRole, &rp(Role::Minter, ALICE)),
        ExitCode::USR_FORBIDDEN
    );
    assert!(call::<_, bool>(&rt, ADMIN, Method::GrantRole, &rp(Role::Minter, ALICE)).unwrap());
    assert!(!call::<_, bool>(&rt, ADMIN, Method::GrantRole, &rp(Role::Minter, ALICE)).unwrap());
    assert_eq!(event_types(&rt), ["role-granted"]);
    let e = &rt.events()[0];
    assert_eq!(event_field::<Role>(e, "role"), Some(Role::Minter));
    assert_eq!(event_field::<u64>(e, "account"), Some(ALICE));
    assert_eq!(event_field::<u64>(e, "by"), Some(ADMIN));
    assert!(call::<_, bool>(&rt, BOB, Method::HasRole, &rp(Role::Minter, ALICE)).unwrap());
    assert_eq!(
        err(&rt, ALICE, Method::RevokeRole, &rp(Role::Minter, MINTER)),
        ExitCode::USR_FORBIDDEN
    );
    assert!(call::<_, bool>(&rt, ADMIN, Method::RevokeRole, &rp(Role::Minter, MINTER)).unwrap());
    assert!(!call::<_, bool>(&rt, ADMIN, Method::RevokeRole, &rp(Role::Minter, MINTER)).unwrap());
    assert!(call::<_, bool>(&rt, ALICE, Method::RenounceRole, &Role::Minter).unwrap());
    assert!(!call::<_, bool>(&rt, ALICE, Method::RenounceRole, &Role::Minter).unwrap());
    assert_eq!(event_types(&rt), ["role-granted", "role-revoked", "role-revoked"]);
    assert!(!call::<_, bool>(&rt, BOB, Method::HasRole, &rp(Role::Minter, ALICE)).unwrap());
    // An admin can leave: the roles are then frozen.
    assert!(call::<_, bool>(&rt, ADMIN, Method::RenounceRole, &Role::Admin).unwrap());
    assert_eq!(
        err(&rt, ADMIN, Method::GrantRole, &rp(Role::Admin, ADMIN)),
        ExitCode::USR_FORBIDDEN
    );
    // Bad role numbers are bad params.
    rt.set_caller(ADMIN);
    let bad = Some(IpldBlock {
        codec: fvm_ipld_encoding::CBOR,
        data: vec![0x82, 0x07, 0x42, 0x00, 0x65],
    });
    assert_eq!(
        invoke(&rt, Method::HasRole as u64, bad).unwrap_err().code(),
        ExitCode::USR_SERIALIZATION
    );
    check(&rt);
}

// ---- pause ----

#[test]
fn pausers_pause_and_pausing_blocks_balance_changes() {
    let rt = token();
    assert_eq!(err(&rt, ADMIN, Method::Pause, &()), ExitCode::USR_FORBIDDEN);
    call::<_, bool>(
        &rt,
        ADMIN,
        Method::GrantRole,
        &RoleParams { role: Role::Pauser, account: id(CAROL) },
    )
    .unwrap();
    rt.clear_events();
    call::<_, ()>(&rt, CAROL, Method::Pause, &()).unwrap();
    assert!(call::<_, bool>(&rt, ALICE, Method::Paused, &()).unwrap());
    assert_eq!(event_types(&rt), ["paused"]);
    assert_eq!(err(&rt, CAROL, Method::Pause, &()), ExitCode::USR_ILLEGAL_STATE);
    let t = TransferParams { to: id(BOB), amount: atto(1), operator_data: RawBytes::default() };
    assert_eq!(err(&rt, ALICE, Method::Transfer, &t), ExitCode::USR_ILLEGAL_STATE);
    let z = TransferParams {
        to: Address::new_secp256k1(&[5u8; 65]).unwrap(),
        amount: atto(0),
        operator_data: RawBytes::default(),
    };
    assert_eq!(err(&rt, ALICE, Method::Transfer, &z), ExitCode::USR_ILLEGAL_STATE);
    assert_eq!(
        err(&rt, ALICE, Method::Burn, &BurnParams { amount: atto(1) }),
        ExitCode::USR_ILLEGAL_STATE
    );
    let m = MintParams { to: id(BOB), amount: atto(1), operator_data: RawBytes::default() };
    assert_eq!(err(&rt, MINTER, Method::Mint, &m), ExitCode::USR_ILLEGAL_STATE);
    assert_eq!(err(&rt, ALICE, Method::Unpause, &()), ExitCode::USR_FORBIDDEN);
    call::<_, ()>(&rt, CAROL, Method::Unpause, &()).unwrap();
    assert_eq!(err(&rt, CAROL, Method::Unpause, &()), ExitCode::USR_ILLEGAL_STATE);
    expect_hook(&rt, ALICE, BOB, ALICE, &atto(1), RawBytes::default(), ExitCode::OK);
    call::<_, TransferReturn>(&rt, ALICE, Method::Transfer, &t).unwrap();
    assert_eq!(rt.sent().len(), 2);
    check(&rt);
}

// ---- votes ----

#[test]
fn delegation_and_vote_checkpoints() {
    let rt = token();
    rt.set_epoch(10);
    call::<_, ()>(&rt, ALICE, Method::Delegate, &DelegateParams { delegatee: Some(id(CAROL)) })
        .unwrap();
    assert_eq!(event_types(&rt), ["delegate-changed", "votes-changed"]);
    let e = &rt.events()[0];
    assert_eq!(event_field::<Option<u64>>(e, "from_delegate"), Some(None));
    assert_eq!(event_field::<Option<u64>>(e, "to_delegate"), Some(Some(CAROL)));
    assert_eq!(
        call::<_, Option<ActorID>>(&rt, BOB, Method::Delegates, &id(ALICE)).unwrap(),
        Some(CAROL)
    );
    assert_eq!(call::<_, TokenAmount>(&rt, BOB, Method::GetVotes, &id(CAROL)).unwrap(), atto(100));
    rt.clear_events();
    // Same delegatee again: nothing happens.
    call::<_, ()>(&rt, ALICE, Method::Delegate, &DelegateParams { delegatee: Some(id(CAROL)) })
        .unwrap();
    assert!(rt.events().is_empty());

    rt.set_epoch(20);
    expect_hook(&rt, ALICE, BOB, ALICE, &atto(40), RawBytes::default(), ExitCode::OK);
    let t = TransferParams { to: id(BOB), amount: atto(40), operator_data: RawBytes::default() };
    call::<_, TransferReturn>(&rt, ALICE, Method::Transfer, &t).unwrap();
    assert_eq!(event_types(&rt), ["transfer", "votes-changed"]);
    assert_eq!(call::<_, TokenAmount>(&rt, BOB, Method::GetVotes, &id(CAROL)).unwrap(), atto(60));

    rt.set_epoch(30);
    let past = |e: i64| -> TokenAmount {
        call(&rt, BOB, Method::GetPastVotes, &GetPastVotesParams { account: id(CAROL), epoch: e })
            .unwrap()
    };
    assert_eq!(
        [past(9), past(10), past(19), past(20), past(29)],
        [atto(0), atto(100), atto(100), atto(60), atto(60)]
    );
    let now = GetPastVotesParams { account: id(CAROL), epoch: 30 };
    assert_eq!(err(&rt, BOB, Method::GetPastVotes, &now), ExitCode::USR_ILLEGAL_ARGUMENT);
    let fresh =
        GetPastVotesParams { account: Address::new_secp256k1(&[1u8; 65]).unwrap(), epoch: 3 };
    assert_eq!(call::<_, TokenAmount>(&rt, BOB, Method::GetPastVotes, &fresh).unwrap(), atto(0));
    let fresh_now = GetPastVotesParams { epoch: 30, ..fresh };
    assert_eq!(err(&rt, BOB, Method::GetPastVotes, &fresh_now), ExitCode::USR_ILLEGAL_ARGUMENT);
    assert_eq!(
        call::<_, TokenAmount>(&rt, BOB, Method::GetPastTotalSupply, &0i64).unwrap(),
        atto(100)
    );
    assert_eq!(err(&rt, BOB, Method::GetPastTotalSupply, &30i64), ExitCode::USR_ILLEGAL_ARGUMENT);

    call::<_, ()>(&rt, ALICE, Method::Delegate, &DelegateParams { delegatee: None }).unwrap();
    assert_eq!(call::<_, TokenAmount>(&rt, BOB, Method::GetVotes, &id(CAROL)).unwrap(), atto(0));
    assert_eq!(call::<_, Option<ActorID>>(&rt, BOB, Method::Delegates, &id(ALICE)).unwrap(), None);
    check(&rt);
}

// ---- listing ----

#[test]
fn list_holders_pages() {
    let mut p = params(TokenMode::Standard);
    p.initial_holders = (0..5).map(|i| (id(ALICE + i), atto(10 + i as i64))).collect();
    let rt = new_runtime();
    rt.register(id(ALICE + 4), ALICE + 4);
    rt.set_caller(INIT_ACTOR_ID);
    for (to, amount) in &p.initial_holders {
        expect_hook(&rt, TOKEN, to.id().unwrap(), TOKEN, amount, RawBytes::default(), ExitCode::OK);
    }
    call::<_, ()>(&rt, INIT_ACTOR_ID, Method::Constructor, &p).unwrap();
    let mut all = vec![];
    let mut cursor = None;
    loop {
        let r: ListHoldersReturn =
            call(&rt, BOB, Method::ListHolders, &ListHoldersParams { cursor, limit: 2 }).unwrap();
        assert!(r.holders.len() <= 2);
        all.extend(r.holders);
        cursor = r.next;
        if cursor.is_none() {
            break;
        }
    }
    all.sort();
    assert_eq!(all, (0..5).map(|i| (ALICE + i, atto(10 + i as i64))).collect::<Vec<_>>());
    assert_eq!(
        err(&rt, BOB, Method::ListHolders, &ListHoldersParams { cursor: None, limit: 0 }),
        ExitCode::USR_ILLEGAL_ARGUMENT
    );
}

// ---- modes ----

#[test]
fn soulbound_tokens_cannot_move() {
    let mut p = params(TokenMode::Soulbound);
    p.initial_holders = vec![(id(ALICE), atto(10))];
    let rt = deploy(p);
    let t = TransferParams { to: id(BOB), amount: atto(1), operator_data: RawBytes::default() };
    assert_eq!(err(&rt, ALICE, Method::Transfer, &t), ExitCode::USR_FORBIDDEN);
    expect_hook(&rt, TOKEN, BOB, MINTER, &atto(5), RawBytes::default(), ExitCode::OK);
    let m = MintParams { to: id(BOB), amount: atto(5), operator_data: RawBytes::default() };
    call::<_, MintReturn>(&rt, MINTER, Method::Mint, &m).unwrap();
    call::<_, BurnReturn>(&rt, ALICE, Method::Burn, &BurnParams { amount: atto(10) }).unwrap();
    check(&rt);
}

#[test]
fn wrapped_fil_deposits_and_withdrawals() {
    let rt = deploy(params(TokenMode::WrappedFil));
    let m = MintParams { to: id(BOB), amount: atto(5), operator_data: RawBytes::default() };
    assert_eq!(err(&rt, MINTER, Method::Mint, &m), ExitCode::USR_FORBIDDEN);

    rt.set_value(atto(70));
    expect_hook(&rt, TOKEN, ALICE, ALICE, &atto(70), RawBytes::default(), ExitCode::OK);
    let r: MintReturn = call(&rt, ALICE, Method::Deposit, &()).unwrap();
    assert_eq!(r, MintReturn { balance: atto(70), supply: atto(70) });
    rt.set_value(atto(0));
    assert_eq!(event_types(&rt), ["mint"]);

    rt.expect_send(ExpectedSend {
        to: id(ALICE),
        method: METHOD_SEND,
        params: None,
        value: atto(30),
        response: Ok(SendResponse { exit_code: ExitCode::OK, return_data: None }),
    });
    let r: BurnReturn =
        call(&rt, ALICE, Method::Withdraw, &WithdrawParams { amount: atto(30) }).unwrap();
    assert_eq!(r.balance, atto(40));
    assert_eq!(rt.current_balance(), atto(40));
    assert_eq!(
        err(&rt, ALICE, Method::Withdraw, &WithdrawParams { amount: atto(41) }),
        ExitCode::USR_INSUFFICIENT_FUNDS
    );
    // A payout the recipient refuses fails the withdrawal.
    rt.expect_send(ExpectedSend {
        to: id(ALICE),
        method: METHOD_SEND,
        params: None,
        value: atto(1),
        response: Ok(SendResponse { exit_code: ExitCode::USR_FORBIDDEN, return_data: None }),
    });
    assert_eq!(
        err(&rt, ALICE, Method::Withdraw, &WithdrawParams { amount: atto(1) }),
        ExitCode::USR_FORBIDDEN
    );
    assert!(rt.all_sends_made());

    // A standard token has neither method.
    let std = token();
    assert_eq!(
        err(&std, ALICE, Method::Withdraw, &WithdrawParams { amount: atto(1) }),
        ExitCode::USR_FORBIDDEN
    );
}

// ---- re-entrancy helpers ----

#[test]
fn reload_sees_a_changed_root_only() {
    let rt = token();
    let root = rt.state_root().unwrap();
    assert!(reload(&rt, &root).unwrap().is_none());
    let mut other = st(&rt);
    other.paused = true;
    state::save(&rt, &other).unwrap();
    assert_eq!(reload(&rt, &root).unwrap(), Some(other));
}
