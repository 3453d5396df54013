//! The NFT's public interface: method numbers, parameter and return types, constants.
//!
//! Everything is CBOR in tuple encoding (a struct is an array of its fields, in order). The FRC-53
//! methods use FRC-42 numbers of the `frc53_nft` crate's method names and its encodings (token IDs
//! as lists in parameters, RLE+ bitfields in listings, opaque byte cursors), so clients of that
//! crate work unchanged. The extensions (mint, roles, max supply) use FRC-42 numbers of their own
//! names. `tests/golden.rs` pins every number and one encoding per method.
use actorlib_kit::method_hash;
use cid::Cid;
use fvm_ipld_bitfield::BitField;
use fvm_ipld_encoding::tuple::*;
use fvm_ipld_encoding::RawBytes;
use fvm_shared::address::Address;
use fvm_shared::clock::ChainEpoch;
use fvm_shared::econ::TokenAmount;
use fvm_shared::ActorID;

pub use crate::content::ContentStatus;
pub use actorlib_kit::ext::market::DealID;
use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize, Serializer};

/// A token's ID: minted from a counter starting at 0, never reused after a burn.
pub type TokenID = u64;

/// The method number of the universal receiver hook, `frc42_hash("Receive")`.
pub use actorlib_kit::receiver::RECEIVER_HOOK_METHOD;

/// The receiver hook's asset type for FRC-53 tokens: `frc42_hash("FRC53")` as a `u32`.
pub const FRC53_TOKEN_TYPE: u32 = method_hash!("FRC53") as u32;

/// The most entries one listing call returns.
pub const MAX_LIST_LIMIT: u64 = 1000;

/// The most token IDs (or metadata entries) one call may name. Bounded so that every event fits
/// the FVM's event value limit (8 KiB) with IDs of any size.
pub const MAX_BATCH: usize = 500;

