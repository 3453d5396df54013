//! The storage market stand-in, driven as Wasm through real messages: escrow, publication with
//! account and actor clients, the deal lifecycle and every getter's answer in each state.
use actorlib_example_deal_client::{Answer, Method as ClientMethod, State as ClientState};
use actorlib_host_market::types::{
    GetBalanceReturn, GetDealActivationReturn, GetDealDataCommitmentReturn, GetDealTermReturn,
    Label, Method, PublishStorageDealsReturn, WithdrawBalanceParams, EX_DEAL_EXPIRED,
    EX_DEAL_NOT_ACTIVATED,
};
use actorlib_sandbox::storage::{deal_proposal, piece_cid, DealClient, Miner, MIN_DEAL_DURATION};
use actorlib_sandbox::{Account, Sandbox};
use fvm_shared::address::Address;
use fvm_shared::econ::TokenAmount;
use fvm_shared::error::ExitCode;

const MARKET: u64 = 5;

struct World {
    sb: Sandbox,
    client: Account,
    owner: Account,
    worker: Account,
    miner: Miner,
}

fn world() -> World {
    let mut sb = Sandbox::new().unwrap();
    let client = sb.create_account(TokenAmount::from_whole(1_000)).unwrap();
    let owner = sb.create_account(TokenAmount::from_whole(1_000)).unwrap();
    let worker = sb.create_account(TokenAmount::from_whole(10)).unwrap();
    let miner = sb.create_miner(&owner, &worker).unwrap();
    sb.add_market_balance(&client, client.id_address(), TokenAmount::from_whole(100))
        .unwrap()
        .ok()
        .unwrap();
    sb.add_market_balance(&owner, miner.id_address(), TokenAmount::from_whole(100))
        .unwrap()
        .ok()
        .unwrap();
    World { sb, client, owner, worker, miner }
}

fn market() -> Address {
    Address::new_id(MARKET)
}

fn priced(w: &World, seed: &[u8]) -> actorlib_host_market::types::DealProposal {
    let mut p = deal_proposal(piece_cid(seed), w.client.id_address(), w.miner.id_address(), 100);
    p.storage_price_per_epoch = TokenAmount::from_atto(10);
    p.provider_collateral = TokenAmount::from_whole(1);
    p.client_collateral = TokenAmount::from_whole(2);
    p.label = Label::String("dataset-1".into());
    p
}

fn get<R: serde::de::DeserializeOwned>(
    w: &mut World,
    method: Method,
    id: u64,
) -> Result<R, ExitCode> {
    let r = w.sb.send(&w.client, market(), method as u64, &id, TokenAmount::default()).unwrap();
    if r.is_ok() {
        Ok(r.ret().unwrap())
    } else {
        Err(r.exit_code)
    }
}

#[test]
fn a_deal_goes_from_publication_to_termination() {
    let mut w = world();
    let proposal = priced(&w, b"piece-a");
    let worker = w.worker.clone();
    let client = w.client.clone();
    let id = w.sb.publish_deal(&worker, proposal.clone(), DealClient::Account(&client)).unwrap();
    assert_eq!(id, 0);

    // Published, not activated.
    let act: GetDealActivationReturn = get(&mut w, Method::GetDealActivationExported, id).unwrap();
    assert_eq!((act.activated, act.terminated), (-1, -1));
    assert_eq!(get::<u64>(&mut w, Method::GetDealSectorExported, id), Err(EX_DEAL_NOT_ACTIVATED));
    let commitment: GetDealDataCommitmentReturn =
        get(&mut w, Method::GetDealDataCommitmentExported, id).unwrap();
    assert_eq!((commitment.data, commitment.size), (proposal.piece_cid, 2048));
    assert_eq!(get::<u64>(&mut w, Method::GetDealClientExported, id).unwrap(), w.client.id);
    assert_eq!(get::<u64>(&mut w, Method::GetDealProviderExported, id).unwrap(), w.miner.id);
    assert_eq!(
        get::<Label>(&mut w, Method::GetDealLabelExported, id).unwrap(),
        Label::String("dataset-1".into())
    );
    let term: GetDealTermReturn = get(&mut w, Method::GetDealTermExported, id).unwrap();
    assert_eq!((term.start, term.duration), (100, MIN_DEAL_DURATION));
    let total: TokenAmount = get(&mut w, Method::GetDealTotalPriceExported, id).unwrap();
    assert_eq!(total, TokenAmount::from_atto(10 * MIN_DEAL_DURATION));
    assert_eq!(
        get::<TokenAmount>(&mut w, Method::GetDealClientCollateralExported, id).unwrap(),
        TokenAmount::from_whole(2)
    );
    assert_eq!(
        get::<TokenAmount>(&mut w, Method::GetDealProviderCollateralExported, id).unwrap(),
        TokenAmount::from_whole(1)
    );
    assert!(!get::<bool>(&mut w, Method::GetDealVerifiedExported, id).unwrap());

    // Funds are locked.
    let r =
        w.sb.send(
            &w.client,
            market(),
            Method::GetBalanceExported as u64,
            &w.client.id_address(),
            TokenAmount::default(),
        )
        .unwrap();
    let bal: GetBalanceReturn = r.ret().unwrap();
    assert_eq!(bal.balance, TokenAmount::from_whole(100));
    assert_eq!(bal.locked, total.clone() + TokenAmount::from_whole(2));

    // Activated.
    w.sb.set_epoch(50).unwrap();
    let r = w.sb.activate_deals(&[id], 7).unwrap();
    assert!(r.is_ok(), "{:?}", r.failure_info);
    assert_eq!(r.event_types(), vec!["deal-activated".to_string()]);
    let act: GetDealActivationReturn = get(&mut w, Method::GetDealActivationExported, id).unwrap();
    assert_eq!((act.activated, act.terminated), (50, -1));
    assert_eq!(get::<u64>(&mut w, Method::GetDealSectorExported, id).unwrap(), 7);

    // Terminated: every getter now answers "expired".
    let burnt_before = w.sb.balance(99).unwrap();
    let r = w.sb.terminate_deals(&[id]).unwrap();
    assert!(r.is_ok(), "{:?}", r.failure_info);
    assert_eq!(r.event_types(), vec!["deal-terminated".to_string()]);
    assert_eq!(w.sb.balance(99).unwrap() - burnt_before, TokenAmount::from_whole(1));
    assert_eq!(
        get::<GetDealActivationReturn>(&mut w, Method::GetDealActivationExported, id),
        Err(EX_DEAL_EXPIRED)
    );
    assert_eq!(get::<u64>(&mut w, Method::GetDealClientExported, id), Err(EX_DEAL_EXPIRED));
    assert_eq!(get::<u64>(&mut w, Method::GetDealSectorExported, id), Err(EX_DEAL_EXPIRED));
    // Never published.
    assert_eq!(get::<u64>(&mut w, Method::GetDealClientExported, 99), Err(ExitCode::USR_NOT_FOUND));
    assert_eq!(
        get::<GetDealActivationReturn>(&mut w, Method::GetDealActivationExported, 99),
        Err(ExitCode::USR_NOT_FOUND)
    );
}

