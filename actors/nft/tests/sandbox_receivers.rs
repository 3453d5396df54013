//! The receiver hook against recipients that are actors, run as Wasm in the sandbox: receivers that
//! accept (and what the payload says for mints, transfers and operator transfers), reject, abort
//! with their own exit code, or re-enter the collection from inside the hook (forwarding what they
//! just received, reading its owner and their balance, burning it). Every failed call leaves the
//! collection's and the receivers' states exactly as they were and emits nothing; every successful
//! one returns balances read after the hook. Then pagination across many pages, with writes
//! between the pages.
//!
//! The receiver is `crates/sandbox/examples/nft-receiver` (`example-nft-receiver` in the bundle).
mod common;

use std::collections::{BTreeMap, BTreeSet};

use actorlib_example_nft_receiver::ext::{
    self as rext, FRC53TokensReceived as RReceived, TransferReturn as RTransferReturn,
};
use actorlib_example_nft_receiver::{Behaviour, Method as RMethod, State as RState, REJECTION};
use actorlib_nft::*;
use actorlib_sandbox::{Account, Receipt};
use cid::Cid;
use common::Env;
use fvm_ipld_encoding::{to_vec, RawBytes};
use fvm_shared::address::Address;
use fvm_shared::econ::TokenAmount;
use fvm_shared::error::ExitCode;
use fvm_shared::ActorID;
use serde::Serialize;

/// Deploys an NFT receiver with `behaviour`; returns its ID address.
fn receiver(e: &mut Env, behaviour: Behaviour) -> Address {
    let wasm = actorlib_bundle::wasm("example-nft-receiver").expect("receiver in the bundle");
    let code = e.sb.install_actor(wasm).unwrap();
    let admin = e.admin.clone();
    e.sb.deploy(&admin, code, &behaviour, TokenAmount::default()).unwrap().id_address
}

fn id(a: Address) -> ActorID {
    a.id().unwrap()
}

fn rstate(e: &Env, r: Address) -> RState {
    e.sb.state(id(r)).unwrap()
}

fn root(e: &Env, a: Address) -> Cid {
    e.sb.actor(id(a)).unwrap().unwrap().state
}

fn info(r: &Receipt) -> String {
    r.failure_info.clone().unwrap_or_default()
}

fn mint_params(to: Address, data: &[u8]) -> MintParams {
    MintParams { to, metadata: "ipfs://r".into(), operator_data: RawBytes::new(data.to_vec()) }
}

fn transfer_params(to: Address, token_ids: Vec<TokenID>, data: &[u8]) -> TransferParams {
    TransferParams { to, token_ids, operator_data: RawBytes::new(data.to_vec()) }
}

/// A call that must fail with `code`, emit nothing, and leave the collection and every receiver in
/// `receivers` exactly as they were (state roots compared).
fn fails_unchanged<P: Serialize>(
    e: &mut Env,
    from: &Account,
    m: Method,
    p: &P,
    code: ExitCode,
    receivers: &[Address],
) -> Receipt {
    let before: Vec<Cid> = receivers.iter().map(|r| root(e, *r)).collect();
    let r = e.fails(from, m, p, code);
    let after: Vec<Cid> = receivers.iter().map(|r| root(e, *r)).collect();
    assert_eq!(before, after, "a failed {m:?} changed a receiver's state");
    r
}

// ---- the mirror the receiver uses ----

