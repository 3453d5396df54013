//! Golden tests: the token's wire interface, pinned.
//!
//! Every method number is pinned to a value computed independently of `method_hash!` (Blake2b-512
//! of `"1|" + name`, first 4-byte big-endian chunk >= 2^24, per FRC-42), and one parameter value per
//! method to its exact CBOR bytes. A change here is a breaking change for every caller.
use actorlib_token::*;
use fvm_ipld_encoding::RawBytes;
use fvm_shared::address::Address;
use fvm_shared::econ::TokenAmount;

#[test]
fn method_numbers_are_frc42_hashes() {
    let expected: &[(Method, u64)] = &[
        (Method::Constructor, 1),
        (Method::Name, 48890204),
        (Method::Symbol, 2061153854),
        (Method::Granularity, 3936767397),
        (Method::TotalSupply, 114981429),
        (Method::Balance, 3261979605),
        (Method::BalanceOf, 2266030508),
        (Method::Allowance, 4205072950),
        (Method::Transfer, 80475954),
        (Method::TransferFrom, 3621052141),
        (Method::IncreaseAllowance, 1777121560),
        (Method::DecreaseAllowance, 1529376545),
        (Method::RevokeAllowance, 2765635761),
        (Method::Burn, 1434719642),
        (Method::BurnFrom, 2979674018),
        (Method::Mint, 116935346),
        (Method::GrantRole, 3556308043),
        (Method::RevokeRole, 580127286),
        (Method::RenounceRole, 3959601934),
        (Method::HasRole, 1001545894),
        (Method::Pause, 179840979),
        (Method::Unpause, 4283809567),
        (Method::Paused, 3384277954),
        (Method::Delegate, 2673451489),
        (Method::Delegates, 645394589),
        (Method::GetVotes, 3419690446),
        (Method::GetPastVotes, 3567034916),
        (Method::GetPastTotalSupply, 2241523352),
        (Method::ListHolders, 1341880650),
        (Method::Cap, 3535475723),
        (Method::Deposit, 1932531225),
        (Method::Withdraw, 854052278),
        (Method::IncreaseAllowanceUntil, 3122219787),
        (Method::AllowanceExpiry, 2590588630),
        (Method::Metadata, 3409621011),
        (Method::SetMetadata, 4291525776),
    ];
    assert_eq!(expected.len(), Method::ALL.len());
    for ((m, n), all) in expected.iter().zip(Method::ALL) {
        assert_eq!(*m, all, "Method::ALL order");
        assert_eq!(m.number(), *n, "{m:?}");
    }
    assert_eq!(RECEIVER_HOOK_METHOD, 3726118371);
    assert_eq!(FRC46_TOKEN_TYPE, 2233613279);
}

#[test]
fn method_numbers_match_the_reference_crate() {
    // The reference library's hook constants are the same numbers.
    assert_eq!(FRC46_TOKEN_TYPE, frc46_token::receiver::FRC46_TOKEN_TYPE);
    assert_eq!(RECEIVER_HOOK_METHOD, fvm_actor_utils::messaging::RECEIVER_HOOK_METHOD_NUM);
}

fn hex<T: serde::Serialize>(v: &T) -> String {
    fvm_ipld_encoding::to_vec(v).unwrap().iter().map(|b| format!("{b:02x}")).collect()
}

fn id(n: u64) -> Address {
    Address::new_id(n)
}

fn atto(n: u64) -> TokenAmount {
    TokenAmount::from_atto(n)
}

