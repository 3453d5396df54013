//! FIP-0049 actor events.
//!
//! Every event starts with a `$type` entry (indexed key and value, as the builtin actors do), followed
//! by typed fields: [`EventBuilder::field`] indexes the key only, [`EventBuilder::field_indexed`] the
//! key and the value (use it for what indexers filter on: accounts, IDs). Values are CBOR.
//!
//! ```
//! use actorlib_kit::events::EventBuilder;
//! let event = EventBuilder::new("transfer")
//!     .field_indexed("from", &100u64)
//!     .field_indexed("to", &101u64)
//!     .field("amount", &fvm_shared::econ::TokenAmount::from_atto(5))
//!     .build()
//!     .unwrap();
//! assert_eq!(event.entries.len(), 4);
//! assert_eq!(event.entries[0].key, "$type");
//! ```
use fvm_ipld_encoding::CBOR as IPLD_CBOR;
use fvm_shared::event::{ActorEvent, Entry, Flags};
use serde::Serialize;

use crate::{ActorError, Result, Runtime};

/// Longest entry key the FVM accepts.
pub const MAX_KEY_LEN: usize = 31;
/// Most bytes of values in one event the FVM accepts.
pub const MAX_VALUES_LEN: usize = 8192;

/// Builds one actor event.
#[derive(Debug)]
pub struct EventBuilder {
    entries: Vec<Entry>,
    error: Option<ActorError>,
}

impl EventBuilder {
    /// A new event of type `typ`.
    pub fn new(typ: &str) -> Self {
        let b = Self { entries: Vec::new(), error: None };
        b.push(Flags::FLAG_INDEXED_ALL, "$type", &typ)
    }

    /// Adds a field whose key is indexed.
    pub fn field<T: Serialize + ?Sized>(self, key: &str, value: &T) -> Self {
        self.push(Flags::FLAG_INDEXED_KEY, key, value)
    }

    /// Adds a field whose key and value are indexed.
    pub fn field_indexed<T: Serialize + ?Sized>(self, key: &str, value: &T) -> Self {
        self.push(Flags::FLAG_INDEXED_ALL, key, value)
    }

    fn push<T: Serialize + ?Sized>(mut self, flags: Flags, key: &str, value: &T) -> Self {
        if self.error.is_some() {
            return self;
        }
        if key.len() > MAX_KEY_LEN {
            self.error = Some(ActorError::assertion_failed(format!("event key {key} too long")));
            return self;
        }
        match fvm_ipld_encoding::to_vec(value) {
            Ok(v) => {
                self.entries.push(Entry { flags, key: key.to_string(), codec: IPLD_CBOR, value: v })
            }
            Err(e) => {
                self.error = Some(ActorError::serialization(format!("event field {key}: {e}")))
            }
        }
        self
    }

    /// The event, or the first error met while building it.
    pub fn build(self) -> Result<ActorEvent> {
        if let Some(e) = self.error {
            return Err(e);
        }
        let size: usize = self.entries.iter().map(|e| e.value.len()).sum();
        if size > MAX_VALUES_LEN {
            return Err(ActorError::assertion_failed(format!("event values too large: {size}")));
        }
        Ok(ActorEvent { entries: self.entries })
    }

    /// Builds and emits the event.
    pub fn emit(self, rt: &impl Runtime) -> Result<()> {
        let event = self.build()?;
        rt.emit_event(&event).map_err(|e| match e {
            fvm_shared::error::ErrorNumber::ReadOnly => {
                ActorError::read_only("cannot emit events in a read-only call")
            }
            e => ActorError::assertion_failed(format!("emit event: {e:?}")),
        })
    }
}

/// Reads the `$type` of an event.
pub fn event_type(event: &ActorEvent) -> Option<String> {
    event_field(event, "$type")
}

/// Reads and decodes a field of an event by key.
pub fn event_field<T: serde::de::DeserializeOwned>(event: &ActorEvent, key: &str) -> Option<T> {
    let e = event.entries.iter().find(|e| e.key == key)?;
    fvm_ipld_encoding::from_slice(&e.value).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FakeRuntime;
    use fvm_shared::error::ExitCode;

    #[test]
    fn builds_typed_indexed_entries() {
        let e =
            EventBuilder::new("mint").field_indexed("to", &7u64).field("n", &3u64).build().unwrap();
        assert_eq!(e.entries[0].flags, Flags::FLAG_INDEXED_ALL);
        assert_eq!(e.entries[0].value, fvm_ipld_encoding::to_vec("mint").unwrap());
        assert_eq!(e.entries[1].flags, Flags::FLAG_INDEXED_ALL);
        assert_eq!(e.entries[2].flags, Flags::FLAG_INDEXED_KEY);
        assert_eq!(e.entries[2].codec, IPLD_CBOR);
        assert_eq!(event_type(&e).as_deref(), Some("mint"));
        assert_eq!(event_field::<u64>(&e, "to"), Some(7));
        assert_eq!(event_field::<u64>(&e, "missing"), None);
    }

    #[test]
    fn rejects_what_the_fvm_would_reject() {
        let long = "k".repeat(MAX_KEY_LEN + 1);
        assert!(EventBuilder::new("x").field(&long, &1u8).build().is_err());
        let big = vec![0u8; MAX_VALUES_LEN];
        let e = EventBuilder::new("x").field("b", &serde_bytes_like(&big)).build().unwrap_err();
        assert_eq!(e.code(), ExitCode::USR_ASSERTION_FAILED);
    }

    fn serde_bytes_like(b: &[u8]) -> fvm_ipld_encoding::RawBytes {
        fvm_ipld_encoding::RawBytes::new(b.to_vec())
    }

    #[test]
    fn emits_through_the_runtime_and_respects_read_only() {
        let rt = FakeRuntime::new(1000);
        EventBuilder::new("a").emit(&rt).unwrap();
        assert_eq!(rt.events().len(), 1);
        rt.set_read_only(true);
        let e = EventBuilder::new("b").emit(&rt).unwrap_err();
        assert_eq!(e.code(), ExitCode::USR_READ_ONLY);
        assert_eq!(rt.events().len(), 1);
    }
}
