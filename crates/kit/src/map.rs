//! [`Map`]: a typed, named map over a HAMT (`fvm_ipld_hamt`), the structure the builtin actors keep
//! their keyed state in.
//!
//! Keys are encoded to bytes by [`MapKey`] (the HAMT hashes those bytes with SHA-256), values are
//! CBOR-encoded. Every map has a [`MapConfig`] (chosen once, when the map is created, and needed
//! again to load it) and a name that prefixes every error it returns, so that a storage fault reads
//! `balances: failed to get: ...` rather than a bare HAMT error.
//!
//! ```
//! use actorlib_kit::{Map, MapConfig};
//! use fvm_ipld_blockstore::MemoryBlockstore;
//!
//! let store = MemoryBlockstore::new();
//! let mut balances: Map<_, u64, u64> = Map::empty(&store, MapConfig::DEFAULT, "balances");
//! assert_eq!(balances.set(101, 5).unwrap(), None);
//! assert_eq!(balances.set(101, 7).unwrap(), Some(5));
//! let root = balances.flush().unwrap();
//!
//! let balances: Map<_, u64, u64> = Map::load(&store, &root, MapConfig::DEFAULT, "balances").unwrap();
//! assert_eq!(balances.get(&101).unwrap(), Some(&7));
//! assert_eq!(balances.get(&102).unwrap(), None);
//! ```
use std::fmt;
use std::marker::PhantomData;

use cid::Cid;
use fvm_ipld_blockstore::Blockstore;
use fvm_ipld_hamt::{BytesKey, Config, Hamt};
use fvm_shared::address::Address;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::inline::Inline;
use crate::varint::{decode_uvarint, put_uvarint};
use crate::{ActorError, Result};

/// A type that can key a [`Map`] (or a [`crate::Set`]): an injective encoding to bytes and back.
///
/// `from_key_bytes(&k.to_key_bytes())` must return `k`, and `from_key_bytes` must reject any bytes
/// that `to_key_bytes` never produces (so that every stored key decodes to exactly one value). A
/// failure is a `USR_SERIALIZATION` error.
///
/// The encodings are the ones the builtin actors and Lotus use, so that other tools can read the
/// state:
///
/// | type | bytes |
/// | --- | --- |
/// | `u64` | unsigned LEB128 varint, minimal (the builtin actors' `u64_key`, e.g. actor IDs) |
/// | `i64` | zigzag then unsigned LEB128 varint (Go's `binary.PutVarint`, Lotus's `abi.IntKey`) |
/// | [`Cid`] | the CID's binary form |
/// | [`Address`] | the address's binary form (protocol byte then payload) |
/// | `Vec<u8>` | the bytes themselves |
/// | `String` | the UTF-8 bytes |
///
/// ```
/// use actorlib_kit::MapKey;
///
/// assert_eq!(300u64.to_key_bytes(), vec![0xac, 0x02]);
/// assert_eq!(u64::from_key_bytes(&[0xac, 0x02]).unwrap(), 300);
/// assert_eq!((-1i64).to_key_bytes(), vec![0x01]);
/// assert!(u64::from_key_bytes(&[0x80, 0x00]).is_err()); // not minimal
/// ```
pub trait MapKey: Sized {
    /// The key's bytes, as stored in the HAMT.
    fn to_key_bytes(&self) -> Vec<u8>;
    /// Decodes bytes produced by [`MapKey::to_key_bytes`].
    fn from_key_bytes(b: &[u8]) -> Result<Self>;
}

/// Formats bytes as lowercase hex for error messages (at most 64 bytes are shown).
pub(crate) struct Hex<'a>(pub(crate) &'a [u8]);

impl fmt::Display for Hex<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.0.iter().take(64) {
            write!(f, "{b:02x}")?;
        }
        if self.0.len() > 64 {
            write!(f, "...")?;
        }
        Ok(())
    }
}

fn bad_key(kind: &str, b: &[u8], why: impl fmt::Display) -> ActorError {
    ActorError::serialization(format!("invalid {kind} key 0x{}: {why}", Hex(b)))
}

impl MapKey for u64 {
    fn to_key_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(10);
        put_uvarint(*self, &mut out);
        out
    }
    fn from_key_bytes(b: &[u8]) -> Result<Self> {
        decode_uvarint(b).map_err(|why| bad_key("u64", b, why))
    }
}

