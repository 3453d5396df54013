//! PublishStorageDeals: the provider and caller checks, every per-deal drop reason, escrow
//! accumulation, notifications and events.
mod common;

use actorlib_host_market::*;
use actorlib_kit::events::{event_field, event_type};
use actorlib_kit::{FakeRuntime, Runtime};
use cid::multihash::Multihash;
use cid::Cid;
use common::*;
use fvm_ipld_encoding::ipld_block::IpldBlock;
use fvm_shared::address::Address;
use fvm_shared::econ::TokenAmount;
use fvm_shared::error::{ErrorNumber, ExitCode};

#[test]
fn happy_flow_calls_out_in_order_and_stores_normalised_proposals() {
    let rt = setup();
    fund(&rt);
    rt.set_epoch(10);
    let before = rt.sent().len();
    let d0 = signed(proposal(1));
    let mut p1 = proposal(2);
    p1.label = Label::Bytes(vec![0xff; 256]);
    let d1 = signed(p1);
    expect_is_controlling(&rt, WORKER, ok(block(&true)));
    auth_ok(&rt, &d0);
    auth_ok(&rt, &d1);
    expect_notify(&rt, &normalised(&d0.proposal, CLIENT), 0, ok(None));
    expect_notify(&rt, &normalised(&d1.proposal, CLIENT), 1, ok(None));
    let r = publish(&rt, vec![d0.clone(), d1.clone()]).unwrap();
    assert!(rt.all_sends_made());
    assert_eq!(r.ids, vec![0, 1]);
    assert_eq!(valid_indices(&r), vec![0, 1]);

    // IsControllingAddress is a normal call; authentication is read-only and goes to the client as
    // given (f1); notifications go to the client's ID address.
    let sent = rt.sent()[before..].to_vec();
    let flags: Vec<_> = sent.iter().map(|m| (m.method, m.read_only)).collect();
    assert_eq!(
        flags,
        vec![
            (ext::MINER_IS_CONTROLLING_ADDRESS, false),
            (ext::AUTHENTICATE_MESSAGE, true),
            (ext::AUTHENTICATE_MESSAGE, true),
            (ext::MARKET_NOTIFY_DEAL, false),
            (ext::MARKET_NOTIFY_DEAL, false),
        ]
    );
    assert_eq!(sent[1].to, client_key());
    assert_eq!(sent[3].to, Address::new_id(CLIENT));

    // Funds locked.
    let need = 2 * CLIENT_NEED;
    assert_eq!(balance(&rt, CLIENT), (atto(10 * CLIENT_NEED), atto(need)));
    assert_eq!(
        balance(&rt, PROVIDER),
        (atto(10 * PROVIDER_COLLATERAL), atto(2 * PROVIDER_COLLATERAL))
    );

    // Stored normalised.
    assert_eq!(get_deal_client(&rt, 0).unwrap(), CLIENT);
    assert_eq!(get_deal_provider(&rt, 1).unwrap(), PROVIDER);
    assert_eq!(get_deal_label(&rt, 1).unwrap(), Label::Bytes(vec![0xff; 256]));

    // One deal-published event per deal, after its notification.
    let events = rt.events();
    assert_eq!(events.len(), 2);
    for (i, e) in events.iter().enumerate() {
        assert_eq!(event_type(e).as_deref(), Some("deal-published"));
        assert_eq!(event_field::<u64>(e, "id"), Some(i as u64));
        assert_eq!(event_field::<u64>(e, "client"), Some(CLIENT));
        assert_eq!(event_field::<u64>(e, "provider"), Some(PROVIDER));
    }
}

#[test]
fn legacy_and_exported_numbers_route_to_publish() {
    for method in [Method::PublishStorageDeals, Method::PublishStorageDealsExported] {
        let rt = setup();
        fund(&rt);
        let d = signed(proposal(1));
        expect_is_controlling(&rt, WORKER, ok(block(&true)));
        auth_ok(&rt, &d);
        expect_notify(&rt, &normalised(&d.proposal, CLIENT), 0, ok(None));
        rt.set_caller(WORKER);
        let params = block(&PublishStorageDealsParams { deals: vec![d] });
        let ret = invoke(&rt, method as u64, params).unwrap().unwrap();
        let r: PublishStorageDealsReturn = ret.deserialize().unwrap();
        assert_eq!(r.ids, vec![0]);
        assert_eq!(valid_indices(&r), vec![0]);
    }
}

