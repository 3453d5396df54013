//! # actorlib_nft
//!
//! An FRC-53 non-fungible token collection for the FVM. Implements:
//!
//! - [x] FRC-53 (the `frc53_nft` crate's method names and encodings): `Name`, `Symbol`,
//!   `TotalSupply`, `BalanceOf` (and `Balance`), `OwnerOf`, `Metadata`, `Transfer`,
//!   `TransferFrom`, `Approve`, `Revoke`, `ApproveForAll`, `RevokeForAll`, `IsApprovedForAll`,
//!   `Burn`, `BurnFrom`, and the enumerations `ListTokens`, `ListOwnedTokens`,
//!   `ListTokenOperators`, `ListAccountOperators` with key cursors;
//! - [x] the universal receiver hook on every credit (mints and transfers, empty ones included);
//! - [x] roles: admin and minter (`GrantRole`, `RevokeRole`, `HasRole`);
//! - [x] `Mint` and `BatchMint` by minters, each token with a metadata URI, under an optional
//!   `MaxSupply`;
//! - [x] the FRC-53 text's names the crate lacks, with the text's encodings (token sets as RLE+
//!   bitfields): `MetadataID`, `Owner`, `RevokeApproval`, `IsApproved`, `RevokeApprovalForAll`,
//!   `ListOperatorTokens`;
//! - [x] royalties, ERC-2981 style ([`royalty`]): a default and per-token overrides, `RoyaltyInfo`;
//! - [x] per-token metadata with a data CID and a piece CID, edits by a metadata-editor role, and a
//!   one-way freeze ([`metadata`](mod@metadata));
//! - [x] stored-content tokens bound to an active storage deal and its piece, re-checked against the
//!   market by `ContentStatus` ([`content`], [`ext::market`]);
//! - [x] FIP-0049 events for every state change ([`events`]).
//!
//! This file is the contents page: one short function per method. Each writing method runs
//! caller check → validation → state change → save → events → receiver hook (if it credits
//! tokens) → reload if the hook changed the state → return.
//!
//! The rules live in [`state`] (over a blockstore, unit-testable), the interface in [`types`], the
//! hook in [`hook`], and a typed client for other actors in [`client`].
#![deny(missing_docs)]

pub mod burned;
pub mod client;
pub mod content;
pub mod creators;
pub mod events;
/// The builtin actors' interfaces this collection uses (the market's deal getters), from the kit.
pub use actorlib_kit::ext;
pub mod hook;
pub mod metadata;
pub mod operator;
pub mod owner_record;
pub mod piece;
pub mod royalty;
pub mod state;
pub mod testing;
pub mod token_record;
pub mod types;

use actorlib_kit::builtin::INIT_ACTOR_ID;
use actorlib_kit::foreign_cid::ForeignCid;
use actorlib_kit::{
    actor_error, caller, dispatch, state as kit_state, ActorError, Result, Runtime,
};
use cid::Cid;
use fvm_ipld_bitfield::BitField;
use fvm_ipld_encoding::ipld_block::IpldBlock;
use fvm_ipld_encoding::RawBytes;
use fvm_shared::address::Address;
use fvm_shared::clock::ChainEpoch;
use fvm_shared::{ActorID, MethodNum};

use content::TokenContent;
use royalty::Royalty;

pub use actorlib_kit::state::BlockState;
pub use state::NftState;
pub use types::*;

// ---- construction ----

/// Called by init when the collection is deployed: grants the initial roles.
pub fn constructor(rt: &impl Runtime, p: ConstructorParams) -> Result<()> {
    caller::require_caller(rt, &[INIT_ACTOR_ID])?;
    let (bs, me) = (rt.store(), rt.receiver());
    let royalty = p.royalty.as_ref().map(|r| royalty_of(rt, r)).transpose()?;
    let mut grants = Vec::new();
    for (role, accounts) in [(Role::Admin, &p.admins), (Role::Minter, &p.minters)] {
        for a in accounts {
            grants.push((role, caller::resolve_or_create(rt, a)?));
        }
    }
    let genesis = state::Genesis { royalty, grants };
    let (st, granted) = NftState::with_genesis(bs, p.name, p.symbol, p.max_supply, genesis)?;
    save(rt, &st)?;
    for (role, id) in granted {
        events::role_granted(rt, role, id, me)?;
    }
    if royalty.is_some() {
        events::royalty_set(rt, None, royalty, me)?;
    }
    Ok(())
}

