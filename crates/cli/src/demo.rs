//! The scripted sandbox flow behind `actorlib demo`.
use actorlib_example_counter::{ConstructorParams, Method as Counter};
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
    let steps = 8u64;
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
    bar.finish_with_message("done");

    println!();
    println!("{:<32} {:>5} {:>12}  note", "call", "exit", "gas");
    for r in rows {
        println!("{:<32} {:>5} {:>12}  {}", r.step, r.exit, r.gas, r.note);
    }
    Ok(())
}