/// The NFT's methods and their numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u64)]
pub enum Method {
    /// Called by init when the collection is deployed.
    Constructor = 1,
    // FRC-53
    /// The collection's name.
    Name = method_hash!("Name"),
    /// The collection's symbol.
    Symbol = method_hash!("Symbol"),
    /// The number of tokens in circulation.
    TotalSupply = method_hash!("TotalSupply"),
    /// The number of tokens an address holds (the `frc53_nft` crate's name).
    BalanceOf = method_hash!("BalanceOf"),
    /// The number of tokens an address holds (the FRC-53 text's name, same encoding).
    Balance = method_hash!("Balance"),
    /// The ID of a token's owner.
    OwnerOf = method_hash!("OwnerOf"),
    /// A token's metadata URI.
    Metadata = method_hash!("Metadata"),
    /// Moves the caller's tokens.
    Transfer = method_hash!("Transfer"),
    /// Moves an owner's tokens, the caller acting as operator.
    TransferFrom = method_hash!("TransferFrom"),
    /// Makes an address an operator of some tokens.
    Approve = method_hash!("Approve"),
    /// Removes an operator from some tokens.
    Revoke = method_hash!("Revoke"),
    /// Makes an address an operator of all the caller's tokens.
    ApproveForAll = method_hash!("ApproveForAll"),
    /// Removes an account-level operator.
    RevokeForAll = method_hash!("RevokeForAll"),
    /// Whether an address is an account-level operator of an owner.
    IsApprovedForAll = method_hash!("IsApprovedForAll"),
    /// Destroys the caller's tokens.
    Burn = method_hash!("Burn"),
    /// Destroys an owner's tokens, the caller acting as operator.
    BurnFrom = method_hash!("BurnFrom"),
    /// A page of the tokens in circulation.
    ListTokens = method_hash!("ListTokens"),
    /// A page of an owner's tokens.
    ListOwnedTokens = method_hash!("ListOwnedTokens"),
    /// A page of a token's operators.
    ListTokenOperators = method_hash!("ListTokenOperators"),
    /// A page of an owner's account-level operators.
    ListAccountOperators = method_hash!("ListAccountOperators"),
    // extensions
    /// Creates one token (minters only).
    Mint = method_hash!("Mint"),
    /// Creates many tokens for one recipient, with one hook call (minters only).
    BatchMint = method_hash!("BatchMint"),
    /// The most tokens that may ever be minted, if limited.
    MaxSupply = method_hash!("MaxSupply"),
    /// Gives an account a role (admins only).
    GrantRole = method_hash!("GrantRole"),
    /// Takes a role from an account (admins only).
    RevokeRole = method_hash!("RevokeRole"),
    /// Whether an account holds a role.
    HasRole = method_hash!("HasRole"),
    // FRC-53 text names the crate lacks (token sets as RLE+ bitfields)
    /// A token's metadata URI (the FRC-53 text's name for `Metadata`, same encoding).
    MetadataID = method_hash!("MetadataID"),
    /// The owners of a token set, in ascending token order.
    Owner = method_hash!("Owner"),
    /// Removes an operator from a token set.
    RevokeApproval = method_hash!("RevokeApproval"),
    /// The subset of a token set an address operates.
    IsApproved = method_hash!("IsApproved"),
    /// Removes an account-level operator (the text's name for `RevokeForAll`, same encoding).
    RevokeApprovalForAll = method_hash!("RevokeApprovalForAll"),
    /// A page of an owner's tokens of which an address is a token-level operator.
    ListOperatorTokens = method_hash!("ListOperatorTokens"),
    // royalties
    /// The royalty due on a sale of a token.
    RoyaltyInfo = method_hash!("RoyaltyInfo"),
    /// The collection's default royalty.
    DefaultRoyalty = method_hash!("DefaultRoyalty"),
    /// Sets or clears the default royalty (admins only).
    SetDefaultRoyalty = method_hash!("SetDefaultRoyalty"),
    /// Sets or clears a token's royalty override (admins only).
    SetTokenRoyalty = method_hash!("SetTokenRoyalty"),
    // metadata
    /// Creates one token with a URI, data CID and piece CID (minters only).
    MintWithMetadata = method_hash!("MintWithMetadata"),
    /// Creates many tokens, each with a URI, data CID and piece CID (minters only).
    BatchMintWithMetadata = method_hash!("BatchMintWithMetadata"),
    /// Replaces a token's URI, data CID and piece CID (admins and metadata editors).
    SetTokenMetadata = method_hash!("SetTokenMetadata"),
    /// Freezes all metadata for good (admins only).
    FreezeMetadata = method_hash!("FreezeMetadata"),
    /// Whether metadata is frozen.
    MetadataFrozen = method_hash!("MetadataFrozen"),
    /// A token's whole metadata record.
    TokenMetadata = method_hash!("TokenMetadata"),
    // stored content
    /// Creates a token bound to an active storage deal and its piece (minters only).
    MintStoredContent = method_hash!("MintStoredContent"),
    /// Where a token's deal stands now, asked of the storage market.
    ContentStatus = method_hash!("ContentStatus"),
    // expiring approvals
    /// `Approve` until an epoch.
    ApproveUntil = method_hash!("ApproveUntil"),
    /// `ApproveForAll` until an epoch.
    ApproveForAllUntil = method_hash!("ApproveForAllUntil"),
    // verified creators
    /// Replaces a token's creators (admins and metadata editors; not once metadata is frozen).
    SetCreators = method_hash!("SetCreators"),
    /// A listed creator confirms that it made the tokens.
    VerifyCreator = method_hash!("VerifyCreator"),
    /// A listed creator takes its confirmation back.
    UnverifyCreator = method_hash!("UnverifyCreator"),
    /// A token's creators, with their shares and whether each has verified.
    Creators = method_hash!("Creators"),
}

