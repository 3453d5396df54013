//! FRC-53 in the sandbox (Wasm): every method's happy path and its main error paths (non-owner,
//! non-operator, burnt and unknown tokens, bad params, read-only), each failure checked to leave
//! the state unchanged and emit nothing.
mod common;

use actorlib_kit::events::{event_field, event_type};
use actorlib_nft::*;
use common::Env;
use fvm_ipld_bitfield::BitField;
use fvm_ipld_encoding::RawBytes;
use fvm_shared::address::Address;
use fvm_shared::econ::TokenAmount;
use fvm_shared::error::ExitCode;
use fvm_shared::ActorID;

fn ids(bf: &BitField) -> Vec<u64> {
    bf.iter().collect()
}

fn transfer(to: Address, token_ids: Vec<TokenID>) -> TransferParams {
    TransferParams { to, token_ids, operator_data: RawBytes::default() }
}

#[test]
fn queries_after_deploy() {
    let mut e = Env::new(Some(10));
    assert_eq!(e.query::<_, String>(Method::Name, &()), "Sandbox Collection");
    assert_eq!(e.query::<_, String>(Method::Symbol, &()), "SBC");
    assert_eq!(e.query::<_, u64>(Method::TotalSupply, &()), 0);
    assert_eq!(e.query::<_, Option<u64>>(Method::MaxSupply, &()), Some(10));
    let alice = e.alice.address;
    assert_eq!(e.balance(alice), 0);
    let admin = e.admin.address;
    assert!(e.query::<_, bool>(Method::HasRole, &RoleParams { role: Role::Minter, account: admin }));
    assert!(
        !e.query::<_, bool>(Method::HasRole, &RoleParams { role: Role::Minter, account: alice })
    );
    e.check();
}

#[test]
fn mint_and_batch_mint() {
    let mut e = Env::new(Some(4));
    let (admin, alice) = (e.admin.clone(), e.alice.address);
    let r = e.send(
        &admin,
        Method::Mint,
        &MintParams { to: alice, metadata: "ipfs://a".into(), operator_data: RawBytes::default() },
    );
    assert_eq!(r.exit_code, ExitCode::OK, "{:?}", r.failure_info);
    let m: MintReturn = r.ret().unwrap();
    assert_eq!(m, MintReturn { balance: 1, supply: 1, token_ids: vec![0] });
    assert_eq!(r.events.len(), 1);
    assert_eq!(event_type(&r.events[0].event).as_deref(), Some("mint"));
    assert_eq!(event_field::<Vec<u64>>(&r.events[0].event, "token_ids"), Some(vec![0]));
    assert_eq!(e.mint(alice, 3), vec![1, 2, 3]);
    assert_eq!(e.owner(2), e.alice.id);
    assert_eq!(e.query::<_, String>(Method::Metadata, &0u64), "ipfs://a");
    assert_eq!(e.query::<_, String>(Method::Metadata, &3u64), "ipfs://token/2");
    assert_eq!(e.balance(alice), 4);
    // Beyond the maximum supply.
    e.fails(
        &admin,
        Method::Mint,
        &MintParams { to: alice, metadata: "x".into(), operator_data: RawBytes::default() },
        ExitCode::USR_ILLEGAL_ARGUMENT,
    );
    // Not a minter.
    let bob = e.bob.clone();
    e.fails(
        &bob,
        Method::BatchMint,
        &BatchMintParams {
            to: alice,
            metadata: vec!["x".into()],
            operator_data: RawBytes::default(),
        },
        ExitCode::USR_FORBIDDEN,
    );
    // Empty batch.
    e.fails(
        &admin,
        Method::BatchMint,
        &BatchMintParams { to: alice, metadata: vec![], operator_data: RawBytes::default() },
        ExitCode::USR_ILLEGAL_ARGUMENT,
    );
    assert_eq!(e.check().get(&e.alice.id).unwrap(), &vec![0, 1, 2, 3]);
}

#[test]
fn mint_to_a_new_key_address_creates_the_account() {
    let mut e = Env::new(None);
    let admin = e.admin.clone();
    let fresh = Address::new_secp256k1(&[7u8; 65]).unwrap();
    let m: MintReturn = e.ok(
        &admin,
        Method::Mint,
        &MintParams { to: fresh, metadata: "m".into(), operator_data: RawBytes::default() },
    );
    assert_eq!(m.balance, 1);
    let id = e.sb.resolve(&fresh).unwrap().expect("account created");
    assert_eq!(e.owner(0), id);
}

