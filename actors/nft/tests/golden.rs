//! Golden tests: the collection's wire interface, pinned.
//!
//! Every method number is pinned to a value computed independently of `method_hash!` (Blake2b-512
//! of `"1|" + name`, first 4-byte big-endian chunk >= 2^24, per FRC-42), and the FRC-53 types'
//! encodings are checked byte for byte against the `frc53_nft` crate's.
use actorlib_nft::*;
use fvm_ipld_bitfield::BitField;
use fvm_ipld_encoding::RawBytes;
use fvm_shared::address::Address;

#[test]
fn method_numbers_are_frc42_hashes() {
    let expected: &[(Method, u64)] = &[
        (Method::Constructor, 1),
        (Method::Name, 48890204),
        (Method::Symbol, 2061153854),
        (Method::TotalSupply, 114981429),
        (Method::BalanceOf, 2266030508),
        (Method::Balance, 3261979605),
        (Method::OwnerOf, 1810095946),
        (Method::Metadata, 3409621011),
        (Method::Transfer, 80475954),
        (Method::TransferFrom, 3621052141),
        (Method::Approve, 1289044053),
        (Method::Revoke, 3248598412),
        (Method::ApproveForAll, 1270275105),
        (Method::RevokeForAll, 3140891016),
        (Method::IsApprovedForAll, 3914862321),
        (Method::Burn, 1434719642),
        (Method::BurnFrom, 2979674018),
        (Method::ListTokens, 3109733400),
        (Method::ListOwnedTokens, 3291325891),
        (Method::ListTokenOperators, 1812036223),
        (Method::ListAccountOperators, 878954194),
        (Method::Mint, 116935346),
        (Method::BatchMint, 813913470),
        (Method::MaxSupply, 1335595306),
        (Method::GrantRole, 3556308043),
        (Method::RevokeRole, 580127286),
        (Method::HasRole, 1001545894),
        (Method::MetadataID, 1388800207),
        (Method::Owner, 739904285),
        (Method::RevokeApproval, 1196401723),
        (Method::IsApproved, 3161842388),
        (Method::RevokeApprovalForAll, 2402642824),
        (Method::ListOperatorTokens, 3756569379),
        (Method::RoyaltyInfo, 1841475602),
        (Method::DefaultRoyalty, 1638713340),
        (Method::SetDefaultRoyalty, 3815772443),
        (Method::SetTokenRoyalty, 2667951281),
        (Method::MintWithMetadata, 2961238389),
        (Method::BatchMintWithMetadata, 1628009341),
        (Method::SetTokenMetadata, 1770065017),
        (Method::FreezeMetadata, 2093483901),
        (Method::MetadataFrozen, 956808997),
        (Method::TokenMetadata, 77856101),
        (Method::MintStoredContent, 2716019383),
        (Method::ContentStatus, 3055500494),
        (Method::ApproveUntil, 1655752386),
        (Method::ApproveForAllUntil, 3277161741),
        (Method::SetCreators, 3572494758),
        (Method::VerifyCreator, 1837687656),
        (Method::UnverifyCreator, 1373115519),
        (Method::Creators, 1276014820),
    ];
    assert_eq!(expected.len(), Method::ALL.len());
    for ((m, n), all) in expected.iter().zip(Method::ALL) {
        assert_eq!(m, all, "Method::ALL order");
        assert_eq!(*m as u64, *n, "{m:?}");
    }
    assert_eq!(RECEIVER_HOOK_METHOD, 3726118371);
    assert_eq!(FRC53_TOKEN_TYPE, 4186685305);
    assert_eq!(FRC53_TOKEN_TYPE, frc53_nft::receiver::FRC53_TOKEN_TYPE);
    // The market methods the collection calls (HOST_INTERFACES.md §0).
    use actorlib_nft::ext::market;
    assert_eq!(market::GET_DEAL_DATA_COMMITMENT, 1157985802);
    assert_eq!(market::GET_DEAL_ACTIVATION, 2567238399);
    assert_eq!(market::GET_DEAL_TERM, 163777312);
    assert_eq!(market::STORAGE_MARKET_ACTOR_ADDR, Address::new_id(5));
    assert_eq!((market::EX_DEAL_EXPIRED.value(), market::EX_DEAL_NOT_ACTIVATED.value()), (32, 33));
}

