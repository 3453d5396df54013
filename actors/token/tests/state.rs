//! Host tests of the state logic alone (no runtime): every rule and every error path, with the
//! invariants checked after each test.
use actorlib_kit::MapKey;
use actorlib_token::allowance::Expiry;
use actorlib_token::state::{AllowanceKey, RoleKey, TokenState, VoteChange};
use actorlib_token::testing::{assert_invariants, check_invariants};
use actorlib_token::{BlockState, ListHoldersReturn, Role, TokenMode, MAX_LIST_LIMIT};
use fvm_ipld_blockstore::MemoryBlockstore;
use fvm_shared::econ::TokenAmount;
use fvm_shared::error::ExitCode;
use proptest::prelude::*;

const A: u64 = 101;
const B: u64 = 102;
const C: u64 = 103;

fn atto(n: i64) -> TokenAmount {
    TokenAmount::from_atto(n)
}

fn token(bs: &MemoryBlockstore) -> TokenState {
    TokenState::new(bs, "Test".into(), "TST".into(), 1, TokenMode::Standard, None).unwrap()
}

fn code<T: std::fmt::Debug>(r: actorlib_kit::Result<T>) -> ExitCode {
    r.expect_err("expected an error").code()
}

#[test]
fn construction_validates() {
    let bs = MemoryBlockstore::new();
    let new = |name: &str, symbol: &str, g: u64, cap: Option<TokenAmount>| {
        TokenState::new(&bs, name.into(), symbol.into(), g, TokenMode::Standard, cap)
    };
    assert_eq!(code(new("", "S", 1, None)), ExitCode::USR_ILLEGAL_ARGUMENT);
    assert_eq!(code(new("N", "", 1, None)), ExitCode::USR_ILLEGAL_ARGUMENT);
    assert_eq!(code(new("N", "S", 0, None)), ExitCode::USR_ILLEGAL_ARGUMENT);
    assert_eq!(code(new("N", "S", 1, Some(atto(-1)))), ExitCode::USR_ILLEGAL_ARGUMENT);
    assert_eq!(code(new("N", "S", 10, Some(atto(15)))), ExitCode::USR_ILLEGAL_ARGUMENT);
    let big = actorlib_kit::amount::max_amount() + atto(1);
    assert_eq!(code(new("N", "S", 1, Some(big))), ExitCode::USR_ILLEGAL_ARGUMENT);
    let st = new("N", "S", 10, Some(atto(20))).unwrap();
    assert_eq!((st.supply.clone(), st.holders, st.paused), (atto(0), 0, false));
    // Every map starts from the same empty block, whatever its bit width.
    assert_eq!(st.allowances, st.cold(&bs).unwrap().votes);
    assert_eq!(st.balances.as_cbor(), actorlib_kit::inline::inline_block(&st.allowances).unwrap());
    assert_invariants(&st, &bs);
}

#[test]
fn mint_credits_and_checks_amounts() {
    let bs = MemoryBlockstore::new();
    let mut st = token(&bs);
    let m = st.mint(&bs, A, &atto(100), 1).unwrap();
    assert_eq!((m.balance, m.supply.clone(), m.votes), (atto(100), atto(100), vec![]));
    assert_eq!(st.balance(&bs, A).unwrap(), atto(100));
    assert_eq!(st.holders, 1);
    let m = st.mint(&bs, A, &atto(5), 2).unwrap();
    assert_eq!(m.balance, atto(105));
    assert_eq!(st.holders, 1);
    assert_eq!(code(st.mint(&bs, A, &atto(-1), 2)), ExitCode::USR_ILLEGAL_ARGUMENT);
    let huge = actorlib_kit::amount::max_amount();
    assert_eq!(code(st.mint(&bs, B, &huge, 2)), ExitCode::USR_ILLEGAL_ARGUMENT);
    assert_eq!(st.supply, atto(105));
    assert_invariants(&st, &bs);
}

#[test]
fn zero_mint_and_zero_transfer_create_no_entry() {
    let bs = MemoryBlockstore::new();
    let mut st = token(&bs);
    let before = st.clone();
    let m = st.mint(&bs, A, &atto(0), 1).unwrap();
    assert_eq!(m.balance, atto(0));
    assert_eq!(st, before, "a zero mint changes nothing");
    st.mint(&bs, A, &atto(10), 1).unwrap();
    let before = st.clone();
    let t = st.transfer(&bs, A, B, &atto(0), 1).unwrap();
    assert_eq!((t.from_balance, t.to_balance), (atto(10), atto(0)));
    assert_eq!(st, before);
    // Zero from an account that holds nothing is allowed too (FRC-46).
    st.transfer(&bs, C, B, &atto(0), 1).unwrap();
    assert_eq!(st, before);
    let (summary, _) = check_invariants(&st, &bs);
    assert_eq!(summary.balances.len(), 1);
    assert_invariants(&st, &bs);
}