#[test]
fn provider_and_caller_checks() {
    let rt = setup();
    fund(&rt);
    assert_eq!(publish(&rt, vec![]).unwrap_err().code(), ExitCode::USR_ILLEGAL_ARGUMENT);

    let mut p = proposal(1);
    p.provider = Address::new_id(4242);
    assert_eq!(publish(&rt, vec![signed(p)]).unwrap_err().code(), ExitCode::USR_NOT_FOUND);

    let mut p = proposal(1);
    p.provider = Address::new_id(CLIENT2);
    assert_eq!(publish(&rt, vec![signed(p)]).unwrap_err().code(), ExitCode::USR_ILLEGAL_ARGUMENT);

    expect_is_controlling(&rt, WORKER, ok(block(&false)));
    assert_eq!(
        publish(&rt, vec![signed(proposal(1))]).unwrap_err().code(),
        ExitCode::USR_FORBIDDEN
    );

    expect_is_controlling(&rt, WORKER, exit(ExitCode::USR_UNHANDLED_MESSAGE));
    assert_eq!(
        publish(&rt, vec![signed(proposal(1))]).unwrap_err().code(),
        ExitCode::USR_UNHANDLED_MESSAGE
    );
    assert!(rt.all_sends_made());
    assert!(rt.events().is_empty());
    assert_eq!(next_id(&rt), 0);
}

/// Publishes `[good, bad]` and checks that only the good deal is published.
fn assert_dropped(
    name: &str,
    prepare: impl FnOnce(&FakeRuntime),
    bad: DealProposal,
    auth: std::result::Result<actorlib_kit::runtime::SendResponse, ErrorNumber>,
) {
    let rt = setup();
    fund(&rt);
    prepare(&rt);
    let good = signed(proposal(1));
    let bad = signed(bad);
    let first = next_id(&rt);
    expect_is_controlling(&rt, WORKER, ok(block(&true)));
    auth_ok(&rt, &good);
    expect_auth(&rt, &bad, auth);
    expect_notify(&rt, &normalised(&good.proposal, CLIENT), first, ok(None));
    let r = publish(&rt, vec![good, bad]).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert!(rt.all_sends_made(), "{name}");
    assert_eq!(r.ids, vec![first], "{name}");
    assert_eq!(valid_indices(&r), vec![0], "{name}");
    assert_eq!(rt.events().len(), 1, "{name}");
    assert_eq!(next_id(&rt), first + 1, "{name}");
}

fn with(f: impl FnOnce(&mut DealProposal)) -> DealProposal {
    let mut p = proposal(2);
    f(&mut p);
    p
}

fn cid_with(codec: u64, hash: u64, len: usize) -> Cid {
    Cid::new_v1(codec, Multihash::<64>::wrap(hash, &vec![3u8; len]).unwrap())
}

