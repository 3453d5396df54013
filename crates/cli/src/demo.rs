//! The scripted sandbox flow behind `actorlib demo`.
use actorlib_example_counter::{ConstructorParams, Method as Counter};
use actorlib_sandbox::market;
use actorlib_sandbox::{Receipt, Sandbox};
use anyhow::{anyhow, Result};
use fvm_shared::address::Address;
use fvm_shared::econ::TokenAmount;
use indicatif::{ProgressBar, ProgressStyle};

/// One call of the demo, as printed in the table.
struct Row {
    step: String,
    exit: u32,
    gas: u64,
    note: String,
}

fn row(step: &str, r: &Receipt, note: impl Into<String>) -> Row {
    Row { step: step.into(), exit: r.exit_code.value(), gas: r.gas_used, note: note.into() }
}

/// The code CID of a bundled actor.
fn code_of(table: &[(String, cid::Cid)], name: &str) -> Result<cid::Cid> {
    table.iter().find(|(n, _)| n == name).map(|(_, c)| *c).ok_or_else(|| anyhow!("{name} missing"))
}

/// Runs the flow and prints each call's exit code, gas and a note.
pub fn run(quiet: bool) -> Result<()> {
    let bar = if quiet { ProgressBar::hidden() } else { ProgressBar::new(STEPS) };
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} {msg}")?
            .progress_chars("=> "),
    );
    let rows = script(&bar)?;
    bar.finish_with_message("done");

    println!();
    println!("{:<32} {:>5} {:>12}  note", "call", "exit", "gas");
    for r in rows {
        println!("{:<32} {:>5} {:>12}  {}", r.step, r.exit, r.gas, r.note);
    }
    Ok(())
}

/// The progress steps of [`script`].
const STEPS: u64 = 19;

/// The scripted flow: every call, in order.
fn script(bar: &ProgressBar) -> Result<Vec<Row>> {
    let mut rows = Vec::new();

    bar.set_message("booting the sandbox");
    let mut sb = Sandbox::new()?;
    bar.inc(1);

    bar.set_message("installing actorlib's bundle");
    let table = sb.install_bundle(actorlib_bundle::ACTORS_CAR)?;
    let counter_code = code_of(&table, "example-counter")?;
    bar.inc(1);

    bar.set_message("creating accounts");
    let alice = sb.create_account(TokenAmount::from_whole(1_000))?;
    let bob = sb.create_account(TokenAmount::from_whole(1_000))?;
    bar.inc(1);

    bar.set_message("deploying the counter");
    let r = sb.deploy_receipt(
        &alice,
        counter_code,
        &ConstructorParams { owner: alice.address, start: 0 },
        TokenAmount::default(),
    )?;
    let deployed: actorlib_sandbox::ExecReturn = r.ret()?;
    let counter: Address = deployed.id_address;
    rows.push(row("deploy counter (init Exec)", &r, format!("at {counter}")));
    bar.inc(1);

    bar.set_message("incrementing");
    let r = sb.send(&bob, counter, Counter::Increment as u64, &5u64, TokenAmount::default())?;
    rows.push(row("counter.Increment(5) by bob", &r, format!("events {:?}", r.event_types())));
    bar.inc(1);

    let r = sb.send(&bob, counter, Counter::Reset as u64, &(), TokenAmount::default())?;
    rows.push(row("counter.Reset() by bob", &r, "forbidden: bob is not the owner"));
    bar.inc(1);

    let r = sb.send_raw(
        alice.id,
        counter,
        Counter::Increment as u64,
        vec![0xff].into(),
        TokenAmount::default(),
    )?;
    rows.push(row("counter.Increment(<bad CBOR>)", &r, "malformed params"));
    bar.inc(1);

    let r = sb.query(&alice, counter, Counter::Get as u64, &())?;
    let count: u64 = r.ret()?;
    rows.push(row("counter.Get() read-only", &r, format!("count = {count}")));
    bar.inc(1);

    token_flow(&mut sb, &table, bar, &mut rows)?;
    deal_flow(&mut sb, &table, bar, &mut rows)?;
    Ok(rows)
}

