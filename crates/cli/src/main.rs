//! `actorlib`: write the actor bundle, run the sandbox demo.
//!
//! Built on `clap` (arguments) and `indicatif` (progress), the usual choices for Rust command lines.
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};

mod demo;

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
}

fn main() -> Result<()> {
    match Cli::parse().command {
        Command::Bundle { output, host } => bundle(&output, host),
        Command::Demo { quiet } => demo::run(quiet),
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
