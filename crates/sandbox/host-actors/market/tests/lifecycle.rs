//! Deal getters in every lifecycle state, and the sandbox-only activation, termination and cron.
mod common;

use actorlib_host_market::*;
use actorlib_kit::events::{event_field, event_type};
use actorlib_kit::{FakeRuntime, Result};
use common::*;
use fvm_ipld_encoding::ipld_block::IpldBlock;
use fvm_shared::address::Address;
use fvm_shared::econ::TokenAmount;
use fvm_shared::error::ExitCode;
use fvm_shared::METHOD_SEND;

/// Every getter's answer (or exit code) for one deal, through `invoke` with the exported numbers.
#[derive(Debug)]
struct Answers {
    codes: Vec<(Method, u32)>,
}

const GETTERS: [Method; 11] = [
    Method::GetDealDataCommitmentExported,
    Method::GetDealClientExported,
    Method::GetDealProviderExported,
    Method::GetDealLabelExported,
    Method::GetDealTermExported,
    Method::GetDealTotalPriceExported,
    Method::GetDealClientCollateralExported,
    Method::GetDealProviderCollateralExported,
    Method::GetDealVerifiedExported,
    Method::GetDealActivationExported,
    Method::GetDealSectorExported,
];

fn call(rt: &FakeRuntime, m: Method, id: DealID) -> Result<Option<IpldBlock>> {
    rt.set_caller(STRANGER);
    invoke(rt, m as u64, block(&id))
}

fn codes(rt: &FakeRuntime, id: DealID) -> Answers {
    let codes = GETTERS
        .iter()
        .map(|&m| (m, call(rt, m, id).err().map(|e| e.code().value()).unwrap_or(0)))
        .collect();
    Answers { codes }
}

fn assert_all(rt: &FakeRuntime, id: DealID, code: u32) {
    for (m, c) in codes(rt, id).codes {
        assert_eq!(c, code, "{m:?} for deal {id}");
    }
}

/// A published, unactivated deal: every getter but GetDealSector (33) answers.
fn assert_published(rt: &FakeRuntime, id: DealID) {
    for (m, c) in codes(rt, id).codes {
        let want = if m == Method::GetDealSectorExported { 33 } else { 0 };
        assert_eq!(c, want, "{m:?} for deal {id}");
    }
    assert_eq!(activation(rt, id), GetDealActivationReturn { activated: -1, terminated: -1 });
}

fn activation(rt: &FakeRuntime, id: DealID) -> GetDealActivationReturn {
    call(rt, Method::GetDealActivationExported, id).unwrap().unwrap().deserialize().unwrap()
}

fn activate(rt: &FakeRuntime, ids: Vec<DealID>, sector: u64, epoch: i64) -> Result<()> {
    as_system(rt, epoch);
    sandbox_activate_deals(rt, SandboxActivateDealsParams { deal_ids: ids, sector_number: sector })
}

fn terminate(
    rt: &FakeRuntime,
    ids: Vec<DealID>,
    epoch: i64,
) -> Result<SandboxTerminateDealsReturn> {
    as_system(rt, epoch);
    sandbox_terminate_deals(rt, SandboxTerminateDealsParams { deal_ids: ids })
}

fn cron(rt: &FakeRuntime, epoch: i64) -> Result<SandboxCronTickReturn> {
    as_system(rt, epoch);
    sandbox_cron_tick(rt, ())
}

fn expect_burn(rt: &FakeRuntime, amount: u64) {
    expect(rt, Address::new_id(BURNT), METHOD_SEND, None, atto(amount), ok(None));
}

#[test]
fn never_published_deals_are_not_found() {
    let rt = setup();
    assert_all(&rt, 0, 17);
    fund(&rt);
    let id = publish_one(&rt, 1);
    assert_all(&rt, id + 1, 17);
    assert_all(&rt, u64::MAX, 17);
}

