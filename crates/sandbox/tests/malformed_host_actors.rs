//! Every method of the builtin stand-ins that an account can send, run as Wasm, given malformed
//! variants of valid parameters (`actorlib_sandbox::malformed`): the storage market (f05), a storage
//! miner, storage power (f04), an account, init (f01), reward (f02), the EAM (f010) and the system
//! actor (f00). That includes the constructors and the sandbox-only methods (1000+), which no
//! account may pass: their variants fail with USR_SERIALIZATION or, once decoded, USR_FORBIDDEN, as
//! the real actors' caller checks do.
//!
//! Each call ends with a user exit code, never a trap, a panic or running out of gas; a failed call
//! changes neither the callee's state nor the sender's balance and emits nothing; a getter changes
//! nothing even when it succeeds; after every success the callee's state decodes and its invariants
//! hold. The valid encodings name real accounts (by ID, key and robust address), a miner with a
//! control address, a beneficiary, pledge, fee debt, vesting funds and power, and deals published,
//! active and terminated, for an account client and an actor client; senders are the miner's owner,
//! worker and control address, the beneficiary, the client and an unrelated account. So variants
//! that still decode reach the actors' own checks and their calls to each other, and some succeed.
//!
//! Known gap: init `Exec`s any code that is not a builtin type (devnet-style), also code that was
//! never installed, which the FVM then fails fatally; variants naming such code are not sent (see
//! `init_exec_of_code_never_installed_fails_cleanly`, ignored).
use std::collections::BTreeMap;

use actorlib_example_deal_client::Answer;
use actorlib_host_account::AuthenticateMessageParams;
use actorlib_host_init::{ConstructorParams as InitConstructorParams, ExecParams};
use actorlib_host_market::State as MarketState;
use actorlib_host_miner::state::State as MinerState;
use actorlib_host_power::State as PowerState;
use actorlib_host_reward::AwardBlockRewardParams;
use actorlib_kit::method_hash;
use actorlib_sandbox::builtin::{
    INIT_ACTOR_ID, REWARD_ACTOR_ID, STORAGE_MARKET_ACTOR_ID, STORAGE_POWER_ACTOR_ID,
    SYSTEM_ACTOR_ID,
};
use actorlib_sandbox::malformed::{is_clean_exit, Mutator};
use actorlib_sandbox::market::{
    ClientDealProposal, DealID, DealProposal, Label, Method as MarketMethod,
    PublishStorageDealsParams, PublishStorageDealsReturn, SandboxActivateDealsParams,
    SandboxTerminateDealsParams, WithdrawBalanceParams as EscrowWithdrawParams,
};
use actorlib_sandbox::miner::{
    ApplyRewardParams, ChangeBeneficiaryParams, ChangeMultiaddrsParams, ChangePeerIDParams,
    ChangeWorkerAddressParams, ConstructorParams as MinerConstructorParams, Method as MinerMethod,
    SandboxAddVestingFundsParams, SandboxAmountParams, WithdrawBalanceParams,
};
use actorlib_sandbox::power::{
    CreateMinerParams, Method as PowerMethod, MinerRawPowerParams, SandboxSetMinerPowerParams,
};
use actorlib_sandbox::storage::{deal_proposal, piece_cid, DealClient, Miner};
use actorlib_sandbox::{Account, Sandbox};
use cid::Cid;
use fvm_ipld_encoding::{to_vec, BytesDe, BytesSer, RawBytes};
use fvm_shared::address::Address;
use fvm_shared::crypto::signature::{Signature, SignatureType};
use fvm_shared::econ::TokenAmount;
use fvm_shared::error::ExitCode;
use fvm_shared::sector::{RegisteredPoStProof, StoragePower};
use fvm_shared::{ActorID, MethodNum};
use serde::Serialize;

/// Variants per case: 80 cases × 250 ≈ 20,000 calls, about 4 s of Wasm.
const ROUNDS: usize = 250;

const MARKET: ActorID = STORAGE_MARKET_ACTOR_ID;
const POWER: ActorID = STORAGE_POWER_ACTOR_ID;
const EAM: ActorID = 10;
const INIT_EXEC: MethodNum = 2;
const TIB: i64 = 1 << 40;
/// Deals start here; the chain stays at epoch 0.
const START: i64 = 100;

/// What an account's call of a method may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// May succeed and change the callee's state.
    Write,
    /// A getter: may succeed, never changes the callee's state or emits anything.
    Read,
    /// Never succeeds for an account; fails with one of these codes only.
    Refused(&'static [ExitCode]),
}