#[test]
fn transfer_moves_tokens_and_clears_operators() {
    let mut e = Env::new(None);
    let (alice, bob, carol) = (e.alice.clone(), e.bob.clone(), e.carol.clone());
    let t = e.mint(alice.address, 3);
    e.ok::<_, ()>(
        &alice,
        Method::Approve,
        &ApproveParams { operator: carol.address, token_ids: vec![t[0]] },
    );
    let ops: ListOperatorsReturn = e.query(
        Method::ListTokenOperators,
        &ListTokenOperatorsParams { token_id: t[0], cursor: RawBytes::default(), limit: 10 },
    );
    assert_eq!(ids(&ops.operators), vec![carol.id]);
    let r = e.send(&alice, Method::Transfer, &transfer(bob.address, vec![t[0], t[2]]));
    assert_eq!(r.exit_code, ExitCode::OK, "{:?}", r.failure_info);
    let ret: TransferReturn = r.ret().unwrap();
    assert_eq!(ret, TransferReturn { from_balance: 1, to_balance: 2, token_ids: vec![t[0], t[2]] });
    assert_eq!(event_type(&r.events[0].event).as_deref(), Some("transfer"));
    assert_eq!(e.owner(t[0]), bob.id);
    let ops: ListOperatorsReturn = e.query(
        Method::ListTokenOperators,
        &ListTokenOperatorsParams { token_id: t[0], cursor: RawBytes::default(), limit: 10 },
    );
    assert!(ids(&ops.operators).is_empty(), "a transfer clears the token's operators");
    // The old operator can no longer move it.
    e.fails(
        &carol,
        Method::TransferFrom,
        &TransferFromParams {
            from: bob.address,
            to: carol.address,
            token_ids: vec![t[0]],
            operator_data: RawBytes::default(),
        },
        ExitCode::USR_FORBIDDEN,
    );
    // Transfer to self is a normal transfer; an empty transfer is allowed.
    let r: TransferReturn = e.ok(&bob, Method::Transfer, &transfer(bob.address, vec![t[0]]));
    assert_eq!((r.from_balance, r.to_balance), (2, 2));
    let r: TransferReturn = e.ok(&carol, Method::Transfer, &transfer(alice.address, vec![]));
    assert_eq!((r.from_balance, r.to_balance), (0, 1));
    e.check();
}

#[test]
fn transfer_errors_change_nothing() {
    let mut e = Env::new(None);
    let (alice, bob) = (e.alice.clone(), e.bob.clone());
    let t = e.mint(alice.address, 2);
    // Not the owner.
    e.fails(&bob, Method::Transfer, &transfer(bob.address, vec![t[0]]), ExitCode::USR_FORBIDDEN);
    // Unknown token; one bad token fails the batch.
    e.fails(
        &alice,
        Method::Transfer,
        &transfer(bob.address, vec![t[0], 99]),
        ExitCode::USR_NOT_FOUND,
    );
    // Duplicate ID.
    e.fails(
        &alice,
        Method::Transfer,
        &transfer(bob.address, vec![t[1], t[1]]),
        ExitCode::USR_ILLEGAL_ARGUMENT,
    );
    // Burnt token.
    let bal: u64 = e.ok(&alice, Method::Burn, &vec![t[1]]);
    assert_eq!(bal, 1);
    e.fails(&alice, Method::Transfer, &transfer(bob.address, vec![t[1]]), ExitCode::USR_NOT_FOUND);
    assert_eq!(e.query_code(Method::OwnerOf, &t[1]), ExitCode::USR_NOT_FOUND);
    assert_eq!(e.query_code(Method::Metadata, &t[1]), ExitCode::USR_NOT_FOUND);
    // Bad params and unknown methods.
    let before = e.state_cid();
    let r =
        e.sb.send_raw(
            alice.id,
            e.nft,
            Method::Transfer as u64,
            RawBytes::new(vec![0x82, 0x01]),
            TokenAmount::default(),
        )
        .unwrap();
    assert_eq!(r.exit_code, ExitCode::USR_SERIALIZATION);
    let r =
        e.sb.send_raw(alice.id, e.nft, 0xdead_beef, RawBytes::default(), TokenAmount::default())
            .unwrap();
    assert_eq!(r.exit_code, ExitCode::USR_UNHANDLED_MESSAGE);
    assert_eq!(e.state_cid(), before);
    e.check();
}

