//! Driving storage: miners, deals and rewards.
//!
//! On a real network, deals are activated when a miner proves the sector holding them, terminated
//! when that sector is, and settled by cron; block rewards come from the reward actor when a miner
//! wins a block. The sandbox has no proofs and no cron, so it drives those events explicitly — each
//! through a real message to the stand-in actors (implicit messages from the system actor where the
//! chain itself would act), so all state stays consistent and every call runs Wasm.
use actorlib_host_market::types::{
    ClientDealProposal, DealProposal, Label, Method as MarketMethod, PublishStorageDealsParams,
    PublishStorageDealsReturn, SandboxActivateDealsParams, SandboxTerminateDealsParams,
};
use actorlib_host_power::{
    CreateMinerParams, CreateMinerReturn, Method as PowerMethod, SandboxSetMinerPowerParams,
};
use actorlib_host_reward::{AwardBlockRewardParams, Method as RewardMethod};
use cid::multihash::Multihash;
use cid::Cid;
use fvm_shared::address::Address;
use fvm_shared::clock::ChainEpoch;
use fvm_shared::crypto::signature::{Signature, SignatureType};
use fvm_shared::deal::DealID;
use fvm_shared::econ::TokenAmount;
use fvm_shared::sector::{RegisteredPoStProof, StoragePower};
use fvm_shared::ActorID;
use multihash_codetable::MultihashDigest;

use crate::builtin::{
    REWARD_ACTOR_ID, STORAGE_MARKET_ACTOR_ID, STORAGE_POWER_ACTOR_ID, SYSTEM_ACTOR_ID,
};
use crate::error::{enc_err, Result, SandboxError};
use crate::{Account, Receipt, Sandbox};

/// Codec of unsealed piece commitments (fil-commitment-unsealed).
pub const FIL_COMMITMENT_UNSEALED: u64 = 0xf101;
/// Multihash of piece commitments (sha2-256-trunc254-padded).
pub const SHA2_256_TRUNC254_PADDED: u64 = 0x1012;
/// The smallest deal duration the market accepts (180 days of epochs).
pub const MIN_DEAL_DURATION: ChainEpoch = 180 * 2880;

/// A miner created in the sandbox.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Miner {
    /// The miner actor's ID.
    pub id: ActorID,
    /// Its robust (f2) address.
    pub robust_address: Address,
    /// Owner account ID.
    pub owner: ActorID,
    /// Worker account ID.
    pub worker: ActorID,
}

impl Miner {
    /// The miner's ID address.
    pub fn id_address(&self) -> Address {
        Address::new_id(self.id)
    }
}

/// A piece CID for test data: CIDv1, fil-commitment-unsealed, sha2-256-trunc254-padded over a
/// digest derived from `seed` (the market checks the form of a piece CID, not its content).
pub fn piece_cid(seed: &[u8]) -> Cid {
    let mut digest = multihash_codetable::Code::Sha2_256.digest(seed).digest().to_vec();
    digest[31] &= 0b0011_1111; // trunc254
    let mh = Multihash::wrap(SHA2_256_TRUNC254_PADDED, &digest).expect("32-byte digest fits");
    Cid::new_v1(FIL_COMMITMENT_UNSEALED, mh)
}

/// A deal proposal with sensible defaults: 2 KiB piece, a duration of [`MIN_DEAL_DURATION`]
/// starting `start_epoch`, zero price and collateral; change the fields as needed.
pub fn deal_proposal(
    piece: Cid,
    client: Address,
    provider: Address,
    start_epoch: ChainEpoch,
) -> DealProposal {
    DealProposal {
        piece_cid: piece,
        piece_size: 2048,
        verified_deal: false,
        client,
        provider,
        label: Label::String(String::new()),
        start_epoch,
        end_epoch: start_epoch + MIN_DEAL_DURATION,
        storage_price_per_epoch: TokenAmount::default(),
        provider_collateral: TokenAmount::default(),
        client_collateral: TokenAmount::default(),
    }
}

/// Who vouches for a deal proposal.
pub enum DealClient<'a> {
    /// An account client: the proposal is signed with its key.
    Account(&'a Account),
    /// An actor client: no signature; the market asks the actor's `AuthenticateMessage`.
    Actor,
}

impl Sandbox {
    /// Creates a miner through the power actor's `CreateMiner`, sent by `owner`, with `worker` as
    /// its worker (32 GiB sectors).
    pub fn create_miner(&mut self, owner: &Account, worker: &Account) -> Result<Miner> {
        Ok(self.create_miner_with_receipt(owner, worker)?.0)
    }

    /// Like [`Sandbox::create_miner`], also returning the `CreateMiner` receipt.
    pub fn create_miner_with_receipt(
        &mut self,
        owner: &Account,
        worker: &Account,
    ) -> Result<(Miner, Receipt)> {
        let params = CreateMinerParams {
            owner: owner.id_address(),
            worker: worker.id_address(),
            window_post_proof_type: RegisteredPoStProof::StackedDRGWindow32GiBV1P1,
            peer: Vec::new(),
            multiaddrs: Vec::new(),
        };
        let r = self.send(
            owner,
            Address::new_id(STORAGE_POWER_ACTOR_ID),
            PowerMethod::CreateMinerExported as u64,
            &params,
            TokenAmount::default(),
        )?;
        let ret: CreateMinerReturn = r.ret()?;
        let id = ret.id_address.id().map_err(enc_err)?;
        Ok((
            Miner { id, robust_address: ret.robust_address, owner: owner.id, worker: worker.id },
            r,
        ))
    }

