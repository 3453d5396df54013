//! AddBalance, WithdrawBalance and GetBalance.
mod common;

use actorlib_host_market::*;
use common::*;
use fvm_shared::address::Address;
use fvm_shared::econ::TokenAmount;
use fvm_shared::error::{ErrorNumber, ExitCode};
use fvm_shared::METHOD_SEND;

fn withdraw(
    rt: &actorlib_kit::FakeRuntime,
    who: u64,
    amount: i64,
) -> actorlib_kit::Result<TokenAmount> {
    withdraw_balance(
        rt,
        WithdrawBalanceParams {
            provider_or_client: Address::new_id(who),
            amount: TokenAmount::from_atto(amount),
        },
    )
}

#[test]
fn add_balance_requires_positive_value_and_a_resolvable_actor() {
    let rt = setup();
    rt.set_caller(CLIENT);
    let e = add_balance(&rt, Address::new_id(CLIENT)).unwrap_err();
    assert_eq!(e.code(), ExitCode::USR_ILLEGAL_ARGUMENT);
    rt.set_value(atto(5));
    assert_eq!(
        add_balance(&rt, Address::new_id(4242)).unwrap_err().code(),
        ExitCode::USR_ILLEGAL_ARGUMENT
    );
    // Resolvable but without code.
    rt.register(Address::new_actor(b"nocode"), 4343);
    assert_eq!(
        add_balance(&rt, Address::new_actor(b"nocode")).unwrap_err().code(),
        ExitCode::USR_ILLEGAL_ARGUMENT
    );
    // Anyone may top up anyone, by any address.
    rt.set_caller(STRANGER);
    add_balance(&rt, client_key()).unwrap();
    add_balance(&rt, Address::new_id(CLIENT)).unwrap();
    assert_eq!(balance(&rt, CLIENT), (atto(10), atto(0)));
    assert_eq!(get_balance(&rt, client_key()).unwrap().balance, atto(10));
}

#[test]
fn add_balance_to_a_miner_asks_for_its_control_addresses() {
    let rt = setup();
    add_balance_as(&rt, STRANGER, PROVIDER, 7);
    assert_eq!(balance(&rt, PROVIDER), (atto(7), atto(0)));
    assert_eq!(rt.sent().last().unwrap().method, ext::MINER_CONTROL_ADDRESSES);

    rt.set_value(atto(1));
    for response in
        [exit(ExitCode::USR_UNHANDLED_MESSAGE), Err(ErrorNumber::NotFound), ok(block(&1u64))]
    {
        expect(&rt, Address::new_id(PROVIDER), 2, None, TokenAmount::default(), response);
        assert_eq!(
            add_balance(&rt, Address::new_id(PROVIDER)).unwrap_err().code(),
            ExitCode::USR_ILLEGAL_ARGUMENT
        );
    }
}

#[test]
fn legacy_and_exported_add_balance() {
    let rt = setup();
    rt.set_caller(CLIENT);
    rt.set_value(atto(3));
    for m in [Method::AddBalance, Method::AddBalanceExported] {
        assert_eq!(invoke(&rt, m as u64, block(&Address::new_id(CLIENT))).unwrap(), None);
    }
    let ret = invoke(&rt, Method::GetBalanceExported as u64, block(&Address::new_id(CLIENT)))
        .unwrap()
        .unwrap();
    let r: GetBalanceReturn = ret.deserialize().unwrap();
    assert_eq!((r.balance, r.locked), (atto(6), atto(0)));
}

#[test]
fn get_balance_of_unknown_address_is_illegal_argument() {
    let rt = setup();
    assert_eq!(
        get_balance(&rt, Address::new_id(4242)).unwrap_err().code(),
        ExitCode::USR_ILLEGAL_ARGUMENT
    );
    // A known actor with no escrow has zero balances.
    assert_eq!(balance(&rt, STRANGER), (atto(0), atto(0)));
}