#[test]
fn granularity_applies_to_every_amount_but_allowances() {
    let bs = MemoryBlockstore::new();
    let mut st =
        TokenState::new(&bs, "G".into(), "G".into(), 10, TokenMode::Standard, None).unwrap();
    assert_eq!(code(st.mint(&bs, A, &atto(15), 1)), ExitCode::USR_ILLEGAL_ARGUMENT);
    st.mint(&bs, A, &atto(100), 1).unwrap();
    assert_eq!(code(st.transfer(&bs, A, B, &atto(5), 1)), ExitCode::USR_ILLEGAL_ARGUMENT);
    assert_eq!(code(st.burn(&bs, A, &atto(1), 1)), ExitCode::USR_ILLEGAL_ARGUMENT);
    // Allowances need not be granular (FRC-46), but what is spent must be.
    assert_eq!(st.increase_allowance(&bs, A, B, &atto(15), Expiry::Keep, 0).unwrap(), atto(15));
    assert_eq!(code(st.transfer_from(&bs, B, A, C, &atto(15), 1)), ExitCode::USR_ILLEGAL_ARGUMENT);
    let (t, left) = st.transfer_from(&bs, B, A, C, &atto(10), 1).unwrap();
    assert_eq!((t.from_balance, t.to_balance, left), (atto(90), atto(10), atto(5)));
    assert_invariants(&st, &bs);
}

#[test]
fn cap_limits_the_supply() {
    let bs = MemoryBlockstore::new();
    let mut st =
        TokenState::new(&bs, "C".into(), "C".into(), 1, TokenMode::Standard, Some(atto(100)))
            .unwrap();
    st.mint(&bs, A, &atto(60), 1).unwrap();
    let e = st.mint(&bs, B, &atto(41), 1).unwrap_err();
    assert_eq!(e.code(), ExitCode::USR_ILLEGAL_ARGUMENT);
    assert!(e.message().contains("above the cap"), "{}", e.message());
    st.mint(&bs, B, &atto(40), 1).unwrap();
    assert_eq!(code(st.mint(&bs, B, &atto(1), 1)), ExitCode::USR_ILLEGAL_ARGUMENT);
    // Burning makes room again.
    st.burn(&bs, A, &atto(10), 2).unwrap();
    st.mint(&bs, C, &atto(10), 2).unwrap();
    assert_eq!(st.supply, atto(100));
    assert_invariants(&st, &bs);
}

#[test]
fn transfers_move_balances_and_delete_empty_ones() {
    let bs = MemoryBlockstore::new();
    let mut st = token(&bs);
    st.mint(&bs, A, &atto(100), 1).unwrap();
    let t = st.transfer(&bs, A, B, &atto(30), 1).unwrap();
    assert_eq!((t.from_balance, t.to_balance), (atto(70), atto(30)));
    assert_eq!(st.holders, 2);
    let t = st.transfer(&bs, A, B, &atto(70), 1).unwrap();
    assert_eq!((t.from_balance, t.to_balance), (atto(0), atto(100)));
    assert_eq!(st.holders, 1);
    let (summary, _) = check_invariants(&st, &bs);
    assert!(!summary.balances.contains_key(&A), "an emptied balance is deleted");
    let e = st.transfer(&bs, A, B, &atto(1), 1).unwrap_err();
    assert_eq!(e.code(), ExitCode::USR_INSUFFICIENT_FUNDS);
    assert_eq!(code(st.transfer(&bs, B, A, &atto(-1), 1)), ExitCode::USR_ILLEGAL_ARGUMENT);
    assert_invariants(&st, &bs);
}

#[test]
fn transfer_to_self_is_a_normal_transfer() {
    let bs = MemoryBlockstore::new();
    let mut st = token(&bs);
    st.mint(&bs, A, &atto(10), 1).unwrap();
    let before = st.clone();
    let t = st.transfer(&bs, A, A, &atto(10), 1).unwrap();
    assert_eq!((t.from_balance, t.to_balance), (atto(10), atto(10)));
    assert_eq!(st, before);
    assert_eq!(code(st.transfer(&bs, A, A, &atto(11), 1)), ExitCode::USR_INSUFFICIENT_FUNDS);
    assert_invariants(&st, &bs);
}

#[test]
fn soulbound_tokens_mint_and_burn_but_never_move() {
    let bs = MemoryBlockstore::new();
    let mut st =
        TokenState::new(&bs, "S".into(), "S".into(), 1, TokenMode::Soulbound, None).unwrap();
    st.mint(&bs, A, &atto(10), 1).unwrap();
    assert_eq!(code(st.transfer(&bs, A, B, &atto(1), 1)), ExitCode::USR_FORBIDDEN);
    assert_eq!(code(st.transfer(&bs, A, B, &atto(0), 1)), ExitCode::USR_FORBIDDEN);
    st.increase_allowance(&bs, A, B, &atto(5), Expiry::Keep, 0).unwrap();
    assert_eq!(code(st.transfer_from(&bs, B, A, C, &atto(1), 1)), ExitCode::USR_FORBIDDEN);
    let (b, left) = st.burn_from(&bs, B, A, &atto(5), 1).unwrap();
    assert_eq!((b.balance, left), (atto(5), atto(0)));
    st.burn(&bs, A, &atto(5), 1).unwrap();
    assert_eq!(st.supply, atto(0));
    assert_invariants(&st, &bs);
}

