//! The token: actorlib's and a reference actor built on `frc46_token`, deployed in the same
//! sandbox, doing the same operations at each holder count, plus `GetPastVotes` against the length
//! of a vote history.
//!
//! Holders are seeded natively, through each token's own state code, into the sandbox's blockstore;
//! then every measured operation is a real message executing the actors' Wasm.
use anyhow::Result;

use crate::{ok, send};

use crate::report::{thousands, Options, Report, Row, Table};
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

fn setup(trace: bool) -> Result<Pair> {
    let mut sb = Sandbox::new()?;
    sb.trace_gas(trace)?;
    let admin = sb.create_account(TokenAmount::from_whole(1_000))?;
    let alice = sb.create_account(TokenAmount::from_whole(1_000))?;
    let bob = sb.create_account(TokenAmount::from_whole(1_000))?;
    let carol = sb.create_account(TokenAmount::from_whole(1_000))?;
    let ours_code = sb.install_actor(crate::wasm("token")?)?;
    let theirs_code = sb.install_actor(crate::wasm("reference-frc46")?)?;
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
    let r =
        ok(sb.deploy_receipt(&admin, ours_code, &params, TokenAmount::default())?, "deploy ours")?;
    let ours = r.ret::<actorlib_sandbox::ExecReturn>()?.id_address;
    let ours_deploy = r;
    let params =
        reference::ConstructorParams { name: "Bench".into(), symbol: "BNC".into(), granularity: 1 };
    let r = ok(
        sb.deploy_receipt(&admin, theirs_code, &params, TokenAmount::default())?,
        "deploy reference",
    )?;
    let theirs = r.ret::<actorlib_sandbox::ExecReturn>()?.id_address;
    let theirs_deploy = r;
    Ok(Pair { sb, admin, alice, bob, carol, ours, theirs, ours_deploy, theirs_deploy })
}

/// Gives `n` holders a balance in both tokens, natively.
fn seed(p: &mut Pair, n: u64) -> Result<()> {
    let store = p.sb.base_store();
    p.sb.state_root()?; // every block of both actors' state is now in the base store
    let amount = TokenAmount::from_atto(1_000);

    let id = p.ours.id()?;
    let mut st: TokenState = p.sb.state(id)?;
    let epoch = p.sb.epoch();
    for i in 0..n {
        st.mint(&store, SEED_ID_BASE + i, &amount, epoch)?;
    }
    let root = actorlib_kit::state::put(&store, &st)?;
    p.sb.set_state_root(id, root)?;

    let id = p.theirs.id()?;
    let mut st: reference::State = p.sb.state(id)?;
    for i in 0..n {
        st.token.change_balance_by(&store, SEED_ID_BASE + i, &amount)?;
        st.token.change_supply_by(&amount)?;
    }
    st.token.save(&store)?;
    let root = actorlib_kit::state::put(&store, &st)?;
    p.sb.set_state_root(id, root)?;
    Ok(())
}

fn mint_ours(p: &mut Pair, to: Address, amount: TokenAmount) -> Result<Receipt> {
    let params = MintParams { to, amount, operator_data: RawBytes::default() };
    let (admin, ours) = (p.admin.clone(), p.ours);
    send(&mut p.sb, &admin, ours, Method::Mint as u64, &params, "mint ours")
}

fn mint_theirs(p: &mut Pair, to: Address, amount: TokenAmount) -> Result<Receipt> {
    let params = reference::MintParams { to, amount, operator_data: RawBytes::default() };
    let (admin, theirs) = (p.admin.clone(), p.theirs);
    send(&mut p.sb, &admin, theirs, reference::Method::Mint as u64, &params, "mint reference")
}

