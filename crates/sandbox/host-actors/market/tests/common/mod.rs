//! Shared fixtures for the market's FakeRuntime tests.
#![allow(dead_code)]

use actorlib_host_market::*;
use actorlib_kit::runtime::fake::ExpectedSend;
use actorlib_kit::runtime::SendResponse;
use actorlib_kit::{params, FakeRuntime, Result};
use cid::multihash::Multihash;
use cid::Cid;
use fvm_ipld_encoding::ipld_block::IpldBlock;
use fvm_ipld_encoding::IPLD_RAW;
use fvm_shared::address::Address;
use fvm_shared::clock::ChainEpoch;
use fvm_shared::crypto::signature::{Signature, SignatureType};
use fvm_shared::econ::TokenAmount;
use fvm_shared::error::{ErrorNumber, ExitCode};
use fvm_shared::ActorID;
use serde::Serialize;

pub const MARKET: ActorID = 5;
pub const SYSTEM: ActorID = 0;
pub const BURNT: ActorID = 99;
pub const OWNER: ActorID = 101;
pub const WORKER: ActorID = 102;
pub const CLIENT: ActorID = 103;
pub const CLIENT2: ActorID = 104;
pub const STRANGER: ActorID = 105;
pub const PROVIDER: ActorID = 1000;
pub const OTHER_MINER: ActorID = 1001;

pub const START: ChainEpoch = 100;
pub const MIN_DURATION: ChainEpoch = 518_400;
pub const END: ChainEpoch = START + MIN_DURATION;
pub const PRICE: u64 = 1;
pub const PROVIDER_COLLATERAL: u64 = 100;
pub const CLIENT_COLLATERAL: u64 = 10;
/// What one default deal locks for the client: collateral + price × duration.
pub const CLIENT_NEED: u64 = CLIENT_COLLATERAL + PRICE * MIN_DURATION as u64;

pub fn code(tag: u8) -> Cid {
    Cid::new_v1(IPLD_RAW, Multihash::<64>::wrap(0xb220, &[tag; 32]).unwrap())
}

pub fn miner_code() -> Cid {
    code(6)
}

pub fn account_code() -> Cid {
    code(4)
}

/// The f1 address of CLIENT.
pub fn client_key() -> Address {
    Address::new_secp256k1(&[7u8; 65]).unwrap()
}

pub fn atto(n: u64) -> TokenAmount {
    TokenAmount::from_atto(n)
}

pub fn piece_cid(tag: u8) -> Cid {
    Cid::new_v1(
        FIL_COMMITMENT_UNSEALED,
        Multihash::<64>::wrap(SHA2_256_TRUNC254_PADDED, &[tag; 32]).unwrap(),
    )
}

/// A market constructed by f00, with a miner (owner, worker), two clients and a stranger.
pub fn setup() -> FakeRuntime {
    let rt = FakeRuntime::new(MARKET);
    rt.set_code(SYSTEM, code(1), Some(1));
    rt.set_code(BURNT, account_code(), Some(4));
    for id in [OWNER, WORKER, CLIENT, CLIENT2, STRANGER] {
        rt.set_code(id, account_code(), Some(4));
    }
    rt.register(client_key(), CLIENT);
    rt.set_code(PROVIDER, miner_code(), Some(6));
    rt.set_code(OTHER_MINER, miner_code(), Some(6));
    rt.set_caller(SYSTEM);
    constructor(&rt, ()).unwrap();
    rt
}

pub fn ok(ret: Option<IpldBlock>) -> std::result::Result<SendResponse, ErrorNumber> {
    Ok(SendResponse { exit_code: ExitCode::OK, return_data: ret })
}

pub fn exit(code: ExitCode) -> std::result::Result<SendResponse, ErrorNumber> {
    Ok(SendResponse { exit_code: code, return_data: None })
}

pub fn block<T: Serialize>(v: &T) -> Option<IpldBlock> {
    params::params(v).unwrap()
}

pub fn expect(
    rt: &FakeRuntime,
    to: Address,
    method: u64,
    params: Option<IpldBlock>,
    value: TokenAmount,
    response: std::result::Result<SendResponse, ErrorNumber>,
) {
    rt.expect_send(ExpectedSend { to, method, params, value, response });
}

pub fn expect_control_addresses(rt: &FakeRuntime, miner: ActorID) {
    let ret = GetControlAddressesReturn {
        owner: Address::new_id(OWNER),
        worker: Address::new_id(WORKER),
        control_addresses: vec![],
    };
    expect(
        rt,
        Address::new_id(miner),
        ext::MINER_CONTROL_ADDRESSES,
        None,
        TokenAmount::default(),
        ok(block(&ret)),
    );
}

/// Funds an escrow account from `from` (the provider's escrow is topped up through a miner, so
/// its ControlAddresses call is expected).
pub fn add_balance_as(rt: &FakeRuntime, from: ActorID, who: ActorID, amount: u64) {
    rt.set_caller(from);
    rt.set_value(atto(amount));
    if who == PROVIDER || who == OTHER_MINER {
        expect_control_addresses(rt, who);
    }
    add_balance(rt, Address::new_id(who)).unwrap();
    rt.set_value(TokenAmount::default());
    assert!(rt.all_sends_made());
}

