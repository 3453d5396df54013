//! Royalty arithmetic and the royalty, content and deal state on the host, with the invariants.
use actorlib_nft::content::{BoundDeal, TokenContent};
use actorlib_nft::royalty::{Royalty, MAX_BASIS_POINTS};
use actorlib_nft::state::NftState;
use actorlib_nft::testing::{assert_invariants, check_invariants};
use actorlib_sandbox::storage::piece_cid;
use fvm_ipld_blockstore::MemoryBlockstore;
use fvm_shared::econ::TokenAmount;
use fvm_shared::error::ExitCode;
use proptest::prelude::*;

proptest! {
    #[test]
    fn royalty_is_the_floor_of_price_times_basis_points(price in any::<u64>(), bps in 0u16..=MAX_BASIS_POINTS) {
        let r = Royalty::new(7, bps).unwrap();
        let amount = r.amount(&TokenAmount::from_atto(price)).unwrap();
        let expected = (price as u128) * (bps as u128) / 10_000;
        prop_assert_eq!(amount, TokenAmount::from_atto(expected));
    }

    #[test]
    fn more_than_10000_basis_points_is_refused(bps in (MAX_BASIS_POINTS + 1)..=u16::MAX) {
        prop_assert_eq!(Royalty::new(7, bps).unwrap_err().code(), ExitCode::USR_ILLEGAL_ARGUMENT);
    }
}

#[test]
fn burns_forget_royalties_content_and_deals() {
    let bs = MemoryBlockstore::new();
    let mut st = NftState::new(&bs, "N".into(), "S".into(), None).unwrap();
    let bound = TokenContent {
        data_cid: None,
        piece_cid: Some(piece_cid(b"p")),
        deal: Some(BoundDeal { deal_id: 4, end_epoch: 100 }),
    };
    let m = st
        .mint_with_content(
            &bs,
            101,
            vec![("a".into(), bound.clone()), ("b".into(), TokenContent::default())],
        )
        .unwrap();
    assert_eq!(m.token_ids, vec![0, 1]);
    assert!(st.set_token_royalty(&bs, 0, Some(Royalty::new(9, 100).unwrap())).unwrap());
    assert_eq!(st.token_of_deal(&bs, 4).unwrap(), Some(0));
    assert_eq!(st.token_content(&bs, 0).unwrap(), bound);
    assert_eq!(st.token_content(&bs, 1).unwrap(), TokenContent::default());
    assert!(st.all_content(&bs).unwrap().len() == 1, "empty content is not stored");
    // The same deal cannot back a second token; nothing changes.
    let before = st.clone();
    let e = st.mint_with_content(&bs, 102, vec![("c".into(), bound.clone())]).unwrap_err();
    assert_eq!(e.code(), ExitCode::USR_ILLEGAL_ARGUMENT);
    assert_eq!(st, before);
    assert_invariants(&st, &bs);
    st.burn(&bs, 101, 101, &[0], &|| 0).unwrap();
    assert_eq!(st.token_of_deal(&bs, 4).unwrap(), None);
    assert!(st.all_royalties(&bs).unwrap().is_empty());
    assert!(st.all_content(&bs).unwrap().is_empty());
    assert_eq!(st.token_content(&bs, 0).unwrap_err().code(), ExitCode::USR_NOT_FOUND);
    assert_invariants(&st, &bs);
    // The freed deal can back a new token.
    st.mint_with_content(&bs, 102, vec![("c".into(), bound)]).unwrap();
    assert_eq!(st.token_of_deal(&bs, 4).unwrap(), Some(2));
    assert_invariants(&st, &bs);
    // The invariants notice a default royalty above 10,000 basis points.
    st.cold
        .update(&bs, |c| {
            c.default_royalty = Some(Royalty { receiver: 9, basis_points: 10_001 });
            Ok(())
        })
        .unwrap();
    assert!(!check_invariants(&st, &bs).1.is_empty());
}
