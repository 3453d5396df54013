//! Gas, side by side: actorlib's NFT and a reference actor built on `frc53_nft`, deployed in the
//! same sandbox, doing the same operations with 10, 1,000, 10,000 and 100,000 tokens in circulation.
//!
//! `cargo bench -p actorlib_nft --bench gas` (set `ACTORLIB_BENCH_TOKENS=10,1000` to choose the
//! collection sizes, `ACTORLIB_BENCH_TRACE=owner` to see where the gas of the calls named like
//! that goes; add `ACTORLIB_BENCH_TIMELINE=1` for every charge in order). Gas is deterministic,
//! so one run of each operation is exact.
//!
//! Tokens are seeded natively, through each actor's own state code, into the sandbox's blockstore
//! (ten per seeded owner, owners with no actor behind them); then every measured operation is a
//! real message executing the actors' Wasm. Queries are sent as messages (not through the
//! read-only relay), so both columns carry the same message overhead.
use actorlib_nft::state::NftState;
use actorlib_nft::{
    ApproveParams, BatchMintParams, ConstructorParams, ListOwnedTokensParams, ListTokensParams,
    Method, MintParams, MintReturn, TokenID, TransferFromParams, TransferParams,
};
use actorlib_reference_frc53 as reference;
use actorlib_sandbox::{Account, Receipt, Sandbox};
use fvm_ipld_encoding::RawBytes;
use fvm_shared::address::Address;
use fvm_shared::econ::TokenAmount;
use fvm_shared::ActorID;

/// IDs given to seeded owners (no actors behind them: only their records matter).
const SEED_ID_BASE: ActorID = 1_000_000;
/// Tokens per seeded owner.
const SEED_PER_OWNER: u64 = 10;
/// Tokens alice holds before the measured operations (so her owned listing has full pages).
const ALICE_TOKENS: usize = 200;

struct Pair {
    sb: Sandbox,
    admin: Account,
    alice: Account,
    bob: Account,
    carol: Account,
    ours: Address,
    theirs: Address,
    ours_deploy_gas: u64,
    theirs_deploy_gas: u64,
}

fn ok(r: Receipt, what: &str) -> Receipt {
    assert!(r.is_ok(), "{what} failed: exit {} {:?}", r.exit_code, r.failure_info);
    r
}

fn setup() -> Pair {
    let mut sb = Sandbox::new().expect("sandbox");
    sb.trace_gas(std::env::var("ACTORLIB_BENCH_TRACE").is_ok()).unwrap();
    let whole = TokenAmount::from_whole(1_000);
    let admin = sb.create_account(whole.clone()).unwrap();
    let alice = sb.create_account(whole.clone()).unwrap();
    let bob = sb.create_account(whole.clone()).unwrap();
    let carol = sb.create_account(whole).unwrap();
    let ours_code = sb.install_actor(actorlib_bundle::wasm("nft").unwrap()).unwrap();
    let theirs_code = sb.install_actor(actorlib_bundle::wasm("reference-frc53").unwrap()).unwrap();
    let params = ConstructorParams {
        name: "Bench".into(),
        symbol: "BNC".into(),
        max_supply: None,
        admins: vec![admin.address],
        minters: vec![admin.address],
        royalty: None,
    };
    let r = ok(
        sb.deploy_receipt(&admin, ours_code, &params, TokenAmount::default()).unwrap(),
        "deploy ours",
    );
    let ours_deploy_gas = r.gas_used;
    let ours = r.ret::<actorlib_sandbox::ExecReturn>().unwrap().id_address;
    let params = reference::ConstructorParams { name: "Bench".into(), symbol: "BNC".into() };
    let r = ok(
        sb.deploy_receipt(&admin, theirs_code, &params, TokenAmount::default()).unwrap(),
        "deploy reference",
    );
    let theirs_deploy_gas = r.gas_used;
    let theirs = r.ret::<actorlib_sandbox::ExecReturn>().unwrap().id_address;
    Pair { sb, admin, alice, bob, carol, ours, theirs, ours_deploy_gas, theirs_deploy_gas }
}

fn seed_uris(first: u64, n: u64) -> Vec<String> {
    (first..first + n).map(|i| format!("ipfs://bench/{i}")).collect()
}