#[test]
fn operators_token_and_account_level() {
    let mut e = Env::new(None);
    let (alice, bob, carol) = (e.alice.clone(), e.bob.clone(), e.carol.clone());
    let t = e.mint(alice.address, 3);
    // A token operator moves that token only.
    e.ok::<_, ()>(
        &alice,
        Method::Approve,
        &ApproveParams { operator: bob.address, token_ids: vec![t[0]] },
    );
    let from = |ids: Vec<u64>| TransferFromParams {
        from: alice.address,
        to: carol.address,
        token_ids: ids,
        operator_data: RawBytes::default(),
    };
    e.fails(&bob, Method::TransferFrom, &from(vec![t[0], t[1]]), ExitCode::USR_FORBIDDEN);
    let r: TransferReturn = e.ok(&bob, Method::TransferFrom, &from(vec![t[0]]));
    assert_eq!((r.from_balance, r.to_balance), (2, 1));
    // Approve by a non-owner fails.
    e.fails(
        &bob,
        Method::Approve,
        &ApproveParams { operator: bob.address, token_ids: vec![t[1]] },
        ExitCode::USR_FORBIDDEN,
    );
    // An account operator moves any of the owner's tokens, and may approve token operators.
    let r = e.send(&alice, Method::ApproveForAll, &ApproveForAllParams { operator: bob.address });
    assert_eq!(r.exit_code, ExitCode::OK);
    assert_eq!(event_type(&r.events[0].event).as_deref(), Some("operator-changed"));
    let q = IsApprovedForAllParams { owner: alice.address, operator: bob.address };
    assert!(e.query::<_, bool>(Method::IsApprovedForAll, &q));
    let ops: ListOperatorsReturn = e.query(
        Method::ListAccountOperators,
        &ListAccountOperatorsParams { owner: alice.address, cursor: RawBytes::default(), limit: 5 },
    );
    assert_eq!(ids(&ops.operators), vec![bob.id]);
    e.ok::<_, ()>(
        &bob,
        Method::Approve,
        &ApproveParams { operator: carol.address, token_ids: vec![t[2]] },
    );
    e.ok::<_, ()>(
        &bob,
        Method::BurnFrom,
        &BurnFromParams { from: alice.address, token_ids: vec![t[1]] },
    );
    assert_eq!(e.query::<_, u64>(Method::TotalSupply, &()), 2);
    // Revoked: no more.
    e.ok::<_, ()>(&alice, Method::RevokeForAll, &RevokeForAllParams { operator: bob.address });
    assert!(!e.query::<_, bool>(Method::IsApprovedForAll, &q));
    e.fails(
        &bob,
        Method::BurnFrom,
        &BurnFromParams { from: alice.address, token_ids: vec![t[2]] },
        ExitCode::USR_FORBIDDEN,
    );
    // The token operator bob approved still works until revoked.
    e.ok::<_, ()>(
        &alice,
        Method::Revoke,
        &RevokeParams { operator: carol.address, token_ids: vec![t[2]] },
    );
    e.fails(
        &carol,
        Method::BurnFrom,
        &BurnFromParams { from: alice.address, token_ids: vec![t[2]] },
        ExitCode::USR_FORBIDDEN,
    );
    e.check();
}

#[test]
fn burn_errors_change_nothing() {
    let mut e = Env::new(None);
    let (alice, bob) = (e.alice.clone(), e.bob.clone());
    let t = e.mint(alice.address, 2);
    e.fails(&bob, Method::Burn, &vec![t[0]], ExitCode::USR_FORBIDDEN);
    e.fails(&alice, Method::Burn, &vec![7u64], ExitCode::USR_NOT_FOUND);
    e.fails(
        &bob,
        Method::BurnFrom,
        &BurnFromParams { from: alice.address, token_ids: vec![t[0]] },
        ExitCode::USR_FORBIDDEN,
    );
    let r = e.send(&alice, Method::Burn, &vec![t[0], t[1]]);
    assert_eq!(r.exit_code, ExitCode::OK);
    assert_eq!(event_type(&r.events[0].event).as_deref(), Some("burn"));
    assert_eq!(e.query::<_, u64>(Method::TotalSupply, &()), 0);
    // IDs are never reused after a burn.
    assert_eq!(e.mint(alice.address, 1), vec![2]);
    e.check();
}

