//! Shared helpers for the NFT's sandbox tests: a deployed collection and accounts, typed calls,
//! and checks that a failed call changed nothing.
#![allow(dead_code)]

use actorlib_nft::testing::assert_invariants;
use actorlib_nft::*;
use actorlib_sandbox::{Account, Receipt, Sandbox};
use cid::Cid;
use fvm_ipld_encoding::RawBytes;
use fvm_shared::address::Address;
use fvm_shared::econ::TokenAmount;
use fvm_shared::error::ExitCode;
use fvm_shared::ActorID;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// A sandbox with a deployed collection: `admin` is admin and minter.
pub struct Env {
    pub sb: Sandbox,
    pub admin: Account,
    pub alice: Account,
    pub bob: Account,
    pub carol: Account,
    pub nft: Address,
    pub id: ActorID,
}

impl Env {
    /// A collection with `admin` as admin and minter, and at most `max_supply` tokens.
    pub fn new(max_supply: Option<u64>) -> Self {
        Self::with_royalty(max_supply, |_| None)
    }

    /// Like [`Env::new`], with a default royalty chosen from the accounts (`royalty(&artist)`,
    /// where the artist is `carol`).
    pub fn with_royalty(
        max_supply: Option<u64>,
        royalty: impl FnOnce(&Account) -> Option<RoyaltyParams>,
    ) -> Self {
        let mut sb = Sandbox::new().unwrap();
        let whole = TokenAmount::from_whole(1000);
        let admin = sb.create_account(whole.clone()).unwrap();
        let alice = sb.create_account(whole.clone()).unwrap();
        let bob = sb.create_account(whole.clone()).unwrap();
        let carol = sb.create_account(whole).unwrap();
        let royalty = royalty(&carol);
        let code =
            sb.install_actor(actorlib_bundle::wasm("nft").expect("nft in the bundle")).unwrap();
        let p = ConstructorParams {
            name: "Sandbox Collection".into(),
            symbol: "SBC".into(),
            max_supply,
            admins: vec![admin.address],
            minters: vec![admin.address],
            royalty,
        };
        let ret = sb.deploy(&admin, code, &p, TokenAmount::default()).unwrap();
        let id = ret.id_address.id().unwrap();
        Self { sb, admin, alice, bob, carol, nft: ret.id_address, id }
    }

    /// Sends a call to the collection.
    pub fn send<P: Serialize>(&mut self, from: &Account, m: Method, p: &P) -> Receipt {
        self.sb.send(from, self.nft, m as u64, p, TokenAmount::default()).unwrap()
    }

    /// Sends a call that must succeed; returns its decoded return.
    pub fn ok<P: Serialize, R: DeserializeOwned>(&mut self, from: &Account, m: Method, p: &P) -> R {
        let r = self.send(from, m, p);
        assert_eq!(r.exit_code, ExitCode::OK, "{m:?} failed: {:?}", r.failure_info);
        r.ret().unwrap()
    }

    /// Queries the collection read-only.
    pub fn query<P: Serialize, R: DeserializeOwned>(&mut self, m: Method, p: &P) -> R {
        let who = self.carol.clone();
        let r = self.sb.query(&who, self.nft, m as u64, p).unwrap();
        assert_eq!(r.exit_code, ExitCode::OK, "{m:?} query failed");
        r.ret().unwrap()
    }

    /// A read-only query's exit code.
    pub fn query_code<P: Serialize>(&mut self, m: Method, p: &P) -> ExitCode {
        let who = self.carol.clone();
        self.sb.query(&who, self.nft, m as u64, p).unwrap().exit_code
    }

    /// A call that must fail with `code`, emit nothing, and leave the state as it was.
    pub fn fails<P: Serialize>(
        &mut self,
        from: &Account,
        m: Method,
        p: &P,
        code: ExitCode,
    ) -> Receipt {
        let before = self.state_cid();
        let r = self.send(from, m, p);
        assert_eq!(r.exit_code, code, "{m:?}: {:?}", r.failure_info);
        assert!(r.events.is_empty(), "a failed call emits nothing");
        assert_eq!(self.state_cid(), before, "a failed {m:?} changed the state");
        r
    }

    /// The collection's state root.
    pub fn state_cid(&self) -> Cid {
        self.sb.actor(self.id).unwrap().unwrap().state
    }

    /// The collection's state object.
    pub fn state(&self) -> NftState {
        self.sb.state(self.id).unwrap()
    }

    /// Checks the state invariants; returns owner → tokens.
    pub fn check(&self) -> std::collections::BTreeMap<ActorID, Vec<TokenID>> {
        assert_invariants(&self.state(), self.sb.blockstore().unwrap())
    }

    /// Mints `n` tokens to `to` (by the admin); returns their IDs.
    pub fn mint(&mut self, to: Address, n: usize) -> Vec<TokenID> {
        let admin = self.admin.clone();
        let metadata = (0..n).map(|i| format!("ipfs://token/{i}")).collect();
        let r: MintReturn = self.ok(
            &admin,
            Method::BatchMint,
            &BatchMintParams { to, metadata, operator_data: RawBytes::default() },
        );
        r.token_ids
    }

    /// `BalanceOf`, read-only.
    pub fn balance(&mut self, who: Address) -> u64 {
        self.query(Method::BalanceOf, &who)
    }

    /// `OwnerOf`, read-only.
    pub fn owner(&mut self, token: TokenID) -> ActorID {
        self.query(Method::OwnerOf, &token)
    }
}
