//! Gas, side by side: actorlib's token and a reference actor built on `frc46_token`, deployed in the
//! same sandbox, doing the same operations at 10, 1,000, 10,000 and 100,000 holders.
//!
//! `cargo bench -p actorlib_token --bench gas` (set `ACTORLIB_BENCH_HOLDERS=10,1000` to choose the
//! holder counts, `ACTORLIB_BENCH_TRACE=transfer` to see where the gas of the operations named
//! like that goes, and `ACTORLIB_BENCH_TIMELINE=1` with it for every charge in order). Gas is
//! deterministic, so one run of each operation is exact.
//!
//! Holders are seeded natively, through each token's own state code, into the sandbox's blockstore;
//! then every measured operation is a real message executing the actors' Wasm.
use actorlib_reference_frc46 as reference;
use actorlib_sandbox::{Account, Receipt, Sandbox};
use actorlib_token::state::TokenState;
use actorlib_token::{
    ConstructorParams, GetAllowanceParams, GetPastVotesParams, IncreaseAllowanceParams, Method,
    MintParams, TokenMode, TransferFromParams, TransferParams,
};
use fvm_ipld_encoding::RawBytes;
use fvm_shared::address::Address;
use fvm_shared::econ::TokenAmount;
use fvm_shared::ActorID;

/// IDs given to seeded holders (no actors behind them: only their balances matter).
const SEED_ID_BASE: ActorID = 1_000_000;

struct Pair {
    sb: Sandbox,
    admin: Account,
    alice: Account,
    bob: Account,
    carol: Account,
    ours: Address,
    theirs: Address,
    ours_deploy: Receipt,
    theirs_deploy: Receipt,
}

fn ok(r: Receipt, what: &str) -> Receipt {
    assert!(r.is_ok(), "{what} failed: exit {} {:?}", r.exit_code, r.failure_info);
    r
}

fn setup() -> Pair {
    let mut sb = Sandbox::new().expect("sandbox");
    sb.trace_gas(std::env::var("ACTORLIB_BENCH_TRACE").is_ok()).unwrap();
    let admin = sb.create_account(TokenAmount::from_whole(1_000)).unwrap();
    let alice = sb.create_account(TokenAmount::from_whole(1_000)).unwrap();
    let bob = sb.create_account(TokenAmount::from_whole(1_000)).unwrap();
    let carol = sb.create_account(TokenAmount::from_whole(1_000)).unwrap();
    let ours_code = sb.install_actor(actorlib_bundle::wasm("token").unwrap()).unwrap();
    let theirs_code = sb.install_actor(actorlib_bundle::wasm("reference-frc46").unwrap()).unwrap();
    let params = ConstructorParams {
        name: "Bench".into(),
        symbol: "BNC".into(),
        granularity: 1,
        initial_holders: vec![],
        cap: None,
        admins: vec![admin.address],
        minters: vec![admin.address],
        mode: TokenMode::Standard,
    };
    let r = ok(
        sb.deploy_receipt(&admin, ours_code, &params, TokenAmount::default()).unwrap(),
        "deploy ours",
    );
    let ours = r.ret::<actorlib_sandbox::ExecReturn>().unwrap().id_address;
    let ours_deploy = r;
    let params =
        reference::ConstructorParams { name: "Bench".into(), symbol: "BNC".into(), granularity: 1 };
    let r = ok(
        sb.deploy_receipt(&admin, theirs_code, &params, TokenAmount::default()).unwrap(),
        "deploy reference",
    );
    let theirs = r.ret::<actorlib_sandbox::ExecReturn>().unwrap().id_address;
    let theirs_deploy = r;
    Pair { sb, admin, alice, bob, carol, ours, theirs, ours_deploy, theirs_deploy }
}

