//! Host tests of the method handlers with the kit's `FakeRuntime`: the receiver hook (as an
//! expected send, with the spec's payload), events, caller checks and error codes. Calls go through
//! `invoke`, as the Wasm entry point does.
use actorlib_kit::builtin::INIT_ACTOR_ID;
use actorlib_kit::events::{event_field, event_type};
use actorlib_kit::runtime::fake::ExpectedSend;
use actorlib_kit::runtime::SendResponse;
use actorlib_kit::{params, state, FakeRuntime, Runtime};
use actorlib_nft::testing::assert_invariants;
use actorlib_nft::*;
use fvm_ipld_encoding::ipld_block::IpldBlock;
use fvm_ipld_encoding::RawBytes;
use fvm_shared::address::Address;
use fvm_shared::econ::TokenAmount;
use fvm_shared::error::ExitCode;
use fvm_shared::ActorID;
use serde::de::DeserializeOwned;
use serde::Serialize;

const NFT: ActorID = 1000;
const ADMIN: ActorID = 100;
const ALICE: ActorID = 101;
const BOB: ActorID = 102;
const CAROL: ActorID = 103;

fn id(n: ActorID) -> Address {
    Address::new_id(n)
}

fn deploy() -> FakeRuntime {
    let rt = FakeRuntime::new(NFT);
    for a in [ADMIN, ALICE, BOB, CAROL] {
        rt.register(id(a), a);
    }
    let p = ConstructorParams {
        name: "C".into(),
        symbol: "C".into(),
        max_supply: None,
        admins: vec![id(ADMIN)],
        minters: vec![id(ADMIN)],
        royalty: None,
    };
    call::<_, ()>(&rt, INIT_ACTOR_ID, Method::Constructor, &p).unwrap();
    assert_eq!(rt.events().len(), 2, "two role grants");
    rt.clear_events();
    rt
}

fn call<P: Serialize, R: DeserializeOwned>(
    rt: &FakeRuntime,
    caller: ActorID,
    method: Method,
    p: &P,
) -> actorlib_kit::Result<R> {
    rt.set_caller(caller);
    rt.set_method(method as u64);
    let ret = invoke(rt, method as u64, params::params(p).unwrap())?;
    Ok(params::decode(ret).unwrap())
}

fn err<P: Serialize>(rt: &FakeRuntime, caller: ActorID, method: Method, p: &P) -> ExitCode {
    rt.set_caller(caller);
    invoke(rt, method as u64, params::params(p).unwrap()).expect_err("expected an error").code()
}

fn expect_hook(
    rt: &FakeRuntime,
    from: ActorID,
    to: ActorID,
    operator: ActorID,
    token_ids: Vec<TokenID>,
    exit_code: ExitCode,
) {
    let payload = FRC53TokensReceived {
        from,
        to,
        operator,
        token_ids,
        operator_data: RawBytes::default(),
        token_data: RawBytes::default(),
    };
    let hook = UniversalReceiverParams {
        type_: FRC53_TOKEN_TYPE,
        payload: RawBytes::serialize(&payload).unwrap(),
    };
    rt.expect_send(ExpectedSend {
        to: id(to),
        method: RECEIVER_HOOK_METHOD,
        params: params::params(&hook).unwrap(),
        value: TokenAmount::default(),
        response: Ok(SendResponse { exit_code, return_data: None }),
    });
}

fn check(rt: &FakeRuntime) {
    assert!(rt.all_sends_made(), "an expected send was not made");
    let st: NftState = state::load(rt).unwrap();
    assert_invariants(&st, rt.store());
}

fn mint(rt: &FakeRuntime, to: ActorID, n: usize) -> Vec<TokenID> {
    let next: NftState = state::load(rt).unwrap();
    let ids: Vec<u64> = (next.next_id..next.next_id + n as u64).collect();
    expect_hook(rt, NFT, to, ADMIN, ids.clone(), ExitCode::OK);
    let p = BatchMintParams {
        to: id(to),
        metadata: (0..n).map(|i| format!("m{i}")).collect(),
        operator_data: RawBytes::default(),
    };
    let r: MintReturn = call(rt, ADMIN, Method::BatchMint, &p).unwrap();
    assert_eq!(r.token_ids, ids);
    rt.clear_events();
    ids
}

#[test]
fn mint_calls_the_hook_from_the_collection_and_emits() {
    let rt = deploy();
    expect_hook(&rt, NFT, ALICE, ADMIN, vec![0], ExitCode::OK);
    let p = MintParams {
        to: id(ALICE),
        metadata: "ipfs://x".into(),
        operator_data: RawBytes::default(),
    };
    let r: MintReturn = call(&rt, ADMIN, Method::Mint, &p).unwrap();
    assert_eq!(r, MintReturn { balance: 1, supply: 1, token_ids: vec![0] });
    let ev = rt.events();
    assert_eq!(event_type(&ev[0]).as_deref(), Some("mint"));
    assert_eq!(event_field::<ActorID>(&ev[0], "to"), Some(ALICE));
    assert_eq!(event_field::<u64>(&ev[0], "supply"), Some(1));
    check(&rt);
}

