//! A gas report: rows of (operation, state size, our gas, the reference's gas), plus extra tables,
//! rendered as aligned text or as Markdown (the tables in the actors' READMEs).
use std::fmt::Write;

/// What to measure.
#[derive(Clone, Debug)]
pub struct Options {
    /// The state sizes (holders, tokens) to measure at.
    pub sizes: Vec<u64>,
    /// Operations whose name contains this get their gas charges itemised in the report.
    pub trace: Option<String>,
    /// With `trace`: every charge in order, with a running total.
    pub timeline: bool,
}

/// One operation at one state size.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// The operation.
    pub operation: String,
    /// The state size it ran at.
    pub size: u64,
    /// Gas used by actorlib's actor.
    pub ours: u64,
    /// Gas used by the reference actor.
    pub reference: u64,
}

impl Row {
    /// Ours over the reference's.
    pub fn ratio(&self) -> f64 {
        self.ours as f64 / self.reference as f64
    }
}

/// A further table (e.g. a query's cost against a history's length).
#[derive(Clone, Debug, Default)]
pub struct Table {
    /// What it shows.
    pub title: String,
    /// Column names.
    pub header: Vec<String>,
    /// Rows of cells.
    pub rows: Vec<Vec<String>>,
}

/// A whole report.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// What is compared.
    pub title: String,
    /// What the state size counts ("holders", "tokens").
    pub size_name: String,
    /// Lines explaining the set-up.
    pub notes: Vec<String>,
    /// The side-by-side rows, in measuring order.
    pub rows: Vec<Row>,
    /// Further tables.
    pub tables: Vec<Table>,
    /// Itemised gas of the traced operations.
    pub traces: Vec<String>,
}

impl Report {
    /// Aligned text: one line per operation and size.
    pub fn text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "{}", self.title);
        for n in &self.notes {
            let _ = writeln!(out, "{n}");
        }
        let w = self.rows.iter().map(|r| r.operation.len()).max().unwrap_or(9).max(9);
        let _ = writeln!(
            out,
            "{:<w$} {:>9} {:>12} {:>12} {:>8}",
            "operation", self.size_name, "actorlib", "reference", "ratio"
        );
        for r in &self.rows {
            let _ = writeln!(
                out,
                "{:<w$} {:>9} {:>12} {:>12} {:>8.3}",
                r.operation,
                r.size,
                r.ours,
                r.reference,
                r.ratio()
            );
        }
        for t in &self.tables {
            let _ = writeln!(out, "\n{}", t.title);
            let widths = column_widths(t);
            let line = |cells: &[String]| {
                let cells: Vec<String> =
                    cells.iter().zip(&widths).map(|(c, w)| format!("{c:<w$}")).collect();
                cells.join("  ").trim_end().to_string()
            };
            let _ = writeln!(out, "{}", line(&t.header));
            for r in &t.rows {
                let _ = writeln!(out, "{}", line(r));
            }
        }
        for t in &self.traces {
            let _ = write!(out, "\n{t}");
        }
        out
    }

    /// Markdown: one row per operation, one column per size, each cell `ours / reference
    /// (ratio)` in millions (thousands below one million); `=` repeats the cell to its left.
    pub fn markdown(&self) -> String {
        let mut sizes: Vec<u64> = Vec::new();
        let mut operations: Vec<&str> = Vec::new();
        for r in &self.rows {
            if !sizes.contains(&r.size) {
                sizes.push(r.size);
            }
            if !operations.contains(&r.operation.as_str()) {
                operations.push(&r.operation);
            }
        }
        let mut out = String::new();
        let heads: Vec<String> = sizes
            .iter()
            .enumerate()
            .map(|(i, s)| {
                if i == 0 {
                    format!("{} {}", thousands(*s), self.size_name)
                } else {
                    thousands(*s)
                }
            })
            .collect();
        let _ = writeln!(out, "| operation | {} |", heads.join(" | "));
        let _ = writeln!(out, "|---|{}", "---|".repeat(sizes.len()));
        for op in operations {
            let mut cells = Vec::new();
            let mut left: Option<(u64, u64)> = None;
            for size in &sizes {
                let cell = match self.rows.iter().find(|r| r.operation == op && r.size == *size) {
                    None => "".to_string(),
                    Some(r) if left == Some((r.ours, r.reference)) => "=".to_string(),
                    Some(r) => {
                        left = Some((r.ours, r.reference));
                        format!("{} / {} ({})", short(r.ours), short(r.reference), ratio_text(r))
                    }
                };
                cells.push(cell);
            }
            let _ = writeln!(out, "| {op} | {} |", cells.join(" | "));
        }
        for t in &self.tables {
            let _ = writeln!(out, "\n{}\n", t.title);
            let _ = writeln!(out, "| {} |", t.header.join(" | "));
            let _ = writeln!(out, "|{}", "---|".repeat(t.header.len()));
            for r in &t.rows {
                let _ = writeln!(out, "| {} |", r.join(" | "));
            }
        }
        out
    }
}

/// The ratio to two decimals, or three where two would round a ratio other than 1 to `1.00`.
fn ratio_text(r: &Row) -> String {
    let two = format!("{:.2}", r.ratio());
    if two == "1.00" && r.ours != r.reference {
        format!("{:.3}", r.ratio())
    } else {
        two
    }
}

fn column_widths(t: &Table) -> Vec<usize> {
    let mut widths: Vec<usize> = t.header.iter().map(|h| h.len()).collect();
    for r in &t.rows {
        for (i, c) in r.iter().enumerate() {
            if i < widths.len() {
                widths[i] = widths[i].max(c.len());
            }
        }
    }
    widths
}

/// `1234567` → `1.23M`, `305802` → `306k`.
fn short(gas: u64) -> String {
    if gas >= 1_000_000 {
        format!("{:.2}M", gas as f64 / 1e6)
    } else {
        format!("{}k", (gas + 500) / 1000)
    }
}

/// `100000` → `100,000`.
pub(crate) fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(operation: &str, size: u64, ours: u64, reference: u64) -> Row {
        Row { operation: operation.into(), size, ours, reference }
    }

    #[test]
    fn markdown_pivots_sizes_into_columns_and_marks_repeats() {
        let report = Report {
            size_name: "tokens".into(),
            rows: vec![
                row("constructor", 10, 7_817_709, 7_854_524),
                row("transfer", 10, 9_668_575, 12_469_726),
                row("constructor", 1000, 7_817_709, 7_854_524),
                row("batch, per token", 1000, 305_802, 257_267),
            ],
            ..Report::default()
        };
        let md = report.markdown();
        let lines: Vec<&str> = md.lines().collect();
        assert_eq!(lines[0], "| operation | 10 tokens | 1,000 |");
        assert_eq!(lines[2], "| constructor | 7.82M / 7.85M (0.995) | = |");
        assert_eq!(lines[3], "| transfer | 9.67M / 12.47M (0.78) |  |");
        assert_eq!(lines[4], "| batch, per token |  | 306k / 257k (1.19) |");
    }

    #[test]
    fn text_has_a_line_per_row_and_the_ratio() {
        let report = Report {
            size_name: "holders".into(),
            rows: vec![row("x", 10, 50, 100)],
            ..Report::default()
        };
        let text = report.text();
        assert!(text.lines().any(|l| l.starts_with("x ") && l.ends_with("0.500")), "{text}");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