/// A method reserved for another caller (a constructor, a sandbox-only method, a call only the
/// reward or system actor makes): parameters are decoded first, then the caller is checked.
const CALLER_ONLY: Kind = Kind::Refused(&[ExitCode::USR_SERIALIZATION, ExitCode::USR_FORBIDDEN]);

/// A method call with valid parameters, to be mutated.
struct Case {
    name: String,
    to: ActorID,
    method: MethodNum,
    /// The sender on two rounds of three; on the third, the senders take turns.
    from: ActorID,
    params: Vec<u8>,
    value: TokenAmount,
    kind: Kind,
}

impl Case {
    fn new(name: String, to: ActorID, method: MethodNum, from: &Account, params: Vec<u8>) -> Self {
        Case {
            name,
            to,
            method,
            from: from.id,
            params,
            value: TokenAmount::default(),
            kind: Kind::Write,
        }
    }

    fn kind(self, kind: Kind) -> Self {
        Case { kind, ..self }
    }

    fn value(self, value: TokenAmount) -> Self {
        Case { value, ..self }
    }
}

/// CBOR of `params`, with `()` as no bytes at all (as the sandbox sends it).
fn cbor<P: Serialize + ?Sized>(params: &P) -> Vec<u8> {
    let bytes = to_vec(params).unwrap();
    if bytes == [0xf6] {
        vec![]
    } else {
        bytes
    }
}

fn fil(n: i64) -> TokenAmount {
    TokenAmount::from_whole(n)
}

fn atto(n: i64) -> TokenAmount {
    TokenAmount::from_atto(n)
}

/// A sandbox with state for the variants to reach.
struct World {
    sb: Sandbox,
    client: Account,
    owner: Account,
    worker: Account,
    control: Account,
    /// The miner's beneficiary (with a quota), and the owner it is offered.
    nominee: Account,
    stranger: Account,
    miner: Miner,
    /// An actor deal client (`example-deal-client`) that approves every proposal: its robust
    /// address and ID.
    dao: Address,
    dao_id: ActorID,
    /// Deals: active, published only, terminated.
    deals: [DealID; 3],
    /// The `valid_deals` bitfield of a publication, as CBOR.
    bitfield: Vec<u8>,
    /// Every code the sandbox has: the builtin stand-ins' and the installed deal client's.
    codes: Vec<Cid>,
}

/// A cheap proposal (1 atto price and collaterals) from `client` to the miner.
fn proposal(client: Address, miner: &Miner, seed: &str) -> DealProposal {
    let mut p = deal_proposal(piece_cid(seed.as_bytes()), client, miner.id_address(), START);
    p.storage_price_per_epoch = atto(1);
    p.provider_collateral = atto(1);
    p.client_collateral = atto(1);
    p.label = Label::String(seed.into());
    p
}

fn beneficiary(nominee: &Account) -> ChangeBeneficiaryParams {
    ChangeBeneficiaryParams {
        new_beneficiary: nominee.id_address(),
        new_quota: fil(20),
        new_expiration: 100_000,
    }
}

/// An implicit message from the system actor, which must succeed.
fn as_system(sb: &mut Sandbox, to: ActorID, method: MethodNum, params: &impl Serialize) {
    sb.apply_implicit(SYSTEM_ACTOR_ID, Address::new_id(to), method, params).unwrap().ok().unwrap();
}

