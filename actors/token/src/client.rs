//! [`TokenClient`]: typed calls into a token actor, for other actors.
//!
//! Each method encodes the parameters, sends the call through
//! [`actorlib_kit::messaging`], checks the exit code (a token's abort becomes an
//! [`ActorError`](actorlib_kit::ActorError)
//! with the token's code) and decodes the return. Queries are sent read-only, so a query can never
//! change anything, and they work from read-only contexts too.
//!
//! ```
//! use actorlib_kit::runtime::{fake::ExpectedSend, SendResponse};
//! use actorlib_kit::FakeRuntime;
//! use actorlib_token::client::TokenClient;
//! use actorlib_token::Method;
//! use fvm_ipld_encoding::ipld_block::IpldBlock;
//! use fvm_shared::{address::Address, econ::TokenAmount, error::ExitCode};
//!
//! let rt = FakeRuntime::new(1000);
//! let token = TokenClient::new(Address::new_id(500));
//! rt.expect_send(ExpectedSend {
//!     to: token.address,
//!     method: Method::TotalSupply as u64,
//!     params: None,
//!     value: TokenAmount::default(),
//!     response: Ok(SendResponse {
//!         exit_code: ExitCode::OK,
//!         return_data: IpldBlock::serialize_cbor(&TokenAmount::from_whole(7)).unwrap(),
//!     }),
//! });
//! assert_eq!(token.total_supply(&rt).unwrap(), TokenAmount::from_whole(7));
//! ```
use actorlib_kit::{messaging, Result, Runtime};
use fvm_ipld_encoding::RawBytes;
use fvm_shared::address::Address;
use fvm_shared::clock::ChainEpoch;
use fvm_shared::econ::TokenAmount;
use fvm_shared::ActorID;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::types::*;

/// A token actor, by address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TokenClient {
    /// The token actor's address.
    pub address: Address,
}

impl TokenClient {
    /// A client for the token at `address`.
    pub fn new(address: Address) -> Self {
        Self { address }
    }

    fn call<P: Serialize, R: DeserializeOwned>(
        &self,
        rt: &impl Runtime,
        method: Method,
        params: &P,
    ) -> Result<R> {
        messaging::send(rt, &self.address, method as u64, params, TokenAmount::default())
    }

    fn query<P: Serialize, R: DeserializeOwned>(
        &self,
        rt: &impl Runtime,
        method: Method,
        params: &P,
    ) -> Result<R> {
        messaging::send_read_only(rt, &self.address, method as u64, params)
    }

    /// `Name`.
    pub fn name(&self, rt: &impl Runtime) -> Result<String> {
        self.query(rt, Method::Name, &())
    }

    /// `Symbol`.
    pub fn symbol(&self, rt: &impl Runtime) -> Result<String> {
        self.query(rt, Method::Symbol, &())
    }

    /// `Granularity`.
    pub fn granularity(&self, rt: &impl Runtime) -> Result<u64> {
        self.query(rt, Method::Granularity, &())
    }

    /// `TotalSupply`.
    pub fn total_supply(&self, rt: &impl Runtime) -> Result<TokenAmount> {
        self.query(rt, Method::TotalSupply, &())
    }

    /// `Balance`.
    pub fn balance(&self, rt: &impl Runtime, owner: Address) -> Result<TokenAmount> {
        self.query(rt, Method::Balance, &owner)
    }

    /// `Allowance`.
    pub fn allowance(
        &self,
        rt: &impl Runtime,
        owner: Address,
        operator: Address,
    ) -> Result<TokenAmount> {
        self.query(rt, Method::Allowance, &GetAllowanceParams { owner, operator })
    }

    /// `Transfer` of the calling actor's tokens.
    pub fn transfer(
        &self,
        rt: &impl Runtime,
        to: Address,
        amount: TokenAmount,
        operator_data: RawBytes,
    ) -> Result<TransferReturn> {
        self.call(rt, Method::Transfer, &TransferParams { to, amount, operator_data })
    }

    /// `TransferFrom`, the calling actor acting as operator.
    pub fn transfer_from(
        &self,
        rt: &impl Runtime,
        from: Address,
        to: Address,
        amount: TokenAmount,
        operator_data: RawBytes,
    ) -> Result<TransferFromReturn> {
        let p = TransferFromParams { from, to, amount, operator_data };
        self.call(rt, Method::TransferFrom, &p)
    }

    /// `IncreaseAllowance`.
    pub fn increase_allowance(
        &self,
        rt: &impl Runtime,
        operator: Address,
        increase: TokenAmount,
    ) -> Result<TokenAmount> {
        self.call(rt, Method::IncreaseAllowance, &IncreaseAllowanceParams { operator, increase })
    }

    /// `IncreaseAllowanceUntil`: raises an allowance and sets when it expires (`None`: never).
    pub fn increase_allowance_until(
        &self,
        rt: &impl Runtime,
        operator: Address,
        increase: TokenAmount,
        expires_at: Option<ChainEpoch>,
    ) -> Result<TokenAmount> {
        let p = IncreaseAllowanceUntilParams { operator, increase, expires_at };
        self.call(rt, Method::IncreaseAllowanceUntil, &p)
    }

    /// `AllowanceExpiry`: when an allowance expires, if it does.
    pub fn allowance_expiry(
        &self,
        rt: &impl Runtime,
        owner: Address,
        operator: Address,
    ) -> Result<Option<ChainEpoch>> {
        self.query(rt, Method::AllowanceExpiry, &GetAllowanceParams { owner, operator })
    }