#[test]
fn the_receivers_mirror_encodes_like_the_collection() {
    assert_eq!(rext::RECEIVE, RECEIVER_HOOK_METHOD);
    assert_eq!(rext::FRC53_TOKEN_TYPE, FRC53_TOKEN_TYPE);
    assert_eq!(rext::TRANSFER, Method::Transfer as u64);
    assert_eq!(rext::OWNER_OF, Method::OwnerOf as u64);
    assert_eq!(rext::BALANCE_OF, Method::BalanceOf as u64);
    assert_eq!(rext::BURN, Method::Burn as u64);
    let data = RawBytes::new(vec![1, 2]);
    let ours = FRC53TokensReceived {
        from: 1,
        to: 2,
        operator: 3,
        token_ids: vec![4, 5],
        operator_data: data.clone(),
        token_data: RawBytes::default(),
    };
    let mirror = RReceived {
        from: 1,
        to: 2,
        operator: 3,
        token_ids: vec![4, 5],
        operator_data: data.clone(),
        token_data: RawBytes::default(),
    };
    assert_eq!(to_vec(&ours).unwrap(), to_vec(&mirror).unwrap());
    let to = Address::new_id(9);
    assert_eq!(
        to_vec(&transfer_params(to, vec![7], &[1, 2])).unwrap(),
        to_vec(&rext::TransferParams { to, token_ids: vec![7], operator_data: data }).unwrap()
    );
    let ret = TransferReturn { from_balance: 1, to_balance: 2, token_ids: vec![3] };
    let mirror = RTransferReturn { from_balance: 1, to_balance: 2, token_ids: vec![3] };
    assert_eq!(to_vec(&ret).unwrap(), to_vec(&mirror).unwrap());
    let hook = UniversalReceiverParams { type_: 7, payload: RawBytes::new(vec![1]) };
    let mirror = rext::UniversalReceiverParams { type_: 7, payload: RawBytes::new(vec![1]) };
    assert_eq!(to_vec(&hook).unwrap(), to_vec(&mirror).unwrap());
}

// ---- accepting receivers: the payload ----

#[test]
fn an_accepting_receiver_gets_the_payload_of_mints_and_transfers() {
    let mut e = Env::new(None);
    let (admin, alice, carol) = (e.admin.clone(), e.alice.clone(), e.carol.clone());
    let r = receiver(&mut e, Behaviour::Accept);

    // A mint comes from the collection, by the minter.
    let m: MintReturn = e.ok(&admin, Method::Mint, &mint_params(r, &[9]));
    assert_eq!(m, MintReturn { balance: 1, supply: 1, token_ids: vec![0] });
    let st = rstate(&e, r);
    assert_eq!((st.received, st.last_nft), (1, Some(e.id)));
    let want = RReceived {
        from: e.id,
        to: id(r),
        operator: admin.id,
        token_ids: vec![0],
        operator_data: RawBytes::new(vec![9]),
        token_data: RawBytes::default(),
    };
    assert_eq!(st.last, Some(want));

    // A transfer comes from its owner.
    let t = e.mint(alice.address, 3);
    let ret: TransferReturn =
        e.ok(&alice, Method::Transfer, &transfer_params(r, vec![t[0], t[1]], &[1]));
    assert_eq!(ret, TransferReturn { from_balance: 1, to_balance: 3, token_ids: vec![t[0], t[1]] });
    let last = rstate(&e, r).last.unwrap();
    assert_eq!((last.from, last.operator, last.token_ids), (alice.id, alice.id, vec![t[0], t[1]]));

    // An operator transfer comes from the owner, by the operator (this collection's layout).
    let approve = ApproveParams { operator: carol.address, token_ids: vec![t[2]] };
    let () = e.ok(&alice, Method::Approve, &approve);
    let p = TransferFromParams {
        from: alice.address,
        to: r,
        token_ids: vec![t[2]],
        operator_data: RawBytes::default(),
    };
    let ret: TransferReturn = e.ok(&carol, Method::TransferFrom, &p);
    assert_eq!((ret.from_balance, ret.to_balance), (0, 4));
    let st = rstate(&e, r);
    let last = st.last.unwrap();
    assert_eq!((last.from, last.operator, last.token_ids), (alice.id, carol.id, vec![t[2]]));
    assert_eq!(st.received, 3);

    // An empty transfer is announced too.
    let ret: TransferReturn = e.ok(&alice, Method::Transfer, &transfer_params(r, vec![], &[]));
    assert_eq!((ret.from_balance, ret.to_balance), (0, 4));
    assert_eq!(rstate(&e, r).received, 4);
    e.check();
}