#[test]
fn a_refusing_hook_fails_the_mint() {
    let rt = deploy();
    expect_hook(&rt, NFT, ALICE, ADMIN, vec![0], ExitCode::USR_ILLEGAL_ARGUMENT);
    let p = MintParams { to: id(ALICE), metadata: "x".into(), operator_data: RawBytes::default() };
    assert_eq!(err(&rt, ADMIN, Method::Mint, &p), ExitCode::USR_FORBIDDEN);
}

#[test]
fn transfer_from_names_the_caller_as_operator() {
    let rt = deploy();
    let t = mint(&rt, ALICE, 2);
    call::<_, ()>(&rt, ALICE, Method::ApproveForAll, &ApproveForAllParams { operator: id(BOB) })
        .unwrap();
    expect_hook(&rt, ALICE, CAROL, BOB, vec![t[1]], ExitCode::OK);
    let p = TransferFromParams {
        from: id(ALICE),
        to: id(CAROL),
        token_ids: vec![t[1]],
        operator_data: RawBytes::default(),
    };
    let r: TransferReturn = call(&rt, BOB, Method::TransferFrom, &p).unwrap();
    assert_eq!((r.from_balance, r.to_balance), (1, 1));
    let ev = rt.events();
    let tr = ev.iter().find(|e| event_type(e).as_deref() == Some("transfer")).unwrap();
    assert_eq!(event_field::<ActorID>(tr, "operator"), Some(BOB));
    assert_eq!(event_field::<ActorID>(tr, "from"), Some(ALICE));
    check(&rt);
}

#[test]
fn error_codes() {
    let rt = deploy();
    let t = mint(&rt, ALICE, 1);
    // Not the owner, unknown token, duplicate.
    let tp = |ids: Vec<u64>| TransferParams {
        to: id(BOB),
        token_ids: ids,
        operator_data: RawBytes::default(),
    };
    assert_eq!(err(&rt, BOB, Method::Transfer, &tp(t.clone())), ExitCode::USR_FORBIDDEN);
    assert_eq!(err(&rt, ALICE, Method::Transfer, &tp(vec![5])), ExitCode::USR_NOT_FOUND);
    assert_eq!(err(&rt, ALICE, Method::Transfer, &tp(vec![0, 0])), ExitCode::USR_ILLEGAL_ARGUMENT);
    // Not a minter.
    let p = MintParams { to: id(ALICE), metadata: "x".into(), operator_data: RawBytes::default() };
    assert_eq!(err(&rt, BOB, Method::Mint, &p), ExitCode::USR_FORBIDDEN);
    // Bad params, unknown method, value sent, constructor again.
    rt.set_caller(ALICE);
    let bad = Some(IpldBlock { codec: fvm_ipld_encoding::DAG_CBOR, data: vec![0x01] });
    assert_eq!(
        invoke(&rt, Method::Transfer as u64, bad).unwrap_err().code(),
        ExitCode::USR_SERIALIZATION
    );
    assert_eq!(invoke(&rt, 12345678, None).unwrap_err().code(), ExitCode::USR_UNHANDLED_MESSAGE);
    rt.set_value(TokenAmount::from_atto(1));
    assert_eq!(
        invoke(&rt, Method::Name as u64, None).unwrap_err().code(),
        ExitCode::USR_NOT_PAYABLE
    );
    rt.set_value(TokenAmount::default());
    // Read-only.
    rt.set_read_only(true);
    assert_eq!(err(&rt, ALICE, Method::Burn, &t), ExitCode::USR_READ_ONLY);
    rt.set_read_only(false);
    assert!(rt.events().is_empty());
    check(&rt);
}

#[test]
fn queries_for_addresses_without_actors() {
    let rt = deploy();
    let nobody = Address::new_secp256k1(&[9u8; 65]).unwrap();
    assert_eq!(call::<_, u64>(&rt, ALICE, Method::BalanceOf, &nobody).unwrap(), 0);
    let q = IsApprovedForAllParams { owner: nobody, operator: id(BOB) };
    assert!(!call::<_, bool>(&rt, ALICE, Method::IsApprovedForAll, &q).unwrap());
    let p = ListOwnedTokensParams { owner: nobody, cursor: RawBytes::default(), limit: 5 };
    let r: ListTokensReturn = call(&rt, ALICE, Method::ListOwnedTokens, &p).unwrap();
    assert_eq!(r.tokens.len(), 0);
    assert_eq!(err(&rt, ALICE, Method::OwnerOf, &0u64), ExitCode::USR_NOT_FOUND);
}
