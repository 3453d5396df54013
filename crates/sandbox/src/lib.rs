//! # actorlib_sandbox
//!
//! A Filecoin in a box: an embedded FVM 4 (`fvm` with `default-features = false`, booted through
//! `fvm_integration_tests`) whose builtin actors are actorlib's own Wasm stand-ins (see
//! `host-actors/`), speaking the real interfaces. Use it to deploy and exercise actors exactly as
//! they run on chain: every call executes the actor's Wasm.
//!
//! ```no_run
//! use actorlib_sandbox::Sandbox;
//! use fvm_shared::econ::TokenAmount;
//!
//! let mut sb = Sandbox::new()?;
//! let alice = sb.create_account(TokenAmount::from_whole(100))?;
//! let code = sb.install_actor(actorlib_bundle::wasm("example-counter").unwrap())?;
//! let counter = sb.deploy(&alice, code, &(alice.address, 0u64), TokenAmount::default())?;
//! let r = sb.send(&alice, counter.id_address, 2, &(), TokenAmount::default())?;
//! println!("exit {} gas {}", r.exit_code, r.gas_used);
//! # Ok::<(), actorlib_sandbox::SandboxError>(())
//! ```
//!
//! Conventions:
//! - Messages pay gas in units (reported in every [`Receipt`]) but no FIL: the gas fee cap is zero,
//!   so balances change only by the values sent and tests can assert them exactly.
//! - Time is the chain epoch; [`Sandbox::set_epoch`] rebuilds the machine at a later epoch. One Wasm
//!   engine serves every sandbox in a process, so code is compiled once.
//! - ID 100 is the sandbox's relay actor, which runs read-only queries ([`Sandbox::query`]).
#![deny(missing_docs)]

mod account;
mod error;
pub mod malformed;
mod receipt;
pub mod storage;

use std::collections::BTreeMap;
use std::rc::Rc;

use cid::Cid;
use fvm::call_manager::DefaultCallManager;
use fvm::engine::EnginePool;
use fvm::executor::{ApplyKind, DefaultExecutor, Executor};
use fvm::kernel::filecoin::DefaultFilecoinKernel;
use fvm::machine::{DefaultMachine, Machine, NetworkConfig};
use fvm::state_tree::{ActorState, StateTree};
use fvm_integration_tests::dummy::DummyExterns;
use fvm_integration_tests::tester::Tester;
use fvm_ipld_blockstore::{Block, Blockstore, MemoryBlockstore};
use fvm_ipld_encoding::{CborStore, RawBytes};
use fvm_shared::address::Address;
use fvm_shared::clock::ChainEpoch;
use fvm_shared::econ::TokenAmount;
use fvm_shared::error::ExitCode;
use fvm_shared::message::Message;
use fvm_shared::state::StateTreeVersion;
use fvm_shared::version::NetworkVersion;
use fvm_shared::{ActorID, MethodNum, IPLD_RAW};
use k256::ecdsa::SigningKey;
use rand::SeedableRng;
use serde::de::DeserializeOwned;
use serde::Serialize;

pub use account::{key_address, Account};
pub use actorlib_host_init::ExecReturn;
pub use error::{Result, SandboxError};
pub use receipt::{GasCharges, Receipt};

use error::{enc_err, state_err};

/// The blockstore every sandbox state lives in (shared, so code can be installed at any time).
pub type Store = Rc<MemoryBlockstore>;

type SandboxExecutor =
    DefaultExecutor<DefaultFilecoinKernel<DefaultCallManager<DefaultMachine<Store, DummyExterns>>>>;

/// The network version the sandbox runs (the oldest FVM 4 supports: NV21).
pub const NETWORK_VERSION: NetworkVersion = NetworkVersion::V21;
/// The base fee recorded in every machine (no FIL is charged: fee caps are zero).
pub const BASE_FEE: u64 = 100;
/// The gas limit of every message (a block's limit).
pub const GAS_LIMIT: u64 = 10_000_000_000;
/// FIL the reward actor holds at genesis (the mining reserve block rewards are paid from).
pub const REWARD_RESERVE_FIL: i64 = 1_000_000_000;
/// The relay actor's ID (deployed at boot).
pub const RELAY_ACTOR_ID: ActorID = 100;

