//! Host-side tests of every method through `invoke`, with a `FakeRuntime`.
use actorlib_kit::runtime::fake::ExpectedSend;
use actorlib_kit::runtime::SendResponse;
use actorlib_kit::FakeRuntime;
use cid::multihash::Multihash;
use cid::Cid;
use fvm_ipld_encoding::BytesDe;
use fvm_shared::error::ExitCode;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::*;
use crate::state::{BeneficiaryTerm, PendingBeneficiaryChange};

const MINER: u64 = 1000;
const OWNER: u64 = 100;
const WORKER: u64 = 101;
const CONTROL: u64 = 102;
const BEN: u64 = 103;
const OTHER: u64 = 104;
const NEW_WORKER: u64 = 105;
const CONTRACT: u64 = 106;

fn id(n: u64) -> Address {
    Address::new_id(n)
}
fn atto(n: i64) -> TokenAmount {
    TokenAmount::from_atto(n)
}
fn key(n: u8) -> Address {
    Address::new_secp256k1(&[n; 65]).unwrap()
}
fn code_cid(name: &str) -> Cid {
    Cid::new_v1(0x55, Multihash::<64>::wrap(0, name.as_bytes()).unwrap())
}

/// Calls `method` as `caller` with `params` (CBOR; `()` for none).
fn call<P: Serialize>(
    rt: &FakeRuntime,
    caller: u64,
    method: Method,
    params: &P,
) -> Result<Option<IpldBlock>> {
    call_n(rt, caller, method as u64, params)
}
fn call_n<P: Serialize>(
    rt: &FakeRuntime,
    caller: u64,
    method: u64,
    params: &P,
) -> Result<Option<IpldBlock>> {
    rt.set_caller(caller);
    rt.set_method(method);
    invoke(rt, method, actorlib_kit::params::params(params).unwrap())
}
fn ret<T: DeserializeOwned>(r: Result<Option<IpldBlock>>) -> T {
    actorlib_kit::params::decode(r.unwrap()).unwrap()
}
fn exit(r: Result<Option<IpldBlock>>) -> u32 {
    r.unwrap_err().code().value()
}
fn expect_transfer(rt: &FakeRuntime, to: u64, amount: i64) {
    rt.expect_send(ExpectedSend {
        to: id(to),
        method: 0,
        params: None,
        value: atto(amount),
        response: Ok(SendResponse { exit_code: ExitCode::OK, return_data: None }),
    });
}

fn constructor_params() -> ConstructorParams {
    ConstructorParams {
        owner: key(1),
        worker: key(2),
        control_addresses: vec![id(CONTROL)],
        sector_size: 32 << 30,
        peer_id: b"peer".to_vec(),
        multiaddrs: vec![BytesDe(b"/ip4/1.2.3.4".to_vec())],
    }
}

/// A runtime with the miner's neighbours registered but no miner state.
fn bare() -> FakeRuntime {
    let rt = FakeRuntime::new(MINER);
    let account = code_cid("account");
    for n in [OWNER, WORKER, CONTROL, BEN, OTHER, NEW_WORKER] {
        rt.set_code(n, account, Some(BuiltinType::Account as i32));
    }
    rt.set_code(CONTRACT, code_cid("evm"), Some(BuiltinType::Evm as i32));
    rt.register(key(1), OWNER);
    rt.register(key(2), WORKER);
    rt.register(key(5), NEW_WORKER);
    rt
}

/// A constructed miner: owner 100 (also beneficiary), worker 101, control 102, balance 0.
fn setup() -> FakeRuntime {
    let rt = bare();
    call(&rt, INIT_ACTOR_ID, Method::Constructor, &constructor_params()).unwrap();
    rt
}

fn beneficiary(rt: &FakeRuntime) -> GetBeneficiaryReturn {
    ret(call(rt, OTHER, Method::GetBeneficiary, &()))
}

fn change_beneficiary_params(to: u64, quota: i64, expiration: i64) -> ChangeBeneficiaryParams {
    ChangeBeneficiaryParams {
        new_beneficiary: id(to),
        new_quota: atto(quota),
        new_expiration: expiration,
    }
}

/// Makes BEN the beneficiary with the given quota and expiration (owner proposes, BEN approves).
fn set_beneficiary(rt: &FakeRuntime, quota: i64, expiration: i64) {
    let p = change_beneficiary_params(BEN, quota, expiration);
    call(rt, OWNER, Method::ChangeBeneficiary, &p).unwrap();
    call(rt, BEN, Method::ChangeBeneficiaryExported, &p).unwrap();
    assert_eq!(beneficiary(rt).active.beneficiary, id(BEN));
}