#[test]
fn pause_stops_transfers_mints_and_burns() {
    let bs = MemoryBlockstore::new();
    let mut st = token(&bs);
    st.mint(&bs, A, &atto(10), 1).unwrap();
    st.increase_allowance(&bs, A, B, &atto(5), Expiry::Keep, 0).unwrap();
    st.set_paused(true).unwrap();
    assert_eq!(code(st.set_paused(true)), ExitCode::USR_ILLEGAL_STATE);
    assert_eq!(code(st.mint(&bs, A, &atto(1), 1)), ExitCode::USR_ILLEGAL_STATE);
    assert_eq!(code(st.transfer(&bs, A, B, &atto(1), 1)), ExitCode::USR_ILLEGAL_STATE);
    assert_eq!(code(st.transfer(&bs, A, B, &atto(0), 1)), ExitCode::USR_ILLEGAL_STATE);
    assert_eq!(code(st.burn(&bs, A, &atto(1), 1)), ExitCode::USR_ILLEGAL_STATE);
    assert_eq!(code(st.transfer_from(&bs, B, A, C, &atto(1), 1)), ExitCode::USR_ILLEGAL_STATE);
    // Allowances and delegation still work while paused.
    st.increase_allowance(&bs, A, C, &atto(1), Expiry::Keep, 0).unwrap();
    st.delegate(&bs, A, Some(A), 1).unwrap();
    st.set_paused(false).unwrap();
    assert_eq!(code(st.set_paused(false)), ExitCode::USR_ILLEGAL_STATE);
    st.transfer(&bs, A, B, &atto(1), 1).unwrap();
    assert_invariants(&st, &bs);
}

#[test]
fn allowances_increase_decrease_and_revoke() {
    let bs = MemoryBlockstore::new();
    let mut st = token(&bs);
    assert_eq!(st.allowance(&bs, A, B, 0).unwrap(), atto(0));
    assert_eq!(st.increase_allowance(&bs, A, B, &atto(10), Expiry::Keep, 0).unwrap(), atto(10));
    assert_eq!(st.increase_allowance(&bs, A, B, &atto(5), Expiry::Keep, 0).unwrap(), atto(15));
    assert_eq!(st.allowance(&bs, B, A, 0).unwrap(), atto(0), "allowances are directional");
    assert_eq!(st.decrease_allowance(&bs, A, B, &atto(4), 0).unwrap(), atto(11));
    assert_eq!(st.decrease_allowance(&bs, A, B, &atto(400), 0).unwrap(), atto(0), "saturates");
    let (summary, _) = check_invariants(&st, &bs);
    assert!(summary.allowances.is_empty(), "a zero allowance is deleted");
    st.increase_allowance(&bs, A, B, &atto(3), Expiry::Keep, 0).unwrap();
    assert_eq!(st.revoke_allowance(&bs, A, B, 0).unwrap(), atto(3));
    assert_eq!(st.revoke_allowance(&bs, A, B, 0).unwrap(), atto(0));
    assert_eq!(st.allowance(&bs, A, B, 0).unwrap(), atto(0));
    assert_eq!(
        code(st.increase_allowance(&bs, A, B, &atto(-1), Expiry::Keep, 0)),
        ExitCode::USR_ILLEGAL_ARGUMENT
    );
    assert_eq!(
        code(st.decrease_allowance(&bs, A, B, &atto(-1), 0)),
        ExitCode::USR_ILLEGAL_ARGUMENT
    );
    assert_eq!(
        code(st.increase_allowance(&bs, A, A, &atto(1), Expiry::Keep, 0)),
        ExitCode::USR_ILLEGAL_ARGUMENT
    );
    let max = actorlib_kit::amount::max_amount();
    st.increase_allowance(&bs, A, B, &max, Expiry::Keep, 0).unwrap();
    assert_eq!(
        code(st.increase_allowance(&bs, A, B, &atto(1), Expiry::Keep, 0)),
        ExitCode::USR_ILLEGAL_ARGUMENT
    );
    assert_invariants(&st, &bs);
}

#[test]
fn operators_are_limited_by_their_allowance() {
    let bs = MemoryBlockstore::new();
    let mut st = token(&bs);
    st.mint(&bs, A, &atto(100), 1).unwrap();
    // No allowance: refused, even for zero (FRC-46), with USR_FORBIDDEN.
    assert_eq!(code(st.transfer_from(&bs, B, A, C, &atto(0), 1)), ExitCode::USR_FORBIDDEN);
    assert_eq!(code(st.transfer_from(&bs, B, A, C, &atto(1), 1)), ExitCode::USR_FORBIDDEN);
    assert_eq!(code(st.burn_from(&bs, B, A, &atto(1), 1)), ExitCode::USR_FORBIDDEN);
    st.increase_allowance(&bs, A, B, &atto(30), Expiry::Keep, 0).unwrap();
    assert_eq!(code(st.transfer_from(&bs, B, A, C, &atto(31), 1)), ExitCode::USR_FORBIDDEN);
    let (t, left) = st.transfer_from(&bs, B, A, C, &atto(0), 1).unwrap();
    assert_eq!((t.to_balance, left), (atto(0), atto(30)));
    let (t, left) = st.transfer_from(&bs, B, A, C, &atto(20), 1).unwrap();
    assert_eq!((t.from_balance, t.to_balance, left), (atto(80), atto(20), atto(10)));
    let (b, left) = st.burn_from(&bs, B, A, &atto(10), 1).unwrap();
    assert_eq!((b.balance, b.supply, left), (atto(70), atto(90), atto(0)));
    assert_eq!(st.allowance(&bs, A, B, 0).unwrap(), atto(0));
    assert_invariants(&st, &bs);
}