/// The storage market stand-in's interface (method numbers, params, returns, exit codes).
pub use actorlib_host_market::types as market;
/// The storage miner stand-in's interface.
pub use actorlib_host_miner::types as miner;
/// The storage power stand-in's interface (method numbers, params, returns, policy constants).
pub use actorlib_host_power::types as power;
/// Builtin actor IDs and types, re-exported from the kit.
pub use actorlib_kit::builtin;

/// An embedded FVM with actorlib's builtin stand-ins.
pub struct Sandbox {
    store: Store,
    engine: EnginePool,
    network: NetworkConfig,
    executor: Option<SandboxExecutor>,
    epoch: ChainEpoch,
    builtin_codes: BTreeMap<String, Cid>,
    next_key_seed: u64,
    trace_gas: bool,
}

impl Sandbox {
    /// Boots a sandbox at epoch 0: system (f00), init (f01), the EAM (f010), the burnt funds account
    /// (f099) and the relay (f0100).
    pub fn new() -> Result<Self> {
        let store: Store = Rc::new(MemoryBlockstore::new());
        let manifest = actorlib_bundle::load(&store, actorlib_bundle::HOST_CAR)
            .map_err(|e| SandboxError::Boot(format!("loading host bundle: {e:#}")))?;
        let builtin_codes = actorlib_bundle::read_manifest(&store, &manifest)
            .map_err(|e| SandboxError::Boot(format!("reading host manifest: {e:#}")))?
            .into_iter()
            .collect();
        // The genesis tree (system, init, EAM, burnt funds) comes from fvm_integration_tests.
        let mut tester: Tester<Store, DummyExterns> =
            Tester::new(NETWORK_VERSION, StateTreeVersion::V5, manifest, store.clone())
                .map_err(|e| SandboxError::Boot(format!("genesis: {e:#}")))?;
        let mut tree =
            tester.state_tree.take().ok_or_else(|| SandboxError::Boot("no genesis tree".into()))?;
        let root =
            tree.flush().map_err(|e| SandboxError::Boot(format!("flushing genesis: {e}")))?;

        let mut network = NetworkConfig::new(NETWORK_VERSION);
        network.override_actors(manifest);
        network.enable_actor_debugging();
        let engine = shared_engine(&network)?;

        let mut sb = Self {
            store,
            engine,
            network,
            executor: None,
            epoch: 0,
            builtin_codes,
            next_key_seed: 0,
            trace_gas: false,
        };
        sb.start_machine(root)?;
        sb.install_singletons()?;
        sb.deploy_relay()?;
        Ok(sb)
    }

    fn start_machine(&mut self, root: Cid) -> Result<()> {
        let mut mc = self.network.for_epoch(self.epoch, self.epoch as u64 * 30, root);
        mc.set_base_fee(TokenAmount::from_atto(BASE_FEE));
        if self.trace_gas {
            mc.enable_tracing();
        }
        let machine = DefaultMachine::new(&mc, self.store.clone(), DummyExterns)
            .map_err(|e| SandboxError::Boot(format!("machine: {e:#}")))?;
        let executor = SandboxExecutor::new(self.engine.clone(), machine)
            .map_err(|e| SandboxError::Boot(format!("executor: {e:#}")))?;
        self.executor = Some(executor);
        Ok(())
    }

    fn exec(&self) -> Result<&SandboxExecutor> {
        self.executor.as_ref().ok_or_else(|| SandboxError::Fatal("no machine".into()))
    }

    fn exec_mut(&mut self) -> Result<&mut SandboxExecutor> {
        self.executor.as_mut().ok_or_else(|| SandboxError::Fatal("no machine".into()))
    }

