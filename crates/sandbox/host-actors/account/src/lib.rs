//! Sandbox stand-in for the account actor (a key-controlled account, f1/f3).
//!
//! Real interface (builtin-actors `actors/account`):
//!
//! | # | method | caller | params | return |
//! |---|---|---|---|---|
//! | 1 | Constructor | f00 | `Address` (secp256k1 or BLS, else 16) | none |
//! | 2 | PubkeyAddress | builtin actors | none | `Address` |
//! | 2643134072 | AuthenticateMessage (FRC-44) | any | `{signature: bytes, message: bytes}` | `bool` (`true`; a bad signature fails with 16) |
//! | >= 2^24 | any other FRC-42 method (e.g. receiver hooks) | any | ignored | none |
//!
//! Like the real actor (`actor_dispatch!`, whose `_ => fallback` arm runs only after the check),
//! every method number below 2^24 — the constructor, `PubkeyAddress` and unknown small numbers —
//! fails with `USR_FORBIDDEN` for a caller that is not a builtin actor (or is an EVM contract),
//! before dispatch ([`actorlib_kit::dispatch::restrict_internal_api`]). For a builtin caller,
//! smaller unknown methods fail with `USR_UNHANDLED_MESSAGE`. (Method 0, a plain transfer, never
//! reaches the actor.)
use actorlib_kit::builtin::SYSTEM_ACTOR_ID;
use actorlib_kit::{caller, dispatch, method_hash, state, ActorError, Result, Runtime};
use fvm_ipld_encoding::ipld_block::IpldBlock;
use fvm_ipld_encoding::strict_bytes;
use fvm_ipld_encoding::tuple::*;
use fvm_shared::address::{Address, Protocol};
use fvm_shared::crypto::signature::{Signature, SignatureType};
use fvm_shared::MethodNum;

/// The first FRC-42 exported method number.
pub use actorlib_kit::dispatch::FIRST_EXPORTED_METHOD_NUMBER;

/// The account's state: its key address.
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq)]
pub struct State {
    /// The f1 or f3 address whose key controls the account.
    pub address: Address,
}

/// Method numbers.
#[repr(u64)]
pub enum Method {
    /// Constructor.
    Constructor = 1,
    /// Returns the key address.
    PubkeyAddress = 2,
    /// FRC-44 message authentication.
    AuthenticateMessage = method_hash!("AuthenticateMessage"),
}

/// FRC-44 `AuthenticateMessage` parameters.
#[derive(Serialize_tuple, Deserialize_tuple, Debug, Clone, PartialEq)]
pub struct AuthenticateMessageParams {
    /// The raw signature (without the type byte).
    #[serde(with = "strict_bytes")]
    pub signature: Vec<u8>,
    /// The signed bytes.
    #[serde(with = "strict_bytes")]
    pub message: Vec<u8>,
}

/// Constructor: caller f00 (the FVM runs it when it creates an account), key address required.
pub fn constructor(rt: &impl Runtime, address: Address) -> Result<()> {
    caller::require_caller(rt, &[SYSTEM_ACTOR_ID])?;
    match address.protocol() {
        Protocol::Secp256k1 | Protocol::BLS => {}
        p => {
            return Err(ActorError::illegal_argument(format!(
                "address must use BLS or SECP protocol, got {p}"
            )))
        }
    }
    state::save(rt, &State { address })?;
    Ok(())
}

/// Returns the account's key address.
pub fn pubkey_address(rt: &impl Runtime, _: ()) -> Result<Address> {
    Ok(state::load::<State>(rt)?.address)
}

/// Verifies `signature` over `message` with the account's key.
pub fn authenticate_message(rt: &impl Runtime, params: AuthenticateMessageParams) -> Result<bool> {
    let st: State = state::load(rt)?;
    let sig_type = match st.address.protocol() {
        Protocol::Secp256k1 => SignatureType::Secp256k1,
        Protocol::BLS => SignatureType::BLS,
        p => return Err(ActorError::illegal_state(format!("account address has protocol {p}"))),
    };
    let sig = Signature { sig_type, bytes: params.signature };
    if !rt.verify_signature(&sig, &st.address, &params.message) {
        return Err(ActorError::illegal_argument(
            "failed to authenticate message, signature invalid",
        ));
    }
    Ok(true)
}

/// Routes a call.
pub fn invoke(
    rt: &impl Runtime,
    method: MethodNum,
    params: Option<IpldBlock>,
) -> Result<Option<IpldBlock>> {
    actorlib_kit::dispatch::restrict_internal_api(rt, method)?;
    dispatch!(rt, method, params;
        Method::Constructor => constructor,
        Method::PubkeyAddress => pubkey_address,
        Method::AuthenticateMessage => authenticate_message,
        _ => actorlib_kit::dispatch::accept_exported,
    )
}

