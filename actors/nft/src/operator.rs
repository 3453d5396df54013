//! Operators, of a token or of an account: an actor ID, and optionally the epoch from which the
//! approval no longer counts.
//!
//! FRC-53 approvals never expire, so an approval given to a marketplace for one sale stays usable
//! for ever unless the owner remembers to revoke it. `ApproveUntil` and `ApproveForAllUntil` give
//! approvals an expiry (as cw721's `expires` does). An expired operator counts as none: it may not
//! move tokens, and queries and listings leave it out. It stays in the record until the owner
//! revokes it, or (a token's operators) the token changes hands, which clears them.
//!
//! A list of operators is kept sorted by ID, one entry per ID. In a packed record it is
//! `uvarint(n) ‖ n × (uvarint(id) ‖ uvarint(expiry or 0))`, IDs strictly increasing: an expiry
//! is always after the epoch it was set at, so it is never 0, and 0 can mean "never".
use std::cell::OnceCell;

use actorlib_kit::varint::{put_uvarint, take_uvarint};
use fvm_shared::clock::ChainEpoch;
use fvm_shared::ActorID;

/// One operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Operator {
    /// The operator's ID.
    pub id: ActorID,
    /// The first epoch at which the approval no longer counts, if any.
    pub expires_at: Option<ChainEpoch>,
}

impl Operator {
    /// An operator without expiry.
    pub fn forever(id: ActorID) -> Self {
        Self { id, expires_at: None }
    }

    /// Whether the approval still counts at the epoch `now` gives. The epoch is asked for only if
    /// the approval has an expiry: in an actor, reading it is a syscall.
    pub fn live(&self, now: &dyn Fn() -> ChainEpoch) -> bool {
        self.expires_at.is_none_or(|e| now() < e)
    }
}

/// Whether `id` is a live operator in `ops` at the epoch `now` gives (asked only when `id` is
/// found with an expiry).
pub fn is_operator(ops: &[Operator], id: ActorID, now: &dyn Fn() -> ChainEpoch) -> bool {
    match ops.binary_search_by_key(&id, |o| o.id) {
        Ok(i) => ops[i].live(now),
        Err(_) => false,
    }
}

/// Puts `op` in `ops` (replacing the entry for its ID); returns whether anything changed.
pub fn set(ops: &mut Vec<Operator>, op: Operator) -> bool {
    match ops.binary_search_by_key(&op.id, |o| o.id) {
        Ok(i) if ops[i] == op => false,
        Ok(i) => {
            ops[i] = op;
            true
        }
        Err(i) => {
            ops.insert(i, op);
            true
        }
    }
}

/// Removes `id` from `ops`; returns whether it was there.
pub fn remove(ops: &mut Vec<Operator>, id: ActorID) -> bool {
    match ops.binary_search_by_key(&id, |o| o.id) {
        Ok(i) => {
            ops.remove(i);
            true
        }
        Err(_) => false,
    }
}

/// The IDs of the operators live at the epoch `now` gives, in order. The epoch is asked for at most
/// once, and not at all if no operator has an expiry.
pub fn live_ids(ops: &[Operator], now: &dyn Fn() -> ChainEpoch) -> Vec<ActorID> {
    let epoch = OnceCell::new();
    let now_once = || *epoch.get_or_init(now);
    ops.iter().filter(|o| o.live(&now_once)).map(|o| o.id).collect()
}

/// Appends a list in its packed form.
pub fn put_operators(ops: &[Operator], out: &mut Vec<u8>) {
    put_uvarint(ops.len() as u64, out);
    for o in ops {
        put_uvarint(o.id, out);
        put_uvarint(o.expires_at.map_or(0, |e| e as u64), out);
    }
}

/// Takes a packed list off the front of `b`: a count the bytes can hold, then that many entries,
/// IDs strictly increasing, expiries 0 (never) or a positive epoch.
pub fn take_operators(b: &mut &[u8]) -> Result<Vec<Operator>, String> {
    let n = take_uvarint(b)?;
    if n > b.len() as u64 / 2 {
        return Err(format!("{n} operators in {} bytes", b.len()));
    }
    let mut ops: Vec<Operator> = Vec::with_capacity(n as usize);
    for _ in 0..n {
        let id = take_uvarint(b)?;
        if ops.last().is_some_and(|last| last.id >= id) {
            return Err("operators not strictly increasing".into());
        }
        let expiry = take_uvarint(b)?;
        let expires_at = match expiry {
            0 => None,
            e => Some(ChainEpoch::try_from(e).map_err(|_| format!("expiry {e} out of range"))?),
        };
        ops.push(Operator { id, expires_at });
    }
    Ok(ops)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_lists_roundtrip_and_reject_disorder() {
        let ops = vec![Operator::forever(3), Operator { id: 300, expires_at: Some(1000) }];
        let mut bytes = Vec::new();
        put_operators(&ops, &mut bytes);
        assert_eq!(bytes, [0x02, 0x03, 0x00, 0xac, 0x02, 0xe8, 0x07]);
        assert_eq!(take_operators(&mut bytes.as_slice()).unwrap(), ops);
        let bad: &[&[u8]] = &[
            &[0x02, 0x05, 0x00, 0x05, 0x00], // repeated ID
            &[0x01, 0x05],                   // entry without expiry
            &[0x03, 0x01, 0x00],             // more than the bytes hold
            &[0x01, 0x05, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01], // > i64
        ];
        for b in bad {
            assert!(take_operators(&mut &b[..]).is_err(), "{b:02x?}");
        }
    }

    #[test]
    fn expired_operators_do_not_count() {
        let mut ops = vec![];
        assert!(set(&mut ops, Operator { id: 7, expires_at: Some(10) }));
        assert!(!set(&mut ops, Operator { id: 7, expires_at: Some(10) }));
        assert!(is_operator(&ops, 7, &|| 9));
        assert!(!is_operator(&ops, 7, &|| 10));
        assert!(!is_operator(&ops, 8, &|| panic!("the epoch is not needed for a stranger")));
        assert!(set(&mut ops, Operator::forever(7)));
        assert!(is_operator(&ops, 7, &|| panic!("the epoch is not needed without expiry")));
        assert_eq!(live_ids(&ops, &|| panic!("no expiry, no epoch")), vec![7]);
        assert!(set(&mut ops, Operator { id: 9, expires_at: Some(20) }));
        assert!(set(&mut ops, Operator { id: 11, expires_at: Some(30) }));
        let asked = std::cell::Cell::new(0);
        let at_25 = || {
            asked.set(asked.get() + 1);
            25
        };
        assert_eq!(live_ids(&ops, &at_25), vec![7, 11]);
        assert_eq!(asked.get(), 1, "the epoch is read once per listing");
        assert!(remove(&mut ops, 9) && remove(&mut ops, 11));
        assert!(remove(&mut ops, 7));
        assert!(!remove(&mut ops, 7));
    }
}