fn world() -> World {
    let mut sb = Sandbox::new().unwrap();
    let client = sb.create_account(fil(1_000)).unwrap();
    let owner = sb.create_account(fil(1_000)).unwrap();
    let worker = sb.create_account(fil(10)).unwrap();
    let control = sb.create_account(fil(10)).unwrap();
    let nominee = sb.create_account(fil(10)).unwrap();
    let stranger = sb.create_account(fil(1_000)).unwrap();
    let miner = sb.create_miner(&owner, &worker).unwrap();
    let (to_miner, zero) = (miner.id_address(), TokenAmount::default);

    // A control address.
    let workers = ChangeWorkerAddressParams {
        new_worker: worker.id_address(),
        new_control_addresses: vec![control.id_address()],
    };
    let change_worker = MinerMethod::ChangeWorkerAddress as u64;
    sb.send(&owner, to_miner, change_worker, &workers, zero()).unwrap().ok().unwrap();

    // An actor client, and escrow for both clients and the miner.
    let code = sb.install_actor(actorlib_bundle::wasm("example-deal-client").unwrap()).unwrap();
    let dao = sb.deploy(&client, code, &Answer::Approve, zero()).unwrap();
    let dao_id = dao.id_address.id().unwrap();
    let codes = sb.builtin_codes().values().copied().chain([code]).collect();
    sb.add_market_balance(&client, client.id_address(), fil(100)).unwrap().ok().unwrap();
    sb.add_market_balance(&client, dao.id_address, fil(100)).unwrap().ok().unwrap();
    sb.add_market_balance(&owner, to_miner, fil(100)).unwrap().ok().unwrap();

    // Deals: two published together (the first then activated), one activated and terminated.
    let c = client.id_address();
    let batch = vec![
        (proposal(c, &miner, "active"), DealClient::Account(&client)),
        (proposal(dao.robust_address, &miner, "published"), DealClient::Actor),
    ];
    let published: PublishStorageDealsReturn =
        sb.publish_deals(&worker, batch).unwrap().ret().unwrap();
    let bitfield = to_vec(&published.valid_deals).unwrap();
    let (active, pending) = (published.ids[0], published.ids[1]);
    let terminated = proposal(c, &miner, "terminated");
    let terminated = sb.publish_deal(&worker, terminated, DealClient::Account(&client)).unwrap();
    sb.activate_deals(&[active, terminated], 1).unwrap().ok().unwrap();
    sb.terminate_deals(&[terminated]).unwrap().ok().unwrap();

    // The miner's money (rewards, pledge, fee debt, vesting funds) and power.
    sb.award_block_reward(miner.id, fil(50)).unwrap().ok().unwrap();
    let amount = |n| SandboxAmountParams { amount: fil(n) };
    as_system(&mut sb, miner.id, MinerMethod::SandboxLockFunds as u64, &amount(2));
    as_system(&mut sb, miner.id, MinerMethod::SandboxAddFeeDebt as u64, &amount(1));
    let vesting = SandboxAddVestingFundsParams { amount: fil(5), vest_epoch: 5_000 };
    as_system(&mut sb, miner.id, MinerMethod::SandboxAddVestingFunds as u64, &vesting);
    let tib = StoragePower::from(TIB);
    sb.set_miner_power(miner.id, tib.clone(), tib).unwrap().ok().unwrap();

    // A beneficiary with a quota: proposed by the owner, approved by the nominee.
    let change = MinerMethod::ChangeBeneficiary as u64;
    sb.send(&owner, to_miner, change, &beneficiary(&nominee), zero()).unwrap().ok().unwrap();
    sb.send(&nominee, to_miner, change, &beneficiary(&nominee), zero()).unwrap().ok().unwrap();
    let st: MinerState = sb.state(miner.id).unwrap();
    assert_eq!(st.info.beneficiary, nominee.id_address());

    World {
        sb,
        client,
        owner,
        worker,
        control,
        nominee,
        stranger,
        miner,
        dao: dao.robust_address,
        dao_id,
        deals: [active, pending, terminated],
        bitfield,
        codes,
    }
}

/// The market's methods: escrow, publication (an account client named by key address, an actor
/// client by robust and ID address), every getter, the unmodelled `SettleDealPayments`, and the
/// constructor and sandbox-only methods.
fn market_cases(w: &World) -> Vec<Case> {
    use MarketMethod as M;
    let (client, owner, worker, stranger) = (&w.client, &w.owner, &w.worker, &w.stranger);
    let m = |method: M, from: &Account, params: Vec<u8>| {
        Case::new(format!("market {method:?}"), MARKET, method as u64, from, params)
    };
    let signed = |p: DealProposal| {
        let client_signature = client.sign(&to_vec(&p).unwrap());
        ClientDealProposal { proposal: p, client_signature }
    };
    let by_actor = |p: DealProposal| ClientDealProposal {
        proposal: p,
        client_signature: Signature { sig_type: SignatureType::Secp256k1, bytes: vec![] },
    };
    let account_deals =
        PublishStorageDealsParams { deals: vec![signed(proposal(client.address, &w.miner, "a"))] };
    let actor_deals = PublishStorageDealsParams {
        deals: vec![
            by_actor(proposal(w.dao, &w.miner, "b")),
            by_actor(proposal(Address::new_id(w.dao_id), &w.miner, "c")),
        ],
    };
    let withdraw = |who| EscrowWithdrawParams { provider_or_client: who, amount: fil(1) };
    let mut cases = vec![
        m(M::Constructor, stranger, cbor(&())).kind(CALLER_ONLY),
        m(M::AddBalance, owner, cbor(&w.miner.id_address())).value(atto(1)),
        m(M::AddBalanceExported, client, cbor(&client.address)).value(atto(1)),
        m(M::WithdrawBalance, owner, cbor(&withdraw(w.miner.id_address()))),
        m(M::WithdrawBalanceExported, client, cbor(&withdraw(client.address))),
        m(M::PublishStorageDeals, worker, cbor(&account_deals)),
        m(M::PublishStorageDealsExported, worker, cbor(&actor_deals)),
        m(M::GetBalanceExported, stranger, cbor(&w.dao)).kind(Kind::Read),
    ];
    let getters = [
        M::GetDealDataCommitmentExported,
        M::GetDealClientExported,
        M::GetDealProviderExported,
        M::GetDealLabelExported,
        M::GetDealTermExported,
        M::GetDealTotalPriceExported,
        M::GetDealClientCollateralExported,
        M::GetDealProviderCollateralExported,
        M::GetDealVerifiedExported,
        M::GetDealActivationExported,
        M::GetDealSectorExported,
    ];
    for (i, g) in getters.into_iter().enumerate() {
        cases.push(m(g, stranger, cbor(&w.deals[i % w.deals.len()])).kind(Kind::Read));
    }
    let settle = method_hash!("SettleDealPayments");
    let name = "market SettleDealPayments (not modelled)".to_string();
    let unhandled = Kind::Refused(&[ExitCode::USR_UNHANDLED_MESSAGE]);
    cases.push(Case::new(name, MARKET, settle, worker, w.bitfield.clone()).kind(unhandled));
    let activate = SandboxActivateDealsParams { deal_ids: w.deals[..2].to_vec(), sector_number: 7 };
    let terminate = SandboxTerminateDealsParams { deal_ids: vec![w.deals[0]] };
    cases.push(m(M::SandboxActivateDeals, worker, cbor(&activate)).kind(CALLER_ONLY));
    cases.push(m(M::SandboxTerminateDeals, worker, cbor(&terminate)).kind(CALLER_ONLY));
    cases.push(m(M::SandboxCronTick, owner, cbor(&())).kind(CALLER_ONLY));
    cases
}

