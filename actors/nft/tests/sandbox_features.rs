//! Royalties, metadata, stored-content tokens and the FRC-53 text methods in the sandbox (Wasm):
//! happy and error paths; every failure leaves the state root unchanged and emits nothing. The
//! stored-content tests drive real deals through the sandbox's market: published, activated,
//! terminated, completed.
mod common;

use actorlib_kit::events::{event_field, event_type};
use actorlib_nft::*;
use actorlib_sandbox::storage::{deal_proposal, piece_cid, DealClient, Miner, MIN_DEAL_DURATION};
use actorlib_sandbox::Account;
use cid::Cid;
use common::Env;
use fvm_ipld_bitfield::BitField;
use fvm_ipld_encoding::RawBytes;
use fvm_shared::address::Address;
use fvm_shared::econ::TokenAmount;
use fvm_shared::error::ExitCode;
use fvm_shared::ActorID;

fn royalty(receiver: Address, basis_points: u16) -> Option<RoyaltyParams> {
    Some(RoyaltyParams { receiver, basis_points })
}

fn info(e: &mut Env, token_id: TokenID, price: i64) -> RoyaltyInfoReturn {
    e.query(
        Method::RoyaltyInfo,
        &RoyaltyInfoParams { token_id, sale_price: TokenAmount::from_atto(price) },
    )
}

/// Sends raw bytes as parameters; must fail with `USR_SERIALIZATION` and change nothing.
fn bad_params(e: &mut Env, from: &Account, method: Method) {
    let before = e.state_cid();
    let r =
        e.sb.send_raw(
            from.id,
            e.nft,
            method as u64,
            RawBytes::new(vec![0x82, 0x01]),
            TokenAmount::default(),
        )
        .unwrap();
    assert_eq!(r.exit_code, ExitCode::USR_SERIALIZATION, "{method:?}");
    assert_eq!(e.state_cid(), before);
}