/// Funds the client and the provider generously.
pub fn fund(rt: &FakeRuntime) {
    add_balance_as(rt, CLIENT, CLIENT, 10 * CLIENT_NEED);
    add_balance_as(rt, OWNER, PROVIDER, 10 * PROVIDER_COLLATERAL);
}

pub fn balance(rt: &FakeRuntime, who: ActorID) -> (TokenAmount, TokenAmount) {
    let r = get_balance(rt, Address::new_id(who)).unwrap();
    (r.balance, r.locked)
}

/// A valid proposal from the client (given as its f1 address) to the provider.
pub fn proposal(tag: u8) -> DealProposal {
    DealProposal {
        piece_cid: piece_cid(tag),
        piece_size: 2048,
        verified_deal: false,
        client: client_key(),
        provider: Address::new_id(PROVIDER),
        label: Label::String(format!("deal {tag}")),
        start_epoch: START,
        end_epoch: END,
        storage_price_per_epoch: atto(PRICE),
        provider_collateral: atto(PROVIDER_COLLATERAL),
        client_collateral: atto(CLIENT_COLLATERAL),
    }
}

pub fn signed(p: DealProposal) -> ClientDealProposal {
    ClientDealProposal {
        proposal: p,
        client_signature: Signature { sig_type: SignatureType::Secp256k1, bytes: vec![9; 65] },
    }
}

/// The proposal as stored: client and provider as ID addresses.
pub fn normalised(p: &DealProposal, client: ActorID) -> DealProposal {
    DealProposal {
        client: Address::new_id(client),
        provider: Address::new_id(PROVIDER),
        ..p.clone()
    }
}

pub fn expect_is_controlling(
    rt: &FakeRuntime,
    caller: ActorID,
    response: std::result::Result<SendResponse, ErrorNumber>,
) {
    expect(
        rt,
        Address::new_id(PROVIDER),
        ext::MINER_IS_CONTROLLING_ADDRESS,
        block(&Address::new_id(caller)),
        TokenAmount::default(),
        response,
    );
}

pub fn auth_params(deal: &ClientDealProposal) -> Option<IpldBlock> {
    block(&AuthenticateMessageParams {
        signature: deal.client_signature.bytes.clone(),
        message: fvm_ipld_encoding::to_vec(&deal.proposal).unwrap(),
    })
}

pub fn expect_auth(
    rt: &FakeRuntime,
    deal: &ClientDealProposal,
    response: std::result::Result<SendResponse, ErrorNumber>,
) {
    expect(
        rt,
        deal.proposal.client,
        ext::AUTHENTICATE_MESSAGE,
        auth_params(deal),
        TokenAmount::default(),
        response,
    );
}

pub fn auth_ok(rt: &FakeRuntime, deal: &ClientDealProposal) {
    expect_auth(rt, deal, ok(block(&true)));
}

pub fn expect_notify(
    rt: &FakeRuntime,
    stored: &DealProposal,
    deal_id: DealID,
    response: std::result::Result<SendResponse, ErrorNumber>,
) {
    let params =
        MarketNotifyDealParams { proposal: fvm_ipld_encoding::to_vec(stored).unwrap(), deal_id };
    expect(
        rt,
        stored.client,
        ext::MARKET_NOTIFY_DEAL,
        block(&params),
        TokenAmount::default(),
        response,
    );
}

/// Calls PublishStorageDeals as the worker.
pub fn publish(
    rt: &FakeRuntime,
    deals: Vec<ClientDealProposal>,
) -> Result<PublishStorageDealsReturn> {
    rt.set_caller(WORKER);
    publish_storage_deals(rt, PublishStorageDealsParams { deals })
}

/// Publishes one valid deal from CLIENT with every expected call answered successfully.
pub fn publish_one(rt: &FakeRuntime, tag: u8) -> DealID {
    let deal = signed(proposal(tag));
    let next = next_id(rt);
    expect_is_controlling(rt, WORKER, ok(block(&true)));
    auth_ok(rt, &deal);
    expect_notify(rt, &normalised(&deal.proposal, CLIENT), next, ok(None));
    let r = publish(rt, vec![deal]).unwrap();
    assert!(rt.all_sends_made());
    assert_eq!(r.ids, vec![next]);
    next
}

pub fn next_id(rt: &FakeRuntime) -> DealID {
    actorlib_kit::state::load::<State>(rt).unwrap().next_id
}

/// Runs a sandbox method as f00 at `epoch`.
pub fn as_system(rt: &FakeRuntime, epoch: ChainEpoch) {
    rt.set_caller(SYSTEM);
    rt.set_epoch(epoch);
}

pub fn valid_indices(r: &PublishStorageDealsReturn) -> Vec<u64> {
    r.valid_deals.iter().collect()
}