    /// Creates the reward (f02), power (f04) and storage market (f05) actors and runs their
    /// constructors from the system actor, as genesis does on a real network.
    fn install_singletons(&mut self) -> Result<()> {
        let singletons = [
            (builtin::REWARD_ACTOR_ID, "reward", TokenAmount::from_whole(REWARD_RESERVE_FIL)),
            (builtin::STORAGE_POWER_ACTOR_ID, "storagepower", TokenAmount::default()),
            (builtin::STORAGE_MARKET_ACTOR_ID, "storagemarket", TokenAmount::default()),
        ];
        for (id, name, balance) in singletons {
            let code = self.builtin_code(name)?;
            let tree = self.exec_mut()?.state_tree_mut();
            let empty = tree
                .store()
                .put_cbor(&(), multihash_codetable::Code::Blake2b256)
                .map_err(state_err)?;
            tree.set_actor(id, ActorState::new(code, empty, balance, 0, None));
            let r = self.apply_implicit(
                builtin::SYSTEM_ACTOR_ID,
                Address::new_id(id),
                fvm_shared::METHOD_CONSTRUCTOR,
                &(),
            )?;
            r.ok().map_err(|e| SandboxError::Boot(format!("constructing {name}: {e}")))?;
        }
        Ok(())
    }

    fn deploy_relay(&mut self) -> Result<()> {
        let wasm = actorlib_bundle::wasm("sandbox-relay")
            .ok_or_else(|| SandboxError::Boot("relay module missing from bundle".into()))?;
        let code = self.install_actor(wasm)?;
        let params = actorlib_host_init::ExecParams {
            code_cid: code,
            constructor_params: RawBytes::default(),
        };
        let r = self.apply_implicit(
            builtin::SYSTEM_ACTOR_ID,
            Address::new_id(builtin::INIT_ACTOR_ID),
            actorlib_host_init::Method::Exec as u64,
            &params,
        )?;
        let ret: ExecReturn =
            r.ret().map_err(|e| SandboxError::Boot(format!("deploying relay: {e}")))?;
        if ret.id_address != Address::new_id(RELAY_ACTOR_ID) {
            return Err(SandboxError::Boot(format!("relay deployed at {}", ret.id_address)));
        }
        Ok(())
    }

    /// The current epoch.
    pub fn epoch(&self) -> ChainEpoch {
        self.epoch
    }

    /// Moves the chain to `epoch` (which must not be in the past): flushes state, rebuilds the
    /// machine with the same Wasm engine, and runs the market's cron work at the new epoch (deals
    /// that ended complete, deals never activated by their start expire), as the chain's cron would.
    pub fn set_epoch(&mut self, epoch: ChainEpoch) -> Result<()> {
        if epoch < self.epoch {
            return Err(SandboxError::State(format!("epoch {epoch} is before {}", self.epoch)));
        }
        let root = self.state_root()?;
        self.executor = None;
        self.epoch = epoch;
        self.start_machine(root)?;
        self.market_cron()?.ok()?;
        Ok(())
    }

    /// Turns the FVM's execution tracing on or off for the messages that follow: with it on, every
    /// [`Receipt::gas_charges`] lists what the gas was spent on (block reads and writes, Wasm
    /// execution, sends, events…). Gas used is the same either way.
    pub fn trace_gas(&mut self, on: bool) -> Result<()> {
        if self.trace_gas != on {
            let root = self.state_root()?;
            self.executor = None;
            self.trace_gas = on;
            self.start_machine(root)?;
        }
        Ok(())
    }

    /// Advances the chain by `epochs`.
    pub fn advance_epochs(&mut self, epochs: ChainEpoch) -> Result<()> {
        self.set_epoch(self.epoch + epochs)
    }

    /// Flushes the state tree and returns its root: equal roots mean equal state.
    pub fn state_root(&mut self) -> Result<Cid> {
        self.exec_mut()?.flush().map_err(state_err)
    }

    /// The code CIDs of the builtin stand-ins, by manifest name.
    pub fn builtin_codes(&self) -> &BTreeMap<String, Cid> {
        &self.builtin_codes
    }