// ---- refusing receivers ----

#[test]
fn rejecting_and_aborting_receivers_revert_mints_and_transfers() {
    let mut e = Env::new(None);
    let (admin, alice) = (e.admin.clone(), e.alice.clone());
    let t = e.mint(alice.address, 2);
    for behaviour in [Behaviour::Reject, Behaviour::AbortWithCode(99)] {
        let r = receiver(&mut e, behaviour.clone());
        let rc = fails_unchanged(
            &mut e,
            &admin,
            Method::Mint,
            &mint_params(r, &[]),
            ExitCode::USR_FORBIDDEN,
            &[r],
        );
        if behaviour == Behaviour::Reject {
            assert!(info(&rc).contains(REJECTION), "{}", info(&rc));
        }
        let batch = BatchMintParams {
            to: r,
            metadata: vec!["a".into(), "b".into()],
            operator_data: RawBytes::default(),
        };
        fails_unchanged(&mut e, &admin, Method::BatchMint, &batch, ExitCode::USR_FORBIDDEN, &[r]);
        fails_unchanged(
            &mut e,
            &alice,
            Method::Transfer,
            &transfer_params(r, vec![t[0]], &[]),
            ExitCode::USR_FORBIDDEN,
            &[r],
        );
        // Even an empty transfer: the hook is called, and refuses.
        fails_unchanged(
            &mut e,
            &alice,
            Method::Transfer,
            &transfer_params(r, vec![], &[]),
            ExitCode::USR_FORBIDDEN,
            &[r],
        );
        assert_eq!(rstate(&e, r).received, 0);
    }
    assert_eq!(e.owner(t[0]), alice.id);
    assert_eq!(e.query::<_, u64>(Method::TotalSupply, &()), 2);
    e.check();
}

#[test]
fn a_hook_abort_is_forbidden_here_and_the_receivers_own_code_in_the_reference() {
    let mut e = Env::new(None);
    let admin = e.admin.clone();
    let r = receiver(&mut e, Behaviour::AbortWithCode(99));
    let code = e.sb.install_actor(actorlib_bundle::wasm("reference-frc53").unwrap()).unwrap();
    let p = actorlib_reference_frc53::ConstructorParams { name: "R".into(), symbol: "R".into() };
    let reference = e.sb.deploy(&admin, code, &p, TokenAmount::default()).unwrap().id_address;
    let before = root(&e, reference);
    let rc = e
        .sb
        .send(&admin, reference, Method::Mint as u64, &mint_params(r, &[]), TokenAmount::default())
        .unwrap();
    assert_eq!(rc.exit_code, ExitCode::new(99), "the reference passes the receiver's code on");
    assert_eq!(root(&e, reference), before);
    // And a receiver that parses the payload cannot read the reference's (it has no `from`).
    set_behaviour(&mut e, r, Behaviour::Accept);
    let rc = e
        .sb
        .send(&admin, reference, Method::Mint as u64, &mint_params(r, &[]), TokenAmount::default())
        .unwrap();
    assert_eq!(rc.exit_code, ExitCode::USR_SERIALIZATION, "{}", info(&rc));
    set_behaviour(&mut e, r, Behaviour::AbortWithCode(99));
    fails_unchanged(
        &mut e,
        &admin,
        Method::Mint,
        &mint_params(r, &[]),
        ExitCode::USR_FORBIDDEN,
        &[r],
    );
}

// ---- re-entering receivers ----

