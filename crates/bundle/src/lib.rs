//! # actorlib_bundle
//!
//! actorlib's actors compiled to Wasm, packed into actor bundles. The build script compiles every
//! actor crate with its `fil-actor` feature for `wasm32-unknown-unknown` and writes the bundles with
//! `fil_actor_bundler` (the tool the builtin actors are bundled with), so the format is the one FVM
//! networks load: a CAR whose single root is the manifest `(version 1, data)`, where `data` lists
//! `(name, code CID)` pairs and each code CID (CIDv1, raw, Blake2b-256) addresses the Wasm bytes.
//!
//! - [`ACTORS_CAR`]: actorlib's deployable actors, for an IPC subnet's custom actor bundle or for
//!   installing code on a devnet.
//! - [`HOST_CAR`]: the sandbox's stand-ins for Filecoin's builtin actors, in canonical manifest order.
//!
//! ```
//! let table = actorlib_bundle::manifest(actorlib_bundle::ACTORS_CAR).unwrap();
//! assert!(table.iter().any(|(name, _)| name == "example-counter"));
//! ```
#![deny(missing_docs)]

use anyhow::{anyhow, bail, Context, Result};
use cid::Cid;
use fvm_ipld_blockstore::{Blockstore, MemoryBlockstore};
use fvm_ipld_encoding::CborStore;

include!(concat!(env!("OUT_DIR"), "/modules.rs"));

/// The bundle of actorlib's deployable actors (CAR bytes).
pub const ACTORS_CAR: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/actorlib.car"));

/// The bundle of the sandbox's builtin stand-ins, in canonical manifest order (CAR bytes).
pub const HOST_CAR: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/sandbox-host.car"));

/// The Wasm bytes of an actor or sandbox helper by name (e.g. `"example-counter"`, `"sandbox-relay"`).
pub fn wasm(name: &str) -> Option<&'static [u8]> {
    WASM_MODULES.iter().find(|(n, _, _)| *n == name).map(|(_, _, bytes)| *bytes)
}

/// Loads a bundle into a blockstore and returns its manifest root CID.
pub fn load(store: &impl Blockstore, car: &[u8]) -> Result<Cid> {
    let roots = fvm_ipld_car::load_car_unchecked(store, car).context("reading bundle CAR")?;
    match roots.as_slice() {
        [root] => Ok(*root),
        _ => bail!("a bundle has exactly one root, found {}", roots.len()),
    }
}

/// Reads the manifest of a bundle loaded at `root`: the `(name, code CID)` pairs in type order.
pub fn read_manifest(store: &impl Blockstore, root: &Cid) -> Result<Vec<(String, Cid)>> {
    let (version, data): (u32, Cid) =
        store.get_cbor(root)?.ok_or_else(|| anyhow!("manifest root {root} missing"))?;
    if version != 1 {
        bail!("unsupported manifest version {version}");
    }
    store.get_cbor(&data)?.ok_or_else(|| anyhow!("manifest data {data} missing"))
}

/// The `(name, code CID)` table of a bundle, checking that every code block is present.
pub fn manifest(car: &[u8]) -> Result<Vec<(String, Cid)>> {
    let store = MemoryBlockstore::new();
    let root = load(&store, car)?;
    let table = read_manifest(&store, &root)?;
    for (name, cid) in &table {
        if !store.has(cid)? {
            bail!("bundle lists {name} at {cid} but does not contain its code");
        }
    }
    Ok(table)
}