// ---- FRC-53 queries ----

/// `Name`: the collection's name.
pub fn name(rt: &impl Runtime, _: ()) -> Result<String> {
    Ok(read(rt)?.cold(rt.store())?.name.clone())
}

/// `Symbol`: the collection's symbol.
pub fn symbol(rt: &impl Runtime, _: ()) -> Result<String> {
    Ok(read(rt)?.cold(rt.store())?.symbol.clone())
}

/// `TotalSupply`: the number of tokens in circulation.
pub fn total_supply(rt: &impl Runtime, _: ()) -> Result<u64> {
    state::view::supply(&root_block(rt)?)
}

/// `BalanceOf` / `Balance`: the number of tokens an address holds (zero for no actor).
pub fn balance_of(rt: &impl Runtime, owner: Address) -> Result<u64> {
    match rt.resolve_address(&owner) {
        Some(id) => state::balance_in(rt.store(), &state::view::owners(&root_block(rt)?)?, id),
        None => Ok(0),
    }
}

/// `OwnerOf`: the ID of a token's owner (`USR_NOT_FOUND` for an unknown or burnt token).
pub fn owner_of(rt: &impl Runtime, token_id: TokenID) -> Result<ActorID> {
    let tokens = state::view::tokens(&root_block(rt)?)?;
    Ok(state::token_in(rt.store(), &tokens, token_id)?.owner)
}

/// `Metadata`: a token's metadata URI.
pub fn metadata(rt: &impl Runtime, token_id: TokenID) -> Result<String> {
    Ok(read(rt)?.token(rt.store(), token_id)?.metadata)
}

/// `MaxSupply`: the most tokens that may ever be minted, if limited.
pub fn max_supply(rt: &impl Runtime, _: ()) -> Result<Option<u64>> {
    Ok(read(rt)?.cold(rt.store())?.max_supply)
}

/// `IsApprovedForAll`: whether `operator` is an account-level operator of `owner`.
pub fn is_approved_for_all(rt: &impl Runtime, p: IsApprovedForAllParams) -> Result<bool> {
    match (rt.resolve_address(&p.owner), rt.resolve_address(&p.operator)) {
        (Some(owner), Some(operator)) => {
            read(rt)?.is_account_operator(rt.store(), owner, operator, &|| rt.curr_epoch())
        }
        _ => Ok(false),
    }
}

// ---- transfers ----

/// `Transfer`: moves the caller's tokens to `to`, then calls `to`'s receiver hook.
pub fn transfer(rt: &impl Runtime, p: TransferParams) -> Result<TransferReturn> {
    let from = rt.caller();
    move_tokens(rt, from, from, p.to, p.token_ids, p.operator_data)
}

/// `TransferFrom`: the caller, as an operator of each token or of `from`'s account, moves `from`'s
/// tokens to `to`, then calls `to`'s receiver hook (the payload names the caller as operator).
pub fn transfer_from(rt: &impl Runtime, p: TransferFromParams) -> Result<TransferReturn> {
    let operator = rt.caller();
    let from = owner_for(rt, &p.from, operator)?;
    move_tokens(rt, operator, from, p.to, p.token_ids, p.operator_data)
}

// ---- operators ----

/// `Approve`: makes `operator` an operator of each token, without expiry (the caller owns each,
/// or operates its owner's account).
pub fn approve(rt: &impl Runtime, p: ApproveParams) -> Result<()> {
    approve_tokens(rt, &p.operator, &p.token_ids, None)
}

/// `ApproveUntil`: `Approve` until an epoch (after the current one).
pub fn approve_until(rt: &impl Runtime, p: ApproveUntilParams) -> Result<()> {
    approve_tokens(rt, &p.operator, &p.token_ids, Some(p.expires_at))
}

fn approve_tokens(
    rt: &impl Runtime,
    operator: &Address,
    token_ids: &[TokenID],
    expires_at: Option<ChainEpoch>,
) -> Result<()> {
    caller::require_writable(rt)?;
    let by = rt.caller();
    let (mut st, _) = load(rt)?;
    state::check_batch(token_ids)?;
    let operator = caller::resolve_or_create(rt, operator)?;
    let now = || rt.curr_epoch();
    if st.set_token_operator(rt.store(), by, operator, token_ids, true, expires_at, &now)? {
        save(rt, &st)?;
        events::approval(rt, by, operator, token_ids, true, expires_at)?;
    }
    Ok(())
}