#[test]
fn a_receiver_that_queries_from_the_hook_sees_the_transfer() {
    let mut e = Env::new(None);
    let alice = e.alice.clone();
    let nft = e.nft;
    let r = receiver(&mut e, Behaviour::ReenterQuery { nft });
    let t = e.mint(alice.address, 3);
    let ret: TransferReturn =
        e.ok(&alice, Method::Transfer, &transfer_params(r, vec![t[1], t[2]], &[]));
    assert_eq!((ret.from_balance, ret.to_balance), (1, 2));
    let st = rstate(&e, r);
    assert_eq!(st.seen_owner, Some(id(r)), "inside the hook the receiver already owns the token");
    assert_eq!(st.seen_balance, Some(2));
    e.check();
}

#[test]
fn a_receiver_that_forwards_from_the_hook() {
    let mut e = Env::new(None);
    let (admin, alice, bob) = (e.admin.clone(), e.alice.clone(), e.bob.clone());
    let nft = e.nft;
    // r forwards to r2, which accepts.
    let r2 = receiver(&mut e, Behaviour::Accept);
    let r = receiver(&mut e, Behaviour::ReenterTransfer { nft, to: r2 });
    let t = e.mint(alice.address, 2);

    let rc = e.send(&alice, Method::Transfer, &transfer_params(r, vec![t[0]], &[5]));
    assert_eq!(rc.exit_code, ExitCode::OK, "{}", info(&rc));
    let ret: TransferReturn = rc.ret().unwrap();
    // The outer return is read after the hook: r no longer holds the token.
    assert_eq!(ret, TransferReturn { from_balance: 1, to_balance: 0, token_ids: vec![t[0]] });
    assert_eq!(rc.event_types(), ["transfer", "transfer"]);
    assert_eq!(e.owner(t[0]), id(r2));
    let st = rstate(&e, r);
    assert_eq!(st.received, 1);
    assert_eq!(
        st.forwarded,
        Some(RTransferReturn { from_balance: 0, to_balance: 1, token_ids: vec![t[0]] })
    );
    let last = rstate(&e, r2).last.unwrap();
    assert_eq!((last.from, last.operator, last.token_ids), (id(r), id(r), vec![t[0]]));

    // A mint forwarded from the hook: the mint's return says the receiver holds nothing.
    let m: MintReturn = e.ok(&admin, Method::Mint, &mint_params(r, &[]));
    assert_eq!(m, MintReturn { balance: 0, supply: 3, token_ids: vec![2] });
    assert_eq!(e.owner(2), id(r2));
    assert_eq!(e.balance(r2), 2);

    // A forward that fails (to an actor that refuses) fails the whole transfer.
    let refusing = receiver(&mut e, Behaviour::Reject);
    let before_r = rstate(&e, r);
    set_behaviour(&mut e, r, Behaviour::ReenterTransfer { nft, to: refusing });
    let roots = [r, r2, refusing];
    fails_unchanged(
        &mut e,
        &alice,
        Method::Transfer,
        &transfer_params(r, vec![t[1]], &[]),
        ExitCode::USR_FORBIDDEN,
        &roots,
    );
    assert_eq!(rstate(&e, r).received, before_r.received);
    assert_eq!(e.owner(t[1]), alice.id);
    let _ = bob;
    e.check();
}

#[test]
fn a_receiver_that_burns_from_the_hook() {
    let mut e = Env::new(None);
    let (admin, alice) = (e.admin.clone(), e.alice.clone());
    let nft = e.nft;
    let r = receiver(&mut e, Behaviour::ReenterBurn { nft });
    e.mint(alice.address, 1);
    let batch = BatchMintParams {
        to: r,
        metadata: vec!["a".into(), "b".into()],
        operator_data: RawBytes::default(),
    };
    let rc = e.send(&admin, Method::BatchMint, &batch);
    assert_eq!(rc.exit_code, ExitCode::OK, "{}", info(&rc));
    let m: MintReturn = rc.ret().unwrap();
    // Read after the hook: the receiver burnt both, so it holds none and the supply is back to 1.
    assert_eq!(m, MintReturn { balance: 0, supply: 1, token_ids: vec![1, 2] });
    assert_eq!(rc.event_types(), ["mint", "burn"]);
    assert_eq!(rstate(&e, r).burnt, Some(0));
    for t in [1, 2] {
        assert_eq!(e.query_code(Method::OwnerOf, &t), ExitCode::USR_NOT_FOUND);
    }

    // Transferred in, burnt inside the hook: the transfer returns the final balances.
    let ret: TransferReturn = e.ok(&alice, Method::Transfer, &transfer_params(r, vec![0], &[]));
    assert_eq!(ret, TransferReturn { from_balance: 0, to_balance: 0, token_ids: vec![0] });
    assert_eq!(e.query::<_, u64>(Method::TotalSupply, &()), 0);
    e.check();
}

