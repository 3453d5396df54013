//! Method-by-method fidelity of the storage market stand-in (f05), run as Wasm in the sandbox.
//!
//! Every method is called on its legacy number and on its FRC-42 exported number where it has
//! both; each happy path checks the decoded return, each error path checks the exit code of
//! `HOST_INTERFACES.md` §6/§9 and that the market's state root did not move. Getters are also run
//! as read-only queries (through the sandbox relay, f0100), which must answer exactly as a
//! message does; writing methods run read-only must fail without effect. The relay is user code,
//! so through it every legacy number (below 2^24) fails with 18, as on a real network.
use actorlib_example_deal_client::{Answer, Method as ClientMethod, State as ClientState};
use actorlib_host_market::types::{
    ClientDealProposal, DealID, DealProposal, GetBalanceReturn, GetDealActivationReturn,
    GetDealDataCommitmentReturn, GetDealTermReturn, Label, Method, PublishStorageDealsParams,
    PublishStorageDealsReturn, SandboxActivateDealsParams, SandboxCronTickReturn,
    SandboxTerminateDealsParams, SandboxTerminateDealsReturn, WithdrawBalanceParams,
    EX_DEAL_EXPIRED, EX_DEAL_NOT_ACTIVATED,
};
use actorlib_host_miner::types::{ChangeWorkerAddressParams, Method as MinerMethod};
use actorlib_host_relay::{ForwardParams, ForwardReturn, Method as RelayMethod};
use actorlib_sandbox::storage::{deal_proposal, piece_cid, DealClient, Miner, MIN_DEAL_DURATION};
use actorlib_sandbox::{Account, Receipt, Sandbox};
use cid::multihash::Multihash;
use cid::Cid;
use fvm_ipld_encoding::RawBytes;
use fvm_shared::address::Address;
use fvm_shared::clock::ChainEpoch;
use fvm_shared::crypto::signature::{Signature, SignatureType};
use fvm_shared::econ::TokenAmount;
use fvm_shared::error::ExitCode;
use serde::de::DeserializeOwned;
use serde::Serialize;

const MARKET: u64 = 5;
const BURNT: u64 = 99;
const RELAY: u64 = 100;
const MAX_DEAL_DURATION: ChainEpoch = 1278 * 2880;
const START: ChainEpoch = 100;

/// Every deal getter (exported only: they have no legacy number).
const DEAL_GETTERS: [Method; 11] = [
    Method::GetDealDataCommitmentExported,
    Method::GetDealClientExported,
    Method::GetDealProviderExported,
    Method::GetDealLabelExported,
    Method::GetDealTermExported,
    Method::GetDealTotalPriceExported,
    Method::GetDealClientCollateralExported,
    Method::GetDealProviderCollateralExported,
    Method::GetDealVerifiedExported,
    Method::GetDealActivationExported,
    Method::GetDealSectorExported,
];

fn zero() -> TokenAmount {
    TokenAmount::default()
}

fn fil(n: i64) -> TokenAmount {
    TokenAmount::from_whole(n)
}

fn atto(n: i64) -> TokenAmount {
    TokenAmount::from_atto(n)
}

fn market() -> Address {
    Address::new_id(MARKET)
}

/// A key address no actor has: it does not resolve.
fn unknown_key() -> Address {
    Address::new_secp256k1(&[9u8; 65]).unwrap()
}

struct World {
    sb: Sandbox,
    client: Account,
    owner: Account,
    worker: Account,
    stranger: Account,
    miner: Miner,
}

/// A client and a miner with 100 FIL of escrow each; a stranger with no escrow.
fn world() -> World {
    let mut sb = Sandbox::new().unwrap();
    let client = sb.create_account(fil(1_000)).unwrap();
    let owner = sb.create_account(fil(1_000)).unwrap();
    let worker = sb.create_account(fil(10)).unwrap();
    let stranger = sb.create_account(fil(1_000)).unwrap();
    let miner = sb.create_miner(&owner, &worker).unwrap();
    sb.add_market_balance(&client, client.id_address(), fil(100)).unwrap().ok().unwrap();
    sb.add_market_balance(&owner, miner.id_address(), fil(100)).unwrap().ok().unwrap();
    World { sb, client, owner, worker, stranger, miner }
}

impl World {
    fn root(&self) -> Cid {
        self.sb.actor(MARKET).unwrap().unwrap().state
    }

    fn call<P: Serialize + ?Sized>(
        &mut self,
        from: &Account,
        method: u64,
        params: &P,
        value: TokenAmount,
    ) -> Receipt {
        self.sb.send(from, market(), method, params, value).unwrap()
    }

    fn balance_of(&mut self, who: Address) -> GetBalanceReturn {
        let s = self.stranger.clone();
        self.call(&s, Method::GetBalanceExported as u64, &who, zero()).ret().unwrap()
    }

    /// A cheap valid proposal from the client to the miner (price, collaterals 1 atto).
    fn cheap(&self, seed: &str) -> DealProposal {
        let mut p = deal_proposal(
            piece_cid(seed.as_bytes()),
            self.client.id_address(),
            self.miner.id_address(),
            START,
        );
        p.storage_price_per_epoch = atto(1);
        p.provider_collateral = atto(1);
        p.client_collateral = atto(1);
        p.label = Label::String(seed.into());
        p
    }

    /// A priced proposal: 10 atto per epoch, 1 FIL provider and 2 FIL client collateral.
    fn priced(&self, seed: &str) -> DealProposal {
        let mut p = self.cheap(seed);
        p.storage_price_per_epoch = atto(10);
        p.provider_collateral = fil(1);
        p.client_collateral = fil(2);
        p
    }

    fn publish_one(&mut self, p: DealProposal) -> DealID {
        let (worker, client) = (self.worker.clone(), self.client.clone());
        self.sb.publish_deal(&worker, p, DealClient::Account(&client)).unwrap()
    }

    /// Sends `method` with `params`, expecting `code`, no events and an unchanged market state.
    fn fails<P: Serialize + ?Sized>(
        &mut self,
        from: &Account,
        method: u64,
        params: &P,
        value: TokenAmount,
        code: ExitCode,
    ) -> Receipt {
        let before = self.root();
        let payer = self.sb.balance(from.id).unwrap();
        let r = self.call(from, method, params, value);
        assert_eq!(r.exit_code, code, "method {method}: {:?}", r.failure_info);
        assert!(r.events.is_empty());
        assert_eq!(self.root(), before, "method {method} changed the market's state");
        assert_eq!(self.sb.balance(from.id).unwrap(), payer, "method {method} kept the value");
        r
    }

    /// Runs a deal getter both as a message and as a read-only query: both must answer the same,
    /// and neither may change the market's state.
    fn getter(&mut self, method: Method, id: DealID) -> Receipt {
        let before = self.root();
        let s = self.stranger.clone();
        let sent = self.call(&s, method as u64, &id, zero());
        let queried = self.sb.query(&s, market(), method as u64, &id).unwrap();
        assert_eq!(sent.exit_code, queried.exit_code, "{method:?} of deal {id}");
        assert_eq!(sent.return_data, queried.return_data, "{method:?} of deal {id}");
        assert_eq!(self.root(), before);
        sent
    }

