//! Sandbox stand-in for the storage market actor (f05, builtin type 7 `storagemarket`).
//!
//! Real interface (builtin-actors `actors/market`); every struct is CBOR tuple encoded, single
//! values are bare:
//!
//! | # | exported | method | caller | params | return |
//! |---|---|---|---|---|---|
//! | 1 | — | Constructor | f00 | none | none |
//! | 2 | 822473126 | AddBalance | any (legacy #: builtin actors); value > 0 (else 16) | `Address` | none |
//! | 3 | 2280458852 | WithdrawBalance | the client; a miner's owner or worker (else 18) | `{provider_or_client, amount}` | `TokenAmount` withdrawn |
//! | 4 | 2236929350 | PublishStorageDeals | a controlling address of the provider (else 18) | `{deals: [{proposal, client_signature}]}` | `{ids, valid_deals: BitField}` |
//! | — | 726108461 | GetBalance | any | `Address` (unresolvable: 16) | `{balance, locked}` |
//! | — | 1157985802 | GetDealDataCommitment | any | deal ID | `{data: Cid, size}` |
//! | — | 128053329 | GetDealClient | any | deal ID | `ActorID` |
//! | — | 935081690 | GetDealProvider | any | deal ID | `ActorID` |
//! | — | 46363526 | GetDealLabel | any | deal ID | `Label` (text or byte string) |
//! | — | 163777312 | GetDealTerm | any | deal ID | `{start, duration}` |
//! | — | 4287162428 | GetDealTotalPrice | any | deal ID | `TokenAmount` (price × duration) |
//! | — | 200567895 | GetDealClientCollateral | any | deal ID | `TokenAmount` |
//! | — | 2986712137 | GetDealProviderCollateral | any | deal ID | `TokenAmount` |
//! | — | 2627389465 | GetDealVerified | any | deal ID | `bool` |
//! | — | 2567238399 | GetDealActivation | any | deal ID | `{activated, terminated}` |
//! | — | 2611213344 | GetDealSector | any | deal ID | sector number |
//!
//! **Legacy numbers** (below 2^24, the `#` column and the sandbox-only methods below): like the real
//! market (`actor_dispatch!`), a caller that is not a builtin actor (or is an EVM contract) gets
//! `USR_FORBIDDEN` for every one of them, known or not, before dispatch
//! ([`actorlib_kit::dispatch::restrict_internal_api`]); user actors must use the exported numbers.
//!
//! Deal getters fail with 17 for an ID never published and 32 (`EX_DEAL_EXPIRED`) for a deal
//! published and since removed (completed, terminated or expired); `GetDealActivation` answers
//! `{-1, -1}` before activation and `{activation epoch, -1}` after; `GetDealSector` fails with 33
//! (`EX_DEAL_NOT_ACTIVATED`) before activation.
//!
//! **Sandbox-only methods** (not on a real network; caller must be the system actor f00, so the
//! sandbox drives them with implicit messages). They stand in for what miners (sector activation and
//! termination) and the cron actor do to deals:
//!
//! | # | method | params | return |
//! |---|---|---|---|
//! | 1000 | SandboxActivateDeals | `{deal_ids, sector_number}` | none |
//! | 1001 | SandboxTerminateDeals | `{deal_ids}` | `{terminated}` |
//! | 1002 | SandboxCronTick | none | `{completed, expired}` |
//!
//! **Differences from a real network** (details in the crate's README): the reward and power actors
//! are not queried, so the provider-collateral lower bound is 0 (what the real bound is with the
//! Tester's zero circulating supply); verified deals are refused (no DataCap / verified registry);
//! payments are made only at completion or termination (no `SettleDealPayments`, no periodic
//! settlement); activation, termination and cron are the sandbox methods above rather than
//! miner/cron calls.
pub mod events;
pub mod state;
pub mod types;

use std::collections::{BTreeMap, BTreeSet};