/// The miner's methods on their legacy and exported numbers: worker, owner and beneficiary changes
/// proposed and confirmed, withdrawals by the owner and the beneficiary, debt repayment, peer
/// info, every getter, and the constructor, `ApplyRewards` and the sandbox-only methods.
fn miner_cases(w: &World) -> Vec<Case> {
    use MinerMethod as M;
    let (owner, worker, control, nominee, stranger) =
        (&w.owner, &w.worker, &w.control, &w.nominee, &w.stranger);
    let to = w.miner.id;
    let m = |method: M, from: &Account, params: Vec<u8>| {
        Case::new(format!("miner {method:?}"), to, method as u64, from, params)
    };
    let ctor = MinerConstructorParams {
        owner: owner.id_address(),
        worker: worker.id_address(),
        control_addresses: vec![control.id_address()],
        sector_size: 32 << 30,
        peer_id: vec![1, 2, 3],
        multiaddrs: vec![BytesDe(vec![4, 5])],
    };
    // The legacy number keeps the worker and control address; the exported one queues the
    // control account as worker and makes the worker the control address (both by key address).
    let keep = ChangeWorkerAddressParams {
        new_worker: worker.id_address(),
        new_control_addresses: vec![control.id_address()],
    };
    let swap = ChangeWorkerAddressParams {
        new_worker: control.address,
        new_control_addresses: vec![worker.address],
    };
    let withdraw = WithdrawBalanceParams { amount_requested: fil(1) };
    let peer = ChangePeerIDParams { new_id: b"12D3KooWpeer".to_vec() };
    let addrs = ChangeMultiaddrsParams {
        new_multi_addrs: vec![BytesDe(b"/ip4/1.2.3.4".to_vec()), BytesDe(b"/tcp/1".to_vec())],
    };
    let amount = SandboxAmountParams { amount: fil(1) };
    let vesting = SandboxAddVestingFundsParams { amount: fil(1), vest_epoch: 10 };
    let rewards = ApplyRewardParams { reward: TokenAmount::default(), penalty: fil(1) };
    let none = || cbor(&());
    let read = Kind::Read;
    vec![
        m(M::Constructor, owner, cbor(&ctor)).kind(CALLER_ONLY),
        m(M::ControlAddresses, stranger, none()).kind(read),
        m(M::ChangeWorkerAddress, owner, cbor(&keep)),
        m(M::ChangeWorkerAddressExported, owner, cbor(&swap)),
        m(M::ConfirmChangeWorkerAddress, owner, none()),
        m(M::ConfirmChangeWorkerAddressExported, owner, none()),
        // Owner changes: offered to the nominee, confirmed by it, offered back, confirmed back.
        m(M::ChangeOwnerAddress, owner, cbor(&nominee.id_address())),
        m(M::ChangeOwnerAddressExported, nominee, cbor(&nominee.id_address())),
        m(M::ChangeOwnerAddress, nominee, cbor(&owner.id_address())),
        m(M::ChangeOwnerAddressExported, owner, cbor(&owner.id_address())),
        m(M::WithdrawBalance, owner, cbor(&withdraw)),
        m(M::WithdrawBalanceExported, nominee, cbor(&withdraw)),
        m(M::ChangeBeneficiary, owner, cbor(&beneficiary(nominee))),
        m(M::ChangeBeneficiaryExported, nominee, cbor(&beneficiary(nominee))),
        m(M::GetBeneficiary, stranger, none()).kind(read),
        m(M::GetBeneficiaryExported, stranger, none()).kind(read),
        m(M::GetOwnerExported, stranger, none()).kind(read),
        m(M::IsControllingAddressExported, stranger, cbor(&control.address)).kind(read),
        m(M::GetAvailableBalanceExported, stranger, none()).kind(read),
        m(M::GetVestingFundsExported, stranger, none()).kind(read),
        m(M::GetSectorSizeExported, stranger, none()).kind(read),
        m(M::GetPeerIDExported, stranger, none()).kind(read),
        m(M::GetMultiaddrsExported, stranger, none()).kind(read),
        m(M::RepayDebt, worker, none()),
        m(M::RepayDebtExported, control, none()),
        m(M::ChangePeerID, worker, cbor(&peer)),
        m(M::ChangePeerIDExported, control, cbor(&peer)),
        m(M::ChangeMultiaddrs, owner, cbor(&addrs)),
        m(M::ChangeMultiaddrsExported, worker, cbor(&addrs)),
        // As the real miner, ApplyRewards refuses negative amounts (16) before the caller (18).
        m(M::ApplyRewards, owner, cbor(&rewards)).kind(Kind::Refused(&[
            ExitCode::USR_SERIALIZATION,
            ExitCode::USR_ILLEGAL_ARGUMENT,
            ExitCode::USR_FORBIDDEN,
        ])),
        m(M::SandboxLockFunds, owner, cbor(&amount)).kind(CALLER_ONLY),
        m(M::SandboxUnlockFunds, owner, cbor(&amount)).kind(CALLER_ONLY),
        m(M::SandboxAddFeeDebt, worker, cbor(&amount)).kind(CALLER_ONLY),
        m(M::SandboxAddVestingFunds, owner, cbor(&vesting)).kind(CALLER_ONLY),
    ]
}