    fn get<R: DeserializeOwned>(&mut self, method: Method, id: DealID) -> R {
        let r = self.getter(method, id);
        r.ret().unwrap_or_else(|e| panic!("{method:?} of deal {id}: {e}"))
    }

    /// Every getter fails with `code` for deal `id`.
    fn all_getters_fail(&mut self, id: DealID, code: ExitCode) {
        for m in DEAL_GETTERS {
            assert_eq!(self.getter(m, id).exit_code, code, "{m:?} of deal {id}");
        }
    }

    /// Publishes signed proposals through `method` (legacy 4 or exported).
    fn publish_as(
        &mut self,
        sender: &Account,
        method: Method,
        deals: Vec<ClientDealProposal>,
    ) -> Receipt {
        self.call(sender, method as u64, &PublishStorageDealsParams { deals }, zero())
    }

    fn escrow_free(&mut self, who: Address) -> TokenAmount {
        let b = self.balance_of(who);
        b.balance - b.locked
    }
}

fn signed(client: &Account, proposal: DealProposal) -> ClientDealProposal {
    let client_signature = client.sign(&fvm_ipld_encoding::to_vec(&proposal).unwrap());
    ClientDealProposal { proposal, client_signature }
}

fn valid_indices(r: &Receipt) -> (Vec<DealID>, Vec<u64>) {
    let ret: PublishStorageDealsReturn = r.ret().unwrap();
    (ret.ids, ret.valid_deals.iter().collect())
}

#[test]
fn malformed_params_fail_with_serialization_on_every_method() {
    let mut w = world();
    let client = w.client.clone();
    let mut methods: Vec<u64> = vec![
        Method::AddBalance as u64,
        Method::AddBalanceExported as u64,
        Method::WithdrawBalance as u64,
        Method::WithdrawBalanceExported as u64,
        Method::PublishStorageDeals as u64,
        Method::PublishStorageDealsExported as u64,
        Method::GetBalanceExported as u64,
        Method::SandboxActivateDeals as u64,
        Method::SandboxTerminateDeals as u64,
    ];
    methods.extend(DEAL_GETTERS.iter().map(|m| *m as u64));
    // A truncated array, and a text string where no method takes one.
    let bad: [&[u8]; 2] = [&[0x83, 0x01], &[0x61, b'x']];
    for method in methods {
        for bytes in bad {
            let before = w.root();
            let r =
                w.sb.send_raw(client.id, market(), method, RawBytes::new(bytes.to_vec()), zero())
                    .unwrap();
            assert_eq!(r.exit_code, ExitCode::USR_SERIALIZATION, "method {method} {bytes:?}");
            assert_eq!(w.root(), before);
        }
    }
    // AddBalance with value and bad params: the value is not kept either.
    let before = w.sb.balance(client.id).unwrap();
    let r =
        w.sb.send_raw(
            client.id,
            market(),
            Method::AddBalanceExported as u64,
            RawBytes::new(vec![0x83, 0x01]),
            fil(1),
        )
        .unwrap();
    assert_eq!(r.exit_code, ExitCode::USR_SERIALIZATION);
    assert_eq!(w.sb.balance(client.id).unwrap(), before);
}

#[test]
fn unknown_methods_are_unhandled_and_plain_value_sends_skip_the_actor() {
    let mut w = world();
    let client = w.client.clone();
    // 5 VerifyDealsForActivation, 6 BatchActivateDeals, 7 OnMinerSectorsTerminate, 9 CronTick and
    // SettleDealPayments exist on the real market but are not implemented by the stand-in
    // (documented); 8 is absent on the real market too; the rest are numbers nothing uses.
    let unknown = [
        5,
        6,
        7,
        8,
        9,
        10,
        999,
        1003,
        1_900_091_594,
        actorlib_kit::method_hash!("NoSuchMethod"),
        actorlib_kit::method_hash!("GetDealProposal"),
    ];
    for m in unknown {
        w.fails(&client, m, &7u64, zero(), ExitCode::USR_UNHANDLED_MESSAGE);
        // Through the relay (user code) a number below 2^24 is refused before dispatch, known or
        // not, as by the real market; an unknown exported number is unhandled.
        let r = w.sb.query(&client, market(), m, &()).unwrap();
        let code = if m < actorlib_kit::dispatch::FIRST_EXPORTED_METHOD_NUMBER {
            ExitCode::USR_FORBIDDEN
        } else {
            ExitCode::USR_UNHANDLED_MESSAGE
        };
        assert_eq!(r.exit_code, code, "query of method {m}");
    }
    // Method 0 is a plain transfer: the actor's balance grows, its state (escrow) does not change.
    let before = w.root();
    let bal = w.sb.balance(MARKET).unwrap();
    w.call(&client, 0, &(), fil(1)).ok().unwrap();
    assert_eq!(w.sb.balance(MARKET).unwrap() - bal, fil(1));
    assert_eq!(w.root(), before);
    assert_eq!(w.balance_of(client.id_address()).balance, fil(100));
}

#[test]
fn the_constructor_is_for_the_system_actor_only() {
    let mut w = world();
    let (client, owner) = (w.client.clone(), w.owner.clone());
    w.fails(&client, Method::Constructor as u64, &(), zero(), ExitCode::USR_FORBIDDEN);
    w.fails(&owner, Method::Constructor as u64, &(), zero(), ExitCode::USR_FORBIDDEN);
}