use actorlib_kit::builtin::{BuiltinType, BURNT_FUNDS_ACTOR_ID, SYSTEM_ACTOR_ID};
use actorlib_kit::{actor_error, caller, dispatch, messaging, state as kit_state};
use actorlib_kit::{ActorError, Amount, Result, Runtime};
use cid::Cid;
use fvm_ipld_bitfield::BitField;
use fvm_ipld_encoding::ipld_block::IpldBlock;
use fvm_shared::address::Address;
use fvm_shared::bigint::Zero;
use fvm_shared::clock::ChainEpoch;
use fvm_shared::econ::TokenAmount;
use fvm_shared::error::ExitCode;
use fvm_shared::{ActorID, MethodNum};

pub use state::State;
pub use types::*;

/// Longest label accepted, in bytes.
pub const DEAL_MAX_LABEL_SIZE: usize = 256;
/// Smallest padded piece size.
pub const MIN_PIECE_SIZE: u64 = 128;
/// Epochs per day (30 s epochs).
pub const EPOCHS_IN_DAY: ChainEpoch = 2880;
/// Shortest deal: 180 days.
pub const MIN_DEAL_DURATION: ChainEpoch = 180 * EPOCHS_IN_DAY;
/// Longest deal: 1278 days.
pub const MAX_DEAL_DURATION: ChainEpoch = 1278 * EPOCHS_IN_DAY;
/// Multicodec fil-commitment-unsealed (a piece CID's codec).
pub const FIL_COMMITMENT_UNSEALED: u64 = 0xf101;
/// Multihash sha2-256-trunc254-padded (a piece CID's hash).
pub const SHA2_256_TRUNC254_PADDED: u64 = 0x1012;

/// The total FIL supply, 2·10⁹ FIL: the upper bound of prices and collaterals.
pub fn total_filecoin() -> TokenAmount {
    TokenAmount::from_whole(2_000_000_000)
}

fn load(rt: &impl Runtime) -> Result<State> {
    kit_state::load(rt)
}

fn hasher(rt: &impl Runtime) -> impl Fn(&[u8]) -> [u8; 32] + '_ {
    move |data| rt.hash_blake2b(data)
}

/// Constructor: caller f00; an empty market.
pub fn constructor(rt: &impl Runtime, _: ()) -> Result<()> {
    caller::require_caller(rt, &[SYSTEM_ACTOR_ID])?;
    kit_state::save(rt, &State::new(rt.store())?)?;
    Ok(())
}

/// The escrow account behind `address`, who receives its withdrawals, and who may withdraw: for a
/// miner, its owner and worker (asked with `ControlAddresses`); otherwise the account itself.
fn escrow_address(
    rt: &impl Runtime,
    address: &Address,
) -> Result<(ActorID, Address, Vec<ActorID>)> {
    let nominal = rt
        .resolve_address(address)
        .ok_or_else(|| actor_error!(illegal_argument; "failed to resolve address {}", address))?;
    let code = rt
        .actor_code(nominal)
        .ok_or_else(|| actor_error!(illegal_argument; "no code for address {}", address))?;
    if rt.builtin_type(&code) != Some(BuiltinType::Miner as i32) {
        return Ok((nominal, Address::new_id(nominal), vec![nominal]));
    }
    let ctl: GetControlAddressesReturn = messaging::send(
        rt,
        &Address::new_id(nominal),
        ext::MINER_CONTROL_ADDRESSES,
        &(),
        TokenAmount::zero(),
    )
    .map_err(|e| actor_error!(illegal_argument; "failed to get control addresses of f0{}: {}", nominal, e))?;
    let approved = [ctl.owner, ctl.worker].iter().filter_map(|a| rt.resolve_address(a)).collect();
    Ok((nominal, ctl.owner, approved))
}

/// Credits the value received to the escrow of `provider_or_client`.
pub fn add_balance(rt: &impl Runtime, provider_or_client: Address) -> Result<()> {
    let value = rt.value_received();
    if !value.is_positive() {
        return Err(
            actor_error!(illegal_argument; "balance to add must be greater than zero, got {}", value),
        );
    }
    let (nominal, _, _) = escrow_address(rt, &provider_or_client)?;
    let mut st = load(rt)?;
    let mut balances = st.balances(rt.store())?;
    balances.deposit(nominal, &value)?;
    balances.flush(&mut st)?;
    kit_state::save(rt, &st)?;
    Ok(())
}

