//! Every method of the token, run as Wasm, given malformed variants of valid parameters
//! (`actorlib_sandbox::malformed`): each call ends with a user exit code, never a trap, a panic or
//! running out of gas; a failed call changes no state and emits nothing; after every success the
//! state's invariants hold. Variants that still decode reach the token's own checks (and some
//! succeed), so the test covers more than the decoder.
mod common;

use actorlib_sandbox::malformed::{is_clean_exit, Mutator};
use actorlib_token::*;
use common::*;
use fvm_ipld_encoding::{to_vec, RawBytes};
use fvm_shared::econ::TokenAmount;
use fvm_shared::error::ExitCode;
use serde::Serialize;

/// Variants per method: 36 methods × 120 ≈ 4,300 calls, a few seconds of Wasm.
const ROUNDS: usize = 120;

fn cbor<P: Serialize>(p: &P) -> Vec<u8> {
    to_vec(p).unwrap()
}

/// A valid encoding of each method's parameters, naming the test's accounts so that variants reach
/// real balances, allowances and roles.
fn valid_params(e: &Env) -> Vec<(Method, Vec<u8>)> {
    let (alice, bob, carol) = (e.alice.address, e.bob.address, e.carol.address);
    let data = RawBytes::new(vec![0xab]);
    let amount = atto(7);
    let allowance = GetAllowanceParams { owner: alice, operator: bob };
    let metadata = TokenMetadata {
        uri: "ipfs://metadata".into(),
        cid: Some(actorlib_sandbox::storage::piece_cid(b"metadata")),
    };
    let cases = vec![
        (Method::Constructor, cbor(&params(TokenMode::Standard))),
        (Method::Name, vec![]),
        (Method::Symbol, vec![]),
        (Method::Granularity, vec![]),
        (Method::TotalSupply, vec![]),
        (Method::Balance, cbor(&alice)),
        (Method::BalanceOf, cbor(&bob)),
        (Method::Allowance, cbor(&allowance)),
        (
            Method::Transfer,
            cbor(&TransferParams { to: bob, amount: amount.clone(), operator_data: data.clone() }),
        ),
        (
            Method::TransferFrom,
            cbor(&TransferFromParams {
                from: alice,
                to: carol,
                amount: amount.clone(),
                operator_data: data.clone(),
            }),
        ),
        (
            Method::IncreaseAllowance,
            cbor(&IncreaseAllowanceParams { operator: bob, increase: amount.clone() }),
        ),
        (
            Method::DecreaseAllowance,
            cbor(&DecreaseAllowanceParams { operator: bob, decrease: amount.clone() }),
        ),
        (Method::RevokeAllowance, cbor(&RevokeAllowanceParams { operator: carol })),
        (Method::Burn, cbor(&BurnParams { amount: amount.clone() })),
        (Method::BurnFrom, cbor(&BurnFromParams { owner: alice, amount: amount.clone() })),
        (
            Method::Mint,
            cbor(&MintParams { to: carol, amount: amount.clone(), operator_data: data.clone() }),
        ),
        (Method::GrantRole, cbor(&RoleParams { role: Role::Pauser, account: bob })),
        (Method::RevokeRole, cbor(&RoleParams { role: Role::Pauser, account: bob })),
        (Method::RenounceRole, cbor(&Role::Minter)),
        (Method::HasRole, cbor(&RoleParams { role: Role::Admin, account: alice })),
        (Method::Pause, vec![]),
        (Method::Unpause, vec![]),
        (Method::Paused, vec![]),
        (Method::Delegate, cbor(&DelegateParams { delegatee: Some(bob) })),
        (Method::Delegates, cbor(&alice)),
        (Method::GetVotes, cbor(&bob)),
        (Method::GetPastVotes, cbor(&GetPastVotesParams { account: bob, epoch: 0 })),
        (Method::GetPastTotalSupply, cbor(&0i64)),
        (Method::ListHolders, cbor(&ListHoldersParams { cursor: None, limit: 10 })),
        (Method::Cap, vec![]),
        (Method::Deposit, vec![]),
        (Method::Withdraw, cbor(&WithdrawParams { amount: amount.clone() })),
        (
            Method::IncreaseAllowanceUntil,
            cbor(&IncreaseAllowanceUntilParams {
                operator: carol,
                increase: amount,
                expires_at: Some(1000),
            }),
        ),
        (Method::AllowanceExpiry, cbor(&allowance)),
        (Method::Metadata, vec![]),
        (Method::SetMetadata, cbor(&SetMetadataParams { metadata: Some(metadata) })),
    ];
    assert_eq!(cases.len(), Method::ALL.len(), "a valid encoding for every method");
    cases
}

#[test]
fn malformed_params_are_refused_cleanly_and_change_nothing() {
    let mut e = Env::new();
    // State for the variants to reach: an allowance, a delegation, a second holder.
    let (admin, alice, bob) = (e.admin.clone(), e.alice.clone(), e.bob.clone());
    let inc = IncreaseAllowanceParams { operator: bob.address, increase: whole(10) };
    e.ok::<_, TokenAmount>(&alice, Method::IncreaseAllowance, &inc);
    e.ok::<_, ()>(&alice, Method::Delegate, &DelegateParams { delegatee: Some(bob.address) });
    assert!(e.transfer(&alice, bob.address, whole(5)).is_ok());

    let senders = [admin, alice, bob];
    let cases = valid_params(&e);
    let mut mutator = Mutator::new(0x7045);
    let (mut succeeded, mut past_decoding, mut calls) = (0, 0, 0);
    for round in 0..ROUNDS {
        for (i, (method, valid)) in cases.iter().enumerate() {
            let params = mutator.mutate(valid);
            let from = &senders[(round + i) % senders.len()];
            let before = e.state_cid();
            let r =
                e.sb.send_raw(
                    from.id,
                    e.token,
                    *method as u64,
                    RawBytes::new(params.clone()),
                    TokenAmount::default(),
                )
                .unwrap();
            calls += 1;
            let what = format!("{method:?} round {round} params {}", hex(&params));
            assert!(is_clean_exit(r.exit_code), "{what}: {} {:?}", r.exit_code, r.failure_info);
            if r.exit_code.is_success() {
                succeeded += 1;
                e.check();
            } else {
                assert!(r.events.is_empty(), "{what}: a failed call emitted events");
                assert_eq!(e.state_cid(), before, "{what}: a failed call changed the state");
            }
            if r.exit_code != ExitCode::USR_SERIALIZATION {
                past_decoding += 1;
            }
        }
    }
    // The variants must reach beyond the decoder for the test to mean anything.
    assert!(past_decoding * 10 > calls, "{past_decoding} of {calls} calls got past decoding");
    assert!(succeeded > 0, "no variant succeeded");
    // The token still answers, and its state is whole.
    let supply: TokenAmount = e.query(Method::TotalSupply, &());
    assert!(supply.is_positive());
    e.check();
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
