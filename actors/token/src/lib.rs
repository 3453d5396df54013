//! # actorlib_token
//!
//! An FRC-46 fungible token actor for the FVM, with the extensions governance and applications
//! need. Implements:
//!
//! - [x] FRC-46: `Name`, `Symbol`, `Granularity`, `TotalSupply`, `Balance`/`BalanceOf`,
//!   `Allowance`, `Transfer`, `TransferFrom`, `IncreaseAllowance`, `DecreaseAllowance`,
//!   `RevokeAllowance`, `Burn`, `BurnFrom`, and the universal receiver hook on every credit;
//! - [x] roles: admin, minter, pauser (`GrantRole`, `RevokeRole`, `RenounceRole`, `HasRole`);
//! - [x] `Mint` by minters, under an optional supply `Cap`;
//! - [x] `Pause` / `Unpause`: transfers, mints and burns stop;
//! - [x] delegation and vote checkpoints: `Delegate`, `Delegates`, `GetVotes`, `GetPastVotes`,
//!   `GetPastTotalSupply` (O(log n));
//! - [x] `ListHolders`, paginated by a holder-ID cursor that survives writes;
//! - [x] modes fixed at construction: soulbound (non-transferable) and wrapped FIL (`Deposit`,
//!   `Withdraw`);
//! - [x] FIP-0049 events for every state change ([`events`]).
//!
//! This file is the contents page: one short function per method. Each writing method runs
//! caller check → validation → state change → save → events → receiver hook (if it credits
//! tokens) → reload if the hook changed the state → return. Events are emitted before the hook so
//! that their order is the order of the state changes even when the recipient re-enters the token;
//! if the hook refuses, the FVM reverts the events with everything else.
//!
//! The rules live in [`state`] (over a blockstore, unit-testable), the interface in [`types`], the
//! hook in [`hook`], and a typed client for other actors in [`client`].
#![deny(missing_docs)]

pub mod allowance;
pub mod client;
pub mod events;
pub mod hook;
pub mod state;
pub mod testing;
pub mod types;

use actorlib_kit::builtin::INIT_ACTOR_ID;
use actorlib_kit::{actor_error, ActorError};
use actorlib_kit::{amount, caller, dispatch, messaging, Result, Runtime};
use cid::Cid;
use fvm_ipld_encoding::ipld_block::IpldBlock;
use fvm_ipld_encoding::RawBytes;
use fvm_shared::address::Address;
use fvm_shared::clock::ChainEpoch;
use fvm_shared::econ::TokenAmount;
use fvm_shared::{ActorID, MethodNum};

pub use actorlib_kit::state::BlockState;
use allowance::Expiry;
use state::Constructed;
pub use state::TokenState;
pub use types::*;

// ---- construction ----

/// Called by init when the token is deployed: validates the parameters, grants the initial roles
/// and mints the initial balances (announced to each holder's receiver hook, operator and sender
/// being the token itself).
pub fn constructor(rt: &impl Runtime, p: ConstructorParams) -> Result<()> {
    caller::require_caller(rt, &[INIT_ACTOR_ID])?;
    let (bs, me, epoch) = (rt.store(), rt.receiver(), rt.curr_epoch());
    if p.mode == TokenMode::WrappedFil && !p.initial_holders.is_empty() {
        return Err(ActorError::illegal_argument(
            "a wrapped-FIL token starts empty: Deposit mints",
        ));
    }
    let mut roles = Vec::with_capacity(p.admins.len() + p.minters.len());
    for (role, accounts) in [(Role::Admin, &p.admins), (Role::Minter, &p.minters)] {
        for a in accounts {
            roles.push((role, caller::resolve_or_create(rt, a)?));
        }
    }
    let Constructed { state: mut st, granted, mut cold } =
        TokenState::with_roles(bs, p.name, p.symbol, p.granularity, p.mode, p.cap, &roles)?;
    for (_, amount) in &p.initial_holders {
        st.check_amount(amount, "initial balance")?;
    }
    let mut credits = Vec::new();
    for (a, amount) in &p.initial_holders {
        if let Some(to) = recipient(rt, a, amount)? {
            let supply = st.mint_with(bs, &mut cold, to, amount, epoch)?.supply;
            credits.push((to, amount, supply));
        }
    }
    save(rt, &st)?;
    for (role, id) in granted {
        events::role_granted(rt, role, id, me)?;
    }
    for (to, amount, supply) in &credits {
        events::mint(rt, me, *to, amount, supply)?;
    }
    for (to, amount, _) in credits {
        hook::tokens_received(rt, me, to, me, amount, RawBytes::default())?;
    }
    Ok(())
}