impl Method {
    /// Every method, in declaration order.
    pub const ALL: &'static [Method] = &[
        Method::Constructor,
        Method::Name,
        Method::Symbol,
        Method::TotalSupply,
        Method::BalanceOf,
        Method::Balance,
        Method::OwnerOf,
        Method::Metadata,
        Method::Transfer,
        Method::TransferFrom,
        Method::Approve,
        Method::Revoke,
        Method::ApproveForAll,
        Method::RevokeForAll,
        Method::IsApprovedForAll,
        Method::Burn,
        Method::BurnFrom,
        Method::ListTokens,
        Method::ListOwnedTokens,
        Method::ListTokenOperators,
        Method::ListAccountOperators,
        Method::Mint,
        Method::BatchMint,
        Method::MaxSupply,
        Method::GrantRole,
        Method::RevokeRole,
        Method::HasRole,
        Method::MetadataID,
        Method::Owner,
        Method::RevokeApproval,
        Method::IsApproved,
        Method::RevokeApprovalForAll,
        Method::ListOperatorTokens,
        Method::RoyaltyInfo,
        Method::DefaultRoyalty,
        Method::SetDefaultRoyalty,
        Method::SetTokenRoyalty,
        Method::MintWithMetadata,
        Method::BatchMintWithMetadata,
        Method::SetTokenMetadata,
        Method::FreezeMetadata,
        Method::MetadataFrozen,
        Method::TokenMetadata,
        Method::MintStoredContent,
        Method::ContentStatus,
        Method::ApproveUntil,
        Method::ApproveForAllUntil,
        Method::SetCreators,
        Method::VerifyCreator,
        Method::UnverifyCreator,
        Method::Creators,
    ];
}

/// A role. Encoded as a `u8`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// Grants and revokes every role (0).
    Admin,
    /// May `Mint`, `BatchMint`, `MintWithMetadata`, `BatchMintWithMetadata` and
    /// `MintStoredContent` (1).
    Minter,
    /// May change tokens' metadata with `SetTokenMetadata`, until it is frozen (2).
    MetadataEditor,
}

impl Role {
    /// The encoding.
    pub const fn to_u8(self) -> u8 {
        match self {
            Role::Admin => 0,
            Role::Minter => 1,
            Role::MetadataEditor => 2,
        }
    }

    /// Decodes, or `None` for an unknown value.
    pub const fn from_u8(n: u8) -> Option<Self> {
        match n {
            0 => Some(Role::Admin),
            1 => Some(Role::Minter),
            2 => Some(Role::MetadataEditor),
            _ => None,
        }
    }
}

impl actorlib_kit::roles::Role for Role {
    fn to_u8(self) -> u8 {
        Role::to_u8(self)
    }
    fn from_u8(b: u8) -> Option<Self> {
        Role::from_u8(b)
    }
}

impl Serialize for Role {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u8(self.to_u8())
    }
}

impl<'de> Deserialize<'de> for Role {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let n = u8::deserialize(d)?;
        Role::from_u8(n).ok_or_else(|| de::Error::custom(format!("unknown role {n}")))
    }
}

/// Constructor parameters.
///
/// Encoded as a 6-tuple; the 5-tuple without `royalty` (the encoding before royalties existed) is
/// still accepted and means no default royalty.
#[derive(Serialize_tuple, Clone, Debug, PartialEq)]
pub struct ConstructorParams {
    /// The collection's name.
    pub name: String,
    /// The collection's symbol.
    pub symbol: String,
    /// The most tokens that may ever be minted (burnt ones included), if limited.
    pub max_supply: Option<u64>,
    /// Accounts given the admin role.
    pub admins: Vec<Address>,
    /// Accounts given the minter role.
    pub minters: Vec<Address>,
    /// The default royalty, if any.
    pub royalty: Option<RoyaltyParams>,
}

impl<'de> Deserialize<'de> for ConstructorParams {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> de::Visitor<'de> for V {
            type Value = ConstructorParams;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a 5- or 6-tuple of constructor parameters")
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let missing = |i| de::Error::invalid_length(i, &"5 or 6 elements");
                Ok(ConstructorParams {
                    name: seq.next_element()?.ok_or_else(|| missing(0))?,
                    symbol: seq.next_element()?.ok_or_else(|| missing(1))?,
                    max_supply: seq.next_element()?.ok_or_else(|| missing(2))?,
                    admins: seq.next_element()?.ok_or_else(|| missing(3))?,
                    minters: seq.next_element()?.ok_or_else(|| missing(4))?,
                    royalty: seq.next_element()?.unwrap_or(None),
                })
            }
        }
        d.deserialize_seq(V)
    }
}

/// The universal receiver hook's parameters (the kit's, shared by every asset type).
pub use actorlib_kit::receiver::UniversalReceiverParams;