impl MapKey for i64 {
    fn to_key_bytes(&self) -> Vec<u8> {
        let zigzag = ((*self << 1) ^ (*self >> 63)) as u64;
        zigzag.to_key_bytes()
    }
    fn from_key_bytes(b: &[u8]) -> Result<Self> {
        let zigzag = decode_uvarint(b).map_err(|why| bad_key("i64", b, why))?;
        Ok(((zigzag >> 1) as i64) ^ -((zigzag & 1) as i64))
    }
}

impl MapKey for Cid {
    fn to_key_bytes(&self) -> Vec<u8> {
        self.to_bytes()
    }
    fn from_key_bytes(b: &[u8]) -> Result<Self> {
        let cid = Cid::try_from(b).map_err(|e| bad_key("CID", b, e))?;
        if cid.to_bytes() != b {
            return Err(bad_key("CID", b, "not in canonical form"));
        }
        Ok(cid)
    }
}

impl MapKey for Address {
    fn to_key_bytes(&self) -> Vec<u8> {
        self.to_bytes()
    }
    fn from_key_bytes(b: &[u8]) -> Result<Self> {
        let addr = Address::from_bytes(b).map_err(|e| bad_key("address", b, e))?;
        if addr.to_bytes() != b {
            return Err(bad_key("address", b, "not in canonical form"));
        }
        Ok(addr)
    }
}

impl MapKey for Vec<u8> {
    fn to_key_bytes(&self) -> Vec<u8> {
        self.clone()
    }
    fn from_key_bytes(b: &[u8]) -> Result<Self> {
        Ok(b.to_vec())
    }
}

impl MapKey for String {
    fn to_key_bytes(&self) -> Vec<u8> {
        self.as_bytes().to_vec()
    }
    fn from_key_bytes(b: &[u8]) -> Result<Self> {
        String::from_utf8(b.to_vec()).map_err(|e| bad_key("string", b, e))
    }
}

/// How a [`Map`]'s HAMT is laid out. Part of the map's identity: a map must be loaded with the
/// configuration it was created with.
///
/// ```
/// use actorlib_kit::MapConfig;
///
/// let wide = MapConfig { bit_width: 8, ..MapConfig::DEFAULT };
/// assert_eq!(MapConfig::DEFAULT.bit_width, 5);
/// assert!(wide.bit_width > MapConfig::DEFAULT.bit_width);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MapConfig {
    /// Bits of the key's hash consumed per level: each node has `2^bit_width` slots. Must be in
    /// `1..=8`; any other value makes every access fail with `USR_ILLEGAL_ARGUMENT`.
    pub bit_width: u32,
    /// The most entries a slot holds before they move into a child node of their own. Larger
    /// buckets make paths shorter and leaves larger. Must be at least 1.
    pub bucket_size: usize,
    /// Whether nodes small enough are kept inside their parent rather than written as blocks of
    /// their own ([`crate::inline`]): much cheaper for small maps and sparse nodes. Maps are read
    /// the same either way.
    pub inline: bool,
}

impl MapConfig {
    /// Bit width 5 (32 slots per node), buckets of 3 and every node a block: the layout of most
    /// builtin actor maps.
    pub const DEFAULT: MapConfig = MapConfig { bit_width: 5, bucket_size: 3, inline: false };
    /// The largest bit width the HAMT supports.
    pub const MAX_BIT_WIDTH: u32 = 8;

    fn hamt_config(self) -> Config {
        Config { bit_width: self.bit_width, max_array_width: self.bucket_size, ..Config::default() }
    }

    fn check(self, name: &str) -> Result<()> {
        if (1..=Self::MAX_BIT_WIDTH).contains(&self.bit_width) && self.bucket_size >= 1 {
            Ok(())
        } else {
            Err(ActorError::illegal_argument(format!(
                "{name}: invalid HAMT bit width {} (must be 1..={}) or bucket size {} (must be \
                 at least 1)",
                self.bit_width,
                Self::MAX_BIT_WIDTH,
                self.bucket_size
            )))
        }
    }
}