/// Withdraws up to `amount` of the unlocked escrow to the client (or the miner's owner).
pub fn withdraw_balance(rt: &impl Runtime, params: WithdrawBalanceParams) -> Result<TokenAmount> {
    if params.amount.is_negative() {
        return Err(actor_error!(illegal_argument; "negative amount {}", params.amount));
    }
    let (nominal, recipient, approved) = escrow_address(rt, &params.provider_or_client)?;
    caller::require_caller(rt, &approved)?;
    let mut st = load(rt)?;
    let mut balances = st.balances(rt.store())?;
    let extracted = balances.withdraw_available(nominal, &params.amount)?;
    balances.flush(&mut st)?;
    kit_state::save(rt, &st)?;
    messaging::transfer(rt, &recipient, extracted.clone())?;
    Ok(extracted)
}

/// Escrow and locked balance of an account.
pub fn get_balance(rt: &impl Runtime, account: Address) -> Result<GetBalanceReturn> {
    let id = rt
        .resolve_address(&account)
        .ok_or_else(|| actor_error!(illegal_argument; "failed to resolve address {}", account))?;
    let balances = load(rt)?.balances(rt.store())?;
    Ok(GetBalanceReturn { balance: balances.escrow(id)?, locked: balances.locked(id)? })
}

/// Whether `c` is a piece CID (CommP).
pub fn is_piece_cid(c: &Cid) -> bool {
    c.version() == cid::Version::V1
        && c.codec() == FIL_COMMITMENT_UNSEALED
        && c.hash().code() == SHA2_256_TRUNC254_PADDED
        && c.hash().size() == 32
}

fn within_supply(a: &TokenAmount) -> bool {
    !a.is_negative() && *a <= total_filecoin()
}

/// The per-deal checks that need no state: the client's FRC-44 authentication (a read-only call
/// to the client as given, over the CBOR of the proposal as submitted), then the proposal's
/// fields. An error drops the deal.
fn validate_deal(rt: &impl Runtime, deal: &ClientDealProposal, now: ChainEpoch) -> Result<()> {
    let p = &deal.proposal;
    let auth = AuthenticateMessageParams {
        signature: deal.client_signature.bytes.clone(),
        message: fvm_ipld_encoding::to_vec(p)?,
    };
    let ok: bool = messaging::send_read_only(rt, &p.client, ext::AUTHENTICATE_MESSAGE, &auth)
        .map_err(|e| e.wrap("client authentication failed"))?;
    let fail = |m: String| Err(ActorError::illegal_argument(m));
    if !ok {
        return fail("client authentication returned false".into());
    }
    if p.label.len() > DEAL_MAX_LABEL_SIZE {
        return fail(format!("label is {} bytes, max {DEAL_MAX_LABEL_SIZE}", p.label.len()));
    }
    if p.piece_size < MIN_PIECE_SIZE || !p.piece_size.is_power_of_two() {
        return fail(format!("invalid piece size {}", p.piece_size));
    }
    if !is_piece_cid(&p.piece_cid) {
        return fail(format!("{} is not a piece CID", p.piece_cid));
    }
    if p.end_epoch <= p.start_epoch {
        return fail("end epoch must be after start epoch".into());
    }
    if now > p.start_epoch {
        return fail(format!("start epoch {} has already elapsed", p.start_epoch));
    }
    if !(MIN_DEAL_DURATION..=MAX_DEAL_DURATION).contains(&p.duration()) {
        return fail(format!("duration {} out of bounds", p.duration()));
    }
    if !within_supply(&p.storage_price_per_epoch) {
        return fail("storage price out of bounds".into());
    }
    // The real lower bound is 1% of circulating supply pro rata to the piece's share of network
    // power (from the reward and power actors, not queried here); it is 0 with zero supply.
    if !within_supply(&p.provider_collateral) {
        return fail("provider collateral out of bounds".into());
    }
    if !within_supply(&p.client_collateral) {
        return fail("client collateral out of bounds".into());
    }
    Ok(())
}