#[test]
fn constructor_stores_resolved_addresses() {
    let rt = setup();
    let c: GetControlAddressesReturn = ret(call(&rt, OTHER, Method::ControlAddresses, &()));
    assert_eq!(
        c,
        GetControlAddressesReturn {
            owner: id(OWNER),
            worker: id(WORKER),
            control_addresses: vec![id(CONTROL)]
        }
    );
    let b = beneficiary(&rt);
    assert_eq!(
        b,
        GetBeneficiaryReturn {
            active: ActiveBeneficiary { beneficiary: id(OWNER), term: BeneficiaryTerm::default() },
            proposed: None,
        }
    );
    let o: GetOwnerReturn = ret(call(&rt, OTHER, Method::GetOwnerExported, &()));
    assert_eq!(o, GetOwnerReturn { owner: id(OWNER), proposed: None });
    let s: u64 = ret(call(&rt, OTHER, Method::GetSectorSizeExported, &()));
    assert_eq!(s, 32 << 30);
    let p: GetPeerIDReturn = ret(call(&rt, OTHER, Method::GetPeerIDExported, &()));
    assert_eq!(p.peer_id, b"peer".to_vec());
    let m: GetMultiaddrsReturn = ret(call(&rt, OTHER, Method::GetMultiaddrsExported, &()));
    assert_eq!(m.multi_addrs, vec![BytesDe(b"/ip4/1.2.3.4".to_vec())]);
    let v: GetVestingFundsReturn = ret(call(&rt, OTHER, Method::GetVestingFundsExported, &()));
    assert!(v.vesting_funds.is_empty());
    let a: TokenAmount = ret(call(&rt, OTHER, Method::GetAvailableBalanceExported, &()));
    assert_eq!(a, atto(0));
}

#[test]
fn constructor_accepts_system_caller() {
    let rt = bare();
    call(&rt, SYSTEM_ACTOR_ID, Method::Constructor, &constructor_params()).unwrap();
    assert!(rt.state_root().is_some());
}

#[test]
fn constructor_errors() {
    let rt = bare();
    assert_eq!(exit(call(&rt, OWNER, Method::Constructor, &constructor_params())), 18);
    let cases: Vec<(&str, ConstructorParams)> = vec![
        (
            "controls",
            ConstructorParams { control_addresses: vec![id(CONTROL); 11], ..constructor_params() },
        ),
        ("peer id", ConstructorParams { peer_id: vec![0; 129], ..constructor_params() }),
        (
            "empty multiaddr",
            ConstructorParams { multiaddrs: vec![BytesDe(vec![])], ..constructor_params() },
        ),
        ("sector size", ConstructorParams { sector_size: 1 << 30, ..constructor_params() }),
        ("owner", ConstructorParams { owner: key(9), ..constructor_params() }),
        ("worker unresolvable", ConstructorParams { worker: key(9), ..constructor_params() }),
        ("worker not account", ConstructorParams { worker: id(CONTRACT), ..constructor_params() }),
        ("control", ConstructorParams { control_addresses: vec![key(9)], ..constructor_params() }),
    ];
    for (what, p) in cases {
        assert_eq!(exit(call(&rt, INIT_ACTOR_ID, Method::Constructor, &p)), 16, "{what}");
    }
    assert!(rt.state_root().is_none());
    // A contract may be the owner or a control address (any resolvable actor).
    let p = ConstructorParams {
        owner: id(CONTRACT),
        control_addresses: vec![id(CONTRACT)],
        ..constructor_params()
    };
    call(&rt, INIT_ACTOR_ID, Method::Constructor, &p).unwrap();
}

#[test]
fn is_controlling_address() {
    let rt = setup();
    let check =
        |a: Address| -> bool { ret(call(&rt, OTHER, Method::IsControllingAddressExported, &a)) };
    assert!(check(id(OWNER)));
    assert!(check(key(1)));
    assert!(check(key(2)));
    assert!(check(id(CONTROL)));
    assert!(!check(id(OTHER)));
    // Unresolvable: false, not an error.
    assert!(!check(key(9)));
    assert!(!check(id(9999)));
}

#[test]
fn change_worker_address_flow() {
    let rt = setup();
    rt.set_epoch(100);
    let params = |w: Address, c: Vec<Address>| ChangeWorkerAddressParams {
        new_worker: w,
        new_control_addresses: c,
    };
    // Parameter checks come first (16), then the caller (18).
    let cases = [
        params(key(5), vec![id(CONTROL); 11]),
        params(key(9), vec![]),
        params(id(CONTRACT), vec![]),
        params(key(5), vec![key(9)]),
    ];
    for p in cases {
        assert_eq!(exit(call(&rt, OWNER, Method::ChangeWorkerAddress, &p)), 16, "{p:?}");
        assert_eq!(exit(call(&rt, OTHER, Method::ChangeWorkerAddress, &p)), 16, "{p:?}");
    }
    let good = params(key(5), vec![id(OTHER), key(1)]);
    assert_eq!(exit(call(&rt, WORKER, Method::ChangeWorkerAddress, &good)), 18);
    call(&rt, OWNER, Method::ChangeWorkerAddressExported, &good).unwrap();
    let c: GetControlAddressesReturn = ret(call(&rt, OTHER, Method::ControlAddresses, &()));
    assert_eq!(c.worker, id(WORKER));
    assert_eq!(c.control_addresses, vec![id(OTHER), id(OWNER)]);
    let st: State = actorlib_kit::state::load(&rt).unwrap();
    assert_eq!(
        st.info.pending_worker_key,
        Some(state::WorkerKeyChange { new_worker: id(NEW_WORKER), effective_at: 1000 })
    );
    // Too early: no change, no error.
    rt.set_epoch(999);
    call(&rt, OWNER, Method::ConfirmChangeWorkerAddress, &()).unwrap();
    let c: GetControlAddressesReturn = ret(call(&rt, OTHER, Method::ControlAddresses, &()));
    assert_eq!(c.worker, id(WORKER));
    rt.set_epoch(1000);
    assert_eq!(exit(call(&rt, WORKER, Method::ConfirmChangeWorkerAddressExported, &())), 18);
    call(&rt, OWNER, Method::ConfirmChangeWorkerAddressExported, &()).unwrap();
    let c: GetControlAddressesReturn = ret(call(&rt, OTHER, Method::ControlAddresses, &()));
    assert_eq!(c.worker, id(NEW_WORKER));
    let st: State = actorlib_kit::state::load(&rt).unwrap();
    assert_eq!(st.info.pending_worker_key, None);
    // Nothing pending: confirming is a no-op.
    call(&rt, OWNER, Method::ConfirmChangeWorkerAddress, &()).unwrap();
    // Clearing the control list.
    call(&rt, OWNER, Method::ChangeWorkerAddress, &params(id(NEW_WORKER), vec![])).unwrap();
    let c: GetControlAddressesReturn = ret(call(&rt, OTHER, Method::ControlAddresses, &()));
    assert!(c.control_addresses.is_empty());
    let st: State = actorlib_kit::state::load(&rt).unwrap();
    assert_eq!(st.info.pending_worker_key, None);
}