/// Puts `n` tokens in circulation in both collections, natively: ten per seeded owner.
fn seed(p: &mut Pair, n: u64) {
    let store = p.sb.base_store();
    p.sb.state_root().unwrap(); // every block of both actors' state is now in the base store

    let id = p.ours.id().unwrap();
    let mut st: NftState = p.sb.state(id).unwrap();
    let mut minted = 0;
    while minted < n {
        let k = SEED_PER_OWNER.min(n - minted);
        st.mint(&store, SEED_ID_BASE + minted / SEED_PER_OWNER, seed_uris(minted, k)).unwrap();
        minted += k;
    }
    let root = actorlib_kit::state::put(&store, &st).unwrap();
    p.sb.set_state_root(id, root).unwrap();

    let id = p.theirs.id().unwrap();
    let mut st: reference::State = p.sb.state(id).unwrap();
    let mut minted = 0;
    while minted < n {
        let k = SEED_PER_OWNER.min(n - minted);
        let owner = SEED_ID_BASE + minted / SEED_PER_OWNER;
        st.nft.mint_tokens(&store, owner, seed_uris(minted, k)).unwrap();
        minted += k;
    }
    let root = actorlib_kit::state::put(&store, &st).unwrap();
    p.sb.set_state_root(id, root).unwrap();
}

fn send<P: serde::Serialize>(
    sb: &mut Sandbox,
    from: &Account,
    to: Address,
    method: u64,
    params: &P,
    what: &str,
) -> Receipt {
    ok(sb.send(from, to, method, params, TokenAmount::default()).unwrap(), what)
}

/// The same call to both; returns (ours, reference) receipts. The method numbers are the same.
fn both<P: serde::Serialize>(
    p: &mut Pair,
    from: &Account,
    m: Method,
    params: &P,
    what: &str,
) -> (Receipt, Receipt) {
    let (ours, theirs) = (p.ours, p.theirs);
    let a = send(&mut p.sb, from, ours, m as u64, params, what);
    let b = send(&mut p.sb, from, theirs, m as u64, params, what);
    if std::env::var("ACTORLIB_BENCH_TRACE").is_ok_and(|t| what.contains(&t)) {
        println!("{what}: ours {} / reference {}", a.gas_used, b.gas_used);
        print!("{}", a.gas_charges.side_by_side(&b.gas_charges));
        if std::env::var("ACTORLIB_BENCH_TIMELINE").is_ok() {
            print!("  ours, in order:\n{}", a.gas_charges.timeline());
            print!("  reference, in order:\n{}", b.gas_charges.timeline());
        }
    }
    (a, b)
}

fn gas(r: (Receipt, Receipt)) -> (u64, u64) {
    (r.0.gas_used, r.1.gas_used)
}

fn mint_params(to: Address) -> MintParams {
    MintParams { to, metadata: "ipfs://bench/new".into(), operator_data: RawBytes::default() }
}

fn batch_params(to: Address, n: usize) -> BatchMintParams {
    BatchMintParams {
        to,
        metadata: (0..n).map(|i| format!("ipfs://bench/batch/{i}")).collect(),
        operator_data: RawBytes::default(),
    }
}

/// Mints `n` tokens to `to` in both (one batch each); returns each side's token IDs.
fn batch_mint(p: &mut Pair, to: Address, n: usize) -> (Vec<TokenID>, Vec<TokenID>, u64, u64) {
    let admin = p.admin.clone();
    let (a, b) = both(p, &admin, Method::BatchMint, &batch_params(to, n), "batch mint");
    let ours: MintReturn = a.ret().unwrap();
    let theirs: frc53_nft::types::MintReturn = b.ret().unwrap();
    (ours.token_ids, theirs.token_ids, a.gas_used, b.gas_used)
}

type Row = (String, u64, u64);

