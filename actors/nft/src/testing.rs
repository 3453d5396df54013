//! The collection's state invariants, as code: run after tests and scenarios.
//!
//! [`check_invariants`] walks the whole state (for tests and audits, never for a method) and
//! reports every rule that does not hold:
//!
//! - the supply is the number of tokens, and no more than `next_id` (and the maximum supply);
//! - every ID below `next_id` is either live or in the burned index, never both;
//! - every token's ID is below `next_id`, its owner has a record listing it, and its operators are
//!   sorted, distinct and never its owner;
//! - every owner record's balance is the size of its token set and is positive unless it has
//!   account operators; the balances sum to the supply; its operators are sorted and distinct;
//! - royalties (default and overrides) are at most 10,000 basis points, and overrides exist for
//!   live tokens only;
//! - content entries exist for live tokens only, are not empty, and hold piece CIDs of the piece
//!   CID form; every deal a token names maps back to that token in the deal index, and the index
//!   names nothing else;
//! - creator lists exist for live tokens only and pass [`crate::creators::check_creators`]
//!   (one to five distinct creators, positive shares summing to 100).
use std::collections::BTreeMap;

use fvm_ipld_blockstore::Blockstore;
use fvm_shared::ActorID;

use crate::creators::check_creators;
use crate::piece::is_piece_cid;
use crate::royalty::MAX_BASIS_POINTS;
use crate::state::NftState;
use crate::types::TokenID;