#[test]
fn change_owner_address_flow() {
    let rt = setup();
    let owner = || -> GetOwnerReturn { ret(call(&rt, OTHER, Method::GetOwnerExported, &())) };
    assert_eq!(exit(call(&rt, OWNER, Method::ChangeOwnerAddress, &key(5))), 16);
    assert_eq!(exit(call(&rt, OTHER, Method::ChangeOwnerAddress, &id(OTHER))), 18);
    call(&rt, OWNER, Method::ChangeOwnerAddress, &id(OTHER)).unwrap();
    assert_eq!(owner(), GetOwnerReturn { owner: id(OWNER), proposed: Some(id(OTHER)) });
    assert_eq!(exit(call(&rt, WORKER, Method::ChangeOwnerAddressExported, &id(OTHER))), 18);
    assert_eq!(exit(call(&rt, OTHER, Method::ChangeOwnerAddressExported, &id(WORKER))), 16);
    // A pending beneficiary proposal is cancelled by the owner change.
    call(&rt, OWNER, Method::ChangeBeneficiary, &change_beneficiary_params(BEN, 10, 100)).unwrap();
    assert!(beneficiary(&rt).proposed.is_some());
    call(&rt, OTHER, Method::ChangeOwnerAddressExported, &id(OTHER)).unwrap();
    assert_eq!(owner(), GetOwnerReturn { owner: id(OTHER), proposed: None });
    let b = beneficiary(&rt);
    assert_eq!(b.active.beneficiary, id(OTHER));
    assert_eq!(b.proposed, None);
    // Withdrawals now go to the new owner; the old owner may not withdraw.
    rt.set_balance(atto(50));
    assert_eq!(
        exit(call(
            &rt,
            OWNER,
            Method::WithdrawBalance,
            &WithdrawBalanceParams { amount_requested: atto(1) }
        )),
        18
    );
    expect_transfer(&rt, OTHER, 50);
    let w: TokenAmount = ret(call(
        &rt,
        OTHER,
        Method::WithdrawBalance,
        &WithdrawBalanceParams { amount_requested: atto(80) },
    ));
    assert_eq!(w, atto(50));
    assert!(rt.all_sends_made());
}

#[test]
fn owner_proposing_itself_revokes_proposal() {
    let rt = setup();
    call(&rt, OWNER, Method::ChangeOwnerAddress, &id(OTHER)).unwrap();
    call(&rt, OWNER, Method::ChangeOwnerAddressExported, &id(OWNER)).unwrap();
    let o: GetOwnerReturn = ret(call(&rt, OTHER, Method::GetOwnerExported, &()));
    assert_eq!(o.proposed, None);
    assert_eq!(exit(call(&rt, OTHER, Method::ChangeOwnerAddress, &id(OTHER))), 18);
}

#[test]
fn owner_change_keeps_a_separate_beneficiary() {
    let rt = setup();
    set_beneficiary(&rt, 100, 1000);
    call(&rt, OWNER, Method::ChangeOwnerAddress, &id(OTHER)).unwrap();
    call(&rt, OTHER, Method::ChangeOwnerAddress, &id(OTHER)).unwrap();
    let b = beneficiary(&rt);
    assert_eq!(b.active.beneficiary, id(BEN));
    assert_eq!(b.active.term.quota, atto(100));
}