fn set_behaviour(e: &mut Env, r: Address, behaviour: Behaviour) {
    let admin = e.admin.clone();
    e.sb.send(&admin, r, RMethod::SetBehaviour as u64, &behaviour, TokenAmount::default())
        .unwrap()
        .ok()
        .unwrap();
}

// ---- pagination with writes between pages ----

/// Every token in circulation, read natively from the state (checking its invariants).
fn all_tokens(e: &mut Env) -> BTreeSet<TokenID> {
    owners(e).into_keys().collect()
}

/// Each token's owner, read natively from the state (checking its invariants).
fn owners(e: &mut Env) -> BTreeMap<TokenID, ActorID> {
    e.check().into_iter().flat_map(|(o, ts)| ts.into_iter().map(move |t| (t, o))).collect()
}

/// Pages through a listing with `limit`, running `write(e, page_number)` between pages; checks
/// that paging finishes, that no token is listed twice, and that every token that `keeps` says
/// was listable from the first page to the last is listed. Returns the pages' tokens.
fn page_with_writes(
    e: &mut Env,
    owner: Option<ActorID>,
    limit: u64,
    mut write: impl FnMut(&mut Env, usize),
) -> Vec<TokenID> {
    let listable = |e: &mut Env| -> BTreeSet<TokenID> {
        let o = owners(e);
        match owner {
            None => o.keys().copied().collect(),
            Some(a) => o.iter().filter(|(_, v)| **v == a).map(|(k, _)| *k).collect(),
        }
    };
    let mut always: BTreeSet<TokenID> = listable(e);
    let mut seen = Vec::new();
    let mut cursor = RawBytes::default();
    let mut pages = 0;
    loop {
        let page: ListTokensReturn = match owner {
            None => e.query(Method::ListTokens, &ListTokensParams { cursor, limit }),
            Some(a) => {
                let owner = Address::new_id(a);
                e.query(Method::ListOwnedTokens, &ListOwnedTokensParams { owner, cursor, limit })
            }
        };
        assert!(page.tokens.len() <= limit);
        seen.extend(page.tokens.iter());
        pages += 1;
        assert!(pages < 1000, "paging does not finish");
        let Some(next) = page.next_cursor else { break };
        cursor = next;
        write(e, pages);
        let now = listable(e);
        always.retain(|t| now.contains(t));
    }
    let distinct: BTreeSet<TokenID> = seen.iter().copied().collect();
    assert_eq!(distinct.len(), seen.len(), "a token listed twice: {seen:?}");
    let missed: Vec<_> = always.difference(&distinct).collect();
    assert!(missed.is_empty(), "tokens listable throughout but never listed: {missed:?}");
    assert!(pages > 3, "{pages} pages");
    seen
}