#[test]
fn add_balance_credits_any_resolvable_account_paid_by_anyone() {
    let mut w = world();
    let (client, owner, worker, stranger) =
        (w.client.clone(), w.owner.clone(), w.worker.clone(), w.stranger.clone());
    let market_bal = w.sb.balance(MARKET).unwrap();

    // The client tops up its own escrow on the legacy number, by its key address.
    let before = w.sb.balance(client.id).unwrap();
    let r = w.call(&client, Method::AddBalance as u64, &client.address, fil(5));
    assert!(r.is_ok(), "{:?}", r.failure_info);
    assert!(r.return_data.is_empty());
    assert_eq!(before - w.sb.balance(client.id).unwrap(), fil(5));
    // A third party tops up the client's escrow on the exported number.
    w.call(&stranger, Method::AddBalanceExported as u64, &client.id_address(), fil(3))
        .ok()
        .unwrap();
    assert_eq!(
        w.balance_of(client.id_address()),
        GetBalanceReturn { balance: fil(108), locked: zero() }
    );
    // The stranger gets nothing for it.
    assert_eq!(w.balance_of(stranger.id_address()).balance, zero());

    // A miner's escrow, by its ID and by its robust address; by its owner, its worker and others.
    w.call(&owner, Method::AddBalance as u64, &w.miner.robust_address.clone(), fil(1))
        .ok()
        .unwrap();
    w.call(&worker, Method::AddBalanceExported as u64, &w.miner.id_address(), fil(2)).ok().unwrap();
    w.call(&client, Method::AddBalanceExported as u64, &w.miner.id_address(), fil(4)).ok().unwrap();
    let miner_escrow = w.balance_of(w.miner.robust_address);
    assert_eq!(miner_escrow, GetBalanceReturn { balance: fil(107), locked: zero() });
    // Nothing is credited to the owner or worker themselves.
    assert_eq!(w.balance_of(owner.id_address()).balance, zero());
    assert_eq!(w.balance_of(worker.id_address()).balance, zero());
    assert_eq!(w.sb.balance(MARKET).unwrap() - market_bal, fil(15));

    // Any actor may have an escrow, e.g. the market itself or the relay.
    w.call(&client, Method::AddBalanceExported as u64, &Address::new_id(RELAY), atto(7))
        .ok()
        .unwrap();
    assert_eq!(w.balance_of(Address::new_id(RELAY)).balance, atto(7));

    // Errors: no value (16), an address that does not resolve (16).
    for m in [Method::AddBalance, Method::AddBalanceExported] {
        w.fails(&client, m as u64, &client.id_address(), zero(), ExitCode::USR_ILLEGAL_ARGUMENT);
        w.fails(&client, m as u64, &unknown_key(), fil(1), ExitCode::USR_ILLEGAL_ARGUMENT);
        w.fails(&client, m as u64, &Address::new_id(9999), fil(1), ExitCode::USR_ILLEGAL_ARGUMENT);
        w.fails(
            &client,
            m as u64,
            &Address::new_actor(b"no such actor"),
            fil(1),
            ExitCode::USR_ILLEGAL_ARGUMENT,
        );
    }
}

#[test]
fn withdraw_balance_rules_for_clients_and_miners() {
    let mut w = world();
    let (client, owner, worker, stranger) =
        (w.client.clone(), w.owner.clone(), w.worker.clone(), w.stranger.clone());
    let params = |who: Address, amount: TokenAmount| WithdrawBalanceParams {
        provider_or_client: who,
        amount,
    };

    // The client withdraws its own escrow, on both numbers, by ID or key address.
    let before = w.sb.balance(client.id).unwrap();
    let r =
        w.call(&client, Method::WithdrawBalance as u64, &params(client.address, fil(3)), zero());
    assert_eq!(r.ret::<TokenAmount>().unwrap(), fil(3));
    let r = w.call(
        &client,
        Method::WithdrawBalanceExported as u64,
        &params(client.id_address(), fil(2)),
        zero(),
    );
    assert_eq!(r.ret::<TokenAmount>().unwrap(), fil(2));
    assert_eq!(w.sb.balance(client.id).unwrap() - before, fil(5));
    assert_eq!(w.balance_of(client.id_address()).balance, fil(95));
    // A zero request withdraws nothing, successfully.
    let r = w.call(
        &client,
        Method::WithdrawBalanceExported as u64,
        &params(client.address, zero()),
        zero(),
    );
    assert_eq!(r.ret::<TokenAmount>().unwrap(), zero());

    // Locked funds stay: publish a deal, then ask for everything.
    let p = w.priced("locks");
    w.publish_one(p.clone());
    let locked = p.client_balance_requirement();
    let free = fil(95) - locked.clone();
    let before = w.sb.balance(client.id).unwrap();
    let r = w.call(
        &client,
        Method::WithdrawBalanceExported as u64,
        &params(client.address, fil(1000)),
        zero(),
    );
    assert_eq!(r.ret::<TokenAmount>().unwrap(), free);
    assert_eq!(w.sb.balance(client.id).unwrap() - before, free);
    assert_eq!(
        w.balance_of(client.id_address()),
        GetBalanceReturn { balance: locked.clone(), locked }
    );
    // Nothing free is left: 0.
    let r =
        w.call(&client, Method::WithdrawBalance as u64, &params(client.address, fil(1)), zero());
    assert_eq!(r.ret::<TokenAmount>().unwrap(), zero());

    // A miner's escrow: the worker withdraws, the funds go to the owner.
    let (owner_before, worker_before) =
        (w.sb.balance(owner.id).unwrap(), w.sb.balance(worker.id).unwrap());
    let r = w.call(
        &worker,
        Method::WithdrawBalance as u64,
        &params(w.miner.id_address(), fil(10)),
        zero(),
    );
    assert_eq!(r.ret::<TokenAmount>().unwrap(), fil(10));
    assert_eq!(w.sb.balance(owner.id).unwrap() - owner_before, fil(10));
    assert_eq!(w.sb.balance(worker.id).unwrap(), worker_before);
    // The owner withdraws by the miner's robust address; the deal's provider collateral stays.
    let r = w.call(
        &owner,
        Method::WithdrawBalanceExported as u64,
        &params(w.miner.robust_address, fil(1000)),
        zero(),
    );
    assert_eq!(r.ret::<TokenAmount>().unwrap(), fil(89));
    assert_eq!(
        w.balance_of(w.miner.id_address()),
        GetBalanceReturn { balance: fil(1), locked: fil(1) }
    );

    // A control address of the miner (not owner nor worker) may not withdraw.
    let ctl = ChangeWorkerAddressParams {
        new_worker: worker.id_address(),
        new_control_addresses: vec![stranger.id_address()],
    };
    w.sb.send(
        &owner,
        w.miner.id_address(),
        MinerMethod::ChangeWorkerAddressExported as u64,
        &ctl,
        zero(),
    )
    .unwrap()
    .ok()
    .unwrap();
    w.sb.add_market_balance(&owner, w.miner.id_address(), fil(5)).unwrap().ok().unwrap();
    w.sb.add_market_balance(&stranger, client.id_address(), fil(5)).unwrap().ok().unwrap();
    for m in [Method::WithdrawBalance, Method::WithdrawBalanceExported] {
        let m = m as u64;
        let forbidden = ExitCode::USR_FORBIDDEN;
        w.fails(&stranger, m, &params(w.miner.id_address(), fil(1)), zero(), forbidden);
        // Third parties, the miner's people included, cannot take a client's escrow, even the
        // one who paid it in.
        w.fails(&stranger, m, &params(client.id_address(), fil(1)), zero(), forbidden);
        w.fails(&owner, m, &params(client.address, fil(1)), zero(), forbidden);
        w.fails(&worker, m, &params(client.id_address(), fil(1)), zero(), forbidden);
        // A client cannot take the miner's.
        w.fails(&client, m, &params(w.miner.id_address(), fil(1)), zero(), forbidden);
        // Negative amounts, even for the rightful caller: 16.
        let illegal = ExitCode::USR_ILLEGAL_ARGUMENT;
        w.fails(&client, m, &params(client.id_address(), atto(-1)), zero(), illegal);
        w.fails(&owner, m, &params(w.miner.id_address(), atto(-1)), zero(), illegal);
        // Unresolvable accounts: 16.
        w.fails(&client, m, &params(unknown_key(), fil(1)), zero(), illegal);
        w.fails(&client, m, &params(Address::new_id(9999), fil(1)), zero(), illegal);
    }
}