#[test]
fn allowances_with_an_expiry_count_as_zero_from_that_epoch_on() {
    let bs = MemoryBlockstore::new();
    let mut st = token(&bs);
    st.mint(&bs, A, &atto(100), 1).unwrap();
    // An expiry must be after the current epoch.
    for at in [9, 10] {
        assert_eq!(
            code(st.increase_allowance(&bs, A, B, &atto(30), Expiry::At(at), 10)),
            ExitCode::USR_ILLEGAL_ARGUMENT
        );
    }
    assert_eq!(st.increase_allowance(&bs, A, B, &atto(30), Expiry::At(20), 10).unwrap(), atto(30));
    assert_eq!(st.allowance_expiry(&bs, A, B, 10).unwrap(), Some(20));
    // A plain increase keeps the expiry; spending and decreasing keep it too.
    st.increase_allowance(&bs, A, B, &atto(10), Expiry::Keep, 11).unwrap();
    let (_, left) = st.transfer_from(&bs, B, A, C, &atto(5), 12).unwrap();
    assert_eq!(left, atto(35));
    assert_eq!(st.decrease_allowance(&bs, A, B, &atto(5), 13).unwrap(), atto(30));
    assert_eq!(st.allowance_expiry(&bs, A, B, 13).unwrap(), Some(20));
    assert_eq!(st.allowance(&bs, A, B, 19).unwrap(), atto(30));
    // From the expiry epoch on: zero, refused with USR_FORBIDDEN, no expiry reported.
    assert_eq!(st.allowance(&bs, A, B, 20).unwrap(), atto(0));
    assert_eq!(st.allowance_expiry(&bs, A, B, 20).unwrap(), None);
    let before = st.clone();
    assert_eq!(code(st.transfer_from(&bs, B, A, C, &atto(1), 20)), ExitCode::USR_FORBIDDEN);
    assert_eq!(code(st.burn_from(&bs, B, A, &atto(1), 25)), ExitCode::USR_FORBIDDEN);
    assert_eq!(st, before, "refusals change nothing");
    // A later increase starts from zero: the expired 30 is not revived, and the expiry is gone.
    assert_eq!(st.increase_allowance(&bs, A, B, &atto(4), Expiry::Keep, 21).unwrap(), atto(4));
    assert_eq!(st.allowance_expiry(&bs, A, B, 21).unwrap(), None);
    assert_eq!(st.allowance(&bs, A, B, 1_000_000).unwrap(), atto(4));
    // `Never` removes an expiry; a zero increase may change only the expiry.
    st.increase_allowance(&bs, A, B, &atto(0), Expiry::At(50), 21).unwrap();
    assert_eq!(st.allowance_expiry(&bs, A, B, 21).unwrap(), Some(50));
    st.increase_allowance(&bs, A, B, &atto(0), Expiry::Never, 22).unwrap();
    assert_eq!(st.allowance_expiry(&bs, A, B, 22).unwrap(), None);
    // Revoking an expired allowance reports zero and removes the entry.
    st.increase_allowance(&bs, A, C, &atto(9), Expiry::At(30), 22).unwrap();
    assert_eq!(st.revoke_allowance(&bs, A, C, 30).unwrap(), atto(0));
    let (summary, _) = check_invariants(&st, &bs);
    assert!(!summary.allowances.contains_key(&(A, C)));
    // An expired allowance decreased is removed as well.
    st.increase_allowance(&bs, A, C, &atto(9), Expiry::At(40), 30).unwrap();
    assert_eq!(st.decrease_allowance(&bs, A, C, &atto(1), 40).unwrap(), atto(0));
    let (summary, _) = check_invariants(&st, &bs);
    assert!(!summary.allowances.contains_key(&(A, C)));
    assert_invariants(&st, &bs);
}

#[test]
fn the_allowance_check_comes_before_the_balance_check() {
    let bs = MemoryBlockstore::new();
    let mut st = token(&bs);
    st.mint(&bs, A, &atto(5), 1).unwrap();
    st.increase_allowance(&bs, A, B, &atto(3), Expiry::Keep, 0).unwrap();
    // Both the allowance (3) and the balance (5) are short of 10: the allowance wins.
    assert_eq!(code(st.transfer_from(&bs, B, A, C, &atto(10), 1)), ExitCode::USR_FORBIDDEN);
    st.increase_allowance(&bs, A, B, &atto(100), Expiry::Keep, 0).unwrap();
    assert_eq!(
        code(st.transfer_from(&bs, B, A, C, &atto(10), 1)),
        ExitCode::USR_INSUFFICIENT_FUNDS
    );
    assert_eq!(code(st.burn_from(&bs, B, A, &atto(10), 1)), ExitCode::USR_INSUFFICIENT_FUNDS);
    assert_invariants(&st, &bs);
}