/// Publishes a batch of deals for one provider (see the flow in the crate's README): invalid deals
/// are dropped; if none is valid the call fails with 16.
pub fn publish_storage_deals(
    rt: &impl Runtime,
    params: PublishStorageDealsParams,
) -> Result<PublishStorageDealsReturn> {
    // 1. The provider: resolvable (17), a miner (16).
    let Some(first) = params.deals.first() else {
        return Err(ActorError::illegal_argument("empty deals parameter"));
    };
    let provider_raw = first.proposal.provider;
    let provider = caller::resolve_id(rt, &provider_raw)?;
    let provider_addr = Address::new_id(provider);
    let is_miner = rt.actor_code(provider).and_then(|c| rt.builtin_type(&c))
        == Some(BuiltinType::Miner as i32);
    if !is_miner {
        return Err(
            actor_error!(illegal_argument; "deal provider {} is not a miner", provider_raw),
        );
    }
    // 2. The caller must control the provider.
    let caller_addr = Address::new_id(rt.caller());
    let controls: bool = messaging::send(
        rt,
        &provider_addr,
        ext::MINER_IS_CONTROLLING_ADDRESS,
        &caller_addr,
        TokenAmount::zero(),
    )?;
    if !controls {
        return Err(
            actor_error!(forbidden; "caller {} is not a controlling address of the provider", caller_addr),
        );
    }
    // 3. (reward/power queries skipped: collateral lower bound 0.)
    // 4. Per deal validation; invalid deals are dropped.
    let now = rt.curr_epoch();
    let hash = hasher(rt);
    let mut st = load(rt)?;
    let balances = st.balances(rt.store())?;
    let mut client_lockup: BTreeMap<ActorID, TokenAmount> = BTreeMap::new();
    let mut provider_lockup = TokenAmount::zero();
    let mut in_batch: BTreeSet<Cid> = BTreeSet::new();
    let mut valid: Vec<(DealProposal, Cid)> = Vec::new();
    let mut valid_deals = BitField::new();
    for (i, deal) in params.deals.into_iter().enumerate() {
        if validate_deal(rt, &deal, now).is_err() {
            continue;
        }
        let mut p = deal.proposal;
        if p.provider != provider_addr && p.provider != provider_raw {
            continue;
        }
        let Some(client) = rt.resolve_address(&p.client) else {
            continue;
        };
        p.client = Address::new_id(client);
        p.provider = provider_addr;
        let pcid = state::proposal_cid(&p, &hash)?;
        if in_batch.contains(&pcid) || st.has_pending(rt.store(), &pcid)? {
            continue;
        }
        let client_need = client_lockup
            .get(&client)
            .cloned()
            .unwrap_or_default()
            .checked_add_amount(&p.client_balance_requirement())?;
        if !balances.is_covered(client, &client_need)? {
            continue;
        }
        let provider_need = provider_lockup.checked_add_amount(&p.provider_collateral)?;
        if !balances.is_covered(provider, &provider_need)? {
            continue;
        }
        // Verified deals need DataCap and the verified registry, which the sandbox lacks.
        if p.verified_deal {
            continue;
        }
        client_lockup.insert(client, client_need);
        provider_lockup = provider_need;
        in_batch.insert(pcid);
        valid.push((p, pcid));
        valid_deals.set(i as u64);
    }
    // 5.
    if valid.is_empty() {
        return Err(ActorError::illegal_argument("All deal proposals invalid"));
    }
    // 6. Lock, assign IDs, store; the state is saved before calling out.
    let ids = st.publish_deals(rt.store(), &valid)?;
    kit_state::save(rt, &st)?;
    // 7. Notify each client, then emit its event.
    for ((p, pcid), &id) in valid.iter().zip(&ids) {
        let (client, _) = state::parties(p)?;
        let notify =
            MarketNotifyDealParams { proposal: fvm_ipld_encoding::to_vec(p)?, deal_id: id };
        let r = messaging::send_raw(
            rt,
            &p.client,
            ext::MARKET_NOTIFY_DEAL,
            actorlib_kit::params::params(&notify)?,
            TokenAmount::zero(),
            false,
        );
        let failure = match r {
            Ok(r) if r.exit_code.is_success() => None,
            Ok(r) => Some(format!("exit {}", r.exit_code)),
            Err(e) => Some(e.to_string()),
        };
        if let Some(f) = failure {
            return Err(ActorError::new(
                ExitCode::USR_ILLEGAL_ARGUMENT,
                format!("failed to notify deal with proposal cid {pcid}: {f}"),
            ));
        }
        events::emit_deal_event(rt, events::DEAL_PUBLISHED, id, client, provider)?;
    }
    // 8.
    Ok(PublishStorageDealsReturn { ids, valid_deals })
}