/// The FRC-46 token: deployed with alice as admin and minter, a mint to bob (his account's receiver
/// hook runs), a transfer back, a balance query, and a transfer beyond the balance.
fn token_flow(
    sb: &mut Sandbox,
    table: &[(String, cid::Cid)],
    bar: &ProgressBar,
    rows: &mut Vec<Row>,
) -> Result<()> {
    use actorlib_token::{
        ConstructorParams, Method as Token, MintParams, TokenMode, TransferParams,
    };
    use fvm_ipld_encoding::RawBytes;

    bar.set_message("deploying the token");
    let alice = sb.create_account(TokenAmount::from_whole(100))?;
    let bob = sb.create_account(TokenAmount::from_whole(100))?;
    let params = ConstructorParams {
        name: "Dataset Share".into(),
        symbol: "DSH".into(),
        granularity: 1,
        initial_holders: vec![],
        cap: Some(TokenAmount::from_whole(1_000_000)),
        admins: vec![alice.address],
        minters: vec![alice.address],
        mode: TokenMode::Standard,
    };
    let r = sb.deploy_receipt(&alice, code_of(table, "token")?, &params, TokenAmount::default())?;
    let token = r.ret::<actorlib_sandbox::ExecReturn>()?.id_address;
    rows.push(row("deploy token (init Exec)", &r, format!("DSH at {token}")));
    bar.inc(1);

    bar.set_message("minting and transferring");
    let mint = MintParams {
        to: bob.address,
        amount: TokenAmount::from_whole(1_000),
        operator_data: RawBytes::default(),
    };
    let r = sb.send(&alice, token, Token::Mint as u64, &mint, TokenAmount::default())?;
    rows.push(row("token.Mint(1000 DSH) to bob", &r, format!("events {:?}", r.event_types())));
    let pay = |amount| TransferParams {
        to: alice.address,
        amount: TokenAmount::from_whole(amount),
        operator_data: RawBytes::default(),
    };
    let r = sb.send(&bob, token, Token::Transfer as u64, &pay(250), TokenAmount::default())?;
    rows.push(row("token.Transfer(250 DSH) to alice", &r, "alice's account hook accepted"));
    let r = sb.query(&bob, token, Token::BalanceOf as u64, &alice.address)?;
    let balance: TokenAmount = r.ret()?;
    rows.push(row("token.BalanceOf(alice) read-only", &r, format!("{balance} DSH")));
    let r = sb.send(&bob, token, Token::Transfer as u64, &pay(10_000), TokenAmount::default())?;
    rows.push(row("token.Transfer(10000 DSH)", &r, "insufficient funds: nothing changes"));
    bar.inc(2);
    Ok(())
}

/// A storage deal from publication to termination, with an NFT bound to its content: client
/// account + miner → publish → activate → getters → the NFT checks the deal with the market and
/// mints → terminate → getters answer "expired" (exit 32) and the NFT's `ContentStatus` says so.
fn deal_flow(
    sb: &mut Sandbox,
    table: &[(String, cid::Cid)],
    bar: &ProgressBar,
    rows: &mut Vec<Row>,
) -> Result<()> {
    use actorlib_sandbox::builtin::STORAGE_MARKET_ACTOR_ID;
    use actorlib_sandbox::storage::{deal_proposal, piece_cid, DealClient};
    use market::{GetDealActivationReturn, Method as Market};

    bar.set_message("creating a storage provider");
    let client = sb.create_account(TokenAmount::from_whole(1_000))?;
    let owner = sb.create_account(TokenAmount::from_whole(1_000))?;
    let worker = sb.create_account(TokenAmount::from_whole(10))?;
    let (miner, r) = sb.create_miner_with_receipt(&owner, &worker)?;
    rows.push(row("power.CreateMiner", &r, format!("miner {}", miner.id_address())));
    bar.inc(1);

    let market_addr = Address::new_id(STORAGE_MARKET_ACTOR_ID);
    let r = sb.add_market_balance(&client, client.id_address(), TokenAmount::from_whole(10))?;
    rows.push(row("market.AddBalance (client)", &r, "10 FIL escrow"));
    let r = sb.add_market_balance(&owner, miner.id_address(), TokenAmount::from_whole(10))?;
    rows.push(row("market.AddBalance (provider)", &r, "10 FIL escrow"));
    bar.inc(1);

    bar.set_message("publishing a deal");
    let mut proposal = deal_proposal(
        piece_cid(b"demo dataset"),
        client.id_address(),
        miner.id_address(),
        sb.epoch() + 100,
    );
    proposal.storage_price_per_epoch = TokenAmount::from_atto(1_000);
    proposal.provider_collateral = TokenAmount::from_whole(1);
    let r = sb.publish_deals(&worker, vec![(proposal, DealClient::Account(&client))])?;
    let published: market::PublishStorageDealsReturn = r.ret()?;
    let deal = published.ids[0];
    rows.push(row(
        "market.PublishStorageDeals",
        &r,
        format!("deal {deal}, events {:?}", r.event_types()),
    ));
    bar.inc(1);

    bar.set_message("activating the deal");
    sb.advance_epochs(10)?;
    let r = sb.activate_deals(&[deal], 1)?;
    rows.push(row("activate deal (sector 1)", &r, format!("epoch {}", sb.epoch())));
    let r = sb.send(
        &client,
        market_addr,
        Market::GetDealActivationExported as u64,
        &deal,
        TokenAmount::default(),
    )?;
    let act: GetDealActivationReturn = r.ret()?;
    rows.push(row(
        "market.GetDealActivation",
        &r,
        format!("activated {} terminated {}", act.activated, act.terminated),
    ));
    let r = sb.send(
        &client,
        market_addr,
        Market::GetDealDataCommitmentExported as u64,
        &deal,
        TokenAmount::default(),
    )?;
    let data: market::GetDealDataCommitmentReturn = r.ret()?;
    rows.push(row("market.GetDealDataCommitment", &r, format!("size {}", data.size)));
    bar.inc(1);

    bar.set_message("minting an NFT of the stored content");
    let nft = nft_of_deal(sb, table, &client, deal, rows)?;
    bar.inc(1);

    bar.set_message("terminating the deal");
    let r = sb.terminate_deals(&[deal])?;
    rows.push(row("terminate deal", &r, "provider collateral slashed"));
    let r = sb.send(
        &client,
        market_addr,
        Market::GetDealActivationExported as u64,
        &deal,
        TokenAmount::default(),
    )?;
    rows.push(row("market.GetDealActivation", &r, "terminated: EX_DEAL_EXPIRED"));
    let r = sb.query(&client, nft, actorlib_nft::Method::ContentStatus as u64, &0u64)?;
    let status: actorlib_nft::ContentStatusReturn = r.ret()?;
    rows.push(row("nft.ContentStatus(0) read-only", &r, format!("{:?}", status.status)));
    bar.inc(1);

    bar.set_message("paying a block reward");
    let r = sb.award_block_reward(miner.id, TokenAmount::from_whole(5))?;
    rows.push(row("reward.AwardBlockReward", &r, "5 FIL to the miner, 3.75 vesting"));
    bar.inc(2);
    Ok(())
}

