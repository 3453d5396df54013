//! The token's state invariants, as code: run after every test and scenario.
//!
//! [`check_invariants`] walks the whole state (it iterates every collection, so it is for tests
//! and audits, never for a method) and reports every rule that does not hold:
//!
//! - every balance is positive and a multiple of the granularity; their sum is the supply and
//!   their count is `holders`;
//! - the supply is within the cap, and equals the latest supply checkpoint;
//! - every allowance is positive, and no owner is its own operator;
//! - `delegators` counts the delegations; each delegatee's latest vote checkpoint equals the sum
//!   of its delegators' balances, and every vote history's checkpoints have increasing epochs;
//! - every role key decodes (a wrong key fails the traversal).
use std::collections::BTreeMap;

use actorlib_kit::Checkpoints;
use fvm_ipld_blockstore::Blockstore;
use fvm_shared::bigint::BigInt;
use fvm_shared::econ::TokenAmount;
use fvm_shared::ActorID;

use crate::state::TokenState;

/// Totals found while checking.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StateSummary {
    /// Holders with their balances.
    pub balances: BTreeMap<ActorID, TokenAmount>,
    /// Allowances by (owner, operator).
    pub allowances: BTreeMap<(ActorID, ActorID), TokenAmount>,
    /// Delegator → delegatee.
    pub delegates: BTreeMap<ActorID, ActorID>,
    /// Delegatee → current votes (from the checkpoints).
    pub votes: BTreeMap<ActorID, TokenAmount>,
}

/// Checks every invariant; returns what was found and the list of violations (empty if none).
pub fn check_invariants<BS: Blockstore>(st: &TokenState, bs: &BS) -> (StateSummary, Vec<String>) {
    let mut summary = StateSummary::default();
    let mut bad = Vec::new();
    let granularity = BigInt::from(st.granularity);
    let cold = match st.cold(bs) {
        Ok(c) => c,
        Err(e) => {
            bad.push(format!("cold state unreadable: {e}"));
            return (summary, bad);
        }
    };

    match st.load_balances(bs).and_then(|m| {
        m.for_each(|id, b| {
            summary.balances.insert(id, b.amount()?);
            Ok(())
        })
    }) {
        Ok(()) => {}
        Err(e) => bad.push(format!("balances unreadable: {e}")),
    }
    let mut sum = TokenAmount::default();
    for (id, b) in &summary.balances {
        if !b.is_positive() {
            bad.push(format!("balance of f0{id} is {b}, not positive"));
        }
        if b.atto() % &granularity != BigInt::from(0) {
            bad.push(format!("balance of f0{id} is {b}, not a multiple of {granularity}"));
        }
        sum += b;
    }
    if sum != st.supply {
        bad.push(format!("balances sum to {sum}, supply is {}", st.supply));
    }
    if summary.balances.len() as u64 != st.holders {
        bad.push(format!("{} balances, holders is {}", summary.balances.len(), st.holders));
    }
    if st.supply.is_negative() {
        bad.push(format!("supply {} is negative", st.supply));
    }
    if let Some(cap) = &cold.cap {
        if &st.supply > cap {
            bad.push(format!("supply {} exceeds the cap {cap}", st.supply));
        }
    }
    // The history holds the values before `supply_epoch`; the current supply is not in it.
    match Checkpoints::<_, TokenAmount>::load(bs, &st.supply_checkpoints, "supply")
        .and_then(|h| h.latest_checkpoint().map(|c| c.cloned()))
    {
        Ok(Some(c)) if c.epoch >= st.supply_epoch => bad.push(format!(
            "supply history reaches epoch {}, not before the current value's epoch {}",
            c.epoch, st.supply_epoch
        )),
        Ok(Some(c)) if c.value.is_negative() => {
            bad.push(format!("supply history holds a negative value {}", c.value))
        }
        Ok(_) => {}
        Err(e) => bad.push(format!("supply checkpoints unreadable: {e}")),
    }

    match st.load_allowances(bs).and_then(|m| {
        m.for_each(|k, a| {
            summary.allowances.insert((k.owner, k.operator), a.amount.amount()?);
            Ok(())
        })
    }) {
        Ok(()) => {}
        Err(e) => bad.push(format!("allowances unreadable: {e}")),
    }
    for ((owner, operator), a) in &summary.allowances {
        if !a.is_positive() {
            bad.push(format!("allowance of f0{operator} over f0{owner} is {a}, not positive"));
        }
        if owner == operator {
            bad.push(format!("f0{owner} has an allowance over itself"));
        }
    }

    if let Err(e) = cold.load_roles(bs).and_then(|s| s.for_each(|_, _| Ok(()))) {
        bad.push(format!("roles unreadable: {e}"));
    }

    match cold.load_delegates(bs).and_then(|m| {
        m.for_each(|from, to| {
            summary.delegates.insert(from, *to);
            Ok(())
        })
    }) {
        Ok(()) => {}
        Err(e) => bad.push(format!("delegates unreadable: {e}")),
    }
    if summary.delegates.len() as u64 != st.delegators {
        bad.push(format!(
            "{} delegations, delegators is {}",
            summary.delegates.len(),
            st.delegators
        ));
    }
    let mut expected: BTreeMap<ActorID, TokenAmount> = BTreeMap::new();
    for (from, to) in &summary.delegates {
        let b = summary.balances.get(from).cloned().unwrap_or_default();
        *expected.entry(*to).or_default() += b;
    }
    let mut histories = Vec::new();
    match cold.load_votes(bs).and_then(|m| {
        m.for_each(|id, root| {
            histories.push((id, *root));
            Ok(())
        })
    }) {
        Ok(()) => {}
        Err(e) => bad.push(format!("votes unreadable: {e}")),
    }
    for (id, root) in histories {
        match check_history(bs, &root) {
            Ok(latest) => {
                summary.votes.insert(id, latest);
            }
            Err(e) => bad.push(format!("vote history of f0{id}: {e}")),
        }
    }
    for (id, v) in &summary.votes {
        let want = expected.get(id).cloned().unwrap_or_default();
        if *v != want {
            bad.push(format!("f0{id} has {v} votes, its delegators hold {want}"));
        }
    }
    for (id, want) in &expected {
        if !want.is_zero() && !summary.votes.contains_key(id) {
            bad.push(format!("f0{id} has no vote history, its delegators hold {want}"));
        }
    }
    (summary, bad)
}

/// Checks one history's epochs increase and returns its latest value.
fn check_history<BS: Blockstore>(bs: &BS, root: &cid::Cid) -> Result<TokenAmount, String> {
    let h = Checkpoints::<_, TokenAmount>::load(bs, root, "votes").map_err(|e| e.to_string())?;
    let mut last = None;
    for i in 0..h.len() {
        let cp = h.checkpoint(i).map_err(|e| e.to_string())?.ok_or("missing checkpoint")?;
        if cp.value.is_negative() {
            return Err(format!("checkpoint {i} is negative"));
        }
        if last.is_some_and(|e| cp.epoch <= e) {
            return Err(format!("checkpoint {i} at epoch {} is not after {last:?}", cp.epoch));
        }
        last = Some(cp.epoch);
    }
    Ok(h.latest().map_err(|e| e.to_string())?.unwrap_or_default())
}

/// Runs [`check_invariants`] and panics listing the violations, if any; returns the summary.
pub fn assert_invariants<BS: Blockstore>(st: &TokenState, bs: &BS) -> StateSummary {
    let (summary, bad) = check_invariants(st, bs);
    assert!(bad.is_empty(), "token state invariants violated:\n{}", bad.join("\n"));
    summary
}
