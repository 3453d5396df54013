//! Host tests (FakeRuntime) of the royalty, metadata, stored-content and FRC-53-text methods:
//! events, caller checks, error codes, the market calls (read-only, in order) and invariants.
use actorlib_kit::builtin::INIT_ACTOR_ID;
use actorlib_kit::events::{event_field, event_type};
use actorlib_kit::runtime::fake::ExpectedSend;
use actorlib_kit::runtime::SendResponse;
use actorlib_kit::{params, state, FakeRuntime, Runtime};
use actorlib_nft::ext::market;
use actorlib_nft::testing::assert_invariants;
use actorlib_nft::*;
use actorlib_sandbox::storage::piece_cid;
use cid::Cid;
use fvm_ipld_bitfield::BitField;
use fvm_ipld_encoding::ipld_block::IpldBlock;
use fvm_ipld_encoding::RawBytes;
use fvm_shared::address::Address;
use fvm_shared::econ::TokenAmount;
use fvm_shared::error::ExitCode;
use fvm_shared::ActorID;
use serde::de::DeserializeOwned;
use serde::Serialize;

const NFT: ActorID = 1000;
const ADMIN: ActorID = 100;
const ALICE: ActorID = 101;
const BOB: ActorID = 102;
const ARTIST: ActorID = 103;
const EDITOR: ActorID = 104;

fn id(n: ActorID) -> Address {
    Address::new_id(n)
}

fn deploy_with(royalty: Option<RoyaltyParams>) -> FakeRuntime {
    let rt = FakeRuntime::new(NFT);
    for a in [ADMIN, ALICE, BOB, ARTIST, EDITOR] {
        rt.register(id(a), a);
    }
    let p = ConstructorParams {
        name: "C".into(),
        symbol: "C".into(),
        max_supply: None,
        admins: vec![id(ADMIN)],
        minters: vec![id(ADMIN)],
        royalty,
    };
    call::<_, ()>(&rt, INIT_ACTOR_ID, Method::Constructor, &p).unwrap();
    rt
}

