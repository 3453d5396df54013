//! Host tests of the state rules over a `MemoryBlockstore`: mint, transfer, burn, operators,
//! listings and their cursors, with the invariants checked after each step.
use actorlib_nft::state::{decode_cursor, encode_cursor, NftState};
use actorlib_nft::testing::assert_invariants;
use actorlib_nft::*;
use fvm_ipld_blockstore::MemoryBlockstore;
use fvm_ipld_encoding::RawBytes;
use fvm_shared::error::ExitCode;
use proptest::prelude::*;

const ALICE: u64 = 101;
const BOB: u64 = 102;
const CAROL: u64 = 103;

fn new(bs: &MemoryBlockstore, max: Option<u64>) -> NftState {
    NftState::new(bs, "N".into(), "S".into(), max).unwrap()
}

fn uris(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("u{i}")).collect()
}

#[test]
fn mint_assigns_counter_ids_and_respects_max_supply() {
    let bs = MemoryBlockstore::new();
    let mut st = new(&bs, Some(5));
    let m = st.mint(&bs, ALICE, uris(3)).unwrap();
    assert_eq!((m.token_ids, m.balance, m.supply), (vec![0, 1, 2], 3, 3));
    let m = st.mint(&bs, BOB, uris(2)).unwrap();
    assert_eq!(m.token_ids, vec![3, 4]);
    let before = st.clone();
    assert_eq!(st.mint(&bs, BOB, uris(1)).unwrap_err().code(), ExitCode::USR_ILLEGAL_ARGUMENT);
    assert_eq!(st, before);
    assert_eq!(st.token(&bs, 1).unwrap().metadata, "u1");
    let owned = assert_invariants(&st, &bs);
    assert_eq!(owned[&ALICE], vec![0, 1, 2]);
}

#[test]
fn oversized_batches_are_rejected() {
    let bs = MemoryBlockstore::new();
    let mut st = new(&bs, None);
    let e = st.mint(&bs, ALICE, uris(MAX_BATCH + 1)).unwrap_err();
    assert_eq!(e.code(), ExitCode::USR_ILLEGAL_ARGUMENT);
    let ids: Vec<u64> = (0..=MAX_BATCH as u64).collect();
    assert_eq!(state::check_batch(&ids).unwrap_err().code(), ExitCode::USR_ILLEGAL_ARGUMENT);
}

#[test]
fn transfer_rules() {
    let bs = MemoryBlockstore::new();
    let mut st = new(&bs, None);
    st.mint(&bs, ALICE, uris(3)).unwrap();
    let before = st.clone();
    let code = |r: actorlib_kit::Result<_>| r.map(|_: state::Moved| ()).unwrap_err().code();
    assert_eq!(code(st.transfer(&bs, BOB, BOB, CAROL, &[0], &|| 0)), ExitCode::USR_FORBIDDEN);
    assert_eq!(code(st.transfer(&bs, BOB, ALICE, CAROL, &[0], &|| 0)), ExitCode::USR_FORBIDDEN);
    assert_eq!(code(st.transfer(&bs, ALICE, ALICE, BOB, &[0, 9], &|| 0)), ExitCode::USR_NOT_FOUND);
    assert_eq!(
        code(st.transfer(&bs, ALICE, ALICE, BOB, &[0, 0], &|| 0)),
        ExitCode::USR_ILLEGAL_ARGUMENT
    );
    assert_eq!(st, before, "failures change nothing");
    let m = st.transfer(&bs, ALICE, ALICE, BOB, &[0, 2], &|| 0).unwrap();
    assert_eq!((m.from_balance, m.to_balance), (1, 2));
    let m = st.transfer(&bs, BOB, BOB, BOB, &[0], &|| 0).unwrap();
    assert_eq!((m.from_balance, m.to_balance), (2, 2));
    let owned = assert_invariants(&st, &bs);
    assert_eq!(owned[&BOB], vec![0, 2]);
}

