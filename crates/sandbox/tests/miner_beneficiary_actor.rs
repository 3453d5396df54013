//! An actor as a miner's FIP-0029 beneficiary, as Wasm: the example `miner-beneficiary` calls the
//! sandbox's miner only through `actorlib_kit::ext::miner`, so these tests check the kit's method
//! numbers and shapes against the miner as well as the beneficiary flow an SP lender relies on.
use actorlib_example_miner_beneficiary::{ConstructorParams, Method, State};
use actorlib_host_miner::types::{
    ChangeBeneficiaryParams, GetBeneficiaryReturn, Method as MinerMethod,
};
use actorlib_sandbox::storage::Miner;
use actorlib_sandbox::{Account, Receipt, Sandbox};
use fvm_shared::address::Address;
use fvm_shared::econ::TokenAmount;
use fvm_shared::error::ExitCode;
use fvm_shared::ActorID;

struct World {
    sb: Sandbox,
    owner: Account,
    keeper: Account,
    miner: Miner,
    lender: ActorID,
}

const MIN_QUOTA: i64 = 10;
const MIN_EXPIRATION: i64 = 500;

fn world() -> World {
    let mut sb = Sandbox::new().unwrap();
    let owner = sb.create_account(TokenAmount::from_whole(100)).unwrap();
    let worker = sb.create_account(TokenAmount::from_whole(10)).unwrap();
    let keeper = sb.create_account(TokenAmount::from_whole(10)).unwrap();
    let miner = sb.create_miner(&owner, &worker).unwrap();
    let code =
        sb.install_actor(actorlib_bundle::wasm("example-miner-beneficiary").unwrap()).unwrap();
    let params = ConstructorParams {
        miner: miner.id_address(),
        min_quota: TokenAmount::from_whole(MIN_QUOTA),
        min_expiration: MIN_EXPIRATION,
    };
    let lender = sb.deploy(&keeper, code, &params, TokenAmount::default()).unwrap();
    let lender = lender.id_address.id().unwrap();
    World { sb, owner, keeper, miner, lender }
}

impl World {
    fn lender_call(&mut self, method: Method) -> Receipt {
        let keeper = self.keeper.clone();
        self.sb
            .send(&keeper, Address::new_id(self.lender), method as u64, &(), TokenAmount::default())
            .unwrap()
    }
    fn propose(&mut self, quota: i64, expiration: i64) {
        let owner = self.owner.clone();
        let p = ChangeBeneficiaryParams {
            new_beneficiary: Address::new_id(self.lender),
            new_quota: TokenAmount::from_whole(quota),
            new_expiration: expiration,
        };
        let miner = self.miner.id_address();
        self.sb
            .send(
                &owner,
                miner,
                MinerMethod::ChangeBeneficiaryExported as u64,
                &p,
                TokenAmount::default(),
            )
            .unwrap()
            .ok()
            .unwrap();
    }
    fn beneficiary(&mut self) -> GetBeneficiaryReturn {
        let owner = self.owner.clone();
        let miner = self.miner.id_address();
        self.sb
            .send(
                &owner,
                miner,
                MinerMethod::GetBeneficiaryExported as u64,
                &(),
                TokenAmount::default(),
            )
            .unwrap()
            .ret()
            .unwrap()
    }
    fn collected(&self) -> TokenAmount {
        self.sb.state::<State>(self.lender).unwrap().collected
    }
}