// ---- FRC-46 queries ----

/// `Name`: the token's name.
pub fn name(rt: &impl Runtime, _: ()) -> Result<String> {
    Ok(read(rt)?.cold(rt.store())?.name)
}

/// `Symbol`: the token's symbol.
pub fn symbol(rt: &impl Runtime, _: ()) -> Result<String> {
    Ok(read(rt)?.cold(rt.store())?.symbol)
}

/// `Granularity`: the smallest indivisible amount, in atto units.
pub fn granularity(rt: &impl Runtime, _: ()) -> Result<u64> {
    Ok(read(rt)?.granularity)
}

/// `TotalSupply`: the sum of all balances.
pub fn total_supply(rt: &impl Runtime, _: ()) -> Result<TokenAmount> {
    Ok(read(rt)?.supply)
}

/// `Balance` / `BalanceOf`: an address's balance (zero for an address with no actor).
pub fn balance(rt: &impl Runtime, owner: Address) -> Result<TokenAmount> {
    match rt.resolve_address(&owner) {
        Some(id) => read(rt)?.balance(rt.store(), id),
        None => Ok(TokenAmount::default()),
    }
}

/// `Allowance`: what `operator` may spend of `owner`'s tokens.
pub fn allowance(rt: &impl Runtime, p: GetAllowanceParams) -> Result<TokenAmount> {
    match (rt.resolve_address(&p.owner), rt.resolve_address(&p.operator)) {
        (Some(owner), Some(operator)) => {
            // The epoch matters only for an allowance that expires: ask for it only then.
            match read(rt)?.allowance_entry(rt.store(), owner, operator)? {
                None => Ok(TokenAmount::default()),
                Some(a) if a.expires_at.is_none() => a.amount.amount(),
                Some(a) => a.spendable(rt.curr_epoch()),
            }
        }
        _ => Ok(TokenAmount::default()),
    }
}

/// `AllowanceExpiry`: the epoch at which `operator`'s allowance over `owner`'s tokens expires
/// (`None` if it never does, or there is none).
pub fn allowance_expiry(rt: &impl Runtime, p: GetAllowanceParams) -> Result<Option<ChainEpoch>> {
    match (rt.resolve_address(&p.owner), rt.resolve_address(&p.operator)) {
        (Some(owner), Some(operator)) => {
            read(rt)?.allowance_expiry(rt.store(), owner, operator, rt.curr_epoch())
        }
        _ => Ok(None),
    }
}

// ---- FRC-46 transfers ----

/// `Transfer`: moves the caller's tokens to `to`, then calls `to`'s receiver hook.
pub fn transfer(rt: &impl Runtime, p: TransferParams) -> Result<TransferReturn> {
    caller::require_writable(rt)?;
    let (bs, from) = (rt.store(), rt.caller());
    let (mut st, snap) = load(rt)?;
    st.check_amount(&p.amount, "transfer amount")?;
    let Some(to) = recipient(rt, &p.to, &p.amount)? else {
        // Zero to an address with no actor: nothing to credit and no one to tell.
        st.transfer(bs, from, from, &p.amount, rt.curr_epoch())?;
        let from_balance = st.balance(bs, from)?;
        return Ok(TransferReturn { from_balance, to_balance: TokenAmount::default() });
    };
    let moved = st.transfer(bs, from, to, &p.amount, rt.curr_epoch())?;
    let root = snap.save(rt, &st)?;
    events::transfer(rt, from, from, to, &p.amount)?;
    events::votes_changed_all(rt, &moved.votes)?;
    hook::tokens_received(rt, from, to, from, &p.amount, p.operator_data)?;
    Ok(match reload(rt, &root)? {
        None => TransferReturn { from_balance: moved.from_balance, to_balance: moved.to_balance },
        Some(st) => {
            TransferReturn { from_balance: st.balance(bs, from)?, to_balance: st.balance(bs, to)? }
        }
    })
}

