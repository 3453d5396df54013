//! The token's extensions, run as Wasm in the sandbox: minting by role under a cap, roles, pause,
//! delegation and vote checkpoints across epochs, holder listing, soulbound and wrapped-FIL modes.
mod common;

use actorlib_token::*;
use common::*;
use fvm_ipld_encoding::RawBytes;
use fvm_shared::address::Address;
use fvm_shared::econ::TokenAmount;
use fvm_shared::error::ExitCode;
use fvm_shared::ActorID;

#[test]
fn minters_mint_up_to_the_cap() {
    let mut e = Env::with(|(admin, alice, _, _), p| {
        p.admins = vec![admin.address];
        p.minters = vec![admin.address];
        p.initial_holders = vec![(alice.address, whole(10))];
        p.cap = Some(whole(100));
    });
    let (admin, alice, bob) = (e.admin.clone(), e.alice.clone(), e.bob.clone());
    let m = |to: Address, amount| MintParams { to, amount, operator_data: RawBytes::default() };
    e.fails(&alice, Method::Mint, &m(alice.address, whole(1)), ExitCode::USR_FORBIDDEN);
    let r = e.send(&admin, Method::Mint, &m(bob.address, whole(60)));
    assert_eq!(
        r.ret::<MintReturn>().unwrap(),
        MintReturn { balance: whole(60), supply: whole(70) }
    );
    assert_eq!(events_of(&r, e.id), ["mint"]);
    assert_eq!(field::<ActorID>(&r, 0, "operator"), admin.id);
    println!("mint to a new holder: {} gas", r.gas_used);
    e.fails(&admin, Method::Mint, &m(bob.address, whole(31)), ExitCode::USR_ILLEGAL_ARGUMENT);
    e.fails(&admin, Method::Mint, &m(bob.address, atto(-1)), ExitCode::USR_ILLEGAL_ARGUMENT);
    e.ok::<_, MintReturn>(&admin, Method::Mint, &m(bob.address, whole(30)));
    assert_eq!(e.query::<_, Option<TokenAmount>>(Method::Cap, &()), Some(whole(100)));
    // Minting to a new key address creates its account.
    e.ok::<_, BurnReturn>(&bob, Method::Burn, &BurnParams { amount: whole(1) });
    let fresh = Address::new_secp256k1(&[77u8; 65]).unwrap();
    let r: MintReturn = e.ok(&admin, Method::Mint, &m(fresh, whole(1)));
    assert_eq!(r.balance, whole(1));
    assert!(e.sb.resolve(&fresh).unwrap().is_some());
    e.check();
}

#[test]
fn roles_grant_revoke_renounce() {
    let mut e = Env::new();
    let (admin, alice, bob) = (e.admin.clone(), e.alice.clone(), e.bob.clone());
    let rp = |role, a: Address| RoleParams { role, account: a };
    e.fails(&alice, Method::GrantRole, &rp(Role::Minter, alice.address), ExitCode::USR_FORBIDDEN);
    let r = e.send(&admin, Method::GrantRole, &rp(Role::Minter, bob.address));
    assert!(r.ret::<bool>().unwrap());
    assert_eq!(events_of(&r, e.id), ["role-granted"]);
    assert_eq!(field::<Role>(&r, 0, "role"), Role::Minter);
    assert!(e.query::<_, bool>(Method::HasRole, &rp(Role::Minter, bob.address)));
    let m = MintParams { to: alice.address, amount: whole(1), operator_data: RawBytes::default() };
    e.ok::<_, MintReturn>(&bob, Method::Mint, &m);
    let r = e.send(&bob, Method::RenounceRole, &Role::Minter);
    assert!(r.ret::<bool>().unwrap());
    assert_eq!(events_of(&r, e.id), ["role-revoked"]);
    e.fails(&bob, Method::Mint, &m, ExitCode::USR_FORBIDDEN);
    assert!(e.ok::<_, bool>(&admin, Method::RevokeRole, &rp(Role::Minter, admin.address)));
    e.fails(&admin, Method::Mint, &m, ExitCode::USR_FORBIDDEN);
    // A bad role number is a bad parameter.
    let r =
        e.sb.send_raw(
            admin.id,
            e.token,
            Method::GrantRole as u64,
            RawBytes::new(vec![0x82, 0x09, 0x42, 0x00, 0x65]),
            TokenAmount::default(),
        )
        .unwrap();
    assert_eq!(r.exit_code, ExitCode::USR_SERIALIZATION);
    e.check();
}