#[test]
fn an_owner_acting_on_its_own_tokens_needs_no_allowance() {
    let bs = MemoryBlockstore::new();
    let mut st = token(&bs);
    st.mint(&bs, A, &atto(10), 1).unwrap();
    let (t, left) = st.transfer_from(&bs, A, A, B, &atto(4), 1).unwrap();
    assert_eq!((t.from_balance, t.to_balance, left), (atto(6), atto(4), atto(0)));
    let (b, left) = st.burn_from(&bs, A, A, &atto(6), 1).unwrap();
    assert_eq!((b.balance, left), (atto(0), atto(0)));
    assert_invariants(&st, &bs);
}

#[test]
fn burns_reduce_balance_and_supply() {
    let bs = MemoryBlockstore::new();
    let mut st = token(&bs);
    st.mint(&bs, A, &atto(10), 1).unwrap();
    let b = st.burn(&bs, A, &atto(4), 2).unwrap();
    assert_eq!((b.balance, b.supply), (atto(6), atto(6)));
    assert_eq!(code(st.burn(&bs, A, &atto(7), 2)), ExitCode::USR_INSUFFICIENT_FUNDS);
    assert_eq!(code(st.burn(&bs, B, &atto(1), 2)), ExitCode::USR_INSUFFICIENT_FUNDS);
    assert_eq!(code(st.burn(&bs, A, &atto(-1), 2)), ExitCode::USR_ILLEGAL_ARGUMENT);
    let before = st.clone();
    st.burn(&bs, B, &atto(0), 2).unwrap();
    assert_eq!(st, before);
    st.burn(&bs, A, &atto(6), 3).unwrap();
    assert_eq!((st.supply.clone(), st.holders), (atto(0), 0));
    assert_invariants(&st, &bs);
}

#[test]
fn roles_are_granted_revoked_and_checked() {
    let bs = MemoryBlockstore::new();
    let mut st = token(&bs);
    assert!(!st.has_role(&bs, Role::Minter, A).unwrap());
    assert_eq!(code(st.require_role(&bs, Role::Minter, A)), ExitCode::USR_FORBIDDEN);
    assert!(st.grant_role(&bs, Role::Minter, A).unwrap());
    assert!(!st.grant_role(&bs, Role::Minter, A).unwrap(), "already granted");
    assert!(st.has_role(&bs, Role::Minter, A).unwrap());
    assert!(!st.has_role(&bs, Role::Admin, A).unwrap(), "roles are independent");
    assert!(!st.has_role(&bs, Role::Minter, B).unwrap());
    st.require_role(&bs, Role::Minter, A).unwrap();
    let before = st.cold;
    assert!(!st.revoke_role(&bs, Role::Pauser, A).unwrap());
    assert_eq!(st.cold, before, "a no-op revoke writes nothing");
    assert!(st.revoke_role(&bs, Role::Minter, A).unwrap());
    assert!(!st.has_role(&bs, Role::Minter, A).unwrap());
    assert_invariants(&st, &bs);
}

#[test]
fn composite_keys_round_trip_and_reject_garbage() {
    for (owner, operator) in [(0, 0), (1, 300), (u64::MAX, 5), (127, 128)] {
        let k = AllowanceKey { owner, operator };
        assert_eq!(AllowanceKey::from_key_bytes(&k.to_key_bytes()).unwrap(), k);
    }
    assert_eq!(AllowanceKey { owner: 1, operator: 300 }.to_key_bytes(), vec![0x01, 0xac, 0x02]);
    for bad in [&[][..], &[0x80], &[0x01], &[0x01, 0x80, 0x00], &[0x01, 0x02, 0x03]] {
        assert!(AllowanceKey::from_key_bytes(bad).is_err(), "{bad:02x?}");
    }
    for role in Role::ALL {
        let k = RoleKey { role: *role, account: 1000 };
        assert_eq!(RoleKey::from_key_bytes(&k.to_key_bytes()).unwrap(), k);
    }
    assert_eq!(RoleKey { role: Role::Pauser, account: 5 }.to_key_bytes(), vec![2, 5]);
    for bad in [&[][..], &[9, 5], &[0], &[0, 0x80]] {
        assert!(RoleKey::from_key_bytes(bad).is_err(), "{bad:02x?}");
    }
}