#[test]
fn get_balance_answers_for_any_resolvable_address() {
    let mut w = world();
    let (client, stranger) = (w.client.clone(), w.stranger.clone());
    let get = |w: &mut World, who: Address| -> Receipt {
        let s = stranger.clone();
        let sent = w.call(&s, Method::GetBalanceExported as u64, &who, zero());
        let queried = w.sb.query(&s, market(), Method::GetBalanceExported as u64, &who).unwrap();
        assert_eq!((sent.exit_code, &sent.return_data), (queried.exit_code, &queried.return_data));
        sent
    };
    let by_id: GetBalanceReturn = get(&mut w, client.id_address()).ret().unwrap();
    let by_key: GetBalanceReturn = get(&mut w, client.address).ret().unwrap();
    assert_eq!(by_id, by_key);
    assert_eq!(by_id, GetBalanceReturn { balance: fil(100), locked: zero() });
    let robust = w.miner.robust_address;
    let miner: GetBalanceReturn = get(&mut w, robust).ret().unwrap();
    assert_eq!(miner.balance, fil(100));
    // An actor without escrow: zeros.
    let none: GetBalanceReturn = get(&mut w, stranger.address).ret().unwrap();
    assert_eq!(none, GetBalanceReturn { balance: zero(), locked: zero() });
    let none: GetBalanceReturn = get(&mut w, Address::new_id(BURNT)).ret().unwrap();
    assert_eq!(none.balance, zero());
    // Locked after publication.
    let p = w.priced("bal");
    w.publish_one(p.clone());
    let c: GetBalanceReturn = get(&mut w, client.address).ret().unwrap();
    assert_eq!(c.locked, p.client_balance_requirement());
    let m: GetBalanceReturn = get(&mut w, robust).ret().unwrap();
    assert_eq!(m.locked, p.provider_collateral);
    // An ID address always resolves (to itself), even without an actor behind it: zeros, as on
    // the real market.
    let nobody: GetBalanceReturn = get(&mut w, Address::new_id(9999)).ret().unwrap();
    assert_eq!(nobody, GetBalanceReturn { balance: zero(), locked: zero() });
    // Unresolvable key or robust addresses: 16.
    for who in [unknown_key(), Address::new_actor(b"nobody")] {
        let before = w.root();
        assert_eq!(get(&mut w, who).exit_code, ExitCode::USR_ILLEGAL_ARGUMENT, "{who}");
        assert_eq!(w.root(), before);
    }
}

#[test]
fn publish_refusals_abort_the_whole_message() {
    let mut w = world();
    let (client, owner, worker, stranger) =
        (w.client.clone(), w.owner.clone(), w.worker.clone(), w.stranger.clone());
    let good = signed(&client, w.priced("good"));
    for m in [Method::PublishStorageDeals, Method::PublishStorageDealsExported] {
        let params = |deals| PublishStorageDealsParams { deals };
        // Empty list: 16.
        w.fails(&worker, m as u64, &params(vec![]), zero(), ExitCode::USR_ILLEGAL_ARGUMENT);
        // Provider does not resolve: 17.
        for provider in [unknown_key(), Address::new_actor(b"nobody")] {
            let mut p = w.priced("unresolvable");
            p.provider = provider;
            let deals = vec![signed(&client, p), good.clone()];
            w.fails(&worker, m as u64, &params(deals), zero(), ExitCode::USR_NOT_FOUND);
        }
        // Provider is not a miner (an account, the market, the power actor; an ID address with no
        // actor resolves but has no code): 16.
        for provider in [worker.id_address(), market(), Address::new_id(4), Address::new_id(9999)] {
            let mut p = w.priced("not-a-miner");
            p.provider = provider;
            let deals = vec![signed(&client, p), good.clone()];
            w.fails(&worker, m as u64, &params(deals), zero(), ExitCode::USR_ILLEGAL_ARGUMENT);
        }
        // The sender does not control the provider: 18 (the client, a stranger).
        for sender in [&client, &stranger] {
            w.fails(sender, m as u64, &params(vec![good.clone()]), zero(), ExitCode::USR_FORBIDDEN);
        }
        // Every deal invalid: 16.
        let bad = signed(&stranger, w.priced("signed-by-a-stranger"));
        let mut short = w.priced("short");
        short.end_epoch = short.start_epoch + 1;
        let deals = vec![bad, signed(&client, short)];
        w.fails(&worker, m as u64, &params(deals), zero(), ExitCode::USR_ILLEGAL_ARGUMENT);
    }
    // The owner, the worker and a control address may publish, on either number.
    let ctl = ChangeWorkerAddressParams {
        new_worker: worker.id_address(),
        new_control_addresses: vec![stranger.address],
    };
    w.sb.send(&owner, w.miner.id_address(), MinerMethod::ChangeWorkerAddress as u64, &ctl, zero())
        .unwrap()
        .ok()
        .unwrap();
    let senders = [
        (&owner, Method::PublishStorageDeals),
        (&worker, Method::PublishStorageDealsExported),
        (&stranger, Method::PublishStorageDeals),
    ];
    for (i, (sender, m)) in senders.into_iter().enumerate() {
        let d = signed(&client, w.priced(&format!("by-{i}")));
        let r = w.publish_as(sender, m, vec![d]);
        assert_eq!(valid_indices(&r), (vec![i as u64], vec![0]), "{m:?}");
        assert_eq!(r.event_types(), vec!["deal-published".to_string()]);
    }
    // The same proposal again is a duplicate of a pending one: all invalid.
    let again = signed(&client, w.priced("by-0"));
    w.fails(
        &owner,
        Method::PublishStorageDeals as u64,
        &PublishStorageDealsParams { deals: vec![again] },
        zero(),
        ExitCode::USR_ILLEGAL_ARGUMENT,
    );
}

