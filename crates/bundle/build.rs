//! Compiles every actor (and every sandbox host actor) to `wasm32-unknown-unknown` with the
//! `fil-actor` feature and the `wasm` profile, then writes two bundles with `fil_actor_bundler`:
//!
//! - `actorlib.car`: actorlib's deployable actors (a custom actor bundle);
//! - `sandbox-host.car`: the sandbox's stand-ins for Filecoin's builtin actors, in canonical
//!   manifest order (type IDs are manifest positions).
//!
//! The Wasm build runs one nested `cargo build` in `target/wasm-actors` under the workspace root, so it
//! is shared by every profile of the outer build and only what changed is rebuilt.
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

const WASM_TARGET: &str = "wasm32-unknown-unknown";
const WASM_PROFILE: &str = "wasm";

/// actorlib's deployable actors: (manifest name, crate).
const ACTORS: &[(&str, &str)] = &[
    ("example-counter", "actorlib_example_counter"),
    ("token", "actorlib_token"),
    ("nft", "actorlib_nft"),
];

/// The builtin actor types in canonical order, with the host actor crate standing in for each.
/// `actorlib_host_unmodelled` fills the types the sandbox does not model; each slot gets a distinct
/// custom section so every type has its own code CID.
const HOST: &[(&str, &str)] = &[
    ("system", "actorlib_host_system"),
    ("init", "actorlib_host_init"),
    ("cron", "actorlib_host_unmodelled"),
    ("account", "actorlib_host_account"),
    ("storagepower", "actorlib_host_power"),
    ("storageminer", "actorlib_host_miner"),
    ("storagemarket", "actorlib_host_market"),
    ("paymentchannel", "actorlib_host_unmodelled"),
    ("multisig", "actorlib_host_unmodelled"),
    ("reward", "actorlib_host_reward"),
    ("verifiedregistry", "actorlib_host_unmodelled"),
    ("datacap", "actorlib_host_unmodelled"),
    ("placeholder", "actorlib_host_placeholder"),
    ("evm", "actorlib_host_unmodelled"),
    ("eam", "actorlib_host_eam"),
    ("ethaccount", "actorlib_host_ethaccount"),
];

/// Sandbox helpers installed as user code (not builtin types).
const SANDBOX_EXTRAS: &[(&str, &str)] = &[
    ("sandbox-relay", "actorlib_host_relay"),
    ("example-deal-client", "actorlib_example_deal_client"),
    ("example-token-receiver", "actorlib_example_token_receiver"),
    ("reference-frc46", "actorlib_reference_frc46"),
    ("example-nft-receiver", "actorlib_example_nft_receiver"),
    ("reference-frc53", "actorlib_reference_frc53"),
];

/// Directories whose changes require the Wasm to be rebuilt.
const WATCHED: &[&str] = &[
    "actors",
    "crates/kit",
    "crates/sandbox/host-actors",
    "crates/sandbox/examples",
    "crates/reference-actors",
];

fn main() -> Result<()> {
    let manifest_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    let root = manifest_dir.join("../..").canonicalize()?;
    let out_dir = PathBuf::from(std::env::var("OUT_DIR")?);
    for w in WATCHED.iter().chain(["Cargo.toml", "Cargo.lock", "rust-toolchain.toml"].iter()) {
        let p = root.join(w);
        if p.exists() {
            println!("cargo:rerun-if-changed={}", p.display());
        }
    }
    println!("cargo:rerun-if-env-changed=ACTORLIB_WASM_RUSTFLAGS");

    let mut crates: Vec<&str> =
        ACTORS.iter().chain(HOST).chain(SANDBOX_EXTRAS).map(|(_, c)| *c).collect();
    crates.sort_unstable();
    crates.dedup();

    ensure_wasm_target()?;
    let wasm_dir = build_wasm(&root, &crates)?;
    let wasm_path = |krate: &str| wasm_dir.join(format!("{krate}.wasm"));

    let mut actors = fil_actor_bundler::Bundler::new(out_dir.join("actorlib.car"));
    for (i, (name, krate)) in ACTORS.iter().enumerate() {
        actors.add_from_file(i as u32 + 1, name.to_string(), None, wasm_path(krate))?;
    }
    actors.finish()?;

    let mut host = fil_actor_bundler::Bundler::new(out_dir.join("sandbox-host.car"));
    for (i, (name, krate)) in HOST.iter().enumerate() {
        let mut code =
            std::fs::read(wasm_path(krate)).with_context(|| format!("reading {krate}"))?;
        if *krate == "actorlib_host_unmodelled" {
            append_custom_section(&mut code, "actorlib-builtin-type", name.as_bytes());
        }
        host.add_from_bytes(i as u32 + 1, name.to_string(), None, &code)?;
    }
    host.finish()?;

    // The generated table of every Wasm module, by name.
    let mut table = String::from("/// Every Wasm module built, by name: (name, crate, bytes).\n");
    table.push_str("pub const WASM_MODULES: &[(&str, &str, &[u8])] = &[\n");
    for (name, krate) in ACTORS.iter().chain(SANDBOX_EXTRAS) {
        table.push_str(&format!(
            "    ({name:?}, {krate:?}, include_bytes!({:?})),\n",
            wasm_path(krate).display().to_string()
        ));
    }
    table.push_str("];\n");
    std::fs::write(out_dir.join("modules.rs"), table)?;
    Ok(())
}