#[test]
fn params_encodings_are_pinned() {
    let data = RawBytes::new(vec![0xab]);
    // (method, CBOR of one parameter value), checked by hand. Reading aid: 0x8n is an array of n;
    // 0x42 0x00 0x65 is the address f0101 (protocol 0, varint 101) as a 2-byte string; 0x42 0x00
    // 0x07 the amount 7 atto (sign byte 0, magnitude 7); 0x41 0xab the bytes [0xab]; 0xf6 null.
    let cases: Vec<(Method, String, &str)> = vec![
        (
            Method::Constructor,
            hex(&ConstructorParams {
                name: "T".into(),
                symbol: "T".into(),
                granularity: 1,
                initial_holders: vec![(id(101), atto(7))],
                cap: None,
                admins: vec![id(101)],
                minters: vec![],
                mode: TokenMode::Standard,
            }),
            "8861546154018182420065420007f6814200658000",
        ),
        (Method::Name, hex(&()), "f6"),
        (Method::Symbol, hex(&()), "f6"),
        (Method::Granularity, hex(&()), "f6"),
        (Method::TotalSupply, hex(&()), "f6"),
        (Method::Balance, hex(&id(101)), "420065"),
        (Method::BalanceOf, hex(&id(101)), "420065"),
        (
            Method::Allowance,
            hex(&GetAllowanceParams { owner: id(101), operator: id(102) }),
            "82420065420066",
        ),
        (
            Method::Transfer,
            hex(&TransferParams { to: id(101), amount: atto(7), operator_data: data.clone() }),
            "8342006542000741ab",
        ),
        (
            Method::TransferFrom,
            hex(&TransferFromParams {
                from: id(101),
                to: id(102),
                amount: atto(7),
                operator_data: data.clone(),
            }),
            "8442006542006642000741ab",
        ),
        (
            Method::IncreaseAllowance,
            hex(&IncreaseAllowanceParams { operator: id(102), increase: atto(7) }),
            "82420066420007",
        ),
        (
            Method::DecreaseAllowance,
            hex(&DecreaseAllowanceParams { operator: id(102), decrease: atto(7) }),
            "82420066420007",
        ),
        (Method::RevokeAllowance, hex(&RevokeAllowanceParams { operator: id(102) }), "81420066"),
        (Method::Burn, hex(&BurnParams { amount: atto(7) }), "81420007"),
        (
            Method::BurnFrom,
            hex(&BurnFromParams { owner: id(101), amount: atto(7) }),
            "82420065420007",
        ),
        (
            Method::Mint,
            hex(&MintParams { to: id(101), amount: atto(7), operator_data: data.clone() }),
            "8342006542000741ab",
        ),
        (
            Method::GrantRole,
            hex(&RoleParams { role: Role::Minter, account: id(101) }),
            "8201420065",
        ),
        (
            Method::RevokeRole,
            hex(&RoleParams { role: Role::Minter, account: id(101) }),
            "8201420065",
        ),
        (Method::RenounceRole, hex(&Role::Pauser), "02"),
        (Method::HasRole, hex(&RoleParams { role: Role::Admin, account: id(101) }), "8200420065"),
        (Method::Pause, hex(&()), "f6"),
        (Method::Unpause, hex(&()), "f6"),
        (Method::Paused, hex(&()), "f6"),
        (Method::Delegate, hex(&DelegateParams { delegatee: Some(id(101)) }), "81420065"),
        (Method::Delegates, hex(&id(101)), "420065"),
        (Method::GetVotes, hex(&id(101)), "420065"),
        (
            Method::GetPastVotes,
            hex(&GetPastVotesParams { account: id(101), epoch: 10 }),
            "824200650a",
        ),
        (Method::GetPastTotalSupply, hex(&10i64), "0a"),
        (
            Method::ListHolders,
            hex(&ListHoldersParams { cursor: Some(101), limit: 50 }),
            "8218651832",
        ),
        (Method::Cap, hex(&()), "f6"),
        (Method::Deposit, hex(&()), "f6"),
        (Method::Withdraw, hex(&WithdrawParams { amount: atto(7) }), "81420007"),
        (
            Method::IncreaseAllowanceUntil,
            hex(&IncreaseAllowanceUntilParams {
                operator: id(102),
                increase: atto(7),
                expires_at: Some(1000),
            }),
            "834200664200071903e8",
        ),
        (
            Method::AllowanceExpiry,
            hex(&GetAllowanceParams { owner: id(101), operator: id(102) }),
            "82420065420066",
        ),
        (Method::Metadata, hex(&()), "f6"),
        (
            Method::SetMetadata,
            hex(&SetMetadataParams {
                metadata: Some(TokenMetadata { uri: "ipfs://x".into(), cid: None }),
            }),
            "818268697066733a2f2f78f6",
        ),
    ];
    assert_eq!(cases.len(), Method::ALL.len());
    let mut wrong = vec![];
    for ((m, got, want), all) in cases.iter().zip(Method::ALL) {
        assert_eq!(*m, all, "one case per method, in Method::ALL order");
        if got != want {
            wrong.push(format!("{m:?}: got {got}, pinned {want}"));
        }
    }
    assert!(wrong.is_empty(), "encodings changed:\n{}", wrong.join("\n"));
}

#[test]
fn hook_payload_encoding_is_pinned() {
    let received = FRC46TokenReceived {
        from: 100,
        to: 101,
        operator: 100,
        amount: atto(7),
        operator_data: RawBytes::new(vec![0xab]),
        token_data: RawBytes::default(),
    };
    assert_eq!(hex(&received), "8618641865186442000741ab40");
    let hook = UniversalReceiverParams {
        type_: FRC46_TOKEN_TYPE,
        payload: RawBytes::serialize(&received).unwrap(),
    };
    assert_eq!(hex(&hook), "821a85223bdf4d8618641865186442000741ab40");
}