#[test]
fn listing_every_token_across_pages_with_writes_between() {
    let mut e = Env::new(None);
    let (admin, alice, bob) = (e.admin.clone(), e.alice.clone(), e.bob.clone());
    e.mint(alice.address, 40);
    e.mint(bob.address, 20);
    let seen = page_with_writes(&mut e, None, 7, |e, page| {
        match page % 4 {
            // Burn a token not listed yet and one listed already.
            0 => {
                let live: Vec<TokenID> = all_tokens(e).into_iter().collect();
                let (a, b) = (live[live.len() / 2], live[live.len() - 1]);
                for t in [a, b] {
                    let owner = if e.owner(t) == alice.id { alice.clone() } else { bob.clone() };
                    let _: u64 = e.ok(&owner, Method::Burn, &vec![t]);
                }
            }
            // Mint more (at the end of the ID range).
            1 => {
                let p = mint_params(bob.address, &[]);
                let _: MintReturn = e.ok(&admin, Method::Mint, &p);
            }
            // Move tokens between owners (does not change the collection's listing).
            _ => {
                let t = *e
                    .query::<_, ListTokensReturn>(
                        Method::ListOwnedTokens,
                        &ListOwnedTokensParams {
                            owner: alice.address,
                            cursor: RawBytes::default(),
                            limit: 1,
                        },
                    )
                    .tokens
                    .iter()
                    .collect::<Vec<_>>()
                    .first()
                    .unwrap();
                let _: TransferReturn =
                    e.ok(&alice, Method::Transfer, &transfer_params(bob.address, vec![t], &[]));
            }
        }
    });
    // The collection lists in ID order.
    assert!(seen.windows(2).all(|w| w[0] < w[1]));
    e.check();
}

#[test]
fn listing_an_owners_tokens_across_pages_with_writes_between() {
    let mut e = Env::new(None);
    let (admin, alice, bob, carol) =
        (e.admin.clone(), e.alice.clone(), e.bob.clone(), e.carol.clone());
    // Alice's tokens in many short runs (interleaved with bob's), so her index is chunked; carol's
    // in one run, so hers stays inline until she receives scattered tokens between two pages.
    for _ in 0..45 {
        e.mint(alice.address, 3);
        e.mint(bob.address, 1);
    }
    e.mint(carol.address, 30);

    for who in [alice.clone(), carol.clone()] {
        // Bob holds widely spaced tokens to hand out.
        for _ in 0..45 {
            e.mint(bob.address, 1);
            e.mint(admin.address, 20);
        }
        let seen = page_with_writes(&mut e, Some(who.id), 9, |e, page| {
            let mine: Vec<TokenID> =
                owners(e).into_iter().filter(|(_, o)| *o == who.id).map(|(t, _)| t).collect();
            match page % 3 {
                // Give a token away (one listed already or not) and burn another.
                0 => {
                    let t = mine[page % mine.len()];
                    let _: TransferReturn =
                        e.ok(&who, Method::Transfer, &transfer_params(bob.address, vec![t], &[]));
                    let t = mine[mine.len() - 1];
                    let _: u64 = e.ok(&who, Method::Burn, &vec![t]);
                }
                // Receive scattered tokens from bob (new runs: carol's index moves to chunks).
                1 => {
                    let theirs: Vec<TokenID> = owners(e)
                        .into_iter()
                        .filter(|(_, o)| *o == bob.id)
                        .map(|(t, _)| t)
                        .rev()
                        .take(40)
                        .collect();
                    let _: TransferReturn =
                        e.ok(&bob, Method::Transfer, &transfer_params(who.address, theirs, &[]));
                }
                // Freshly minted tokens.
                _ => {
                    let _: MintReturn = e.ok(&admin, Method::Mint, &mint_params(who.address, &[]));
                }
            }
        });
        // An owner's tokens are listed in ID order.
        assert!(seen.windows(2).all(|w| w[0] < w[1]), "{seen:?}");
    }
    let st = e.state();
    let bs = e.sb.blockstore().unwrap();
    let chunked = |a: &Account| {
        st.owners(bs).unwrap().into_iter().find(|(i, _)| *i == a.id).unwrap().1.chunks.is_some()
    };
    assert!(chunked(&alice), "alice's index is in chunks");
    assert!(chunked(&carol), "carol's index moved to chunks");
    e.check();
}
