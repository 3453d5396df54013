//! The market's FIP-0049 events, as the real market emits them: `$type` then `id` (deal ID),
//! `client` and `provider` (actor IDs), every entry indexed by key and value (flags 0x03), values CBOR.
use actorlib_kit::events::EventBuilder;
use actorlib_kit::{Result, Runtime};
use fvm_shared::ActorID;

use crate::types::DealID;

/// `$type` of the event emitted for each published deal.
pub const DEAL_PUBLISHED: &str = "deal-published";
/// `$type` of the event emitted for each activated deal.
pub const DEAL_ACTIVATED: &str = "deal-activated";
/// `$type` of the event emitted for each terminated deal.
pub const DEAL_TERMINATED: &str = "deal-terminated";
/// `$type` of the event emitted for each completed deal.
pub const DEAL_COMPLETED: &str = "deal-completed";

/// Emits a deal event of type `typ`.
pub fn emit_deal_event(
    rt: &impl Runtime,
    typ: &str,
    id: DealID,
    client: ActorID,
    provider: ActorID,
) -> Result<()> {
    EventBuilder::new(typ)
        .field_indexed("id", &id)
        .field_indexed("client", &client)
        .field_indexed("provider", &provider)
        .emit(rt)
}

#[cfg(test)]
mod tests {
    use super::*;
    use actorlib_kit::events::{event_field, event_type};
    use actorlib_kit::FakeRuntime;
    use fvm_shared::event::Flags;

    #[test]
    fn deal_events_have_three_indexed_fields() {
        let rt = FakeRuntime::new(5);
        emit_deal_event(&rt, DEAL_PUBLISHED, 3, 100, 200).unwrap();
        let e = &rt.events()[0];
        assert_eq!(event_type(e).as_deref(), Some("deal-published"));
        let keys: Vec<_> = e.entries.iter().map(|x| x.key.as_str()).collect();
        assert_eq!(keys, ["$type", "id", "client", "provider"]);
        assert!(e.entries.iter().all(|x| x.flags == Flags::FLAG_INDEXED_ALL && x.codec == 0x51));
        assert_eq!(event_field::<u64>(e, "id"), Some(3));
        assert_eq!(event_field::<u64>(e, "client"), Some(100));
        assert_eq!(event_field::<u64>(e, "provider"), Some(200));
    }
}
