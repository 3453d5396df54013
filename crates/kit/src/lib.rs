//! # actorlib_kit
//!
//! What every actorlib actor needs, written once:
//!
//! - [`Map`], [`Vector`], [`Set`]: typed collections over `fvm_ipld_hamt` / `fvm_ipld_amt` with a
//!   mandatory configuration and a name that appears in every error;
//! - [`Checkpoints`]: a value's history by epoch, looked up in O(log n);
//! - [`inline`]: small nodes kept inside their parent (identity CIDs), [`embedded`]: collection
//!   roots kept inside their parent's block (with [`cbor_array`] to assemble it), [`stored_amount`]: amounts
//!   decoded on demand, [`roles`]: role-based access control, [`block::LinkedBlock`]: part of a
//!   state object in a block of its own, loaded only when used (hot/cold splits);
//! - [`ActorError`], [`Result`], [`Context`] and [`actor_error!`]: one error type with exit codes;
//! - [`Runtime`]: the syscalls an actor uses, implemented over the FVM ([`FvmRuntime`]) and faked on
//!   the host ([`FakeRuntime`]) so that actor logic is unit-testable natively;
//! - [`caller`] checks and address resolution, checked [`messaging`], typed [`params`] (with a
//!   [`nesting`] bound checked before decoding) and the
//!   [`dispatch!`] table with the Wasm entry point ([`wasm_trampoline!`]);
//! - [`events`]: FIP-0049 events with a `$type` entry and typed fields;
//! - [`amount`]: checked, never-negative token arithmetic, and [`fixed`]: a fixed-point number.
//! - [`ext`]: the builtin actors' interfaces actorlib's actors use (market deals and escrow, a
//!   miner's owner and beneficiary, FRC-44 `AuthenticateMessage`), with typed calls.
//!
//! Why these crates: `fvm_ipld_hamt`/`fvm_ipld_amt` are the collections the builtin actors store state
//! in (and what explorers know how to walk); `frc42_dispatch` computes the FRC-42 method numbers every
//! FVM tool agrees on. The runtime trait is our own rather than `fvm_actor_utils::Syscalls` because
//! actors need more than that trait offers (value received, epoch, read-only mode, events, code CIDs).
#![deny(missing_docs)]

pub mod amount;
pub mod block;
pub mod builtin;
pub mod caller;
pub mod cbor_array;
pub mod checkpoints;
pub mod dispatch;
pub mod embedded;
pub mod error;
pub mod events;
pub mod ext;
pub mod fixed;
pub mod foreign_cid;
pub mod inline;
pub mod map;
pub mod messaging;
pub mod nesting;
pub mod params;
pub mod receiver;
pub mod roles;
pub mod runtime;
pub mod set;
pub mod state;
pub mod stored_amount;
pub mod varint;
pub mod vector;

/// The Wasm stack size actorlib's actors link with (`-zstack-size` in each actor crate's
/// `build.rs`), in bytes.
///
/// The FVM charges every invocation for the module's initial memory (0.4 gas a byte), and Rust's
/// default for `wasm32` is a 1 MiB stack: 17 pages, about 446,000 gas on every call. 64 KiB (with
/// the data, two pages: about 52,000 gas) is far more than the actors use, because their recursion
/// is bounded: HAMT and AMT paths are a few levels deep, and parameters nested deeper than
/// [`nesting::MAX_NESTING`] are refused before they are decoded. The stack sits below the data
/// (the linker's default for `wasm32`), so an overflow would trap rather than overwrite memory.
pub const WASM_STACK_SIZE: usize = 64 * 1024;

pub use amount::Amount;
pub use checkpoints::Checkpoints;
pub use error::{ActorError, Context, Result};
pub use fixed::Fixed;
pub use map::{Map, MapConfig, MapKey};
pub use runtime::{fake::FakeRuntime, fvm::FvmRuntime, Runtime};
pub use set::Set;
pub use vector::{Vector, VectorConfig};

/// Re-exports used by the kit's macros.
#[doc(hidden)]
pub mod __private {
    pub use fvm_ipld_encoding;
    pub use fvm_sdk;
}

/// The FRC-42 method number of a method name, computed at compile time.
pub use frc42_dispatch::method_hash;
