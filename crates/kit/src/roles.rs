//! Role-based access control: which accounts hold which roles, as a set of `(role, account)` grants.
//!
//! Every actor that has an admin, minters, pausers or editors needs the same few operations: ask,
//! require (`USR_FORBIDDEN` otherwise), grant, revoke. [`Roles`] provides them over one HAMT set
//! whose keys are the role's byte followed by the account's ID, so a check is one path read and a
//! grant one path write, whatever the number of roles or holders; an actor's roles are its own
//! enum, implementing [`Role`]. Who may grant what (only admins, the last admin renouncing freezes
//! the roles…) is the actor's policy and stays in the actor.
//!
//! ```
//! use actorlib_kit::roles::{Role, Roles, ROLES_CONFIG};
//! use fvm_ipld_blockstore::MemoryBlockstore;
//!
//! #[derive(Clone, Copy, Debug, PartialEq, Eq)]
//! enum MyRole { Admin, Minter }
//! impl Role for MyRole {
//!     fn to_u8(self) -> u8 { self as u8 }
//!     fn from_u8(b: u8) -> Option<Self> { [Self::Admin, Self::Minter].get(b as usize).copied() }
//! }
//!
//! let store = MemoryBlockstore::new();
//! let mut roles = Roles::empty(&store, ROLES_CONFIG);
//! assert!(roles.grant(MyRole::Minter, 100).unwrap());
//! assert!(!roles.grant(MyRole::Minter, 100).unwrap()); // already held
//! roles.require(MyRole::Minter, 100).unwrap();
//! let err = roles.require(MyRole::Admin, 100).unwrap_err();
//! assert_eq!(err.code(), fvm_shared::error::ExitCode::USR_FORBIDDEN);
//! let root = roles.flush().unwrap();
//! assert!(Roles::<_, MyRole>::load(&store, &root, ROLES_CONFIG).unwrap().has(MyRole::Minter, 100).unwrap());
//! ```
use std::fmt;

use cid::Cid;
use fvm_ipld_blockstore::Blockstore;
use fvm_shared::ActorID;

use crate::map::{MapConfig, MapKey};
use crate::set::Set;
use crate::{actor_error, ActorError, Result};

/// The layout of a role set: a handful of grants, so wide nodes, kept inline while small (a set
/// of a few grants costs no block of its own).
pub const ROLES_CONFIG: MapConfig = MapConfig { bit_width: 5, bucket_size: 3, inline: true };

/// An actor's role: a small enum with a stable byte for each variant (the byte is part of the
/// stored key, so it must never change once deployed).
pub trait Role: Copy + Eq + fmt::Debug {
    /// The role's byte.
    fn to_u8(self) -> u8;
    /// The role with this byte, if any.
    fn from_u8(b: u8) -> Option<Self>;
}

/// The key of a grant: the role's byte, then the account's ID as a minimal LEB128 varint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RoleKey<R> {
    /// The role.
    pub role: R,
    /// The account holding it.
    pub account: ActorID,
}

impl<R: Role> MapKey for RoleKey<R> {
    fn to_key_bytes(&self) -> Vec<u8> {
        let mut b = vec![self.role.to_u8()];
        b.extend(self.account.to_key_bytes());
        b
    }

    fn from_key_bytes(b: &[u8]) -> Result<Self> {
        let (&role, account) =
            b.split_first().ok_or_else(|| ActorError::serialization("invalid role key: empty"))?;
        let role = R::from_u8(role)
            .ok_or_else(|| ActorError::serialization(format!("invalid role key: role {role}")))?;
        Ok(Self { role, account: u64::from_key_bytes(account)? })
    }
}

/// The grants of an actor's roles (see the module docs).
pub struct Roles<BS: Blockstore, R: Role> {
    set: Set<BS, RoleKey<R>>,
}

impl<BS: Blockstore, R: Role> fmt::Debug for Roles<BS, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Roles").finish_non_exhaustive()
    }
}

impl<BS: Blockstore, R: Role> Roles<BS, R> {
    /// No grants (nothing is written until [`Roles::flush`]).
    pub fn empty(store: BS, config: MapConfig) -> Self {
        Self { set: Set::empty(store, config, "roles") }
    }