    /// Sets a miner's claimed power in the power actor (f04), as its proven sectors would: `raw`
    /// and `qa` replace the old claim, and the network totals and the consensus-minimum count
    /// follow at once. The power actor requires `0 <= raw <= qa <= 10 * raw` (exit 16 otherwise)
    /// and a miner it created (17 otherwise); the receipt carries the exit code.
    pub fn set_miner_power(
        &mut self,
        miner: ActorID,
        raw: StoragePower,
        qa: StoragePower,
    ) -> Result<Receipt> {
        let params =
            SandboxSetMinerPowerParams { miner, raw_byte_power: raw, quality_adj_power: qa };
        self.apply_implicit(
            SYSTEM_ACTOR_ID,
            Address::new_id(STORAGE_POWER_ACTOR_ID),
            PowerMethod::SandboxSetMinerPower as u64,
            &params,
        )
    }

    /// Adds `amount` to the market escrow of `account` (client or miner), paid by `from`.
    pub fn add_market_balance(
        &mut self,
        from: &Account,
        account: Address,
        amount: TokenAmount,
    ) -> Result<Receipt> {
        self.send(
            from,
            Address::new_id(STORAGE_MARKET_ACTOR_ID),
            MarketMethod::AddBalanceExported as u64,
            &account,
            amount,
        )
    }

    /// Publishes deals as `sender` (the miner's worker or a control address). Account clients sign
    /// the CBOR of the proposal; actor clients are asked by the market through
    /// `AuthenticateMessage`.
    pub fn publish_deals(
        &mut self,
        sender: &Account,
        deals: Vec<(DealProposal, DealClient<'_>)>,
    ) -> Result<Receipt> {
        let mut signed = Vec::with_capacity(deals.len());
        for (proposal, client) in deals {
            let client_signature = match client {
                DealClient::Account(a) => {
                    let bytes = fvm_ipld_encoding::to_vec(&proposal).map_err(enc_err)?;
                    a.sign(&bytes)
                }
                DealClient::Actor => {
                    Signature { sig_type: SignatureType::Secp256k1, bytes: Vec::new() }
                }
            };
            signed.push(ClientDealProposal { proposal, client_signature });
        }
        let params = PublishStorageDealsParams { deals: signed };
        self.send(
            sender,
            Address::new_id(STORAGE_MARKET_ACTOR_ID),
            MarketMethod::PublishStorageDealsExported as u64,
            &params,
            TokenAmount::default(),
        )
    }

    /// Publishes one deal and returns its ID.
    pub fn publish_deal(
        &mut self,
        sender: &Account,
        proposal: DealProposal,
        client: DealClient<'_>,
    ) -> Result<DealID> {
        let r = self.publish_deals(sender, vec![(proposal, client)])?;
        let ret: PublishStorageDealsReturn = r.ret()?;
        ret.ids.first().copied().ok_or_else(|| SandboxError::State("no deal published".into()))
    }

    /// Activates deals at the current epoch, as if the provider had proven `sector` holding them.
    pub fn activate_deals(&mut self, deal_ids: &[DealID], sector: u64) -> Result<Receipt> {
        let params =
            SandboxActivateDealsParams { deal_ids: deal_ids.to_vec(), sector_number: sector };
        self.apply_implicit(
            SYSTEM_ACTOR_ID,
            Address::new_id(STORAGE_MARKET_ACTOR_ID),
            MarketMethod::SandboxActivateDeals as u64,
            &params,
        )
    }

    /// Terminates active deals, as if their sector had been terminated: the provider's collateral
    /// is slashed.
    pub fn terminate_deals(&mut self, deal_ids: &[DealID]) -> Result<Receipt> {
        let params = SandboxTerminateDealsParams { deal_ids: deal_ids.to_vec() };
        self.apply_implicit(
            SYSTEM_ACTOR_ID,
            Address::new_id(STORAGE_MARKET_ACTOR_ID),
            MarketMethod::SandboxTerminateDeals as u64,
            &params,
        )
    }

    /// Runs the market's cron work at the current epoch: deals past their end complete (the
    /// provider is paid), deals never activated by their start expire.
    pub fn market_cron(&mut self) -> Result<Receipt> {
        self.apply_implicit(
            SYSTEM_ACTOR_ID,
            Address::new_id(STORAGE_MARKET_ACTOR_ID),
            MarketMethod::SandboxCronTick as u64,
            &(),
        )
    }

    /// Pays `amount` of block reward to a miner from the reward actor, as when it wins a block,
    /// through the miner's `ApplyRewards`: as on a real network, a quarter of `amount` is available
    /// at once and three quarters are locked, vesting over 180 days in daily steps (released by the
    /// miner's next money method once their epoch has passed).
    pub fn award_block_reward(&mut self, miner: ActorID, amount: TokenAmount) -> Result<Receipt> {
        let params = AwardBlockRewardParams {
            miner: Address::new_id(miner),
            penalty: TokenAmount::default(),
            gas_reward: amount,
            win_count: 0,
        };
        self.apply_implicit(
            SYSTEM_ACTOR_ID,
            Address::new_id(REWARD_ACTOR_ID),
            RewardMethod::AwardBlockReward as u64,
            &params,
        )
    }
}