#[test]
fn delegated_votes_follow_balances() {
    let bs = MemoryBlockstore::new();
    let mut st = token(&bs);
    st.mint(&bs, A, &atto(100), 1).unwrap();
    st.mint(&bs, B, &atto(50), 1).unwrap();
    assert_eq!(st.votes_of(&bs, A).unwrap(), atto(0), "undelegated balances do not vote");

    let d = st.delegate(&bs, A, Some(C), 2).unwrap();
    assert_eq!(d.previous, None);
    assert!(d.changed);
    assert_eq!(d.votes, vec![VoteChange { delegatee: C, previous: atto(0), current: atto(100) }]);
    assert_eq!(st.delegate_of(&bs, A).unwrap(), Some(C));
    let d = st.delegate(&bs, A, Some(C), 2).unwrap();
    assert!(!d.changed);

    // Transfers, mints and burns move votes with the tokens.
    st.delegate(&bs, B, Some(B), 3).unwrap();
    let t = st.transfer(&bs, A, B, &atto(30), 4).unwrap();
    assert_eq!(
        t.votes,
        vec![
            VoteChange { delegatee: C, previous: atto(100), current: atto(70) },
            VoteChange { delegatee: B, previous: atto(50), current: atto(80) },
        ]
    );
    st.mint(&bs, A, &atto(10), 5).unwrap();
    st.burn(&bs, B, &atto(20), 5).unwrap();
    assert_eq!(st.votes_of(&bs, C).unwrap(), atto(80));
    assert_eq!(st.votes_of(&bs, B).unwrap(), atto(60));
    assert_invariants(&st, &bs);

    // Re-delegation moves the whole balance; un-delegation removes it.
    st.delegate(&bs, A, Some(B), 6).unwrap();
    assert_eq!(st.votes_of(&bs, C).unwrap(), atto(0));
    assert_eq!(st.votes_of(&bs, B).unwrap(), atto(140));
    st.delegate(&bs, B, None, 7).unwrap();
    assert_eq!(st.votes_of(&bs, B).unwrap(), atto(80));
    assert_eq!(st.delegators, 1);
    assert_invariants(&st, &bs);

    // History, at the end of each past epoch.
    let past = |e| st.past_votes(&bs, B, e, 100).unwrap();
    assert_eq!(
        [past(1), past(2), past(3), past(4), past(5), past(6), past(7)],
        [atto(0), atto(0), atto(50), atto(80), atto(60), atto(140), atto(80)]
    );
    assert_eq!(st.past_votes(&bs, C, 5, 100).unwrap(), atto(80));
    assert_eq!(st.past_votes(&bs, C, 6, 100).unwrap(), atto(0));
    assert_eq!(code(st.past_votes(&bs, B, 100, 100)), ExitCode::USR_ILLEGAL_ARGUMENT);
    assert_eq!(code(st.past_votes(&bs, B, 101, 100)), ExitCode::USR_ILLEGAL_ARGUMENT);
    assert_eq!(st.past_votes(&bs, 999, 5, 100).unwrap(), atto(0));
}

#[test]
fn total_supply_history() {
    let bs = MemoryBlockstore::new();
    let mut st = token(&bs);
    st.mint(&bs, A, &atto(10), 5).unwrap();
    st.mint(&bs, A, &atto(10), 5).unwrap();
    st.burn(&bs, A, &atto(5), 9).unwrap();
    st.transfer(&bs, A, B, &atto(5), 12).unwrap();
    let at = |e| st.past_total_supply(&bs, e, 20).unwrap();
    assert_eq!(
        [at(4), at(5), at(8), at(9), at(19)],
        [atto(0), atto(20), atto(20), atto(15), atto(15)]
    );
    assert_eq!(code(st.past_total_supply(&bs, 20, 20)), ExitCode::USR_ILLEGAL_ARGUMENT);
    assert_invariants(&st, &bs);
}

#[test]
fn past_votes_cost_grows_logarithmically() {
    // Count the blocks read by a lookup as the history grows 16-fold.
    use std::cell::Cell;
    struct Counting<'a>(&'a MemoryBlockstore, &'a Cell<u64>);
    impl fvm_ipld_blockstore::Blockstore for Counting<'_> {
        fn get(&self, k: &cid::Cid) -> anyhow::Result<Option<Vec<u8>>> {
            self.1.set(self.1.get() + 1);
            self.0.get(k)
        }
        fn put_keyed(&self, k: &cid::Cid, block: &[u8]) -> anyhow::Result<()> {
            self.0.put_keyed(k, block)
        }
    }
    let bs = MemoryBlockstore::new();
    let reads = Cell::new(0);
    let mut st = token(&bs);
    st.delegate(&bs, A, Some(A), 0).unwrap();
    let mut costs = vec![];
    let mut epoch = 1;
    for n in [128, 2048, 32768] {
        while epoch <= n {
            st.mint(&bs, A, &atto(1), epoch).unwrap();
            epoch += 1;
        }
        reads.set(0);
        let counting = Counting(&bs, &reads);
        assert_eq!(st.past_votes(&counting, A, 3, epoch).unwrap(), atto(3));
        costs.push(reads.get());
    }
    // A logarithmic bound: at most 2·log2(n) + 2 blocks read for n checkpoints (a scan would read
    // n/8; 16 times the history is never 16 times the reads).
    for (n, reads) in [128u64, 2048, 32768].into_iter().zip(&costs) {
        assert!(*reads <= 2 * u64::from(n.ilog2()) + 2, "reads {costs:?}");
    }
    assert!(costs[2] <= costs[1] * 3, "reads {costs:?}");
}