/// Makes sure the Wasm target is installed: rustup does not install a toolchain file's targets by
/// itself on every machine, and a fresh clone must build with nothing but rustup.
fn ensure_wasm_target() -> Result<()> {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let out = Command::new(&rustc).args(["--print", "sysroot"]).output()?;
    let sysroot = PathBuf::from(String::from_utf8(out.stdout)?.trim());
    if sysroot.join("lib/rustlib").join(WASM_TARGET).exists() {
        return Ok(());
    }
    println!("cargo:warning=installing the {WASM_TARGET} target with rustup");
    let status = Command::new("rustup")
        .args(["target", "add", WASM_TARGET])
        .status()
        .context("running rustup to install the wasm32-unknown-unknown target")?;
    if !status.success() {
        bail!("`rustup target add {WASM_TARGET}` failed; install the target and retry");
    }
    Ok(())
}

fn build_wasm(root: &Path, crates: &[&str]) -> Result<PathBuf> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let target_dir = root.join("target/wasm-actors");
    let mut cmd = Command::new(cargo);
    cmd.current_dir(root)
        .arg("build")
        .args(["--target", WASM_TARGET, "--profile", WASM_PROFILE, "--locked"])
        .arg("--target-dir")
        .arg(&target_dir);
    for c in crates {
        cmd.args(["-p", c]);
    }
    let features: Vec<String> = crates.iter().map(|c| format!("{c}/fil-actor")).collect();
    cmd.args(["--features", &features.join(",")]);
    // The outer build's settings must not leak into the Wasm build.
    for var in [
        "RUSTFLAGS",
        "CARGO_ENCODED_RUSTFLAGS",
        "CARGO_BUILD_RUSTFLAGS",
        "RUSTC_WRAPPER",
        "RUSTC_WORKSPACE_WRAPPER",
        "CARGO_TARGET_DIR",
        "CARGO_BUILD_TARGET",
        "CARGO_PRIMARY_PACKAGE",
        "CARGO_MAKEFLAGS",
        "MAKEFLAGS",
        "MFLAGS",
    ] {
        cmd.env_remove(var);
    }
    if let Ok(flags) = std::env::var("ACTORLIB_WASM_RUSTFLAGS") {
        cmd.env("RUSTFLAGS", flags);
    }
    let status = cmd.status().context("running cargo to build the actors' Wasm")?;
    if !status.success() {
        bail!("building actors for {WASM_TARGET} failed");
    }
    Ok(target_dir.join(WASM_TARGET).join(WASM_PROFILE))
}

/// Appends a Wasm custom section (id 0): it changes the module's bytes, and so its CID, without
/// changing what it does.
fn append_custom_section(module: &mut Vec<u8>, name: &str, payload: &[u8]) {
    let mut content = Vec::new();
    leb128(&mut content, name.len() as u64);
    content.extend_from_slice(name.as_bytes());
    content.extend_from_slice(payload);
    module.push(0);
    leb128(module, content.len() as u64);
    module.extend_from_slice(&content);
}

fn leb128(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}