#[test]
fn each_invalid_field_drops_the_deal() {
    let max = total_filecoin();
    let over = max.clone() + TokenAmount::from_atto(1);
    let cases: Vec<(&str, DealProposal)> = vec![
        ("label too long", with(|p| p.label = Label::String("x".repeat(257)))),
        ("byte label too long", with(|p| p.label = Label::Bytes(vec![0; 257]))),
        ("piece size not a power of two", with(|p| p.piece_size = 3000)),
        ("piece size below 128", with(|p| p.piece_size = 64)),
        ("piece size zero", with(|p| p.piece_size = 0)),
        ("piece cid codec", with(|p| p.piece_cid = cid_with(0x71, SHA2_256_TRUNC254_PADDED, 32))),
        ("piece cid hash", with(|p| p.piece_cid = cid_with(FIL_COMMITMENT_UNSEALED, 0x12, 32))),
        (
            "piece cid digest size",
            with(|p| p.piece_cid = cid_with(FIL_COMMITMENT_UNSEALED, SHA2_256_TRUNC254_PADDED, 31)),
        ),
        ("end before start", with(|p| p.end_epoch = p.start_epoch - 1)),
        ("end equals start", with(|p| p.end_epoch = p.start_epoch)),
        ("duration too short", with(|p| p.end_epoch = p.start_epoch + MIN_DURATION - 1)),
        ("duration too long", with(|p| p.end_epoch = p.start_epoch + MAX_DEAL_DURATION + 1)),
        ("negative price", with(|p| p.storage_price_per_epoch = TokenAmount::from_atto(-1))),
        ("price above supply", with(|p| p.storage_price_per_epoch = over.clone())),
        (
            "negative provider collateral",
            with(|p| p.provider_collateral = TokenAmount::from_atto(-1)),
        ),
        ("provider collateral above supply", with(|p| p.provider_collateral = over.clone())),
        ("negative client collateral", with(|p| p.client_collateral = TokenAmount::from_atto(-1))),
        ("client collateral above supply", with(|p| p.client_collateral = over.clone())),
        ("other provider", with(|p| p.provider = Address::new_id(OTHER_MINER))),
        ("client does not resolve", with(|p| p.client = Address::new_id(7777))),
        ("verified deal", with(|p| p.verified_deal = true)),
        ("duplicate in batch", proposal(1)),
        ("client escrow short", with(|p| p.client_collateral = atto(9 * CLIENT_NEED))),
        (
            "provider escrow short",
            with(|p| p.provider_collateral = atto(9 * PROVIDER_COLLATERAL + 1)),
        ),
    ];
    for (name, bad) in cases {
        assert_dropped(name, |_| {}, bad, ok(block(&true)));
    }
}

#[test]
fn start_epoch_in_the_past_drops_the_deal() {
    let bad = with(|p| {
        p.start_epoch = 10;
        p.end_epoch = 10 + MIN_DURATION;
    });
    assert_dropped("start elapsed", |rt| rt.set_epoch(11), bad, ok(block(&true)));
    // curr_epoch == start is still fine.
    let rt = setup();
    fund(&rt);
    rt.set_epoch(START);
    publish_one(&rt, 1);
}

#[test]
fn boundaries_are_accepted() {
    let rt = setup();
    add_balance_as(&rt, CLIENT, CLIENT, 10_000_000);
    add_balance_as(&rt, OWNER, PROVIDER, 1000);
    let mut deals = vec![];
    for (i, p) in [
        with(|p| p.label = Label::String("é".repeat(128))),
        with(|p| p.piece_size = 128),
        with(|p| p.end_epoch = p.start_epoch + MAX_DEAL_DURATION),
        with(|p| {
            p.storage_price_per_epoch = TokenAmount::default();
            p.client_collateral = TokenAmount::default();
            p.provider_collateral = TokenAmount::default();
        }),
    ]
    .into_iter()
    .enumerate()
    {
        let mut p = p;
        p.piece_cid = piece_cid(10 + i as u8);
        deals.push(signed(p));
    }
    expect_is_controlling(&rt, WORKER, ok(block(&true)));
    for d in &deals {
        auth_ok(&rt, d);
    }
    for (i, d) in deals.iter().enumerate() {
        expect_notify(&rt, &normalised(&d.proposal, CLIENT), i as u64, ok(None));
    }
    let r = publish(&rt, deals).unwrap();
    assert_eq!(valid_indices(&r), vec![0, 1, 2, 3]);
}

#[test]
fn failed_authentication_drops_the_deal() {
    let cases: Vec<(&str, std::result::Result<_, ErrorNumber>)> = vec![
        ("auth returns false", ok(block(&false))),
        ("auth aborts", exit(ExitCode::USR_ILLEGAL_ARGUMENT)),
        ("auth unhandled", exit(ExitCode::USR_UNHANDLED_MESSAGE)),
        ("auth returns garbage", ok(block(&"yes"))),
        ("auth returns nothing", ok(None)),
        ("client missing", Err(ErrorNumber::NotFound)),
        ("read-only creation", Err(ErrorNumber::ReadOnly)),
    ];
    for (name, response) in cases {
        assert_dropped(name, |_| {}, proposal(2), response);
    }
}