#[test]
fn each_invalid_deal_is_dropped_from_the_batch() {
    let mut w = world();
    let (client, owner, worker, stranger) =
        (w.client.clone(), w.owner.clone(), w.worker.clone(), w.stranger.clone());
    let other_miner = w.sb.create_miner(&owner, &worker).unwrap();
    w.sb.add_market_balance(&owner, other_miner.id_address(), fil(10)).unwrap().ok().unwrap();
    w.sb.set_epoch(10).unwrap();
    let now = 10;
    let piece = piece_cid(b"piece");
    let digest = piece.hash().digest().to_vec();

    let mut deals: Vec<(DealProposal, &Account, bool)> = Vec::new();
    let mut add = |p: DealProposal, signer: &'static str, valid: bool| {
        deals.push((p, if signer == "stranger" { &stranger } else { &client }, valid));
    };
    let label = |s: &str, n: usize| Label::String(s.repeat(n));
    // 0: a 256-byte text label is the longest allowed.
    let mut p = w.cheap("v0");
    p.label = label("a", 256);
    add(p, "client", true);
    // 1: a 257-byte label.
    let mut p = w.cheap("l1");
    p.label = label("a", 257);
    add(p, "client", false);
    // 2: a 256-byte byte-string label; 3: 257 bytes.
    let mut p = w.cheap("v2");
    p.label = Label::Bytes(vec![7; 256]);
    add(p, "client", true);
    let mut p = w.cheap("l3");
    p.label = Label::Bytes(vec![7; 257]);
    add(p, "client", false);
    // 4: a label of 129 two-byte characters: 258 bytes (the limit counts bytes, not characters).
    let mut p = w.cheap("l4");
    p.label = label("é", 129);
    add(p, "client", false);
    // 5: piece size not a power of two; 6: a power of two below 128; 7: 128 is the smallest.
    let mut p = w.cheap("s5");
    p.piece_size = 3000;
    add(p, "client", false);
    let mut p = w.cheap("s6");
    p.piece_size = 64;
    add(p, "client", false);
    let mut p = w.cheap("v7");
    p.piece_size = 128;
    add(p, "client", true);
    // 8: piece CID with the DAG-CBOR codec; 9: with a sha2-256 multihash; 10: with a 20-byte
    // digest; 11: a CIDv0.
    let mut p = w.cheap("c8");
    p.piece_cid = Cid::new_v1(0x71, *piece.hash());
    add(p, "client", false);
    let mut p = w.cheap("c9");
    p.piece_cid = Cid::new_v1(0xf101, Multihash::wrap(0x12, &digest).unwrap());
    add(p, "client", false);
    let mut p = w.cheap("c10");
    p.piece_cid = Cid::new_v1(0xf101, Multihash::wrap(0x1012, &digest[..20]).unwrap());
    add(p, "client", false);
    let mut p = w.cheap("c11");
    p.piece_cid = Cid::new_v0(Multihash::wrap(0x12, &digest).unwrap()).unwrap();
    add(p, "client", false);
    // 12: end == start; 13: end < start.
    let mut p = w.cheap("e12");
    p.end_epoch = p.start_epoch;
    add(p, "client", false);
    let mut p = w.cheap("e13");
    p.end_epoch = p.start_epoch - 1;
    add(p, "client", false);
    // 14: start already past; 15: starting now is fine.
    let mut p = w.cheap("e14");
    p.start_epoch = now - 1;
    p.end_epoch = p.start_epoch + MIN_DEAL_DURATION;
    add(p, "client", false);
    let mut p = w.cheap("v15");
    p.start_epoch = now;
    p.end_epoch = now + MIN_DEAL_DURATION;
    add(p, "client", true);
    // 16: one epoch too short; 17: the longest; 18: one epoch too long.
    let mut p = w.cheap("d16");
    p.end_epoch = p.start_epoch + MIN_DEAL_DURATION - 1;
    add(p, "client", false);
    let mut p = w.cheap("v17");
    p.end_epoch = p.start_epoch + MAX_DEAL_DURATION;
    add(p, "client", true);
    let mut p = w.cheap("d18");
    p.end_epoch = p.start_epoch + MAX_DEAL_DURATION + 1;
    add(p, "client", false);
    // 19: negative price; 20: price above the total supply.
    let over_supply = fil(2_000_000_000) + atto(1);
    let mut p = w.cheap("p19");
    p.storage_price_per_epoch = atto(-1);
    add(p, "client", false);
    let mut p = w.cheap("p20");
    p.storage_price_per_epoch = over_supply.clone();
    add(p, "client", false);
    // 21/22: negative or excessive provider collateral; 23/24: the same for the client's.
    let mut p = w.cheap("pc21");
    p.provider_collateral = atto(-1);
    add(p, "client", false);
    let mut p = w.cheap("pc22");
    p.provider_collateral = over_supply.clone();
    add(p, "client", false);
    let mut p = w.cheap("cc23");
    p.client_collateral = atto(-1);
    add(p, "client", false);
    let mut p = w.cheap("cc24");
    p.client_collateral = over_supply;
    add(p, "client", false);
    // 25: more client collateral than the client's escrow; 26: more provider collateral than the
    // miner's.
    let mut p = w.cheap("cc25");
    p.client_collateral = fil(101);
    add(p, "client", false);
    let mut p = w.cheap("pc26");
    p.provider_collateral = fil(101);
    add(p, "client", false);
    // 27: a verified deal (no DataCap in the sandbox).
    let mut p = w.cheap("vd27");
    p.verified_deal = true;
    add(p, "client", false);
    // 28: another provider than deals[0]'s (the sender controls both); 29: the same miner by its
    // robust address while deals[0] names it by ID (the batch provider is the ID or deals[0]'s
    // address as given).
    let mut p = w.cheap("pr28");
    p.provider = other_miner.id_address();
    add(p, "client", false);
    let mut p = w.cheap("pr29");
    p.provider = w.miner.robust_address;
    add(p, "client", false);
    // 30: an exact duplicate of 15 in the batch; 31: deal 7 again with the client by key address,
    // the same proposal once normalised.
    let mut p = w.cheap("v15");
    p.start_epoch = now;
    p.end_epoch = now + MIN_DEAL_DURATION;
    add(p, "client", false);
    let mut p = w.cheap("v7");
    p.piece_size = 128;
    p.client = client.address;
    add(p, "client", false);
    // 32: signed by someone else than the client.
    add(w.cheap("sig32"), "stranger", false);
    // 33: a client address that does not resolve (the read-only authentication cannot create it).
    let mut p = w.cheap("cl33");
    p.client = unknown_key();
    add(p, "client", false);
    // 34: a client (the stranger, correctly signing) without escrow for the fee.
    let mut p = w.cheap("cl34");
    p.client = stranger.id_address();
    add(p, "stranger", false);
    // 35: a free deal (zero price and collateral) needs no escrow at all.
    let mut p = w.cheap("v35");
    p.client = stranger.address;
    p.storage_price_per_epoch = zero();
    p.provider_collateral = zero();
    p.client_collateral = zero();
    add(p, "stranger", true);

    let expected: Vec<u64> =
        deals.iter().enumerate().filter(|(_, d)| d.2).map(|(i, _)| i as u64).collect();
    let valid_proposals: Vec<DealProposal> =
        deals.iter().filter(|d| d.2).map(|d| d.0.clone()).collect();
    let signed_deals: Vec<ClientDealProposal> =
        deals.into_iter().map(|(p, signer, _)| signed(signer, p)).collect();
    let miner_before = w.balance_of(w.miner.id_address());
    let r = w.publish_as(&worker, Method::PublishStorageDealsExported, signed_deals);
    assert!(r.is_ok(), "{:?}", r.failure_info);
    let (ids, valid) = valid_indices(&r);
    assert_eq!(valid, expected);
    assert_eq!(ids, (0..expected.len() as u64).collect::<Vec<_>>());
    assert_eq!(r.event_types(), vec!["deal-published".to_string(); expected.len()]);

    // IDs follow the input order of the accepted deals; proposals are stored normalised.
    for (id, p) in ids.iter().zip(&valid_proposals) {
        assert_eq!(w.get::<Label>(Method::GetDealLabelExported, *id), p.label);
        let term: GetDealTermReturn = w.get(Method::GetDealTermExported, *id);
        assert_eq!((term.start, term.duration), (p.start_epoch, p.duration()));
        let c: GetDealDataCommitmentReturn = w.get(Method::GetDealDataCommitmentExported, *id);
        assert_eq!((c.data, c.size), (p.piece_cid, p.piece_size));
    }
    assert_eq!(w.get::<u64>(Method::GetDealClientExported, ids[5]), stranger.id);
    // Only the accepted deals' funds are locked.
    let client_locked: TokenAmount = valid_proposals
        .iter()
        .filter(|p| p.client == client.id_address())
        .map(|p| p.client_balance_requirement())
        .sum();
    assert_eq!(w.balance_of(client.id_address()).locked, client_locked);
    let provider_locked: TokenAmount =
        valid_proposals.iter().map(|p| p.provider_collateral.clone()).sum();
    assert_eq!(w.balance_of(w.miner.id_address()).locked - miner_before.locked, provider_locked);
    assert_eq!(w.balance_of(other_miner.id_address()).locked, zero());
    assert_eq!(w.balance_of(stranger.id_address()).locked, zero());
}

