//! The bundles as a network loads them: one root, a version-1 manifest, and code CIDs that address
//! exactly the Wasm built for each actor.
use cid::Cid;
use fvm_ipld_blockstore::{Blockstore, MemoryBlockstore};
use multihash_codetable::{Code, MultihashDigest};

fn raw_cid(wasm: &[u8]) -> Cid {
    Cid::new_v1(0x55, Code::Blake2b256.digest(wasm))
}

#[test]
fn actors_bundle_addresses_the_built_wasm() {
    let table = actorlib_bundle::manifest(actorlib_bundle::ACTORS_CAR).unwrap();
    assert!(!table.is_empty());
    let store = MemoryBlockstore::new();
    let root = actorlib_bundle::load(&store, actorlib_bundle::ACTORS_CAR).unwrap();
    for (name, cid) in &table {
        let wasm = actorlib_bundle::wasm(name).unwrap_or_else(|| panic!("no module for {name}"));
        assert_eq!(*cid, raw_cid(wasm), "{name}");
        assert_eq!(store.get(cid).unwrap().unwrap(), wasm, "{name}");
        assert_eq!(&wasm[..4], b"\0asm");
    }
    assert_eq!(actorlib_bundle::read_manifest(&store, &root).unwrap(), table);
}

#[test]
fn host_bundle_codes_are_wasm_and_distinct() {
    let table = actorlib_bundle::manifest(actorlib_bundle::HOST_CAR).unwrap();
    let store = MemoryBlockstore::new();
    actorlib_bundle::load(&store, actorlib_bundle::HOST_CAR).unwrap();
    for (name, cid) in &table {
        let code = store.get(cid).unwrap().unwrap();
        assert_eq!(raw_cid(&code), *cid, "{name}");
        assert_eq!(&code[..4], b"\0asm", "{name}");
    }
}

#[test]
fn a_corrupt_bundle_is_an_error() {
    assert!(actorlib_bundle::manifest(&[]).is_err());
    let mut car = actorlib_bundle::ACTORS_CAR.to_vec();
    car.truncate(car.len() / 2);
    assert!(actorlib_bundle::manifest(&car).is_err());
}
