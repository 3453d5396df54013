//! Sandbox stand-in for the placeholder actor: it holds funds for an f410 address that has no code yet.
//!
//! Real interface (builtin-actors `actors/placeholder`): every call succeeds with no return value and
//! no state change. The FVM creates placeholders itself when value is sent to an unknown f410 address.
//! It has no method dispatch, so no legacy-number restriction (FIP-0050's `restrict_internal_api`)
//! applies to it.

/// Accepts every call.
#[cfg(feature = "fil-actor")]
#[no_mangle]
pub extern "C" fn invoke(_params: u32) -> u32 {
    fvm_sdk::NO_DATA_BLOCK_ID
}

/// The placeholder's behaviour as a plain function, for documentation and host tests: no return.
pub fn handle(_method: fvm_shared::MethodNum) -> Option<()> {
    None
}