/// Gives `n` holders a balance in both tokens, natively.
fn seed(p: &mut Pair, n: u64) {
    let store = p.sb.base_store();
    p.sb.state_root().unwrap(); // every block of both actors' state is now in the base store
    let amount = TokenAmount::from_atto(1_000);

    let id = p.ours.id().unwrap();
    let mut st: TokenState = p.sb.state(id).unwrap();
    let epoch = p.sb.epoch();
    for i in 0..n {
        st.mint(&store, SEED_ID_BASE + i, &amount, epoch).unwrap();
    }
    let root = actorlib_kit::state::put(&store, &st).unwrap();
    p.sb.set_state_root(id, root).unwrap();

    let id = p.theirs.id().unwrap();
    let mut st: reference::State = p.sb.state(id).unwrap();
    for i in 0..n {
        st.token.change_balance_by(&store, SEED_ID_BASE + i, &amount).unwrap();
        st.token.change_supply_by(&amount).unwrap();
    }
    st.token.save(&store).unwrap();
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

fn mint_ours(p: &mut Pair, to: Address, amount: TokenAmount) -> Receipt {
    let params = MintParams { to, amount, operator_data: RawBytes::default() };
    let (admin, ours) = (p.admin.clone(), p.ours);
    send(&mut p.sb, &admin, ours, Method::Mint as u64, &params, "mint ours")
}

fn mint_theirs(p: &mut Pair, to: Address, amount: TokenAmount) -> Receipt {
    let params = reference::MintParams { to, amount, operator_data: RawBytes::default() };
    let (admin, theirs) = (p.admin.clone(), p.theirs);
    send(&mut p.sb, &admin, theirs, reference::Method::Mint as u64, &params, "mint reference")
}

/// (operation, ours, reference)
fn measure(p: &mut Pair) -> Vec<(&'static str, Receipt, Receipt)> {
    let mut rows = Vec::new();
    let (alice, bob, carol) = (p.alice.clone(), p.bob.clone(), p.carol.clone());
    let (ours, theirs) = (p.ours, p.theirs);
    let big = TokenAmount::from_whole(1_000);

    // Mint to a holder never seen: a fresh account each.
    let fresh = p.sb.create_account(TokenAmount::from_whole(1)).unwrap();
    let a = mint_ours(p, fresh.address, big.clone());
    let fresh = p.sb.create_account(TokenAmount::from_whole(1)).unwrap();
    let b = mint_theirs(p, fresh.address, big.clone());
    rows.push(("mint to new holder", a, b));

    // Mint to an existing holder (alice, bob hold from here on).
    mint_ours(p, alice.address, big.clone());
    mint_theirs(p, alice.address, big.clone());
    let a = mint_ours(p, bob.address, big.clone());
    let b = mint_theirs(p, bob.address, big.clone());
    rows.push(("mint to existing holder", a, b));

    let to_bob = TransferParams {
        to: bob.address,
        amount: TokenAmount::from_whole(1),
        operator_data: RawBytes::default(),
    };
    let a = send(&mut p.sb, &alice, ours, Method::Transfer as u64, &to_bob, "transfer ours");
    let b = send(
        &mut p.sb,
        &alice,
        theirs,
        reference::Method::Transfer as u64,
        &to_bob,
        "transfer reference",
    );
    rows.push(("transfer to existing holder", a, b));

    let fresh = p.sb.create_account(TokenAmount::from_whole(1)).unwrap();
    let to_new = TransferParams {
        to: fresh.address,
        amount: TokenAmount::from_whole(1),
        operator_data: RawBytes::default(),
    };
    let a = send(&mut p.sb, &alice, ours, Method::Transfer as u64, &to_new, "transfer ours");
    let fresh = p.sb.create_account(TokenAmount::from_whole(1)).unwrap();
    let to_new = TransferParams {
        to: fresh.address,
        amount: TokenAmount::from_whole(1),
        operator_data: RawBytes::default(),
    };
    let b = send(
        &mut p.sb,
        &alice,
        theirs,
        reference::Method::Transfer as u64,
        &to_new,
        "transfer reference",
    );
    rows.push(("transfer to new holder", a, b));

    let approve =
        IncreaseAllowanceParams { operator: carol.address, increase: TokenAmount::from_whole(10) };
    let a = send(&mut p.sb, &bob, ours, Method::IncreaseAllowance as u64, &approve, "approve ours");
    let b = send(
        &mut p.sb,
        &bob,
        theirs,
        reference::Method::IncreaseAllowance as u64,
        &approve,
        "approve reference",
    );
    rows.push(("increase allowance", a, b));

    let pull = TransferFromParams {
        from: bob.address,
        to: alice.address,
        amount: TokenAmount::from_whole(1),
        operator_data: RawBytes::default(),
    };
    let a = send(&mut p.sb, &carol, ours, Method::TransferFrom as u64, &pull, "transfer_from ours");
    let b = send(
        &mut p.sb,
        &carol,
        theirs,
        reference::Method::TransferFrom as u64,
        &pull,
        "transfer_from reference",
    );
    rows.push(("transfer_from", a, b));

    let a = send(&mut p.sb, &carol, ours, Method::BalanceOf as u64, &bob.address, "balance ours");
    let b = send(
        &mut p.sb,
        &carol,
        theirs,
        reference::Method::BalanceOf as u64,
        &bob.address,
        "balance reference",
    );
    rows.push(("balance query", a, b));

    let q = GetAllowanceParams { owner: bob.address, operator: carol.address };
    let a = send(&mut p.sb, &carol, ours, Method::Allowance as u64, &q, "allowance ours");
    let b = send(
        &mut p.sb,
        &carol,
        theirs,
        reference::Method::Allowance as u64,
        &q,
        "allowance reference",
    );
    rows.push(("allowance query", a, b));

    let burn = TokenAmount::from_whole(1);
    let a = send(&mut p.sb, &alice, ours, Method::Burn as u64, &burn, "burn ours");
    let b =
        send(&mut p.sb, &alice, theirs, reference::Method::Burn as u64, &(burn,), "burn reference");
    rows.push(("burn", a, b));

    // The first supply change of an epoch also writes the supply history (one checkpoint per
    // epoch with changes): measured separately so the table does not hide it.
    p.sb.advance_epochs(1).unwrap();
    let a = mint_ours(p, alice.address, big.clone());
    let b = mint_theirs(p, alice.address, big.clone());
    rows.push(("mint, first in a new epoch", a, b));
    p.sb.advance_epochs(1).unwrap();
    let burn = TokenAmount::from_whole(1);
    let a = send(&mut p.sb, &alice, ours, Method::Burn as u64, &burn, "burn ours");
    let b =
        send(&mut p.sb, &alice, theirs, reference::Method::Burn as u64, &(burn,), "burn reference");
    rows.push(("burn, first in a new epoch", a, b));
    rows
}

/// `GetPastVotes` against the length of the account's vote history: one checkpoint per epoch for
/// `n` epochs (seeded natively: a self-delegation, then one mint per epoch), then queries for an
/// early, a middle and the latest past epoch.
fn past_votes(n: i64) -> Vec<(String, u64)> {
    let mut p = setup();
    let alice = p.alice.clone();
    let id = p.ours.id().unwrap();
    let store = p.sb.base_store();
    p.sb.state_root().unwrap();
    let mut st: TokenState = p.sb.state(id).unwrap();
    let start = p.sb.epoch();
    st.delegate(&store, alice.id, Some(alice.id), start).unwrap();
    for e in 0..n {
        st.mint(&store, alice.id, &TokenAmount::from_atto(1), start + 1 + e).unwrap();
    }
    let root = actorlib_kit::state::put(&store, &st).unwrap();
    p.sb.set_state_root(id, root).unwrap();
    p.sb.set_epoch(start + n + 2).unwrap();
    [("early", start + 2), ("middle", start + 1 + n / 2), ("latest", start + n)]
        .into_iter()
        .map(|(what, epoch)| {
            let q = GetPastVotesParams { account: alice.address, epoch };
            let r = ok(p.sb.query(&alice, p.ours, Method::GetPastVotes as u64, &q).unwrap(), what);
            (format!("{what} (epoch {epoch})"), r.gas_used)
        })
        .collect()
}

fn main() {
    // `ACTORLIB_BENCH_TRACE=transfer` also prints, for each operation whose name contains
    // "transfer", what the gas was spent on (block reads and writes, Wasm execution, sends…).
    let trace = std::env::var("ACTORLIB_BENCH_TRACE").ok();
    let counts: Vec<u64> = std::env::var("ACTORLIB_BENCH_HOLDERS")
        .unwrap_or_else(|_| "10,1000,10000,100000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    println!("gas per operation: actorlib token vs frc46_token reference actor (same sandbox, same plumbing)");
    println!(
        "{:<28} {:>9} {:>12} {:>12} {:>8}",
        "operation", "holders", "actorlib", "reference", "ratio"
    );
    for n in counts {
        let mut p = setup();
        seed(&mut p, n);
        let mut rows = vec![("constructor", p.ours_deploy.clone(), p.theirs_deploy.clone())];
        rows.extend(measure(&mut p));
        for (op, a, b) in rows {
            let (ga, gb) = (a.gas_used, b.gas_used);
            println!("{:<28} {:>9} {:>12} {:>12} {:>8.3}", op, n, ga, gb, ga as f64 / gb as f64);
            if trace.as_deref().is_some_and(|t| op.contains(t)) {
                print!("{}", a.gas_charges.side_by_side(&b.gas_charges));
                if std::env::var("ACTORLIB_BENCH_TIMELINE").is_ok() {
                    print!("  ours, in order:\n{}", a.gas_charges.timeline());
                    print!("  reference, in order:\n{}", b.gas_charges.timeline());
                }
            }
        }
    }
    let histories: Vec<i64> = std::env::var("ACTORLIB_BENCH_CHECKPOINTS")
        .unwrap_or_else(|_| "10,100,1000,10000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    println!();
    println!("GetPastVotes (read-only query) against the number of checkpoints in the history");
    println!("{:<12} {:<28} {:>12}", "checkpoints", "queried", "gas");
    for n in histories {
        for (what, gas) in past_votes(n) {
            println!("{n:<12} {what:<28} {gas:>12}");
        }
    }
}
