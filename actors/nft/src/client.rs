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
use fvm_ipld_bitfield::BitField;
use fvm_ipld_encoding::RawBytes;
use fvm_shared::address::Address;
use fvm_shared::clock::ChainEpoch;
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

    /// `ApproveUntil`: `Approve` until `expires_at` (after the current epoch).
    pub fn approve_until(
        &self,
        rt: &impl Runtime,
        operator: Address,
        token_ids: Vec<TokenID>,
        expires_at: ChainEpoch,
    ) -> Result<()> {
        self.call(rt, Method::ApproveUntil, &ApproveUntilParams { operator, token_ids, expires_at })
    }

    /// `ApproveForAllUntil`: `ApproveForAll` until `expires_at` (after the current epoch).
    pub fn approve_for_all_until(
        &self,
        rt: &impl Runtime,
        operator: Address,
        expires_at: ChainEpoch,
    ) -> Result<()> {
        self.call(
            rt,
            Method::ApproveForAllUntil,
            &ApproveForAllUntilParams { operator, expires_at },
        )
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

    /// `MetadataID` (the FRC-53 text's name for `Metadata`).
    pub fn metadata_id(&self, rt: &impl Runtime, token_id: TokenID) -> Result<String> {
        self.query(rt, Method::MetadataID, &token_id)
    }

    /// `Owner`: the owners of a token set, in ascending token order.
    pub fn owner(&self, rt: &impl Runtime, token_ids: &BitField) -> Result<Vec<ActorID>> {
        self.query(rt, Method::Owner, token_ids)
    }

    /// `RevokeApproval`.
    pub fn revoke_approval(
        &self,
        rt: &impl Runtime,
        operator: Address,
        token_ids: BitField,
    ) -> Result<()> {
        self.call(rt, Method::RevokeApproval, &RevokeApprovalParams { operator, token_ids })
    }

    /// `IsApproved`: the subset of `token_ids` that `operator` operates.
    pub fn is_approved(
        &self,
        rt: &impl Runtime,
        operator: Address,
        token_ids: BitField,
    ) -> Result<BitField> {
        self.query(rt, Method::IsApproved, &IsApprovedParams { operator, token_ids })
    }

    /// `RevokeApprovalForAll`.
    pub fn revoke_approval_for_all(&self, rt: &impl Runtime, operator: Address) -> Result<()> {
        self.call(rt, Method::RevokeApprovalForAll, &RevokeApprovalForAllParams { operator })
    }

    /// `ListOperatorTokens`.
    pub fn list_operator_tokens(
        &self,
        rt: &impl Runtime,
        owner: Address,
        operator: Address,
        cursor: RawBytes,
        limit: u64,
    ) -> Result<ListTokensReturn> {
        let p = ListOperatorTokensParams { owner, operator, cursor, limit };
        self.query(rt, Method::ListOperatorTokens, &p)
    }

    /// `RoyaltyInfo`: the royalty due on selling `token_id` for `sale_price`.
    pub fn royalty_info(
        &self,
        rt: &impl Runtime,
        token_id: TokenID,
        sale_price: TokenAmount,
    ) -> Result<RoyaltyInfoReturn> {
        self.query(rt, Method::RoyaltyInfo, &RoyaltyInfoParams { token_id, sale_price })
    }

    /// `DefaultRoyalty`.
    pub fn default_royalty(&self, rt: &impl Runtime) -> Result<DefaultRoyaltyReturn> {
        self.query(rt, Method::DefaultRoyalty, &())
    }

    /// `SetDefaultRoyalty` (admins only); `None` removes it.
    pub fn set_default_royalty(
        &self,
        rt: &impl Runtime,
        royalty: Option<RoyaltyParams>,
    ) -> Result<()> {
        self.call(rt, Method::SetDefaultRoyalty, &SetDefaultRoyaltyParams { royalty })
    }

    /// `SetTokenRoyalty` (admins only); `None` clears the override.
    pub fn set_token_royalty(
        &self,
        rt: &impl Runtime,
        token_id: TokenID,
        royalty: Option<RoyaltyParams>,
    ) -> Result<()> {
        self.call(rt, Method::SetTokenRoyalty, &SetTokenRoyaltyParams { token_id, royalty })
    }

    /// `MintWithMetadata` (the caller must be a minter).
    pub fn mint_with_metadata(
        &self,
        rt: &impl Runtime,
        to: Address,
        metadata: MetadataEntry,
        operator_data: RawBytes,
    ) -> Result<MintReturn> {
        let p = MintWithMetadataParams { to, metadata, operator_data };
        self.call(rt, Method::MintWithMetadata, &p)
    }

    /// `BatchMintWithMetadata` (the caller must be a minter).
    pub fn batch_mint_with_metadata(
        &self,
        rt: &impl Runtime,
        to: Address,
        metadata: Vec<MetadataEntry>,
        operator_data: RawBytes,
    ) -> Result<MintReturn> {
        let p = BatchMintWithMetadataParams { to, metadata, operator_data };
        self.call(rt, Method::BatchMintWithMetadata, &p)
    }

    /// `SetTokenMetadata` (admins and metadata editors, until frozen).
    pub fn set_token_metadata(
        &self,
        rt: &impl Runtime,
        token_id: TokenID,
        metadata: MetadataEntry,
    ) -> Result<()> {
        self.call(rt, Method::SetTokenMetadata, &SetTokenMetadataParams { token_id, metadata })
    }

    /// `FreezeMetadata` (admins only); returns whether it was not frozen yet.
    pub fn freeze_metadata(&self, rt: &impl Runtime) -> Result<bool> {
        self.call(rt, Method::FreezeMetadata, &())
    }

    /// `MetadataFrozen`.
    pub fn metadata_frozen(&self, rt: &impl Runtime) -> Result<bool> {
        self.query(rt, Method::MetadataFrozen, &())
    }

    /// `TokenMetadata`: a token's URI, data CID, piece CID and deal.
    pub fn token_metadata(
        &self,
        rt: &impl Runtime,
        token_id: TokenID,
    ) -> Result<TokenMetadataReturn> {
        self.query(rt, Method::TokenMetadata, &token_id)
    }

    /// `MintStoredContent` (the caller must be a minter; the deal must be active).
    pub fn mint_stored_content(
        &self,
        rt: &impl Runtime,
        p: &MintStoredContentParams,
    ) -> Result<MintReturn> {
        self.call(rt, Method::MintStoredContent, p)
    }

    /// `ContentStatus`: where a token's storage deal stands now.
    pub fn content_status(
        &self,
        rt: &impl Runtime,
        token_id: TokenID,
    ) -> Result<ContentStatusReturn> {
        self.query(rt, Method::ContentStatus, &token_id)
    }

    /// `SetCreators` (admins and metadata editors); an empty list removes them.
    pub fn set_creators(
        &self,
        rt: &impl Runtime,
        token_id: TokenID,
        creators: Vec<CreatorShare>,
    ) -> Result<()> {
        self.call(rt, Method::SetCreators, &SetCreatorsParams { token_id, creators })
    }

    /// `VerifyCreator`: this actor confirms that it made the tokens.
    pub fn verify_creator(&self, rt: &impl Runtime, token_ids: Vec<TokenID>) -> Result<()> {
        self.call(rt, Method::VerifyCreator, &VerifyCreatorParams { token_ids })
    }

    /// `UnverifyCreator`: this actor takes back its confirmation.
    pub fn unverify_creator(&self, rt: &impl Runtime, token_ids: Vec<TokenID>) -> Result<()> {
        self.call(rt, Method::UnverifyCreator, &VerifyCreatorParams { token_ids })
    }

    /// `Creators`: a token's creators, their shares and verifications.
    pub fn creators(&self, rt: &impl Runtime, token_id: TokenID) -> Result<Vec<Creator>> {
        self.query(rt, Method::Creators, &token_id)
    }
}