/// `TransferFrom`: the caller, as operator, moves `from`'s tokens to `to`, spending its allowance;
/// then calls `to`'s receiver hook. An operator beyond its allowance gets `USR_FORBIDDEN`.
pub fn transfer_from(rt: &impl Runtime, p: TransferFromParams) -> Result<TransferFromReturn> {
    caller::require_writable(rt)?;
    let (bs, operator, epoch) = (rt.store(), rt.caller(), rt.curr_epoch());
    let (mut st, snap) = load(rt)?;
    st.check_amount(&p.amount, "transfer amount")?;
    let from = owner_for(rt, &p.from, operator)?;
    let to = match rt.resolve_address(&p.to) {
        Some(id) => Some(id),
        None => {
            // The allowance check comes before creating the recipient (FRC-46: it takes
            // precedence over every other precondition).
            if from != operator {
                st.check_allowance(bs, from, operator, &p.amount, epoch)?;
            }
            recipient(rt, &p.to, &p.amount)?
        }
    };
    let Some(to) = to else {
        let (_, allowance) = st.transfer_from(bs, operator, from, from, &p.amount, epoch)?;
        let from_balance = st.balance(bs, from)?;
        return Ok(TransferFromReturn {
            from_balance,
            to_balance: TokenAmount::default(),
            allowance,
        });
    };
    let (moved, allowance) = st.transfer_from(bs, operator, from, to, &p.amount, epoch)?;
    let root = snap.save(rt, &st)?;
    events::transfer(rt, operator, from, to, &p.amount)?;
    events::votes_changed_all(rt, &moved.votes)?;
    hook::tokens_received(rt, from, to, operator, &p.amount, p.operator_data)?;
    Ok(match reload(rt, &root)? {
        None => TransferFromReturn {
            from_balance: moved.from_balance,
            to_balance: moved.to_balance,
            allowance,
        },
        Some(st) => TransferFromReturn {
            from_balance: st.balance(bs, from)?,
            to_balance: st.balance(bs, to)?,
            allowance: allowance_after(&st, bs, from, operator, epoch)?,
        },
    })
}

// ---- FRC-46 allowances ----

/// `IncreaseAllowance`: raises `operator`'s allowance over the caller's tokens, keeping its
/// expiry; returns it.
pub fn increase_allowance(rt: &impl Runtime, p: IncreaseAllowanceParams) -> Result<TokenAmount> {
    raise_allowance(rt, &p.operator, &p.increase, Expiry::Keep)
}

/// `IncreaseAllowanceUntil`: raises `operator`'s allowance over the caller's tokens and sets when
/// it expires (`None`: never); returns it.
pub fn increase_allowance_until(
    rt: &impl Runtime,
    p: IncreaseAllowanceUntilParams,
) -> Result<TokenAmount> {
    let expiry = p.expires_at.map_or(Expiry::Never, Expiry::At);
    raise_allowance(rt, &p.operator, &p.increase, expiry)
}

fn raise_allowance(
    rt: &impl Runtime,
    operator: &Address,
    increase: &TokenAmount,
    expiry: Expiry,
) -> Result<TokenAmount> {
    caller::require_writable(rt)?;
    amount::require_non_negative(increase, "allowance increase")?;
    let (owner, epoch) = (rt.caller(), rt.curr_epoch());
    let (mut st, snap) = load(rt)?;
    let Some(operator) = recipient(rt, operator, increase)? else {
        return Ok(TokenAmount::default());
    };
    let (allowance, expires_at) =
        st.raise_allowance(rt.store(), owner, operator, increase, expiry, epoch)?;
    if snap.save_if_changed(rt, &st)? {
        events::approval(rt, owner, operator, &allowance, expires_at)?;
    }
    Ok(allowance)
}

/// `DecreaseAllowance`: lowers `operator`'s allowance (to no less than zero); returns it.
pub fn decrease_allowance(rt: &impl Runtime, p: DecreaseAllowanceParams) -> Result<TokenAmount> {
    caller::require_writable(rt)?;
    amount::require_non_negative(&p.decrease, "allowance decrease")?;
    let owner = rt.caller();
    let Some(operator) = rt.resolve_address(&p.operator) else {
        return Ok(TokenAmount::default());
    };
    let (mut st, snap) = load(rt)?;
    let epoch = rt.curr_epoch();
    let (allowance, expires_at) =
        st.lower_allowance(rt.store(), owner, operator, &p.decrease, epoch)?;
    if snap.save_if_changed(rt, &st)? {
        events::approval(rt, owner, operator, &allowance, expires_at)?;
    }
    Ok(allowance)
}