#[cfg(feature = "fil-actor")]
actorlib_kit::wasm_trampoline!(invoke);

#[cfg(test)]
mod tests {
    use super::*;
    use actorlib_kit::builtin::BuiltinType;
    use actorlib_kit::FakeRuntime;
    use fvm_shared::error::ExitCode;

    fn key() -> Address {
        Address::new_secp256k1(&[4u8; 65]).unwrap()
    }

    #[test]
    fn constructor_checks_caller_and_protocol() {
        let rt = FakeRuntime::new(100);
        rt.set_caller(5);
        assert_eq!(constructor(&rt, key()).unwrap_err().code(), ExitCode::USR_FORBIDDEN);
        rt.set_caller(SYSTEM_ACTOR_ID);
        assert_eq!(
            constructor(&rt, Address::new_id(3)).unwrap_err().code(),
            ExitCode::USR_ILLEGAL_ARGUMENT
        );
        constructor(&rt, key()).unwrap();
        assert_eq!(pubkey_address(&rt, ()).unwrap(), key());
    }

    #[test]
    fn authenticates_only_valid_signatures() {
        let rt = FakeRuntime::new(100);
        rt.set_caller(SYSTEM_ACTOR_ID);
        constructor(&rt, key()).unwrap();
        let sig = Signature { sig_type: SignatureType::Secp256k1, bytes: vec![1; 65] };
        rt.add_valid_signature(sig.clone(), key(), b"hi".to_vec());
        let ok = AuthenticateMessageParams { signature: vec![1; 65], message: b"hi".to_vec() };
        assert!(authenticate_message(&rt, ok).unwrap());
        let bad = AuthenticateMessageParams { signature: vec![2; 65], message: b"hi".to_vec() };
        assert_eq!(
            authenticate_message(&rt, bad).unwrap_err().code(),
            ExitCode::USR_ILLEGAL_ARGUMENT
        );
    }

    fn code(name: &str) -> cid::Cid {
        let mh = cid::multihash::Multihash::wrap(0, name.as_bytes()).unwrap();
        cid::Cid::new_v1(fvm_shared::IPLD_RAW, mh)
    }

    /// An account (ID 100) with a builtin caller (another account, 101) and a user actor (102).
    fn account_with_callers() -> FakeRuntime {
        let rt = FakeRuntime::new(100);
        rt.set_code(SYSTEM_ACTOR_ID, code("system"), Some(BuiltinType::System as i32));
        rt.set_code(101, code("account"), Some(BuiltinType::Account as i32));
        rt.set_code(102, code("user"), None);
        rt.set_caller(SYSTEM_ACTOR_ID);
        invoke(&rt, Method::Constructor as u64, IpldBlock::serialize_cbor(&key()).unwrap())
            .unwrap();
        rt
    }

    #[test]
    fn accepts_frc42_methods_only() {
        let rt = account_with_callers();
        for caller in [101, 102] {
            rt.set_caller(caller);
            assert_eq!(invoke(&rt, method_hash!("Receive"), None).unwrap(), None);
        }
        rt.set_caller(101);
        assert_eq!(invoke(&rt, 7, None).unwrap_err().code(), ExitCode::USR_UNHANDLED_MESSAGE);
        assert_eq!(Method::AuthenticateMessage as u64, 2643134072);
    }

    #[test]
    fn legacy_numbers_are_for_builtin_callers() {
        let rt = account_with_callers();
        // PubkeyAddress (2) has no exported number: a builtin caller only.
        rt.set_caller(101);
        let ret = invoke(&rt, Method::PubkeyAddress as u64, None).unwrap().unwrap();
        assert_eq!(ret.deserialize::<Address>().unwrap(), key());
        rt.set_caller(102);
        for m in [1, 2, 3, 7, FIRST_EXPORTED_METHOD_NUMBER - 1] {
            let e = invoke(&rt, m, None).unwrap_err();
            assert_eq!(e.code(), ExitCode::USR_FORBIDDEN, "method {m}");
        }
        // FRC-44 is exported: a user actor may ask.
        let p = AuthenticateMessageParams { signature: vec![2; 65], message: b"hi".to_vec() };
        let e =
            invoke(&rt, Method::AuthenticateMessage as u64, IpldBlock::serialize_cbor(&p).unwrap());
        assert_eq!(e.unwrap_err().code(), ExitCode::USR_ILLEGAL_ARGUMENT);
    }
}
