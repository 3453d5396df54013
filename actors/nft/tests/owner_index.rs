//! The per-owner token index on the host: inline (an RLE+ bitfield in the owner's record) while
//! small, chunks (an AMT of bitfields) once it outgrows its bounds, back to inline only when empty.
//! Random mints, transfers and burns over scattered token IDs move owners between the forms; after
//! each step the invariants hold, every owner's index lists exactly its tokens, and paging
//! `ListOwnedTokens` returns them in ID order, each once.
use std::collections::{BTreeMap, BTreeSet};

use actorlib_nft::state::{NftState, OwnerData, OWNED_INLINE_MAX_BYTES};
use actorlib_nft::testing::assert_invariants;
use actorlib_nft::*;
use fvm_ipld_blockstore::MemoryBlockstore;
use fvm_ipld_encoding::RawBytes;
use fvm_shared::ActorID;
use proptest::prelude::*;

const OWNERS: std::ops::Range<ActorID> = 100..104;

fn record(st: &NftState, bs: &MemoryBlockstore, owner: ActorID) -> Option<OwnerData> {
    st.owners(bs).unwrap().into_iter().find(|(id, _)| *id == owner).map(|(_, r)| r)
}

/// Every page of `owner`'s tokens with `limit`.
fn pages(st: &NftState, bs: &MemoryBlockstore, owner: ActorID, limit: u64) -> Vec<TokenID> {
    let mut out = Vec::new();
    let mut cursor = RawBytes::default();
    loop {
        let page = st.list_owned_tokens(bs, owner, &cursor, limit).unwrap();
        assert!(page.tokens.len() <= limit);
        out.extend(page.tokens.iter());
        match page.next_cursor {
            Some(c) => cursor = c,
            None => return out,
        }
    }
}

fn check(st: &NftState, bs: &MemoryBlockstore, limit: u64) -> Result<(), TestCaseError> {
    let owned = assert_invariants(st, bs);
    for owner in OWNERS {
        let want = owned.get(&owner).cloned().unwrap_or_default();
        let listed = pages(st, bs, owner, limit);
        prop_assert_eq!(&listed, &want, "f0{}'s pages", owner);
        if let Some(rec) = record(st, bs, owner) {
            if rec.chunks.is_none() {
                prop_assert!(rec.tokens.len() <= OWNED_INLINE_MAX_BYTES);
            }
        }
    }
    Ok(())
}

#[derive(Clone, Debug)]
enum Op {
    /// Mints `n` tokens to an owner.
    Mint(ActorID, usize),
    /// Moves every `step`-th token of `from` (from the `skip`-th) to `to`.
    Transfer(ActorID, ActorID, usize, usize),
    /// Burns every `step`-th token of an owner.
    Burn(ActorID, usize, usize),
}

fn op() -> impl Strategy<Value = Op> {
    let id = OWNERS;
    prop_oneof![
        2 => (id.clone(), 1usize..40).prop_map(|(to, n)| Op::Mint(to, n)),
        3 => (id.clone(), id.clone(), 0usize..3, 1usize..5)
            .prop_map(|(f, t, skip, step)| Op::Transfer(f, t, skip, step)),
        1 => (id.clone(), 0usize..3, 2usize..6).prop_map(|(o, skip, step)| Op::Burn(o, skip, step)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn every_owner_lists_exactly_its_tokens_in_either_form(
        ops in proptest::collection::vec(op(), 1..40),
        limit in 1u64..20,
    ) {
        let bs = MemoryBlockstore::new();
        let mut st = NftState::new(&bs, "I".into(), "I".into(), None).unwrap();
        for op in &ops {
            let owned = assert_invariants(&st, &bs);
            let mine = |o: ActorID| owned.get(&o).cloned().unwrap_or_default();
            match *op {
                Op::Mint(to, n) => {
                    st.mint(&bs, to, (0..n).map(|i| format!("u{i}")).collect()).unwrap();
                }
                Op::Transfer(from, to, skip, step) => {
                    let ids: Vec<_> = mine(from).into_iter().skip(skip).step_by(step).take(MAX_BATCH).collect();
                    st.transfer(&bs, from, from, to, &ids, &|| 0).unwrap();
                }
                Op::Burn(owner, skip, step) => {
                    let ids: Vec<_> = mine(owner).into_iter().skip(skip).step_by(step).take(MAX_BATCH).collect();
                    st.burn(&bs, owner, owner, &ids, &|| 0).unwrap();
                }
            }
            check(&st, &bs, limit)?;
        }
    }
}

#[test]
fn an_owner_moves_to_chunks_and_back_to_inline_when_emptied() {
    let bs = MemoryBlockstore::new();
    let mut st = NftState::new(&bs, "I".into(), "I".into(), None).unwrap();
    // One run: inline, whatever its length.
    st.mint(&bs, 100, (0..300).map(|i| format!("u{i}")).collect()).unwrap();
    let rec = record(&st, &bs, 100).unwrap();
    assert!(rec.chunks.is_none() && rec.tokens.len() <= 8, "{rec:?}");
    // Every third token away: 100 short runs no longer fit inline.
    let away: Vec<TokenID> = (0..300).step_by(3).collect();
    st.transfer(&bs, 100, 100, 101, &away, &|| 0).unwrap();
    let rec = record(&st, &bs, 100).unwrap();
    assert!(rec.chunks.is_some() && rec.tokens.is_empty(), "{rec:?}");
    let want: Vec<TokenID> = (0..300).filter(|t| t % 3 != 0).collect();
    assert_eq!(pages(&st, &bs, 100, 7), want);
    // A page boundary that falls on a token the owner has since given away still resumes there.
    let first = st.list_owned_tokens(&bs, 100, &RawBytes::default(), 10).unwrap();
    let cursor = first.next_cursor.unwrap();
    let at = state::decode_cursor(&cursor).unwrap().unwrap();
    st.transfer(&bs, 100, 100, 102, &[at], &|| 0).unwrap();
    let next = st.list_owned_tokens(&bs, 100, &cursor, 5).unwrap();
    let seen: BTreeSet<TokenID> = first.tokens.iter().chain(next.tokens.iter()).collect();
    assert_eq!(seen.len(), 15);
    assert!(!seen.contains(&at));
    assert!(next.tokens.iter().all(|t| t > at));
    // Emptied: back to an empty inline record (kept only because it has an operator).
    st.set_account_operator(&bs, 100, 103, true, None, &|| 0).unwrap();
    let rest: Vec<TokenID> = pages(&st, &bs, 100, 1000);
    st.burn(&bs, 100, 100, &rest, &|| 0).unwrap();
    let rec = record(&st, &bs, 100).unwrap();
    assert_eq!((rec.balance, rec.chunks, rec.tokens.len()), (0, None, 0));
    let by_owner: BTreeMap<ActorID, Vec<TokenID>> = assert_invariants(&st, &bs);
    assert!(!by_owner.contains_key(&100));
}
