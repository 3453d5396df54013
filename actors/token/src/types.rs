//! The token's public interface: method numbers, parameter and return types, constants.
//!
//! Everything is CBOR in tuple encoding (a struct is an array of its fields, in order). The FRC-46
//! methods keep the standard's names, FRC-42 numbers and encodings, so any FRC-46 wallet or actor
//! can call this token; the extensions (roles, cap, pause, votes, listing, wrapped FIL) use FRC-42
//! numbers of their own names. `tests/golden.rs` pins every number and one encoding per method.
use std::fmt;

use actorlib_kit::method_hash;
use cid::Cid;
use fvm_ipld_encoding::tuple::*;
use fvm_ipld_encoding::RawBytes;
use fvm_shared::address::Address;
use fvm_shared::bigint::{BigInt, Sign};
use fvm_shared::clock::ChainEpoch;
use fvm_shared::econ::TokenAmount;
use fvm_shared::ActorID;
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// The method number of the universal receiver hook, `frc42_hash("Receive")`, called on every
/// recipient of tokens.
pub use actorlib_kit::receiver::RECEIVER_HOOK_METHOD;

/// The receiver hook's asset type for FRC-46 tokens: `frc42_hash("FRC46")` as a `u32`.
pub const FRC46_TOKEN_TYPE: u32 = method_hash!("FRC46") as u32;

/// The most holders one `ListHolders` call returns.
pub const MAX_LIST_LIMIT: u32 = 1000;

/// The token's methods and their numbers.
///
/// `Balance` (the FRC-46 text's name) and `BalanceOf` (the `frc46_token` crate's) are the same
/// method under two numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u64)]
pub enum Method {
    /// Called by init when the token is deployed.
    Constructor = 1,
    // FRC-46
    /// The token's name.
    Name = method_hash!("Name"),
    /// The token's symbol.
    Symbol = method_hash!("Symbol"),
    /// The smallest indivisible amount, in atto units.
    Granularity = method_hash!("Granularity"),
    /// The sum of all balances.
    TotalSupply = method_hash!("TotalSupply"),
    /// An address's balance (the FRC-46 text's name).
    Balance = method_hash!("Balance"),
    /// An address's balance (the `frc46_token` crate's name).
    BalanceOf = method_hash!("BalanceOf"),
    /// What an operator may still spend of an owner's balance.
    Allowance = method_hash!("Allowance"),
    /// Moves the caller's tokens.
    Transfer = method_hash!("Transfer"),
    /// Moves an owner's tokens as an operator, spending allowance.
    TransferFrom = method_hash!("TransferFrom"),
    /// Raises an operator's allowance over the caller's tokens.
    IncreaseAllowance = method_hash!("IncreaseAllowance"),
    /// Lowers an operator's allowance (not below zero).
    DecreaseAllowance = method_hash!("DecreaseAllowance"),
    /// Sets an operator's allowance to zero.
    RevokeAllowance = method_hash!("RevokeAllowance"),
    /// Destroys the caller's tokens.
    Burn = method_hash!("Burn"),
    /// Destroys an owner's tokens as an operator, spending allowance.
    BurnFrom = method_hash!("BurnFrom"),
    // Extensions
    /// Creates tokens (minters only).
    Mint = method_hash!("Mint"),
    /// Grants a role (admins only).
    GrantRole = method_hash!("GrantRole"),
    /// Revokes a role (admins only).
    RevokeRole = method_hash!("RevokeRole"),
    /// Gives up one of the caller's roles.
    RenounceRole = method_hash!("RenounceRole"),
    /// Whether an address holds a role.
    HasRole = method_hash!("HasRole"),
    /// Stops transfers, mints and burns (pausers only).
    Pause = method_hash!("Pause"),
    /// Resumes them (pausers only).
    Unpause = method_hash!("Unpause"),
    /// Whether the token is paused.
    Paused = method_hash!("Paused"),
    /// Sets (or clears) the account the caller's votes count for.
    Delegate = method_hash!("Delegate"),
    /// The delegatee of an account.
    Delegates = method_hash!("Delegates"),
    /// An account's current voting power.
    GetVotes = method_hash!("GetVotes"),
    /// An account's voting power at a past epoch.
    GetPastVotes = method_hash!("GetPastVotes"),
    /// The total supply at a past epoch.
    GetPastTotalSupply = method_hash!("GetPastTotalSupply"),
    /// A page of holders and balances.
    ListHolders = method_hash!("ListHolders"),
    /// The supply cap, if any.
    Cap = method_hash!("Cap"),
    /// Wrapped-FIL mode: mints the FIL sent to the caller (payable).
    Deposit = method_hash!("Deposit"),
    /// Wrapped-FIL mode: burns the caller's tokens and pays out as much FIL.
    Withdraw = method_hash!("Withdraw"),
    /// Raises an operator's allowance and sets when it expires.
    IncreaseAllowanceUntil = method_hash!("IncreaseAllowanceUntil"),
    /// When an allowance expires, if it does.
    AllowanceExpiry = method_hash!("AllowanceExpiry"),
    /// Where the token's description lives, if set.
    Metadata = method_hash!("Metadata"),
    /// Sets or clears it (admins only).
    SetMetadata = method_hash!("SetMetadata"),
}

