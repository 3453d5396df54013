//! Compiles every actor (and every sandbox host actor) to `wasm32-unknown-unknown` with the
//! `fil-actor` feature and the `wasm` profile, then writes two bundles with `fil_actor_bundler`:
//!
//! - `actorlib.car`: actorlib's deployable actors (a custom actor bundle);
//! - `sandbox-host.car`: the sandbox's stand-ins for Filecoin's builtin actors, in canonical
//!   manifest order (type IDs are manifest positions).
//!
//! The Wasm build runs nested `cargo build`s in `target/wasm-actors` under the workspace root, so it
//! is shared by every profile of the outer build and only what changed is rebuilt. One run builds
//! every crate but those another built crate depends on (an actor importing an actor's client):
//! features unify within a run, so such a crate built there with `fil-actor` would export its
//! `invoke` from its importers' modules too. Each of those gets a run of its own.
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
    ("example-token-vault", "actorlib_example_token_vault"),
    ("example-miner-beneficiary", "actorlib_example_miner_beneficiary"),
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
    let imported = imported_by_others(&root, &crates)?;
    let (alone, together): (Vec<&str>, Vec<&str>) =
        crates.iter().partition(|c| imported.iter().any(|i| i == *c));
    let wasm_dir = build_wasm(&root, &together)?;
    for krate in alone {
        build_wasm(&root, &[krate])?;
    }
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

/// The crates of `crates` that another of them depends on (as a normal dependency), from `cargo
/// metadata` (workspace manifests only: nothing is resolved or fetched).
fn imported_by_others(root: &Path, crates: &[&str]) -> Result<Vec<String>> {
    let mut cmd = nested_cargo(root);
    cmd.args(["metadata", "--format-version", "1", "--no-deps"]);
    let out = cmd.output().context("running cargo metadata")?;
    if !out.status.success() {
        bail!("cargo metadata failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    let mut imported = Vec::new();
    for package in meta["packages"].as_array().context("cargo metadata: no packages")? {
        if !crates.contains(&package["name"].as_str().unwrap_or_default()) {
            continue;
        }
        for dep in package["dependencies"].as_array().into_iter().flatten() {
            let name = dep["name"].as_str().unwrap_or_default();
            if dep["kind"].is_null()
                && crates.contains(&name)
                && !imported.iter().any(|i| i == name)
            {
                imported.push(name.to_string());
            }
        }
    }
    Ok(imported)
}

/// A `cargo` command in `root`, without the outer build's settings (which must not leak into the
/// Wasm build).
fn nested_cargo(root: &Path) -> Command {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(root);
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
    cmd
}

fn build_wasm(root: &Path, crates: &[&str]) -> Result<PathBuf> {
    let target_dir = root.join("target/wasm-actors");
    let mut cmd = nested_cargo(root);
    cmd.arg("build")
        .args(["--target", WASM_TARGET, "--profile", WASM_PROFILE, "--locked"])
        .arg("--target-dir")
        .arg(&target_dir);
    for c in crates {
        cmd.args(["-p", c]);
    }
    let features: Vec<String> = crates.iter().map(|c| format!("{c}/fil-actor")).collect();
    cmd.args(["--features", &features.join(",")]);
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