#[test]
fn royalties() {
    let mut e = Env::with_royalty(None, |artist| royalty(artist.address, 500));
    let (admin, alice, bob, carol) =
        (e.admin.clone(), e.alice.clone(), e.bob.clone(), e.carol.clone());
    let t = e.mint(alice.address, 2);
    // 5% of 1,019 is 50.95: rounded down.
    assert_eq!(
        info(&mut e, t[0], 1019),
        RoyaltyInfoReturn {
            receiver: Some(carol.id_address()),
            amount: TokenAmount::from_atto(50)
        }
    );
    assert_eq!(
        e.query::<_, DefaultRoyaltyReturn>(Method::DefaultRoyalty, &()),
        royalty(carol.id_address(), 500)
    );
    // Errors.
    let set = |token_id, r| SetTokenRoyaltyParams { token_id, royalty: r };
    e.fails(
        &bob,
        Method::SetTokenRoyalty,
        &set(t[1], royalty(bob.address, 100)),
        ExitCode::USR_FORBIDDEN,
    );
    e.fails(
        &admin,
        Method::SetTokenRoyalty,
        &set(t[1], royalty(bob.address, 10_001)),
        ExitCode::USR_ILLEGAL_ARGUMENT,
    );
    e.fails(
        &admin,
        Method::SetTokenRoyalty,
        &set(77, royalty(bob.address, 1)),
        ExitCode::USR_NOT_FOUND,
    );
    e.fails(
        &bob,
        Method::SetDefaultRoyalty,
        &SetDefaultRoyaltyParams { royalty: None },
        ExitCode::USR_FORBIDDEN,
    );
    e.fails(
        &admin,
        Method::SetDefaultRoyalty,
        &SetDefaultRoyaltyParams { royalty: royalty(bob.address, 10_001) },
        ExitCode::USR_ILLEGAL_ARGUMENT,
    );
    let code = e.query_code(
        Method::RoyaltyInfo,
        &RoyaltyInfoParams { token_id: 77, sale_price: TokenAmount::from_atto(1) },
    );
    assert_eq!(code, ExitCode::USR_NOT_FOUND, "the same code as OwnerOf for an unknown token");
    assert_eq!(e.query_code(Method::OwnerOf, &77u64), ExitCode::USR_NOT_FOUND);
    let code = e.query_code(
        Method::RoyaltyInfo,
        &RoyaltyInfoParams { token_id: t[0], sale_price: TokenAmount::from_atto(-5) },
    );
    assert_eq!(code, ExitCode::USR_ILLEGAL_ARGUMENT);
    bad_params(&mut e, &admin, Method::SetTokenRoyalty);
    bad_params(&mut e, &admin, Method::RoyaltyInfo);
    let before = e.state_cid();
    assert_eq!(
        e.query_code(Method::SetTokenRoyalty, &set(t[1], royalty(bob.address, 1))),
        ExitCode::USR_READ_ONLY
    );
    assert_eq!(e.state_cid(), before);
    // An override, then cleared.
    let r = e.send(&admin, Method::SetTokenRoyalty, &set(t[1], royalty(bob.address, 10_000)));
    assert_eq!(r.exit_code, ExitCode::OK, "{:?}", r.failure_info);
    assert_eq!(event_type(&r.events[0].event).as_deref(), Some("royalty-set"));
    assert_eq!(event_field::<Option<u64>>(&r.events[0].event, "token_id"), Some(Some(t[1])));
    assert_eq!(event_field::<u16>(&r.events[0].event, "basis_points"), Some(10_000));
    assert_eq!(
        info(&mut e, t[1], 1019),
        RoyaltyInfoReturn {
            receiver: Some(bob.id_address()),
            amount: TokenAmount::from_atto(1019)
        }
    );
    assert_eq!(info(&mut e, t[0], 1019).receiver, Some(carol.id_address()));
    e.ok::<_, ()>(&admin, Method::SetTokenRoyalty, &set(t[1], None));
    assert_eq!(info(&mut e, t[1], 1019).receiver, Some(carol.id_address()));
    e.ok::<_, ()>(&admin, Method::SetDefaultRoyalty, &SetDefaultRoyaltyParams { royalty: None });
    assert_eq!(
        info(&mut e, t[1], 1019),
        RoyaltyInfoReturn { receiver: None, amount: TokenAmount::default() }
    );
    e.check();
}

fn entry(uri: &str, piece: Option<Cid>) -> MetadataEntry {
    MetadataEntry {
        uri: uri.into(),
        // An IPFS root (dag-pb): data outside the state, which the FVM would refuse as a link.
        data_cid: Some(
            "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi".parse().unwrap(),
        ),
        piece_cid: piece,
    }
}

