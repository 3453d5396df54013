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

pub fn run(quiet: bool) -> Result<()> {
    let steps = 15u64;
    let bar = if quiet { ProgressBar::hidden() } else { ProgressBar::new(steps) };
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} {msg}")?
            .progress_chars("=> "),
    );
    let mut rows = Vec::new();

    bar.set_message("booting the sandbox");
    let mut sb = Sandbox::new()?;
    bar.inc(1);

    bar.set_message("installing actorlib's bundle");
    let table = sb.install_bundle(actorlib_bundle::ACTORS_CAR)?;
    let counter_code = table
        .iter()
        .find(|(n, _)| n == "example-counter")
        .map(|(_, c)| *c)
        .ok_or_else(|| anyhow!("counter missing"))?;
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

    deal_flow(&mut sb, &bar, &mut rows)?;
    bar.finish_with_message("done");

    println!();
    println!("{:<32} {:>5} {:>12}  note", "call", "exit", "gas");
    for r in rows {
        println!("{:<32} {:>5} {:>12}  {}", r.step, r.exit, r.gas, r.note);
    }
    Ok(())
}

/// A storage deal from publication to termination: client account + miner → publish → activate →
/// getters → terminate → getters answer "expired" (exit 32).
fn deal_flow(sb: &mut Sandbox, bar: &ProgressBar, rows: &mut Vec<Row>) -> Result<()> {
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
    bar.inc(1);

    bar.set_message("paying a block reward");
    let r = sb.award_block_reward(miner.id, TokenAmount::from_whole(5))?;
    rows.push(row("reward.AwardBlockReward", &r, "5 FIL to the miner"));
    bar.inc(2);
    Ok(())
}