impl Method {
    /// Every method, in declaration order.
    pub const ALL: [Method; 36] = [
        Self::Constructor,
        Self::Name,
        Self::Symbol,
        Self::Granularity,
        Self::TotalSupply,
        Self::Balance,
        Self::BalanceOf,
        Self::Allowance,
        Self::Transfer,
        Self::TransferFrom,
        Self::IncreaseAllowance,
        Self::DecreaseAllowance,
        Self::RevokeAllowance,
        Self::Burn,
        Self::BurnFrom,
        Self::Mint,
        Self::GrantRole,
        Self::RevokeRole,
        Self::RenounceRole,
        Self::HasRole,
        Self::Pause,
        Self::Unpause,
        Self::Paused,
        Self::Delegate,
        Self::Delegates,
        Self::GetVotes,
        Self::GetPastVotes,
        Self::GetPastTotalSupply,
        Self::ListHolders,
        Self::Cap,
        Self::Deposit,
        Self::Withdraw,
        Self::IncreaseAllowanceUntil,
        Self::AllowanceExpiry,
        Self::Metadata,
        Self::SetMetadata,
    ];

    /// The method's number.
    pub const fn number(self) -> u64 {
        self as u64
    }
}

/// Fixed at construction: what the token allows beyond FRC-46. Encoded as a `u8`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum TokenMode {
    /// A plain FRC-46 token (0).
    #[default]
    Standard,
    /// Non-transferable (1): `Transfer` and `TransferFrom` fail with `USR_FORBIDDEN`; minting and
    /// burning work.
    Soulbound,
    /// Wrapped FIL (2): `Deposit` mints the FIL sent, `Withdraw` burns and pays out; `Mint` is
    /// forbidden, so every token is backed by FIL held by the actor.
    WrappedFil,
}

/// A role. Encoded as a `u8`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// Grants and revokes every role (0).
    Admin,
    /// May `Mint` (1).
    Minter,
    /// May `Pause` and `Unpause` (2).
    Pauser,
}

macro_rules! u8_enum {
    ($ty:ident, $what:literal, $($variant:ident = $n:literal),+) => {
        impl $ty {
            /// Every value, in encoding order.
            pub const ALL: &'static [$ty] = &[$($ty::$variant),+];

            /// The encoding.
            pub const fn to_u8(self) -> u8 {
                match self { $($ty::$variant => $n),+ }
            }

            /// Decodes, or `None` for an unknown value.
            pub const fn from_u8(n: u8) -> Option<Self> {
                match n { $($n => Some($ty::$variant),)+ _ => None }
            }
        }

        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_u8(self.to_u8())
            }
        }

        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let n = u8::deserialize(d)?;
                $ty::from_u8(n).ok_or_else(|| de::Error::custom(format!("unknown {} {n}", $what)))
            }
        }
    };
}

u8_enum!(TokenMode, "token mode", Standard = 0, Soulbound = 1, WrappedFil = 2);
u8_enum!(Role, "role", Admin = 0, Minter = 1, Pauser = 2);

impl actorlib_kit::roles::Role for Role {
    fn to_u8(self) -> u8 {
        Role::to_u8(self)
    }
    fn from_u8(b: u8) -> Option<Self> {
        Role::from_u8(b)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Role::Admin => "admin",
            Role::Minter => "minter",
            Role::Pauser => "pauser",
        })
    }
}

/// `Constructor` parameters.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq)]
pub struct ConstructorParams {
    /// The token's name (non-empty).
    pub name: String,
    /// The token's symbol (non-empty).
    pub symbol: String,
    /// The smallest indivisible amount in atto units (at least 1; 10^18 = whole tokens only).
    pub granularity: u64,
    /// Tokens created at construction, per address (each a multiple of the granularity).
    pub initial_holders: Vec<(Address, TokenAmount)>,
    /// The most tokens that may ever exist at once, if limited.
    pub cap: Option<TokenAmount>,
    /// Accounts given the admin role.
    pub admins: Vec<Address>,
    /// Accounts given the minter role.
    pub minters: Vec<Address>,
    /// The token's mode.
    pub mode: TokenMode,
}