/// `Revoke`: removes `operator` from each token (same permission as `Approve`).
pub fn revoke(rt: &impl Runtime, p: RevokeParams) -> Result<()> {
    caller::require_writable(rt)?;
    let by = rt.caller();
    let (mut st, _) = load(rt)?;
    state::check_batch(&p.token_ids)?;
    let now = || rt.curr_epoch();
    let Some(operator) = rt.resolve_address(&p.operator) else {
        // No actor: it operates nothing, but the tokens must still be the caller's to revoke on.
        st.set_token_operator(rt.store(), by, ActorID::MAX, &p.token_ids, false, None, &now)?;
        return Ok(());
    };
    if st.set_token_operator(rt.store(), by, operator, &p.token_ids, false, None, &now)? {
        save(rt, &st)?;
        events::approval(rt, by, operator, &p.token_ids, false, None)?;
    }
    Ok(())
}

/// `ApproveForAll`: makes `operator` an operator of every token the caller holds, now or later,
/// without expiry.
pub fn approve_for_all(rt: &impl Runtime, p: ApproveForAllParams) -> Result<()> {
    approve_account(rt, &p.operator, None)
}

/// `ApproveForAllUntil`: `ApproveForAll` until an epoch (after the current one).
pub fn approve_for_all_until(rt: &impl Runtime, p: ApproveForAllUntilParams) -> Result<()> {
    approve_account(rt, &p.operator, Some(p.expires_at))
}

fn approve_account(
    rt: &impl Runtime,
    operator: &Address,
    expires_at: Option<ChainEpoch>,
) -> Result<()> {
    caller::require_writable(rt)?;
    let owner = rt.caller();
    let (mut st, _) = load(rt)?;
    let operator = caller::resolve_or_create(rt, operator)?;
    let now = || rt.curr_epoch();
    if st.set_account_operator(rt.store(), owner, operator, true, expires_at, &now)? {
        save(rt, &st)?;
        events::operator_changed(rt, owner, operator, true, expires_at)?;
    }
    Ok(())
}

/// `RevokeForAll`: removes an account-level operator of the caller.
pub fn revoke_for_all(rt: &impl Runtime, p: RevokeForAllParams) -> Result<()> {
    caller::require_writable(rt)?;
    let owner = rt.caller();
    let Some(operator) = rt.resolve_address(&p.operator) else {
        return Ok(());
    };
    let (mut st, _) = load(rt)?;
    if st.set_account_operator(rt.store(), owner, operator, false, None, &|| rt.curr_epoch())? {
        save(rt, &st)?;
        events::operator_changed(rt, owner, operator, false, None)?;
    }
    Ok(())
}

// ---- burns ----

/// `Burn`: destroys the caller's tokens; returns the caller's balance.
pub fn burn(rt: &impl Runtime, token_ids: Vec<TokenID>) -> Result<u64> {
    let owner = rt.caller();
    destroy(rt, owner, owner, &token_ids)
}

/// `BurnFrom`: the caller, as an operator of each token or of `from`'s account, destroys `from`'s
/// tokens.
pub fn burn_from(rt: &impl Runtime, p: BurnFromParams) -> Result<()> {
    let operator = rt.caller();
    let from = owner_for(rt, &p.from, operator)?;
    destroy(rt, operator, from, &p.token_ids).map(|_| ())
}

// ---- listings ----

/// `ListTokens`: a page of the tokens in circulation, in ID order.
pub fn list_tokens(rt: &impl Runtime, p: ListTokensParams) -> Result<ListTokensReturn> {
    read(rt)?.list_tokens(rt.store(), &p.cursor, p.limit)
}

/// `ListOwnedTokens`: a page of an owner's tokens.
pub fn list_owned_tokens(rt: &impl Runtime, p: ListOwnedTokensParams) -> Result<ListTokensReturn> {
    let st = read(rt)?;
    match rt.resolve_address(&p.owner) {
        Some(owner) => st.list_owned_tokens(rt.store(), owner, &p.cursor, p.limit),
        // Validate the cursor and limit the same way for an address with no actor.
        None => st.list_owned_tokens(rt.store(), ActorID::MAX, &p.cursor, p.limit),
    }
}

/// `ListTokenOperators`: a page of a token's operators.
pub fn list_token_operators(
    rt: &impl Runtime,
    p: ListTokenOperatorsParams,
) -> Result<ListOperatorsReturn> {
    read(rt)?.list_token_operators(rt.store(), p.token_id, &p.cursor, p.limit, &|| rt.curr_epoch())
}