fn cbor<T: serde::Serialize>(v: &T) -> Vec<u8> {
    fvm_ipld_encoding::to_vec(v).unwrap()
}

fn hex<T: serde::Serialize>(v: &T) -> String {
    cbor(v).iter().map(|b| format!("{b:02x}")).collect()
}

fn id(n: u64) -> Address {
    Address::new_id(n)
}

#[test]
fn encodings_match_the_reference_crate() {
    use frc53_nft::types as r;
    let data = RawBytes::new(vec![0xab]);
    assert_eq!(
        cbor(&TransferParams { to: id(101), token_ids: vec![1, 2], operator_data: data.clone() }),
        cbor(&r::TransferParams {
            to: id(101),
            token_ids: vec![1, 2],
            operator_data: data.clone()
        })
    );
    assert_eq!(
        cbor(&TransferFromParams {
            from: id(101),
            to: id(102),
            token_ids: vec![3],
            operator_data: data.clone()
        }),
        cbor(&r::TransferFromParams {
            from: id(101),
            to: id(102),
            token_ids: vec![3],
            operator_data: data.clone()
        })
    );
    assert_eq!(
        cbor(&TransferReturn { from_balance: 1, to_balance: 2, token_ids: vec![3] }),
        cbor(&r::TransferReturn { from_balance: 1, to_balance: 2, token_ids: vec![3] })
    );
    assert_eq!(
        cbor(&ApproveParams { operator: id(5), token_ids: vec![7] }),
        cbor(&r::ApproveParams { operator: id(5), token_ids: vec![7] })
    );
    assert_eq!(
        cbor(&RevokeParams { operator: id(5), token_ids: vec![7] }),
        cbor(&r::RevokeParams { operator: id(5), token_ids: vec![7] })
    );
    assert_eq!(
        cbor(&ApproveForAllParams { operator: id(5) }),
        cbor(&r::ApproveForAllParams { operator: id(5) })
    );
    assert_eq!(
        cbor(&IsApprovedForAllParams { owner: id(4), operator: id(5) }),
        cbor(&r::IsApprovedForAllParams { owner: id(4), operator: id(5) })
    );
    assert_eq!(
        cbor(&BurnFromParams { from: id(4), token_ids: vec![0] }),
        cbor(&r::BurnFromParams { from: id(4), token_ids: vec![0] })
    );
    assert_eq!(
        cbor(&ListTokensParams { cursor: data.clone(), limit: 9 }),
        cbor(&r::ListTokensParams { cursor: data.clone(), limit: 9 })
    );
    assert_eq!(
        cbor(&ListOwnedTokensParams { owner: id(4), cursor: data.clone(), limit: 9 }),
        cbor(&r::ListOwnedTokensParams { owner: id(4), cursor: data.clone(), limit: 9 })
    );
    assert_eq!(
        cbor(&ListTokenOperatorsParams { token_id: 3, cursor: data.clone(), limit: 9 }),
        cbor(&r::ListTokenOperatorsParams { token_id: 3, cursor: data.clone(), limit: 9 })
    );
    assert_eq!(
        cbor(&ListAccountOperatorsParams { owner: id(4), cursor: data.clone(), limit: 9 }),
        cbor(&r::ListAccountOperatorsParams { owner: id(4), cursor: data.clone(), limit: 9 })
    );
    let bf = BitField::try_from_bits([1u64, 5, 6]).unwrap();
    assert_eq!(
        cbor(&ListTokensReturn { tokens: bf.clone(), next_cursor: Some(data.clone()) }),
        cbor(&r::ListTokensReturn { tokens: bf.clone(), next_cursor: Some(data.clone()) })
    );
    assert_eq!(
        cbor(&ListOperatorsReturn { operators: bf.clone(), next_cursor: None }),
        cbor(&r::ListAccountOperatorsReturn { operators: bf, next_cursor: None })
    );
}