#[test]
fn pause_blocks_transfers_mints_and_burns() {
    let mut e = Env::new();
    let (admin, alice, bob, carol) =
        (e.admin.clone(), e.alice.clone(), e.bob.clone(), e.carol.clone());
    e.fails(&carol, Method::Pause, &(), ExitCode::USR_FORBIDDEN);
    e.ok::<_, bool>(
        &admin,
        Method::GrantRole,
        &RoleParams { role: Role::Pauser, account: carol.address },
    );
    let r = e.send(&carol, Method::Pause, &());
    assert_eq!(r.exit_code, ExitCode::OK);
    assert_eq!(events_of(&r, e.id), ["paused"]);
    assert!(e.query::<_, bool>(Method::Paused, &()));
    e.fails(&carol, Method::Pause, &(), ExitCode::USR_ILLEGAL_STATE);
    let t =
        TransferParams { to: bob.address, amount: whole(1), operator_data: RawBytes::default() };
    e.fails(&alice, Method::Transfer, &t, ExitCode::USR_ILLEGAL_STATE);
    e.fails(&alice, Method::Burn, &BurnParams { amount: whole(1) }, ExitCode::USR_ILLEGAL_STATE);
    let m = MintParams { to: bob.address, amount: whole(1), operator_data: RawBytes::default() };
    e.fails(&admin, Method::Mint, &m, ExitCode::USR_ILLEGAL_STATE);
    // Allowances still change while paused.
    let inc = IncreaseAllowanceParams { operator: bob.address, increase: whole(1) };
    e.ok::<_, TokenAmount>(&alice, Method::IncreaseAllowance, &inc);
    let r = e.send(&carol, Method::Unpause, &());
    assert_eq!(events_of(&r, e.id), ["unpaused"]);
    e.ok::<_, TransferReturn>(&alice, Method::Transfer, &t);
    e.check();
}

#[test]
fn votes_follow_delegation_across_epochs() {
    let mut e = Env::new();
    let (admin, alice, bob, carol) =
        (e.admin.clone(), e.alice.clone(), e.bob.clone(), e.carol.clone());
    e.sb.set_epoch(10).unwrap();
    let r = e.send(&alice, Method::Delegate, &DelegateParams { delegatee: Some(carol.address) });
    assert_eq!(r.exit_code, ExitCode::OK, "{:?}", r.failure_info);
    assert_eq!(events_of(&r, e.id), ["delegate-changed", "votes-changed"]);
    assert_eq!(e.query::<_, Option<ActorID>>(Method::Delegates, &alice.address), Some(carol.id));
    assert_eq!(e.query::<_, TokenAmount>(Method::GetVotes, &carol.address), whole(100));

    e.sb.set_epoch(20).unwrap();
    let r = e.transfer(&alice, bob.address, whole(40));
    assert_eq!(events_of(&r, e.id), ["transfer", "votes-changed"]);
    e.ok::<_, ()>(&bob, Method::Delegate, &DelegateParams { delegatee: Some(bob.address) });
    let m = MintParams { to: bob.address, amount: whole(5), operator_data: RawBytes::default() };
    e.ok::<_, MintReturn>(&admin, Method::Mint, &m);

    e.sb.set_epoch(30).unwrap();
    let past = |e: &mut Env, who: Address, epoch| -> TokenAmount {
        e.query(Method::GetPastVotes, &GetPastVotesParams { account: who, epoch })
    };
    assert_eq!(past(&mut e, carol.address, 9), atto(0));
    assert_eq!(past(&mut e, carol.address, 15), whole(100));
    assert_eq!(past(&mut e, carol.address, 25), whole(60));
    assert_eq!(past(&mut e, bob.address, 19), atto(0));
    assert_eq!(past(&mut e, bob.address, 29), whole(45));
    let supply_at =
        |e: &mut Env, epoch: i64| -> TokenAmount { e.query(Method::GetPastTotalSupply, &epoch) };
    assert_eq!(supply_at(&mut e, 0), whole(100));
    assert_eq!(supply_at(&mut e, 29), whole(105));
    let r =
        e.sb.query(
            &carol,
            e.token,
            Method::GetPastVotes as u64,
            &GetPastVotesParams { account: bob.address, epoch: 30 },
        )
        .unwrap();
    assert_eq!(r.exit_code, ExitCode::USR_ILLEGAL_ARGUMENT);
    let r = e.sb.query(&carol, e.token, Method::GetPastTotalSupply as u64, &31i64).unwrap();
    assert_eq!(r.exit_code, ExitCode::USR_ILLEGAL_ARGUMENT);

    e.ok::<_, ()>(&alice, Method::Delegate, &DelegateParams { delegatee: None });
    assert_eq!(e.query::<_, TokenAmount>(Method::GetVotes, &carol.address), atto(0));
    e.check();
}