#[test]
fn metadata_records_edits_and_freeze() {
    let mut e = Env::new(None);
    let (admin, alice, bob) = (e.admin.clone(), e.alice.clone(), e.bob.clone());
    let piece = piece_cid(b"piece");
    let m: MintReturn = e.ok(
        &admin,
        Method::MintWithMetadata,
        &MintWithMetadataParams {
            to: alice.address,
            metadata: entry("ipfs://a", Some(piece)),
            operator_data: RawBytes::default(),
        },
    );
    assert_eq!(m.token_ids, vec![0]);
    let rec: TokenMetadataReturn = e.query(Method::TokenMetadata, &0u64);
    assert_eq!((rec.uri.as_str(), rec.piece_cid, rec.deal_id), ("ipfs://a", Some(piece), None));
    assert_eq!(e.query::<_, String>(Method::MetadataID, &0u64), "ipfs://a");
    // A piece CID that is not commP is refused at mint and at edit.
    let wrong = entry("x", Some(Cid::default()));
    e.fails(
        &admin,
        Method::BatchMintWithMetadata,
        &BatchMintWithMetadataParams {
            to: alice.address,
            metadata: vec![entry("ok", None), wrong.clone()],
            operator_data: RawBytes::default(),
        },
        ExitCode::USR_ILLEGAL_ARGUMENT,
    );
    e.fails(
        &admin,
        Method::SetTokenMetadata,
        &SetTokenMetadataParams { token_id: 0, metadata: wrong },
        ExitCode::USR_ILLEGAL_ARGUMENT,
    );
    // Editors: granted by the admin; others are refused.
    let edit = SetTokenMetadataParams { token_id: 0, metadata: entry("ipfs://b", None) };
    e.fails(&bob, Method::SetTokenMetadata, &edit, ExitCode::USR_FORBIDDEN);
    e.fails(
        &admin,
        Method::SetTokenMetadata,
        &SetTokenMetadataParams { token_id: 5, metadata: entry("x", None) },
        ExitCode::USR_NOT_FOUND,
    );
    bad_params(&mut e, &admin, Method::SetTokenMetadata);
    assert!(e.ok::<_, bool>(
        &admin,
        Method::GrantRole,
        &RoleParams { role: Role::MetadataEditor, account: bob.address }
    ));
    let r = e.send(&bob, Method::SetTokenMetadata, &edit);
    assert_eq!(r.exit_code, ExitCode::OK, "{:?}", r.failure_info);
    assert_eq!(event_type(&r.events[0].event).as_deref(), Some("metadata-changed"));
    assert_eq!(event_field::<u64>(&r.events[0].event, "token_id"), Some(0));
    let rec: TokenMetadataReturn = e.query(Method::TokenMetadata, &0u64);
    assert_eq!((rec.uri.as_str(), rec.piece_cid), ("ipfs://b", None));
    // Freeze: admins only; then nobody edits.
    e.fails(&bob, Method::FreezeMetadata, &(), ExitCode::USR_FORBIDDEN);
    assert_eq!(e.query_code(Method::FreezeMetadata, &()), ExitCode::USR_READ_ONLY);
    let r = e.send(&admin, Method::FreezeMetadata, &());
    assert_eq!(event_type(&r.events[0].event).as_deref(), Some("metadata-frozen"));
    assert!(e.query::<_, bool>(Method::MetadataFrozen, &()));
    e.fails(&bob, Method::SetTokenMetadata, &edit, ExitCode::USR_ILLEGAL_STATE);
    e.fails(&admin, Method::SetTokenMetadata, &edit, ExitCode::USR_ILLEGAL_STATE);
    e.check();
}

#[test]
fn frc53_text_methods() {
    let mut e = Env::new(None);
    let (alice, bob, carol) = (e.alice.clone(), e.bob.clone(), e.carol.clone());
    let a = e.mint(alice.address, 3);
    let b = e.mint(bob.address, 1);
    let set = |ids: &[u64]| BitField::try_from_bits(ids.iter().copied()).unwrap();
    let owners: Vec<ActorID> = e.query(Method::Owner, &set(&[a[1], b[0]]));
    assert_eq!(owners, vec![alice.id, bob.id]);
    assert_eq!(e.query_code(Method::Owner, &set(&[a[0], 50])), ExitCode::USR_NOT_FOUND);
    e.ok::<_, ()>(
        &alice,
        Method::Approve,
        &ApproveParams { operator: carol.address, token_ids: vec![a[0], a[1]] },
    );
    let q = IsApprovedParams { operator: carol.address, token_ids: set(&a) };
    let approved: BitField = e.query(Method::IsApproved, &q);
    assert_eq!(approved.iter().collect::<Vec<_>>(), vec![a[0], a[1]]);
    let p = ListOperatorTokensParams {
        owner: alice.address,
        operator: carol.address,
        cursor: RawBytes::default(),
        limit: 10,
    };
    let page: ListTokensReturn = e.query(Method::ListOperatorTokens, &p);
    assert_eq!(page.tokens.iter().collect::<Vec<_>>(), vec![a[0], a[1]]);
    assert_eq!(page.next_cursor, None);
    let r = RevokeApprovalParams { operator: carol.address, token_ids: set(&[a[1]]) };
    e.fails(&bob, Method::RevokeApproval, &r, ExitCode::USR_FORBIDDEN);
    bad_params(&mut e, &alice, Method::RevokeApproval);
    assert_eq!(e.query_code(Method::RevokeApproval, &r), ExitCode::USR_READ_ONLY);
    e.ok::<_, ()>(&alice, Method::RevokeApproval, &r);
    let approved: BitField = e.query(Method::IsApproved, &q);
    assert_eq!(approved.iter().collect::<Vec<_>>(), vec![a[0]]);
    e.ok::<_, ()>(&alice, Method::ApproveForAll, &ApproveForAllParams { operator: bob.address });
    e.ok::<_, ()>(
        &alice,
        Method::RevokeApprovalForAll,
        &ApproveForAllParams { operator: bob.address },
    );
    let q = IsApprovedForAllParams { owner: alice.address, operator: bob.address };
    assert!(!e.query::<_, bool>(Method::IsApprovedForAll, &q));
    e.check();
}