#[test]
fn deals_complete_at_their_end_and_pay_the_provider() {
    let mut w = world();
    let proposal = priced(&w, b"piece-b");
    let (worker, client) = (w.worker.clone(), w.client.clone());
    let id = w.sb.publish_deal(&worker, proposal.clone(), DealClient::Account(&client)).unwrap();
    w.sb.activate_deals(&[id], 1).unwrap().ok().unwrap();
    let r =
        w.sb.send(
            &w.owner,
            market(),
            Method::GetBalanceExported as u64,
            &w.miner.id_address(),
            TokenAmount::default(),
        )
        .unwrap();
    let before: GetBalanceReturn = r.ret().unwrap();
    w.sb.set_epoch(proposal.end_epoch).unwrap();
    let r =
        w.sb.send(
            &w.owner,
            market(),
            Method::GetBalanceExported as u64,
            &w.miner.id_address(),
            TokenAmount::default(),
        )
        .unwrap();
    let after: GetBalanceReturn = r.ret().unwrap();
    assert_eq!(after.balance - before.balance, proposal.total_storage_fee());
    assert_eq!(after.locked, TokenAmount::default());
    assert_eq!(get::<u64>(&mut w, Method::GetDealClientExported, id), Err(EX_DEAL_EXPIRED));
}

#[test]
fn an_unactivated_deal_expires_and_slashes_the_provider() {
    let mut w = world();
    let proposal = priced(&w, b"piece-c");
    let (worker, client) = (w.worker.clone(), w.client.clone());
    let id = w.sb.publish_deal(&worker, proposal, DealClient::Account(&client)).unwrap();
    let burnt = w.sb.balance(99).unwrap();
    w.sb.set_epoch(101).unwrap();
    assert_eq!(w.sb.balance(99).unwrap() - burnt, TokenAmount::from_whole(1));
    assert_eq!(get::<u64>(&mut w, Method::GetDealProviderExported, id), Err(EX_DEAL_EXPIRED));
}

#[test]
fn publication_checks_the_sender_and_drops_invalid_deals() {
    let mut w = world();
    let (worker, client) = (w.worker.clone(), w.client.clone());
    // The client is not a controlling address of the miner.
    let r =
        w.sb.publish_deals(&client, vec![(priced(&w, b"x"), DealClient::Account(&client))])
            .unwrap();
    assert_eq!(r.exit_code, ExitCode::USR_FORBIDDEN);
    // A bad signature and a too-short deal are dropped; the valid one is published.
    let mut short = priced(&w, b"short");
    short.end_epoch = short.start_epoch + 10;
    let stranger = w.sb.create_account(TokenAmount::from_whole(1)).unwrap();
    let r =
        w.sb.publish_deals(
            &worker,
            vec![
                (priced(&w, b"signed-by-stranger"), DealClient::Account(&stranger)),
                (short, DealClient::Account(&client)),
                (priced(&w, b"good"), DealClient::Account(&client)),
            ],
        )
        .unwrap();
    let ret: PublishStorageDealsReturn = r.ret().unwrap();
    assert_eq!(ret.ids, vec![0]);
    assert_eq!(ret.valid_deals.iter().collect::<Vec<_>>(), vec![2]);
    assert_eq!(r.event_types(), vec!["deal-published".to_string()]);
    // All invalid.
    let r =
        w.sb.publish_deals(&worker, vec![(priced(&w, b"again"), DealClient::Account(&stranger))])
            .unwrap();
    assert_eq!(r.exit_code, ExitCode::USR_ILLEGAL_ARGUMENT);
    // The same proposal twice: the duplicate is dropped.
    let r =
        w.sb.publish_deals(&worker, vec![(priced(&w, b"good"), DealClient::Account(&client))])
            .unwrap();
    assert_eq!(r.exit_code, ExitCode::USR_ILLEGAL_ARGUMENT);
}

