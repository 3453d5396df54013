//! Mirrors of the interfaces of other actors this collection calls.
//!
//! An actor crate never depends on another actor's crate (built together for Wasm, both would export
//! `invoke`), so the shapes it sends and receives are written here again and pinned against the
//! originals by `crates/sandbox/tests/interface_mirrors.rs`.
pub mod market;
