//! Every method of the collection, run as Wasm, given malformed variants of valid parameters
//! (`actorlib_sandbox::malformed`): each call ends with a user exit code, never a trap, a panic or
//! running out of gas; a failed call changes no state and emits nothing; after every success the
//! state's invariants hold. Variants that still decode reach the collection's own checks (and the
//! market, for stored content), so the test covers more than the decoder.
mod common;

use actorlib_nft::*;
use actorlib_sandbox::malformed::{is_clean_exit, Mutator};
use common::*;
use fvm_ipld_bitfield::BitField;
use fvm_ipld_encoding::{to_vec, RawBytes};
use fvm_shared::econ::TokenAmount;
use fvm_shared::error::ExitCode;
use serde::Serialize;

/// Variants per method: 52 methods × 100 ≈ 5,200 calls, a few seconds of Wasm.
const ROUNDS: usize = 100;

fn cbor<P: Serialize>(p: &P) -> Vec<u8> {
    to_vec(p).unwrap()
}

/// A valid encoding of each method's parameters, naming the test's accounts and tokens so that
/// variants reach real owners, operators and roles.
fn valid_params(e: &Env, ids: &[TokenID]) -> Vec<(Method, Vec<u8>)> {
    let (admin, alice, bob, carol) =
        (e.admin.address, e.alice.address, e.bob.address, e.carol.address);
    let data = RawBytes::new(vec![0xab]);
    let bits = BitField::try_from_bits(ids[..2].iter().copied()).unwrap();
    let entry = MetadataEntry {
        uri: "ipfs://token".into(),
        data_cid: Some(actorlib_sandbox::storage::piece_cid(b"data")),
        piece_cid: Some(actorlib_sandbox::storage::piece_cid(b"piece")),
    };
    let royalty = Some(RoyaltyParams { receiver: carol, basis_points: 250 });
    let list = |owner| ListOwnedTokensParams { owner, cursor: RawBytes::default(), limit: 10 };
    let cases = vec![
        (
            Method::Constructor,
            cbor(&ConstructorParams {
                name: "N".into(),
                symbol: "N".into(),
                max_supply: Some(10),
                admins: vec![admin],
                minters: vec![],
                royalty: royalty.clone(),
            }),
        ),
        (Method::Name, vec![]),
        (Method::Symbol, vec![]),
        (Method::TotalSupply, vec![]),
        (Method::BalanceOf, cbor(&alice)),
        (Method::Balance, cbor(&bob)),
        (Method::OwnerOf, cbor(&ids[0])),
        (Method::Metadata, cbor(&ids[1])),
        (
            Method::Transfer,
            cbor(&TransferParams { to: bob, token_ids: vec![ids[0]], operator_data: data.clone() }),
        ),
        (
            Method::TransferFrom,
            cbor(&TransferFromParams {
                from: alice,
                to: carol,
                token_ids: vec![ids[1]],
                operator_data: data.clone(),
            }),
        ),
        (Method::Approve, cbor(&ApproveParams { operator: bob, token_ids: vec![ids[2]] })),
        (Method::Revoke, cbor(&ApproveParams { operator: bob, token_ids: vec![ids[1]] })),
        (Method::ApproveForAll, cbor(&ApproveForAllParams { operator: bob })),
        (Method::RevokeForAll, cbor(&ApproveForAllParams { operator: carol })),
        (Method::IsApprovedForAll, cbor(&IsApprovedForAllParams { owner: alice, operator: carol })),
        (Method::Burn, cbor(&vec![ids[3]])),
        (Method::BurnFrom, cbor(&BurnFromParams { from: alice, token_ids: vec![ids[2]] })),
        (Method::ListTokens, cbor(&ListTokensParams { cursor: RawBytes::default(), limit: 10 })),
        (Method::ListOwnedTokens, cbor(&list(alice))),
        (
            Method::ListTokenOperators,
            cbor(&ListTokenOperatorsParams {
                token_id: ids[1],
                cursor: RawBytes::default(),
                limit: 10,
            }),
        ),
        (
            Method::ListAccountOperators,
            cbor(&ListAccountOperatorsParams {
                owner: alice,
                cursor: RawBytes::default(),
                limit: 10,
            }),
        ),
        (
            Method::Mint,
            cbor(&MintParams { to: bob, metadata: "ipfs://m".into(), operator_data: data.clone() }),
        ),
        (
            Method::BatchMint,
            cbor(&BatchMintParams {
                to: carol,
                metadata: vec!["a".into(), "b".into()],
                operator_data: data.clone(),
            }),
        ),
        (Method::MaxSupply, vec![]),
        (Method::GrantRole, cbor(&RoleParams { role: Role::MetadataEditor, account: bob })),
        (Method::RevokeRole, cbor(&RoleParams { role: Role::Minter, account: admin })),
        (Method::HasRole, cbor(&RoleParams { role: Role::Admin, account: alice })),
        (Method::MetadataID, cbor(&ids[0])),
        (Method::Owner, cbor(&bits)),
        (
            Method::RevokeApproval,
            cbor(&TokenSetOperatorParams { operator: bob, token_ids: bits.clone() }),
        ),
        (Method::IsApproved, cbor(&TokenSetOperatorParams { operator: bob, token_ids: bits })),
        (Method::RevokeApprovalForAll, cbor(&ApproveForAllParams { operator: carol })),
        (
            Method::ListOperatorTokens,
            cbor(&ListOperatorTokensParams {
                owner: alice,
                operator: bob,
                cursor: RawBytes::default(),
                limit: 10,
            }),
        ),
        (
            Method::RoyaltyInfo,
            cbor(&RoyaltyInfoParams { token_id: ids[0], sale_price: TokenAmount::from_whole(3) }),
        ),
        (Method::DefaultRoyalty, vec![]),
        (Method::SetDefaultRoyalty, cbor(&SetDefaultRoyaltyParams { royalty: royalty.clone() })),
        (Method::SetTokenRoyalty, cbor(&SetTokenRoyaltyParams { token_id: ids[1], royalty })),
        (
            Method::MintWithMetadata,
            cbor(&MintWithMetadataParams {
                to: alice,
                metadata: entry.clone(),
                operator_data: data.clone(),
            }),
        ),
        (
            Method::BatchMintWithMetadata,
            cbor(&BatchMintWithMetadataParams {
                to: bob,
                metadata: vec![entry.clone(), entry.clone()],
                operator_data: data.clone(),
            }),
        ),
        (
            Method::SetTokenMetadata,
            cbor(&SetTokenMetadataParams { token_id: ids[0], metadata: entry }),
        ),
        (Method::FreezeMetadata, vec![]),
        (Method::MetadataFrozen, vec![]),
        (Method::TokenMetadata, cbor(&ids[1])),
        (
            Method::MintStoredContent,
            cbor(&MintStoredContentParams {
                to: alice,
                deal_id: 0,
                uri: "ipfs://stored".into(),
                data_cid: None,
                operator_data: data,
            }),
        ),
        (Method::ContentStatus, cbor(&ids[0])),
        (
            Method::ApproveUntil,
            cbor(&ApproveUntilParams { operator: carol, token_ids: vec![ids[0]], expires_at: 100 }),
        ),
        (
            Method::ApproveForAllUntil,
            cbor(&ApproveForAllUntilParams { operator: bob, expires_at: 100 }),
        ),
        (
            Method::SetCreators,
            cbor(&SetCreatorsParams {
                token_id: ids[0],
                creators: vec![
                    CreatorShare { creator: carol, share: 60 },
                    CreatorShare { creator: bob, share: 40 },
                ],
            }),
        ),
        (Method::VerifyCreator, cbor(&VerifyCreatorParams { token_ids: vec![ids[1]] })),
        (Method::UnverifyCreator, cbor(&VerifyCreatorParams { token_ids: vec![ids[1]] })),
        (Method::Creators, cbor(&ids[1])),
    ];
    assert_eq!(cases.len(), Method::ALL.len(), "a valid encoding for every method");
    cases
}