#[test]
fn operators_and_their_clearing() {
    let bs = MemoryBlockstore::new();
    let mut st = new(&bs, None);
    st.mint(&bs, ALICE, uris(2)).unwrap();
    assert!(st.set_token_operator(&bs, ALICE, BOB, &[0], true, None, &|| 0).unwrap());
    assert!(
        !st.set_token_operator(&bs, ALICE, BOB, &[0], true, None, &|| 0).unwrap(),
        "idempotent"
    );
    let e = st.set_token_operator(&bs, ALICE, ALICE, &[0], true, None, &|| 0).unwrap_err();
    assert_eq!(e.code(), ExitCode::USR_ILLEGAL_ARGUMENT);
    let e = st.set_token_operator(&bs, CAROL, BOB, &[1], true, None, &|| 0).unwrap_err();
    assert_eq!(e.code(), ExitCode::USR_FORBIDDEN);
    st.transfer(&bs, BOB, ALICE, CAROL, &[0], &|| 0).unwrap();
    assert!(st.token(&bs, 0).unwrap().operators.is_empty());
    assert!(st.set_account_operator(&bs, ALICE, CAROL, true, None, &|| 0).unwrap());
    assert!(st.is_account_operator(&bs, ALICE, CAROL, &|| 0).unwrap());
    assert_eq!(
        st.set_account_operator(&bs, ALICE, ALICE, true, None, &|| 0).unwrap_err().code(),
        ExitCode::USR_ILLEGAL_ARGUMENT
    );
    assert_eq!(st.burn(&bs, CAROL, ALICE, &[1], &|| 0).unwrap(), 0);
    // Alice holds nothing but keeps her operator record.
    assert!(st.is_account_operator(&bs, ALICE, CAROL, &|| 0).unwrap());
    assert_invariants(&st, &bs);
    assert!(st.set_account_operator(&bs, ALICE, CAROL, false, None, &|| 0).unwrap());
    assert!(!st.set_account_operator(&bs, ALICE, CAROL, false, None, &|| 0).unwrap());
    assert!(st.owners(&bs).unwrap().iter().all(|(id, _)| *id != ALICE), "empty record deleted");
    assert_invariants(&st, &bs);
}

#[test]
fn expired_operators_count_for_nothing() {
    let bs = MemoryBlockstore::new();
    let mut st = new(&bs, None);
    st.mint(&bs, ALICE, uris(3)).unwrap();
    let at = |epoch: i64| move || epoch;
    // An expiry must lie after the current epoch; a refused call changes nothing.
    let before = st.clone();
    let e = st.set_token_operator(&bs, ALICE, BOB, &[0], true, Some(50), &at(50)).unwrap_err();
    assert_eq!(e.code(), ExitCode::USR_ILLEGAL_ARGUMENT);
    let e = st.set_account_operator(&bs, ALICE, CAROL, true, Some(10), &at(50)).unwrap_err();
    assert_eq!(e.code(), ExitCode::USR_ILLEGAL_ARGUMENT);
    assert_eq!(st, before);
    assert!(st.set_token_operator(&bs, ALICE, BOB, &[0, 1], true, Some(60), &at(50)).unwrap());
    assert!(st.set_account_operator(&bs, ALICE, CAROL, true, Some(70), &at(50)).unwrap());
    // The owner's own moves never ask for the epoch.
    let no_epoch = || -> i64 { panic!("the owner's transfer read the epoch") };
    st.transfer(&bs, ALICE, ALICE, ALICE, &[2], &no_epoch).unwrap();
    // Before the expiry, both count.
    assert_eq!(st.approved_subset(&bs, Some(BOB), &[0, 1, 2], &at(59)).unwrap(), vec![0, 1]);
    assert!(st.is_account_operator(&bs, ALICE, CAROL, &at(69)).unwrap());
    let page = st.list_token_operators(&bs, 1, &RawBytes::default(), 10, &|| 59).unwrap();
    assert_eq!(page.operators.iter().collect::<Vec<_>>(), vec![BOB]);
    st.transfer(&bs, BOB, ALICE, CAROL, &[0], &at(59)).unwrap();
    // From the expiry epoch on, they count for nothing.
    let before = st.clone();
    assert!(st.approved_subset(&bs, Some(BOB), &[1], &at(60)).unwrap().is_empty());
    let page = st.list_token_operators(&bs, 1, &RawBytes::default(), 10, &|| 60).unwrap();
    assert!(page.operators.is_empty());
    let code = |r: actorlib_kit::Result<state::Moved>| r.map(|_| ()).unwrap_err().code();
    assert_eq!(code(st.transfer(&bs, BOB, ALICE, CAROL, &[1], &at(60))), ExitCode::USR_FORBIDDEN);
    assert_eq!(
        st.burn(&bs, BOB, ALICE, &[1], &at(60)).unwrap_err().code(),
        ExitCode::USR_FORBIDDEN
    );
    assert!(!st.is_account_operator(&bs, ALICE, CAROL, &at(70)).unwrap());
    let page = st.list_account_operators(&bs, ALICE, &RawBytes::default(), 10, &|| 70).unwrap();
    assert!(page.operators.is_empty());
    assert_eq!(code(st.transfer(&bs, CAROL, ALICE, CAROL, &[1], &at(70))), ExitCode::USR_FORBIDDEN);
    assert_eq!(st, before, "refused moves change nothing");
    // Renewing without expiry replaces the expired entry.
    assert!(st.set_account_operator(&bs, ALICE, CAROL, true, None, &at(80)).unwrap());
    assert!(st.is_account_operator(&bs, ALICE, CAROL, &at(i64::MAX)).unwrap());
    assert_eq!(st.burn(&bs, CAROL, ALICE, &[1], &at(90)).unwrap(), 1);
    assert_invariants(&st, &bs);
}