#[test]
fn holders_are_listed_page_by_page() {
    let mut e = Env::new();
    let alice = e.alice.clone();
    let mut ids = vec![alice.id];
    for i in 0..12u8 {
        let a = Address::new_secp256k1(&[100 + i; 65]).unwrap();
        e.transfer(&alice, a, whole(1)).ok().unwrap();
        ids.push(e.sb.resolve(&a).unwrap().unwrap());
    }
    let mut seen = vec![];
    let mut cursor = None;
    loop {
        let r: ListHoldersReturn =
            e.query(Method::ListHolders, &ListHoldersParams { cursor, limit: 5 });
        assert!(r.holders.len() <= 5);
        seen.extend(r.holders.iter().map(|(id, _)| *id));
        cursor = r.next;
        if cursor.is_none() {
            break;
        }
    }
    seen.sort();
    ids.sort();
    assert_eq!(seen, ids);
    let r =
        e.sb.query(
            &alice,
            e.token,
            Method::ListHolders as u64,
            &ListHoldersParams { cursor: None, limit: MAX_LIST_LIMIT + 1 },
        )
        .unwrap();
    assert_eq!(r.exit_code, ExitCode::USR_ILLEGAL_ARGUMENT);
}

#[test]
fn soulbound_tokens_cannot_be_transferred() {
    let mut e = Env::with(|(admin, alice, _, _), p| {
        p.mode = TokenMode::Soulbound;
        p.admins = vec![admin.address];
        p.minters = vec![admin.address];
        p.initial_holders = vec![(alice.address, whole(10))];
    });
    let (admin, alice, bob) = (e.admin.clone(), e.alice.clone(), e.bob.clone());
    let t =
        TransferParams { to: bob.address, amount: whole(1), operator_data: RawBytes::default() };
    e.fails(&alice, Method::Transfer, &t, ExitCode::USR_FORBIDDEN);
    let m = MintParams { to: bob.address, amount: whole(2), operator_data: RawBytes::default() };
    e.ok::<_, MintReturn>(&admin, Method::Mint, &m);
    e.ok::<_, BurnReturn>(&bob, Method::Burn, &BurnParams { amount: whole(2) });
    e.check();
}

