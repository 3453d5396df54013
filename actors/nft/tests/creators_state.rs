//! Verified creators on the host: who may be listed, who may verify, what a new list keeps, and
//! what burns and frozen metadata do, with the invariants after each step.
use actorlib_nft::content::TokenContent;
use actorlib_nft::state::NftState;
use actorlib_nft::testing::assert_invariants;
use actorlib_nft::Creator;
use fvm_ipld_blockstore::MemoryBlockstore;
use fvm_shared::error::ExitCode;

const OWNER: u64 = 101;
const EDITOR: u64 = 110;
const ARTIST: u64 = 120;
const STUDIO: u64 = 121;

fn collection(bs: &MemoryBlockstore) -> NftState {
    let mut st = NftState::new(bs, "N".into(), "S".into(), None).unwrap();
    let entries = (0..3).map(|i| (format!("ipfs://{i}"), TokenContent::default())).collect();
    st.mint_with_content(bs, OWNER, entries).unwrap();
    st
}

fn creator(creator: u64, share: u8, verified: bool) -> Creator {
    Creator { creator, share, verified }
}

#[test]
fn creators_verify_only_themselves() {
    let bs = MemoryBlockstore::new();
    let mut st = collection(&bs);
    assert_eq!(st.creators(&bs, 0).unwrap(), vec![], "no creators listed yet");
    // The editor lists an artist and itself: itself verified at once, the artist not.
    let set = st.set_creators(&bs, 0, &[(ARTIST, 70), (EDITOR, 30)], EDITOR).unwrap();
    let expected = vec![creator(ARTIST, 70, false), creator(EDITOR, 30, true)];
    assert_eq!(set, Some(expected.clone()));
    assert_eq!(st.creators(&bs, 0).unwrap(), expected);
    assert_eq!(st.set_creators(&bs, 0, &[(ARTIST, 70), (EDITOR, 30)], EDITOR).unwrap(), None);
    assert_invariants(&st, &bs);

    // Only a listed creator may verify, and only its own entry; all or nothing for a batch.
    st.set_creators(&bs, 1, &[(ARTIST, 100)], EDITOR).unwrap();
    let before = st.clone();
    let e = st.verify_creator(&bs, STUDIO, &[0], true).unwrap_err();
    assert_eq!(e.code(), ExitCode::USR_FORBIDDEN);
    let e = st.verify_creator(&bs, ARTIST, &[0, 1, 2], true).unwrap_err();
    assert_eq!(e.code(), ExitCode::USR_FORBIDDEN, "token 2 does not list the artist");
    let e = st.verify_creator(&bs, ARTIST, &[0, 0], true).unwrap_err();
    assert_eq!(e.code(), ExitCode::USR_ILLEGAL_ARGUMENT, "a batch is a set");
    let e = st.verify_creator(&bs, ARTIST, &[9], true).unwrap_err();
    assert_eq!(e.code(), ExitCode::USR_NOT_FOUND);
    assert_eq!(st, before, "refusals change nothing");
    assert_eq!(st.verify_creator(&bs, ARTIST, &[0, 1], true).unwrap(), vec![0, 1]);
    assert_eq!(st.verify_creator(&bs, ARTIST, &[0, 1], true).unwrap(), Vec::<u64>::new());
    assert_eq!(st.creators(&bs, 1).unwrap(), vec![creator(ARTIST, 100, true)]);
    // And may take it back.
    assert_eq!(st.verify_creator(&bs, ARTIST, &[1], false).unwrap(), vec![1]);
    assert_eq!(st.creators(&bs, 1).unwrap(), vec![creator(ARTIST, 100, false)]);
    assert_invariants(&st, &bs);
}

#[test]
fn a_new_list_keeps_only_unchanged_verifications() {
    let bs = MemoryBlockstore::new();
    let mut st = collection(&bs);
    st.set_creators(&bs, 0, &[(ARTIST, 50), (STUDIO, 50)], EDITOR).unwrap();
    st.verify_creator(&bs, ARTIST, &[0], true).unwrap();
    st.verify_creator(&bs, STUDIO, &[0], true).unwrap();
    // The studio's share changes: it must verify again; the artist keeps its flag.
    let set = st.set_creators(&bs, 0, &[(ARTIST, 50), (STUDIO, 40), (EDITOR, 10)], EDITOR);
    let expected =
        vec![creator(ARTIST, 50, true), creator(STUDIO, 40, false), creator(EDITOR, 10, true)];
    assert_eq!(set.unwrap(), Some(expected));
    // An empty list removes the entry.
    assert_eq!(st.set_creators(&bs, 0, &[], EDITOR).unwrap(), Some(vec![]));
    assert!(st.all_creators(&bs).unwrap().is_empty());
    assert_invariants(&st, &bs);
}

#[test]
fn bad_lists_unknown_tokens_and_frozen_metadata_are_refused() {
    let bs = MemoryBlockstore::new();
    let mut st = collection(&bs);
    let before = st.clone();
    for (list, code) in [
        (vec![(ARTIST, 60)], ExitCode::USR_ILLEGAL_ARGUMENT),
        (vec![(ARTIST, 50), (ARTIST, 50)], ExitCode::USR_ILLEGAL_ARGUMENT),
        (vec![(ARTIST, 100), (STUDIO, 0)], ExitCode::USR_ILLEGAL_ARGUMENT),
        (
            (1..=6).map(|i| (i, if i == 1 { 50 } else { 10 })).collect(),
            ExitCode::USR_ILLEGAL_ARGUMENT,
        ),
    ] {
        let e = st.set_creators(&bs, 0, &list, EDITOR).unwrap_err();
        assert_eq!(e.code(), code, "{list:?}");
    }
    let e = st.set_creators(&bs, 3, &[(ARTIST, 100)], EDITOR).unwrap_err();
    assert_eq!(e.code(), ExitCode::USR_NOT_FOUND);
    assert_eq!(st.creators(&bs, 3).unwrap_err().code(), ExitCode::USR_NOT_FOUND);
    assert_eq!(st, before);
    // Once metadata is frozen, lists stay as they are; creators may still verify.
    st.set_creators(&bs, 0, &[(ARTIST, 100)], EDITOR).unwrap();
    assert!(st.freeze_metadata(&bs).unwrap());
    let e = st.set_creators(&bs, 0, &[(STUDIO, 100)], EDITOR).unwrap_err();
    assert_eq!(e.code(), ExitCode::USR_ILLEGAL_STATE);
    assert_eq!(st.verify_creator(&bs, ARTIST, &[0], true).unwrap(), vec![0]);
    assert_invariants(&st, &bs);
}

#[test]
fn burnt_tokens_forget_their_creators() {
    let bs = MemoryBlockstore::new();
    let mut st = collection(&bs);
    st.set_creators(&bs, 0, &[(ARTIST, 100)], EDITOR).unwrap();
    st.set_creators(&bs, 1, &[(ARTIST, 100)], EDITOR).unwrap();
    st.burn(&bs, OWNER, OWNER, &[0], &|| 0).unwrap();
    let lists = st.all_creators(&bs).unwrap();
    assert_eq!(lists, vec![(1, vec![creator(ARTIST, 100, false)])]);
    let e = st.verify_creator(&bs, ARTIST, &[0], true).unwrap_err();
    assert_eq!(e.code(), ExitCode::USR_NOT_FOUND);
    assert_invariants(&st, &bs);
}