/// `Transfer` parameters.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq)]
pub struct TransferParams {
    /// The recipient.
    pub to: Address,
    /// The amount (non-negative, a multiple of the granularity; zero is allowed).
    pub amount: TokenAmount,
    /// Passed to the recipient's receiver hook.
    pub operator_data: RawBytes,
}

/// `Transfer` return: balances after the transfer (and after the recipient's hook).
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq)]
pub struct TransferReturn {
    /// The sender's balance.
    pub from_balance: TokenAmount,
    /// The recipient's balance.
    pub to_balance: TokenAmount,
}

/// `TransferFrom` parameters.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq)]
pub struct TransferFromParams {
    /// The owner whose tokens move.
    pub from: Address,
    /// The recipient.
    pub to: Address,
    /// The amount.
    pub amount: TokenAmount,
    /// Passed to the recipient's receiver hook.
    pub operator_data: RawBytes,
}

/// `TransferFrom` return.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq)]
pub struct TransferFromReturn {
    /// The owner's balance.
    pub from_balance: TokenAmount,
    /// The recipient's balance.
    pub to_balance: TokenAmount,
    /// The caller's remaining allowance over the owner's tokens.
    pub allowance: TokenAmount,
}

/// `IncreaseAllowance` parameters; returns the new allowance.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq)]
pub struct IncreaseAllowanceParams {
    /// The operator.
    pub operator: Address,
    /// The increase (non-negative).
    pub increase: TokenAmount,
}

/// `IncreaseAllowanceUntil` parameters; returns the new allowance. An allowance that has expired
/// counts as zero (the increase does not revive it).
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq)]
pub struct IncreaseAllowanceUntilParams {
    /// The operator.
    pub operator: Address,
    /// The increase (non-negative).
    pub increase: TokenAmount,
    /// The first epoch at which the allowance no longer counts (after the current one), or
    /// `None` for never.
    pub expires_at: Option<ChainEpoch>,
}

/// `DecreaseAllowance` parameters; returns the new allowance.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq)]
pub struct DecreaseAllowanceParams {
    /// The operator.
    pub operator: Address,
    /// The decrease (non-negative; more than the allowance leaves zero).
    pub decrease: TokenAmount,
}

/// `RevokeAllowance` parameters.
///
/// Encoded as the 1-tuple `[operator]` (the `frc46_token` crate's encoding); the bare address of the
/// FRC-46 text's `RevokeAllowance(operator: Address)` is accepted too.
#[derive(Serialize_tuple, Clone, Debug, PartialEq)]
pub struct RevokeAllowanceParams {
    /// The operator.
    pub operator: Address,
}

/// `Allowance` parameters.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq)]
pub struct GetAllowanceParams {
    /// The owner.
    pub owner: Address,
    /// The operator.
    pub operator: Address,
}

/// `Burn` parameters.
///
/// Encoded as the 1-tuple `[amount]` (the `frc46_token` crate's encoding); the bare amount of the
/// FRC-46 text's `Burn(amount: TokenAmount)` is accepted too.
#[derive(Serialize_tuple, Clone, Debug, PartialEq)]
pub struct BurnParams {
    /// The amount.
    pub amount: TokenAmount,
}

/// `Burn` (and `Withdraw`) return.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq)]
pub struct BurnReturn {
    /// The caller's remaining balance.
    pub balance: TokenAmount,
}

/// `BurnFrom` parameters.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq)]
pub struct BurnFromParams {
    /// The owner whose tokens are burnt.
    pub owner: Address,
    /// The amount.
    pub amount: TokenAmount,
}

/// `BurnFrom` return.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq)]
pub struct BurnFromReturn {
    /// The owner's remaining balance.
    pub balance: TokenAmount,
    /// The caller's remaining allowance.
    pub allowance: TokenAmount,
}

/// `Mint` parameters.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq)]
pub struct MintParams {
    /// The recipient.
    pub to: Address,
    /// The amount.
    pub amount: TokenAmount,
    /// Passed to the recipient's receiver hook.
    pub operator_data: RawBytes,
}

/// `Mint` (and `Deposit`) return.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq)]
pub struct MintReturn {
    /// The recipient's balance.
    pub balance: TokenAmount,
    /// The total supply.
    pub supply: TokenAmount,
}

/// `GrantRole`, `RevokeRole` and `HasRole` parameters.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq)]
pub struct RoleParams {
    /// The role.
    pub role: Role,
    /// The account.
    pub account: Address,
}

/// `Delegate` parameters.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq)]
pub struct DelegateParams {
    /// The account the caller's votes count for, or `None` to stop delegating.
    pub delegatee: Option<Address>,
}