#[test]
fn holders_are_listed_in_pages_that_survive_writes() {
    let bs = MemoryBlockstore::new();
    let mut st = token(&bs);
    for id in 100..160 {
        st.mint(&bs, id, &atto(id as i64), 1).unwrap();
    }
    let mut seen = vec![];
    let mut cursor = None;
    let mut pages = 0;
    loop {
        let ListHoldersReturn { holders: page, next } = st.list_holders(&bs, cursor, 7).unwrap();
        assert!(page.len() <= 7);
        pages += 1;
        for (id, b) in page.iter().filter(|(id, _)| *id != 999) {
            assert_eq!(*b, atto(*id as i64));
        }
        seen.extend(page.iter().map(|(id, _)| *id));
        // Writes between pages: the next page's first holder leaves, a new one arrives.
        if let Some(c) = next {
            let all = st.balance(&bs, c).unwrap();
            st.transfer(&bs, c, 999, &all, 2).unwrap();
            seen.push(c); // it was listed-to-be; its balance moved to 999
        }
        cursor = next;
        if cursor.is_none() {
            break;
        }
    }
    assert!(pages >= 7, "{pages} pages");
    seen.sort();
    seen.dedup();
    let want: Vec<u64> = (100..160).collect();
    assert!(want.iter().all(|id| seen.contains(id)), "every original holder was reached");
    assert_eq!(code(st.list_holders(&bs, None, 0)), ExitCode::USR_ILLEGAL_ARGUMENT);
    assert_eq!(
        code(st.list_holders(&bs, None, MAX_LIST_LIMIT + 1)),
        ExitCode::USR_ILLEGAL_ARGUMENT
    );
    let ListHoldersReturn { holders: page, next } =
        st.list_holders(&bs, Some(12345), MAX_LIST_LIMIT).unwrap();
    assert!(next.is_none());
    assert!(page.len() < st.holders as usize + 1);
    assert_invariants(&st, &bs);
}

#[test]
fn the_invariant_checker_catches_corruption() {
    let bs = MemoryBlockstore::new();
    let mut st = token(&bs);
    st.mint(&bs, A, &atto(10), 1).unwrap();
    let mut bad = st.clone();
    bad.supply = atto(11);
    bad.holders = 2;
    bad.delegators = 1;
    // The history ends at epoch 0 (the value before the mint at epoch 1): it must stay before the
    // current value's epoch.
    bad.supply_epoch = 0;
    let (_, violations) = check_invariants(&bad, &bs);
    assert_eq!(violations.len(), 4, "{violations:#?}");
}

#[derive(Clone, Debug)]
enum Op {
    Mint(u64, i64),
    Transfer(u64, u64, i64),
    TransferFrom(u64, u64, u64, i64),
    Burn(u64, i64),
    BurnFrom(u64, u64, i64),
    Increase(u64, u64, i64),
    Decrease(u64, u64, i64),
    Revoke(u64, u64),
    Delegate(u64, Option<u64>),
    Pause(bool),
}