/// `RevokeAllowance`: sets `operator`'s allowance over the caller's tokens to zero.
pub fn revoke_allowance(rt: &impl Runtime, p: RevokeAllowanceParams) -> Result<()> {
    caller::require_writable(rt)?;
    let owner = rt.caller();
    let Some(operator) = rt.resolve_address(&p.operator) else {
        return Ok(());
    };
    let (mut st, snap) = load(rt)?;
    st.revoke_allowance(rt.store(), owner, operator, rt.curr_epoch())?;
    if snap.save_if_changed(rt, &st)? {
        events::approval(rt, owner, operator, &TokenAmount::default(), None)?;
    }
    Ok(())
}

// ---- FRC-46 burns ----

/// `Burn`: destroys the caller's tokens; returns the caller's balance.
pub fn burn(rt: &impl Runtime, p: BurnParams) -> Result<BurnReturn> {
    caller::require_writable(rt)?;
    let owner = rt.caller();
    let (mut st, snap) = load(rt)?;
    let burnt = st.burn(rt.store(), owner, &p.amount, rt.curr_epoch())?;
    snap.save(rt, &st)?;
    events::burn(rt, owner, owner, &p.amount, &burnt.supply)?;
    events::votes_changed_all(rt, &burnt.votes)?;
    Ok(BurnReturn { balance: burnt.balance })
}

/// `BurnFrom`: the caller, as operator, destroys `owner`'s tokens, spending its allowance.
pub fn burn_from(rt: &impl Runtime, p: BurnFromParams) -> Result<BurnFromReturn> {
    caller::require_writable(rt)?;
    let (bs, operator) = (rt.store(), rt.caller());
    let (mut st, snap) = load(rt)?;
    st.check_amount(&p.amount, "burn amount")?;
    let owner = owner_for(rt, &p.owner, operator)?;
    let (burnt, allowance) = st.burn_from(bs, operator, owner, &p.amount, rt.curr_epoch())?;
    snap.save(rt, &st)?;
    events::burn(rt, operator, owner, &p.amount, &burnt.supply)?;
    events::votes_changed_all(rt, &burnt.votes)?;
    Ok(BurnFromReturn { balance: burnt.balance, allowance })
}

// ---- mint and cap ----

/// `Mint`: creates tokens for `to` (minters only; not in wrapped-FIL mode), then calls `to`'s
/// receiver hook.
pub fn mint(rt: &impl Runtime, p: MintParams) -> Result<MintReturn> {
    caller::require_writable(rt)?;
    let (bs, operator) = (rt.store(), rt.caller());
    let (st, snap) = load(rt)?;
    let mut cold = st.lazy_cold();
    cold.get(bs)?.require_role(bs, Role::Minter, operator)?;
    if st.mode == TokenMode::WrappedFil {
        return Err(ActorError::forbidden("a wrapped-FIL token is minted only by Deposit"));
    }
    st.check_amount(&p.amount, "mint amount")?;
    let Some(to) = recipient(rt, &p.to, &p.amount)? else {
        st.require_not_paused()?;
        return Ok(MintReturn { balance: TokenAmount::default(), supply: st.supply });
    };
    credit(rt, (st, snap), &mut cold, operator, to, &p.amount, p.operator_data)
}

/// `Cap`: the most tokens that may exist, if limited.
pub fn cap(rt: &impl Runtime, _: ()) -> Result<Option<TokenAmount>> {
    Ok(read(rt)?.cold(rt.store())?.cap)
}

// ---- roles ----

/// `GrantRole`: gives `account` a role (admins only); returns whether it is new.
pub fn grant_role(rt: &impl Runtime, p: RoleParams) -> Result<bool> {
    caller::require_writable(rt)?;
    let (bs, by) = (rt.store(), rt.caller());
    let (mut st, snap) = load(rt)?;
    st.require_role(bs, Role::Admin, by)?;
    let account = caller::resolve_or_create(rt, &p.account)?;
    let added = st.grant_role(bs, p.role, account)?;
    if snap.save_if_changed(rt, &st)? {
        events::role_granted(rt, p.role, account, by)?;
    }
    Ok(added)
}

