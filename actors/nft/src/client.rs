//! [`NftClient`]: typed calls into an FRC-53 collection, for other actors.
//!
//! Each method encodes the parameters, sends the call through [`actorlib_kit::messaging`], checks
//! the exit code (the collection's abort becomes an [`ActorError`](actorlib_kit::ActorError) with
//! its code) and decodes the return. Queries are sent read-only.
//!
//! ```
//! use actorlib_kit::runtime::{fake::ExpectedSend, SendResponse};
//! use actorlib_kit::FakeRuntime;
//! use actorlib_nft::client::NftClient;
//! use actorlib_nft::Method;
//! use fvm_ipld_encoding::ipld_block::IpldBlock;
//! use fvm_shared::{address::Address, econ::TokenAmount, error::ExitCode};
//!
//! let rt = FakeRuntime::new(1000);
//! let nft = NftClient::new(Address::new_id(500));
//! rt.expect_send(ExpectedSend {
//!     to: nft.address,
//!     method: Method::TotalSupply as u64,
//!     params: None,
//!     value: TokenAmount::default(),
//!     response: Ok(SendResponse {
//!         exit_code: ExitCode::OK,
//!         return_data: IpldBlock::serialize_cbor(&7u64).unwrap(),
//!     }),
//! });
//! assert_eq!(nft.total_supply(&rt).unwrap(), 7);
//! ```
use actorlib_kit::{messaging, Result, Runtime};
use fvm_ipld_encoding::RawBytes;
use fvm_shared::address::Address;
use fvm_shared::econ::TokenAmount;
use fvm_shared::ActorID;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::types::*;

/// An NFT collection, by address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NftClient {
    /// The collection's address.
    pub address: Address,
}

impl NftClient {
    /// A client for the collection at `address`.
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

    /// `TotalSupply`.
    pub fn total_supply(&self, rt: &impl Runtime) -> Result<u64> {
        self.query(rt, Method::TotalSupply, &())
    }

    /// `BalanceOf`.
    pub fn balance_of(&self, rt: &impl Runtime, owner: Address) -> Result<u64> {
        self.query(rt, Method::BalanceOf, &owner)
    }

    /// `OwnerOf`.
    pub fn owner_of(&self, rt: &impl Runtime, token_id: TokenID) -> Result<ActorID> {
        self.query(rt, Method::OwnerOf, &token_id)
    }

    /// `Metadata`.
    pub fn metadata(&self, rt: &impl Runtime, token_id: TokenID) -> Result<String> {
        self.query(rt, Method::Metadata, &token_id)
    }

    /// `IsApprovedForAll`.
    pub fn is_approved_for_all(
        &self,
        rt: &impl Runtime,
        owner: Address,
        operator: Address,
    ) -> Result<bool> {
        self.query(rt, Method::IsApprovedForAll, &IsApprovedForAllParams { owner, operator })
    }

    /// `Transfer`.
    pub fn transfer(
        &self,
        rt: &impl Runtime,
        to: Address,
        token_ids: Vec<TokenID>,
        operator_data: RawBytes,
    ) -> Result<TransferReturn> {
        self.call(rt, Method::Transfer, &TransferParams { to, token_ids, operator_data })
    }

    /// `TransferFrom`.
    pub fn transfer_from(
        &self,
        rt: &impl Runtime,
        from: Address,
        to: Address,
        token_ids: Vec<TokenID>,
        operator_data: RawBytes,
    ) -> Result<TransferReturn> {
        self.call(
            rt,
            Method::TransferFrom,
            &TransferFromParams { from, to, token_ids, operator_data },
        )
    }

    /// `Approve`.
    pub fn approve(
        &self,
        rt: &impl Runtime,
        operator: Address,
        token_ids: Vec<TokenID>,
    ) -> Result<()> {
        self.call(rt, Method::Approve, &ApproveParams { operator, token_ids })
    }

    /// `Revoke`.
    pub fn revoke(
        &self,
        rt: &impl Runtime,
        operator: Address,
        token_ids: Vec<TokenID>,
    ) -> Result<()> {
        self.call(rt, Method::Revoke, &RevokeParams { operator, token_ids })
    }

    /// `ApproveForAll`.
    pub fn approve_for_all(&self, rt: &impl Runtime, operator: Address) -> Result<()> {
        self.call(rt, Method::ApproveForAll, &ApproveForAllParams { operator })
    }

    /// `RevokeForAll`.
    pub fn revoke_for_all(&self, rt: &impl Runtime, operator: Address) -> Result<()> {
        self.call(rt, Method::RevokeForAll, &RevokeForAllParams { operator })
    }

    /// `Burn`; returns the caller's balance.
    pub fn burn(&self, rt: &impl Runtime, token_ids: Vec<TokenID>) -> Result<u64> {
        self.call(rt, Method::Burn, &token_ids)
    }

    /// `BurnFrom`.
    pub fn burn_from(
        &self,
        rt: &impl Runtime,
        from: Address,
        token_ids: Vec<TokenID>,
    ) -> Result<()> {
        self.call(rt, Method::BurnFrom, &BurnFromParams { from, token_ids })
    }

    /// `ListTokens`.
    pub fn list_tokens(
        &self,
        rt: &impl Runtime,
        cursor: RawBytes,
        limit: u64,
    ) -> Result<ListTokensReturn> {
        self.query(rt, Method::ListTokens, &ListTokensParams { cursor, limit })
    }

    /// `ListOwnedTokens`.
    pub fn list_owned_tokens(
        &self,
        rt: &impl Runtime,
        owner: Address,
        cursor: RawBytes,
        limit: u64,
    ) -> Result<ListTokensReturn> {
        self.query(rt, Method::ListOwnedTokens, &ListOwnedTokensParams { owner, cursor, limit })
    }

    /// `Mint` (the caller must be a minter of the collection).
    pub fn mint(
        &self,
        rt: &impl Runtime,
        to: Address,
        metadata: String,
        operator_data: RawBytes,
    ) -> Result<MintReturn> {
        self.call(rt, Method::Mint, &MintParams { to, metadata, operator_data })
    }

    /// `BatchMint` (the caller must be a minter of the collection).
    pub fn batch_mint(
        &self,
        rt: &impl Runtime,
        to: Address,
        metadata: Vec<String>,
        operator_data: RawBytes,
    ) -> Result<MintReturn> {
        self.call(rt, Method::BatchMint, &BatchMintParams { to, metadata, operator_data })
    }
}