#[test]
fn peer_id_and_multiaddrs() {
    let rt = setup();
    for (caller, n) in [(OWNER, 1u8), (WORKER, 2), (CONTROL, 3)] {
        call(&rt, caller, Method::ChangePeerID, &ChangePeerIDParams { new_id: vec![n] }).unwrap();
        let p: GetPeerIDReturn = ret(call(&rt, OTHER, Method::GetPeerIDExported, &()));
        assert_eq!(p.peer_id, vec![n]);
        let ma =
            ChangeMultiaddrsParams { new_multi_addrs: vec![BytesDe(vec![n]), BytesDe(vec![n, n])] };
        call(&rt, caller, Method::ChangeMultiaddrsExported, &ma).unwrap();
        let m: GetMultiaddrsReturn = ret(call(&rt, OTHER, Method::GetMultiaddrsExported, &()));
        assert_eq!(m.multi_addrs, ma.new_multi_addrs);
    }
    call(&rt, OWNER, Method::ChangePeerIDExported, &ChangePeerIDParams { new_id: vec![] }).unwrap();
    call(&rt, OWNER, Method::ChangeMultiaddrs, &ChangeMultiaddrsParams { new_multi_addrs: vec![] })
        .unwrap();
    assert_eq!(
        exit(call(&rt, OTHER, Method::ChangePeerID, &ChangePeerIDParams { new_id: vec![1] })),
        18
    );
    assert_eq!(
        exit(call(
            &rt,
            OTHER,
            Method::ChangeMultiaddrs,
            &ChangeMultiaddrsParams { new_multi_addrs: vec![] }
        )),
        18
    );
    assert_eq!(
        exit(call(&rt, OWNER, Method::ChangePeerID, &ChangePeerIDParams { new_id: vec![0; 129] })),
        16
    );
    let empty = ChangeMultiaddrsParams { new_multi_addrs: vec![BytesDe(vec![])] };
    assert_eq!(exit(call(&rt, OWNER, Method::ChangeMultiaddrs, &empty)), 16);
    let big = ChangeMultiaddrsParams { new_multi_addrs: vec![BytesDe(vec![1; 1025])] };
    assert_eq!(exit(call(&rt, OWNER, Method::ChangeMultiaddrs, &big)), 16);
}

#[test]
fn beneficiary_full_fip29_sequence() {
    let rt = setup();
    rt.set_balance(atto(1000));
    // 1. Owner proposes BEN: pre-approved for the owner-beneficiary with its zero term.
    let p1 = change_beneficiary_params(BEN, 100, 500);
    call(&rt, OWNER, Method::ChangeBeneficiaryExported, &p1).unwrap();
    let b = beneficiary(&rt);
    assert_eq!(b.active.beneficiary, id(OWNER));
    assert_eq!(
        b.proposed,
        Some(PendingBeneficiaryChange {
            new_beneficiary: id(BEN),
            new_quota: atto(100),
            new_expiration: 500,
            approved_by_beneficiary: true,
            approved_by_nominee: false,
        })
    );
    // 2. The nominee approves: in force.
    call(&rt, BEN, Method::ChangeBeneficiary, &p1).unwrap();
    let b: GetBeneficiaryReturn = ret(call(&rt, OTHER, Method::GetBeneficiaryExported, &()));
    assert_eq!(b.active.beneficiary, id(BEN));
    assert_eq!(
        b.active.term,
        BeneficiaryTerm { quota: atto(100), used_quota: atto(0), expiration: 500 }
    );
    assert_eq!(b.proposed, None);

    // 3. BEN withdraws part of its quota.
    rt.set_epoch(10);
    expect_transfer(&rt, BEN, 60);
    let w: TokenAmount = ret(call(
        &rt,
        BEN,
        Method::WithdrawBalanceExported,
        &WithdrawBalanceParams { amount_requested: atto(60) },
    ));
    assert_eq!(w, atto(60));
    assert_eq!(beneficiary(&rt).active.term.used_quota, atto(60));

    // 4. Owner proposes OTHER; the nominee and then the current beneficiary approve.
    let p2 = change_beneficiary_params(OTHER, 30, 800);
    call(&rt, OWNER, Method::ChangeBeneficiary, &p2).unwrap();
    let pending = beneficiary(&rt).proposed.unwrap();
    assert!(!pending.approved_by_beneficiary && !pending.approved_by_nominee);
    call(&rt, OTHER, Method::ChangeBeneficiary, &p2).unwrap();
    let pending = beneficiary(&rt).proposed.unwrap();
    assert!(!pending.approved_by_beneficiary && pending.approved_by_nominee);
    assert_eq!(beneficiary(&rt).active.beneficiary, id(BEN));
    call(&rt, BEN, Method::ChangeBeneficiary, &p2).unwrap();
    let b = beneficiary(&rt);
    assert_eq!(b.active.beneficiary, id(OTHER));
    // used_quota resets with the new beneficiary.
    assert_eq!(
        b.active.term,
        BeneficiaryTerm { quota: atto(30), used_quota: atto(0), expiration: 800 }
    );
    assert_eq!(b.proposed, None);

    // 5. The owner withdraws: the funds go to OTHER, capped by its quota.
    expect_transfer(&rt, OTHER, 30);
    let w: TokenAmount = ret(call(
        &rt,
        OWNER,
        Method::WithdrawBalance,
        &WithdrawBalanceParams { amount_requested: atto(500) },
    ));
    assert_eq!(w, atto(30));
    // Quota used up.
    assert_eq!(
        exit(call(
            &rt,
            OTHER,
            Method::WithdrawBalance,
            &WithdrawBalanceParams { amount_requested: atto(1) }
        )),
        18
    );
    // BEN is no longer the beneficiary.
    assert_eq!(
        exit(call(
            &rt,
            BEN,
            Method::WithdrawBalance,
            &WithdrawBalanceParams { amount_requested: atto(1) }
        )),
        18
    );

    // 6. The term is exhausted: the owner takes the beneficiary back alone.
    call(&rt, OWNER, Method::ChangeBeneficiary, &change_beneficiary_params(OWNER, 0, 0)).unwrap();
    let b = beneficiary(&rt);
    assert_eq!(b.active.beneficiary, id(OWNER));
    assert_eq!(b.active.term, BeneficiaryTerm::default());
    expect_transfer(&rt, OWNER, 910);
    let w: TokenAmount = ret(call(
        &rt,
        OWNER,
        Method::WithdrawBalance,
        &WithdrawBalanceParams { amount_requested: atto(5000) },
    ));
    assert_eq!(w, atto(910));
    assert!(rt.all_sends_made());
}

