//! A counter actor: the smallest complete actorlib actor.
//!
//! - `Constructor({owner, start})` — called by init when the actor is deployed.
//! - `Increment(by)` — anyone; adds `by` (overflow → `USR_ILLEGAL_ARGUMENT`), emits `incremented`.
//! - `Reset()` — the owner only (`USR_FORBIDDEN` otherwise), emits `reset`.
//! - `Get()` — returns the count; read-only safe.
//!
//! Methods use FRC-42 numbers so that any FVM tool can call them by name.
use actorlib_kit::builtin::INIT_ACTOR_ID;
use actorlib_kit::events::EventBuilder;
use actorlib_kit::{caller, dispatch, method_hash, state, ActorError, Result, Runtime};
use fvm_ipld_encoding::ipld_block::IpldBlock;
use fvm_ipld_encoding::tuple::*;
use fvm_shared::address::Address;
use fvm_shared::{ActorID, MethodNum};

/// Method numbers.
#[repr(u64)]
pub enum Method {
    /// Constructor.
    Constructor = 1,
    /// Adds to the count.
    Increment = method_hash!("Increment"),
    /// Sets the count to zero (owner only).
    Reset = method_hash!("Reset"),
    /// Returns the count.
    Get = method_hash!("Get"),
}

/// Constructor parameters.
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq)]
pub struct ConstructorParams {
    /// Who may reset the counter.
    pub owner: Address,
    /// The initial count.
    pub start: u64,
}

/// The counter's state.
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq)]
pub struct State {
    /// The owner's actor ID.
    pub owner: ActorID,
    /// The count.
    pub count: u64,
}

/// Constructor: only init may construct (the actor is deployed through `Exec`).
pub fn constructor(rt: &impl Runtime, params: ConstructorParams) -> Result<()> {
    caller::require_caller(rt, &[INIT_ACTOR_ID])?;
    let owner = caller::resolve_id(rt, &params.owner)?;
    state::save(rt, &State { owner, count: params.start })?;
    Ok(())
}

/// Adds `by` to the count and returns the new count.
pub fn increment(rt: &impl Runtime, by: u64) -> Result<u64> {
    caller::require_writable(rt)?;
    let mut st: State = state::load(rt)?;
    st.count = st.count.checked_add(by).ok_or_else(|| {
        ActorError::illegal_argument(format!("count {} + {by} overflows", st.count))
    })?;
    state::save(rt, &st)?;
    EventBuilder::new("incremented")
        .field_indexed("by_actor", &rt.caller())
        .field("by", &by)
        .field("count", &st.count)
        .emit(rt)?;
    Ok(st.count)
}

/// Sets the count to zero; owner only.
pub fn reset(rt: &impl Runtime, _: ()) -> Result<()> {
    let mut st: State = state::load(rt)?;
    caller::require_caller(rt, &[st.owner])?;
    st.count = 0;
    state::save(rt, &st)?;
    EventBuilder::new("reset").field_indexed("by_actor", &rt.caller()).emit(rt)?;
    Ok(())
}

/// Returns the count.
pub fn get(rt: &impl Runtime, _: ()) -> Result<u64> {
    Ok(state::load::<State>(rt)?.count)
}

/// Routes a call.
pub fn invoke(
    rt: &impl Runtime,
    method: MethodNum,
    params: Option<IpldBlock>,
) -> Result<Option<IpldBlock>> {
    dispatch!(rt, method, params;
        Method::Constructor => constructor,
        Method::Increment => increment,
        Method::Reset => reset,
        Method::Get => get,
    )
}

#[cfg(feature = "fil-actor")]
actorlib_kit::wasm_trampoline!(invoke);

#[cfg(test)]
mod tests {
    use super::*;
    use actorlib_kit::FakeRuntime;
    use fvm_shared::error::ExitCode;

    fn deployed() -> FakeRuntime {
        let rt = FakeRuntime::new(1000);
        rt.register(Address::new_id(100), 100);
        rt.set_caller(INIT_ACTOR_ID);
        constructor(&rt, ConstructorParams { owner: Address::new_id(100), start: 5 }).unwrap();
        rt
    }

    #[test]
    fn increments_and_emits() {
        let rt = deployed();
        rt.set_caller(200);
        assert_eq!(increment(&rt, 3).unwrap(), 8);
        assert_eq!(rt.events().len(), 1);
        assert_eq!(get(&rt, ()).unwrap(), 8);
        assert_eq!(increment(&rt, u64::MAX).unwrap_err().code(), ExitCode::USR_ILLEGAL_ARGUMENT);
        assert_eq!(get(&rt, ()).unwrap(), 8);
    }

    #[test]
    fn only_owner_resets_and_only_init_constructs() {
        let rt = deployed();
        rt.set_caller(200);
        assert_eq!(reset(&rt, ()).unwrap_err().code(), ExitCode::USR_FORBIDDEN);
        rt.set_caller(100);
        reset(&rt, ()).unwrap();
        assert_eq!(get(&rt, ()).unwrap(), 0);
        rt.set_caller(100);
        let p = ConstructorParams { owner: Address::new_id(100), start: 0 };
        assert_eq!(constructor(&rt, p).unwrap_err().code(), ExitCode::USR_FORBIDDEN);
    }
}