// ---- stored content, against the sandbox's market ----

struct Storage {
    client: Account,
    worker: Account,
    miner: Miner,
}

fn storage(e: &mut Env) -> Storage {
    let owner = e.sb.create_account(TokenAmount::from_whole(100)).unwrap();
    let worker = e.sb.create_account(TokenAmount::from_whole(10)).unwrap();
    let client = e.sb.create_account(TokenAmount::from_whole(100)).unwrap();
    let miner = e.sb.create_miner(&owner, &worker).unwrap();
    e.sb.add_market_balance(&client, client.id_address(), TokenAmount::from_whole(10)).unwrap();
    e.sb.add_market_balance(&owner, miner.id_address(), TokenAmount::from_whole(10)).unwrap();
    Storage { client, worker, miner }
}

/// Publishes a deal for the piece of `seed`, starting at epoch 100.
fn publish(e: &mut Env, s: &Storage, seed: &[u8]) -> u64 {
    let p = deal_proposal(piece_cid(seed), s.client.id_address(), s.miner.id_address(), 100);
    e.sb.publish_deal(&s.worker, p, DealClient::Account(&s.client)).unwrap()
}

fn stored(to: Address, deal_id: u64) -> MintStoredContentParams {
    MintStoredContentParams {
        to,
        deal_id,
        uri: format!("ipfs://deal/{deal_id}"),
        data_cid: None,
        operator_data: RawBytes::default(),
    }
}

fn status(e: &mut Env, token: TokenID) -> ContentStatus {
    e.query::<_, ContentStatusReturn>(Method::ContentStatus, &token).status
}