#[test]
fn listings_page_through_everything() {
    let mut e = Env::new(None);
    let (alice, bob) = (e.alice.clone(), e.bob.clone());
    e.mint(alice.address, 25);
    e.mint(bob.address, 10);
    let _: u64 = e.ok(&alice, Method::Burn, &vec![3u64]);
    let mut all = Vec::new();
    let mut cursor = RawBytes::default();
    loop {
        let page: ListTokensReturn =
            e.query(Method::ListTokens, &ListTokensParams { cursor: cursor.clone(), limit: 7 });
        all.extend(ids(&page.tokens));
        match page.next_cursor {
            Some(c) => cursor = c,
            None => break,
        }
    }
    let expected: Vec<u64> = (0..35).filter(|i| *i != 3).collect();
    assert_eq!(all, expected);
    let mut owned = Vec::new();
    let mut cursor = RawBytes::default();
    let mut pages = 0;
    loop {
        let page: ListTokensReturn = e.query(
            Method::ListOwnedTokens,
            &ListOwnedTokensParams { owner: bob.address, cursor: cursor.clone(), limit: 3 },
        );
        pages += 1;
        owned.extend(ids(&page.tokens));
        match page.next_cursor {
            Some(c) => cursor = c,
            None => break,
        }
    }
    owned.sort_unstable();
    assert_eq!(owned, (25..35).collect::<Vec<_>>());
    assert!(pages >= 4);
    // Bad limit and cursor.
    let code = e.query_code(
        Method::ListTokens,
        &ListTokensParams { cursor: RawBytes::default(), limit: 0 },
    );
    assert_eq!(code, ExitCode::USR_ILLEGAL_ARGUMENT);
    let code = e.query_code(
        Method::ListTokens,
        &ListTokensParams { cursor: RawBytes::new(vec![0x80]), limit: 5 },
    );
    assert_eq!(code, ExitCode::USR_ILLEGAL_ARGUMENT);
    e.check();
}

#[test]
fn writes_fail_read_only() {
    let mut e = Env::new(None);
    let alice = e.alice.clone();
    e.mint(alice.address, 1);
    let before = e.state_cid();
    let code = e.query_code(Method::Transfer, &transfer(alice.address, vec![0]));
    assert_eq!(code, ExitCode::USR_READ_ONLY);
    let code = e.query_code(Method::Burn, &vec![0u64]);
    assert_eq!(code, ExitCode::USR_READ_ONLY);
    assert_eq!(e.state_cid(), before);
}

#[test]
fn a_recipient_without_the_frc53_hook_refuses() {
    // The example token receiver handles FRC-46 only: it aborts on an FRC-53 payload, so neither a
    // mint nor a transfer to it may happen.
    let mut e = Env::new(None);
    let wasm = actorlib_bundle::wasm("example-token-receiver").expect("receiver in the bundle");
    let code = e.sb.install_actor(wasm).unwrap();
    let admin = e.admin.clone();
    let behaviour = actorlib_example_token_receiver::Behaviour::Accept;
    let receiver =
        e.sb.deploy(&admin, code, &behaviour, TokenAmount::default()).unwrap().id_address;
    e.fails(
        &admin,
        Method::Mint,
        &MintParams { to: receiver, metadata: "m".into(), operator_data: RawBytes::default() },
        ExitCode::USR_FORBIDDEN,
    );
    let alice = e.alice.clone();
    let t = e.mint(alice.address, 1);
    e.fails(&alice, Method::Transfer, &transfer(receiver, t.clone()), ExitCode::USR_FORBIDDEN);
    assert_eq!(e.owner(t[0]), alice.id);
    let _: ActorID = e.owner(t[0]);
    e.check();
}

#[test]
fn roles_are_managed_by_admins() {
    let mut e = Env::new(None);
    let (admin, alice, bob) = (e.admin.clone(), e.alice.clone(), e.bob.clone());
    let grant = RoleParams { role: Role::Minter, account: alice.address };
    e.fails(&bob, Method::GrantRole, &grant, ExitCode::USR_FORBIDDEN);
    assert!(e.ok::<_, bool>(&admin, Method::GrantRole, &grant));
    let m: MintReturn = e.ok(
        &alice,
        Method::Mint,
        &MintParams { to: bob.address, metadata: "m".into(), operator_data: RawBytes::default() },
    );
    assert_eq!(m.token_ids, vec![0]);
    assert!(e.ok::<_, bool>(&admin, Method::RevokeRole, &grant));
    e.fails(
        &alice,
        Method::Mint,
        &MintParams { to: bob.address, metadata: "m".into(), operator_data: RawBytes::default() },
        ExitCode::USR_FORBIDDEN,
    );
    e.check();
}