impl Default for MapConfig {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// A typed map from `K` to `V` stored in a HAMT, with a name that appears in every error.
///
/// Storage faults (a missing or undecodable block) are `USR_ILLEGAL_STATE` errors whose message
/// starts with the map's name and the failed operation: `balances: failed to load: ...`.
///
/// ```
/// use actorlib_kit::{Map, MapConfig};
/// use fvm_ipld_blockstore::MemoryBlockstore;
/// use fvm_shared::address::Address;
///
/// let store = MemoryBlockstore::new();
/// let mut owners: Map<_, Address, String> = Map::empty(&store, MapConfig::DEFAULT, "owners");
/// let alice = Address::new_id(100);
/// assert!(owners.set_if_absent(alice, "alice".to_string()).unwrap());
/// assert!(!owners.set_if_absent(alice, "mallory".to_string()).unwrap());
/// assert_eq!(owners.get(&alice).unwrap().map(String::as_str), Some("alice"));
///
/// let mut seen = vec![];
/// owners.for_each(|addr, name| {
///     seen.push((addr, name.clone()));
///     Ok(())
/// }).unwrap();
/// assert_eq!(seen, vec![(alice, "alice".to_string())]);
///
/// assert_eq!(owners.delete(&alice).unwrap(), Some("alice".to_string()));
/// assert!(owners.is_empty());
/// ```
pub struct Map<BS: Blockstore, K: MapKey, V> {
    /// Through [`Inline`]: nodes of a few entries live inside their parent (see [`crate::inline`]).
    hamt: Hamt<Inline<BS>, V, BytesKey>,
    config: MapConfig,
    name: &'static str,
    key: PhantomData<fn() -> K>,
}

impl<BS: Blockstore, K: MapKey, V> fmt::Debug for Map<BS, K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Map").field("name", &self.name).field("config", &self.config).finish()
    }
}

/// Runs a HAMT or AMT traversal whose callback may fail with an [`ActorError`]: `run` gets a
/// function that records the callback's error and returns a placeholder to abort the traversal
/// with. The recorded error is returned unchanged (rather than flattened into a storage error).
pub(crate) fn traverse<T, E>(
    name: &str,
    op: &str,
    run: impl FnOnce(&mut dyn FnMut(ActorError) -> anyhow::Error) -> std::result::Result<T, E>,
) -> Result<T>
where
    ActorError: From<E>,
{
    let mut failure: Option<ActorError> = None;
    let result = run(&mut |e| {
        failure = Some(e);
        anyhow::anyhow!("traversal stopped by callback")
    });
    if let Some(e) = failure {
        return Err(e);
    }
    result.map_err(|e| ActorError::from(e).wrap(format_args!("{name}: failed to {op}")))
}