    /// The grants rooted at `root`, created with `config`.
    pub fn load(store: BS, root: &Cid, config: MapConfig) -> Result<Self> {
        Ok(Self { set: Set::load(store, root, config, "roles")? })
    }

    /// Writes the changed grants and returns the root.
    pub fn flush(&mut self) -> Result<Cid> {
        self.set.flush()
    }

    /// Whether `account` holds `role`.
    pub fn has(&self, role: R, account: ActorID) -> Result<bool> {
        self.set.contains(&RoleKey { role, account })
    }

    /// Fails with `USR_FORBIDDEN` unless `account` holds `role`.
    pub fn require(&self, role: R, account: ActorID) -> Result<()> {
        if !self.has(role, account)? {
            return Err(actor_error!(forbidden; "f0{} does not have the {:?} role", account, role));
        }
        Ok(())
    }

    /// Gives `account` the `role`; returns whether the grant is new.
    pub fn grant(&mut self, role: R, account: ActorID) -> Result<bool> {
        self.set.insert(RoleKey { role, account })
    }

    /// Takes `role` from `account`; returns whether it held it.
    pub fn revoke(&mut self, role: R, account: ActorID) -> Result<bool> {
        self.set.remove(&RoleKey { role, account })
    }

    /// Calls `f` with every grant, in key order (all of them: for invariant checks and tests, not
    /// for actor methods).
    pub fn for_each(&self, mut f: impl FnMut(R, ActorID) -> Result<()>) -> Result<()> {
        self.set.for_each(|k| f(k.role, k.account))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fvm_ipld_blockstore::MemoryBlockstore;
    use fvm_shared::error::ExitCode;

    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    enum R {
        A = 0,
        B = 7,
    }

    impl Role for R {
        fn to_u8(self) -> u8 {
            self as u8
        }
        fn from_u8(b: u8) -> Option<Self> {
            match b {
                0 => Some(R::A),
                7 => Some(R::B),
                _ => None,
            }
        }
    }

    #[test]
    fn grants_are_per_role_and_account_and_survive_a_flush() {
        let store = MemoryBlockstore::new();
        let mut roles = Roles::empty(&store, ROLES_CONFIG);
        assert!(roles.grant(R::A, 1).unwrap());
        assert!(roles.grant(R::B, 1).unwrap());
        assert!(roles.grant(R::B, 300).unwrap());
        assert!(!roles.has(R::A, 300).unwrap());
        let root = roles.flush().unwrap();
        let mut roles: Roles<_, R> = Roles::load(&store, &root, ROLES_CONFIG).unwrap();
        assert!(roles.revoke(R::B, 1).unwrap());
        assert!(!roles.revoke(R::B, 1).unwrap());
        assert_eq!(roles.require(R::B, 1).unwrap_err().code(), ExitCode::USR_FORBIDDEN);
        let mut all = vec![];
        roles
            .for_each(|r, a| {
                all.push((r, a));
                Ok(())
            })
            .unwrap();
        all.sort_by_key(|(r, a)| (r.to_u8(), *a));
        assert_eq!(all, vec![(R::A, 1), (R::B, 300)]);
    }

    #[test]
    fn keys_round_trip_and_unknown_roles_are_refused() {
        let key = RoleKey { role: R::B, account: 1_000_000 };
        assert_eq!(RoleKey::<R>::from_key_bytes(&key.to_key_bytes()).unwrap(), key);
        assert!(RoleKey::<R>::from_key_bytes(&[3, 1]).is_err());
        assert!(RoleKey::<R>::from_key_bytes(&[]).is_err());
    }

    #[test]
    fn a_few_grants_cost_no_block() {
        let store = MemoryBlockstore::new();
        let mut roles = Roles::empty(&store, ROLES_CONFIG);
        roles.grant(R::A, 100).unwrap();
        roles.grant(R::B, 101).unwrap();
        assert_eq!(roles.flush().unwrap().hash().code(), crate::inline::IDENTITY);
    }
}
