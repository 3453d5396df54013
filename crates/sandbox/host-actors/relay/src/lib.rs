//! Sandbox helper: forwards one call and reports what the callee did.
//!
//! Not a Filecoin actor. Top-level messages cannot be read-only, so the sandbox runs a read-only
//! query by asking this actor to make the call with the FVM's read-only flag: the callee then cannot
//! change state, emit events or send value, exactly as when another actor queries it read-only.
//! The callee's exit code and return are returned as data (the relay itself succeeds), so a test sees
//! the callee's own code.
//!
//! The relay is user code, not a builtin actor: the builtin stand-ins that restrict legacy method
//! numbers (below 2^24) to builtin callers, as the real ones do, refuse them to the relay with
//! `USR_FORBIDDEN` — exactly what any user actor would get on a real network.
use actorlib_kit::{dispatch, messaging, Result, Runtime};
use fvm_ipld_encoding::ipld_block::IpldBlock;
use fvm_ipld_encoding::tuple::*;
use fvm_ipld_encoding::RawBytes;
use fvm_shared::address::Address;
use fvm_shared::econ::TokenAmount;
use fvm_shared::MethodNum;

/// Method numbers.
#[repr(u64)]
pub enum Method {
    /// Constructor (no state).
    Constructor = 1,
    /// Forwards a call.
    Forward = 2,
}

/// `Forward` parameters.
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq)]
pub struct ForwardParams {
    /// The callee.
    pub to: Address,
    /// Its method.
    pub method: MethodNum,
    /// CBOR parameters (empty for none).
    pub params: RawBytes,
    /// Value to send (must be zero when read-only).
    pub value: TokenAmount,
    /// Whether the call is read-only.
    pub read_only: bool,
}

/// `Forward` return: the callee's exit code and return bytes.
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq)]
pub struct ForwardReturn {
    /// The callee's exit code.
    pub exit_code: u32,
    /// The callee's CBOR return (empty for none).
    pub return_data: RawBytes,
}

/// No state to set up.
pub fn constructor(_rt: &impl Runtime, _: ()) -> Result<()> {
    Ok(())
}

/// Makes the call; a syscall failure (no such actor, insufficient funds) is an error of the relay.
pub fn forward(rt: &impl Runtime, p: ForwardParams) -> Result<ForwardReturn> {
    let params = (!p.params.is_empty())
        .then(|| IpldBlock { codec: fvm_ipld_encoding::CBOR, data: p.params.to_vec() });
    let r = messaging::send_raw(rt, &p.to, p.method, params, p.value, p.read_only)?;
    Ok(ForwardReturn {
        exit_code: r.exit_code.value(),
        return_data: RawBytes::new(r.return_data.map(|b| b.data).unwrap_or_default()),
    })
}

/// Routes a call.
pub fn invoke(
    rt: &impl Runtime,
    method: MethodNum,
    params: Option<IpldBlock>,
) -> Result<Option<IpldBlock>> {
    dispatch!(rt, method, params; Method::Constructor => constructor, Method::Forward => forward)
}

#[cfg(feature = "fil-actor")]
actorlib_kit::wasm_trampoline!(invoke);
