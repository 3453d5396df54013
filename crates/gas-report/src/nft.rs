//! The NFT: actorlib's and a reference actor built on `frc53_nft`, deployed in the same sandbox,
//! doing the same operations at each collection size.
//!
//! Tokens are seeded natively, through each actor's own state code (ten per seeded owner, owners
//! with no actor behind them); alice then holds 200 more (one batch), bob 100 plus 100 single
//! mints.
use anyhow::Result;

use crate::{ok, send};

use crate::report::{Options, Report, Row};
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
    /// The collection size, for traces.
    size: u64,
    trace: Option<String>,
    timeline: bool,
    traces: Vec<String>,
}

fn setup(size: u64, opts: &Options) -> Result<Pair> {
    let mut sb = Sandbox::new()?;
    sb.trace_gas(opts.trace.is_some())?;
    let whole = TokenAmount::from_whole(1_000);
    let admin = sb.create_account(whole.clone())?;
    let alice = sb.create_account(whole.clone())?;
    let bob = sb.create_account(whole.clone())?;
    let carol = sb.create_account(whole)?;
    let ours_code = sb.install_actor(crate::wasm("nft")?)?;
    let theirs_code = sb.install_actor(crate::wasm("reference-frc53")?)?;
    let params = ConstructorParams {
        name: "Bench".into(),
        symbol: "BNC".into(),
        max_supply: None,
        admins: vec![admin.address],
        minters: vec![admin.address],
        royalty: None,
    };
    let r =
        ok(sb.deploy_receipt(&admin, ours_code, &params, TokenAmount::default())?, "deploy ours")?;
    let ours_deploy_gas = r.gas_used;
    let ours = r.ret::<actorlib_sandbox::ExecReturn>()?.id_address;
    let params = reference::ConstructorParams { name: "Bench".into(), symbol: "BNC".into() };
    let r = ok(
        sb.deploy_receipt(&admin, theirs_code, &params, TokenAmount::default())?,
        "deploy reference",
    )?;
    let theirs_deploy_gas = r.gas_used;
    let theirs = r.ret::<actorlib_sandbox::ExecReturn>()?.id_address;
    Ok(Pair {
        sb,
        admin,
        alice,
        bob,
        carol,
        ours,
        theirs,
        ours_deploy_gas,
        theirs_deploy_gas,
        size,
        trace: opts.trace.clone(),
        timeline: opts.timeline,
        traces: vec![],
    })
}

fn seed_uris(first: u64, n: u64) -> Vec<String> {
    (first..first + n).map(|i| format!("ipfs://bench/{i}")).collect()
}

/// Puts `n` tokens in circulation in both collections, natively: ten per seeded owner.
fn seed(p: &mut Pair, n: u64) -> Result<()> {
    let store = p.sb.base_store();
    p.sb.state_root()?; // every block of both actors' state is now in the base store

    let id = p.ours.id()?;
    let mut st: NftState = p.sb.state(id)?;
    let mut minted = 0;
    while minted < n {
        let k = SEED_PER_OWNER.min(n - minted);
        st.mint(&store, SEED_ID_BASE + minted / SEED_PER_OWNER, seed_uris(minted, k))?;
        minted += k;
    }
    let root = actorlib_kit::state::put(&store, &st)?;
    p.sb.set_state_root(id, root)?;

    let id = p.theirs.id()?;
    let mut st: reference::State = p.sb.state(id)?;
    let mut minted = 0;
    while minted < n {
        let k = SEED_PER_OWNER.min(n - minted);
        let owner = SEED_ID_BASE + minted / SEED_PER_OWNER;
        st.nft.mint_tokens(&store, owner, seed_uris(minted, k))?;
        minted += k;
    }
    let root = actorlib_kit::state::put(&store, &st)?;
    p.sb.set_state_root(id, root)?;
    Ok(())
}