/// `ListAccountOperators`: a page of an owner's account-level operators.
pub fn list_account_operators(
    rt: &impl Runtime,
    p: ListAccountOperatorsParams,
) -> Result<ListOperatorsReturn> {
    let owner = rt.resolve_address(&p.owner).unwrap_or(ActorID::MAX);
    read(rt)?.list_account_operators(rt.store(), owner, &p.cursor, p.limit, &|| rt.curr_epoch())
}

// ---- mint ----

/// `Mint`: creates one token for `to` (minters only), then calls `to`'s receiver hook.
pub fn mint(rt: &impl Runtime, p: MintParams) -> Result<MintReturn> {
    create(rt, p.to, vec![uri_only(p.metadata)], p.operator_data, no_events)
}

/// `BatchMint`: creates one token per metadata URI for `to` (minters only), then calls `to`'s
/// receiver hook once for all of them.
pub fn batch_mint(rt: &impl Runtime, p: BatchMintParams) -> Result<MintReturn> {
    if p.metadata.is_empty() {
        return Err(ActorError::illegal_argument("BatchMint needs at least one token"));
    }
    create(rt, p.to, p.metadata.into_iter().map(uri_only).collect(), p.operator_data, no_events)
}

/// `MintWithMetadata`: like `Mint`, with a data CID and a piece CID (minters only).
pub fn mint_with_metadata(rt: &impl Runtime, p: MintWithMetadataParams) -> Result<MintReturn> {
    create(rt, p.to, vec![entry(p.metadata)], p.operator_data, no_events)
}

/// `BatchMintWithMetadata`: like `BatchMint`, each token with a data CID and a piece CID (minters
/// only).
pub fn batch_mint_with_metadata(
    rt: &impl Runtime,
    p: BatchMintWithMetadataParams,
) -> Result<MintReturn> {
    if p.metadata.is_empty() {
        return Err(ActorError::illegal_argument("BatchMintWithMetadata needs at least one token"));
    }
    create(rt, p.to, p.metadata.into_iter().map(entry).collect(), p.operator_data, no_events)
}

/// `MintStoredContent`: creates a token bound to an active storage deal, with the deal's piece CID
/// (minters only). The market is asked read-only (activation, term, data commitment) before
/// anything is written.
pub fn mint_stored_content(rt: &impl Runtime, p: MintStoredContentParams) -> Result<MintReturn> {
    caller::require_writable(rt)?;
    let (bs, st) = (rt.store(), read(rt)?);
    st.require_role(bs, Role::Minter, rt.caller())?;
    if let Some(token) = st.token_of_deal(bs, p.deal_id)? {
        return Err(
            actor_error!(illegal_argument; "deal {} already backs token {}", p.deal_id, token),
        );
    }
    let (piece, deal) = content::require_active_deal(rt, p.deal_id)?;
    let c = TokenContent {
        data_cid: p.data_cid.map(ForeignCid),
        piece_cid: Some(piece),
        deal: Some(deal),
    };
    create(rt, p.to, vec![(p.uri, c)], p.operator_data, |rt, ids| {
        events::content_bound(rt, ids[0], p.deal_id, &piece)
    })
}

// ---- royalties ----

/// `RoyaltyInfo`: the royalty due on selling a token for `sale_price`: the token's override, else
/// the default; no receiver and zero if neither exists. `USR_NOT_FOUND` for an unknown token.
pub fn royalty_info(rt: &impl Runtime, p: RoyaltyInfoParams) -> Result<RoyaltyInfoReturn> {
    let applies = read(rt)?.royalty_for(rt.store(), p.token_id)?;
    let r = applies.unwrap_or(Royalty { receiver: ActorID::MAX, basis_points: 0 });
    let amount = r.amount(&p.sale_price)?;
    Ok(RoyaltyInfoReturn { receiver: applies.map(|r| Address::new_id(r.receiver)), amount })
}

/// `DefaultRoyalty`: the collection's default royalty, if any.
pub fn default_royalty(rt: &impl Runtime, _: ()) -> Result<DefaultRoyaltyReturn> {
    Ok(read(rt)?.cold(rt.store())?.default_royalty.map(|r| RoyaltyParams {
        receiver: Address::new_id(r.receiver),
        basis_points: r.basis_points,
    }))
}