#[test]
fn the_actor_accepts_only_a_proposal_naming_it_on_its_terms() {
    let mut w = world();
    // Nothing proposed yet.
    assert_eq!(w.lender_call(Method::Accept).exit_code, ExitCode::USR_NOT_FOUND);
    // A quota or an expiration below the actor's terms is refused, and the proposal stays pending.
    for (quota, expiration) in [(MIN_QUOTA - 1, MIN_EXPIRATION), (MIN_QUOTA, MIN_EXPIRATION - 1)] {
        w.propose(quota, expiration);
        let miner_root = w.sb.actor(w.miner.id).unwrap().unwrap().state;
        assert_eq!(w.lender_call(Method::Accept).exit_code, ExitCode::USR_ILLEGAL_ARGUMENT);
        assert_eq!(w.sb.actor(w.miner.id).unwrap().unwrap().state, miner_root);
        assert_eq!(w.beneficiary().active.beneficiary, w.owner.id_address());
    }
    w.propose(15, 1000);
    assert!(w.lender_call(Method::Accept).ret::<bool>().unwrap());
    let b = w.beneficiary();
    assert_eq!(b.active.beneficiary, Address::new_id(w.lender));
    assert_eq!(b.active.term.quota, TokenAmount::from_whole(15));
    assert_eq!(b.active.term.expiration, 1000);
    assert_eq!(b.proposed, None);
    // Nothing is pending any more.
    assert_eq!(w.lender_call(Method::Accept).exit_code, ExitCode::USR_NOT_FOUND);
}

#[test]
fn anyone_makes_the_beneficiary_collect_up_to_its_quota() {
    let mut w = world();
    // Not the beneficiary yet: collecting is refused.
    assert_eq!(w.lender_call(Method::Collect).exit_code, ExitCode::USR_ILLEGAL_STATE);
    w.propose(15, 1000);
    w.lender_call(Method::Accept).ok().unwrap();
    // Nothing available on the miner: nothing collected, no failure.
    assert_eq!(
        w.lender_call(Method::Collect).ret::<TokenAmount>().unwrap(),
        TokenAmount::default()
    );

    // A quarter of a block reward is available at once (the rest vests): 6 of 24.
    w.sb.award_block_reward(w.miner.id, TokenAmount::from_whole(24)).unwrap().ok().unwrap();
    let before = w.sb.balance(w.lender).unwrap();
    let got: TokenAmount = w.lender_call(Method::Collect).ret().unwrap();
    assert_eq!(got, TokenAmount::from_whole(6));
    w.sb.award_block_reward(w.miner.id, TokenAmount::from_whole(80)).unwrap().ok().unwrap();
    let got: TokenAmount = w.lender_call(Method::Collect).ret().unwrap();
    assert_eq!(got, TokenAmount::from_whole(9), "capped by the rest of the quota");
    assert_eq!(w.sb.balance(w.lender).unwrap() - before, TokenAmount::from_whole(15));
    assert_eq!(w.collected(), TokenAmount::from_whole(15));
    assert_eq!(w.beneficiary().active.term.used_quota, TokenAmount::from_whole(15));
    // The quota is used up: the miner would refuse, so the actor does not ask.
    assert_eq!(
        w.lender_call(Method::Collect).ret::<TokenAmount>().unwrap(),
        TokenAmount::default()
    );
    assert_eq!(w.collected(), TokenAmount::from_whole(15));
}

#[test]
fn an_expired_term_collects_nothing() {
    let mut w = world();
    w.propose(15, 1000);
    w.lender_call(Method::Accept).ok().unwrap();
    w.sb.award_block_reward(w.miner.id, TokenAmount::from_whole(5)).unwrap().ok().unwrap();
    w.sb.set_epoch(1000).unwrap();
    assert_eq!(
        w.lender_call(Method::Collect).ret::<TokenAmount>().unwrap(),
        TokenAmount::default()
    );
    assert_eq!(w.collected(), TokenAmount::default());
}

#[test]
fn the_actor_is_only_built_for_a_storage_miner() {
    let mut w = world();
    let code =
        w.sb.install_actor(actorlib_bundle::wasm("example-miner-beneficiary").unwrap()).unwrap();
    let keeper = w.keeper.clone();
    let params = ConstructorParams {
        miner: keeper.id_address(),
        min_quota: TokenAmount::from_whole(1),
        min_expiration: 1,
    };
    let r = w.sb.deploy_receipt(&keeper, code, &params, TokenAmount::default()).unwrap();
    assert_eq!(r.exit_code, ExitCode::USR_ILLEGAL_ARGUMENT);
}