/// Checks every invariant; returns the owners found (ID → token IDs) and the violations.
pub fn check_invariants<BS: Blockstore>(
    st: &NftState,
    bs: &BS,
) -> (BTreeMap<ActorID, Vec<TokenID>>, Vec<String>) {
    let mut bad = Vec::new();
    let mut owned: BTreeMap<ActorID, Vec<TokenID>> = BTreeMap::new();
    let tokens = st.all_tokens(bs).unwrap_or_else(|e| {
        bad.push(format!("tokens unreadable: {e}"));
        vec![]
    });
    let owners = st.owners(bs).unwrap_or_else(|e| {
        bad.push(format!("owners unreadable: {e}"));
        vec![]
    });
    if tokens.len() as u64 != st.supply {
        bad.push(format!("supply {} but {} tokens", st.supply, tokens.len()));
    }
    let cold = st.cold(bs).map_err(|e| bad.push(format!("cold block unreadable: {e}"))).ok();
    let max_supply = cold.and_then(|c| c.max_supply);
    if st.supply > st.next_id || max_supply.is_some_and(|m| st.next_id > m) {
        bad.push(format!("supply {} / next id {} / max {:?}", st.supply, st.next_id, max_supply));
    }
    match st.all_burned(bs) {
        Ok(burned) => {
            if burned.len() as u64 + tokens.len() as u64 != st.next_id {
                bad.push(format!(
                    "{} burned and {} live tokens, but {} minted",
                    burned.len(),
                    tokens.len(),
                    st.next_id
                ));
            }
            for id in burned {
                if tokens.iter().any(|(t, _)| *t == id) {
                    bad.push(format!("token {id} is both burned and live"));
                }
            }
        }
        Err(e) => bad.push(format!("burned index unreadable: {e}")),
    }
    let mut sum = 0u64;
    for (id, rec) in &owners {
        let mut set_ids = NftState::owned_tokens(bs, rec).unwrap_or_else(|e| {
            bad.push(format!("tokens of f0{id} unreadable: {e}"));
            vec![]
        });
        set_ids.sort_unstable();
        if set_ids.len() as u64 != rec.balance {
            bad.push(format!("f0{id} has balance {} but {} tokens", rec.balance, set_ids.len()));
        }
        if rec.chunks.is_some() && !rec.tokens.is_empty() {
            bad.push(format!("f0{id} lists tokens both inline and in chunks"));
        }
        if rec.balance == 0 && rec.operators.is_empty() {
            bad.push(format!("f0{id} has an empty record"));
        }
        if !well_formed(&rec.operators, *id) {
            bad.push(format!("f0{id} has bad account operators {:?}", rec.operators));
        }
        sum += rec.balance;
        owned.insert(*id, set_ids);
    }
    if sum != st.supply {
        bad.push(format!("balances sum to {sum}, supply is {}", st.supply));
    }
    for (id, t) in &tokens {
        if *id >= st.next_id {
            bad.push(format!("token {id} is at or beyond next id {}", st.next_id));
        }
        if owned.get(&t.owner).is_none_or(|v| v.binary_search(id).is_err()) {
            bad.push(format!("token {id}'s owner f0{} does not list it", t.owner));
        }
        if !well_formed(&t.operators, t.owner) {
            bad.push(format!("token {id} has bad operators {:?}", t.operators));
        }
    }
    let live = |id: &TokenID| tokens.binary_search_by_key(id, |(t, _)| *t).is_ok();
    let default_royalty = cold.and_then(|c| c.default_royalty);
    if default_royalty.is_some_and(|r| r.basis_points > MAX_BASIS_POINTS) {
        bad.push(format!("default royalty {default_royalty:?} above 10,000 basis points"));
    }
    match st.all_royalties(bs) {
        Ok(royalties) => {
            for (id, r) in royalties {
                if !live(&id) || r.basis_points > MAX_BASIS_POINTS {
                    bad.push(format!("royalty override {r:?} of token {id} (live: {})", live(&id)));
                }
            }
        }
        Err(e) => bad.push(format!("royalties unreadable: {e}")),
    }
    let mut bound = BTreeMap::new();
    match st.all_content(bs) {
        Ok(content) => {
            for (id, c) in content {
                if !live(&id) || c.is_empty() || c.piece_cid.is_some_and(|p| !is_piece_cid(&p)) {
                    bad.push(format!("content {c:?} of token {id} (live: {})", live(&id)));
                }
                if let Some(deal) = c.deal.map(|d| d.deal_id) {
                    if bound.insert(deal, id).is_some() {
                        bad.push(format!("deal {deal} backs more than one token"));
                    }
                }
            }
        }
        Err(e) => bad.push(format!("content unreadable: {e}")),
    }
    match st.all_deals(bs) {
        Ok(deals) => {
            let index: BTreeMap<_, _> = deals.into_iter().collect();
            if index != bound {
                bad.push(format!("deal index {index:?} but tokens name {bound:?}"));
            }
        }
        Err(e) => bad.push(format!("deal index unreadable: {e}")),
    }
    match st.all_creators(bs) {
        Ok(lists) => {
            for (id, list) in lists {
                let pairs: Vec<(ActorID, u8)> = list.iter().map(|c| (c.creator, c.share)).collect();
                if !live(&id) || list.is_empty() || check_creators(&pairs).is_err() {
                    bad.push(format!("creators {list:?} of token {id} (live: {})", live(&id)));
                }
            }
        }
        Err(e) => bad.push(format!("creators unreadable: {e}")),
    }
    owned.retain(|_, v| !v.is_empty());
    (owned, bad)
}

/// Panics, listing every violation, unless the state satisfies every invariant.
pub fn assert_invariants<BS: Blockstore>(
    st: &NftState,
    bs: &BS,
) -> BTreeMap<ActorID, Vec<TokenID>> {
    let (owned, bad) = check_invariants(st, bs);
    assert!(bad.is_empty(), "state invariants violated:\n{}", bad.join("\n"));
    owned
}

/// Operators sorted by ID, none twice, the holder not among them, expiries positive.
fn well_formed(ops: &[crate::operator::Operator], holder: ActorID) -> bool {
    ops.windows(2).all(|w| w[0].id < w[1].id)
        && ops.iter().all(|o| o.id != holder && o.expires_at.is_none_or(|e| e > 0))
}