#[test]
fn escrow_requirements_accumulate_within_a_batch_and_over_pending_deals() {
    let mut w = world();
    let (client, owner, worker) = (w.client.clone(), w.owner.clone(), w.worker.clone());
    // A second client with escrow for one and a half priced deals.
    let c2 = w.sb.create_account(fil(100)).unwrap();
    let need = w.priced("x").client_balance_requirement();
    let half = need.div_floor(2);
    w.sb.add_market_balance(&c2, c2.id_address(), need.clone() + half.clone())
        .unwrap()
        .ok()
        .unwrap();
    let for_c2 = |w: &World, seed: &str| {
        let mut p = w.priced(seed);
        p.client = c2.id_address();
        signed(&c2, p)
    };
    let deals = vec![for_c2(&w, "a"), for_c2(&w, "b"), signed(&client, w.priced("c"))];
    let r = w.publish_as(&worker, Method::PublishStorageDeals, deals);
    assert_eq!(valid_indices(&r), (vec![0, 1], vec![0, 2]));
    // What is left of its escrow does not cover another deal; the first one's lock counts.
    let before = w.root();
    let deals = vec![for_c2(&w, "d")];
    let r = w.publish_as(&worker, Method::PublishStorageDeals, deals);
    assert_eq!(r.exit_code, ExitCode::USR_ILLEGAL_ARGUMENT);
    assert_eq!(w.root(), before);
    assert_eq!(w.escrow_free(c2.id_address()), half);

    // A miner with escrow for three atto of collateral: deals of 2, 2 and 1 atto -> first and
    // last.
    let m2 = w.sb.create_miner(&owner, &worker).unwrap();
    w.sb.add_market_balance(&owner, m2.id_address(), atto(3)).unwrap().ok().unwrap();
    let for_m2 = |w: &World, seed: &str, collateral: i64| {
        let mut p = w.cheap(seed);
        p.provider = m2.id_address();
        p.provider_collateral = atto(collateral);
        signed(&client, p)
    };
    let deals = vec![for_m2(&w, "m-a", 2), for_m2(&w, "m-b", 2), for_m2(&w, "m-c", 1)];
    let r = w.publish_as(&worker, Method::PublishStorageDealsExported, deals);
    assert_eq!(valid_indices(&r), (vec![2, 3], vec![0, 2]));
    assert_eq!(
        w.balance_of(m2.id_address()),
        GetBalanceReturn { balance: atto(3), locked: atto(3) }
    );
}

#[test]
fn getters_answer_in_every_deal_state() {
    let mut w = world();
    // Never published: 17, for any ID at or beyond the next deal ID.
    for id in [0, 1, 1000, u64::MAX] {
        w.all_getters_fail(id, ExitCode::USR_NOT_FOUND);
    }

    // Published, not activated.
    let p = w.priced("getters");
    let id = w.publish_one(p.clone());
    let check_terms = |w: &mut World, id: DealID| {
        let c: GetDealDataCommitmentReturn = w.get(Method::GetDealDataCommitmentExported, id);
        assert_eq!((c.data, c.size), (p.piece_cid, p.piece_size));
        assert_eq!(w.get::<u64>(Method::GetDealClientExported, id), w.client.id);
        assert_eq!(w.get::<u64>(Method::GetDealProviderExported, id), w.miner.id);
        assert_eq!(w.get::<Label>(Method::GetDealLabelExported, id), p.label);
        let t: GetDealTermReturn = w.get(Method::GetDealTermExported, id);
        assert_eq!((t.start, t.duration), (START, MIN_DEAL_DURATION));
        assert_eq!(
            w.get::<TokenAmount>(Method::GetDealTotalPriceExported, id),
            atto(10 * MIN_DEAL_DURATION)
        );
        assert_eq!(w.get::<TokenAmount>(Method::GetDealClientCollateralExported, id), fil(2));
        assert_eq!(w.get::<TokenAmount>(Method::GetDealProviderCollateralExported, id), fil(1));
        assert!(!w.get::<bool>(Method::GetDealVerifiedExported, id));
    };
    check_terms(&mut w, id);
    let a: GetDealActivationReturn = w.get(Method::GetDealActivationExported, id);
    assert_eq!((a.activated, a.terminated), (-1, -1));
    assert_eq!(w.getter(Method::GetDealSectorExported, id).exit_code, EX_DEAL_NOT_ACTIVATED);
    // The next ID is still unknown.
    w.all_getters_fail(id + 1, ExitCode::USR_NOT_FOUND);

    // Active.
    w.sb.set_epoch(40).unwrap();
    w.sb.activate_deals(&[id], 42).unwrap().ok().unwrap();
    check_terms(&mut w, id);
    let a: GetDealActivationReturn = w.get(Method::GetDealActivationExported, id);
    assert_eq!((a.activated, a.terminated), (40, -1));
    assert_eq!(w.get::<u64>(Method::GetDealSectorExported, id), 42);

    // A byte-string label comes back as bytes.
    let mut b = w.priced("bytes-label");
    b.label = Label::Bytes(vec![0, 159, 146, 150]);
    let bid = w.publish_one(b);
    assert_eq!(
        w.get::<Label>(Method::GetDealLabelExported, bid),
        Label::Bytes(vec![0, 159, 146, 150])
    );

    // Terminated: 32 everywhere.
    w.sb.terminate_deals(&[id]).unwrap().ok().unwrap();
    w.all_getters_fail(id, EX_DEAL_EXPIRED);

    // Completed: 32 everywhere.
    let c = w.priced("completes");
    let cid = w.publish_one(c.clone());
    w.sb.activate_deals(&[cid], 1).unwrap().ok().unwrap();
    assert_eq!(w.get::<u64>(Method::GetDealSectorExported, cid), 1);
    w.sb.set_epoch(c.end_epoch).unwrap();
    w.all_getters_fail(cid, EX_DEAL_EXPIRED);
    // Expired without activation (bid started at 100): 32 everywhere.
    w.all_getters_fail(bid, EX_DEAL_EXPIRED);
    w.all_getters_fail(cid + 1, ExitCode::USR_NOT_FOUND);
}

