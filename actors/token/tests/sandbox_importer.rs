//! An actor that imports this crate: `crates/sandbox/examples/token-vault` (`example-token-vault`
//! in the bundle) depends on `actorlib_token` without its `fil-actor` feature and calls the token
//! through `TokenClient`, decoding the hook payload with the crate's own types. These tests run
//! its Wasm against the token's in the sandbox.
mod common;

use actorlib_example_token_vault::{
    ConstructorParams as VaultParams, Method as VaultMethod, PayParams, State as VaultState,
};
use actorlib_sandbox::Account;
use actorlib_token::*;
use common::*;
use fvm_ipld_encoding::RawBytes;
use fvm_shared::address::Address;
use fvm_shared::econ::TokenAmount;
use fvm_shared::error::ExitCode;

/// Deploys a vault owned by `owner` for the env's token; returns its ID address.
fn vault(e: &mut Env, owner: &Account) -> Address {
    let wasm = actorlib_bundle::wasm("example-token-vault").expect("vault in the bundle");
    // The importer's module exports one entry point: the token's `invoke` is not linked into it.
    assert_eq!(count(wasm, b"invoke"), 1, "one export named invoke");
    let code = e.sb.install_actor(wasm).unwrap();
    let p = VaultParams { owner: owner.address, token: e.token };
    e.sb.deploy(owner, code, &p, TokenAmount::default()).unwrap().id_address
}

/// How often `needle` occurs in `haystack` (export names are stored once each).
fn count(haystack: &[u8], needle: &[u8]) -> usize {
    haystack.windows(needle.len()).filter(|w| *w == needle).count()
}

fn vault_state(e: &Env, v: Address) -> VaultState {
    e.sb.state(v.id().unwrap()).unwrap()
}

fn call<P: serde::Serialize>(
    e: &mut Env,
    from: &Account,
    v: Address,
    m: VaultMethod,
    p: &P,
) -> actorlib_sandbox::Receipt {
    e.sb.send(from, v, m as u64, p, TokenAmount::default()).unwrap()
}

#[test]
fn an_importing_actor_receives_and_pays_through_the_client() {
    let mut e = Env::new();
    let (alice, bob) = (e.alice.clone(), e.bob.clone());
    let v = vault(&mut e, &alice);
    // Credits reach the vault's hook, which decodes them with the token crate's payload type.
    assert_eq!(e.transfer(&alice, v, whole(30)).exit_code, ExitCode::OK);
    let admin = e.admin.clone();
    let mint = MintParams { to: v, amount: whole(5), operator_data: RawBytes::default() };
    let _: MintReturn = e.ok(&admin, Method::Mint, &mint);
    let st = vault_state(&e, v);
    assert_eq!((st.deposits, st.deposited.clone()), (2, whole(35)));
    // The vault asks the token for its balance, read-only, through the client.
    let r = call(&mut e, &bob, v, VaultMethod::Holdings, &());
    assert_eq!(r.exit_code, ExitCode::OK, "{:?}", r.failure_info);
    assert_eq!(r.ret::<TokenAmount>().unwrap(), whole(35));
    // The owner pays out through the client; the token's answer comes back typed.
    let r = call(
        &mut e,
        &alice,
        v,
        VaultMethod::Pay,
        &PayParams { to: bob.address, amount: whole(12) },
    );
    assert_eq!(r.exit_code, ExitCode::OK, "{:?}", r.failure_info);
    let paid: TransferReturn = r.ret().unwrap();
    assert_eq!((paid.from_balance, paid.to_balance), (whole(23), whole(12)));
    assert_eq!(e.balance(bob.address), whole(12));
    assert_eq!(e.balance(v), whole(23));
    e.check();
}

#[test]
fn the_importer_refuses_what_it_should() {
    let mut e = Env::new();
    let (alice, bob) = (e.alice.clone(), e.bob.clone());
    let v = vault(&mut e, &alice);
    assert_eq!(e.transfer(&alice, v, whole(10)).exit_code, ExitCode::OK);
    // Only the owner pays.
    let before = e.state_cid();
    let pay = PayParams { to: bob.address, amount: whole(1) };
    assert_eq!(call(&mut e, &bob, v, VaultMethod::Pay, &pay).exit_code, ExitCode::USR_FORBIDDEN);
    // More than it holds: the token's refusal comes back as the vault's exit code.
    let pay = PayParams { to: bob.address, amount: whole(11) };
    let r = call(&mut e, &alice, v, VaultMethod::Pay, &pay);
    assert_eq!(r.exit_code, ExitCode::USR_INSUFFICIENT_FUNDS, "{:?}", r.failure_info);
    assert_eq!(e.state_cid(), before, "nothing moved");
    // Only its token may call the hook.
    let hook = UniversalReceiverParams { type_: FRC46_TOKEN_TYPE, payload: RawBytes::default() };
    let r = e
        .sb
        .send(&bob, v, actorlib_kit::receiver::RECEIVER_HOOK_METHOD, &hook, TokenAmount::default())
        .unwrap();
    assert_eq!(r.exit_code, ExitCode::USR_FORBIDDEN);
    assert_eq!(vault_state(&e, v).deposits, 1);
}