#[test]
fn cursors_are_minimal_varints() {
    assert_eq!(decode_cursor(&RawBytes::default()).unwrap(), None);
    assert_eq!(decode_cursor(&encode_cursor(300)).unwrap(), Some(300));
    assert_eq!(
        decode_cursor(&RawBytes::new(vec![0x80, 0x00])).unwrap_err().code(),
        ExitCode::USR_ILLEGAL_ARGUMENT
    );
}

#[test]
fn owned_listing_survives_its_cursor_token_leaving() {
    let bs = MemoryBlockstore::new();
    let mut st = new(&bs, None);
    st.mint(&bs, ALICE, uris(20)).unwrap();
    let first = st.list_owned_tokens(&bs, ALICE, &RawBytes::default(), 5).unwrap();
    let mut seen: Vec<u64> = first.tokens.iter().collect();
    let cursor = first.next_cursor.unwrap();
    let c = decode_cursor(&cursor).unwrap().unwrap();
    st.transfer(&bs, ALICE, ALICE, BOB, &[c], &|| 0).unwrap();
    let mut next = Some(cursor);
    while let Some(c) = next {
        let page = st.list_owned_tokens(&bs, ALICE, &c, 5).unwrap();
        seen.extend(page.tokens.iter());
        next = page.next_cursor;
    }
    seen.sort_unstable();
    let expected: Vec<u64> = (0..20).filter(|i| *i != c).collect();
    assert_eq!(seen, expected);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// Random mints, transfers and burns keep every invariant, and listings see exactly the live
    /// tokens.
    #[test]
    fn random_operations_keep_invariants(ops in prop::collection::vec((0u8..3, 0u64..4, 0u64..4, 0u64..12), 1..40)) {
        let bs = MemoryBlockstore::new();
        let mut st = new(&bs, None);
        for (op, a, b, t) in ops {
            let (a, b) = (100 + a, 100 + b);
            let _ = match op {
                0 => st.mint(&bs, a, uris(2)).map(|_| ()),
                1 => st.transfer(&bs, a, a, b, &[t], &|| 0).map(|_| ()),
                _ => st.burn(&bs, a, a, &[t], &|| 0).map(|_| ()),
            };
            assert_invariants(&st, &bs);
        }
        let live: Vec<u64> = st.all_tokens(&bs).unwrap().into_iter().map(|(id, _)| id).collect();
        let page = st.list_tokens(&bs, &RawBytes::default(), MAX_LIST_LIMIT).unwrap();
        prop_assert_eq!(page.tokens.iter().collect::<Vec<_>>(), live);
        prop_assert!(page.next_cursor.is_none());
    }
}

