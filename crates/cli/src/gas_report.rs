//! `actorlib gas-report`: gas per operation of actorlib's actors side by side with reference actors
//! on `frc46_token` / `frc53_nft`, at several state sizes, as text or as the Markdown tables of the
//! actors' READMEs. The scenarios are `actorlib_gas_report`'s (the actors' benches run the same).
use anyhow::Result;
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};

use actorlib_gas_report::{nft, token, Options, Report};

/// Which actor to report on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Subject {
    /// The FRC-46 token against `frc46_token` (sizes are holders).
    Token,
    /// The FRC-53 NFT against `frc53_nft` (sizes are tokens in circulation).
    Nft,
}

/// `gas-report`'s arguments.
#[derive(Args, Debug)]
pub struct GasReportArgs {
    /// The actor to measure.
    #[arg(value_enum)]
    subject: Subject,
    /// State sizes to measure at, comma-separated (holders or tokens).
    #[arg(long, value_delimiter = ',', default_values_t = [10u64, 1_000, 10_000, 100_000])]
    sizes: Vec<u64>,
    /// For the token: vote-history lengths at which to measure `GetPastVotes` (none: skip).
    #[arg(long, value_delimiter = ',', default_values_t = [10i64, 100, 1_000, 10_000])]
    checkpoints: Vec<i64>,
    /// Print Markdown tables (one column per size) instead of one line per measurement.
    #[arg(long)]
    markdown: bool,
    /// Itemise the gas of the operations whose name contains this.
    #[arg(long)]
    trace: Option<String>,
    /// With --trace: every gas charge in order, with a running total.
    #[arg(long)]
    timeline: bool,
    /// Hide the progress display.
    #[arg(long)]
    quiet: bool,
}

/// Measures and prints the report.
pub fn run(args: GasReportArgs) -> Result<()> {
    let opts = Options { sizes: vec![], trace: args.trace.clone(), timeline: args.timeline };
    let steps = args.sizes.len() as u64 + (args.subject == Subject::Token) as u64;
    let bar = if args.quiet { ProgressBar::hidden() } else { ProgressBar::new(steps) };
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} {msg}")?
            .progress_chars("=> "),
    );
    // One size at a time, so that the bar moves: each size is its own sandbox.
    let mut report = Report::default();
    for &size in &args.sizes {
        bar.set_message(format!("{size} {}", size_name(args.subject)));
        let one = Options { sizes: vec![size], ..opts.clone() };
        let part = match args.subject {
            Subject::Token => token::report(&one, &[])?,
            Subject::Nft => nft::report(&one)?,
        };
        report.title = part.title;
        report.size_name = part.size_name;
        report.notes = part.notes;
        report.rows.extend(part.rows);
        report.traces.extend(part.traces);
        bar.inc(1);
    }
    if args.subject == Subject::Token && !args.checkpoints.is_empty() {
        bar.set_message("vote histories");
        let part = token::report(&Options { sizes: vec![], ..opts }, &args.checkpoints)?;
        report.tables.extend(part.tables);
        bar.inc(1);
    }
    bar.finish_and_clear();
    print!("{}", if args.markdown { report.markdown() } else { report.text() });
    Ok(())
}

fn size_name(subject: Subject) -> &'static str {
    match subject {
        Subject::Token => "holders",
        Subject::Nft => "tokens",
    }
}