#[test]
fn provider_given_as_the_batch_raw_address_matches() {
    // The first deal names the provider by a robust address; later deals may use that same
    // address or the ID address.
    let rt = setup();
    fund(&rt);
    let robust = Address::new_actor(b"miner");
    rt.register(robust, PROVIDER);
    let mut p0 = proposal(1);
    p0.provider = robust;
    let d0 = signed(p0);
    let d1 = signed(proposal(2));
    expect_is_controlling(&rt, WORKER, ok(block(&true)));
    auth_ok(&rt, &d0);
    auth_ok(&rt, &d1);
    expect_notify(&rt, &normalised(&d0.proposal, CLIENT), 0, ok(None));
    expect_notify(&rt, &normalised(&d1.proposal, CLIENT), 1, ok(None));
    let r = publish(&rt, vec![d0, d1]).unwrap();
    assert_eq!(valid_indices(&r), vec![0, 1]);
    assert_eq!(get_deal_provider(&rt, 0).unwrap(), PROVIDER);
}

#[test]
fn escrow_requirements_accumulate_across_the_batch() {
    let rt = setup();
    // Enough for two deals of the client and two provider collaterals... plus one atto short of a
    // third for each party.
    add_balance_as(&rt, CLIENT, CLIENT, 3 * CLIENT_NEED - 1);
    add_balance_as(&rt, OWNER, PROVIDER, 10 * PROVIDER_COLLATERAL);
    add_balance_as(&rt, CLIENT2, CLIENT2, 10 * CLIENT_NEED);
    let d: Vec<_> = (1..=3).map(|t| signed(proposal(t))).collect();
    let mut p3 = proposal(4);
    p3.client = Address::new_id(CLIENT2);
    let d3 = signed(p3);
    expect_is_controlling(&rt, WORKER, ok(block(&true)));
    for x in d.iter().chain([&d3]) {
        auth_ok(&rt, x);
    }
    expect_notify(&rt, &normalised(&d[0].proposal, CLIENT), 0, ok(None));
    expect_notify(&rt, &normalised(&d[1].proposal, CLIENT), 1, ok(None));
    expect_notify(&rt, &normalised(&d3.proposal, CLIENT2), 2, ok(None));
    let mut all = d.clone();
    all.push(d3);
    let r = publish(&rt, all).unwrap();
    assert_eq!(valid_indices(&r), vec![0, 1, 3]);
    assert_eq!(r.ids, vec![0, 1, 2]);
    assert_eq!(balance(&rt, CLIENT).1, atto(2 * CLIENT_NEED));
    assert_eq!(balance(&rt, CLIENT2).1, atto(CLIENT_NEED));
    assert_eq!(balance(&rt, PROVIDER).1, atto(3 * PROVIDER_COLLATERAL));

    // Provider side: only one more collateral fits after locking.
    let rt = setup();
    add_balance_as(&rt, CLIENT, CLIENT, 10 * CLIENT_NEED);
    add_balance_as(&rt, OWNER, PROVIDER, 2 * PROVIDER_COLLATERAL - 1);
    let d: Vec<_> = (1..=2).map(|t| signed(proposal(t))).collect();
    expect_is_controlling(&rt, WORKER, ok(block(&true)));
    for x in &d {
        auth_ok(&rt, x);
    }
    expect_notify(&rt, &normalised(&d[0].proposal, CLIENT), 0, ok(None));
    let r = publish(&rt, d).unwrap();
    assert_eq!(valid_indices(&r), vec![0]);
}

#[test]
fn already_locked_funds_count_against_new_deals() {
    let rt = setup();
    add_balance_as(&rt, CLIENT, CLIENT, CLIENT_NEED);
    add_balance_as(&rt, OWNER, PROVIDER, 10 * PROVIDER_COLLATERAL);
    publish_one(&rt, 1);
    let d = signed(proposal(2));
    expect_is_controlling(&rt, WORKER, ok(block(&true)));
    auth_ok(&rt, &d);
    let e = publish(&rt, vec![d]).unwrap_err();
    assert_eq!(e.code(), ExitCode::USR_ILLEGAL_ARGUMENT);
    assert_eq!(e.message(), "All deal proposals invalid");
}