impl<BS, K, V> Map<BS, K, V>
where
    BS: Blockstore,
    K: MapKey,
    V: Serialize + DeserializeOwned,
{
    /// A new, empty map (nothing is written until [`Map::flush`]).
    pub fn empty(store: BS, config: MapConfig, name: &'static str) -> Self {
        let hamt = Hamt::new_with_config(Inline::new(store, config.inline), config.hamt_config());
        Self { hamt, config, name, key: PhantomData }
    }

    /// Loads the map rooted at `root`, which must have been created with the same `config`.
    ///
    /// A root that is not in the store (or is not a HAMT node) is a `USR_ILLEGAL_STATE` error
    /// naming the map.
    pub fn load(store: BS, root: &Cid, config: MapConfig, name: &'static str) -> Result<Self> {
        config.check(name)?;
        let hamt = Hamt::load_with_config(
            root,
            Inline::new(store, config.inline),
            config.hamt_config(),
        )
        .map_err(|e| ActorError::from(e).wrap(format_args!("{name}: failed to load {root}")))?;
        Ok(Self { hamt, config, name, key: PhantomData })
    }

    /// Writes an empty map with this configuration to `store` and returns its root: the CID to put
    /// in a freshly constructed actor's state.
    ///
    /// ```
    /// use actorlib_kit::{Map, MapConfig};
    /// use fvm_ipld_blockstore::MemoryBlockstore;
    ///
    /// let store = MemoryBlockstore::new();
    /// let root = Map::<_, u64, u64>::flush_empty(&store, MapConfig::DEFAULT).unwrap();
    /// let map: Map<_, u64, u64> = Map::load(&store, &root, MapConfig::DEFAULT, "m").unwrap();
    /// assert!(map.is_empty());
    /// ```
    pub fn flush_empty(store: BS, config: MapConfig) -> Result<Cid> {
        Self::empty(store, config, "empty map").flush()
    }

    /// Writes every modified node to the store and returns the root CID.
    pub fn flush(&mut self) -> Result<Cid> {
        self.config.check(self.name)?;
        self.hamt.flush().map_err(|e| self.fault("flush", e))
    }

    /// The value stored under `key`, if any.
    pub fn get(&self, key: &K) -> Result<Option<&V>> {
        self.config.check(self.name)?;
        self.hamt.get(&BytesKey(key.to_key_bytes())).map_err(|e| self.fault("get", e))
    }

    /// Whether `key` has a value.
    pub fn contains_key(&self, key: &K) -> Result<bool> {
        self.config.check(self.name)?;
        self.hamt.contains_key(&BytesKey(key.to_key_bytes())).map_err(|e| self.fault("get", e))
    }

    /// Stores `value` under `key`, returning the value it replaces.
    pub fn set(&mut self, key: K, value: V) -> Result<Option<V>>
    where
        V: PartialEq,
    {
        self.config.check(self.name)?;
        self.hamt.set(BytesKey(key.to_key_bytes()), value).map_err(|e| self.fault("set", e))
    }

    /// Stores `value` under `key` only if the key has no value; returns whether it was stored.
    pub fn set_if_absent(&mut self, key: K, value: V) -> Result<bool>
    where
        V: PartialEq,
    {
        self.config.check(self.name)?;
        self.hamt
            .set_if_absent(BytesKey(key.to_key_bytes()), value)
            .map_err(|e| self.fault("set", e))
    }

    /// Removes `key`, returning the value it had.
    pub fn delete(&mut self, key: &K) -> Result<Option<V>> {
        self.config.check(self.name)?;
        let removed =
            self.hamt.delete(&BytesKey(key.to_key_bytes())).map_err(|e| self.fault("delete", e))?;
        Ok(removed.map(|(_, v)| v))
    }

    /// Whether the map has no entries.
    pub fn is_empty(&self) -> bool {
        self.hamt.is_empty()
    }

    /// Calls `f` on every entry, in the HAMT's order (by key hash, not by key). Stops at, and
    /// returns, the first error `f` returns.
    pub fn for_each<F>(&self, mut f: F) -> Result<()>
    where
        F: FnMut(K, &V) -> Result<()>,
    {
        self.config.check(self.name)?;
        let name = self.name;
        traverse(name, "iterate", |stop| {
            self.hamt.for_each(|k, v| {
                let key = K::from_key_bytes(k).map_err(|e| stop(invalid_stored_key(name, e)))?;
                f(key, v).map_err(&mut *stop)
            })
        })
    }

    /// Calls `f` on at most `limit` entries, starting at the entry keyed `start` (or at the first
    /// entry if `start` is `None`), and returns the key to start the next page at, or `None` when
    /// the traversal is complete.
    ///
    /// The returned cursor is an existing key. It stays a valid starting point while other keys
    /// are inserted or deleted; if the cursor's own key has been deleted since, this fails with
    /// `USR_ILLEGAL_ARGUMENT`. The order is the HAMT's internal order, and a write between two pages
    /// can reorganise a bucket, so an entry inserted, or sharing a bucket with a modified entry,
    /// may be visited twice or not at all; to page through an exact snapshot, keep the root
    /// [`Cid`] and [`Map::load`] each page from it.
    ///
    /// ```
    /// use actorlib_kit::{Map, MapConfig};
    /// use fvm_ipld_blockstore::MemoryBlockstore;
    ///
    /// let store = MemoryBlockstore::new();
    /// let mut m: Map<_, u64, u64> = Map::empty(&store, MapConfig::DEFAULT, "m");
    /// for i in 0..10 {
    ///     m.set(i, i * i).unwrap();
    /// }
    /// let (mut cursor, mut seen) = (None, vec![]);
    /// loop {
    ///     cursor = m.for_each_from(cursor.as_ref(), 3, |k, _| {
    ///         seen.push(k);
    ///         Ok(())
    ///     }).unwrap();
    ///     if cursor.is_none() {
    ///         break;
    ///     }
    /// }
    /// seen.sort();
    /// assert_eq!(seen, (0..10).collect::<Vec<_>>());
    /// ```
    pub fn for_each_from<F>(&self, start: Option<&K>, limit: usize, mut f: F) -> Result<Option<K>>
    where
        F: FnMut(K, &V) -> Result<()>,
    {
        self.config.check(self.name)?;
        let name = self.name;
        let start = start.map(|k| BytesKey(k.to_key_bytes()));
        if let Some(start) = &start {
            if !self.hamt.contains_key(start).map_err(|e| self.fault("iterate", e))? {
                return Err(ActorError::illegal_argument(format!(
                    "{name}: pagination cursor 0x{} is not in the map",
                    Hex(start)
                )));
            }
        }
        let (_, next) = traverse(name, "iterate", |stop| {
            self.hamt.for_each_ranged(start.as_ref(), Some(limit), |k: &BytesKey, v| {
                let key = K::from_key_bytes(k).map_err(|e| stop(invalid_stored_key(name, e)))?;
                f(key, v).map_err(&mut *stop)
            })
        })?;
        next.map(|k| K::from_key_bytes(&k).map_err(|e| invalid_stored_key(name, e))).transpose()
    }

    /// The map's configuration.
    pub fn config(&self) -> MapConfig {
        self.config
    }

    /// The map's name, as it appears in errors.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The blockstore the map reads and writes.
    pub fn store(&self) -> &BS {
        self.hamt.store().inner()
    }

    fn fault(&self, op: &str, e: fvm_ipld_hamt::Error) -> ActorError {
        ActorError::from(e).wrap(format_args!("{}: failed to {op}", self.name))
    }
}