fn deploy() -> FakeRuntime {
    let rt = deploy_with(None);
    rt.clear_events();
    rt
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

/// A call that must fail with `code`, emit nothing and leave the state root as it was.
fn fails<P: Serialize>(rt: &FakeRuntime, caller: ActorID, method: Method, p: &P, code: ExitCode) {
    let before = rt.state_root();
    let events = rt.events().len();
    rt.set_caller(caller);
    let e = invoke(rt, method as u64, params::params(p).unwrap()).expect_err("expected an error");
    assert_eq!(e.code(), code, "{method:?}: {}", e.message());
    assert_eq!(rt.state_root(), before, "a failed {method:?} changed the state");
    assert_eq!(rt.events().len(), events, "a failed {method:?} emitted");
}

fn expect_hook(rt: &FakeRuntime, to: ActorID, token_ids: Vec<TokenID>) {
    let payload = FRC53TokensReceived {
        from: NFT,
        to,
        operator: ADMIN,
        token_ids,
        operator_data: RawBytes::default(),
        token_data: RawBytes::default(),
    };
    let hook = UniversalReceiverParams {
        type_: FRC53_TOKEN_TYPE,
        payload: RawBytes::serialize(&payload).unwrap(),
    };
    rt.expect_send(ExpectedSend {
        to: id(to),
        method: RECEIVER_HOOK_METHOD,
        params: params::params(&hook).unwrap(),
        value: TokenAmount::default(),
        response: Ok(SendResponse { exit_code: ExitCode::OK, return_data: None }),
    });
}

/// The market answers `method` for `deal` with `answer` (a return or an exit code).
fn expect_market<R: Serialize>(
    rt: &FakeRuntime,
    method: u64,
    deal: u64,
    answer: Result<R, ExitCode>,
) {
    let response = match answer {
        Ok(r) => SendResponse { exit_code: ExitCode::OK, return_data: params::encode(&r).unwrap() },
        Err(code) => SendResponse { exit_code: code, return_data: None },
    };
    rt.expect_send(ExpectedSend {
        to: market::STORAGE_MARKET_ACTOR_ADDR,
        method,
        params: IpldBlock::serialize_cbor(&deal).unwrap(),
        value: TokenAmount::default(),
        response: Ok(response),
    });
}

fn activation(activated: i64, terminated: i64) -> market::GetDealActivationReturn {
    market::GetDealActivationReturn { activated, terminated }
}

fn term(start: i64, duration: i64) -> market::GetDealTermReturn {
    market::GetDealTermReturn { start, duration }
}

fn check(rt: &FakeRuntime) -> NftState {
    assert!(rt.all_sends_made(), "an expected send was not made");
    let st: NftState = state::load(rt).unwrap();
    assert_invariants(&st, rt.store());
    st
}

fn mint(rt: &FakeRuntime, to: ActorID, n: usize) -> Vec<TokenID> {
    let st: NftState = state::load(rt).unwrap();
    let ids: Vec<u64> = (st.next_id..st.next_id + n as u64).collect();
    expect_hook(rt, to, ids.clone());
    let p = BatchMintParams {
        to: id(to),
        metadata: (0..n).map(|i| format!("m{i}")).collect(),
        operator_data: RawBytes::default(),
    };
    let r: MintReturn = call(rt, ADMIN, Method::BatchMint, &p).unwrap();
    rt.clear_events();
    r.token_ids
}

fn royalty(receiver: ActorID, basis_points: u16) -> Option<RoyaltyParams> {
    Some(RoyaltyParams { receiver: id(receiver), basis_points })
}

fn info(rt: &FakeRuntime, token_id: TokenID, price: u64) -> RoyaltyInfoReturn {
    let p = RoyaltyInfoParams { token_id, sale_price: TokenAmount::from_atto(price) };
    call(rt, BOB, Method::RoyaltyInfo, &p).unwrap()
}

// ---- royalties ----

#[test]
fn royalties_default_override_clear_and_rounding() {
    let rt = deploy_with(royalty(ARTIST, 250));
    let ev = rt.events();
    let set = ev.iter().find(|e| event_type(e).as_deref() == Some("royalty-set")).unwrap();
    assert_eq!(event_field::<Option<ActorID>>(set, "receiver"), Some(Some(ARTIST)));
    assert_eq!(event_field::<u16>(set, "basis_points"), Some(250));
    rt.clear_events();
    let t = mint(&rt, ALICE, 2);
    // 2.5% of 999 is 24.975: rounded down.
    assert_eq!(
        info(&rt, t[0], 999),
        RoyaltyInfoReturn { receiver: Some(id(ARTIST)), amount: TokenAmount::from_atto(24) }
    );
    assert_eq!(info(&rt, t[0], 0).amount, TokenAmount::default());
    // An override for one token, by the admin.
    let p = SetTokenRoyaltyParams { token_id: t[1], royalty: royalty(BOB, 10_000) };
    call::<_, ()>(&rt, ADMIN, Method::SetTokenRoyalty, &p).unwrap();
    let ev = rt.events();
    assert_eq!(event_type(&ev[0]).as_deref(), Some("royalty-set"));
    assert_eq!(event_field::<Option<u64>>(&ev[0], "token_id"), Some(Some(t[1])));
    assert_eq!(event_field::<ActorID>(&ev[0], "by"), Some(ADMIN));
    assert_eq!(
        info(&rt, t[1], 7),
        RoyaltyInfoReturn { receiver: Some(id(BOB)), amount: TokenAmount::from_atto(7) }
    );
    assert_eq!(info(&rt, t[0], 1000).receiver, Some(id(ARTIST)), "others keep the default");
    // Clearing it: the default applies again.
    rt.clear_events();
    let p = SetTokenRoyaltyParams { token_id: t[1], royalty: None };
    call::<_, ()>(&rt, ADMIN, Method::SetTokenRoyalty, &p).unwrap();
    assert_eq!(event_field::<Option<ActorID>>(&rt.events()[0], "receiver"), Some(None));
    assert_eq!(info(&rt, t[1], 1000).amount, TokenAmount::from_atto(25));
    // Clearing what is not set changes nothing and emits nothing.
    rt.clear_events();
    let before = rt.state_root();
    call::<_, ()>(&rt, ADMIN, Method::SetTokenRoyalty, &p).unwrap();
    assert_eq!(rt.state_root(), before);
    assert!(rt.events().is_empty());
    // Removing the default: no royalty at all.
    let p = SetDefaultRoyaltyParams { royalty: None };
    call::<_, ()>(&rt, ADMIN, Method::SetDefaultRoyalty, &p).unwrap();
    assert_eq!(
        info(&rt, t[0], 1000),
        RoyaltyInfoReturn { receiver: None, amount: TokenAmount::default() }
    );
    assert_eq!(
        call::<_, DefaultRoyaltyReturn>(&rt, BOB, Method::DefaultRoyalty, &()).unwrap(),
        None
    );
    let p = SetDefaultRoyaltyParams { royalty: royalty(EDITOR, 10_000) };
    call::<_, ()>(&rt, ADMIN, Method::SetDefaultRoyalty, &p).unwrap();
    assert_eq!(
        call::<_, DefaultRoyaltyReturn>(&rt, BOB, Method::DefaultRoyalty, &()).unwrap(),
        royalty(EDITOR, 10_000)
    );
    assert_eq!(info(&rt, t[0], u64::MAX).amount, TokenAmount::from_atto(u64::MAX));
    check(&rt);
}

#[test]
fn royalty_errors() {
    let rt = deploy();
    let t = mint(&rt, ALICE, 1);
    let p = SetTokenRoyaltyParams { token_id: t[0], royalty: royalty(BOB, 100) };
    fails(&rt, ALICE, Method::SetTokenRoyalty, &p, ExitCode::USR_FORBIDDEN);
    fails(
        &rt,
        ALICE,
        Method::SetDefaultRoyalty,
        &SetDefaultRoyaltyParams { royalty: royalty(BOB, 1) },
        ExitCode::USR_FORBIDDEN,
    );
    let p = SetTokenRoyaltyParams { token_id: t[0], royalty: royalty(BOB, 10_001) };
    fails(&rt, ADMIN, Method::SetTokenRoyalty, &p, ExitCode::USR_ILLEGAL_ARGUMENT);
    let p = SetDefaultRoyaltyParams { royalty: royalty(BOB, 10_001) };
    fails(&rt, ADMIN, Method::SetDefaultRoyalty, &p, ExitCode::USR_ILLEGAL_ARGUMENT);
    let p = SetTokenRoyaltyParams { token_id: 9, royalty: royalty(BOB, 1) };
    fails(&rt, ADMIN, Method::SetTokenRoyalty, &p, ExitCode::USR_NOT_FOUND);
    let p = RoyaltyInfoParams { token_id: 9, sale_price: TokenAmount::from_atto(1) };
    fails(&rt, BOB, Method::RoyaltyInfo, &p, ExitCode::USR_NOT_FOUND);
    let p = RoyaltyInfoParams { token_id: t[0], sale_price: TokenAmount::from_atto(-1) };
    fails(&rt, BOB, Method::RoyaltyInfo, &p, ExitCode::USR_ILLEGAL_ARGUMENT);
    // A constructor with an excessive royalty fails.
    let rt2 = FakeRuntime::new(NFT);
    rt2.register(id(ADMIN), ADMIN);
    let p = ConstructorParams {
        name: "C".into(),
        symbol: "C".into(),
        max_supply: None,
        admins: vec![],
        minters: vec![],
        royalty: royalty(ADMIN, 10_001),
    };
    fails(&rt2, INIT_ACTOR_ID, Method::Constructor, &p, ExitCode::USR_ILLEGAL_ARGUMENT);
    // Read-only.
    rt.set_read_only(true);
    let p = SetTokenRoyaltyParams { token_id: t[0], royalty: royalty(BOB, 1) };
    fails(&rt, ADMIN, Method::SetTokenRoyalty, &p, ExitCode::USR_READ_ONLY);
    rt.set_read_only(false);
    // A burnt token loses its override (the invariants check no override outlives its token).
    let p = SetTokenRoyaltyParams { token_id: t[0], royalty: royalty(BOB, 1) };
    call::<_, ()>(&rt, ADMIN, Method::SetTokenRoyalty, &p).unwrap();
    let _: u64 = call(&rt, ALICE, Method::Burn, &t).unwrap();
    assert!(check(&rt).all_royalties(rt.store()).unwrap().is_empty());
}

// ---- metadata ----

fn entry(uri: &str, data: Option<Cid>, piece: Option<Cid>) -> MetadataEntry {
    MetadataEntry { uri: uri.into(), data_cid: data, piece_cid: piece }
}

/// A CID that is not a piece CID: dag-cbor with a sha2-256 multihash.
fn not_a_piece() -> Cid {
    let mh = cid::multihash::Multihash::<64>::wrap(0x12, &[7u8; 32]).unwrap();
    Cid::new_v1(0x71, mh)
}

#[test]
fn metadata_at_mint_edit_by_role_and_freeze() {
    let rt = deploy();
    let (data, piece) = (not_a_piece(), piece_cid(b"a"));
    expect_hook(&rt, ALICE, vec![0, 1]);
    let p = BatchMintWithMetadataParams {
        to: id(ALICE),
        metadata: vec![entry("u0", Some(data), Some(piece)), entry("u1", None, None)],
        operator_data: RawBytes::default(),
    };
    let r: MintReturn = call(&rt, ADMIN, Method::BatchMintWithMetadata, &p).unwrap();
    assert_eq!(r.token_ids, vec![0, 1]);
    let m: TokenMetadataReturn = call(&rt, BOB, Method::TokenMetadata, &0u64).unwrap();
    assert_eq!(
        m,
        TokenMetadataReturn {
            uri: "u0".into(),
            data_cid: Some(data),
            piece_cid: Some(piece),
            deal_id: None
        }
    );
    assert_eq!(call::<_, String>(&rt, BOB, Method::MetadataID, &1u64).unwrap(), "u1");
    // An editor changes token 1; a stranger may not.
    let grant = RoleParams { role: Role::MetadataEditor, account: id(EDITOR) };
    assert!(call::<_, bool>(&rt, ADMIN, Method::GrantRole, &grant).unwrap());
    rt.clear_events();
    let edit = SetTokenMetadataParams { token_id: 1, metadata: entry("u1b", None, Some(piece)) };
    fails(&rt, ALICE, Method::SetTokenMetadata, &edit, ExitCode::USR_FORBIDDEN);
    call::<_, ()>(&rt, EDITOR, Method::SetTokenMetadata, &edit).unwrap();
    let ev = rt.events();
    assert_eq!(ev.len(), 1);
    assert_eq!(event_type(&ev[0]).as_deref(), Some("metadata-changed"));
    assert_eq!(event_field::<u64>(&ev[0], "token_id"), Some(1));
    assert!(ev[0]
        .entries
        .iter()
        .any(|e| e.key == "token_id" && e.flags == fvm_shared::event::Flags::FLAG_INDEXED_ALL));
    assert_eq!(call::<_, String>(&rt, BOB, Method::Metadata, &1u64).unwrap(), "u1b");
    // The same metadata again: no change, no event.
    rt.clear_events();
    call::<_, ()>(&rt, ADMIN, Method::SetTokenMetadata, &edit).unwrap();
    assert!(rt.events().is_empty());
    // Bad piece CIDs, unknown tokens, bad params, read-only.
    let bad =
        SetTokenMetadataParams { token_id: 1, metadata: entry("x", None, Some(not_a_piece())) };
    fails(&rt, EDITOR, Method::SetTokenMetadata, &bad, ExitCode::USR_ILLEGAL_ARGUMENT);
    let unknown = SetTokenMetadataParams { token_id: 7, metadata: entry("x", None, None) };
    fails(&rt, EDITOR, Method::SetTokenMetadata, &unknown, ExitCode::USR_NOT_FOUND);
    fails(&rt, BOB, Method::TokenMetadata, &7u64, ExitCode::USR_NOT_FOUND);
    fails(&rt, EDITOR, Method::SetTokenMetadata, &(1u64, "x"), ExitCode::USR_SERIALIZATION);
    let p = MintWithMetadataParams {
        to: id(ALICE),
        metadata: entry("x", None, Some(not_a_piece())),
        operator_data: RawBytes::default(),
    };
    fails(&rt, ADMIN, Method::MintWithMetadata, &p, ExitCode::USR_ILLEGAL_ARGUMENT);
    rt.set_read_only(true);
    fails(&rt, EDITOR, Method::SetTokenMetadata, &edit, ExitCode::USR_READ_ONLY);
    fails(&rt, ADMIN, Method::FreezeMetadata, &(), ExitCode::USR_READ_ONLY);
    rt.set_read_only(false);
    // Freeze: admins only, once, then no edits (minting with metadata still works).
    fails(&rt, EDITOR, Method::FreezeMetadata, &(), ExitCode::USR_FORBIDDEN);
    assert!(call::<_, bool>(&rt, ADMIN, Method::FreezeMetadata, &()).unwrap());
    assert_eq!(event_type(&rt.events()[0]).as_deref(), Some("metadata-frozen"));
    assert!(!call::<_, bool>(&rt, ADMIN, Method::FreezeMetadata, &()).unwrap());
    assert!(call::<_, bool>(&rt, BOB, Method::MetadataFrozen, &()).unwrap());
    let edit = SetTokenMetadataParams { token_id: 1, metadata: entry("late", None, None) };
    fails(&rt, ADMIN, Method::SetTokenMetadata, &edit, ExitCode::USR_ILLEGAL_STATE);
    expect_hook(&rt, BOB, vec![2]);
    let p = MintWithMetadataParams {
        to: id(BOB),
        metadata: entry("u2", None, None),
        operator_data: RawBytes::default(),
    };
    let r: MintReturn = call(&rt, ADMIN, Method::MintWithMetadata, &p).unwrap();
    assert_eq!(r.token_ids, vec![2]);
    check(&rt);
}

// ---- stored content ----

fn mint_stored(deal: u64) -> MintStoredContentParams {
    MintStoredContentParams {
        to: id(ALICE),
        deal_id: deal,
        uri: "ipfs://stored".into(),
        data_cid: None,
        operator_data: RawBytes::default(),
    }
}

/// The market answers for an active deal: activated, within its term, with `piece`.
fn expect_active_deal(rt: &FakeRuntime, deal: u64, piece: Cid) {
    expect_market(rt, market::GET_DEAL_ACTIVATION, deal, Ok(activation(10, -1)));
    expect_market(rt, market::GET_DEAL_TERM, deal, Ok(term(10, 1000)));
    let c = market::GetDealDataCommitmentReturn { data: piece, size: 2048 };
    expect_market(rt, market::GET_DEAL_DATA_COMMITMENT, deal, Ok(c));
}

#[test]
fn mint_stored_content_binds_an_active_deal() {
    let rt = deploy();
    rt.set_epoch(20);
    let piece = piece_cid(b"stored");
    expect_active_deal(&rt, 7, piece);
    expect_hook(&rt, ALICE, vec![0]);
    let r: MintReturn = call(&rt, ADMIN, Method::MintStoredContent, &mint_stored(7)).unwrap();
    assert_eq!(r.token_ids, vec![0]);
    // The market was only asked read-only, before the hook.
    let sent = rt.sent();
    assert!(sent[..3].iter().all(|s| s.read_only && s.to == market::STORAGE_MARKET_ACTOR_ADDR));
    assert!(!sent[3].read_only);
    let ev = rt.events();
    assert_eq!(event_type(&ev[0]).as_deref(), Some("mint"));
    assert_eq!(event_type(&ev[1]).as_deref(), Some("content-bound"));
    assert_eq!(event_field::<u64>(&ev[1], "deal_id"), Some(7));
    assert_eq!(event_field::<Cid>(&ev[1], "piece_cid"), Some(piece));
    let m: TokenMetadataReturn = call(&rt, BOB, Method::TokenMetadata, &0u64).unwrap();
    assert_eq!((m.piece_cid, m.deal_id), (Some(piece), Some(7)));
    // The piece of a bound token cannot be edited away, but its URI can.
    let edit = SetTokenMetadataParams { token_id: 0, metadata: entry("x", None, None) };
    fails(&rt, ADMIN, Method::SetTokenMetadata, &edit, ExitCode::USR_ILLEGAL_ARGUMENT);
    let edit = SetTokenMetadataParams { token_id: 0, metadata: entry("x", None, Some(piece)) };
    call::<_, ()>(&rt, ADMIN, Method::SetTokenMetadata, &edit).unwrap();
    // A deal backs one token: a second mint fails before asking the market.
    fails(&rt, ADMIN, Method::MintStoredContent, &mint_stored(7), ExitCode::USR_ILLEGAL_ARGUMENT);
    let st = check(&rt);
    assert_eq!(st.token_of_deal(rt.store(), 7).unwrap(), Some(0));
    // Burning frees the deal.
    let _: u64 = call(&rt, ALICE, Method::Burn, &vec![0u64]).unwrap();
    let st = check(&rt);
    assert_eq!(st.token_of_deal(rt.store(), 7).unwrap(), None);
}

#[test]
fn mint_stored_content_refuses_deals_that_are_not_active() {
    let rt = deploy();
    rt.set_epoch(20);
    // Not a minter: the market is not even asked.
    fails(&rt, BOB, Method::MintStoredContent, &mint_stored(1), ExitCode::USR_FORBIDDEN);
    assert!(rt.sent().is_empty());
    // Unknown deal.
    expect_market::<()>(&rt, market::GET_DEAL_ACTIVATION, 1, Err(ExitCode::USR_NOT_FOUND));
    fails(&rt, ADMIN, Method::MintStoredContent, &mint_stored(1), ExitCode::USR_NOT_FOUND);
    // Published, not activated.
    expect_market(&rt, market::GET_DEAL_ACTIVATION, 2, Ok(activation(-1, -1)));
    fails(&rt, ADMIN, Method::MintStoredContent, &mint_stored(2), ExitCode::USR_ILLEGAL_STATE);
    // Terminated (the market answers 32 whether it removed the deal or not).
    expect_market::<()>(&rt, market::GET_DEAL_ACTIVATION, 3, Err(market::EX_DEAL_EXPIRED));
    fails(&rt, ADMIN, Method::MintStoredContent, &mint_stored(3), ExitCode::USR_ILLEGAL_STATE);
    expect_market(&rt, market::GET_DEAL_ACTIVATION, 3, Ok(activation(10, 15)));
    fails(&rt, ADMIN, Method::MintStoredContent, &mint_stored(3), ExitCode::USR_ILLEGAL_STATE);
    // Past its end epoch.
    expect_market(&rt, market::GET_DEAL_ACTIVATION, 4, Ok(activation(10, -1)));
    expect_market(&rt, market::GET_DEAL_TERM, 4, Ok(term(0, 20)));
    fails(&rt, ADMIN, Method::MintStoredContent, &mint_stored(4), ExitCode::USR_ILLEGAL_STATE);
    // The market gives something that is not a piece CID.
    expect_market(&rt, market::GET_DEAL_ACTIVATION, 5, Ok(activation(10, -1)));
    expect_market(&rt, market::GET_DEAL_TERM, 5, Ok(term(10, 1000)));
    let c = market::GetDealDataCommitmentReturn { data: not_a_piece(), size: 2048 };
    expect_market(&rt, market::GET_DEAL_DATA_COMMITMENT, 5, Ok(c));
    fails(&rt, ADMIN, Method::MintStoredContent, &mint_stored(5), ExitCode::USR_ILLEGAL_STATE);
    // An unexpected market failure is not passed off as the collection's own code.
    expect_market::<()>(&rt, market::GET_DEAL_ACTIVATION, 6, Err(ExitCode::new(33)));
    fails(&rt, ADMIN, Method::MintStoredContent, &mint_stored(6), ExitCode::USR_ILLEGAL_STATE);
    // Read-only and bad params.
    rt.set_read_only(true);
    fails(&rt, ADMIN, Method::MintStoredContent, &mint_stored(1), ExitCode::USR_READ_ONLY);
    rt.set_read_only(false);
    fails(&rt, ADMIN, Method::MintStoredContent, &(1u64,), ExitCode::USR_SERIALIZATION);
    check(&rt);
}

#[test]
fn content_status_follows_the_market() {
    let rt = deploy();
    rt.set_epoch(20);
    let t = mint(&rt, ALICE, 1);
    let status = |rt: &FakeRuntime, token: u64| -> ContentStatusReturn {
        call(rt, BOB, Method::ContentStatus, &token).unwrap()
    };
    assert_eq!(
        status(&rt, t[0]),
        ContentStatusReturn { status: ContentStatus::NotBound, deal_id: None }
    );
    assert!(rt.sent().len() == 1, "no market call for an unbound token (only the mint hook)");
    fails(&rt, BOB, Method::ContentStatus, &99u64, ExitCode::USR_NOT_FOUND);
    expect_active_deal(&rt, 7, piece_cid(b"s"));
    expect_hook(&rt, ALICE, vec![1]);
    let _: MintReturn = call(&rt, ADMIN, Method::MintStoredContent, &mint_stored(7)).unwrap();
    // The deal's term was [10, 1010): the collection recorded its end at mint.
    let cases: Vec<(i64, Result<market::GetDealActivationReturn, ExitCode>, ContentStatus)> = vec![
        (20, Ok(activation(10, -1)), ContentStatus::Active),
        (1009, Ok(activation(10, -1)), ContentStatus::Active),
        (1010, Ok(activation(10, -1)), ContentStatus::Expired),
        (20, Ok(activation(-1, -1)), ContentStatus::NotActivated),
        (20, Ok(activation(10, 15)), ContentStatus::Terminated),
        (20, Err(market::EX_DEAL_EXPIRED), ContentStatus::Terminated),
        (1010, Err(market::EX_DEAL_EXPIRED), ContentStatus::Expired),
        (20, Err(ExitCode::USR_NOT_FOUND), ContentStatus::Gone),
    ];
    for (epoch, act, expected) in cases {
        rt.set_epoch(epoch);
        expect_market(&rt, market::GET_DEAL_ACTIVATION, 7, act);
        let before = rt.sent().len();
        assert_eq!(status(&rt, 1), ContentStatusReturn { status: expected, deal_id: Some(7) });
        assert!(rt.sent()[before..].iter().all(|s| s.read_only), "status queries are read-only");
        assert!(rt.all_sends_made());
    }
    // An unexpected market failure is an error, not a status.
    expect_market::<()>(&rt, market::GET_DEAL_ACTIVATION, 7, Err(ExitCode::USR_ILLEGAL_ARGUMENT));
    fails(&rt, BOB, Method::ContentStatus, &1u64, ExitCode::USR_ILLEGAL_STATE);
    rt.set_epoch(20);
    // It works in a read-only call too.
    rt.set_read_only(true);
    expect_market(&rt, market::GET_DEAL_ACTIVATION, 7, Ok(activation(10, -1)));
    assert_eq!(status(&rt, 1).status, ContentStatus::Active);
    rt.set_read_only(false);
    check(&rt);
}

// ---- FRC-53 text names ----

fn set(ids: &[u64]) -> BitField {
    BitField::try_from_bits(ids.iter().copied()).unwrap()
}

#[test]
fn frc53_text_methods() {
    let rt = deploy();
    let a = mint(&rt, ALICE, 3);
    let b = mint(&rt, BOB, 1);
    assert_eq!(
        call::<_, Vec<ActorID>>(&rt, BOB, Method::Owner, &set(&[a[0], b[0], a[2]])).unwrap(),
        vec![ALICE, ALICE, BOB],
        "owners in ascending token order"
    );
    fails(&rt, BOB, Method::Owner, &set(&[a[0], 42]), ExitCode::USR_NOT_FOUND);
    let huge = BitField::try_from_bits(0..=MAX_BATCH as u64).unwrap();
    fails(&rt, BOB, Method::Owner, &huge, ExitCode::USR_ILLEGAL_ARGUMENT);
    fails(&rt, BOB, Method::Owner, &vec![1u64], ExitCode::USR_SERIALIZATION);
    // Approve two of alice's tokens to bob; IsApproved returns that subset.
    let p = ApproveParams { operator: id(BOB), token_ids: vec![a[0], a[2]] };
    call::<_, ()>(&rt, ALICE, Method::Approve, &p).unwrap();
    let q = IsApprovedParams { operator: id(BOB), token_ids: set(&a) };
    let approved: BitField = call(&rt, ARTIST, Method::IsApproved, &q).unwrap();
    assert_eq!(approved.iter().collect::<Vec<_>>(), vec![a[0], a[2]]);
    let q = IsApprovedParams { operator: id(ALICE), token_ids: set(&a) };
    let approved: BitField = call(&rt, ARTIST, Method::IsApproved, &q).unwrap();
    assert!(approved.is_empty(), "an owner is not its tokens' operator");
    // ListOperatorTokens pages over alice's tokens.
    let mut found = Vec::new();
    let mut cursor = RawBytes::default();
    loop {
        let p = ListOperatorTokensParams {
            owner: id(ALICE),
            operator: id(BOB),
            cursor: cursor.clone(),
            limit: 1,
        };
        let page: ListTokensReturn = call(&rt, ARTIST, Method::ListOperatorTokens, &p).unwrap();
        found.extend(page.tokens.iter());
        match page.next_cursor {
            Some(c) => cursor = c,
            None => break,
        }
    }
    found.sort_unstable();
    assert_eq!(found, vec![a[0], a[2]]);
    let p = ListOperatorTokensParams {
        owner: id(ALICE),
        operator: id(BOB),
        cursor: RawBytes::default(),
        limit: 0,
    };
    fails(&rt, ARTIST, Method::ListOperatorTokens, &p, ExitCode::USR_ILLEGAL_ARGUMENT);
    // RevokeApproval with a bitfield; only an owner or its account operator may.
    let r = RevokeApprovalParams { operator: id(BOB), token_ids: set(&[a[0]]) };
    fails(&rt, BOB, Method::RevokeApproval, &r, ExitCode::USR_FORBIDDEN);
    rt.clear_events();
    call::<_, ()>(&rt, ALICE, Method::RevokeApproval, &r).unwrap();
    assert_eq!(event_field::<bool>(&rt.events()[0], "approved"), Some(false));
    let q = IsApprovedParams { operator: id(BOB), token_ids: set(&a) };
    let approved: BitField = call(&rt, ARTIST, Method::IsApproved, &q).unwrap();
    assert_eq!(approved.iter().collect::<Vec<_>>(), vec![a[2]]);
    // RevokeApprovalForAll answers like RevokeForAll.
    call::<_, ()>(&rt, ALICE, Method::ApproveForAll, &ApproveForAllParams { operator: id(ARTIST) })
        .unwrap();
    call::<_, ()>(
        &rt,
        ALICE,
        Method::RevokeApprovalForAll,
        &ApproveForAllParams { operator: id(ARTIST) },
    )
    .unwrap();
    let q = IsApprovedForAllParams { owner: id(ALICE), operator: id(ARTIST) };
    assert!(!call::<_, bool>(&rt, BOB, Method::IsApprovedForAll, &q).unwrap());
    rt.set_read_only(true);
    fails(&rt, ALICE, Method::RevokeApproval, &r, ExitCode::USR_READ_ONLY);
    rt.set_read_only(false);
    check(&rt);
}