fn proposal(rt: &impl Runtime, id: DealID) -> Result<DealProposal> {
    load(rt)?.get_proposal(rt.store(), id)
}

/// The piece CID and size of a deal.
pub fn get_deal_data_commitment(
    rt: &impl Runtime,
    id: DealID,
) -> Result<GetDealDataCommitmentReturn> {
    let p = proposal(rt, id)?;
    Ok(GetDealDataCommitmentReturn { data: p.piece_cid, size: p.piece_size })
}

/// The client of a deal.
pub fn get_deal_client(rt: &impl Runtime, id: DealID) -> Result<ActorID> {
    Ok(state::parties(&proposal(rt, id)?)?.0)
}

/// The provider of a deal.
pub fn get_deal_provider(rt: &impl Runtime, id: DealID) -> Result<ActorID> {
    Ok(state::parties(&proposal(rt, id)?)?.1)
}

/// The label of a deal.
pub fn get_deal_label(rt: &impl Runtime, id: DealID) -> Result<Label> {
    Ok(proposal(rt, id)?.label)
}

/// The start epoch and duration of a deal.
pub fn get_deal_term(rt: &impl Runtime, id: DealID) -> Result<GetDealTermReturn> {
    let p = proposal(rt, id)?;
    Ok(GetDealTermReturn { start: p.start_epoch, duration: p.duration() })
}

/// Price per epoch × duration.
pub fn get_deal_total_price(rt: &impl Runtime, id: DealID) -> Result<TokenAmount> {
    Ok(proposal(rt, id)?.total_storage_fee())
}

/// The client's collateral.
pub fn get_deal_client_collateral(rt: &impl Runtime, id: DealID) -> Result<TokenAmount> {
    Ok(proposal(rt, id)?.client_collateral)
}

/// The provider's collateral.
pub fn get_deal_provider_collateral(rt: &impl Runtime, id: DealID) -> Result<TokenAmount> {
    Ok(proposal(rt, id)?.provider_collateral)
}

/// Whether the deal is verified (always false here: verified deals are refused).
pub fn get_deal_verified(rt: &impl Runtime, id: DealID) -> Result<bool> {
    Ok(proposal(rt, id)?.verified_deal)
}

/// `{activation epoch or -1, -1}`; terminated deals fail with 32.
pub fn get_deal_activation(rt: &impl Runtime, id: DealID) -> Result<GetDealActivationReturn> {
    let st = load(rt)?;
    match st.find_deal_state(rt.store(), id)? {
        Some(s) if s.slash_epoch != EPOCH_UNDEFINED => {
            Err(ActorError::new(EX_DEAL_EXPIRED, format!("deal {id} was terminated")))
        }
        Some(s) => Ok(GetDealActivationReturn {
            activated: s.sector_start_epoch,
            terminated: s.slash_epoch,
        }),
        None => {
            st.get_proposal(rt.store(), id)?;
            Ok(GetDealActivationReturn { activated: EPOCH_UNDEFINED, terminated: EPOCH_UNDEFINED })
        }
    }
}

/// The sector of an active deal; 33 if not activated, 32 if terminated.
pub fn get_deal_sector(rt: &impl Runtime, id: DealID) -> Result<u64> {
    Ok(load(rt)?.get_active_deal_state(rt.store(), id)?.sector_number)
}

/// Sandbox only (caller f00): activates deals at the current epoch in `sector_number`.
pub fn sandbox_activate_deals(rt: &impl Runtime, params: SandboxActivateDealsParams) -> Result<()> {
    caller::require_caller(rt, &[SYSTEM_ACTOR_ID])?;
    let mut st = load(rt)?;
    let activated =
        st.activate_deals(rt.store(), &params.deal_ids, params.sector_number, rt.curr_epoch())?;
    kit_state::save(rt, &st)?;
    for (id, p) in activated {
        let (client, provider) = state::parties(&p)?;
        events::emit_deal_event(rt, events::DEAL_ACTIVATED, id, client, provider)?;
    }
    Ok(())
}