/// Power's methods: `CreateMiner` on both numbers (variants that decode create miners), every
/// query, and the constructor and the sandbox-only method.
fn power_cases(w: &World) -> Vec<Case> {
    use PowerMethod as M;
    let (owner, worker, stranger) = (&w.owner, &w.worker, &w.stranger);
    let m = |method: M, from: &Account, params: Vec<u8>| {
        Case::new(format!("power {method:?}"), POWER, method as u64, from, params)
    };
    let legacy = CreateMinerParams {
        owner: stranger.id_address(),
        worker: stranger.address,
        window_post_proof_type: RegisteredPoStProof::StackedDRGWindow32GiBV1P1,
        peer: b"peer".to_vec(),
        multiaddrs: vec![],
    };
    let exported = CreateMinerParams {
        owner: owner.address,
        worker: worker.id_address(),
        window_post_proof_type: RegisteredPoStProof::StackedDRGWindow2KiBV1P1,
        peer: vec![],
        multiaddrs: vec![BytesDe(b"/ip4/5.6.7.8".to_vec())],
    };
    let miner = MinerRawPowerParams { miner: w.miner.id };
    let set = SandboxSetMinerPowerParams {
        miner: w.miner.id,
        raw_byte_power: StoragePower::from(2 * TIB),
        quality_adj_power: StoragePower::from(3 * TIB),
    };
    let none = || cbor(&());
    let read = Kind::Read;
    vec![
        m(M::Constructor, stranger, none()).kind(CALLER_ONLY),
        m(M::CreateMiner, stranger, cbor(&legacy)),
        m(M::CreateMinerExported, owner, cbor(&exported)),
        m(M::CurrentTotalPower, stranger, none()).kind(read),
        m(M::NetworkRawPowerExported, stranger, none()).kind(read),
        m(M::MinerRawPowerExported, stranger, cbor(&miner)).kind(read),
        m(M::MinerCountExported, stranger, none()).kind(read),
        m(M::MinerConsensusCountExported, stranger, none()).kind(read),
        m(M::SandboxSetMinerPower, owner, cbor(&set)).kind(CALLER_ONLY),
    ]
}