    /// `DecreaseAllowance`.
    pub fn decrease_allowance(
        &self,
        rt: &impl Runtime,
        operator: Address,
        decrease: TokenAmount,
    ) -> Result<TokenAmount> {
        self.call(rt, Method::DecreaseAllowance, &DecreaseAllowanceParams { operator, decrease })
    }

    /// `RevokeAllowance`.
    pub fn revoke_allowance(&self, rt: &impl Runtime, operator: Address) -> Result<()> {
        self.call(rt, Method::RevokeAllowance, &RevokeAllowanceParams { operator })
    }

    /// `Burn` of the calling actor's tokens.
    pub fn burn(&self, rt: &impl Runtime, amount: TokenAmount) -> Result<BurnReturn> {
        self.call(rt, Method::Burn, &BurnParams { amount })
    }

    /// `BurnFrom`, the calling actor acting as operator.
    pub fn burn_from(
        &self,
        rt: &impl Runtime,
        owner: Address,
        amount: TokenAmount,
    ) -> Result<BurnFromReturn> {
        self.call(rt, Method::BurnFrom, &BurnFromParams { owner, amount })
    }

    /// `Mint` (the calling actor must be a minter).
    pub fn mint(
        &self,
        rt: &impl Runtime,
        to: Address,
        amount: TokenAmount,
        operator_data: RawBytes,
    ) -> Result<MintReturn> {
        self.call(rt, Method::Mint, &MintParams { to, amount, operator_data })
    }

    /// `Cap`.
    pub fn cap(&self, rt: &impl Runtime) -> Result<Option<TokenAmount>> {
        self.query(rt, Method::Cap, &())
    }

    /// `GrantRole` (the calling actor must be an admin).
    pub fn grant_role(&self, rt: &impl Runtime, role: Role, account: Address) -> Result<bool> {
        self.call(rt, Method::GrantRole, &RoleParams { role, account })
    }

    /// `RevokeRole` (the calling actor must be an admin).
    pub fn revoke_role(&self, rt: &impl Runtime, role: Role, account: Address) -> Result<bool> {
        self.call(rt, Method::RevokeRole, &RoleParams { role, account })
    }

    /// `RenounceRole`.
    pub fn renounce_role(&self, rt: &impl Runtime, role: Role) -> Result<bool> {
        self.call(rt, Method::RenounceRole, &role)
    }

    /// `HasRole`.
    pub fn has_role(&self, rt: &impl Runtime, role: Role, account: Address) -> Result<bool> {
        self.query(rt, Method::HasRole, &RoleParams { role, account })
    }

    /// `Pause` (the calling actor must be a pauser).
    pub fn pause(&self, rt: &impl Runtime) -> Result<()> {
        self.call(rt, Method::Pause, &())
    }

    /// `Unpause` (the calling actor must be a pauser).
    pub fn unpause(&self, rt: &impl Runtime) -> Result<()> {
        self.call(rt, Method::Unpause, &())
    }

    /// `Metadata`.
    pub fn metadata(&self, rt: &impl Runtime) -> Result<Option<TokenMetadata>> {
        self.query(rt, Method::Metadata, &())
    }

    /// `SetMetadata` (the calling actor must be an admin).
    pub fn set_metadata(&self, rt: &impl Runtime, metadata: Option<TokenMetadata>) -> Result<bool> {
        self.call(rt, Method::SetMetadata, &SetMetadataParams { metadata })
    }

    /// `Paused`.
    pub fn paused(&self, rt: &impl Runtime) -> Result<bool> {
        self.query(rt, Method::Paused, &())
    }

    /// `Delegate` the calling actor's votes.
    pub fn delegate(&self, rt: &impl Runtime, delegatee: Option<Address>) -> Result<()> {
        self.call(rt, Method::Delegate, &DelegateParams { delegatee })
    }

    /// `Delegates`.
    pub fn delegates(&self, rt: &impl Runtime, account: Address) -> Result<Option<ActorID>> {
        self.query(rt, Method::Delegates, &account)
    }

    /// `GetVotes`.
    pub fn get_votes(&self, rt: &impl Runtime, account: Address) -> Result<TokenAmount> {
        self.query(rt, Method::GetVotes, &account)
    }

    /// `GetPastVotes`.
    pub fn get_past_votes(
        &self,
        rt: &impl Runtime,
        account: Address,
        epoch: ChainEpoch,
    ) -> Result<TokenAmount> {
        self.query(rt, Method::GetPastVotes, &GetPastVotesParams { account, epoch })
    }

    /// `GetPastTotalSupply`.
    pub fn get_past_total_supply(
        &self,
        rt: &impl Runtime,
        epoch: ChainEpoch,
    ) -> Result<TokenAmount> {
        self.query(rt, Method::GetPastTotalSupply, &epoch)
    }

    /// `ListHolders`.
    pub fn list_holders(
        &self,
        rt: &impl Runtime,
        cursor: Option<ActorID>,
        limit: u32,
    ) -> Result<ListHoldersReturn> {
        self.query(rt, Method::ListHolders, &ListHoldersParams { cursor, limit })
    }

    /// `Deposit` `value` FIL (wrapped-FIL mode).
    pub fn deposit(&self, rt: &impl Runtime, value: TokenAmount) -> Result<MintReturn> {
        messaging::send(rt, &self.address, Method::Deposit as u64, &(), value)
    }

    /// `Withdraw` (wrapped-FIL mode).
    pub fn withdraw(&self, rt: &impl Runtime, amount: TokenAmount) -> Result<BurnReturn> {
        self.call(rt, Method::Withdraw, &WithdrawParams { amount })
    }
}
