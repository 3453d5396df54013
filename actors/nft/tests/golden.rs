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
    ];
    assert_eq!(expected.len(), Method::ALL.len());
    for ((m, n), all) in expected.iter().zip(Method::ALL) {
        assert_eq!(m, all, "Method::ALL order");
        assert_eq!(*m as u64, *n, "{m:?}");
    }
    assert_eq!(RECEIVER_HOOK_METHOD, 3726118371);
    assert_eq!(FRC53_TOKEN_TYPE, 4186685305);
    assert_eq!(FRC53_TOKEN_TYPE, frc53_nft::receiver::FRC53_TOKEN_TYPE);
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
    };
    assert_eq!(hex(&p), "85614e61530a8142006580");
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
}