/// An account's methods (the client's), and those of init, reward, the EAM and the system actor.
fn account_and_singleton_cases(w: &World) -> Vec<Case> {
    let (client, stranger) = (&w.client, &w.stranger);
    let c = |name: &str, to: ActorID, method: MethodNum, from: &Account, params: Vec<u8>| {
        Case::new(name.to_string(), to, method, from, params)
    };
    let message = b"a deal proposal".to_vec();
    let auth = AuthenticateMessageParams { signature: client.sign(&message).bytes, message };
    let exec = ExecParams {
        code_cid: w.sb.builtin_code("multisig").unwrap(),
        constructor_params: RawBytes::new(cbor(&(vec![client.address], 1u64))),
    };
    // Exec of the (unmodelled) multisig reaches its constructor (22); builtin code init may not
    // exec for an account is forbidden (18).
    let exec_codes =
        &[ExitCode::USR_SERIALIZATION, ExitCode::USR_FORBIDDEN, ExitCode::USR_UNHANDLED_MESSAGE];
    let network = InitConstructorParams { network_name: "sandbox".into() };
    let award = AwardBlockRewardParams {
        miner: w.miner.id_address(),
        penalty: TokenAmount::default(),
        gas_reward: fil(1),
        win_count: 1,
    };
    let initcode = [0x60, 0x00, 0x60, 0x00, 0xf3];
    // The EAM creates nothing for an account: Create and Create2 are for EVM actors (18),
    // CreateExternal is not modelled (22).
    let eam_refuses = Kind::Refused(&[ExitCode::USR_FORBIDDEN]);
    let unhandled = Kind::Refused(&[ExitCode::USR_UNHANDLED_MESSAGE]);
    let (to, none, read) = (client.id, || cbor(&()), Kind::Read);
    let authenticate = method_hash!("AuthenticateMessage");
    vec![
        c("account Constructor", to, 1, stranger, cbor(&client.address)).kind(CALLER_ONLY),
        c("account PubkeyAddress", to, 2, stranger, none()).kind(read),
        c("account AuthenticateMessage", to, authenticate, stranger, cbor(&auth)).kind(read),
        c("account Receive (any FRC-42)", to, method_hash!("Receive"), stranger, cbor(&auth))
            .kind(read),
        c("init Constructor", INIT_ACTOR_ID, 1, stranger, cbor(&network)).kind(CALLER_ONLY),
        c("init Exec", INIT_ACTOR_ID, INIT_EXEC, client, cbor(&exec))
            .kind(Kind::Refused(exec_codes)),
        c("reward Constructor", REWARD_ACTOR_ID, 1, stranger, cbor(&BytesSer(&[0, 1])))
            .kind(CALLER_ONLY),
        c("reward AwardBlockReward", REWARD_ACTOR_ID, 2, client, cbor(&award)).kind(CALLER_ONLY),
        c("reward ThisEpochReward", REWARD_ACTOR_ID, 3, stranger, none()).kind(read),
        c("eam Constructor", EAM, 1, stranger, none()).kind(CALLER_ONLY),
        c("eam Create", EAM, 2, client, cbor(&(BytesSer(&initcode), 0u64))).kind(eam_refuses),
        c("eam Create2", EAM, 3, client, cbor(&(BytesSer(&initcode), BytesSer(&[7; 32]))))
            .kind(eam_refuses),
        c("eam CreateExternal", EAM, 4, client, cbor(&BytesSer(&initcode))).kind(unhandled),
        c("system Constructor", SYSTEM_ACTOR_ID, 1, stranger, none()).kind(CALLER_ONLY),
    ]
}

#[derive(Default)]
struct Stats {
    calls: usize,
    succeeded: usize,
    past_decoding: usize,
    /// Variants not sent (see [`World::names_missing_code`]).
    skipped: usize,
    /// Exit codes seen, by case.
    codes: BTreeMap<String, BTreeMap<u32, usize>>,
}

impl World {
    fn state_cid(&self, id: ActorID) -> Cid {
        self.sb.actor(id).unwrap().unwrap().state
    }

    /// Whether `params` are an init `Exec` of code the sandbox does not have: init would create
    /// the actor and the FVM fail its constructor call fatally (see the ignored test below).
    fn names_missing_code(&self, c: &Case, params: &[u8]) -> bool {
        (c.to, c.method) == (INIT_ACTOR_ID, INIT_EXEC)
            && fvm_ipld_encoding::from_slice::<ExecParams>(params)
                .is_ok_and(|e| !self.codes.contains(&e.code_cid))
    }