/// (operation, ours, reference)
fn measure(p: &mut Pair) -> Result<Vec<(&'static str, Receipt, Receipt)>> {
    let mut rows = Vec::new();
    let (alice, bob, carol) = (p.alice.clone(), p.bob.clone(), p.carol.clone());
    let (ours, theirs) = (p.ours, p.theirs);
    let big = TokenAmount::from_whole(1_000);

    // Mint to a holder never seen: a fresh account each.
    let fresh = p.sb.create_account(TokenAmount::from_whole(1))?;
    let a = mint_ours(p, fresh.address, big.clone())?;
    let fresh = p.sb.create_account(TokenAmount::from_whole(1))?;
    let b = mint_theirs(p, fresh.address, big.clone())?;
    rows.push(("mint to new holder", a, b));

    // Mint to an existing holder (alice, bob hold from here on).
    mint_ours(p, alice.address, big.clone())?;
    mint_theirs(p, alice.address, big.clone())?;
    let a = mint_ours(p, bob.address, big.clone())?;
    let b = mint_theirs(p, bob.address, big.clone())?;
    rows.push(("mint to existing holder", a, b));

    let to_bob = TransferParams {
        to: bob.address,
        amount: TokenAmount::from_whole(1),
        operator_data: RawBytes::default(),
    };
    let a = send(&mut p.sb, &alice, ours, Method::Transfer as u64, &to_bob, "transfer ours")?;
    let b = send(
        &mut p.sb,
        &alice,
        theirs,
        reference::Method::Transfer as u64,
        &to_bob,
        "transfer reference",
    )?;
    rows.push(("transfer to existing holder", a, b));

    let fresh = p.sb.create_account(TokenAmount::from_whole(1))?;
    let to_new = TransferParams {
        to: fresh.address,
        amount: TokenAmount::from_whole(1),
        operator_data: RawBytes::default(),
    };
    let a = send(&mut p.sb, &alice, ours, Method::Transfer as u64, &to_new, "transfer ours")?;
    let fresh = p.sb.create_account(TokenAmount::from_whole(1))?;
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
    )?;
    rows.push(("transfer to new holder", a, b));

    let approve =
        IncreaseAllowanceParams { operator: carol.address, increase: TokenAmount::from_whole(10) };
    let a =
        send(&mut p.sb, &bob, ours, Method::IncreaseAllowance as u64, &approve, "approve ours")?;
    let b = send(
        &mut p.sb,
        &bob,
        theirs,
        reference::Method::IncreaseAllowance as u64,
        &approve,
        "approve reference",
    )?;
    rows.push(("increase allowance", a, b));

    let pull = TransferFromParams {
        from: bob.address,
        to: alice.address,
        amount: TokenAmount::from_whole(1),
        operator_data: RawBytes::default(),
    };
    let a =
        send(&mut p.sb, &carol, ours, Method::TransferFrom as u64, &pull, "transfer_from ours")?;
    let b = send(
        &mut p.sb,
        &carol,
        theirs,
        reference::Method::TransferFrom as u64,
        &pull,
        "transfer_from reference",
    )?;
    rows.push(("transfer_from", a, b));

    let a = send(&mut p.sb, &carol, ours, Method::BalanceOf as u64, &bob.address, "balance ours")?;
    let b = send(
        &mut p.sb,
        &carol,
        theirs,
        reference::Method::BalanceOf as u64,
        &bob.address,
        "balance reference",
    )?;
    rows.push(("balance query", a, b));

    let q = GetAllowanceParams { owner: bob.address, operator: carol.address };
    let a = send(&mut p.sb, &carol, ours, Method::Allowance as u64, &q, "allowance ours")?;
    let b = send(
        &mut p.sb,
        &carol,
        theirs,
        reference::Method::Allowance as u64,
        &q,
        "allowance reference",
    )?;
    rows.push(("allowance query", a, b));

    let burn = TokenAmount::from_whole(1);
    let a = send(&mut p.sb, &alice, ours, Method::Burn as u64, &burn, "burn ours")?;
    let b = send(
        &mut p.sb,
        &alice,
        theirs,
        reference::Method::Burn as u64,
        &(burn,),
        "burn reference",
    )?;
    rows.push(("burn", a, b));

    // The first supply change of an epoch also writes the supply history (one checkpoint per
    // epoch with changes): measured separately so the table does not hide it.
    p.sb.advance_epochs(1)?;
    let a = mint_ours(p, alice.address, big.clone())?;
    let b = mint_theirs(p, alice.address, big.clone())?;
    rows.push(("mint, first in a new epoch", a, b));
    p.sb.advance_epochs(1)?;
    let burn = TokenAmount::from_whole(1);
    let a = send(&mut p.sb, &alice, ours, Method::Burn as u64, &burn, "burn ours")?;
    let b = send(
        &mut p.sb,
        &alice,
        theirs,
        reference::Method::Burn as u64,
        &(burn,),
        "burn reference",
    )?;
    rows.push(("burn, first in a new epoch", a, b));
    Ok(rows)
}