#[test]
fn published_deal_getters_answer_with_the_proposal() {
    let rt = setup();
    fund(&rt);
    let id = publish_one(&rt, 1);
    let p = proposal(1);
    let get = |m: Method| call(&rt, m, id).unwrap().unwrap();

    let dc: GetDealDataCommitmentReturn =
        get(Method::GetDealDataCommitmentExported).deserialize().unwrap();
    assert_eq!((dc.data, dc.size), (p.piece_cid, 2048));
    assert_eq!(get(Method::GetDealClientExported).deserialize::<u64>().unwrap(), CLIENT);
    assert_eq!(get(Method::GetDealProviderExported).deserialize::<u64>().unwrap(), PROVIDER);
    assert_eq!(get(Method::GetDealLabelExported).deserialize::<Label>().unwrap(), p.label);
    // The label comes back as a bare CBOR text string.
    assert_eq!(
        get(Method::GetDealLabelExported).data,
        fvm_ipld_encoding::to_vec("deal 1").unwrap()
    );
    let term: GetDealTermReturn = get(Method::GetDealTermExported).deserialize().unwrap();
    assert_eq!((term.start, term.duration), (START, MIN_DURATION));
    assert_eq!(
        get(Method::GetDealTotalPriceExported).deserialize::<TokenAmount>().unwrap(),
        atto(PRICE * MIN_DURATION as u64)
    );
    assert_eq!(
        get(Method::GetDealClientCollateralExported).deserialize::<TokenAmount>().unwrap(),
        atto(CLIENT_COLLATERAL)
    );
    assert_eq!(
        get(Method::GetDealProviderCollateralExported).deserialize::<TokenAmount>().unwrap(),
        atto(PROVIDER_COLLATERAL)
    );
    assert!(!get(Method::GetDealVerifiedExported).deserialize::<bool>().unwrap());
    assert_eq!(activation(&rt, id), GetDealActivationReturn { activated: -1, terminated: -1 });
    let e = call(&rt, Method::GetDealSectorExported, id).unwrap_err();
    assert_eq!(e.code(), EX_DEAL_NOT_ACTIVATED);
    assert_published(&rt, id);
}

#[test]
fn activation_sets_epoch_and_sector_and_emits() {
    let rt = setup();
    fund(&rt);
    let a = publish_one(&rt, 1);
    let b = publish_one(&rt, 2);
    rt.clear_events();
    activate(&rt, vec![a, b], 42, 60).unwrap();
    assert_eq!(activation(&rt, a), GetDealActivationReturn { activated: 60, terminated: -1 });
    let sector = call(&rt, Method::GetDealSectorExported, b).unwrap().unwrap();
    assert_eq!(sector.deserialize::<u64>().unwrap(), 42);
    assert_all(&rt, a, 0);
    let events = rt.events();
    assert_eq!(events.len(), 2);
    assert_eq!(event_type(&events[0]).as_deref(), Some("deal-activated"));
    assert_eq!(event_field::<u64>(&events[1], "id"), Some(b));
    assert_eq!(event_field::<u64>(&events[1], "client"), Some(CLIENT));
    assert_eq!(event_field::<u64>(&events[1], "provider"), Some(PROVIDER));
    // Activation does not move funds.
    assert_eq!(balance(&rt, CLIENT).1, atto(2 * CLIENT_NEED));
}

#[test]
fn activation_errors() {
    let rt = setup();
    fund(&rt);
    let id = publish_one(&rt, 1);
    rt.set_caller(OWNER);
    let e = sandbox_activate_deals(
        &rt,
        SandboxActivateDealsParams { deal_ids: vec![id], sector_number: 1 },
    );
    assert_eq!(e.unwrap_err().code(), ExitCode::USR_FORBIDDEN);
    assert_eq!(activate(&rt, vec![id + 1], 1, 0).unwrap_err().code(), ExitCode::USR_NOT_FOUND);
    assert_eq!(activate(&rt, vec![u64::MAX], 1, 0).unwrap_err().code(), ExitCode::USR_NOT_FOUND);
    assert_eq!(activate(&rt, vec![id], 1, START + 1).unwrap_err().code(), EX_DEAL_EXPIRED);
    // A repeated ID fails the whole batch.
    assert_eq!(
        activate(&rt, vec![id, id], 1, START).unwrap_err().code(),
        ExitCode::USR_ILLEGAL_ARGUMENT
    );
    activate(&rt, vec![id], 1, START).unwrap();
    assert_eq!(
        activate(&rt, vec![id], 1, START).unwrap_err().code(),
        ExitCode::USR_ILLEGAL_ARGUMENT
    );
}

