//! The interfaces of Filecoin's builtin actors that actorlib's actors call, or are called by:
//! method numbers, parameters, returns and exit codes, with typed calls.
//!
//! An actor that reads deals from the market, acts as a deal client or becomes a miner's
//! beneficiary needs these shapes. Written once here, they cannot drift apart between actors; they
//! are data and plain functions (no `invoke`), so any actor can depend on them. The shapes are the
//! builtin actors' (builtin-actors v17: `actors/market`, `actors/miner`, FRC-44 for
//! `AuthenticateMessage`), and `crates/sandbox/tests/interface_mirrors.rs` pins each one to the
//! encoding of the sandbox's host actors, which stand in for the builtin actors in every test.
//!
//! Only exported methods (FRC-42 numbers) are listed: since FIP-0050 the builtin actors refuse the
//! legacy numbers (below 2^24) from actors that are not builtin.
//!
//! - [`market`]: deal getters, escrow balance, the deal proposal a client is asked to approve, and
//!   the `MarketNotifyDeal` callback;
//! - [`miner`]: owner, beneficiary (FIP-0029 `ChangeBeneficiary`/`GetBeneficiary`), withdrawals,
//!   available balance and vesting funds;
//! - [`power`]: a miner's raw power and the network's;
//! - [`frc44`]: `AuthenticateMessage`, the call by which the market asks a deal's client (an
//!   account or an actor) to approve a proposal.
pub mod frc44;
pub mod market;
pub mod miner;
pub mod power;