/// The payload of the receiver hook: the FRC-53 text's layout (with `from`), accounts as actor IDs
/// and tokens as a list (see the README for why).
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
pub struct FRC53TokensReceived {
    /// The account debited (the collection itself for a mint).
    pub from: ActorID,
    /// The account credited (the hook's receiver).
    pub to: ActorID,
    /// The actor that initiated the mint or transfer.
    pub operator: ActorID,
    /// The tokens received.
    pub token_ids: Vec<TokenID>,
    /// Data from the operator.
    pub operator_data: RawBytes,
    /// Data from the collection (empty).
    pub token_data: RawBytes,
}

/// `Transfer` parameters.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
pub struct TransferParams {
    /// The recipient.
    pub to: Address,
    /// The tokens (each at most once).
    pub token_ids: Vec<TokenID>,
    /// Passed to the recipient's hook.
    pub operator_data: RawBytes,
}

/// `TransferFrom` parameters.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
pub struct TransferFromParams {
    /// The owner of the tokens.
    pub from: Address,
    /// The recipient.
    pub to: Address,
    /// The tokens (each at most once).
    pub token_ids: Vec<TokenID>,
    /// Passed to the recipient's hook.
    pub operator_data: RawBytes,
}

/// `Transfer` and `TransferFrom` return.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
pub struct TransferReturn {
    /// The owner's balance after the transfer.
    pub from_balance: u64,
    /// The recipient's balance after the transfer.
    pub to_balance: u64,
    /// The tokens moved.
    pub token_ids: Vec<TokenID>,
}

/// `Approve` parameters.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
pub struct ApproveParams {
    /// The operator.
    pub operator: Address,
    /// The tokens.
    pub token_ids: Vec<TokenID>,
}

/// `Revoke` parameters.
pub type RevokeParams = ApproveParams;

/// `ApproveForAll` and `RevokeForAll` parameters.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
pub struct ApproveForAllParams {
    /// The operator.
    pub operator: Address,
}

/// `RevokeForAll` parameters.
pub type RevokeForAllParams = ApproveForAllParams;

/// `ApproveUntil` parameters: `Approve`'s, and the first epoch at which the approval no longer
/// counts (after the current one).
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
pub struct ApproveUntilParams {
    /// The operator.
    pub operator: Address,
    /// The tokens.
    pub token_ids: Vec<TokenID>,
    /// The first epoch at which the approval no longer counts.
    pub expires_at: ChainEpoch,
}

/// `ApproveForAllUntil` parameters: `ApproveForAll`'s, and the first epoch at which the approval
/// no longer counts (after the current one).
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
pub struct ApproveForAllUntilParams {
    /// The operator.
    pub operator: Address,
    /// The first epoch at which the approval no longer counts.
    pub expires_at: ChainEpoch,
}

/// `IsApprovedForAll` parameters.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
pub struct IsApprovedForAllParams {
    /// The owner.
    pub owner: Address,
    /// The operator.
    pub operator: Address,
}

/// `BurnFrom` parameters.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
pub struct BurnFromParams {
    /// The owner of the tokens.
    pub from: Address,
    /// The tokens.
    pub token_ids: Vec<TokenID>,
}

/// `ListTokens` parameters.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
pub struct ListTokensParams {
    /// Empty for the first page, else the previous page's `next_cursor`.
    pub cursor: RawBytes,
    /// At most this many entries (1 to [`MAX_LIST_LIMIT`]).
    pub limit: u64,
}

/// `ListTokens` and `ListOwnedTokens` return.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq)]
pub struct ListTokensReturn {
    /// The page's tokens.
    pub tokens: BitField,
    /// Where the next page starts, or `None` after the last page.
    pub next_cursor: Option<RawBytes>,
}

/// `ListOwnedTokens` parameters.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
pub struct ListOwnedTokensParams {
    /// The owner.
    pub owner: Address,
    /// Empty for the first page, else the previous page's `next_cursor`.
    pub cursor: RawBytes,
    /// At most this many entries (1 to [`MAX_LIST_LIMIT`]).
    pub limit: u64,
}

/// `ListOwnedTokens` return.
pub type ListOwnedTokensReturn = ListTokensReturn;