#[test]
fn stored_content_is_minted_only_for_active_deals_and_tracked() {
    let mut e = Env::new(None);
    let s = storage(&mut e);
    let (admin, alice, bob) = (e.admin.clone(), e.alice.clone(), e.bob.clone());
    let active = publish(&mut e, &s, b"active");
    let pending = publish(&mut e, &s, b"pending");
    let terminated = publish(&mut e, &s, b"terminated");
    e.sb.activate_deals(&[active, terminated], 1).unwrap();
    e.sb.terminate_deals(&[terminated]).unwrap();
    // Unknown, published-but-not-activated and terminated deals are refused; so is a non-minter.
    e.fails(
        &admin,
        Method::MintStoredContent,
        &stored(alice.address, 999),
        ExitCode::USR_NOT_FOUND,
    );
    e.fails(
        &admin,
        Method::MintStoredContent,
        &stored(alice.address, pending),
        ExitCode::USR_ILLEGAL_STATE,
    );
    e.fails(
        &admin,
        Method::MintStoredContent,
        &stored(alice.address, terminated),
        ExitCode::USR_ILLEGAL_STATE,
    );
    e.fails(
        &bob,
        Method::MintStoredContent,
        &stored(alice.address, active),
        ExitCode::USR_FORBIDDEN,
    );
    assert_eq!(
        e.query_code(Method::MintStoredContent, &stored(alice.address, active)),
        ExitCode::USR_READ_ONLY
    );
    bad_params(&mut e, &admin, Method::MintStoredContent);
    // The active deal: minted with the deal's piece.
    let r = e.send(&admin, Method::MintStoredContent, &stored(alice.address, active));
    assert_eq!(r.exit_code, ExitCode::OK, "{:?}", r.failure_info);
    let m: MintReturn = r.ret().unwrap();
    let token = m.token_ids[0];
    let bound = r
        .events
        .iter()
        .find(|ev| event_type(&ev.event).as_deref() == Some("content-bound"))
        .unwrap();
    assert_eq!(event_field::<u64>(&bound.event, "deal_id"), Some(active));
    let rec: TokenMetadataReturn = e.query(Method::TokenMetadata, &token);
    assert_eq!((rec.piece_cid, rec.deal_id), (Some(piece_cid(b"active")), Some(active)));
    assert_eq!(e.owner(token), alice.id);
    // One token per deal.
    e.fails(
        &admin,
        Method::MintStoredContent,
        &stored(bob.address, active),
        ExitCode::USR_ILLEGAL_ARGUMENT,
    );
    // Status: active now, terminated after the sector is.
    let plain = e.mint(bob.address, 1)[0];
    assert_eq!(status(&mut e, plain), ContentStatus::NotBound);
    assert_eq!(e.query_code(Method::ContentStatus, &555u64), ExitCode::USR_NOT_FOUND);
    assert_eq!(status(&mut e, token), ContentStatus::Active);
    e.sb.terminate_deals(&[active]).unwrap();
    let r: ContentStatusReturn = e.query(Method::ContentStatus, &token);
    assert_eq!(r, ContentStatusReturn { status: ContentStatus::Terminated, deal_id: Some(active) });
    e.check();
}

#[test]
fn stored_content_expires_at_the_deal_end_not_terminated() {
    let mut e = Env::new(None);
    let s = storage(&mut e);
    let (admin, alice) = (e.admin.clone(), e.alice.clone());
    let deal = publish(&mut e, &s, b"completes");
    e.sb.activate_deals(&[deal], 1).unwrap();
    let m: MintReturn = e.ok(&admin, Method::MintStoredContent, &stored(alice.address, deal));
    let token = m.token_ids[0];
    assert_eq!(status(&mut e, token), ContentStatus::Active);
    // Past its end epoch, before the market's cron: expired.
    e.sb.set_epoch(100 + MIN_DEAL_DURATION).unwrap();
    assert_eq!(status(&mut e, token), ContentStatus::Expired);
    // The market completes and removes it: still expired (ended, not terminated).
    e.sb.market_cron().unwrap();
    assert_eq!(status(&mut e, token), ContentStatus::Expired);
    e.check();
}