    /// Stores Wasm code so that actors can be deployed with it; returns its code CID (CIDv1, raw,
    /// Blake2b-256: the same CID a bundle gives it). Installing the same code twice is harmless.
    pub fn install_actor(&mut self, wasm: &[u8]) -> Result<Cid> {
        let cid = self
            .store
            .put(multihash_codetable::Code::Blake2b256, &Block { codec: IPLD_RAW, data: wasm })
            .map_err(state_err)?;
        self.engine
            .acquire()
            .preload(&cid, &self.store)
            .map_err(|e| SandboxError::Boot(format!("compiling {cid}: {e:#}")))?;
        Ok(cid)
    }

    /// Installs every actor of a bundle (CAR bytes); returns the `(name, code CID)` table.
    pub fn install_bundle(&mut self, car: &[u8]) -> Result<Vec<(String, Cid)>> {
        let root = actorlib_bundle::load(&self.store, car)
            .map_err(|e| SandboxError::Encoding(format!("{e:#}")))?;
        let table = actorlib_bundle::read_manifest(&self.store, &root)
            .map_err(|e| SandboxError::Encoding(format!("{e:#}")))?;
        for (_, cid) in &table {
            self.engine
                .acquire()
                .preload(cid, &self.store)
                .map_err(|e| SandboxError::Boot(format!("compiling {cid}: {e:#}")))?;
        }
        Ok(table)
    }