/// `ListTokenOperators` parameters.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
pub struct ListTokenOperatorsParams {
    /// The token.
    pub token_id: TokenID,
    /// Empty for the first page, else the previous page's `next_cursor`.
    pub cursor: RawBytes,
    /// At most this many entries (1 to [`MAX_LIST_LIMIT`]).
    pub limit: u64,
}

/// `ListTokenOperators` and `ListAccountOperators` return.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq)]
pub struct ListOperatorsReturn {
    /// The page's operators (actor IDs).
    pub operators: BitField,
    /// Where the next page starts, or `None` after the last page.
    pub next_cursor: Option<RawBytes>,
}

/// `ListAccountOperators` parameters.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
pub struct ListAccountOperatorsParams {
    /// The owner.
    pub owner: Address,
    /// Empty for the first page, else the previous page's `next_cursor`.
    pub cursor: RawBytes,
    /// At most this many entries (1 to [`MAX_LIST_LIMIT`]).
    pub limit: u64,
}

/// `Mint` parameters.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
pub struct MintParams {
    /// The recipient.
    pub to: Address,
    /// The token's metadata URI.
    pub metadata: String,
    /// Passed to the recipient's hook.
    pub operator_data: RawBytes,
}

/// `BatchMint` parameters.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
pub struct BatchMintParams {
    /// The recipient of every token.
    pub to: Address,
    /// One metadata URI per token to mint (1 to [`MAX_BATCH`]).
    pub metadata: Vec<String>,
    /// Passed to the recipient's hook.
    pub operator_data: RawBytes,
}

/// `Mint` and `BatchMint` return.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
pub struct MintReturn {
    /// The recipient's balance.
    pub balance: u64,
    /// The tokens in circulation.
    pub supply: u64,
    /// The new tokens' IDs.
    pub token_ids: Vec<TokenID>,
}

/// `GrantRole`, `RevokeRole` and `HasRole` parameters.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
pub struct RoleParams {
    /// The role.
    pub role: Role,
    /// The account.
    pub account: Address,
}

// ---- FRC-53 text methods ----

/// `RevokeApproval` and `IsApproved` parameters: token sets as RLE+ bitfields, as the FRC-53 text
/// has them.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq)]
pub struct TokenSetOperatorParams {
    /// The operator.
    pub operator: Address,
    /// The tokens (at most [`MAX_BATCH`]).
    pub token_ids: BitField,
}

/// `RevokeApproval` parameters.
pub type RevokeApprovalParams = TokenSetOperatorParams;
/// `IsApproved` parameters.
pub type IsApprovedParams = TokenSetOperatorParams;
/// `RevokeApprovalForAll` parameters (the same as `RevokeForAll`).
pub type RevokeApprovalForAllParams = ApproveForAllParams;

/// `ListOperatorTokens` parameters.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
pub struct ListOperatorTokensParams {
    /// The owner of the tokens.
    pub owner: Address,
    /// The operator.
    pub operator: Address,
    /// Empty for the first page, else the previous page's `next_cursor`.
    pub cursor: RawBytes,
    /// At most this many of the owner's tokens are examined (1 to [`MAX_LIST_LIMIT`]).
    pub limit: u64,
}

// ---- royalties ----

/// A royalty as callers give it: a receiver address and basis points (at most 10,000).
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
pub struct RoyaltyParams {
    /// Who receives the royalty.
    pub receiver: Address,
    /// The share of a sale price, in basis points (10,000 = all of it).
    pub basis_points: u16,
}

/// `SetDefaultRoyalty` parameters.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
pub struct SetDefaultRoyaltyParams {
    /// The new default royalty, or `None` to remove it.
    pub royalty: Option<RoyaltyParams>,
}

/// `SetTokenRoyalty` parameters.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
pub struct SetTokenRoyaltyParams {
    /// The token.
    pub token_id: TokenID,
    /// The token's royalty, or `None` to clear its override (the default applies again).
    pub royalty: Option<RoyaltyParams>,
}

/// `RoyaltyInfo` parameters.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
pub struct RoyaltyInfoParams {
    /// The token sold.
    pub token_id: TokenID,
    /// The sale price (not negative).
    pub sale_price: TokenAmount,
}