#[test]
fn a_proposal_published_before_is_a_duplicate() {
    let rt = setup();
    fund(&rt);
    publish_one(&rt, 1);
    // Same proposal, client given by ID this time: the normalised CID is the same.
    let mut p = proposal(1);
    p.client = Address::new_id(CLIENT);
    let d = signed(p);
    expect_is_controlling(&rt, WORKER, ok(block(&true)));
    auth_ok(&rt, &d);
    assert_eq!(publish(&rt, vec![d]).unwrap_err().code(), ExitCode::USR_ILLEGAL_ARGUMENT);
    assert_eq!(next_id(&rt), 1);
}

#[test]
fn all_invalid_fails_without_notifying_or_locking() {
    let rt = setup();
    fund(&rt);
    let before = rt.state_root();
    let d0 = signed(with(|p| p.piece_size = 100));
    let d1 = signed(with(|p| p.verified_deal = true));
    expect_is_controlling(&rt, WORKER, ok(block(&true)));
    auth_ok(&rt, &d0);
    expect_auth(&rt, &d1, ok(block(&false)));
    let e = publish(&rt, vec![d0, d1]).unwrap_err();
    assert_eq!(e.code(), ExitCode::USR_ILLEGAL_ARGUMENT);
    assert_eq!(e.message(), "All deal proposals invalid");
    assert!(rt.all_sends_made());
    assert_eq!(rt.state_root(), before);
    assert!(rt.events().is_empty());
}

#[test]
fn notification_failure_aborts_with_illegal_argument() {
    for response in [
        exit(ExitCode::USR_FORBIDDEN),
        exit(ExitCode::USR_UNHANDLED_MESSAGE),
        Err(ErrorNumber::NotFound),
    ] {
        let rt = setup();
        fund(&rt);
        let d0 = signed(proposal(1));
        let d1 = signed(proposal(2));
        expect_is_controlling(&rt, WORKER, ok(block(&true)));
        auth_ok(&rt, &d0);
        auth_ok(&rt, &d1);
        expect_notify(&rt, &normalised(&d0.proposal, CLIENT), 0, ok(None));
        expect_notify(&rt, &normalised(&d1.proposal, CLIENT), 1, response);
        let e = publish(&rt, vec![d0, d1]).unwrap_err();
        assert_eq!(e.code(), ExitCode::USR_ILLEGAL_ARGUMENT);
        assert!(e.message().contains("failed to notify deal"), "{}", e.message());
        // The state was saved before calling out (the FVM reverts it with the abort).
        assert_eq!(next_id(&rt), 2);
    }
}

#[test]
fn notification_return_data_is_ignored() {
    let rt = setup();
    fund(&rt);
    let d = signed(proposal(1));
    expect_is_controlling(&rt, WORKER, ok(block(&true)));
    auth_ok(&rt, &d);
    expect_notify(&rt, &normalised(&d.proposal, CLIENT), 0, ok(block(&"anything")));
    assert_eq!(publish(&rt, vec![d]).unwrap().ids, vec![0]);
}

#[test]
fn publish_cannot_run_read_only() {
    let rt = setup();
    fund(&rt);
    let d = signed(proposal(1));
    expect_is_controlling(&rt, WORKER, ok(block(&true)));
    auth_ok(&rt, &d);
    rt.set_read_only(true);
    assert_eq!(publish(&rt, vec![d]).unwrap_err().code(), ExitCode::USR_READ_ONLY);
    assert!(rt.read_only());
}

#[test]
fn undecodable_params_are_serialization_errors() {
    let rt = setup();
    let bad = Some(IpldBlock { codec: fvm_ipld_encoding::CBOR, data: vec![0x81, 0x01] });
    let e = invoke(&rt, Method::PublishStorageDealsExported as u64, bad).unwrap_err();
    assert_eq!(e.code(), ExitCode::USR_SERIALIZATION);
}