#[test]
fn sandbox_methods_are_for_the_system_actor_only() {
    let mut w = world();
    let id = w.publish_one(w.priced("sbx"));
    let (client, owner, worker) = (w.client.clone(), w.owner.clone(), w.worker.clone());
    let activate = SandboxActivateDealsParams { deal_ids: vec![id], sector_number: 1 };
    let terminate = SandboxTerminateDealsParams { deal_ids: vec![id] };
    for from in [&client, &owner, &worker] {
        let f = ExitCode::USR_FORBIDDEN;
        w.fails(from, Method::SandboxActivateDeals as u64, &activate, zero(), f);
        w.fails(from, Method::SandboxTerminateDeals as u64, &terminate, zero(), f);
        w.fails(from, Method::SandboxCronTick as u64, &(), zero(), f);
        // Read-only, through the relay: the relay is not the system actor either.
        for (m, r) in [
            (Method::SandboxActivateDeals, w.sb.query(from, market(), 1000, &activate).unwrap()),
            (Method::SandboxTerminateDeals, w.sb.query(from, market(), 1001, &terminate).unwrap()),
            (Method::SandboxCronTick, w.sb.query(from, market(), 1002, &()).unwrap()),
        ] {
            assert_eq!(r.exit_code, f, "{m:?}");
        }
    }
    // An implicit message from another builtin actor is refused too; from f00 it runs.
    let r = w.sb.apply_implicit(2, market(), Method::SandboxCronTick as u64, &()).unwrap();
    assert_eq!(r.exit_code, ExitCode::USR_FORBIDDEN);
    let r = w.sb.apply_implicit(0, market(), Method::SandboxCronTick as u64, &()).unwrap();
    assert_eq!(r.ret::<SandboxCronTickReturn>().unwrap(), SandboxCronTickReturn::default());
}

#[test]
fn sandbox_activation_termination_and_cron_rules() {
    let mut w = world();
    let a = w.publish_one(w.priced("a"));
    let b = w.publish_one(w.priced("b"));
    let implicit_fails =
        |w: &mut World, method: Method, params: &dyn erased::Params, code: ExitCode| {
            let before = w.root();
            let r = params.apply(&mut w.sb, method as u64);
            assert_eq!(r.exit_code, code, "{method:?}: {:?}", r.failure_info);
            assert!(r.events.is_empty());
            assert_eq!(w.root(), before);
        };
    let act =
        |ids: &[DealID]| SandboxActivateDealsParams { deal_ids: ids.to_vec(), sector_number: 3 };
    let term = |ids: &[DealID]| SandboxTerminateDealsParams { deal_ids: ids.to_vec() };
    // Activation: unknown deal 17, all or nothing.
    implicit_fails(&mut w, Method::SandboxActivateDeals, &act(&[9]), ExitCode::USR_NOT_FOUND);
    implicit_fails(&mut w, Method::SandboxActivateDeals, &act(&[a, 9]), ExitCode::USR_NOT_FOUND);
    implicit_fails(
        &mut w,
        Method::SandboxActivateDeals,
        &act(&[a, a]),
        ExitCode::USR_ILLEGAL_ARGUMENT,
    );
    // Termination of a deal only published: 33; of an unknown one: 17.
    implicit_fails(&mut w, Method::SandboxTerminateDeals, &term(&[a]), EX_DEAL_NOT_ACTIVATED);
    implicit_fails(&mut w, Method::SandboxTerminateDeals, &term(&[9]), ExitCode::USR_NOT_FOUND);
    let r = w.sb.activate_deals(&[a], 3).unwrap();
    assert!(r.is_ok(), "{:?}", r.failure_info);
    assert!(r.return_data.is_empty());
    assert_eq!(r.event_types(), vec!["deal-activated".to_string()]);
    // Already active: 16. Terminating [a, b] fails on b and terminates nothing.
    implicit_fails(
        &mut w,
        Method::SandboxActivateDeals,
        &act(&[a]),
        ExitCode::USR_ILLEGAL_ARGUMENT,
    );
    implicit_fails(&mut w, Method::SandboxTerminateDeals, &term(&[a, b]), EX_DEAL_NOT_ACTIVATED);

    // Terminating pays the provider for elapsed epochs (none yet: before the start), unlocks the
    // client and burns the provider's collateral.
    let burnt = w.sb.balance(BURNT).unwrap();
    let r = w.sb.terminate_deals(&[a]).unwrap();
    assert_eq!(r.ret::<SandboxTerminateDealsReturn>().unwrap().terminated, vec![a]);
    assert_eq!(r.event_types(), vec!["deal-terminated".to_string()]);
    assert_eq!(w.sb.balance(BURNT).unwrap() - burnt, fil(1));
    // Terminated deals: 32 for both.
    implicit_fails(&mut w, Method::SandboxTerminateDeals, &term(&[a]), EX_DEAL_EXPIRED);
    implicit_fails(&mut w, Method::SandboxActivateDeals, &act(&[a]), EX_DEAL_EXPIRED);

    // Deal b is never activated: past its start, cron expires it and activation is too late (32).
    w.sb.set_epoch(START + 1).unwrap();
    implicit_fails(&mut w, Method::SandboxActivateDeals, &act(&[b]), EX_DEAL_EXPIRED);
    implicit_fails(&mut w, Method::SandboxTerminateDeals, &term(&[b]), EX_DEAL_EXPIRED);
    let client_bal = w.balance_of(w.client.id_address());
    assert_eq!(client_bal.locked, zero());
    // Nothing left for cron.
    let r = w.sb.market_cron().unwrap();
    assert_eq!(r.ret::<SandboxCronTickReturn>().unwrap(), SandboxCronTickReturn::default());
    assert!(r.events.is_empty());
}

/// Implicit sandbox-method calls with any parameter type, for table-driven checks.
mod erased {
    use super::*;
    pub trait Params {
        fn apply(&self, sb: &mut Sandbox, method: u64) -> Receipt;
    }
    impl<T: Serialize> Params for T {
        fn apply(&self, sb: &mut Sandbox, method: u64) -> Receipt {
            sb.apply_implicit(0, market(), method, self).unwrap()
        }
    }
}