fn invalid_stored_key(name: &str, e: ActorError) -> ActorError {
    ActorError::illegal_state(format!("{name}: stored key is invalid: {}", e.message()))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use fvm_ipld_blockstore::MemoryBlockstore;
    use fvm_shared::error::ExitCode;
    use proptest::prelude::*;

    use super::*;

    fn round_trip<K: MapKey + PartialEq + fmt::Debug>(k: K) {
        let bytes = k.to_key_bytes();
        assert_eq!(K::from_key_bytes(&bytes).unwrap(), k, "bytes 0x{}", Hex(&bytes));
    }

    #[test]
    fn u64_keys_are_minimal_leb128() {
        assert_eq!(0u64.to_key_bytes(), vec![0x00]);
        assert_eq!(1u64.to_key_bytes(), vec![0x01]);
        assert_eq!(127u64.to_key_bytes(), vec![0x7f]);
        assert_eq!(128u64.to_key_bytes(), vec![0x80, 0x01]);
        assert_eq!(1000u64.to_key_bytes(), vec![0xe8, 0x07]);
        assert_eq!(u64::MAX.to_key_bytes(), [vec![0xff; 9], vec![0x01]].concat());
        for v in [0, 1, 127, 128, 1000, 1 << 35, u64::MAX - 1, u64::MAX] {
            round_trip(v);
        }
    }

    #[test]
    fn u64_key_decoding_is_strict() {
        let bad: &[&[u8]] = &[
            &[],                                                           // empty
            &[0x80],                                                       // truncated
            &[0x80, 0x00],                                                 // not minimal
            &[0x01, 0x00],                                                 // trailing byte
            &[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02], // > u64::MAX
            &[0xff; 11],                                                   // too long
        ];
        for b in bad {
            let e = u64::from_key_bytes(b).unwrap_err();
            assert_eq!(e.code(), ExitCode::USR_SERIALIZATION, "{b:?}");
            assert!(e.message().starts_with("invalid u64 key"), "{}", e.message());
        }
    }

    #[test]
    fn i64_keys_are_zigzag_varints() {
        assert_eq!(0i64.to_key_bytes(), vec![0x00]);
        assert_eq!((-1i64).to_key_bytes(), vec![0x01]);
        assert_eq!(1i64.to_key_bytes(), vec![0x02]);
        assert_eq!((-64i64).to_key_bytes(), vec![0x7f]);
        assert_eq!(64i64.to_key_bytes(), vec![0x80, 0x01]);
        for v in [0, 1, -1, 63, -64, 64, i64::MAX, i64::MIN, -1_000_000] {
            round_trip(v);
        }
        assert!(i64::from_key_bytes(&[0x80]).is_err());
    }

    #[test]
    fn other_keys_round_trip_and_reject_garbage() {
        let cid =
            Map::<_, u64, u64>::flush_empty(MemoryBlockstore::new(), MapConfig::DEFAULT).unwrap();
        round_trip(cid);
        let mut cid_bytes = cid.to_bytes();
        cid_bytes.push(0);
        assert_eq!(
            Cid::from_key_bytes(&cid_bytes).unwrap_err().code(),
            ExitCode::USR_SERIALIZATION
        );
        assert!(Cid::from_key_bytes(&[0x01]).is_err());

        round_trip(Address::new_id(1234));
        round_trip(Address::new_secp256k1(&[7u8; 65]).unwrap());
        round_trip(Address::new_actor(b"actor"));
        assert!(Address::from_key_bytes(&[]).is_err());
        assert!(Address::from_key_bytes(&[0x09, 0x01]).is_err());

        round_trip(vec![0u8, 1, 2, 255]);
        round_trip(Vec::<u8>::new());
        round_trip("héllo".to_string());
        let e = String::from_key_bytes(&[0xff, 0xfe]).unwrap_err();
        assert_eq!(e.code(), ExitCode::USR_SERIALIZATION);
    }

    #[test]
    fn set_get_delete() {
        let store = MemoryBlockstore::new();
        let mut m: Map<_, String, u64> = Map::empty(&store, MapConfig::DEFAULT, "m");
        assert!(m.is_empty());
        assert_eq!(m.set("a".into(), 1).unwrap(), None);
        assert_eq!(m.set("b".into(), 2).unwrap(), None);
        assert_eq!(m.set("a".into(), 3).unwrap(), Some(1));
        assert!(!m.set_if_absent("a".into(), 9).unwrap());
        assert!(m.set_if_absent("c".into(), 4).unwrap());
        assert_eq!(m.get(&"a".into()).unwrap(), Some(&3));
        assert_eq!(m.get(&"c".into()).unwrap(), Some(&4));
        assert!(m.contains_key(&"b".into()).unwrap());
        assert!(!m.contains_key(&"z".into()).unwrap());
        assert_eq!(m.delete(&"b".into()).unwrap(), Some(2));
        assert_eq!(m.delete(&"b".into()).unwrap(), None);
        assert!(!m.is_empty());
        assert_eq!(m.name(), "m");
        assert_eq!(m.config(), MapConfig::DEFAULT);
    }

    #[test]
    fn flush_and_load_round_trip() {
        let store = MemoryBlockstore::new();
        let config = MapConfig { bit_width: 3, ..MapConfig::DEFAULT };
        let mut m: Map<_, Address, Vec<u8>> = Map::empty(&store, config, "m");
        for i in 0..200u64 {
            m.set(Address::new_id(i), i.to_be_bytes().to_vec()).unwrap();
        }
        let root = m.flush().unwrap();
        // Flushing an unmodified map is stable.
        assert_eq!(m.flush().unwrap(), root);

        let mut loaded: Map<_, Address, Vec<u8>> = Map::load(&store, &root, config, "m").unwrap();
        for i in 0..200u64 {
            assert_eq!(loaded.get(&Address::new_id(i)).unwrap(), Some(&i.to_be_bytes().to_vec()));
        }
        let mut count = 0;
        loaded
            .for_each(|k, v| {
                assert_eq!(k.id().unwrap().to_be_bytes().to_vec(), *v);
                count += 1;
                Ok(())
            })
            .unwrap();
        assert_eq!(count, 200);

        // Deleting everything gives back the empty root.
        for i in 0..200u64 {
            loaded.delete(&Address::new_id(i)).unwrap();
        }
        assert!(loaded.is_empty());
        assert_eq!(
            loaded.flush().unwrap(),
            Map::<_, u64, u64>::flush_empty(&store, config).unwrap()
        );
    }

    #[test]
    fn loading_a_missing_root_names_the_map() {
        let store = MemoryBlockstore::new();
        let other = MemoryBlockstore::new();
        let root = {
            let mut m: Map<_, u64, u64> = Map::empty(&other, MapConfig::DEFAULT, "x");
            m.set(1, 1).unwrap();
            m.flush().unwrap()
        };
        let e =
            Map::<_, u64, u64>::load(&store, &root, MapConfig::DEFAULT, "balances").unwrap_err();
        assert_eq!(e.code(), ExitCode::USR_ILLEGAL_STATE);
        assert!(e.message().starts_with("balances: failed to load"), "{}", e.message());
        assert!(e.message().contains(&root.to_string()), "{}", e.message());
    }

    #[test]
    fn loading_a_value_of_the_wrong_type_is_illegal_state() {
        let store = MemoryBlockstore::new();
        let mut m: Map<_, u64, String> = Map::empty(&store, MapConfig::DEFAULT, "names");
        m.set(1, "one".into()).unwrap();
        let root = m.flush().unwrap();
        let e = Map::<_, u64, u64>::load(&store, &root, MapConfig::DEFAULT, "names")
            .and_then(|m| m.get(&1).map(|v| v.copied()))
            .unwrap_err();
        assert_eq!(e.code(), ExitCode::USR_ILLEGAL_STATE);
        assert!(e.message().starts_with("names: failed to"), "{}", e.message());
    }

    #[test]
    fn invalid_bit_width_is_an_error_not_a_panic() {
        let store = MemoryBlockstore::new();
        for bit_width in [0, 9, u32::MAX] {
            let config = MapConfig { bit_width, ..MapConfig::DEFAULT };
            let mut m: Map<_, u64, u64> = Map::empty(&store, config, "bad");
            let e = m.set(1, 1).unwrap_err();
            assert_eq!(e.code(), ExitCode::USR_ILLEGAL_ARGUMENT);
            assert!(e.message().starts_with("bad: invalid HAMT bit width"), "{}", e.message());
            assert!(m.get(&1).is_err());
            assert!(m.flush().is_err());
        }
        let root = Map::<_, u64, u64>::flush_empty(&store, MapConfig::DEFAULT).unwrap();
        assert!(Map::<_, u64, u64>::load(
            &store,
            &root,
            MapConfig { bit_width: 0, ..MapConfig::DEFAULT },
            "bad"
        )
        .is_err());
    }

    #[test]
    fn callback_errors_are_returned_unchanged() {
        let store = MemoryBlockstore::new();
        let mut m: Map<_, u64, u64> = Map::empty(&store, MapConfig::DEFAULT, "m");
        for i in 0..10 {
            m.set(i, i).unwrap();
        }
        let mut calls = 0;
        let e = m
            .for_each(|_, _| {
                calls += 1;
                if calls == 3 {
                    Err(ActorError::forbidden("stop here"))
                } else {
                    Ok(())
                }
            })
            .unwrap_err();
        assert_eq!(e, ActorError::forbidden("stop here"));
        assert_eq!(calls, 3);

        let e = m.for_each_from(None, 5, |_, _| Err(ActorError::not_found("nope"))).unwrap_err();
        assert_eq!(e, ActorError::not_found("nope"));
    }

    #[test]
    fn keys_that_do_not_decode_are_illegal_state() {
        let store = MemoryBlockstore::new();
        let mut raw: Map<_, Vec<u8>, u64> = Map::empty(&store, MapConfig::DEFAULT, "ids");
        raw.set(vec![0x80, 0x00], 1).unwrap();
        let root = raw.flush().unwrap();
        let ids: Map<_, u64, u64> = Map::load(&store, &root, MapConfig::DEFAULT, "ids").unwrap();
        let e = ids.for_each(|_, _| Ok(())).unwrap_err();
        assert_eq!(e.code(), ExitCode::USR_ILLEGAL_STATE);
        assert!(e.message().starts_with("ids: stored key is invalid"), "{}", e.message());
    }

    fn collect_pages(m: &Map<&MemoryBlockstore, u64, u64>, page: usize) -> (Vec<u64>, usize) {
        let mut seen = vec![];
        let mut cursor = None;
        let mut pages = 0;
        loop {
            let mut n = 0;
            cursor = m
                .for_each_from(cursor.as_ref(), page, |k, v| {
                    assert_eq!(*v, k * 10);
                    seen.push(k);
                    n += 1;
                    Ok(())
                })
                .unwrap();
            pages += 1;
            assert!(n <= page);
            if cursor.is_none() {
                break;
            }
            assert_eq!(n, page, "only the last page may be short");
        }
        (seen, pages)
    }

    #[test]
    fn pagination_visits_every_entry_once() {
        let store = MemoryBlockstore::new();
        let mut m: Map<_, u64, u64> = Map::empty(&store, MapConfig::DEFAULT, "m");
        for i in 0..95 {
            m.set(i, i * 10).unwrap();
        }
        let (mut seen, pages) = collect_pages(&m, 10);
        assert_eq!(pages, 10);
        // Pages follow the full iteration order.
        let mut all = vec![];
        m.for_each(|k, _| {
            all.push(k);
            Ok(())
        })
        .unwrap();
        assert_eq!(seen, all);
        seen.sort();
        assert_eq!(seen, (0..95).collect::<Vec<_>>());

        // A page as large as the map returns everything and no cursor.
        let (seen, pages) = collect_pages(&m, 95);
        assert_eq!((seen.len(), pages), (95, 1));
        // A limit of zero makes no progress but returns the first key as the cursor.
        let first = m.for_each_from(None, 0, |_, _| panic!("no entry expected")).unwrap();
        assert_eq!(first, Some(all[0]));
        // Empty map: no cursor.
        let empty: Map<_, u64, u64> = Map::empty(&store, MapConfig::DEFAULT, "e");
        assert_eq!(empty.for_each_from(None, 10, |_, _| Ok(())).unwrap(), None);
    }

    #[test]
    fn pagination_cursor_survives_inserts_but_not_its_own_deletion() {
        let store = MemoryBlockstore::new();
        let mut m: Map<_, u64, u64> = Map::empty(&store, MapConfig::DEFAULT, "m");
        for i in 0..60 {
            m.set(i, i * 10).unwrap();
        }
        let mut seen = std::collections::BTreeSet::new();
        let mut cursor = None;
        let mut next_new = 1000;
        let mut pages = 0;
        loop {
            cursor = m
                .for_each_from(cursor.as_ref(), 7, |k, _| {
                    seen.insert(k);
                    Ok(())
                })
                .unwrap();
            pages += 1;
            let Some(c) = cursor else { break };
            // Between pages, other keys are inserted; the cursor stays usable.
            for _ in 0..5 {
                m.set(next_new, next_new * 10).unwrap();
                next_new += 1;
            }
            assert!(m.contains_key(&c).unwrap());
            assert!(pages < 100, "pagination does not terminate");
        }
        // Every visited key exists, and the traversal covered the map it started with (this holds
        // for these keys: a bucket split between pages could in general reorder a few entries).
        assert!(seen.iter().all(|k| *k < 60 || (1000..next_new).contains(k)));
        assert!((0..60).all(|k| seen.contains(&k)), "missing original keys");

        // A cursor whose key was deleted is rejected, naming the map.
        let cursor = m.for_each_from(None, 3, |_, _| Ok(())).unwrap().unwrap();
        m.delete(&cursor).unwrap();
        let e = m.for_each_from(Some(&cursor), 3, |_, _| Ok(())).unwrap_err();
        assert_eq!(e.code(), ExitCode::USR_ILLEGAL_ARGUMENT);
        assert!(e.message().starts_with("m: pagination cursor"), "{}", e.message());
    }

    #[derive(Debug, Clone)]
    enum Op {
        Set(u64, u64),
        SetIfAbsent(u64, u64),
        Delete(u64),
        Flush,
    }

    fn op() -> impl Strategy<Value = Op> {
        let key = 0u64..64;
        prop_oneof![
            4 => (key.clone(), any::<u64>()).prop_map(|(k, v)| Op::Set(k, v)),
            2 => (key.clone(), any::<u64>()).prop_map(|(k, v)| Op::SetIfAbsent(k, v)),
            3 => key.prop_map(Op::Delete),
            1 => Just(Op::Flush),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn behaves_like_a_btreemap(
            ops in proptest::collection::vec(op(), 0..120),
            page in 1usize..20,
            inline in any::<bool>(),
            bucket_size in 1usize..7,
        ) {
            // Every layout, with small nodes inline or not, holds the same map.
            let store = MemoryBlockstore::new();
            let config = MapConfig { bit_width: 2, bucket_size, inline };
            let mut m: Map<_, u64, u64> = Map::empty(&store, config, "m");
            let mut model = BTreeMap::new();
            for op in ops {
                match op {
                    Op::Set(k, v) => prop_assert_eq!(m.set(k, v).unwrap(), model.insert(k, v)),
                    Op::SetIfAbsent(k, v) => {
                        let absent = !model.contains_key(&k);
                        if absent {
                            model.insert(k, v);
                        }
                        prop_assert_eq!(m.set_if_absent(k, v).unwrap(), absent);
                    }
                    Op::Delete(k) => prop_assert_eq!(m.delete(&k).unwrap(), model.remove(&k)),
                    Op::Flush => {
                        let root = m.flush().unwrap();
                        m = Map::load(&store, &root, config, "m").unwrap();
                    }
                }
            }
            for k in 0..64 {
                prop_assert_eq!(m.get(&k).unwrap(), model.get(&k));
            }
            prop_assert_eq!(m.is_empty(), model.is_empty());
            let mut paged = BTreeMap::new();
            let mut cursor = None;
            loop {
                cursor = m.for_each_from(cursor.as_ref(), page, |k, v| {
                    assert!(paged.insert(k, *v).is_none(), "key {k} visited twice");
                    Ok(())
                }).unwrap();
                if cursor.is_none() {
                    break;
                }
            }
            prop_assert_eq!(paged, model);
        }
    }
}