    /// Sends `ROUNDS` variants of every case's parameters, checking each receipt (see the file's
    /// doc comment), and checks that enough of them got past decoding.
    fn run(&mut self, cases: &[Case], seed: u64) -> Stats {
        let senders =
            [&self.owner, &self.worker, &self.control, &self.nominee, &self.client, &self.stranger]
                .map(|a| a.id);
        let mut mutator = Mutator::new(seed);
        let mut stats = Stats::default();
        for round in 0..ROUNDS {
            for (i, c) in cases.iter().enumerate() {
                let params = mutator.mutate(&c.params);
                if self.names_missing_code(c, &params) {
                    stats.skipped += 1;
                    continue;
                }
                let from =
                    if round % 3 == 2 { senders[(round / 3 + i) % senders.len()] } else { c.from };
                let (before, paid) = (self.state_cid(c.to), self.sb.balance(from).unwrap());
                let to = Address::new_id(c.to);
                let raw = RawBytes::new(params.clone());
                let r = self.sb.send_raw(from, to, c.method, raw, c.value.clone()).unwrap();
                stats.calls += 1;
                let code = r.exit_code;
                let what =
                    format!("{} from f0{from} round {round} params {}", c.name, hex(&params));
                assert!(is_clean_exit(code), "{what}: {code} {:?}", r.failure_info);
                if let Kind::Refused(codes) = c.kind {
                    assert!(codes.contains(&code), "{what}: {code} {:?}", r.failure_info);
                }
                if code.is_success() {
                    stats.succeeded += 1;
                    if c.kind == Kind::Read {
                        assert!(r.events.is_empty(), "{what}: a getter emitted events");
                        assert_eq!(
                            self.state_cid(c.to),
                            before,
                            "{what}: a getter changed the state"
                        );
                    }
                    self.check(c.to);
                } else {
                    assert!(r.events.is_empty(), "{what}: a failed call emitted events");
                    assert_eq!(
                        self.state_cid(c.to),
                        before,
                        "{what}: a failed call changed the state"
                    );
                    let balance = self.sb.balance(from).unwrap();
                    assert_eq!(balance, paid, "{what}: a failed call kept the value sent");
                }
                if code != ExitCode::USR_SERIALIZATION {
                    stats.past_decoding += 1;
                }
                let seen = stats.codes.entry(c.name.clone()).or_default();
                *seen.entry(code.value()).or_default() += 1;
            }
        }
        for (name, codes) in &stats.codes {
            let codes: Vec<String> = codes.iter().map(|(code, n)| format!("{code}×{n}")).collect();
            println!("{name}: exits {}", codes.join(" "));
        }
        let (calls, past, ok) = (stats.calls, stats.past_decoding, stats.succeeded);
        println!("{calls} calls ({} skipped), {ok} succeeded, {past} past decoding", stats.skipped);
        // The variants must reach beyond the decoder for the test to mean anything.
        assert!(past * 10 > calls, "{past} of {calls} calls got past decoding");
        assert!(ok > 0, "no variant succeeded");
        stats
    }

    /// The callee's state decodes and its invariants hold.
    fn check(&self, id: ActorID) {
        match id {
            MARKET => {
                let st: MarketState = self.sb.state(MARKET).unwrap();
                let balances = st.balances(self.sb.blockstore().unwrap()).unwrap();
                let parties =
                    [self.client.id, self.dao_id, self.miner.id, self.owner.id, self.stranger.id];
                let mut escrow = TokenAmount::default();
                for p in parties {
                    let (e, l) = (balances.escrow(p).unwrap(), balances.locked(p).unwrap());
                    assert!(!l.is_negative() && l <= e, "f0{p}: escrow {e}, locked {l}");
                    escrow += e;
                }
                let balance = self.sb.balance(MARKET).unwrap();
                assert!(
                    escrow <= balance,
                    "escrow {escrow} exceeds the market's balance {balance}"
                );
            }
            POWER => {
                let st: PowerState = self.sb.state(POWER).unwrap();
                assert!(st.miner_count >= 1 && st.miner_above_min_power_count >= 0);
                let store = self.sb.blockstore().unwrap();
                let claim = st.claim(store, self.miner.id).unwrap().unwrap();
                assert_eq!(claim.raw_byte_power, StoragePower::from(TIB), "only f00 sets power");
            }
            id if id == self.miner.id => {
                let st: MinerState = self.sb.state(id).unwrap();
                st.check_balance_invariants(&self.sb.balance(id).unwrap()).unwrap();
                let info = &st.info;
                assert!(info.control_addresses.len() <= 10);
                let stored = [info.owner, info.worker, info.beneficiary];
                for a in stored.iter().chain(&info.control_addresses) {
                    assert!(a.id().is_ok(), "{a} stored unresolved");
                }
            }
            id if id == self.client.id => {
                let st: actorlib_host_account::State = self.sb.state(id).unwrap();
                assert_eq!(st.address, self.client.address);
            }
            _ => {}
        }
    }

