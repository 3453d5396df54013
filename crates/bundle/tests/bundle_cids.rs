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

/// A module's initial memory in 64 KiB pages and the lowest address its data segments start at.
fn memory_layout(wasm: &[u8]) -> (u64, u64) {
    fn leb(b: &[u8], i: &mut usize) -> u64 {
        let (mut v, mut shift) = (0u64, 0);
        loop {
            let byte = b[*i];
            *i += 1;
            v |= u64::from(byte & 0x7f) << shift;
            shift += 7;
            if byte < 0x80 {
                return v;
            }
        }
    }
    let (mut pages, mut lowest_data) = (None, u64::MAX);
    let mut i = 8;
    while i < wasm.len() {
        let id = wasm[i];
        i += 1;
        let size = leb(wasm, &mut i) as usize;
        let mut j = i;
        match id {
            5 => {
                leb(wasm, &mut j); // one memory
                let _flags = wasm[j];
                j += 1;
                pages = Some(leb(wasm, &mut j));
            }
            11 => {
                for _ in 0..leb(wasm, &mut j) {
                    assert_eq!(wasm[j], 0, "active segment in memory 0");
                    assert_eq!(wasm[j + 1], 0x41, "i32.const offset");
                    j += 2;
                    lowest_data = lowest_data.min(leb(wasm, &mut j)); // non-negative in practice
                    assert_eq!(wasm[j], 0x0b);
                    j += 1;
                    let len = leb(wasm, &mut j) as usize;
                    j += len;
                }
            }
            _ => {}
        }
        i += size;
    }
    (pages.expect("a memory section"), lowest_data)
}

/// actorlib's actors link with a 64 KiB stack (`actorlib_kit::WASM_STACK_SIZE`), placed below
/// their data so an overflow traps; the builtin stand-ins keep Rust's default (1 MiB), as the
/// builtin actors they stand in for are built, so the sandbox charges calls to them alike.
#[test]
fn actors_link_with_a_small_stack_below_their_data() {
    for (name, _) in actorlib_bundle::manifest(actorlib_bundle::ACTORS_CAR).unwrap() {
        let wasm = actorlib_bundle::wasm(&name).unwrap();
        let (pages, lowest_data) = memory_layout(wasm);
        assert!(pages <= 2, "{name}: {pages} pages of initial memory");
        assert!(
            lowest_data >= actorlib_kit::WASM_STACK_SIZE as u64,
            "{name}: data at {lowest_data}"
        );
    }
    let store = MemoryBlockstore::new();
    actorlib_bundle::load(&store, actorlib_bundle::HOST_CAR).unwrap();
    for (name, cid) in actorlib_bundle::manifest(actorlib_bundle::HOST_CAR).unwrap() {
        if name == "placeholder" {
            continue; // no code at all
        }
        let wasm = store.get(&cid).unwrap().unwrap();
        assert!(memory_layout(&wasm).0 >= 17, "{name}");
    }
}