/// Deploys the NFT with `owner` as admin and minter and mints token 0 bound to `deal`: the NFT
/// asks the market (read-only) that the deal is active and takes its piece CID.
fn nft_of_deal(
    sb: &mut Sandbox,
    table: &[(String, cid::Cid)],
    owner: &actorlib_sandbox::Account,
    deal: u64,
    rows: &mut Vec<Row>,
) -> Result<Address> {
    use actorlib_nft::{ConstructorParams, Method as Nft, MintReturn, MintStoredContentParams};

    let params = ConstructorParams {
        name: "Stored Datasets".into(),
        symbol: "SDS".into(),
        max_supply: None,
        admins: vec![owner.address],
        minters: vec![owner.address],
        royalty: None,
    };
    let r = sb.deploy_receipt(owner, code_of(table, "nft")?, &params, TokenAmount::default())?;
    let nft = r.ret::<actorlib_sandbox::ExecReturn>()?.id_address;
    rows.push(row("deploy nft (init Exec)", &r, format!("SDS at {nft}")));
    let mint = MintStoredContentParams {
        to: owner.address,
        deal_id: deal,
        uri: "ipfs://demo-dataset/metadata.json".into(),
        data_cid: None,
        operator_data: Default::default(),
    };
    let r = sb.send(owner, nft, Nft::MintStoredContent as u64, &mint, TokenAmount::default())?;
    let minted: MintReturn = r.ret()?;
    rows.push(row(
        "nft.MintStoredContent(deal)",
        &r,
        format!("token {:?}, events {:?}", minted.token_ids, r.event_types()),
    ));
    let r = sb.query(owner, nft, Nft::ContentStatus as u64, &minted.token_ids[0])?;
    let status: actorlib_nft::ContentStatusReturn = r.ret()?;
    rows.push(row("nft.ContentStatus(0) read-only", &r, format!("{:?}", status.status)));
    Ok(nft)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The demo is the README's first command: every call must end as the table says it does.
    #[test]
    fn every_call_ends_as_described() {
        let rows = script(&ProgressBar::hidden()).unwrap();
        let exits: Vec<(&str, u32)> = rows.iter().map(|r| (r.step.as_str(), r.exit)).collect();
        let failing = [
            ("counter.Reset() by bob", 18),
            ("counter.Increment(<bad CBOR>)", 21),
            ("token.Transfer(10000 DSH)", 19),
            ("market.GetDealActivation", 32),
        ];
        for (step, exit) in &exits {
            let expected = if failing.contains(&(*step, *exit)) { *exit } else { 0 };
            assert_eq!(*exit, expected, "{step}");
        }
        assert_eq!(exits.iter().filter(|(_, e)| *e != 0).count(), failing.len());
        let notes: Vec<&str> = rows
            .iter()
            .filter(|r| r.step.starts_with("nft.ContentStatus"))
            .map(|r| r.note.as_str())
            .collect();
        assert_eq!(notes, vec!["Active", "Terminated"]);
        let balance = rows.iter().find(|r| r.step.starts_with("token.BalanceOf")).unwrap();
        assert_eq!(balance.note, "250.0 DSH");
        assert!(rows.iter().all(|r| r.gas > 0));
    }
}