#[test]
fn beneficiary_term_expires() {
    let rt = setup();
    rt.set_balance(atto(1000));
    set_beneficiary(&rt, 100, 50);
    rt.set_epoch(49);
    expect_transfer(&rt, BEN, 10);
    call(&rt, BEN, Method::WithdrawBalance, &WithdrawBalanceParams { amount_requested: atto(10) })
        .unwrap();
    rt.set_epoch(50);
    let w = WithdrawBalanceParams { amount_requested: atto(10) };
    assert_eq!(exit(call(&rt, BEN, Method::WithdrawBalance, &w)), 18);
    // The owner cannot withdraw either while the beneficiary is someone else.
    assert_eq!(exit(call(&rt, OWNER, Method::WithdrawBalance, &w)), 18);
    assert!(rt.all_sends_made());
}

#[test]
fn beneficiary_errors() {
    let rt = setup();
    let p = change_beneficiary_params(BEN, 10, 100);
    // No proposal.
    assert_eq!(exit(call(&rt, BEN, Method::ChangeBeneficiary, &p)), 18);
    // Unresolvable nominee.
    let bad = ChangeBeneficiaryParams { new_beneficiary: key(9), ..p.clone() };
    assert_eq!(exit(call(&rt, OWNER, Method::ChangeBeneficiary, &bad)), 16);
    // Quota rules.
    assert_eq!(
        exit(call(&rt, OWNER, Method::ChangeBeneficiary, &change_beneficiary_params(BEN, 0, 100))),
        16
    );
    assert_eq!(
        exit(call(&rt, OWNER, Method::ChangeBeneficiary, &change_beneficiary_params(OWNER, 1, 0))),
        16
    );
    assert_eq!(
        exit(call(&rt, OWNER, Method::ChangeBeneficiary, &change_beneficiary_params(OWNER, 0, 1))),
        16
    );
    call(&rt, OWNER, Method::ChangeBeneficiary, &p).unwrap();
    // Wrong caller.
    assert_eq!(exit(call(&rt, OTHER, Method::ChangeBeneficiary, &p)), 18);
    assert_eq!(exit(call(&rt, WORKER, Method::ChangeBeneficiary, &p)), 18);
    // Mismatched parameters.
    for m in [
        change_beneficiary_params(OTHER, 10, 100),
        change_beneficiary_params(BEN, 11, 100),
        change_beneficiary_params(BEN, 10, 99),
    ] {
        assert_eq!(exit(call(&rt, BEN, Method::ChangeBeneficiary, &m)), 16, "{m:?}");
    }
    // The nominee may name itself by key address (resolved before comparing).
    rt.register(key(7), BEN);
    let by_key = ChangeBeneficiaryParams { new_beneficiary: key(7), ..p };
    call(&rt, BEN, Method::ChangeBeneficiary, &by_key).unwrap();
    assert_eq!(beneficiary(&rt).active.beneficiary, id(BEN));
}

#[test]
fn withdraw_balance_owner() {
    let rt = setup();
    rt.set_balance(atto(1000));
    let w = |n: i64| WithdrawBalanceParams { amount_requested: atto(n) };
    assert_eq!(exit(call(&rt, OWNER, Method::WithdrawBalance, &w(-1))), 16);
    assert_eq!(exit(call(&rt, WORKER, Method::WithdrawBalance, &w(1))), 18);
    assert_eq!(exit(call(&rt, OTHER, Method::WithdrawBalanceExported, &w(1))), 18);
    expect_transfer(&rt, OWNER, 100);
    assert_eq!(ret::<TokenAmount>(call(&rt, OWNER, Method::WithdrawBalance, &w(100))), atto(100));
    // Pledge and debt reduce what can be withdrawn; the debt is burnt after the payout.
    call(
        &rt,
        SYSTEM_ACTOR_ID,
        Method::SandboxLockFunds,
        &SandboxAmountParams { amount: atto(300) },
    )
    .unwrap();
    call(
        &rt,
        SYSTEM_ACTOR_ID,
        Method::SandboxAddFeeDebt,
        &SandboxAmountParams { amount: atto(50) },
    )
    .unwrap();
    expect_transfer(&rt, OWNER, 550);
    expect_transfer(&rt, BURNT_FUNDS_ACTOR_ID, 50);
    assert_eq!(
        ret::<TokenAmount>(call(&rt, OWNER, Method::WithdrawBalanceExported, &w(10_000))),
        atto(550)
    );
    assert!(rt.all_sends_made());
    // Nothing left: zero, and no send.
    assert_eq!(ret::<TokenAmount>(call(&rt, OWNER, Method::WithdrawBalance, &w(10))), atto(0));
    assert_eq!(rt.sent().len(), 3);
    // Debt the unlocked balance cannot cover.
    call(&rt, SYSTEM_ACTOR_ID, Method::SandboxAddFeeDebt, &SandboxAmountParams { amount: atto(1) })
        .unwrap();
    assert_eq!(exit(call(&rt, OWNER, Method::WithdrawBalance, &w(10))), 19);
    // Block rewards (value sent with method 0) raise the available balance.
    rt.set_balance(atto(311));
    expect_transfer(&rt, OWNER, 10);
    expect_transfer(&rt, BURNT_FUNDS_ACTOR_ID, 1);
    assert_eq!(ret::<TokenAmount>(call(&rt, OWNER, Method::WithdrawBalance, &w(10))), atto(10));
    assert!(rt.all_sends_made());
}