/// The longest metadata URI accepted, in bytes (it travels in an event, which the FVM caps at 8 KiB).
pub const MAX_METADATA_URI: usize = 1024;

/// Where the token is described off chain (name, logo, description, project links: what wallets
/// and explorers show), and optionally the CID of that document, so that a client can check what
/// it fetched.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
pub struct TokenMetadata {
    /// The document's URI (`ipfs://…`, `https://…`); 1 to [`MAX_METADATA_URI`] bytes.
    pub uri: String,
    /// The document's CID, if it is content-addressed.
    pub cid: Option<Cid>,
}

/// `SetMetadata` parameters.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
pub struct SetMetadataParams {
    /// The new metadata, or `None` to clear it.
    pub metadata: Option<TokenMetadata>,
}

/// `GetPastVotes` parameters.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq)]
pub struct GetPastVotesParams {
    /// The account.
    pub account: Address,
    /// A past epoch (before the current one).
    pub epoch: ChainEpoch,
}

/// `ListHolders` parameters.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq)]
pub struct ListHoldersParams {
    /// Where to start: `None` for the first page, else the `next` of the previous page.
    pub cursor: Option<ActorID>,
    /// The most holders to return (1 to [`MAX_LIST_LIMIT`]).
    pub limit: u32,
}

/// `ListHolders` return.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq)]
pub struct ListHoldersReturn {
    /// Holders and their balances, in the balance map's order.
    pub holders: Vec<(ActorID, TokenAmount)>,
    /// The cursor of the next page, or `None` after the last page.
    pub next: Option<ActorID>,
}

/// `Withdraw` parameters.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq)]
pub struct WithdrawParams {
    /// The amount of tokens to burn and of FIL to pay out.
    pub amount: TokenAmount,
}

/// The payload of the receiver hook for FRC-46 tokens, sent (CBOR-encoded) to every recipient.
#[derive(Serialize_tuple, Deserialize_tuple, Clone, Debug, PartialEq, Eq)]
pub struct FRC46TokenReceived {
    /// The account debited (the token itself for a mint).
    pub from: ActorID,
    /// The account credited (the hook's receiver).
    pub to: ActorID,
    /// The actor that initiated the mint or transfer.
    pub operator: ActorID,
    /// The amount received.
    pub amount: TokenAmount,
    /// Data from the operator.
    pub operator_data: RawBytes,
    /// Data from the token.
    pub token_data: RawBytes,
}

/// The universal receiver hook's parameters (the kit's, shared by every asset type).
pub use actorlib_kit::receiver::UniversalReceiverParams;

/// Decodes either a 1-tuple `[x]` or a bare `x`, where `x` arrives as CBOR bytes.
struct OneOrTuple<T>(fn(&[u8]) -> Result<T, String>, &'static str);

impl<'de, T: Deserialize<'de>> Visitor<'de> for OneOrTuple<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} or a 1-tuple of it", self.1)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<T, A::Error> {
        let v = seq.next_element::<T>()?.ok_or_else(|| de::Error::invalid_length(0, &self))?;
        if seq.next_element::<de::IgnoredAny>()?.is_some() {
            return Err(de::Error::invalid_length(2, &self));
        }
        Ok(v)
    }

    fn visit_bytes<E: de::Error>(self, b: &[u8]) -> Result<T, E> {
        (self.0)(b).map_err(E::custom)
    }

    fn visit_byte_buf<E: de::Error>(self, b: Vec<u8>) -> Result<T, E> {
        self.visit_bytes(&b)
    }
}

fn amount_from_bytes(b: &[u8]) -> Result<TokenAmount, String> {
    // BigInt's CBOR form: empty for zero, else a sign byte (0 positive, 1 negative) and the
    // big-endian magnitude.
    let atto = match b.split_first() {
        None => BigInt::default(),
        Some((0, m)) => BigInt::from_bytes_be(Sign::Plus, m),
        Some((1, m)) => BigInt::from_bytes_be(Sign::Minus, m),
        Some((s, _)) => return Err(format!("invalid token amount sign byte {s}")),
    };
    Ok(TokenAmount::from_atto(atto))
}

fn address_from_bytes(b: &[u8]) -> Result<Address, String> {
    Address::from_bytes(b).map_err(|e| e.to_string())
}

impl<'de> Deserialize<'de> for BurnParams {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let amount = d.deserialize_any(OneOrTuple(amount_from_bytes, "a token amount"))?;
        Ok(Self { amount })
    }
}

impl<'de> Deserialize<'de> for RevokeAllowanceParams {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let operator = d.deserialize_any(OneOrTuple(address_from_bytes, "an address"))?;
        Ok(Self { operator })
    }
}