#[test]
fn wrapped_fil_is_backed_one_to_one() {
    let mut e = Env::with(|(admin, _, _, _), p| {
        p.mode = TokenMode::WrappedFil;
        p.admins = vec![admin.address];
        p.minters = vec![admin.address];
    });
    let (admin, alice) = (e.admin.clone(), e.alice.clone());
    let fil_before = e.sb.balance(alice.id).unwrap();
    let r = e.sb.send(&alice, e.token, Method::Deposit as u64, &(), whole(10)).unwrap();
    assert_eq!(r.exit_code, ExitCode::OK, "{:?}", r.failure_info);
    assert_eq!(
        r.ret::<MintReturn>().unwrap(),
        MintReturn { balance: whole(10), supply: whole(10) }
    );
    assert_eq!(e.sb.balance(e.id).unwrap(), whole(10));
    assert_eq!(e.sb.balance(alice.id).unwrap(), fil_before.clone() - whole(10));

    let r: BurnReturn = e.ok(&alice, Method::Withdraw, &WithdrawParams { amount: whole(4) });
    assert_eq!(r.balance, whole(6));
    assert_eq!(e.sb.balance(e.id).unwrap(), whole(6));
    assert_eq!(e.sb.balance(alice.id).unwrap(), fil_before - whole(6));
    e.fails(
        &alice,
        Method::Withdraw,
        &WithdrawParams { amount: whole(7) },
        ExitCode::USR_INSUFFICIENT_FUNDS,
    );
    let m = MintParams { to: alice.address, amount: whole(1), operator_data: RawBytes::default() };
    e.fails(&admin, Method::Mint, &m, ExitCode::USR_FORBIDDEN);
    assert_eq!(e.query::<_, TokenAmount>(Method::TotalSupply, &()), whole(6));
    e.check();

    // A standard token refuses deposits, and the FIL goes back.
    let mut s = Env::new();
    let alice = s.alice.clone();
    let before = s.sb.balance(alice.id).unwrap();
    let r = s.sb.send(&alice, s.token, Method::Deposit as u64, &(), whole(1)).unwrap();
    assert_eq!(r.exit_code, ExitCode::USR_FORBIDDEN);
    assert_eq!(s.sb.balance(alice.id).unwrap(), before);
}

#[test]
fn allowances_expire_at_their_epoch() {
    let mut e =
        Env::with(|(_, alice, _, _), p| p.initial_holders = vec![(alice.address, whole(10))]);
    let (alice, bob, carol) = (e.alice.clone(), e.bob.clone(), e.carol.clone());
    e.sb.set_epoch(100).unwrap();
    let until = |at| IncreaseAllowanceUntilParams {
        operator: bob.address,
        increase: whole(5),
        expires_at: Some(at),
    };
    // Not after the current epoch: refused, nothing changes.
    e.fails(&alice, Method::IncreaseAllowanceUntil, &until(100), ExitCode::USR_ILLEGAL_ARGUMENT);
    let r = e.send(&alice, Method::IncreaseAllowanceUntil, &until(110));
    assert_eq!(r.ret::<TokenAmount>().unwrap(), whole(5));
    assert_eq!(events_of(&r, e.id), ["approval"]);
    assert_eq!(field::<i64>(&r, 0, "expires_at"), 110);
    let q = GetAllowanceParams { owner: alice.address, operator: bob.address };
    assert_eq!(e.query::<_, Option<i64>>(Method::AllowanceExpiry, &q), Some(110));
    // A plain FRC-46 increase keeps the expiry.
    let plain = IncreaseAllowanceParams { operator: bob.address, increase: whole(1) };
    e.ok::<_, TokenAmount>(&alice, Method::IncreaseAllowance, &plain);
    assert_eq!(e.query::<_, Option<i64>>(Method::AllowanceExpiry, &q), Some(110));
    let pull = |amount| TransferFromParams {
        from: alice.address,
        to: carol.address,
        amount,
        operator_data: RawBytes::default(),
    };
    let r: TransferFromReturn = e.ok(&bob, Method::TransferFrom, &pull(whole(2)));
    assert_eq!(r.allowance, whole(4));
    // From epoch 110 on the allowance is gone.
    e.sb.set_epoch(110).unwrap();
    assert_eq!(e.query::<_, TokenAmount>(Method::Allowance, &q), TokenAmount::default());
    assert_eq!(e.query::<_, Option<i64>>(Method::AllowanceExpiry, &q), None);
    e.fails(&bob, Method::TransferFrom, &pull(whole(1)), ExitCode::USR_FORBIDDEN);
    let burn = BurnFromParams { owner: alice.address, amount: whole(1) };
    e.fails(&bob, Method::BurnFrom, &burn, ExitCode::USR_FORBIDDEN);
    // An increase starts from zero and carries no expiry.
    let r = e.send(&alice, Method::IncreaseAllowance, &plain);
    assert_eq!(r.ret::<TokenAmount>().unwrap(), whole(1));
    assert!(actorlib_kit::events::event_field::<i64>(&r.events[0].event, "expires_at").is_none());
    assert_eq!(e.query::<_, Option<i64>>(Method::AllowanceExpiry, &q), None);
    // `None` in IncreaseAllowanceUntil clears an expiry.
    e.ok::<_, TokenAmount>(&alice, Method::IncreaseAllowanceUntil, &until(200));
    let never = IncreaseAllowanceUntilParams {
        operator: bob.address,
        increase: whole(0),
        expires_at: None,
    };
    e.ok::<_, TokenAmount>(&alice, Method::IncreaseAllowanceUntil, &never);
    assert_eq!(e.query::<_, Option<i64>>(Method::AllowanceExpiry, &q), None);
    e.sb.set_epoch(300).unwrap();
    assert_eq!(e.query::<_, TokenAmount>(Method::Allowance, &q), whole(6));
    // Malformed params are a serialization error.
    let r =
        e.sb.send_raw(
            alice.id,
            e.token,
            Method::IncreaseAllowanceUntil as u64,
            RawBytes::new(vec![0x82, 0x42, 0x00, 0x66]),
            TokenAmount::default(),
        )
        .unwrap();
    assert_eq!(r.exit_code, ExitCode::USR_SERIALIZATION);
    e.check();
}