#[test]
fn withdraw_in_read_only_call_fails() {
    let rt = setup();
    rt.set_balance(atto(10));
    rt.set_read_only(true);
    let w = WithdrawBalanceParams { amount_requested: atto(5) };
    assert_eq!(exit(call(&rt, OWNER, Method::WithdrawBalance, &w)), 25);
    // Getters work read-only.
    let a: TokenAmount = ret(call(&rt, OTHER, Method::GetAvailableBalanceExported, &()));
    assert_eq!(a, atto(10));
}

#[test]
fn available_balance_and_vesting() {
    let rt = setup();
    rt.set_balance(atto(100));
    let sys =
        |m: Method, n: i64| call(&rt, SYSTEM_ACTOR_ID, m, &SandboxAmountParams { amount: atto(n) });
    let available =
        || -> TokenAmount { ret(call(&rt, OTHER, Method::GetAvailableBalanceExported, &())) };
    let vesting = |epoch, n| SandboxAddVestingFundsParams { amount: atto(n), vest_epoch: epoch };
    call(&rt, SYSTEM_ACTOR_ID, Method::SandboxAddVestingFunds, &vesting(20, 10)).unwrap();
    call(&rt, SYSTEM_ACTOR_ID, Method::SandboxAddVestingFunds, &vesting(10, 5)).unwrap();
    let v: GetVestingFundsReturn = ret(call(&rt, OTHER, Method::GetVestingFundsExported, &()));
    assert_eq!(v.vesting_funds, vec![(10, atto(5)), (20, atto(10))]);
    assert_eq!(available(), atto(85));
    sys(Method::SandboxLockFunds, 80).unwrap();
    assert_eq!(available(), atto(5));
    sys(Method::SandboxAddFeeDebt, 20).unwrap();
    assert_eq!(available(), atto(-15));
    sys(Method::SandboxUnlockFunds, 30).unwrap();
    assert_eq!(available(), atto(15));
    // Vested funds are released by withdrawals, debt repayment and the sandbox lock methods,
    // not by getters (nor by adding fee debt).
    rt.set_epoch(11);
    assert_eq!(available(), atto(15));
    sys(Method::SandboxAddFeeDebt, 0).unwrap();
    assert_eq!(available(), atto(15));
    sys(Method::SandboxLockFunds, 0).unwrap();
    assert_eq!(available(), atto(20));
    let v: GetVestingFundsReturn = ret(call(&rt, OTHER, Method::GetVestingFundsExported, &()));
    assert_eq!(v.vesting_funds, vec![(20, atto(10))]);
}

#[test]
fn sandbox_methods_errors() {
    let rt = setup();
    rt.set_balance(atto(100));
    let amount = |n: i64| SandboxAmountParams { amount: atto(n) };
    for m in [Method::SandboxLockFunds, Method::SandboxUnlockFunds, Method::SandboxAddFeeDebt] {
        assert_eq!(exit(call(&rt, OWNER, m, &amount(1))), 18, "{m:?}");
        assert_eq!(exit(call(&rt, INIT_ACTOR_ID, m, &amount(1))), 18, "{m:?}");
        assert_eq!(exit(call(&rt, SYSTEM_ACTOR_ID, m, &amount(-1))), 16, "{m:?}");
    }
    let vest = SandboxAddVestingFundsParams { amount: atto(1), vest_epoch: 5 };
    assert_eq!(exit(call(&rt, OWNER, Method::SandboxAddVestingFunds, &vest)), 18);
    let past = SandboxAddVestingFundsParams { amount: atto(1), vest_epoch: 0 };
    assert_eq!(exit(call(&rt, SYSTEM_ACTOR_ID, Method::SandboxAddVestingFunds, &past)), 16);
    let too_much = SandboxAddVestingFundsParams { amount: atto(101), vest_epoch: 5 };
    assert_eq!(exit(call(&rt, SYSTEM_ACTOR_ID, Method::SandboxAddVestingFunds, &too_much)), 19);
    assert_eq!(exit(call(&rt, SYSTEM_ACTOR_ID, Method::SandboxLockFunds, &amount(101))), 19);
    assert_eq!(exit(call(&rt, SYSTEM_ACTOR_ID, Method::SandboxUnlockFunds, &amount(1))), 16);
}