#[test]
fn actor_clients_authenticate_and_are_notified_by_the_market() {
    let mut w = world();
    let code = w.sb.install_actor(actorlib_bundle::wasm("example-deal-client").unwrap()).unwrap();
    let (worker, client) = (w.worker.clone(), w.client.clone());
    let dao = w.sb.deploy(&client, code, &Answer::Approve, TokenAmount::default()).unwrap();
    let dao_id = dao.id_address.id().unwrap();
    w.sb.add_market_balance(&client, dao.id_address, TokenAmount::from_whole(50))
        .unwrap()
        .ok()
        .unwrap();

    let mut p = priced(&w, b"dao-piece");
    p.client = dao.robust_address;
    let id = w.sb.publish_deal(&worker, p.clone(), DealClient::Actor).unwrap();
    let st: ClientState = w.sb.state(dao_id).unwrap();
    assert_eq!((st.notifications, st.last_notifier, st.last_deal_id), (1, MARKET, id));
    assert_eq!(st.last_piece, Some(p.piece_cid));
    assert_eq!(get::<u64>(&mut w, Method::GetDealClientExported, id).unwrap(), dao_id);

    // A client that declines or aborts blocks the deal.
    for answer in [Answer::Decline, Answer::Abort] {
        w.sb.send(
            &client,
            dao.id_address,
            ClientMethod::SetAnswer as u64,
            &answer,
            TokenAmount::default(),
        )
        .unwrap()
        .ok()
        .unwrap();
        let mut p = priced(&w, format!("{answer:?}").as_bytes());
        p.client = dao.id_address;
        let root = w.sb.actor(MARKET).unwrap().unwrap().state;
        let r = w.sb.publish_deals(&worker, vec![(p, DealClient::Actor)]).unwrap();
        assert_eq!(r.exit_code, ExitCode::USR_ILLEGAL_ARGUMENT, "{answer:?}");
        assert_eq!(w.sb.actor(MARKET).unwrap().unwrap().state, root);
    }
    let st: ClientState = w.sb.state(dao_id).unwrap();
    assert_eq!(st.notifications, 1);
}

#[test]
fn escrow_rules() {
    let mut w = world();
    let (client, owner) = (w.client.clone(), w.owner.clone());
    // AddBalance needs value.
    let r = w.sb.add_market_balance(&client, client.id_address(), TokenAmount::default()).unwrap();
    assert_eq!(r.exit_code, ExitCode::USR_ILLEGAL_ARGUMENT);
    // Only the client withdraws its own escrow; only the owner or worker the miner's.
    let p = WithdrawBalanceParams {
        provider_or_client: client.id_address(),
        amount: TokenAmount::from_whole(1),
    };
    let r = w
        .sb
        .send(&owner, market(), Method::WithdrawBalanceExported as u64, &p, TokenAmount::default())
        .unwrap();
    assert_eq!(r.exit_code, ExitCode::USR_FORBIDDEN);
    let p = WithdrawBalanceParams {
        provider_or_client: w.miner.id_address(),
        amount: TokenAmount::from_whole(1),
    };
    let r = w
        .sb
        .send(&client, market(), Method::WithdrawBalanceExported as u64, &p, TokenAmount::default())
        .unwrap();
    assert_eq!(r.exit_code, ExitCode::USR_FORBIDDEN);
    // Withdrawing more than is free returns what is free, sent to the owner.
    let before = w.sb.balance(owner.id).unwrap();
    let p = WithdrawBalanceParams {
        provider_or_client: w.miner.id_address(),
        amount: TokenAmount::from_whole(500),
    };
    let r = w
        .sb
        .send(&owner, market(), Method::WithdrawBalanceExported as u64, &p, TokenAmount::default())
        .unwrap();
    assert_eq!(r.ret::<TokenAmount>().unwrap(), TokenAmount::from_whole(100));
    assert_eq!(w.sb.balance(owner.id).unwrap() - before, TokenAmount::from_whole(100));
    // Negative amounts are illegal.
    let p = WithdrawBalanceParams {
        provider_or_client: client.id_address(),
        amount: TokenAmount::from_atto(-1),
    };
    let r = w
        .sb
        .send(&client, market(), Method::WithdrawBalanceExported as u64, &p, TokenAmount::default())
        .unwrap();
    assert_eq!(r.exit_code, ExitCode::USR_ILLEGAL_ARGUMENT);
}