#[test]
fn admins_set_and_clear_the_metadata() {
    let mut e = Env::new();
    let (admin, alice) = (e.admin.clone(), e.alice.clone());
    assert_eq!(e.query::<_, Option<TokenMetadata>>(Method::Metadata, &()), None);
    let doc: cid::Cid =
        "bafy2bzacecu4bm4wzwe3rvtufvipgcrckb2bsdhdmuv5vz3pcs2mtbgdy34va".parse().unwrap();
    let set = SetMetadataParams {
        metadata: Some(TokenMetadata { uri: "ipfs://bafy/token.json".into(), cid: Some(doc) }),
    };
    // Not an admin: refused, nothing changes.
    e.fails(&alice, Method::SetMetadata, &set, ExitCode::USR_FORBIDDEN);
    let too_long = SetMetadataParams {
        metadata: Some(TokenMetadata { uri: "x".repeat(MAX_METADATA_URI + 1), cid: None }),
    };
    e.fails(&admin, Method::SetMetadata, &too_long, ExitCode::USR_ILLEGAL_ARGUMENT);
    let r = e.send(&admin, Method::SetMetadata, &set);
    assert_eq!(r.exit_code, ExitCode::OK, "{:?}", r.failure_info);
    assert!(r.ret::<bool>().unwrap());
    assert_eq!(events_of(&r, e.id), ["metadata-changed"]);
    assert_eq!(field::<String>(&r, 0, "uri"), "ipfs://bafy/token.json");
    assert_eq!(field::<Option<cid::Cid>>(&r, 0, "cid"), Some(doc));
    assert_eq!(e.query::<_, Option<TokenMetadata>>(Method::Metadata, &()), set.metadata);
    // The same again: no change, no event, no new state.
    let before = e.state_cid();
    let r = e.send(&admin, Method::SetMetadata, &set);
    assert!(!r.ret::<bool>().unwrap());
    assert!(r.events.is_empty());
    assert_eq!(e.state_cid(), before);
    // Allowed while paused (it moves no tokens); cleared with `None`.
    e.ok::<_, bool>(
        &admin,
        Method::GrantRole,
        &RoleParams { role: Role::Pauser, account: admin.address },
    );
    e.ok::<_, ()>(&admin, Method::Pause, &());
    let r = e.send(&admin, Method::SetMetadata, &SetMetadataParams { metadata: None });
    assert!(r.ret::<bool>().unwrap());
    assert_eq!(field::<Option<String>>(&r, 0, "uri"), None);
    assert_eq!(e.query::<_, Option<TokenMetadata>>(Method::Metadata, &()), None);
    // Malformed params are a serialization error.
    let r =
        e.sb.send_raw(
            admin.id,
            e.token,
            Method::SetMetadata as u64,
            RawBytes::new(vec![0x81, 0x01]),
            TokenAmount::default(),
        )
        .unwrap();
    assert_eq!(r.exit_code, ExitCode::USR_SERIALIZATION);
    e.check();
}
