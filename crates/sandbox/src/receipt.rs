//! What a message did: exit code, return value, gas and events.
use fvm_ipld_encoding::RawBytes;
use fvm_shared::error::ExitCode;
use fvm_shared::event::StampedEvent;
use serde::de::DeserializeOwned;

use crate::error::{enc_err, Result, SandboxError};

/// The outcome of one message.
#[derive(Clone, Debug)]
pub struct Receipt {
    /// Exit code of the receiver (for a read-only query: of the queried actor).
    pub exit_code: ExitCode,
    /// CBOR return bytes (empty for none).
    pub return_data: RawBytes,
    /// Gas used by the whole message.
    pub gas_used: u64,
    /// Events emitted (empty when the message failed: failed calls' events are reverted).
    pub events: Vec<StampedEvent>,
    /// The FVM's failure description, when the message failed.
    pub failure_info: Option<String>,
    /// What the gas was spent on, when the sandbox traces gas ([`crate::Sandbox::trace_gas`]);
    /// empty otherwise.
    pub gas_charges: GasCharges,
}

/// Gas charged by kind (the FVM's charge names: `OnBlockRead`, `OnBlockLink`, `wasm_exec`, …),
/// summed over one message, with the number of charges of each kind.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GasCharges {
    /// `(name, count, milligas)` sorted by name; compute plus storage ("other") gas, in the FVM's
    /// internal unit of 1/1000 gas (the message's gas used is the sum, rounded up once).
    pub by_name: Vec<(String, u64, u64)>,
    /// Every charge in the order the FVM made it: `(name, milligas)`. Consecutive `wasm_exec`
    /// charges frame the syscalls, so the Wasm gas between two syscalls (decoding a block, say)
    /// can be read off this list; [`GasCharges::timeline`] prints it.
    pub in_order: Vec<(String, u64)>,
}

impl GasCharges {
    /// Sums a message's trace of gas charges by name.
    pub fn from_trace(charges: impl IntoIterator<Item = fvm::gas::GasCharge>) -> Self {
        let mut sums = std::collections::BTreeMap::<String, (u64, u64)>::new();
        let mut in_order = Vec::new();
        for c in charges {
            let gas = c.total().as_milligas();
            let e = sums.entry(c.name.to_string()).or_default();
            e.0 += 1;
            e.1 += gas;
            in_order.push((c.name.into_owned(), gas));
        }
        Self {
            by_name: sums.into_iter().map(|(n, (count, gas))| (n, count, gas)).collect(),
            in_order,
        }
    }

    /// The gas charged under `name`, rounded up (0 if none).
    pub fn gas(&self, name: &str) -> u64 {
        self.by_name.iter().find(|(n, _, _)| n == name).map_or(0, |(_, _, g)| g.div_ceil(1000))
    }

    /// How many charges were made under `name`.
    pub fn count(&self, name: &str) -> u64 {
        self.by_name.iter().find(|(n, _, _)| n == name).map_or(0, |(_, c, _)| *c)
    }

    /// The sum of all charges, in gas, rounded up as the FVM rounds a message's gas used.
    pub fn total(&self) -> u64 {
        self.by_name.iter().map(|(_, _, g)| g).sum::<u64>().div_ceil(1000)
    }
}

impl GasCharges {
    /// The charges in order, one line each (`name  gas`), with a running total: where a
    /// message's gas goes step by step. Syscall charges of no gas are left out.
    pub fn timeline(&self) -> String {
        let mut out = String::new();
        let mut total = 0u64;
        for (name, milligas) in &self.in_order {
            total += milligas;
            if *milligas > 0 {
                let gas = milligas.div_ceil(1000);
                let running = total.div_ceil(1000);
                out.push_str(&format!("    {name:<26} {gas:>10} {running:>12}\n"));
            }
        }
        out
    }

    /// Two messages' charges side by side, one line per charge name: `name  xN gas  xN gas`.
    pub fn side_by_side(&self, other: &GasCharges) -> String {
        let mut names: Vec<&str> = self.by_name.iter().map(|(n, _, _)| n.as_str()).collect();
        names.extend(other.by_name.iter().map(|(n, _, _)| n.as_str()));
        names.sort_unstable();
        names.dedup();
        let mut out = String::new();
        for name in names {
            out.push_str(&format!(
                "    {:<26} x{:<4} {:>12}   x{:<4} {:>12}\n",
                name,
                self.count(name),
                self.gas(name),
                other.count(name),
                other.gas(name)
            ));
        }
        out
    }
}

impl std::fmt::Display for GasCharges {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (name, count, gas) in &self.by_name {
            writeln!(f, "{name:>28} x{count:<5} {:>12}", gas.div_ceil(1000))?;
        }
        Ok(())
    }
}

impl Receipt {
    /// Whether the message succeeded.
    pub fn is_ok(&self) -> bool {
        self.exit_code.is_success()
    }

    /// Requires success, returning the receipt.
    pub fn ok(self) -> Result<Self> {
        if self.is_ok() {
            Ok(self)
        } else {
            Err(SandboxError::Exit {
                code: self.exit_code,
                message: self.failure_info.unwrap_or_default(),
            })
        }
    }

    /// Requires success and decodes the return value (`()` for none).
    pub fn ret<R: DeserializeOwned>(&self) -> Result<R> {
        if !self.is_ok() {
            return Err(SandboxError::Exit {
                code: self.exit_code,
                message: self.failure_info.clone().unwrap_or_default(),
            });
        }
        let bytes: &[u8] = if self.return_data.is_empty() { &[0xf6] } else { &self.return_data };
        fvm_ipld_encoding::from_slice(bytes).map_err(enc_err)
    }

    /// The `$type` of every event, in order.
    pub fn event_types(&self) -> Vec<String> {
        self.events.iter().filter_map(|e| actorlib_kit::events::event_type(&e.event)).collect()
    }
}