#[test]
fn termination_pays_elapsed_epochs_slashes_burns_and_removes() {
    let rt = setup();
    fund(&rt);
    let id = publish_one(&rt, 1);
    let keep = publish_one(&rt, 2);
    activate(&rt, vec![id, keep], 7, 50).unwrap();
    rt.clear_events();
    let before = rt.current_balance_for_tests();
    expect_burn(&rt, PROVIDER_COLLATERAL);
    let r = terminate(&rt, vec![id], START + 1000).unwrap();
    assert!(rt.all_sends_made());
    assert_eq!(r.terminated, vec![id]);
    assert_eq!(before - rt.current_balance_for_tests(), atto(PROVIDER_COLLATERAL));

    // The provider earned 1000 epochs; the client keeps the rest of the fee and its collateral,
    // with only the other deal still locked.
    let paid = PRICE * 1000;
    assert_eq!(balance(&rt, CLIENT), (atto(10 * CLIENT_NEED - paid), atto(CLIENT_NEED)));
    assert_eq!(
        balance(&rt, PROVIDER),
        (atto(10 * PROVIDER_COLLATERAL - PROVIDER_COLLATERAL + paid), atto(PROVIDER_COLLATERAL))
    );
    let events = rt.events();
    assert_eq!(events.len(), 1);
    assert_eq!(event_type(&events[0]).as_deref(), Some("deal-terminated"));
    assert_eq!(event_field::<u64>(&events[0], "id"), Some(id));

    // Gone: every getter answers 32.
    assert_all(&rt, id, 32);
    assert_all(&rt, keep, 0);
    assert_eq!(terminate(&rt, vec![id], START + 1001).unwrap_err().code(), EX_DEAL_EXPIRED);
}

#[test]
fn termination_errors_and_skips() {
    let rt = setup();
    fund(&rt);
    let idle = publish_one(&rt, 1);
    let active = publish_one(&rt, 2);
    activate(&rt, vec![active], 1, 10).unwrap();
    rt.set_caller(WORKER);
    let e = sandbox_terminate_deals(&rt, SandboxTerminateDealsParams { deal_ids: vec![active] });
    assert_eq!(e.unwrap_err().code(), ExitCode::USR_FORBIDDEN);
    assert_eq!(terminate(&rt, vec![idle], 20).unwrap_err().code(), EX_DEAL_NOT_ACTIVATED);
    assert_eq!(terminate(&rt, vec![99], 20).unwrap_err().code(), ExitCode::USR_NOT_FOUND);
    // A deal that has ended is left to cron: nothing terminated, nothing burnt.
    rt.clear_events();
    let r = terminate(&rt, vec![active], END).unwrap();
    assert!(r.terminated.is_empty());
    assert!(rt.events().is_empty());
    assert_all(&rt, active, 0);
    // Terminating before the start epoch pays nothing.
    expect_burn(&rt, PROVIDER_COLLATERAL);
    terminate(&rt, vec![active], 20).unwrap();
    assert_eq!(balance(&rt, CLIENT), (atto(10 * CLIENT_NEED), atto(CLIENT_NEED)));
}

#[test]
fn cron_completes_ended_deals_and_expires_unactivated_ones() {
    let rt = setup();
    fund(&rt);
    let done = publish_one(&rt, 1);
    let idle = publish_one(&rt, 2);
    activate(&rt, vec![done], 3, START).unwrap();
    rt.clear_events();

    // Nothing to do at the start epoch.
    assert_eq!(cron(&rt, START).unwrap(), SandboxCronTickReturn::default());
    assert_published(&rt, idle);

    // Past start: the unactivated deal expires; its collateral is burnt; no event.
    expect_burn(&rt, PROVIDER_COLLATERAL);
    let r = cron(&rt, START + 1).unwrap();
    assert!(rt.all_sends_made());
    assert_eq!((r.completed, r.expired), (vec![], vec![idle]));
    assert!(rt.events().is_empty());
    assert_all(&rt, idle, 32);
    assert_eq!(balance(&rt, CLIENT), (atto(10 * CLIENT_NEED), atto(CLIENT_NEED)));
    assert_eq!(balance(&rt, PROVIDER), (atto(9 * PROVIDER_COLLATERAL), atto(PROVIDER_COLLATERAL)));

    // Before the end: still active.
    assert_eq!(cron(&rt, END - 1).unwrap(), SandboxCronTickReturn::default());
    // At the end: completed, provider paid the whole fee, everything unlocked.
    let r = cron(&rt, END).unwrap();
    assert_eq!((r.completed, r.expired), (vec![done], vec![]));
    let fee = PRICE * MIN_DURATION as u64;
    assert_eq!(balance(&rt, CLIENT), (atto(10 * CLIENT_NEED - fee), atto(0)));
    assert_eq!(balance(&rt, PROVIDER), (atto(9 * PROVIDER_COLLATERAL + fee), atto(0)));
    let events = rt.events();
    assert_eq!(events.len(), 1);
    assert_eq!(event_type(&events[0]).as_deref(), Some("deal-completed"));
    assert_eq!(event_field::<u64>(&events[0], "id"), Some(done));
    assert_all(&rt, done, 32);

    // The provider can now withdraw its earnings.
    rt.set_caller(OWNER);
    expect_control_addresses(&rt, PROVIDER);
    expect(
        &rt,
        Address::new_id(OWNER),
        METHOD_SEND,
        None,
        atto(9 * PROVIDER_COLLATERAL + fee),
        ok(None),
    );
    let w = withdraw_balance(
        &rt,
        WithdrawBalanceParams {
            provider_or_client: Address::new_id(PROVIDER),
            amount: atto(u64::MAX),
        },
    )
    .unwrap();
    assert_eq!(w, atto(9 * PROVIDER_COLLATERAL + fee));
}