#[test]
fn approvals_expire_at_their_epoch() {
    let mut e = Env::new(None);
    let (alice, bob, carol) = (e.alice.clone(), e.bob.clone(), e.carol.clone());
    let t = e.mint(alice.address, 3);
    e.sb.set_epoch(100).unwrap();
    let token_until = |ids: Vec<TokenID>, at| ApproveUntilParams {
        operator: bob.address,
        token_ids: ids,
        expires_at: at,
    };
    let account_until = |at| ApproveForAllUntilParams { operator: carol.address, expires_at: at };
    // An expiry not after the current epoch is refused, and changes nothing.
    e.fails(
        &alice,
        Method::ApproveUntil,
        &token_until(vec![t[0]], 100),
        ExitCode::USR_ILLEGAL_ARGUMENT,
    );
    e.fails(&alice, Method::ApproveForAllUntil, &account_until(99), ExitCode::USR_ILLEGAL_ARGUMENT);
    bad_params(&mut e, &alice, Method::ApproveUntil);
    bad_params(&mut e, &alice, Method::ApproveForAllUntil);
    // Bob operates t0 and t1 until 110; carol operates alice's account until 120.
    let r = e.send(&alice, Method::ApproveUntil, &token_until(vec![t[0], t[1]], 110));
    assert_eq!(r.exit_code, ExitCode::OK, "{:?}", r.failure_info);
    assert_eq!(event_type(&r.events[0].event).as_deref(), Some("approval"));
    assert_eq!(event_field::<i64>(&r.events[0].event, "expires_at"), Some(110));
    let r = e.send(&alice, Method::ApproveForAllUntil, &account_until(120));
    assert_eq!(event_type(&r.events[0].event).as_deref(), Some("operator-changed"));
    assert_eq!(event_field::<i64>(&r.events[0].event, "expires_at"), Some(120));
    let bob_on = |ids: Vec<TokenID>| IsApprovedParams {
        operator: bob.address,
        token_ids: BitField::try_from_bits(ids).unwrap(),
    };
    let all = IsApprovedForAllParams { owner: alice.address, operator: carol.address };
    let token_ops =
        |id| ListTokenOperatorsParams { token_id: id, cursor: RawBytes::default(), limit: 10 };
    let account_ops =
        ListAccountOperatorsParams { owner: alice.address, cursor: RawBytes::default(), limit: 10 };
    let pull = |ids: Vec<TokenID>| TransferFromParams {
        from: alice.address,
        to: carol.address,
        token_ids: ids,
        operator_data: RawBytes::default(),
    };
    let live: BitField = e.query(Method::IsApproved, &bob_on(vec![t[0], t[1], t[2]]));
    assert_eq!(live.iter().collect::<Vec<_>>(), vec![t[0], t[1]]);
    assert!(e.query::<_, bool>(Method::IsApprovedForAll, &all));
    let _: TransferReturn = e.ok(&bob, Method::TransferFrom, &pull(vec![t[0]]));

    // From epoch 110 bob's approval of t1 counts for nothing: not in queries, not for moves.
    e.sb.set_epoch(110).unwrap();
    let live: BitField = e.query(Method::IsApproved, &bob_on(vec![t[1]]));
    assert!(live.is_empty());
    let ops: ListOperatorsReturn = e.query(Method::ListTokenOperators, &token_ops(t[1]));
    assert!(ops.operators.is_empty());
    e.fails(&bob, Method::TransferFrom, &pull(vec![t[1]]), ExitCode::USR_FORBIDDEN);
    e.fails(
        &bob,
        Method::BurnFrom,
        &BurnFromParams { from: alice.address, token_ids: vec![t[1]] },
        ExitCode::USR_FORBIDDEN,
    );
    // Carol's account approval still counts until 120; it may give token approvals meanwhile.
    let ops: ListOperatorsReturn = e.query(Method::ListAccountOperators, &account_ops);
    assert_eq!(ops.operators.iter().collect::<Vec<_>>(), vec![carol.id]);
    e.ok::<_, ()>(
        &carol,
        Method::Approve,
        &ApproveParams { operator: bob.address, token_ids: vec![t[2]] },
    );
    e.sb.set_epoch(120).unwrap();
    assert!(!e.query::<_, bool>(Method::IsApprovedForAll, &all));
    let ops: ListOperatorsReturn = e.query(Method::ListAccountOperators, &account_ops);
    assert!(ops.operators.is_empty());
    e.fails(&carol, Method::TransferFrom, &pull(vec![t[1]]), ExitCode::USR_FORBIDDEN);
    e.fails(
        &carol,
        Method::Approve,
        &ApproveParams { operator: carol.address, token_ids: vec![t[1]] },
        ExitCode::USR_FORBIDDEN,
    );
    // The token approval carol gave has no expiry of its own: bob still moves t2.
    let _: TransferReturn = e.ok(&bob, Method::TransferFrom, &pull(vec![t[2]]));
    // A plain approval replaces an expired one and never expires.
    e.ok::<_, ()>(&alice, Method::ApproveForAll, &ApproveForAllParams { operator: carol.address });
    e.sb.set_epoch(1_000_000).unwrap();
    assert!(e.query::<_, bool>(Method::IsApprovedForAll, &all));
    let _: TransferReturn = e.ok(&carol, Method::TransferFrom, &pull(vec![t[1]]));
    e.check();
}