    /// Creates an f1 account with a fresh secp256k1 key (deterministic per sandbox) and `balance`.
    pub fn create_account(&mut self, balance: TokenAmount) -> Result<Account> {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0xac70_0000 + self.next_key_seed);
        self.next_key_seed += 1;
        let key = SigningKey::random(&mut rng);
        self.create_account_with_key(key, balance)
    }

    /// Creates an f1 account for a given key.
    pub fn create_account_with_key(
        &mut self,
        key: SigningKey,
        balance: TokenAmount,
    ) -> Result<Account> {
        let address = key_address(&key);
        let code = self.builtin_code("account")?;
        let tree = self.exec_mut()?.state_tree_mut();
        if tree.lookup_id(&address).map_err(state_err)?.is_some() {
            return Err(SandboxError::State(format!("{address} already exists")));
        }
        let id = tree.register_new_address(&address).map_err(state_err)?;
        let state = tree
            .store()
            .put_cbor(
                &actorlib_host_account::State { address },
                multihash_codetable::Code::Blake2b256,
            )
            .map_err(state_err)?;
        tree.set_actor(id, ActorState::new(code, state, balance, 0, None));
        Ok(Account::new(id, key))
    }

    /// The code CID of a builtin stand-in by manifest name (`"account"`, `"init"`, ...).
    pub fn builtin_code(&self, name: &str) -> Result<Cid> {
        self.builtin_codes
            .get(name)
            .copied()
            .ok_or_else(|| SandboxError::NotFound(format!("builtin {name}")))
    }

    /// Deploys an actor through init's `Exec`, sent by `from` with `value`; the constructor gets
    /// `params`. Returns the new actor's addresses, or the constructor's exit code as an error.
    pub fn deploy<P: Serialize + ?Sized>(
        &mut self,
        from: &Account,
        code: Cid,
        params: &P,
        value: TokenAmount,
    ) -> Result<ExecReturn> {
        let r = self.deploy_receipt(from, code, params, value)?;
        r.ret()
    }

    /// Like [`Sandbox::deploy`], returning the receipt whatever the outcome.
    pub fn deploy_receipt<P: Serialize + ?Sized>(
        &mut self,
        from: &Account,
        code: Cid,
        params: &P,
        value: TokenAmount,
    ) -> Result<Receipt> {
        let constructor_params = RawBytes::new(cbor_or_empty(params)?);
        let exec = actorlib_host_init::ExecParams { code_cid: code, constructor_params };
        self.send(
            from,
            Address::new_id(builtin::INIT_ACTOR_ID),
            actorlib_host_init::Method::Exec as u64,
            &exec,
            value,
        )
    }

    /// Sends a message from an account; `params` is CBOR-encoded (`()` for none).
    pub fn send<P: Serialize + ?Sized>(
        &mut self,
        from: &Account,
        to: Address,
        method: MethodNum,
        params: &P,
        value: TokenAmount,
    ) -> Result<Receipt> {
        let params = RawBytes::new(cbor_or_empty(params)?);
        self.send_raw(from.id, to, method, params, value)
    }

    /// Sends a message with raw CBOR parameters (for malformed-input tests).
    pub fn send_raw(
        &mut self,
        from: ActorID,
        to: Address,
        method: MethodNum,
        params: RawBytes,
        value: TokenAmount,
    ) -> Result<Receipt> {
        let sequence = self
            .actor(from)?
            .ok_or_else(|| SandboxError::NotFound(format!("sender f0{from}")))?
            .sequence;
        let msg = Message {
            version: 0,
            from: Address::new_id(from),
            to,
            sequence,
            value,
            method_num: method,
            params,
            gas_limit: GAS_LIMIT,
            gas_fee_cap: TokenAmount::default(),
            gas_premium: TokenAmount::default(),
        };
        let len = fvm_ipld_encoding::to_vec(&msg).map_err(enc_err)?.len();
        let ret = self
            .exec_mut()?
            .execute_message(msg, ApplyKind::Explicit, len)
            .map_err(|e| SandboxError::Fatal(format!("{e:#}")))?;
        Ok(to_receipt(ret))
    }

    /// Applies an implicit message (no sender checks, no nonce, no inclusion gas), as the chain does
    /// for cron and rewards. `from` is usually the system actor.
    pub fn apply_implicit<P: Serialize + ?Sized>(
        &mut self,
        from: ActorID,
        to: Address,
        method: MethodNum,
        params: &P,
    ) -> Result<Receipt> {
        let msg = Message {
            version: 0,
            from: Address::new_id(from),
            to,
            sequence: 0,
            value: TokenAmount::default(),
            method_num: method,
            params: RawBytes::new(cbor_or_empty(params)?),
            gas_limit: GAS_LIMIT,
            gas_fee_cap: TokenAmount::default(),
            gas_premium: TokenAmount::default(),
        };
        let ret = self
            .exec_mut()?
            .execute_message(msg, ApplyKind::Implicit, 0)
            .map_err(|e| SandboxError::Fatal(format!("{e:#}")))?;
        Ok(to_receipt(ret))
    }

    /// Calls `to` read-only, as another actor querying it would: the callee cannot change state,
    /// emit events or send value (such attempts fail inside the callee with `USR_READ_ONLY` or a
    /// syscall error). The receipt carries the callee's exit code and return; `gas_used` is the
    /// whole message's (including the relay's small overhead).
    ///
    /// The caller is the relay, a user actor: builtin stand-ins refuse it their legacy method
    /// numbers (below 2^24) with `USR_FORBIDDEN`, as real builtin actors refuse user actors (see
    /// the README's "Legacy method numbers"). Query exported numbers; for a legacy-only method
    /// (power's `CurrentTotalPower`, say) [`Sandbox::send`] it from an account.
    pub fn query<P: Serialize + ?Sized>(
        &mut self,
        from: &Account,
        to: Address,
        method: MethodNum,
        params: &P,
    ) -> Result<Receipt> {
        let forward = actorlib_host_relay::ForwardParams {
            to,
            method,
            params: RawBytes::new(cbor_or_empty(params)?),
            value: TokenAmount::default(),
            read_only: true,
        };
        let r = self.send(
            from,
            Address::new_id(RELAY_ACTOR_ID),
            actorlib_host_relay::Method::Forward as u64,
            &forward,
            TokenAmount::default(),
        )?;
        let fwd: actorlib_host_relay::ForwardReturn = r.ret()?;
        Ok(Receipt {
            exit_code: ExitCode::new(fwd.exit_code),
            return_data: fwd.return_data,
            gas_used: r.gas_used,
            events: r.events,
            failure_info: None,
            gas_charges: r.gas_charges,
        })
    }

    /// Resolves an address to an actor ID.
    pub fn resolve(&self, address: &Address) -> Result<Option<ActorID>> {
        self.exec()?.state_tree().lookup_id(address).map_err(state_err)
    }

    /// An actor's header (code, state root, nonce, balance, f4 address).
    pub fn actor(&self, id: ActorID) -> Result<Option<ActorState>> {
        self.exec()?.state_tree().get_actor(id).map_err(state_err)
    }

    /// An actor's balance (zero if it does not exist).
    pub fn balance(&self, id: ActorID) -> Result<TokenAmount> {
        Ok(self.actor(id)?.map(|a| a.balance).unwrap_or_default())
    }

    /// Decodes an actor's state object.
    pub fn state<S: DeserializeOwned>(&self, id: ActorID) -> Result<S> {
        let actor =
            self.actor(id)?.ok_or_else(|| SandboxError::NotFound(format!("actor f0{id}")))?;
        self.get_cbor(&actor.state)
    }

    /// Decodes any block of the state.
    pub fn get_cbor<T: DeserializeOwned>(&self, cid: &Cid) -> Result<T> {
        self.exec()?
            .blockstore()
            .get_cbor(cid)
            .map_err(enc_err)?
            .ok_or_else(|| SandboxError::NotFound(format!("block {cid}")))
    }

    /// The blockstore as the machine sees it (including blocks written by the last messages).
    pub fn blockstore(&self) -> Result<&impl Blockstore> {
        Ok(self.exec()?.blockstore())
    }

    /// The sandbox's base blockstore: blocks written here are visible to every machine. With
    /// [`Sandbox::set_state_root`], benches and tests use it to seed large states natively (for
    /// example 100,000 token holders) instead of sending one message per entry.
    pub fn base_store(&self) -> Store {
        self.store.clone()
    }

    /// Replaces an actor's state root (the blocks must be in [`Sandbox::base_store`]). Seeding only:
    /// nothing checks that the new state is valid for the actor's code.
    pub fn set_state_root(&mut self, id: ActorID, root: Cid) -> Result<()> {
        let tree = self.exec_mut()?.state_tree_mut();
        let mut actor = tree
            .get_actor(id)
            .map_err(state_err)?
            .ok_or_else(|| SandboxError::NotFound(format!("actor f0{id}")))?;
        actor.state = root;
        tree.set_actor(id, actor);
        Ok(())
    }

    /// The state tree.
    pub fn state_tree(&self) -> Result<&StateTree<impl Blockstore>> {
        Ok(self.exec()?.state_tree())
    }
}