#[test]
fn cron_is_system_only_and_routes_through_invoke() {
    let rt = setup();
    rt.set_caller(CLIENT);
    assert_eq!(sandbox_cron_tick(&rt, ()).unwrap_err().code(), ExitCode::USR_FORBIDDEN);
    as_system(&rt, 5);
    let ret = invoke(&rt, Method::SandboxCronTick as u64, None).unwrap().unwrap();
    assert_eq!(
        ret.deserialize::<SandboxCronTickReturn>().unwrap(),
        SandboxCronTickReturn::default()
    );
    let params = block(&SandboxActivateDealsParams { deal_ids: vec![0], sector_number: 1 });
    let e = invoke(&rt, Method::SandboxActivateDeals as u64, params).unwrap_err();
    assert_eq!(e.code(), ExitCode::USR_NOT_FOUND);
    let params = block(&SandboxTerminateDealsParams { deal_ids: vec![] });
    let ret = invoke(&rt, Method::SandboxTerminateDeals as u64, params).unwrap().unwrap();
    assert!(ret.deserialize::<SandboxTerminateDealsReturn>().unwrap().terminated.is_empty());
}

#[test]
fn constructor_and_unknown_methods() {
    let rt = FakeRuntime::new(MARKET);
    rt.set_code(SYSTEM, code(1), Some(1));
    rt.set_code(CLIENT, account_code(), Some(4));
    rt.set_caller(CLIENT);
    assert_eq!(constructor(&rt, ()).unwrap_err().code(), ExitCode::USR_FORBIDDEN);
    rt.set_caller(SYSTEM);
    assert_eq!(invoke(&rt, Method::Constructor as u64, None).unwrap(), None);
    assert_eq!(next_id(&rt), 0);
    for m in [5, 6, 7, 9, 1900091594] {
        assert_eq!(invoke(&rt, m, None).unwrap_err().code(), ExitCode::USR_UNHANDLED_MESSAGE);
    }
}

/// The actor's FIL balance as the fake runtime tracks it.
trait BalanceExt {
    fn current_balance_for_tests(&self) -> TokenAmount;
}

impl BalanceExt for FakeRuntime {
    fn current_balance_for_tests(&self) -> TokenAmount {
        actorlib_kit::Runtime::current_balance(self)
    }
}

#[test]
fn legacy_numbers_are_for_builtin_callers() {
    let rt = setup();
    let user_actor = 2000;
    rt.set_code(user_actor, code(200), None);
    rt.set_code(2001, code(14), Some(14)); // an EVM contract
    let before = rt.state_root();
    // Every number below 2^24 (the constructor, legacy methods, unknown and sandbox-only numbers)
    // fails with 18 before anything else, even with value attached.
    for caller in [user_actor, 2001] {
        rt.set_caller(caller);
        rt.set_value(atto(5));
        for m in [1, 2, 3, 4, 5, 9, 1000, 1001, 1002] {
            let e = invoke(&rt, m, block(&Address::new_id(CLIENT))).unwrap_err();
            assert_eq!(e.code(), ExitCode::USR_FORBIDDEN, "caller {caller} method {m}");
        }
    }
    assert_eq!(rt.state_root(), before);
    // The exported AddBalance works for them; the legacy one for an account.
    rt.set_caller(user_actor);
    rt.set_value(atto(5));
    let exported = Method::AddBalanceExported as u64;
    assert_eq!(invoke(&rt, exported, block(&Address::new_id(CLIENT))).unwrap(), None);
    rt.set_caller(STRANGER);
    rt.set_value(atto(2));
    let legacy = Method::AddBalance as u64;
    assert_eq!(invoke(&rt, legacy, block(&Address::new_id(CLIENT))).unwrap(), None);
    assert_eq!(balance(&rt, CLIENT), (atto(7), atto(0)));
}