#[test]
fn malformed_params_are_refused_cleanly_and_change_nothing() {
    let mut e = Env::new(None);
    // State for the variants to reach: tokens, a token operator and an account operator.
    let (admin, alice, bob) = (e.admin.clone(), e.alice.clone(), e.bob.clone());
    let ids = e.mint(alice.address, 4);
    e.ok::<_, ()>(
        &alice,
        Method::Approve,
        &ApproveParams { operator: bob.address, token_ids: vec![ids[1]] },
    );
    let carol = e.carol.address;
    e.ok::<_, ()>(&alice, Method::ApproveForAll, &ApproveForAllParams { operator: carol });

    let senders = [admin, alice, bob];
    let cases = valid_params(&e, &ids);
    let mut mutator = Mutator::new(0x4e46);
    let (mut succeeded, mut past_decoding, mut calls) = (0, 0, 0);
    for round in 0..ROUNDS {
        for (i, (method, valid)) in cases.iter().enumerate() {
            let params = mutator.mutate(valid);
            let from = &senders[(round + i) % senders.len()];
            let before = e.state_cid();
            let r =
                e.sb.send_raw(
                    from.id,
                    e.nft,
                    *method as u64,
                    RawBytes::new(params.clone()),
                    TokenAmount::default(),
                )
                .unwrap();
            calls += 1;
            let what = format!("{method:?} round {round} params {}", hex(&params));
            assert!(is_clean_exit(r.exit_code), "{what}: {} {:?}", r.exit_code, r.failure_info);
            if r.exit_code.is_success() {
                succeeded += 1;
                e.check();
            } else {
                assert!(r.events.is_empty(), "{what}: a failed call emitted events");
                assert_eq!(e.state_cid(), before, "{what}: a failed call changed the state");
            }
            if r.exit_code != ExitCode::USR_SERIALIZATION {
                past_decoding += 1;
            }
        }
    }
    // The variants must reach beyond the decoder for the test to mean anything.
    assert!(past_decoding * 10 > calls, "{past_decoding} of {calls} calls got past decoding");
    assert!(succeeded > 0, "no variant succeeded");
    // The collection still answers, and its state is whole.
    let supply: u64 = e.query(Method::TotalSupply, &());
    assert!(supply > 0);
    e.check();
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