#[test]
fn hook_payload_is_the_spec_layout() {
    // The FRC-53 text's layout: `from` first; the crate's payload has no `from` (documented in
    // the README), so it is one field shorter.
    let ours = FRC53TokensReceived {
        from: 1000,
        to: 101,
        operator: 102,
        token_ids: vec![0, 1],
        operator_data: RawBytes::new(vec![0xab]),
        token_data: RawBytes::default(),
    };
    assert_eq!(hex(&ours), "861903e81865186682000141ab40");
    let crate_payload = frc53_nft::receiver::FRC53TokenReceived {
        to: 101,
        operator: 102,
        token_ids: vec![0, 1],
        operator_data: RawBytes::new(vec![0xab]),
        token_data: RawBytes::default(),
    };
    assert_eq!(hex(&crate_payload), "851865186682000141ab40");
}

#[test]
fn extension_encodings_are_pinned() {
    let p = ConstructorParams {
        name: "N".into(),
        symbol: "S".into(),
        max_supply: Some(10),
        admins: vec![id(101)],
        minters: vec![],
        royalty: None,
    };
    assert_eq!(hex(&p), "86614e61530a8142006580f6");
    // The 5-tuple from before royalties still decodes, with no royalty.
    let old: ConstructorParams =
        fvm_ipld_encoding::from_slice(&unhex("85614e61530a8142006580")).unwrap();
    assert_eq!(old, p);
    let with = ConstructorParams {
        royalty: Some(RoyaltyParams { receiver: id(101), basis_points: 250 }),
        ..p.clone()
    };
    assert_eq!(hex(&with), "86614e61530a81420065808242006518fa");
    let back: ConstructorParams = fvm_ipld_encoding::from_slice(&cbor(&with)).unwrap();
    assert_eq!(back, with);
    // Too short or too long is rejected.
    assert!(
        fvm_ipld_encoding::from_slice::<ConstructorParams>(&unhex("84614e61530a81420065")).is_err()
    );
    assert!(fvm_ipld_encoding::from_slice::<ConstructorParams>(&unhex(
        "87614e61530a8142006580f6f6"
    ))
    .is_err());
    let m = MintParams { to: id(101), metadata: "u".into(), operator_data: RawBytes::default() };
    assert_eq!(hex(&m), "83420065617540");
    let b = BatchMintParams {
        to: id(101),
        metadata: vec!["a".into(), "b".into()],
        operator_data: RawBytes::default(),
    };
    assert_eq!(hex(&b), "83420065826161616240");
    assert_eq!(hex(&MintReturn { balance: 2, supply: 3, token_ids: vec![4] }), "8302038104");
    assert_eq!(hex(&RoleParams { role: Role::Minter, account: id(101) }), "8201420065");
    assert_eq!(hex(&RoleParams { role: Role::MetadataEditor, account: id(101) }), "8202420065");
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

#[test]
fn frc53_text_methods_use_the_texts_encodings() {
    // Token sets are RLE+ bitfields (CBOR byte strings); {1, 5, 6} is the bitfield the crate's
    // listings return for those IDs.
    let set = BitField::try_from_bits([1u64, 5, 6]).unwrap();
    let set_hex = hex(&set);
    assert!(set_hex.starts_with("4"), "a bitfield is a CBOR byte string: {set_hex}");
    // Owner: bare token set -> list of actor IDs.
    assert_eq!(hex(&vec![101u64, 102, 101]), "83186518661865");
    // MetadataID: bare token ID -> string, as Metadata.
    assert_eq!(hex(&7u64), "07");
    // RevokeApproval / IsApproved: {operator, token set}; IsApproved returns a bare token set.
    let p = TokenSetOperatorParams { operator: id(5), token_ids: set.clone() };
    assert_eq!(hex(&p), format!("82420005{set_hex}"));
    let back: IsApprovedParams = fvm_ipld_encoding::from_slice(&cbor(&p)).unwrap();
    assert_eq!(back.token_ids.iter().collect::<Vec<_>>(), vec![1, 5, 6]);
    // RevokeApprovalForAll: {operator}, as RevokeForAll.
    assert_eq!(hex(&RevokeApprovalForAllParams { operator: id(5) }), "81420005");
    // ListOperatorTokens: {owner, operator, cursor, limit} -> {tokens, next_cursor}.
    let p = ListOperatorTokensParams {
        owner: id(4),
        operator: id(5),
        cursor: RawBytes::default(),
        limit: 9,
    };
    assert_eq!(hex(&p), "844200044200054009");
}

#[test]
fn royalty_metadata_and_content_encodings_are_pinned() {
    use fvm_shared::econ::TokenAmount;
    let p = RoyaltyInfoParams { token_id: 3, sale_price: TokenAmount::from_atto(1000) };
    assert_eq!(hex(&p), "8203430003e8");
    let r = RoyaltyInfoReturn { receiver: Some(id(101)), amount: TokenAmount::from_atto(25) };
    assert_eq!(hex(&r), "82420065420019");
    let none = RoyaltyInfoReturn { receiver: None, amount: TokenAmount::default() };
    assert_eq!(hex(&none), "82f640");
    let p = SetDefaultRoyaltyParams {
        royalty: Some(RoyaltyParams { receiver: id(101), basis_points: 250 }),
    };
    assert_eq!(hex(&p), "818242006518fa");
    assert_eq!(hex(&SetTokenRoyaltyParams { token_id: 1, royalty: None }), "8201f6");
    let entry = MetadataEntry { uri: "u".into(), data_cid: None, piece_cid: None };
    let p = MintWithMetadataParams {
        to: id(101),
        metadata: entry.clone(),
        operator_data: RawBytes::default(),
    };
    assert_eq!(hex(&p), "83420065836175f6f640");
    let p = BatchMintWithMetadataParams {
        to: id(101),
        metadata: vec![entry.clone()],
        operator_data: RawBytes::default(),
    };
    assert_eq!(hex(&p), "8342006581836175f6f640");
    assert_eq!(hex(&SetTokenMetadataParams { token_id: 2, metadata: entry }), "8202836175f6f6");
    let m =
        TokenMetadataReturn { uri: "u".into(), data_cid: None, piece_cid: None, deal_id: Some(7) };
    assert_eq!(hex(&m), "846175f6f607");
    let p = MintStoredContentParams {
        to: id(101),
        deal_id: 7,
        uri: "u".into(),
        data_cid: None,
        operator_data: RawBytes::default(),
    };
    assert_eq!(hex(&p), "85420065076175f640");
    let statuses = [
        (ContentStatus::NotBound, 0u8),
        (ContentStatus::Active, 1),
        (ContentStatus::NotActivated, 2),
        (ContentStatus::Terminated, 3),
        (ContentStatus::Expired, 4),
        (ContentStatus::Gone, 5),
    ];
    for (s, n) in statuses {
        assert_eq!(cbor(&s), cbor(&n), "{s:?}");
        assert_eq!(fvm_ipld_encoding::from_slice::<ContentStatus>(&cbor(&n)).unwrap(), s);
    }
    assert!(fvm_ipld_encoding::from_slice::<ContentStatus>(&cbor(&6u8)).is_err());
    let r = ContentStatusReturn { status: ContentStatus::Active, deal_id: Some(7) };
    assert_eq!(hex(&r), "820107");
}

#[test]
fn expiring_approval_params_extend_the_frc53_ones_with_an_epoch() {
    let p = ApproveUntilParams { operator: id(5), token_ids: vec![7], expires_at: 1000 };
    assert_eq!(cbor(&p), [0x83, 0x42, 0x00, 0x05, 0x81, 0x07, 0x19, 0x03, 0xe8]);
    let p = ApproveForAllUntilParams { operator: id(5), expires_at: 1000 };
    assert_eq!(cbor(&p), [0x82, 0x42, 0x00, 0x05, 0x19, 0x03, 0xe8]);
}

#[test]
fn creator_encodings_are_pinned() {
    let p = SetCreatorsParams {
        token_id: 7,
        creators: vec![
            CreatorShare { creator: id(5), share: 60 },
            CreatorShare { creator: id(6), share: 40 },
        ],
    };
    assert_eq!(hex(&p), "82078282420005183c824200061828");
    let c = Creator { creator: 5, share: 60, verified: true };
    assert_eq!(hex(&c), "8305183cf5");
    assert_eq!(hex(&VerifyCreatorParams { token_ids: vec![7, 8] }), "81820708");
}