/// `RevokeRole`: takes a role from `account` (admins only); returns whether it had it.
pub fn revoke_role(rt: &impl Runtime, p: RoleParams) -> Result<bool> {
    caller::require_writable(rt)?;
    let (bs, by) = (rt.store(), rt.caller());
    let (mut st, snap) = load(rt)?;
    st.require_role(bs, Role::Admin, by)?;
    let Some(account) = rt.resolve_address(&p.account) else {
        return Ok(false);
    };
    let removed = st.revoke_role(bs, p.role, account)?;
    if snap.save_if_changed(rt, &st)? {
        events::role_revoked(rt, p.role, account, by)?;
    }
    Ok(removed)
}

/// `RenounceRole`: the caller gives up one of its roles; returns whether it had it.
pub fn renounce_role(rt: &impl Runtime, role: Role) -> Result<bool> {
    caller::require_writable(rt)?;
    let account = rt.caller();
    let (mut st, snap) = load(rt)?;
    let removed = st.revoke_role(rt.store(), role, account)?;
    if snap.save_if_changed(rt, &st)? {
        events::role_revoked(rt, role, account, account)?;
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

// ---- pause ----

/// `Pause`: stops transfers, mints and burns (pausers only).
pub fn pause(rt: &impl Runtime, _: ()) -> Result<()> {
    set_paused(rt, true)
}

/// `Unpause`: resumes them (pausers only).
pub fn unpause(rt: &impl Runtime, _: ()) -> Result<()> {
    set_paused(rt, false)
}

/// `Metadata`: where the token is described, if set.
pub fn metadata(rt: &impl Runtime, _: ()) -> Result<Option<TokenMetadata>> {
    Ok(read(rt)?.cold(rt.store())?.metadata.map(TokenMetadata::from))
}

/// `SetMetadata`: sets or clears where the token is described (admins only; allowed while
/// paused).
pub fn set_metadata(rt: &impl Runtime, p: SetMetadataParams) -> Result<bool> {
    caller::require_writable(rt)?;
    let (bs, by) = (rt.store(), rt.caller());
    let (mut st, snap) = load(rt)?;
    st.require_role(bs, Role::Admin, by)?;
    let changed = st.set_metadata(bs, p.metadata.clone())?;
    if snap.save_if_changed(rt, &st)? {
        events::metadata_changed(rt, p.metadata.as_ref(), by)?;
    }
    Ok(changed)
}

/// `Paused`: whether the token is paused.
pub fn paused(rt: &impl Runtime, _: ()) -> Result<bool> {
    Ok(read(rt)?.paused)
}

// ---- delegation and votes ----

/// `Delegate`: makes the caller's votes (its whole balance, now and as it changes) count for
/// `delegatee`, or for no one.
pub fn delegate(rt: &impl Runtime, p: DelegateParams) -> Result<()> {
    caller::require_writable(rt)?;
    let account = rt.caller();
    let (mut st, snap) = load(rt)?;
    let delegatee = p.delegatee.map(|a| caller::resolve_or_create(rt, &a)).transpose()?;
    let d = st.delegate(rt.store(), account, delegatee, rt.curr_epoch())?;
    if d.changed {
        snap.save(rt, &st)?;
        events::delegate_changed(rt, account, d.previous, delegatee)?;
        events::votes_changed_all(rt, &d.votes)?;
    }
    Ok(())
}

/// `Delegates`: the account `account`'s votes count for, if any.
pub fn delegates(rt: &impl Runtime, account: Address) -> Result<Option<ActorID>> {
    match rt.resolve_address(&account) {
        Some(id) => read(rt)?.delegate_of(rt.store(), id),
        None => Ok(None),
    }
}

/// `GetVotes`: an account's current voting power.
pub fn get_votes(rt: &impl Runtime, account: Address) -> Result<TokenAmount> {
    match rt.resolve_address(&account) {
        Some(id) => read(rt)?.votes_of(rt.store(), id),
        None => Ok(TokenAmount::default()),
    }
}

/// `GetPastVotes`: an account's voting power at the end of a past epoch.
pub fn get_past_votes(rt: &impl Runtime, p: GetPastVotesParams) -> Result<TokenAmount> {
    let now = rt.curr_epoch();
    match rt.resolve_address(&p.account) {
        Some(id) => read(rt)?.past_votes(rt.store(), id, p.epoch, now),
        None => state::require_past(p.epoch, now).map(|_| TokenAmount::default()),
    }
}

/// `GetPastTotalSupply`: the total supply at the end of a past epoch.
pub fn get_past_total_supply(rt: &impl Runtime, epoch: ChainEpoch) -> Result<TokenAmount> {
    read(rt)?.past_total_supply(rt.store(), epoch, rt.curr_epoch())
}

// ---- listing ----

/// `ListHolders`: a page of holders and balances.
pub fn list_holders(rt: &impl Runtime, p: ListHoldersParams) -> Result<ListHoldersReturn> {
    read(rt)?.list_holders(rt.store(), p.cursor, p.limit)
}

// ---- wrapped FIL ----

/// `Deposit` (payable, wrapped-FIL mode): mints the FIL received to the caller, then calls the
/// caller's receiver hook.
pub fn deposit(rt: &impl Runtime, _: ()) -> Result<MintReturn> {
    caller::require_writable(rt)?;
    let (st, snap) = load(rt)?;
    require_wrapped(&st)?;
    let who = rt.caller();
    let mut cold = st.lazy_cold();
    credit(rt, (st, snap), &mut cold, who, who, &rt.value_received(), RawBytes::default())
}

/// `Withdraw` (wrapped-FIL mode): burns the caller's tokens and sends it as much FIL.
pub fn withdraw(rt: &impl Runtime, p: WithdrawParams) -> Result<BurnReturn> {
    caller::require_writable(rt)?;
    let owner = rt.caller();
    let (mut st, snap) = load(rt)?;
    require_wrapped(&st)?;
    let burnt = st.burn(rt.store(), owner, &p.amount, rt.curr_epoch())?;
    let root = snap.save(rt, &st)?;
    events::burn(rt, owner, owner, &p.amount, &burnt.supply)?;
    events::votes_changed_all(rt, &burnt.votes)?;
    if !p.amount.is_zero() {
        messaging::transfer(rt, &Address::new_id(owner), p.amount)?;
    }
    Ok(match reload(rt, &root)? {
        None => BurnReturn { balance: burnt.balance },
        Some(st) => BurnReturn { balance: st.balance(rt.store(), owner)? },
    })
}

// ---- dispatch ----

/// Routes a call. Only `Deposit` accepts value: every other method fails with `USR_NOT_PAYABLE`
/// if the call carries FIL.
pub fn invoke(
    rt: &impl Runtime,
    method: MethodNum,
    params: Option<IpldBlock>,
) -> Result<Option<IpldBlock>> {
    if method != Method::Deposit as u64 {
        caller::require_no_value(rt)?;
    }
    dispatch!(rt, method, params;
        Method::Constructor => constructor,
        Method::Name => name,
        Method::Symbol => symbol,
        Method::Granularity => granularity,
        Method::TotalSupply => total_supply,
        Method::Balance => balance,
        Method::BalanceOf => balance,
        Method::Allowance => allowance,
        Method::Transfer => transfer,
        Method::TransferFrom => transfer_from,
        Method::IncreaseAllowance => increase_allowance,
        Method::IncreaseAllowanceUntil => increase_allowance_until,
        Method::AllowanceExpiry => allowance_expiry,
        Method::DecreaseAllowance => decrease_allowance,
        Method::RevokeAllowance => revoke_allowance,
        Method::Burn => burn,
        Method::BurnFrom => burn_from,
        Method::Mint => mint,
        Method::GrantRole => grant_role,
        Method::RevokeRole => revoke_role,
        Method::RenounceRole => renounce_role,
        Method::HasRole => has_role,
        Method::Metadata => metadata,
        Method::SetMetadata => set_metadata,
        Method::Pause => pause,
        Method::Unpause => unpause,
        Method::Paused => paused,
        Method::Delegate => delegate,
        Method::Delegates => delegates,
        Method::GetVotes => get_votes,
        Method::GetPastVotes => get_past_votes,
        Method::GetPastTotalSupply => get_past_total_supply,
        Method::ListHolders => list_holders,
        Method::Cap => cap,
        Method::Deposit => deposit,
        Method::Withdraw => withdraw,
    )
}

#[cfg(feature = "fil-actor")]
actorlib_kit::wasm_trampoline!(invoke);

// ---- helpers ----

/// The state as loaded at the start of a writing call.
pub struct Snapshot {
    root: Cid,
    state: TokenState,
}

impl Snapshot {
    /// Saves `st` as the new state (unless it is unchanged); returns the actor's state root.
    pub fn save(&self, rt: &impl Runtime, st: &TokenState) -> Result<Cid> {
        if *st == self.state {
            return Ok(self.root);
        }
        save(rt, st)
    }

    /// Saves `st` if it changed; returns whether it did.
    pub fn save_if_changed(&self, rt: &impl Runtime, st: &TokenState) -> Result<bool> {
        let changed = *st != self.state;
        if changed {
            save(rt, st)?;
        }
        Ok(changed)
    }
}

/// Loads the state for a writing call: a working copy and a snapshot to save against.
fn load(rt: &impl Runtime) -> Result<(TokenState, Snapshot)> {
    let root = rt.root()?;
    let state = TokenState::load_at(rt, &root)?;
    Ok((state.clone(), Snapshot { root, state }))
}

/// Loads the state for a query.
fn read(rt: &impl Runtime) -> Result<TokenState> {
    TokenState::load(rt)
}

/// Writes the state and makes it the root.
fn save(rt: &impl Runtime, st: &TokenState) -> Result<Cid> {
    st.save(rt)
}

/// After a call out (hook or payment): `None` if the state root is still `root` (nothing
/// re-entered and wrote), else the state as the callee left it.
pub fn reload(rt: &impl Runtime, root: &Cid) -> Result<Option<TokenState>> {
    TokenState::reload(rt, root)
}

/// The ID of the recipient of `amount`: an existing actor, or, for a non-zero amount, one created
/// now (f1/f3 become accounts, f410 placeholders). `None` for a zero amount to an address with no
/// actor: nothing is created and no hook can run.
fn recipient(rt: &impl Runtime, to: &Address, amount: &TokenAmount) -> Result<Option<ActorID>> {
    match rt.resolve_address(to) {
        Some(id) => Ok(Some(id)),
        None if amount.is_zero() => Ok(None),
        None => caller::resolve_or_create(rt, to).map(Some),
    }
}

/// The ID of the owner an operator acts for; an address with no actor can have granted no
/// allowance (`USR_FORBIDDEN`).
fn owner_for(rt: &impl Runtime, owner: &Address, operator: ActorID) -> Result<ActorID> {
    rt.resolve_address(owner)
        .ok_or_else(|| actor_error!(forbidden; "f0{} has no allowance over {}", operator, owner))
}

/// The remaining allowance reported to an operator (zero for an owner acting for itself).
fn allowance_after(
    st: &TokenState,
    bs: &impl fvm_ipld_blockstore::Blockstore,
    owner: ActorID,
    operator: ActorID,
    epoch: ChainEpoch,
) -> Result<TokenAmount> {
    if owner == operator {
        return Ok(TokenAmount::default());
    }
    st.allowance(bs, owner, operator, epoch)
}

/// Mints `amount` to `to`, saves, emits, calls the hook and returns the balances after it.
fn credit(
    rt: &impl Runtime,
    (mut st, snap): (TokenState, Snapshot),
    cold: &mut state::Cold,
    operator: ActorID,
    to: ActorID,
    amount: &TokenAmount,
    operator_data: RawBytes,
) -> Result<MintReturn> {
    let bs = rt.store();
    let minted = st.mint_with(bs, cold, to, amount, rt.curr_epoch())?;
    let root = snap.save(rt, &st)?;
    events::mint(rt, operator, to, amount, &minted.supply)?;
    events::votes_changed_all(rt, &minted.votes)?;
    hook::tokens_received(rt, rt.receiver(), to, operator, amount, operator_data)?;
    Ok(match reload(rt, &root)? {
        None => MintReturn { balance: minted.balance, supply: minted.supply },
        Some(st) => MintReturn { balance: st.balance(bs, to)?, supply: st.supply },
    })
}

fn set_paused(rt: &impl Runtime, paused: bool) -> Result<()> {
    caller::require_writable(rt)?;
    let by = rt.caller();
    let (mut st, snap) = load(rt)?;
    st.require_role(rt.store(), Role::Pauser, by)?;
    st.set_paused(paused)?;
    snap.save(rt, &st)?;
    if paused {
        events::paused(rt, by)
    } else {
        events::unpaused(rt, by)
    }
}

fn require_wrapped(st: &TokenState) -> Result<()> {
    if st.mode != TokenMode::WrappedFil {
        return Err(ActorError::forbidden("Deposit and Withdraw exist only in wrapped-FIL mode"));
    }
    Ok(())
}