/// The same call to both; returns (ours, reference) receipts. The method numbers are the same.
fn both<P: serde::Serialize>(
    p: &mut Pair,
    from: &Account,
    m: Method,
    params: &P,
    what: &str,
) -> Result<(Receipt, Receipt)> {
    let (ours, theirs) = (p.ours, p.theirs);
    let a = send(&mut p.sb, from, ours, m as u64, params, what)?;
    let b = send(&mut p.sb, from, theirs, m as u64, params, what)?;
    if p.trace.as_deref().is_some_and(|t| what.contains(t)) {
        p.traces.push(crate::itemise(what, p.size, &a, &b, p.timeline));
    }
    Ok((a, b))
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
type Minted = (Vec<TokenID>, Vec<TokenID>, u64, u64);

fn batch_mint(p: &mut Pair, to: Address, n: usize) -> Result<Minted> {
    let admin = p.admin.clone();
    let (a, b) = both(p, &admin, Method::BatchMint, &batch_params(to, n), "batch mint")?;
    let ours: MintReturn = a.ret()?;
    let theirs: frc53_nft::types::MintReturn = b.ret()?;
    Ok((ours.token_ids, theirs.token_ids, a.gas_used, b.gas_used))
}

/// Every operation once, at the current collection size.
fn measure(p: &mut Pair) -> Result<Vec<(String, u64, u64)>> {
    let mut rows = Vec::new();
    let (admin, alice, bob, carol) =
        (p.admin.clone(), p.alice.clone(), p.bob.clone(), p.carol.clone());
    let mut row = |name: &str, (a, b): (u64, u64)| rows.push((name.to_string(), a, b));

    // Mints: to a holder never seen, then to alice (who holds from here on).
    let fresh = p.sb.create_account(TokenAmount::from_whole(1))?;
    row(
        "mint to new holder",
        gas(both(p, &admin, Method::Mint, &mint_params(fresh.address), "mint")?),
    );
    let (alice_ours, alice_theirs, _, _) = batch_mint(p, alice.address, ALICE_TOKENS)?;
    row("mint (single)", gas(both(p, &admin, Method::Mint, &mint_params(alice.address), "mint")?));

    // Batch mint of 100 vs 100 single mints, per token.
    let (_, _, a, b) = batch_mint(p, bob.address, 100)?;
    row("batch mint 100, per token", (a / 100, b / 100));
    let (mut sa, mut sb) = (0, 0);
    for _ in 0..100 {
        let (a, b) = gas(both(p, &admin, Method::Mint, &mint_params(bob.address), "mint")?);
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
    row("transfer", gas(both(p, &alice, Method::Transfer, &to_bob, "transfer")?));

    let approve = ApproveParams { operator: carol.address, token_ids: vec![t(0)] };
    row("approve", gas(both(p, &bob, Method::Approve, &approve, "approve")?));

    let pull = TransferFromParams {
        from: bob.address,
        to: alice.address,
        token_ids: vec![t(0)],
        operator_data: RawBytes::default(),
    };
    row("transfer_from", gas(both(p, &carol, Method::TransferFrom, &pull, "transfer_from")?));

    row("owner query", gas(both(p, &carol, Method::OwnerOf, &t(1), "owner")?));
    row("balance query", gas(both(p, &carol, Method::BalanceOf, &alice.address, "balance")?));
    row("total supply query", gas(both(p, &carol, Method::TotalSupply, &(), "total supply")?));

    row("burn", gas(both(p, &alice, Method::Burn, &vec![t(2)], "burn")?));

    // Listings: a page of the collection, a page of alice's tokens.
    for limit in [10u64, 100] {
        let first = ListTokensParams { cursor: RawBytes::default(), limit };
        let g = gas(both(p, &carol, Method::ListTokens, &first, "list tokens")?);
        row(&format!("list tokens, page of {limit}"), g);
        let owned =
            ListOwnedTokensParams { owner: alice.address, cursor: RawBytes::default(), limit };
        let g = gas(both(p, &carol, Method::ListOwnedTokens, &owned, "list owned tokens")?);
        row(&format!("list owned tokens, page of {limit}"), g);
    }
    Ok(rows)
}

/// Every operation at a collection of `tokens` tokens, side by side; the traced ones itemised into
/// `traces`.
pub fn rows(tokens: u64, opts: &Options, traces: &mut Vec<String>) -> Result<Vec<Row>> {
    let mut p = setup(tokens, opts)?;
    seed(&mut p, tokens)?;
    let mut measured = vec![("constructor".to_string(), p.ours_deploy_gas, p.theirs_deploy_gas)];
    measured.extend(measure(&mut p)?);
    traces.append(&mut p.traces);
    Ok(measured
        .into_iter()
        .map(|(operation, ours, reference)| Row { operation, size: tokens, ours, reference })
        .collect())
}

/// The whole NFT report: every operation at each of `opts.sizes` tokens in circulation.
pub fn report(opts: &Options) -> Result<Report> {
    let mut report = Report {
        title: "gas per operation: actorlib NFT vs frc53_nft reference actor (same sandbox, same \
                plumbing)"
            .into(),
        size_name: "tokens".into(),
        notes: vec![
            format!("(seeded tokens: ten per owner; alice holds {ALICE_TOKENS} more; reference listings of an"),
            " owner's tokens scan the whole collection, so its page may hold none of alice's tokens)".into(),
        ],
        ..Report::default()
    };
    for &n in &opts.sizes {
        report.rows.extend(rows(n, opts, &mut report.traces)?);
    }
    Ok(report)
}