#[test]
fn client_withdraws_up_to_its_unlocked_escrow() {
    let rt = setup();
    add_balance_as(&rt, CLIENT, CLIENT, CLIENT_NEED + 50);
    add_balance_as(&rt, OWNER, PROVIDER, 1000);
    publish_one(&rt, 1);

    assert_eq!(withdraw(&rt, CLIENT, -1).unwrap_err().code(), ExitCode::USR_ILLEGAL_ARGUMENT);
    rt.set_caller(STRANGER);
    assert_eq!(withdraw(&rt, CLIENT, 1).unwrap_err().code(), ExitCode::USR_FORBIDDEN);

    rt.set_caller(CLIENT);
    expect(&rt, Address::new_id(CLIENT), METHOD_SEND, None, atto(20), ok(None));
    assert_eq!(withdraw(&rt, CLIENT, 20).unwrap(), atto(20));
    // Asking for more than is unlocked gives what is unlocked.
    expect(&rt, Address::new_id(CLIENT), METHOD_SEND, None, atto(30), ok(None));
    assert_eq!(withdraw(&rt, CLIENT, 1_000_000_000).unwrap(), atto(30));
    // Nothing left: a zero transfer, zero returned.
    expect(&rt, Address::new_id(CLIENT), METHOD_SEND, None, atto(0), ok(None));
    assert_eq!(withdraw(&rt, CLIENT, 5).unwrap(), atto(0));
    assert!(rt.all_sends_made());
    assert_eq!(balance(&rt, CLIENT), (atto(CLIENT_NEED), atto(CLIENT_NEED)));
}

#[test]
fn withdraw_through_the_exported_number_returns_a_bare_amount() {
    let rt = setup();
    add_balance_as(&rt, CLIENT, CLIENT, 9);
    rt.set_caller(CLIENT);
    expect(&rt, Address::new_id(CLIENT), METHOD_SEND, None, atto(4), ok(None));
    let params =
        block(&WithdrawBalanceParams { provider_or_client: client_key(), amount: atto(4) });
    let ret = invoke(&rt, Method::WithdrawBalanceExported as u64, params).unwrap().unwrap();
    assert_eq!(ret.deserialize::<TokenAmount>().unwrap(), atto(4));
    assert_eq!(balance(&rt, CLIENT).0, atto(5));
}

#[test]
fn miner_funds_go_to_the_owner_and_owner_or_worker_may_withdraw() {
    let rt = setup();
    add_balance_as(&rt, OWNER, PROVIDER, 100);
    for caller in [OWNER, WORKER] {
        rt.set_caller(caller);
        expect_control_addresses(&rt, PROVIDER);
        expect(&rt, Address::new_id(OWNER), METHOD_SEND, None, atto(10), ok(None));
        assert_eq!(withdraw(&rt, PROVIDER, 10).unwrap(), atto(10));
    }
    for caller in [STRANGER, PROVIDER] {
        rt.set_caller(caller);
        expect_control_addresses(&rt, PROVIDER);
        assert_eq!(withdraw(&rt, PROVIDER, 10).unwrap_err().code(), ExitCode::USR_FORBIDDEN);
    }
    rt.set_caller(OWNER);
    expect(
        &rt,
        Address::new_id(PROVIDER),
        2,
        None,
        TokenAmount::default(),
        exit(ExitCode::USR_FORBIDDEN),
    );
    assert_eq!(withdraw(&rt, PROVIDER, 10).unwrap_err().code(), ExitCode::USR_ILLEGAL_ARGUMENT);
    assert!(rt.all_sends_made());
    assert_eq!(balance(&rt, PROVIDER).0, atto(80));
}

#[test]
fn failed_transfer_fails_the_withdrawal() {
    let rt = setup();
    add_balance_as(&rt, CLIENT, CLIENT, 9);
    rt.set_caller(CLIENT);
    expect(
        &rt,
        Address::new_id(CLIENT),
        METHOD_SEND,
        None,
        atto(9),
        Err(ErrorNumber::InsufficientFunds),
    );
    assert_eq!(withdraw(&rt, CLIENT, 9).unwrap_err().code(), ExitCode::USR_INSUFFICIENT_FUNDS);
}