#[test]
fn encodings_match_the_reference_crate() {
    use frc46_token::token::types as crate_types;
    let data = RawBytes::new(vec![1, 2]);
    assert_eq!(
        hex(&TransferParams { to: id(5), amount: atto(9), operator_data: data.clone() }),
        hex(&crate_types::TransferParams {
            to: id(5),
            amount: atto(9),
            operator_data: data.clone()
        })
    );
    assert_eq!(
        hex(&TransferFromParams {
            from: id(4),
            to: id(5),
            amount: atto(9),
            operator_data: data.clone()
        }),
        hex(&crate_types::TransferFromParams {
            from: id(4),
            to: id(5),
            amount: atto(9),
            operator_data: data.clone()
        })
    );
    assert_eq!(
        hex(&BurnFromParams { owner: id(4), amount: atto(9) }),
        hex(&crate_types::BurnFromParams { owner: id(4), amount: atto(9) })
    );
    assert_eq!(
        hex(&BurnParams { amount: atto(9) }),
        hex(&crate_types::BurnParams { amount: atto(9) })
    );
    assert_eq!(
        hex(&RevokeAllowanceParams { operator: id(4) }),
        hex(&crate_types::RevokeAllowanceParams { operator: id(4) })
    );
    assert_eq!(
        hex(&IncreaseAllowanceParams { operator: id(4), increase: atto(9) }),
        hex(&crate_types::IncreaseAllowanceParams { operator: id(4), increase: atto(9) })
    );
    assert_eq!(
        hex(&DecreaseAllowanceParams { operator: id(4), decrease: atto(9) }),
        hex(&crate_types::DecreaseAllowanceParams { operator: id(4), decrease: atto(9) })
    );
    assert_eq!(
        hex(&GetAllowanceParams { owner: id(4), operator: id(5) }),
        hex(&crate_types::GetAllowanceParams { owner: id(4), operator: id(5) })
    );
    let received = FRC46TokenReceived {
        from: 1,
        to: 2,
        operator: 3,
        amount: atto(9),
        operator_data: data.clone(),
        token_data: data.clone(),
    };
    let theirs = frc46_token::receiver::FRC46TokenReceived {
        from: 1,
        to: 2,
        operator: 3,
        amount: atto(9),
        operator_data: data.clone(),
        token_data: data,
    };
    assert_eq!(hex(&received), hex(&theirs));
}

#[test]
fn burn_and_revoke_accept_the_bare_form_of_the_frc46_text() {
    let bare = fvm_ipld_encoding::to_vec(&atto(300)).unwrap();
    let p: BurnParams = fvm_ipld_encoding::from_slice(&bare).unwrap();
    assert_eq!(p.amount, atto(300));
    let neg = fvm_ipld_encoding::to_vec(&-atto(300)).unwrap();
    let p: BurnParams = fvm_ipld_encoding::from_slice(&neg).unwrap();
    assert_eq!(p.amount, -atto(300));
    let zero = fvm_ipld_encoding::to_vec(&atto(0)).unwrap();
    assert_eq!(fvm_ipld_encoding::from_slice::<BurnParams>(&zero).unwrap().amount, atto(0));
    let tuple = fvm_ipld_encoding::to_vec(&BurnParams { amount: atto(300) }).unwrap();
    assert_eq!(fvm_ipld_encoding::from_slice::<BurnParams>(&tuple).unwrap().amount, atto(300));

    let bare = fvm_ipld_encoding::to_vec(&id(77)).unwrap();
    let p: RevokeAllowanceParams = fvm_ipld_encoding::from_slice(&bare).unwrap();
    assert_eq!(p.operator, id(77));
    let tuple = fvm_ipld_encoding::to_vec(&RevokeAllowanceParams { operator: id(77) }).unwrap();
    assert_eq!(
        fvm_ipld_encoding::from_slice::<RevokeAllowanceParams>(&tuple).unwrap().operator,
        id(77)
    );

    // Anything else is refused.
    for bad in [vec![0x80], vec![0x82, 0x40, 0x40], vec![0x01], vec![0x41, 0x07], vec![0xf6]] {
        assert!(fvm_ipld_encoding::from_slice::<BurnParams>(&bad).is_err(), "{bad:02x?}");
        assert!(
            fvm_ipld_encoding::from_slice::<RevokeAllowanceParams>(&bad).is_err(),
            "{bad:02x?}"
        );
    }
}

#[test]
fn enums_reject_unknown_values() {
    assert!(fvm_ipld_encoding::from_slice::<Role>(&[0x03]).is_err());
    assert!(fvm_ipld_encoding::from_slice::<TokenMode>(&[0x03]).is_err());
    for r in Role::ALL {
        let b = fvm_ipld_encoding::to_vec(r).unwrap();
        assert_eq!(fvm_ipld_encoding::from_slice::<Role>(&b).unwrap(), *r);
    }
    for m in TokenMode::ALL {
        let b = fvm_ipld_encoding::to_vec(m).unwrap();
        assert_eq!(fvm_ipld_encoding::from_slice::<TokenMode>(&b).unwrap(), *m);
    }
}