#[test]
fn creators_are_listed_by_editors_and_verified_by_themselves() {
    let mut e = Env::new(None);
    let (admin, alice, bob, carol) =
        (e.admin.clone(), e.alice.clone(), e.bob.clone(), e.carol.clone());
    let ids = e.mint(alice.address, 2);
    let list = |a: &Account, b: &Account| SetCreatorsParams {
        token_id: ids[0],
        creators: vec![
            CreatorShare { creator: a.address, share: 70 },
            CreatorShare { creator: b.address, share: 30 },
        ],
    };
    // Only admins and metadata editors list creators; the token's owner is neither.
    e.fails(&alice, Method::SetCreators, &list(&carol, &admin), ExitCode::USR_FORBIDDEN);
    let shares_off = SetCreatorsParams {
        token_id: ids[0],
        creators: vec![CreatorShare { creator: carol.address, share: 90 }],
    };
    e.fails(&admin, Method::SetCreators, &shares_off, ExitCode::USR_ILLEGAL_ARGUMENT);
    bad_params(&mut e, &admin, Method::SetCreators);
    let r = e.send(&admin, Method::SetCreators, &list(&carol, &admin));
    assert_eq!(r.exit_code, ExitCode::OK, "{:?}", r.failure_info);
    assert_eq!(event_type(&r.events[0].event).as_deref(), Some("creators-set"));
    assert_eq!(
        event_field::<Vec<ActorID>>(&r.events[0].event, "creators"),
        Some(vec![carol.id, admin.id])
    );
    let creators: Vec<Creator> = e.query(Method::Creators, &ids[0]);
    assert_eq!(
        creators,
        vec![
            Creator { creator: carol.id, share: 70, verified: false },
            Creator { creator: admin.id, share: 30, verified: true },
        ]
    );
    // Only the listed creator verifies its own entry.
    let on = |t: TokenID| VerifyCreatorParams { token_ids: vec![t] };
    e.fails(&bob, Method::VerifyCreator, &on(ids[0]), ExitCode::USR_FORBIDDEN);
    e.fails(&carol, Method::VerifyCreator, &on(ids[1]), ExitCode::USR_FORBIDDEN);
    e.fails(&carol, Method::VerifyCreator, &on(9), ExitCode::USR_NOT_FOUND);
    assert_eq!(e.query_code(Method::VerifyCreator, &on(ids[0])), ExitCode::USR_READ_ONLY);
    let r = e.send(&carol, Method::VerifyCreator, &on(ids[0]));
    assert_eq!(r.exit_code, ExitCode::OK, "{:?}", r.failure_info);
    assert_eq!(event_type(&r.events[0].event).as_deref(), Some("creator-verified"));
    assert_eq!(event_field::<bool>(&r.events[0].event, "verified"), Some(true));
    let creators: Vec<Creator> = e.query(Method::Creators, &ids[0]);
    assert!(creators.iter().all(|c| c.verified));
    // Verifying again changes nothing and emits nothing; taking it back does.
    let r = e.send(&carol, Method::VerifyCreator, &on(ids[0]));
    assert!(r.exit_code.is_success() && r.events.is_empty());
    let r = e.send(&carol, Method::UnverifyCreator, &on(ids[0]));
    assert_eq!(event_field::<bool>(&r.events[0].event, "verified"), Some(false));
    let creators: Vec<Creator> = e.query(Method::Creators, &ids[0]);
    assert!(!creators[0].verified);
    // A burnt token has no creators any more.
    let burn: u64 = e.ok(&alice, Method::Burn, &vec![ids[0]]);
    assert_eq!(burn, 1);
    assert_eq!(e.query_code(Method::Creators, &ids[0]), ExitCode::USR_NOT_FOUND);
    e.check();
}