/// `GetPastVotes` against the length of the account's vote history: one checkpoint per epoch for
/// `n` epochs (seeded natively: a self-delegation, then one mint per epoch), then queries for an
/// early, a middle and the latest past epoch.
pub fn past_votes(n: i64) -> Result<Vec<(String, u64)>> {
    let mut p = setup(false)?;
    let alice = p.alice.clone();
    let id = p.ours.id()?;
    let store = p.sb.base_store();
    p.sb.state_root()?;
    let mut st: TokenState = p.sb.state(id)?;
    let start = p.sb.epoch();
    st.delegate(&store, alice.id, Some(alice.id), start)?;
    for e in 0..n {
        st.mint(&store, alice.id, &TokenAmount::from_atto(1), start + 1 + e)?;
    }
    let root = actorlib_kit::state::put(&store, &st)?;
    p.sb.set_state_root(id, root)?;
    p.sb.set_epoch(start + n + 2)?;
    let mut out = Vec::new();
    for (what, epoch) in
        [("early", start + 2), ("middle", start + 1 + n / 2), ("latest", start + n)]
    {
        let q = GetPastVotesParams { account: alice.address, epoch };
        let r = ok(p.sb.query(&alice, p.ours, Method::GetPastVotes as u64, &q)?, what)?;
        out.push((format!("{what} (epoch {epoch})"), r.gas_used));
    }
    Ok(out)
}

/// Every operation at `holders` holders, side by side; the traced ones itemised into `traces`.
pub fn rows(holders: u64, opts: &Options, traces: &mut Vec<String>) -> Result<Vec<Row>> {
    let mut p = setup(opts.trace.is_some())?;
    seed(&mut p, holders)?;
    let mut receipts = vec![("constructor", p.ours_deploy.clone(), p.theirs_deploy.clone())];
    receipts.extend(measure(&mut p)?);
    let mut out = Vec::new();
    for (op, a, b) in receipts {
        if opts.trace.as_deref().is_some_and(|t| op.contains(t)) {
            traces.push(crate::itemise(op, holders, &a, &b, opts.timeline));
        }
        out.push(Row {
            operation: op.into(),
            size: holders,
            ours: a.gas_used,
            reference: b.gas_used,
        });
    }
    Ok(out)
}

/// The whole token report: every operation at each of `opts.sizes` holders, and `GetPastVotes`
/// for each history length in `checkpoints`.
pub fn report(opts: &Options, checkpoints: &[i64]) -> Result<Report> {
    let mut report = Report {
        title: "gas per operation: actorlib token vs frc46_token reference actor (same sandbox, \
                same plumbing)"
            .into(),
        size_name: "holders".into(),
        ..Report::default()
    };
    for &n in &opts.sizes {
        report.rows.extend(rows(n, opts, &mut report.traces)?);
    }
    if !checkpoints.is_empty() {
        let mut table = Table {
            title:
                "GetPastVotes (read-only query) against the number of checkpoints in the history"
                    .into(),
            header: vec!["checkpoints".into(), "queried".into(), "gas".into()],
            rows: vec![],
        };
        for &n in checkpoints {
            for (what, gas) in past_votes(n)? {
                table.rows.push(vec![thousands(n as u64), what, thousands(gas)]);
            }
        }
        report.tables.push(table);
    }
    Ok(report)
}