#[test]
fn a_failing_market_notify_deal_aborts_the_publication() {
    let mut w = world();
    let (client, worker) = (w.client.clone(), w.worker.clone());
    let code = w.sb.install_actor(actorlib_bundle::wasm("example-deal-client").unwrap()).unwrap();
    let dao = w.sb.deploy(&client, code, &Answer::FailNotification, zero()).unwrap();
    let dao_id = dao.id_address.id().unwrap();
    w.sb.add_market_balance(&client, dao.id_address, fil(50)).unwrap().ok().unwrap();
    let dao_deal = |w: &World, seed: &str| {
        let mut p = w.priced(seed);
        p.client = dao.robust_address;
        // An actor client authenticates by its AuthenticateMessage, not by signature.
        ClientDealProposal {
            proposal: p,
            client_signature: Signature { sig_type: SignatureType::Secp256k1, bytes: vec![] },
        }
    };
    let dao_state = w.sb.actor(dao_id).unwrap().unwrap().state;
    // Alone, after an account client's valid deal, or before one: the whole message fails with 16
    // (not the client's 18), nothing is published or locked, the client is not notified.
    let batches = [
        vec![dao_deal(&w, "alone")],
        vec![signed(&client, w.priced("first")), dao_deal(&w, "second")],
        vec![dao_deal(&w, "first"), signed(&client, w.priced("second"))],
    ];
    for (i, deals) in batches.into_iter().enumerate() {
        for m in [Method::PublishStorageDeals, Method::PublishStorageDealsExported] {
            let params = PublishStorageDealsParams { deals: deals.clone() };
            w.fails(&worker, m as u64, &params, zero(), ExitCode::USR_ILLEGAL_ARGUMENT);
            assert_eq!(w.sb.actor(dao_id).unwrap().unwrap().state, dao_state, "batch {i}");
        }
    }
    assert_eq!(w.balance_of(dao.id_address).locked, zero());
    assert_eq!(w.balance_of(client.id_address()).locked, zero());

    // Once the client accepts notifications, the same deals publish, from ID 0.
    w.sb.send(&client, dao.id_address, ClientMethod::SetAnswer as u64, &Answer::Approve, zero())
        .unwrap()
        .ok()
        .unwrap();
    let r = w.publish_as(
        &worker,
        Method::PublishStorageDeals,
        vec![signed(&client, w.priced("first")), dao_deal(&w, "second")],
    );
    assert_eq!(valid_indices(&r), (vec![0, 1], vec![0, 1]));
    let st: ClientState = w.sb.state(dao_id).unwrap();
    assert_eq!((st.notifications, st.last_notifier, st.last_deal_id), (1, MARKET, 1));
}

#[test]
fn read_only_queries_of_writing_methods_fail_without_effect() {
    let mut w = world();
    let (client, owner, worker) = (w.client.clone(), w.owner.clone(), w.worker.clone());
    let relay = Address::new_id(RELAY);
    w.sb.add_market_balance(&client, relay, fil(2)).unwrap().ok().unwrap();
    let query_fails =
        |w: &mut World, method: Method, params: &dyn erased_query::Params, code: ExitCode| {
            let before = w.root();
            let market_bal = w.sb.balance(MARKET).unwrap();
            let r = params.query(&mut w.sb, &client, method as u64);
            assert_eq!(r.exit_code, code, "{method:?}");
            assert!(r.events.is_empty());
            assert_eq!(w.root(), before, "{method:?}");
            assert_eq!(w.sb.balance(MARKET).unwrap(), market_bal);
        };
    // The relay is user code: the legacy numbers (2, 3, 4) are refused before anything else (18),
    // as by the real market; the exported numbers run the methods' own checks below.
    let own = WithdrawBalanceParams { provider_or_client: relay, amount: fil(1) };
    query_fails(&mut w, Method::AddBalance, &client.id_address(), ExitCode::USR_FORBIDDEN);
    query_fails(&mut w, Method::WithdrawBalance, &own, ExitCode::USR_FORBIDDEN);
    // AddBalance: a read-only call carries no value, so 16.
    let m = Method::AddBalanceExported;
    query_fails(&mut w, m, &client.id_address(), ExitCode::USR_ILLEGAL_ARGUMENT);
    // WithdrawBalance: of someone else's escrow the relay is not allowed (18); of its own the
    // write is refused (25), even for nothing.
    let m = Method::WithdrawBalanceExported;
    let other = WithdrawBalanceParams { provider_or_client: client.id_address(), amount: fil(1) };
    query_fails(&mut w, m, &other, ExitCode::USR_FORBIDDEN);
    for amount in [fil(1), zero()] {
        let own = WithdrawBalanceParams { provider_or_client: relay, amount };
        query_fails(&mut w, m, &own, ExitCode::USR_READ_ONLY);
    }
    assert_eq!(w.balance_of(relay).balance, fil(2));
    // PublishStorageDeals: the relay does not control the miner (18); once it does, the deal
    // validates and the write is refused (25) on the exported number; the legacy one stays 18.
    let deals = PublishStorageDealsParams { deals: vec![signed(&client, w.priced("ro"))] };
    for m in [Method::PublishStorageDeals, Method::PublishStorageDealsExported] {
        query_fails(&mut w, m, &deals, ExitCode::USR_FORBIDDEN);
    }
    // The relay becomes the miner's owner: proposed by the owner, confirmed by the relay in a
    // normal (not read-only) forwarded call.
    let miner = w.miner.id_address();
    w.sb.send(&owner, miner, MinerMethod::ChangeOwnerAddress as u64, &relay, zero())
        .unwrap()
        .ok()
        .unwrap();
    let confirm = ForwardParams {
        to: miner,
        method: MinerMethod::ChangeOwnerAddress as u64,
        params: RawBytes::new(fvm_ipld_encoding::to_vec(&relay).unwrap()),
        value: zero(),
        read_only: false,
    };
    let r: ForwardReturn =
        w.sb.send(&owner, relay, RelayMethod::Forward as u64, &confirm, zero())
            .unwrap()
            .ret()
            .unwrap();
    assert_eq!(r.exit_code, 0);
    query_fails(&mut w, Method::PublishStorageDealsExported, &deals, ExitCode::USR_READ_ONLY);
    query_fails(&mut w, Method::PublishStorageDeals, &deals, ExitCode::USR_FORBIDDEN);
    // Invalid input still fails as it would in a message.
    let empty = PublishStorageDealsParams { deals: vec![] };
    let m = Method::PublishStorageDealsExported;
    query_fails(&mut w, m, &empty, ExitCode::USR_ILLEGAL_ARGUMENT);
    // Nothing was published: the first real publication gets ID 0.
    let r = w.publish_as(&worker, Method::PublishStorageDeals, deals.deals);
    assert_eq!(valid_indices(&r), (vec![0], vec![0]));
}

/// Read-only queries with any parameter type.
mod erased_query {
    use super::*;
    pub trait Params {
        fn query(&self, sb: &mut Sandbox, from: &Account, method: u64) -> Receipt;
    }
    impl<T: Serialize> Params for T {
        fn query(&self, sb: &mut Sandbox, from: &Account, method: u64) -> Receipt {
            sb.query(from, market(), method, self).unwrap()
        }
    }
}