#[test]
fn repay_debt() {
    let rt = setup();
    rt.set_balance(atto(100));
    let sys =
        |m: Method, n: i64| call(&rt, SYSTEM_ACTOR_ID, m, &SandboxAmountParams { amount: atto(n) });
    sys(Method::SandboxLockFunds, 90).unwrap();
    sys(Method::SandboxAddFeeDebt, 30).unwrap();
    assert_eq!(exit(call(&rt, OTHER, Method::RepayDebt, &())), 18);
    assert_eq!(exit(call(&rt, BEN, Method::RepayDebtExported, &())), 18);
    // Only 10 unlocked: a partial repayment.
    expect_transfer(&rt, BURNT_FUNDS_ACTOR_ID, 10);
    call(&rt, WORKER, Method::RepayDebt, &()).unwrap();
    let st: State = actorlib_kit::state::load(&rt).unwrap();
    assert_eq!(st.fee_debt, atto(20));
    // The value sent with the call counts.
    rt.set_value(atto(25));
    expect_transfer(&rt, BURNT_FUNDS_ACTOR_ID, 20);
    call(&rt, CONTROL, Method::RepayDebtExported, &()).unwrap();
    rt.set_value(atto(0));
    let st: State = actorlib_kit::state::load(&rt).unwrap();
    assert_eq!(st.fee_debt, atto(0));
    let a: TokenAmount = ret(call(&rt, OTHER, Method::GetAvailableBalanceExported, &()));
    assert_eq!(a, atto(5));
    // No debt: nothing burnt.
    call(&rt, OWNER, Method::RepayDebt, &()).unwrap();
    assert!(rt.all_sends_made());
    assert_eq!(rt.sent().len(), 2);
}

#[test]
fn repay_debt_takes_vesting_funds_first() {
    let rt = setup();
    rt.set_balance(atto(100));
    let vest = SandboxAddVestingFundsParams { amount: atto(40), vest_epoch: 50 };
    call(&rt, SYSTEM_ACTOR_ID, Method::SandboxAddVestingFunds, &vest).unwrap();
    call(
        &rt,
        SYSTEM_ACTOR_ID,
        Method::SandboxAddFeeDebt,
        &SandboxAmountParams { amount: atto(30) },
    )
    .unwrap();
    expect_transfer(&rt, BURNT_FUNDS_ACTOR_ID, 30);
    call(&rt, OWNER, Method::RepayDebt, &()).unwrap();
    let v: GetVestingFundsReturn = ret(call(&rt, OTHER, Method::GetVestingFundsExported, &()));
    assert_eq!(v.vesting_funds, vec![(50, atto(10))]);
    let a: TokenAmount = ret(call(&rt, OTHER, Method::GetAvailableBalanceExported, &()));
    assert_eq!(a, atto(60));
}

#[test]
fn legacy_and_exported_numbers_agree() {
    let rt = setup();
    rt.set_balance(atto(7));
    let pairs = [(Method::GetBeneficiary as u64, Method::GetBeneficiaryExported as u64)];
    for (legacy, exported) in pairs {
        assert_eq!(
            call_n(&rt, OTHER, legacy, &()).unwrap(),
            call_n(&rt, OTHER, exported, &()).unwrap()
        );
    }
    // Exported numbers from the interface table answer as the named methods.
    let owner: GetOwnerReturn = ret(call_n(&rt, OTHER, 3275365574, &()));
    assert_eq!(owner.owner, id(OWNER));
    let is: bool = ret(call_n(&rt, OTHER, 348244887, &id(WORKER)));
    assert!(is);
    let size: u64 = ret(call_n(&rt, OTHER, 3858292296, &()));
    assert_eq!(size, 32 << 30);
    let a: TokenAmount = ret(call_n(&rt, OTHER, 4026106874, &()));
    assert_eq!(a, atto(7));
}

#[test]
fn unknown_methods_and_bad_params() {
    let rt = setup();
    assert_eq!(exit(call_n(&rt, OWNER, 5, &())), 22);
    assert_eq!(exit(call_n(&rt, OWNER, 0, &())), 22);
    // ControlAddresses has no exported twin.
    assert_eq!(exit(call_n(&rt, OWNER, actorlib_kit::method_hash!("ControlAddresses"), &())), 22);
    assert_eq!(exit(call_n(&rt, OWNER, 999, &())), 22);
    // Bad parameters: 21.
    assert_eq!(exit(call(&rt, OWNER, Method::WithdrawBalance, &atto(5))), 21);
    assert_eq!(exit(call(&rt, OWNER, Method::ChangeOwnerAddress, &())), 21);
}

mod apply_rewards {
    use super::*;
    use crate::state::{vesting_schedule, VestingFund};
    use crate::types::{EPOCHS_IN_DAY, REWARD_VESTING_SPEC, VESTING_QUANTIZATION_OFFSET};
    use fvm_shared::clock::ChainEpoch;

    fn params(reward: i64, penalty: i64) -> ApplyRewardParams {
        ApplyRewardParams { reward: atto(reward), penalty: atto(penalty) }
    }
    fn available(rt: &FakeRuntime) -> TokenAmount {
        ret(call(rt, OTHER, Method::GetAvailableBalanceExported, &()))
    }
    fn vesting(rt: &FakeRuntime) -> Vec<(ChainEpoch, TokenAmount)> {
        ret::<GetVestingFundsReturn>(call(rt, OTHER, Method::GetVestingFundsExported, &()))
            .vesting_funds
    }
    /// The reward actor pays `reward` (as value) with `penalty`.
    fn reward(rt: &FakeRuntime, reward: i64, penalty: i64) -> Result<Option<IpldBlock>> {
        rt.set_value(atto(reward));
        let r = call(rt, REWARD_ACTOR_ID, Method::ApplyRewards, &params(reward, penalty));
        rt.set_value(atto(0));
        r
    }