fn op() -> impl Strategy<Value = Op> {
    let id = 100u64..105;
    let amount = -2i64..60;
    prop_oneof![
        (id.clone(), amount.clone()).prop_map(|(a, n)| Op::Mint(a, n)),
        (id.clone(), id.clone(), amount.clone()).prop_map(|(a, b, n)| Op::Transfer(a, b, n)),
        (id.clone(), id.clone(), id.clone(), amount.clone())
            .prop_map(|(o, a, b, n)| Op::TransferFrom(o, a, b, n)),
        (id.clone(), amount.clone()).prop_map(|(a, n)| Op::Burn(a, n)),
        (id.clone(), id.clone(), amount.clone()).prop_map(|(o, a, n)| Op::BurnFrom(o, a, n)),
        (id.clone(), id.clone(), amount.clone()).prop_map(|(a, b, n)| Op::Increase(a, b, n)),
        (id.clone(), id.clone(), amount.clone()).prop_map(|(a, b, n)| Op::Decrease(a, b, n)),
        (id.clone(), id.clone()).prop_map(|(a, b)| Op::Revoke(a, b)),
        (id.clone(), proptest::option::of(id)).prop_map(|(a, d)| Op::Delegate(a, d)),
        any::<bool>().prop_map(Op::Pause),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn random_operations_keep_the_invariants(ops in proptest::collection::vec(op(), 1..40)) {
        let bs = MemoryBlockstore::new();
        let mut st = TokenState::new(&bs, "P".into(), "P".into(), 2, TokenMode::Standard, Some(atto(400))).unwrap();
        for (i, op) in ops.into_iter().enumerate() {
            let epoch = i as i64 / 3;
            let before = st.clone();
            let r = match op {
                Op::Mint(a, n) => st.mint(&bs, a, &atto(n), epoch).map(|_| ()),
                Op::Transfer(a, b, n) => st.transfer(&bs, a, b, &atto(n), epoch).map(|_| ()),
                Op::TransferFrom(o, a, b, n) => st.transfer_from(&bs, o, a, b, &atto(n), epoch).map(|_| ()),
                Op::Burn(a, n) => st.burn(&bs, a, &atto(n), epoch).map(|_| ()),
                Op::BurnFrom(o, a, n) => st.burn_from(&bs, o, a, &atto(n), epoch).map(|_| ()),
                Op::Increase(a, b, n) => st.increase_allowance(&bs, a, b, &atto(n), Expiry::Keep, 0).map(|_| ()),
                Op::Decrease(a, b, n) => st.decrease_allowance(&bs, a, b, &atto(n), 0).map(|_| ()),
                Op::Revoke(a, b) => st.revoke_allowance(&bs, a, b, 0).map(|_| ()),
                Op::Delegate(a, d) => st.delegate(&bs, a, d, epoch).map(|_| ()),
                Op::Pause(p) => st.set_paused(p),
            };
            if let Err(e) = r {
                // Actors abort on error: the state is discarded. Keep the previous one, as the VM would.
                prop_assert!(e.code().value() >= 16, "{e:?}");
                st = before;
            }
            let (_, bad) = check_invariants(&st, &bs);
            prop_assert!(bad.is_empty(), "{bad:#?}");
        }
    }
}

#[test]
fn supply_history_keeps_one_value_per_epoch_and_answers_past_epochs() {
    let bs = MemoryBlockstore::new();
    let mut st = token(&bs);
    st.mint(&bs, A, &atto(10), 1).unwrap();
    st.mint(&bs, A, &atto(5), 1).unwrap();
    st.burn(&bs, A, &atto(3), 3).unwrap();
    st.mint(&bs, A, &atto(100), 3).unwrap();
    // At epoch 1 the supply ended at 15; at 2 nothing changed; at 3 it ended at 112.
    assert_eq!(st.past_total_supply(&bs, 0, 10).unwrap(), atto(0));
    assert_eq!(st.past_total_supply(&bs, 1, 10).unwrap(), atto(15));
    assert_eq!(st.past_total_supply(&bs, 2, 10).unwrap(), atto(15));
    assert_eq!(st.past_total_supply(&bs, 3, 10).unwrap(), atto(112));
    assert_eq!(st.past_total_supply(&bs, 9, 10).unwrap(), atto(112));
    // Two epochs changed the supply after the start: two history entries, not four.
    let h = st.load_supply_checkpoints(&bs).unwrap();
    assert_eq!(h.len(), 2);
    assert_invariants(&st, &bs);
}

#[test]
fn the_block_codec_writes_what_serde_writes() {
    let bs = MemoryBlockstore::new();
    let mut st = token(&bs);
    for id in 0..200u64 {
        st.mint(&bs, 1000 + id, &atto(id as i64 + 1), 1).unwrap();
    }
    st.paused = true;
    let block = st.to_block().unwrap();
    assert_eq!(block, fvm_ipld_encoding::to_vec(&st).unwrap());
    assert_eq!(TokenState::from_block(&block).unwrap(), st);
    let back: TokenState = fvm_ipld_encoding::from_slice(&block).unwrap();
    assert_eq!(back, st);
    // The balances root is the node itself, not a link to it.
    assert!(st.balances.as_cbor().len() > 64, "{:?}", st.balances);
    assert_eq!(back.balance(&bs, 1199).unwrap(), atto(200));
    for bad in [&block[..block.len() - 1], &block[1..], &[0x80][..]] {
        assert_eq!(code(TokenState::from_block(bad)), ExitCode::USR_ILLEGAL_STATE);
    }
}

#[test]
fn metadata_is_set_checked_and_cleared() {
    use actorlib_token::{TokenMetadata, MAX_METADATA_URI};
    let bs = MemoryBlockstore::new();
    let mut st = token(&bs);
    assert_eq!(st.cold(&bs).unwrap().metadata, None);
    let m = TokenMetadata { uri: "ipfs://bafy/token.json".into(), cid: Some(st.cold) };
    assert!(st.set_metadata(&bs, Some(m.clone())).unwrap());
    assert!(!st.set_metadata(&bs, Some(m.clone())).unwrap(), "the same again changes nothing");
    assert_eq!(st.cold(&bs).unwrap().metadata.map(TokenMetadata::from), Some(m));
    let before = st.clone();
    for uri in [String::new(), "x".repeat(MAX_METADATA_URI + 1)] {
        let bad = TokenMetadata { uri, cid: None };
        assert_eq!(code(st.set_metadata(&bs, Some(bad))), ExitCode::USR_ILLEGAL_ARGUMENT);
    }
    assert_eq!(st, before);
    let longest = TokenMetadata { uri: "x".repeat(MAX_METADATA_URI), cid: None };
    assert!(st.set_metadata(&bs, Some(longest)).unwrap());
    assert!(st.set_metadata(&bs, None).unwrap());
    assert_eq!(st.cold(&bs).unwrap().metadata, None);
    assert_invariants(&st, &bs);
}