/// How many machines may execute at once in one process (tests run sandboxes in parallel).
const ENGINE_CONCURRENCY: u32 = 8;

/// One Wasm engine per process: it caches compiled modules by code CID, so every sandbox after the
/// first starts without compiling the host actors again. Every sandbox uses the same network
/// configuration, so one engine configuration fits all.
fn shared_engine(network: &NetworkConfig) -> Result<EnginePool> {
    static ENGINE: std::sync::OnceLock<EnginePool> = std::sync::OnceLock::new();
    if let Some(engine) = ENGINE.get() {
        return Ok(engine.clone());
    }
    let mut config: fvm::engine::EngineConfig = network.into();
    config.concurrency = ENGINE_CONCURRENCY;
    let engine =
        EnginePool::new(config).map_err(|e| SandboxError::Boot(format!("engine: {e:#}")))?;
    Ok(ENGINE.get_or_init(|| engine).clone())
}

fn cbor_or_empty<P: Serialize + ?Sized>(params: &P) -> Result<Vec<u8>> {
    let bytes = fvm_ipld_encoding::to_vec(params).map_err(enc_err)?;
    Ok(if bytes == [0xf6] { Vec::new() } else { bytes })
}

fn to_receipt(ret: fvm::executor::ApplyRet) -> Receipt {
    let charges = ret.exec_trace.into_iter().filter_map(|e| match e {
        fvm::trace::ExecutionEvent::GasCharge(c) => Some(c),
        _ => None,
    });
    Receipt {
        exit_code: ret.msg_receipt.exit_code,
        return_data: ret.msg_receipt.return_data,
        gas_used: ret.msg_receipt.gas_used,
        events: ret.events,
        failure_info: ret.failure_info.map(|f| f.to_string()),
        gas_charges: GasCharges::from_trace(charges),
    }
}