    #[test]
    fn only_the_reward_actor_pays_and_the_value_must_match() {
        let rt = setup();
        assert_eq!(exit(call(&rt, OWNER, Method::ApplyRewards, &params(0, 0))), 18);
        // Negative amounts are refused before the caller is checked, as the real miner does.
        assert_eq!(exit(call(&rt, OWNER, Method::ApplyRewards, &params(-1, 0))), 16);
        assert_eq!(exit(call(&rt, OWNER, Method::ApplyRewards, &params(0, -1))), 16);
        rt.set_value(atto(50));
        assert_eq!(exit(call(&rt, REWARD_ACTOR_ID, Method::ApplyRewards, &params(40, 0))), 16);
        assert_eq!(exit(call(&rt, REWARD_ACTOR_ID, Method::ApplyRewards, &params(50, -1))), 16);
        call(&rt, REWARD_ACTOR_ID, Method::ApplyRewards, &params(50, 0)).unwrap();
        // 37 (3/4 of 50, rounded down) is locked, 13 available.
        assert_eq!(available(&rt), atto(13));
        let st: State = actorlib_kit::state::load(&rt).unwrap();
        assert_eq!(st.locked_funds, atto(37));
        assert!(rt.sent().is_empty());
    }

    #[test]
    fn get_vesting_funds_shows_the_schedule() {
        let rt = setup();
        let whole = TokenAmount::from_whole(4);
        rt.set_epoch(100);
        rt.set_value(whole.clone());
        let p = ApplyRewardParams { reward: whole, penalty: atto(0) };
        call(&rt, REWARD_ACTOR_ID, Method::ApplyRewards, &p).unwrap();
        let expected: Vec<_> = vesting_schedule(
            &TokenAmount::from_whole(3),
            100,
            &REWARD_VESTING_SPEC,
            VESTING_QUANTIZATION_OFFSET,
        )
        .into_iter()
        .map(|f| (f.epoch, f.amount))
        .collect();
        assert_eq!(expected.len(), 180);
        assert_eq!(vesting(&rt), expected);
        // The first step one day later, on the 12-hour grid; the last after 180 days.
        assert_eq!(expected[0].0, 4320);
        assert_eq!(expected[179].0, 518_400 + 1440);
        assert_eq!(available(&rt), TokenAmount::from_whole(1));
    }

    #[test]
    fn the_available_balance_grows_as_the_reward_vests() {
        let rt = setup();
        reward(&rt, 1800, 0).unwrap();
        // 1350 locked: 7.5 a day.
        assert_eq!(available(&rt), atto(450));
        let mut last = atto(450);
        for day in [1, 2, 10, 90, 179, 180] {
            rt.set_epoch(day * EPOCHS_IN_DAY + 1);
            // Getters show the stored state; the next money method releases what has vested.
            assert_eq!(available(&rt), last);
            call(
                &rt,
                OWNER,
                Method::WithdrawBalance,
                &WithdrawBalanceParams { amount_requested: atto(0) },
            )
            .unwrap();
            let now = available(&rt);
            assert_eq!(now, atto(450) + (atto(1350) * day).div_floor(180), "day {day}");
            assert!(now > last);
            last = now;
        }
        assert_eq!(last, atto(1800));
        assert!(vesting(&rt).is_empty());
    }

    #[test]
    fn a_penalty_is_repaid_from_the_locked_reward_and_burnt() {
        let rt = setup();
        // 1800 reward, 400 penalty: 1350 locked, 400 of it repaid (the earliest steps) and burnt.
        expect_transfer(&rt, BURNT_FUNDS_ACTOR_ID, 400);
        reward(&rt, 1800, 400).unwrap();
        assert!(rt.all_sends_made());
        let st: State = actorlib_kit::state::load(&rt).unwrap();
        assert_eq!((st.fee_debt.clone(), st.locked_funds.clone()), (atto(0), atto(950)));
        assert_eq!(rt.current_balance(), atto(1400));
        assert_eq!(available(&rt), atto(450));
        // 7.5 a day: 53 whole days (397.5) go, the 54th step (ending at 405) keeps 5.
        let v = vesting(&rt);
        assert_eq!(v.len(), 180 - 53);
        assert_eq!(v[0], (54 * EPOCHS_IN_DAY, atto(5)));
        // A penalty beyond what the miner has: all is burnt, the rest stays owed.
        expect_transfer(&rt, BURNT_FUNDS_ACTOR_ID, 1400 + 100);
        reward(&rt, 100, 5000).unwrap();
        let st: State = actorlib_kit::state::load(&rt).unwrap();
        assert_eq!((st.fee_debt, st.locked_funds), (atto(3500), atto(0)));
        assert!(st.vesting_funds.is_empty());
        assert_eq!(available(&rt), atto(-3500));
        // Fee debt from elsewhere is repaid by the next reward too.
        expect_transfer(&rt, BURNT_FUNDS_ACTOR_ID, 40);
        reward(&rt, 40, 0).unwrap();
        let st: State = actorlib_kit::state::load(&rt).unwrap();
        assert_eq!(st.fee_debt, atto(3460));
        assert!(rt.all_sends_made());
        assert_eq!(st.vesting_funds, Vec::<VestingFund>::new());
    }
}