/// `SetDefaultRoyalty`: replaces or removes the default royalty (admins only).
pub fn set_default_royalty(rt: &impl Runtime, p: SetDefaultRoyaltyParams) -> Result<()> {
    caller::require_writable(rt)?;
    let (bs, by) = (rt.store(), rt.caller());
    let (mut st, _) = load(rt)?;
    st.require_role(bs, Role::Admin, by)?;
    let royalty = p.royalty.as_ref().map(|r| royalty_of(rt, r)).transpose()?;
    if st.cold(bs)?.default_royalty != royalty {
        st.set_default_royalty(bs, royalty)?;
        save(rt, &st)?;
        events::royalty_set(rt, None, royalty, by)?;
    }
    Ok(())
}

/// `SetTokenRoyalty`: sets or clears a token's royalty override (admins only).
pub fn set_token_royalty(rt: &impl Runtime, p: SetTokenRoyaltyParams) -> Result<()> {
    caller::require_writable(rt)?;
    let (bs, by) = (rt.store(), rt.caller());
    let (mut st, _) = load(rt)?;
    st.require_role(bs, Role::Admin, by)?;
    st.token(bs, p.token_id)?;
    let royalty = p.royalty.as_ref().map(|r| royalty_of(rt, r)).transpose()?;
    if st.set_token_royalty(bs, p.token_id, royalty)? {
        save(rt, &st)?;
        events::royalty_set(rt, Some(p.token_id), royalty, by)?;
    }
    Ok(())
}

// ---- metadata ----

/// `TokenMetadata`: a token's URI, data CID, piece CID and deal.
pub fn token_metadata(rt: &impl Runtime, token_id: TokenID) -> Result<TokenMetadataReturn> {
    read(rt)?.token_metadata(rt.store(), token_id)
}

/// `SetTokenMetadata`: replaces a token's URI, data CID and piece CID (admins and metadata
/// editors; not once frozen).
pub fn set_token_metadata(rt: &impl Runtime, p: SetTokenMetadataParams) -> Result<()> {
    caller::require_writable(rt)?;
    let (bs, by) = (rt.store(), rt.caller());
    let (mut st, _) = load(rt)?;
    if !st.has_role(bs, Role::Admin, by)? {
        st.require_role(bs, Role::MetadataEditor, by)?;
    }
    let before = st.clone();
    let m = p.metadata;
    st.set_token_metadata(bs, p.token_id, m.uri, m.data_cid, m.piece_cid)?;
    if st != before {
        save(rt, &st)?;
        events::metadata_changed(rt, p.token_id, by)?;
    }
    Ok(())
}

/// `FreezeMetadata`: no token's metadata may change any more (admins only); returns whether it
/// was not frozen yet.
pub fn freeze_metadata(rt: &impl Runtime, _: ()) -> Result<bool> {
    caller::require_writable(rt)?;
    let (bs, by) = (rt.store(), rt.caller());
    let (mut st, _) = load(rt)?;
    st.require_role(bs, Role::Admin, by)?;
    let frozen = st.freeze_metadata(bs)?;
    if frozen {
        save(rt, &st)?;
        events::metadata_frozen(rt, by)?;
    }
    Ok(frozen)
}

/// `MetadataFrozen`: whether metadata is frozen.
pub fn metadata_frozen(rt: &impl Runtime, _: ()) -> Result<bool> {
    Ok(read(rt)?.cold(rt.store())?.metadata_frozen)
}

// ---- verified creators ----

/// `SetCreators`: replaces a token's creators (admins and metadata editors; not once metadata is
/// frozen). An editor who lists itself is verified at once; creators whose share is unchanged
/// keep their verification.
pub fn set_creators(rt: &impl Runtime, p: SetCreatorsParams) -> Result<()> {
    caller::require_writable(rt)?;
    let (bs, by) = (rt.store(), rt.caller());
    let (mut st, _) = load(rt)?;
    if !st.has_role(bs, Role::Admin, by)? {
        st.require_role(bs, Role::MetadataEditor, by)?;
    }
    if p.creators.len() > MAX_CREATORS {
        return Err(actor_error!(illegal_argument;
            "at most {} creators, got {}", MAX_CREATORS, p.creators.len()));
    }
    let creators = p
        .creators
        .iter()
        .map(|c| Ok((caller::resolve_or_create(rt, &c.creator)?, c.share)))
        .collect::<Result<Vec<_>>>()?;
    if let Some(new) = st.set_creators(bs, p.token_id, &creators, by)? {
        save(rt, &st)?;
        let ids: Vec<ActorID> = new.iter().map(|c| c.creator).collect();
        events::creators_set(rt, p.token_id, &ids, by)?;
    }
    Ok(())
}