/// `RoyaltyInfo` return.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
pub struct RoyaltyInfoReturn {
    /// Who receives the royalty (an ID address), or `None` if no royalty applies.
    pub receiver: Option<Address>,
    /// `sale_price × basis_points / 10,000`, rounded down (zero if no royalty applies).
    pub amount: TokenAmount,
}

/// `DefaultRoyalty` return: the default royalty, receiver as an ID address.
pub type DefaultRoyaltyReturn = Option<RoyaltyParams>;

// ---- metadata ----

/// One token's metadata as given at mint or edit.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
pub struct MetadataEntry {
    /// The metadata URI (what `Metadata` / `MetadataID` return).
    pub uri: String,
    /// The data's CID, if any.
    pub data_cid: Option<Cid>,
    /// The data's piece CID (commP: codec 0xf101, multihash 0x1012), if any.
    pub piece_cid: Option<Cid>,
}

/// `MintWithMetadata` parameters.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
pub struct MintWithMetadataParams {
    /// The recipient.
    pub to: Address,
    /// The token's metadata.
    pub metadata: MetadataEntry,
    /// Passed to the recipient's hook.
    pub operator_data: RawBytes,
}

/// `BatchMintWithMetadata` parameters.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
pub struct BatchMintWithMetadataParams {
    /// The recipient of every token.
    pub to: Address,
    /// One entry per token to mint (1 to [`MAX_BATCH`]).
    pub metadata: Vec<MetadataEntry>,
    /// Passed to the recipient's hook.
    pub operator_data: RawBytes,
}

/// `SetTokenMetadata` parameters.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
pub struct SetTokenMetadataParams {
    /// The token.
    pub token_id: TokenID,
    /// Its new metadata (replacing URI, data CID and piece CID).
    pub metadata: MetadataEntry,
}

/// `TokenMetadata` return: a token's whole metadata record.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
pub struct TokenMetadataReturn {
    /// The metadata URI.
    pub uri: String,
    /// The data's CID, if any.
    pub data_cid: Option<Cid>,
    /// The data's piece CID, if any.
    pub piece_cid: Option<Cid>,
    /// The storage deal backing the token, if minted with `MintStoredContent`.
    pub deal_id: Option<DealID>,
}

// ---- stored content ----

/// `MintStoredContent` parameters.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
pub struct MintStoredContentParams {
    /// The recipient.
    pub to: Address,
    /// An active storage deal holding the content; its piece CID becomes the token's.
    pub deal_id: DealID,
    /// The metadata URI.
    pub uri: String,
    /// The data's CID, if any.
    pub data_cid: Option<Cid>,
    /// Passed to the recipient's hook.
    pub operator_data: RawBytes,
}

/// `ContentStatus` return.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
pub struct ContentStatusReturn {
    /// Where the token's deal stands.
    pub status: ContentStatus,
    /// The deal, if the token is bound to one.
    pub deal_id: Option<DealID>,
}

// ---- verified creators ----

/// The most creators a token may list.
pub const MAX_CREATORS: usize = 5;

/// A creator as callers name it: an address (it must have an actor, to be able to verify) and its
/// share, in percent, of what the creators receive.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
pub struct CreatorShare {
    /// The creator.
    pub creator: Address,
    /// Its share in percent (1 to 100; a token's shares sum to 100).
    pub share: u8,
}

/// `SetCreators` parameters.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
pub struct SetCreatorsParams {
    /// The token.
    pub token_id: TokenID,
    /// Its creators (at most [`MAX_CREATORS`], none twice); empty removes them.
    pub creators: Vec<CreatorShare>,
}

/// A token's creator, as stored and as `Creators` returns it.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Creator {
    /// The creator's ID.
    pub creator: ActorID,
    /// Its share in percent.
    pub share: u8,
    /// Whether the creator itself has confirmed it (`VerifyCreator`).
    pub verified: bool,
}

/// `VerifyCreator` and `UnverifyCreator` parameters: the caller's tokens to (un)verify.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
pub struct VerifyCreatorParams {
    /// The tokens (at most [`MAX_BATCH`], none twice), each listing the caller as a creator.
    pub token_ids: Vec<TokenID>,
}
