//! `actorlib`: write the actor bundle, run the sandbox demo, report gas side by side with the
//! reference actors.
//!
//! Built on `clap` (arguments) and `indicatif` (progress), the usual choices for Rust command lines.
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};

mod demo;
mod gas_report;

/// actorlib: reusable native actors for the Filecoin Virtual Machine.
#[derive(Parser)]
#[command(name = "actorlib", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write an actor bundle (CAR) and print its name → code CID table.
    Bundle {
        /// Where to write the CAR.
        #[arg(short, long)]
        output: PathBuf,
        /// Write the sandbox's builtin stand-ins instead of actorlib's actors.
        #[arg(long)]
        host: bool,
    },
    /// Boot the sandbox, deploy the actors, run a scripted flow and print each call's exit code and gas.
    Demo {
        /// Hide the progress display.
        #[arg(long)]
        quiet: bool,
    },
    /// Measure gas per operation of an actor and of a reference actor on the library it is
    /// compared with, in one sandbox, at several state sizes.
    GasReport(gas_report::GasReportArgs),
}

fn main() -> Result<()> {
    match Cli::parse().command {
        Command::Bundle { output, host } => bundle(&output, host),
        Command::Demo { quiet } => demo::run(quiet),
        Command::GasReport(args) => gas_report::run(args),
    }
}

fn bundle(output: &PathBuf, host: bool) -> Result<()> {
    let car = if host { actorlib_bundle::HOST_CAR } else { actorlib_bundle::ACTORS_CAR };
    std::fs::write(output, car).with_context(|| format!("writing {}", output.display()))?;
    let table = actorlib_bundle::manifest(car)?;
    println!("wrote {} ({} bytes, {} actors)", output.display(), car.len(), table.len());
    let width = table.iter().map(|(n, _)| n.len()).max().unwrap_or(4);
    println!("{:<width$}  code CID", "name");
    for (name, cid) in table {
        println!("{name:<width$}  {cid}");
    }
    Ok(())
}