/// `VerifyCreator`: the caller confirms that it made the tokens (it must be listed on each).
pub fn verify_creator(rt: &impl Runtime, p: VerifyCreatorParams) -> Result<()> {
    set_verified(rt, &p.token_ids, true)
}

/// `UnverifyCreator`: the caller takes back its confirmation on the tokens.
pub fn unverify_creator(rt: &impl Runtime, p: VerifyCreatorParams) -> Result<()> {
    set_verified(rt, &p.token_ids, false)
}

fn set_verified(rt: &impl Runtime, ids: &[TokenID], verified: bool) -> Result<()> {
    caller::require_writable(rt)?;
    let (bs, creator) = (rt.store(), rt.caller());
    let (mut st, _) = load(rt)?;
    let changed = st.verify_creator(bs, creator, ids, verified)?;
    if !changed.is_empty() {
        save(rt, &st)?;
        events::creator_verified(rt, creator, &changed, verified)?;
    }
    Ok(())
}

/// `Creators`: a token's creators, their shares and verifications.
pub fn creators(rt: &impl Runtime, token_id: TokenID) -> Result<Vec<Creator>> {
    read(rt)?.creators(rt.store(), token_id)
}

// ---- stored content ----

/// `ContentStatus`: where the token's storage deal stands, asked of the market now (read-only).
pub fn content_status(rt: &impl Runtime, token_id: TokenID) -> Result<ContentStatusReturn> {
    let c = read(rt)?.token_content(rt.store(), token_id)?;
    let status = match &c.deal {
        None => ContentStatus::NotBound,
        Some(deal) => content::deal_status(rt, deal)?,
    };
    Ok(ContentStatusReturn { status, deal_id: c.deal.map(|d| d.deal_id) })
}

// ---- FRC-53 text names ----

/// `Owner`: the owners of a token set, in ascending token order (`USR_NOT_FOUND` if any token is
/// unknown or burnt).
pub fn owner(rt: &impl Runtime, token_ids: BitField) -> Result<Vec<ActorID>> {
    let ids = state::token_ids_of(&token_ids)?;
    read(rt)?.owners_of(rt.store(), &ids)
}

/// `RevokeApproval`: `Revoke` with the token set as a bitfield.
pub fn revoke_approval(rt: &impl Runtime, p: RevokeApprovalParams) -> Result<()> {
    let token_ids = state::token_ids_of(&p.token_ids)?;
    revoke(rt, RevokeParams { operator: p.operator, token_ids })
}

/// `IsApproved`: the tokens of the set of which `operator` is a token-level operator.
pub fn is_approved(rt: &impl Runtime, p: IsApprovedParams) -> Result<BitField> {
    let ids = state::token_ids_of(&p.token_ids)?;
    let operator = rt.resolve_address(&p.operator);
    let now = || rt.curr_epoch();
    Ok(state::bitfield(read(rt)?.approved_subset(rt.store(), operator, &ids, &now)?))
}

/// `ListOperatorTokens`: a page of `owner`'s tokens of which `operator` is a token-level operator.
pub fn list_operator_tokens(
    rt: &impl Runtime,
    p: ListOperatorTokensParams,
) -> Result<ListTokensReturn> {
    let owner = rt.resolve_address(&p.owner).unwrap_or(ActorID::MAX);
    let operator = rt.resolve_address(&p.operator);
    let now = || rt.curr_epoch();
    read(rt)?.list_operator_tokens(rt.store(), owner, operator, &p.cursor, p.limit, &now)
}

// ---- roles ----

/// `GrantRole`: gives `account` a role (admins only); returns whether it is new.
pub fn grant_role(rt: &impl Runtime, p: RoleParams) -> Result<bool> {
    caller::require_writable(rt)?;
    let (bs, by) = (rt.store(), rt.caller());
    let (mut st, _) = load(rt)?;
    st.require_role(bs, Role::Admin, by)?;
    let account = caller::resolve_or_create(rt, &p.account)?;
    let added = st.grant_role(bs, p.role, account)?;
    if added {
        save(rt, &st)?;
        events::role_granted(rt, p.role, account, by)?;
    }
    Ok(added)
}