/// `ListTokens` reads the burned index, not the token table: burned tokens are skipped, a page
/// over a long run of burned tokens ends early with a cursor, and paging from the start visits
/// every live token exactly once.
#[test]
fn token_listings_skip_burned_tokens_and_stay_bounded() {
    let bs = MemoryBlockstore::new();
    let mut st = new(&bs, None);
    for _ in 0..12 {
        st.mint(&bs, ALICE, uris(MAX_BATCH)).unwrap(); // 6,000 tokens
    }
    // Burn everything from 256 to 4,999 (18.5 chunks of 256) and a few scattered ones.
    let run: Vec<u64> = (256..5_000).collect();
    for ids in run.chunks(MAX_BATCH) {
        st.burn(&bs, ALICE, ALICE, ids, &|| 0).unwrap();
    }
    st.burn(&bs, ALICE, ALICE, &[3, 7, 5_500], &|| 0).unwrap();
    assert!(st.is_burned(&bs, 7).unwrap() && !st.is_burned(&bs, 8).unwrap());
    assert_invariants(&st, &bs);

    let first = st.list_tokens(&bs, &RawBytes::default(), 10).unwrap();
    let ids: Vec<u64> = first.tokens.iter().collect();
    assert_eq!(ids, vec![0, 1, 2, 4, 5, 6, 8, 9, 10, 11]);
    assert_eq!(decode_cursor(&first.next_cursor.unwrap()).unwrap(), Some(12));

    // From 256: sixteen chunks of burned tokens are read, then the page stops, empty but with a
    // cursor past them.
    let over = st.list_tokens(&bs, &encode_cursor(256), 100).unwrap();
    assert!(over.tokens.is_empty());
    assert_eq!(decode_cursor(&over.next_cursor.unwrap()).unwrap(), Some(256 + 16 * 256));

    let mut cursor = RawBytes::default();
    let mut seen = Vec::new();
    let mut pages = 0;
    loop {
        let page = st.list_tokens(&bs, &cursor, 100).unwrap();
        seen.extend(page.tokens.iter());
        pages += 1;
        match page.next_cursor {
            Some(c) => cursor = c,
            None => break,
        }
    }
    let live: Vec<u64> =
        (0..6_000).filter(|id| !(256..5_000).contains(id) && ![3, 7, 5_500].contains(id)).collect();
    assert_eq!(seen, live);
    assert!(pages < 20, "{pages} pages");
}

#[test]
fn the_block_codec_and_serde_agree_and_views_read_its_fields() {
    let bs = MemoryBlockstore::new();
    let mut st = new(&bs, None);
    st.mint(&bs, ALICE, uris(300)).unwrap();
    st.mint(&bs, BOB, uris(3)).unwrap();
    st.burn(&bs, ALICE, ALICE, &[1], &|| 0).unwrap();
    // The actor's codec writes what serde writes, and reads it back.
    let bytes = st.to_block().unwrap();
    assert_eq!(bytes, fvm_ipld_encoding::to_vec(&st).unwrap());
    assert_eq!(NftState::from_block(&bytes).unwrap(), st);
    let back: NftState = fvm_ipld_encoding::from_slice(&bytes).unwrap();
    assert_eq!(back, st);
    // The roots are the nodes themselves, their links visible to the FVM as links.
    assert!(st.tokens.as_cbor().len() > 40, "a root node with links, not a CID");
    // The views read the same fields.
    assert_eq!(state::view::supply(&bytes).unwrap(), 302);
    let (tokens, owners) =
        (state::view::tokens(&bytes).unwrap(), state::view::owners(&bytes).unwrap());
    assert_eq!((&tokens, &owners), (&st.tokens, &st.owners));
    assert_eq!(state::token_in(&bs, &tokens, 301).unwrap().owner, BOB);
    assert_eq!(state::balance_in(&bs, &owners, ALICE).unwrap(), 299);
    // The cold block is behind its own link, read on first use.
    assert_eq!(back.cold(&bs).unwrap().name, "N");
    // A malformed block is a state error, not a panic.
    for bad in [&bytes[..bytes.len() - 1], &[0x84, 0, 0, 0, 0][..], &[0x01][..]] {
        assert_eq!(NftState::from_block(bad).unwrap_err().code(), ExitCode::USR_ILLEGAL_STATE);
    }
}