fn burn(rt: &impl Runtime, amount: &TokenAmount) -> Result<()> {
    if amount.is_positive() {
        messaging::transfer(rt, &Address::new_id(BURNT_FUNDS_ACTOR_ID), amount.clone())?;
    }
    Ok(())
}

/// Sandbox only (caller f00): terminates active deals at the current epoch.
pub fn sandbox_terminate_deals(
    rt: &impl Runtime,
    params: SandboxTerminateDealsParams,
) -> Result<SandboxTerminateDealsReturn> {
    caller::require_caller(rt, &[SYSTEM_ACTOR_ID])?;
    let hash = hasher(rt);
    let mut st = load(rt)?;
    let out = st.terminate_deals(rt.store(), &params.deal_ids, rt.curr_epoch(), &hash)?;
    kit_state::save(rt, &st)?;
    let mut terminated = Vec::with_capacity(out.terminated.len());
    for d in out.terminated {
        let (client, provider) = state::parties(&d.proposal)?;
        events::emit_deal_event(rt, events::DEAL_TERMINATED, d.id, client, provider)?;
        terminated.push(d.id);
    }
    burn(rt, &out.slashed)?;
    Ok(SandboxTerminateDealsReturn { terminated })
}

/// Sandbox only (caller f00): completes ended deals and expires unactivated ones.
pub fn sandbox_cron_tick(rt: &impl Runtime, _: ()) -> Result<SandboxCronTickReturn> {
    caller::require_caller(rt, &[SYSTEM_ACTOR_ID])?;
    let hash = hasher(rt);
    let mut st = load(rt)?;
    let out = st.cron_tick(rt.store(), rt.curr_epoch(), &hash)?;
    kit_state::save(rt, &st)?;
    let mut ret = SandboxCronTickReturn::default();
    for d in out.completed {
        let (client, provider) = state::parties(&d.proposal)?;
        events::emit_deal_event(rt, events::DEAL_COMPLETED, d.id, client, provider)?;
        ret.completed.push(d.id);
    }
    ret.expired = out.expired.iter().map(|d| d.id).collect();
    burn(rt, &out.slashed)?;
    Ok(ret)
}

/// Routes a call.
pub fn invoke(
    rt: &impl Runtime,
    method: MethodNum,
    params: Option<IpldBlock>,
) -> Result<Option<IpldBlock>> {
    actorlib_kit::dispatch::restrict_internal_api(rt, method)?;
    dispatch!(rt, method, params;
        Method::Constructor => constructor,
        Method::AddBalance => add_balance,
        Method::AddBalanceExported => add_balance,
        Method::WithdrawBalance => withdraw_balance,
        Method::WithdrawBalanceExported => withdraw_balance,
        Method::PublishStorageDeals => publish_storage_deals,
        Method::PublishStorageDealsExported => publish_storage_deals,
        Method::GetBalanceExported => get_balance,
        Method::GetDealDataCommitmentExported => get_deal_data_commitment,
        Method::GetDealClientExported => get_deal_client,
        Method::GetDealProviderExported => get_deal_provider,
        Method::GetDealLabelExported => get_deal_label,
        Method::GetDealTermExported => get_deal_term,
        Method::GetDealTotalPriceExported => get_deal_total_price,
        Method::GetDealClientCollateralExported => get_deal_client_collateral,
        Method::GetDealProviderCollateralExported => get_deal_provider_collateral,
        Method::GetDealVerifiedExported => get_deal_verified,
        Method::GetDealActivationExported => get_deal_activation,
        Method::GetDealSectorExported => get_deal_sector,
        Method::SandboxActivateDeals => sandbox_activate_deals,
        Method::SandboxTerminateDeals => sandbox_terminate_deals,
        Method::SandboxCronTick => sandbox_cron_tick,
    )
}

#[cfg(feature = "fil-actor")]
actorlib_kit::wasm_trampoline!(invoke);