/// `RevokeRole`: takes a role from `account` (admins only); returns whether it had it.
pub fn revoke_role(rt: &impl Runtime, p: RoleParams) -> Result<bool> {
    caller::require_writable(rt)?;
    let (bs, by) = (rt.store(), rt.caller());
    let (mut st, _) = load(rt)?;
    st.require_role(bs, Role::Admin, by)?;
    let Some(account) = rt.resolve_address(&p.account) else {
        return Ok(false);
    };
    let removed = st.revoke_role(bs, p.role, account)?;
    if removed {
        save(rt, &st)?;
        events::role_revoked(rt, p.role, account, by)?;
    }
    Ok(removed)
}

/// `HasRole`: whether `account` holds the role.
pub fn has_role(rt: &impl Runtime, p: RoleParams) -> Result<bool> {
    match rt.resolve_address(&p.account) {
        Some(id) => read(rt)?.has_role(rt.store(), p.role, id),
        None => Ok(false),
    }
}

// ---- dispatch ----

/// Routes a call. No method accepts value (`USR_NOT_PAYABLE`).
pub fn invoke(
    rt: &impl Runtime,
    method: MethodNum,
    params: Option<IpldBlock>,
) -> Result<Option<IpldBlock>> {
    caller::require_no_value(rt)?;
    dispatch!(rt, method, params;
        Method::Constructor => constructor,
        Method::Name => name,
        Method::Symbol => symbol,
        Method::TotalSupply => total_supply,
        Method::BalanceOf => balance_of,
        Method::Balance => balance_of,
        Method::OwnerOf => owner_of,
        Method::Metadata => metadata,
        Method::Transfer => transfer,
        Method::TransferFrom => transfer_from,
        Method::Approve => approve,
        Method::Revoke => revoke,
        Method::ApproveForAll => approve_for_all,
        Method::RevokeForAll => revoke_for_all,
        Method::IsApprovedForAll => is_approved_for_all,
        Method::Burn => burn,
        Method::BurnFrom => burn_from,
        Method::ListTokens => list_tokens,
        Method::ListOwnedTokens => list_owned_tokens,
        Method::ListTokenOperators => list_token_operators,
        Method::ListAccountOperators => list_account_operators,
        Method::Mint => mint,
        Method::BatchMint => batch_mint,
        Method::MaxSupply => max_supply,
        Method::GrantRole => grant_role,
        Method::RevokeRole => revoke_role,
        Method::HasRole => has_role,
        Method::MetadataID => metadata,
        Method::Owner => owner,
        Method::RevokeApproval => revoke_approval,
        Method::IsApproved => is_approved,
        Method::RevokeApprovalForAll => revoke_for_all,
        Method::ListOperatorTokens => list_operator_tokens,
        Method::ApproveUntil => approve_until,
        Method::ApproveForAllUntil => approve_for_all_until,
        Method::RoyaltyInfo => royalty_info,
        Method::DefaultRoyalty => default_royalty,
        Method::SetDefaultRoyalty => set_default_royalty,
        Method::SetTokenRoyalty => set_token_royalty,
        Method::MintWithMetadata => mint_with_metadata,
        Method::BatchMintWithMetadata => batch_mint_with_metadata,
        Method::SetTokenMetadata => set_token_metadata,
        Method::FreezeMetadata => freeze_metadata,
        Method::MetadataFrozen => metadata_frozen,
        Method::TokenMetadata => token_metadata,
        Method::MintStoredContent => mint_stored_content,
        Method::ContentStatus => content_status,
        Method::SetCreators => set_creators,
        Method::VerifyCreator => verify_creator,
        Method::UnverifyCreator => unverify_creator,
        Method::Creators => creators,
    )
}

#[cfg(feature = "fil-actor")]
actorlib_kit::wasm_trampoline!(invoke);

// ---- helpers ----

/// Loads the state for a writing call, with its root.
fn load(rt: &impl Runtime) -> Result<(NftState, Cid)> {
    let root = rt.root()?;
    Ok((NftState::load_at(rt, &root)?, root))
}

/// Loads the state for a query.
fn read(rt: &impl Runtime) -> Result<NftState> {
    NftState::load(rt)
}

/// The state block, undecoded (for queries that read one field of it).
fn root_block(rt: &impl Runtime) -> Result<Vec<u8>> {
    kit_state::block_at(rt, &rt.root()?)
}

/// Writes the state and makes it the root.
fn save(rt: &impl Runtime, st: &NftState) -> Result<Cid> {
    st.save(rt)
}

/// After a call out: `None` if the state root is still `root` (nothing re-entered and wrote), else
/// the state as the callee left it.
pub fn reload(rt: &impl Runtime, root: &Cid) -> Result<Option<NftState>> {
    NftState::reload(rt, root)
}