/// Every operation once, at the current collection size.
fn measure(p: &mut Pair, scaling: &mut Vec<(&'static str, u64, u64, u64)>, n: u64) -> Vec<Row> {
    let mut rows: Vec<Row> = Vec::new();
    let (admin, alice, bob, carol) =
        (p.admin.clone(), p.alice.clone(), p.bob.clone(), p.carol.clone());
    let mut row = |name: &str, (a, b): (u64, u64)| rows.push((name.to_string(), a, b));

    // Mints: to a holder never seen, then to alice (who holds from here on).
    let fresh = p.sb.create_account(TokenAmount::from_whole(1)).unwrap();
    row(
        "mint to new holder",
        gas(both(p, &admin, Method::Mint, &mint_params(fresh.address), "mint")),
    );
    let (alice_ours, alice_theirs, _, _) = batch_mint(p, alice.address, ALICE_TOKENS);
    row("mint (single)", gas(both(p, &admin, Method::Mint, &mint_params(alice.address), "mint")));

    // Batch mint of 100 vs 100 single mints, per token.
    let (_, _, a, b) = batch_mint(p, bob.address, 100);
    row("batch mint 100, per token", (a / 100, b / 100));
    let (mut sa, mut sb) = (0, 0);
    for _ in 0..100 {
        let (a, b) = gas(both(p, &admin, Method::Mint, &mint_params(bob.address), "mint"));
        sa += a;
        sb += b;
    }
    row("100 single mints, per token", (sa / 100, sb / 100));

    // The IDs both sides gave alice are the same (both count from the same seed).
    assert_eq!(alice_ours, alice_theirs);
    let t = |i: usize| alice_ours[i];

    let to_bob = TransferParams {
        to: bob.address,
        token_ids: vec![t(0)],
        operator_data: RawBytes::default(),
    };
    let g = gas(both(p, &alice, Method::Transfer, &to_bob, "transfer"));
    row("transfer", g);
    scaling.push(("transfer", n, g.0, g.1));

    let approve = ApproveParams { operator: carol.address, token_ids: vec![t(0)] };
    row("approve", gas(both(p, &bob, Method::Approve, &approve, "approve")));

    let pull = TransferFromParams {
        from: bob.address,
        to: alice.address,
        token_ids: vec![t(0)],
        operator_data: RawBytes::default(),
    };
    row("transfer_from", gas(both(p, &carol, Method::TransferFrom, &pull, "transfer_from")));

    let g = gas(both(p, &carol, Method::OwnerOf, &t(1), "owner"));
    row("owner query", g);
    scaling.push(("owner query", n, g.0, g.1));
    row("balance query", gas(both(p, &carol, Method::BalanceOf, &alice.address, "balance")));
    row("total supply query", gas(both(p, &carol, Method::TotalSupply, &(), "total supply")));

    row("burn", gas(both(p, &alice, Method::Burn, &vec![t(2)], "burn")));

    // Listings: a page of the collection, a page of alice's tokens.
    for limit in [10u64, 100] {
        let first = ListTokensParams { cursor: RawBytes::default(), limit };
        let g = gas(both(p, &carol, Method::ListTokens, &first, "list tokens"));
        row(&format!("list tokens, page of {limit}"), g);
        scaling.push((if limit == 10 { "list tokens 10" } else { "list tokens 100" }, n, g.0, g.1));
        let owned =
            ListOwnedTokensParams { owner: alice.address, cursor: RawBytes::default(), limit };
        let g = gas(both(p, &carol, Method::ListOwnedTokens, &owned, "list owned tokens"));
        row(&format!("list owned tokens, page of {limit}"), g);
        scaling.push((if limit == 10 { "list owned 10" } else { "list owned 100" }, n, g.0, g.1));
    }
    rows
}

fn main() {
    let counts: Vec<u64> = std::env::var("ACTORLIB_BENCH_TOKENS")
        .unwrap_or_else(|_| "10,1000,10000,100000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    println!("gas per operation: actorlib NFT vs frc53_nft reference actor (same sandbox, same plumbing)");
    println!(
        "(seeded tokens: ten per owner; alice holds {ALICE_TOKENS} more; reference listings of an"
    );
    println!(
        " owner's tokens scan the whole collection, so its page may hold none of alice's tokens)"
    );
    println!(
        "{:<32} {:>9} {:>12} {:>12} {:>8}",
        "operation", "tokens", "actorlib", "reference", "ratio"
    );
    let mut scaling = Vec::new();
    for &n in &counts {
        let mut p = setup();
        seed(&mut p, n);
        let mut rows = vec![("constructor".to_string(), p.ours_deploy_gas, p.theirs_deploy_gas)];
        rows.extend(measure(&mut p, &mut scaling, n));
        for (op, a, b) in rows {
            println!("{:<32} {:>9} {:>12} {:>12} {:>8.3}", op, n, a, b, a as f64 / b as f64);
        }
    }
    println!();
    println!("scaling with the collection size (actorlib, reference):");
    for op in [
        "transfer",
        "owner query",
        "list tokens 10",
        "list tokens 100",
        "list owned 10",
        "list owned 100",
    ] {
        let line: Vec<String> = scaling
            .iter()
            .filter(|s| s.0 == op)
            .map(|(_, n, a, b)| format!("{n}: {a} / {b}"))
            .collect();
        println!("{:<18} {}", op, line.join("   "));
    }
}
