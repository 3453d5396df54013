//! Shared helpers for the token's sandbox tests: a deployed token and accounts, typed calls, and
//! checks that a failed call changed nothing.
#![allow(dead_code)]

use actorlib_sandbox::{Account, Receipt, Sandbox};
use actorlib_token::testing::assert_invariants;
use actorlib_token::*;
use cid::Cid;
use fvm_ipld_encoding::RawBytes;
use fvm_shared::address::Address;
use fvm_shared::econ::TokenAmount;
use fvm_shared::error::ExitCode;
use fvm_shared::ActorID;
use serde::de::DeserializeOwned;
use serde::Serialize;

pub fn atto(n: i64) -> TokenAmount {
    TokenAmount::from_atto(n)
}

pub fn whole(n: i64) -> TokenAmount {
    TokenAmount::from_whole(n)
}

/// A sandbox with a deployed token: `admin` is admin and minter, `alice` holds 100 whole tokens.
pub struct Env {
    pub sb: Sandbox,
    pub admin: Account,
    pub alice: Account,
    pub bob: Account,
    pub carol: Account,
    pub token: Address,
    pub id: ActorID,
}

pub fn params(mode: TokenMode) -> ConstructorParams {
    ConstructorParams {
        name: "Sandbox Token".into(),
        symbol: "SBT".into(),
        granularity: 1,
        initial_holders: vec![],
        cap: None,
        admins: vec![],
        minters: vec![],
        mode,
    }
}

impl Env {
    /// A standard token: `admin` admin and minter, `alice` holds 100 whole tokens.
    pub fn new() -> Self {
        Self::with(|e, p| {
            p.admins = vec![e.0.address];
            p.minters = vec![e.0.address];
            p.initial_holders = vec![(e.1.address, whole(100))];
        })
    }

    /// A token whose parameters `f` sets, given (admin, alice, bob, carol).
    pub fn with(
        f: impl FnOnce((&Account, &Account, &Account, &Account), &mut ConstructorParams),
    ) -> Self {
        let mut sb = Sandbox::new().unwrap();
        let admin = sb.create_account(whole(1000)).unwrap();
        let alice = sb.create_account(whole(1000)).unwrap();
        let bob = sb.create_account(whole(1000)).unwrap();
        let carol = sb.create_account(whole(1000)).unwrap();
        let code =
            sb.install_actor(actorlib_bundle::wasm("token").expect("token in the bundle")).unwrap();
        let mut p = params(TokenMode::Standard);
        f((&admin, &alice, &bob, &carol), &mut p);
        let ret = sb.deploy(&admin, code, &p, TokenAmount::default()).unwrap();
        let id = ret.id_address.id().unwrap();
        Self { sb, admin, alice, bob, carol, token: ret.id_address, id }
    }

    /// Sends a call to the token.
    pub fn send<P: Serialize>(&mut self, from: &Account, m: Method, p: &P) -> Receipt {
        self.sb.send(from, self.token, m as u64, p, TokenAmount::default()).unwrap()
    }

    /// Sends a call that must succeed; returns its decoded return.
    pub fn ok<P: Serialize, R: DeserializeOwned>(&mut self, from: &Account, m: Method, p: &P) -> R {
        let r = self.send(from, m, p);
        assert_eq!(r.exit_code, ExitCode::OK, "{m:?} failed: {:?}", r.failure_info);
        r.ret().unwrap()
    }

    /// Queries the token read-only.
    pub fn query<P: Serialize, R: DeserializeOwned>(&mut self, m: Method, p: &P) -> R {
        let who = self.carol.clone();
        let r = self.sb.query(&who, self.token, m as u64, p).unwrap();
        assert_eq!(r.exit_code, ExitCode::OK, "{m:?} query failed");
        r.ret().unwrap()
    }

    /// A call that must fail with `code`, emit nothing, and leave the token's state as it was.
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
        assert_eq!(self.state_cid(), before, "a failed {m:?} changed the token's state");
        r
    }

    /// The token's state root.
    pub fn state_cid(&self) -> Cid {
        self.sb.actor(self.id).unwrap().unwrap().state
    }

    /// The token's state object.
    pub fn state(&self) -> TokenState {
        self.sb.state(self.id).unwrap()
    }

    /// Checks the state invariants.
    pub fn check(&self) {
        let st = self.state();
        assert_invariants(&st, self.sb.blockstore().unwrap());
    }

    pub fn balance(&mut self, who: Address) -> TokenAmount {
        self.query(Method::Balance, &who)
    }

    pub fn transfer(&mut self, from: &Account, to: Address, amount: TokenAmount) -> Receipt {
        let p = TransferParams { to, amount, operator_data: RawBytes::default() };
        self.send(from, Method::Transfer, &p)
    }
}

/// The `$type`s of a receipt's events emitted by `emitter`.
pub fn events_of(r: &Receipt, emitter: ActorID) -> Vec<String> {
    r.events
        .iter()
        .filter(|e| e.emitter == emitter)
        .filter_map(|e| actorlib_kit::events::event_type(&e.event))
        .collect()
}

/// A field of the `i`-th event of a receipt.
pub fn field<T: DeserializeOwned>(r: &Receipt, i: usize, key: &str) -> T {
    actorlib_kit::events::event_field(&r.events[i].event, key)
        .unwrap_or_else(|| panic!("event {i} has no field {key}"))
}