    fn send<P: Serialize>(&mut self, from: &Account, to: Address, method: u64, p: &P) -> Vec<u8> {
        let r = self.sb.send(from, to, method, p, TokenAmount::default()).unwrap();
        r.ok().unwrap().return_data.to_vec()
    }
}

#[test]
fn market_refuses_malformed_params_cleanly() {
    let mut w = world();
    let cases = market_cases(&w);
    w.run(&cases, 0x0f05);
    // The market still answers and publishes (after a top-up: variants may have withdrawn escrow).
    let (worker, client) = (w.worker.clone(), w.client.clone());
    let id = w.deals[0];
    let ret =
        w.send(&client, Address::new_id(MARKET), MarketMethod::GetDealClientExported as u64, &id);
    assert_eq!(fvm_ipld_encoding::from_slice::<ActorID>(&ret).unwrap(), client.id);
    w.sb.add_market_balance(&client, client.id_address(), fil(1)).unwrap().ok().unwrap();
    w.sb.add_market_balance(&client, w.miner.id_address(), fil(1)).unwrap().ok().unwrap();
    let p = proposal(client.id_address(), &w.miner, "after");
    w.sb.publish_deal(&worker, p, DealClient::Account(&client)).unwrap();
    w.check(MARKET);
}

#[test]
fn miner_refuses_malformed_params_cleanly() {
    let mut w = world();
    let cases = miner_cases(&w);
    w.run(&cases, 0x0f06);
    let (stranger, to) = (w.stranger.clone(), w.miner.id_address());
    let ret = w.send(&stranger, to, MinerMethod::GetSectorSizeExported as u64, &());
    assert_eq!(fvm_ipld_encoding::from_slice::<u64>(&ret).unwrap(), 32 << 30);
    w.check(w.miner.id);
}

#[test]
fn power_refuses_malformed_params_cleanly() {
    let mut w = world();
    let cases = power_cases(&w);
    let stats = w.run(&cases, 0x0f04);
    // Every miner a variant created is counted.
    let created: usize = ["power CreateMiner", "power CreateMinerExported"]
        .iter()
        .filter_map(|name| stats.codes[*name].get(&0))
        .sum();
    let st: PowerState = w.sb.state(POWER).unwrap();
    assert_eq!(st.miner_count as usize, 1 + created);
    w.check(POWER);
}

#[test]
fn accounts_and_singletons_refuse_malformed_params_cleanly() {
    let mut w = world();
    let cases = account_and_singleton_cases(&w);
    w.run(&cases, 0x0f01);
    let (stranger, client) = (w.stranger.clone(), w.client.clone());
    let ret = w.send(&stranger, client.id_address(), 2, &());
    assert_eq!(fvm_ipld_encoding::from_slice::<Address>(&ret).unwrap(), client.address);
    w.check(client.id);
}

/// Finding: init `Exec`s any code that is not a builtin type (devnet-style, so that the sandbox can
/// deploy actors by message), also code that was never installed. The FVM creates the actor, then
/// fails the call to its constructor fatally ("actor not found": exit 10, SYS_ASSERTION_FAILED)
/// instead of returning a user code; the real init refuses such code with USR_FORBIDDEN. Init has
/// no way to tell installed code from unknown code (the FVM gives actors no syscall for it), so the
/// fix needs the sandbox to record installed code where init can ask.
#[test]
#[ignore = "init Exec of code never installed ends in an FVM fatal error (exit 10)"]
fn init_exec_of_code_never_installed_fails_cleanly() {
    let mut sb = Sandbox::new().unwrap();
    let alice = sb.create_account(fil(1)).unwrap();
    // The multisig code's CID with its last digest byte changed: no code has it.
    let mut bytes = sb.builtin_code("multisig").unwrap().to_bytes();
    *bytes.last_mut().unwrap() ^= 1;
    let exec = ExecParams {
        code_cid: Cid::try_from(bytes).unwrap(),
        constructor_params: RawBytes::default(),
    };
    let init = Address::new_id(INIT_ACTOR_ID);
    let r = sb.send(&alice, init, INIT_EXEC, &exec, TokenAmount::default()).unwrap();
    assert!(is_clean_exit(r.exit_code), "{} {:?}", r.exit_code, r.failure_info);
    assert_eq!(r.exit_code, ExitCode::USR_FORBIDDEN);
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