/// The ID of the owner an operator acts for; an address with no actor holds nothing and has
/// approved no one (`USR_FORBIDDEN`).
fn owner_for(rt: &impl Runtime, owner: &Address, operator: ActorID) -> Result<ActorID> {
    rt.resolve_address(owner)
        .ok_or_else(|| actor_error!(forbidden; "f0{} operates nothing of {}", operator, owner))
}

/// Moves tokens, saves, emits, calls the hook and returns the balances after it.
fn move_tokens(
    rt: &impl Runtime,
    operator: ActorID,
    from: ActorID,
    to: Address,
    token_ids: Vec<TokenID>,
    operator_data: RawBytes,
) -> Result<TransferReturn> {
    caller::require_writable(rt)?;
    let bs = rt.store();
    let (mut st, _) = load(rt)?;
    state::check_batch(&token_ids)?;
    let to = caller::resolve_or_create(rt, &to)?;
    let moved = st.transfer(bs, operator, from, to, &token_ids, &|| rt.curr_epoch())?;
    let root = save(rt, &st)?;
    if !token_ids.is_empty() {
        events::transfer(rt, operator, from, to, &token_ids)?;
    }
    hook::tokens_received(rt, from, to, operator, &token_ids, operator_data)?;
    let (from_balance, to_balance) = match reload(rt, &root)? {
        None => (moved.from_balance, moved.to_balance),
        Some(st) => (st.balance(bs, from)?, st.balance(bs, to)?),
    };
    Ok(TransferReturn { from_balance, to_balance, token_ids })
}

/// Burns tokens, saves and emits; returns `from`'s balance.
fn destroy(rt: &impl Runtime, operator: ActorID, from: ActorID, ids: &[TokenID]) -> Result<u64> {
    caller::require_writable(rt)?;
    let (mut st, _) = load(rt)?;
    let balance = st.burn(rt.store(), operator, from, ids, &|| rt.curr_epoch())?;
    if !ids.is_empty() {
        save(rt, &st)?;
        events::burn(rt, operator, from, ids, st.supply)?;
    }
    Ok(balance)
}

/// A token with a URI only.
fn uri_only(uri: String) -> (String, TokenContent) {
    (uri, TokenContent::default())
}

/// A token from a metadata entry (no deal).
fn entry(m: MetadataEntry) -> (String, TokenContent) {
    (
        m.uri,
        TokenContent { data_cid: m.data_cid.map(ForeignCid), piece_cid: m.piece_cid, deal: None },
    )
}

/// No events beyond `mint`.
fn no_events<RT: Runtime>(_: &RT, _: &[TokenID]) -> Result<()> {
    Ok(())
}

/// A royalty from a caller's parameters: basis points checked before the receiver is resolved (or
/// its account created).
fn royalty_of(rt: &impl Runtime, r: &RoyaltyParams) -> Result<Royalty> {
    Royalty::new(ActorID::MAX, r.basis_points)?;
    Royalty::new(caller::resolve_or_create(rt, &r.receiver)?, r.basis_points)
}

/// Mints, saves, emits (`mint`, then `more_events`), calls the hook and returns the balance and
/// supply after it.
fn create<RT: Runtime>(
    rt: &RT,
    to: Address,
    entries: Vec<(String, TokenContent)>,
    operator_data: RawBytes,
    more_events: impl FnOnce(&RT, &[TokenID]) -> Result<()>,
) -> Result<MintReturn> {
    caller::require_writable(rt)?;
    let (bs, operator, me) = (rt.store(), rt.caller(), rt.receiver());
    let (mut st, _) = load(rt)?;
    st.require_role(bs, Role::Minter, operator)?;
    let to = caller::resolve_or_create(rt, &to)?;
    let minted = st.mint_with_content(bs, to, entries)?;
    let root = save(rt, &st)?;
    events::mint(rt, operator, to, &minted.token_ids, minted.supply)?;
    more_events(rt, &minted.token_ids)?;
    hook::tokens_received(rt, me, to, operator, &minted.token_ids, operator_data)?;
    Ok(match reload(rt, &root)? {
        None => MintReturn {
            balance: minted.balance,
            supply: minted.supply,
            token_ids: minted.token_ids,
        },
        Some(st) => MintReturn {
            balance: st.balance(bs, to)?,
            supply: st.supply,
            token_ids: minted.token_ids,
        },
    })
}
