//! The storage miner stand-in, as Wasm: creation through the power actor, control addresses,
//! owner change, FIP-0029 beneficiary changes, withdrawals with quota and expiration, rewards.
use actorlib_host_miner::types::{
    ChangeBeneficiaryParams, GetBeneficiaryReturn, GetOwnerReturn, GetVestingFundsReturn, Method,
    WithdrawBalanceParams,
};
use actorlib_sandbox::storage::Miner;
use actorlib_sandbox::{Account, Sandbox};
use fvm_shared::address::Address;
use fvm_shared::econ::TokenAmount;
use fvm_shared::error::ExitCode;

struct World {
    sb: Sandbox,
    owner: Account,
    worker: Account,
    lender: Account,
    miner: Miner,
}

fn world() -> World {
    let mut sb = Sandbox::new().unwrap();
    let owner = sb.create_account(TokenAmount::from_whole(100)).unwrap();
    let worker = sb.create_account(TokenAmount::from_whole(10)).unwrap();
    let lender = sb.create_account(TokenAmount::from_whole(10)).unwrap();
    let miner = sb.create_miner(&owner, &worker).unwrap();
    World { sb, owner, worker, lender, miner }
}

impl World {
    fn call<P: serde::Serialize>(
        &mut self,
        from: &Account,
        method: Method,
        params: &P,
    ) -> actorlib_sandbox::Receipt {
        self.sb
            .send(from, self.miner.id_address(), method as u64, params, TokenAmount::default())
            .unwrap()
    }
    fn available(&mut self) -> TokenAmount {
        let owner = self.owner.clone();
        self.call(&owner, Method::GetAvailableBalanceExported, &()).ret().unwrap()
    }
    fn beneficiary(&mut self) -> GetBeneficiaryReturn {
        let owner = self.owner.clone();
        self.call(&owner, Method::GetBeneficiaryExported, &()).ret().unwrap()
    }
    fn vesting(&mut self) -> GetVestingFundsReturn {
        let owner = self.owner.clone();
        self.call(&owner, Method::GetVestingFundsExported, &()).ret().unwrap()
    }
}

/// Epochs in a day; rewards vest over 180 of them, and a vesting epoch is at most 12 hours
/// (1440 epochs) after its step.
const DAY: i64 = 2880;

#[test]
fn created_through_power_with_owner_and_worker() {
    let mut w = world();
    let code = w.sb.actor(w.miner.id).unwrap().unwrap().code;
    assert_eq!(code, w.sb.builtin_code("storageminer").unwrap());
    let owner = w.owner.clone();
    let r: GetOwnerReturn = w.call(&owner, Method::GetOwnerExported, &()).ret().unwrap();
    assert_eq!((r.owner, r.proposed), (owner.id_address(), None));
    for (addr, expected) in [
        (owner.address, true),
        (w.worker.id_address(), true),
        (w.lender.id_address(), false),
        (Address::new_id(9999), false),
    ] {
        let r = w.call(&owner, Method::IsControllingAddressExported, &addr);
        assert_eq!(r.ret::<bool>().unwrap(), expected, "{addr}");
    }
    // Never set: the beneficiary is the owner with an empty term.
    let b = w.beneficiary();
    assert_eq!(b.active.beneficiary, owner.id_address());
    assert_eq!(b.proposed, None);
    // Creating a miner is for accounts only, via power; init refuses miner code from anyone else.
    let miner_code = w.sb.builtin_code("storageminer").unwrap();
    let r = w.sb.deploy_receipt(&owner, miner_code, &(), TokenAmount::default()).unwrap();
    assert_eq!(r.exit_code, ExitCode::USR_FORBIDDEN);
}

#[test]
fn rewards_vest_and_the_owner_withdraws() {
    let mut w = world();
    assert_eq!(w.available(), TokenAmount::default());
    // A quarter of a reward is available at once, the rest vests over 180 days.
    w.sb.award_block_reward(w.miner.id, TokenAmount::from_whole(20)).unwrap().ok().unwrap();
    assert_eq!(w.available(), TokenAmount::from_whole(5));
    let vesting = w.vesting().vesting_funds;
    assert_eq!(vesting.len(), 180);
    let locked: TokenAmount = vesting.iter().map(|(_, a)| a).sum();
    assert_eq!(locked, TokenAmount::from_whole(15));
    let (owner, worker) = (w.owner.clone(), w.worker.clone());
    // The worker is not the owner nor the beneficiary.
    let r = w.call(
        &worker,
        Method::WithdrawBalanceExported,
        &WithdrawBalanceParams { amount_requested: TokenAmount::from_whole(1) },
    );
    assert_eq!(r.exit_code, ExitCode::USR_FORBIDDEN);
    let before = w.sb.balance(owner.id).unwrap();
    let r = w.call(
        &owner,
        Method::WithdrawBalanceExported,
        &WithdrawBalanceParams { amount_requested: TokenAmount::from_whole(50) },
    );
    assert_eq!(r.ret::<TokenAmount>().unwrap(), TokenAmount::from_whole(5));
    assert_eq!(w.sb.balance(owner.id).unwrap() - &before, TokenAmount::from_whole(5));
    // 180 days (and the 12-hour rounding) later everything has vested.
    w.sb.set_epoch(180 * DAY + DAY / 2).unwrap();
    let r = w.call(
        &owner,
        Method::WithdrawBalanceExported,
        &WithdrawBalanceParams { amount_requested: TokenAmount::from_whole(50) },
    );
    assert_eq!(r.ret::<TokenAmount>().unwrap(), TokenAmount::from_whole(15));
    assert_eq!(w.sb.balance(owner.id).unwrap() - before, TokenAmount::from_whole(20));
    assert!(w.vesting().vesting_funds.is_empty());
    let r = w.call(
        &owner,
        Method::WithdrawBalanceExported,
        &WithdrawBalanceParams { amount_requested: TokenAmount::from_atto(-1) },
    );
    assert_eq!(r.exit_code, ExitCode::USR_ILLEGAL_ARGUMENT);
}

#[test]
fn beneficiary_change_needs_the_nominee_and_then_caps_withdrawals() {
    let mut w = world();
    let (owner, lender, worker) = (w.owner.clone(), w.lender.clone(), w.worker.clone());
    let proposal = ChangeBeneficiaryParams {
        new_beneficiary: lender.id_address(),
        new_quota: TokenAmount::from_whole(15),
        new_expiration: 1000,
    };
    // Only the owner proposes.
    let r = w.call(&lender, Method::ChangeBeneficiaryExported, &proposal);
    assert_eq!(r.exit_code, ExitCode::USR_FORBIDDEN);
    w.call(&owner, Method::ChangeBeneficiaryExported, &proposal).ok().unwrap();
    let b = w.beneficiary();
    assert_eq!(b.active.beneficiary, owner.id_address());
    assert!(b.proposed.is_some());
    // A third party cannot approve; the nominee must approve the exact terms.
    let r = w.call(&worker, Method::ChangeBeneficiaryExported, &proposal);
    assert_eq!(r.exit_code, ExitCode::USR_FORBIDDEN);
    let mut other = proposal.clone();
    other.new_quota = TokenAmount::from_whole(16);
    let r = w.call(&lender, Method::ChangeBeneficiaryExported, &other);
    assert_eq!(r.exit_code, ExitCode::USR_ILLEGAL_ARGUMENT);
    w.call(&lender, Method::ChangeBeneficiaryExported, &proposal).ok().unwrap();
    let b = w.beneficiary();
    assert_eq!(b.active.beneficiary, lender.id_address());
    assert_eq!(b.active.term.quota, TokenAmount::from_whole(15));
    assert_eq!(b.proposed, None);

    // Withdrawals now go to the lender, up to the quota (80 FIL of reward: 20 available).
    w.sb.award_block_reward(w.miner.id, TokenAmount::from_whole(80)).unwrap().ok().unwrap();
    let before = w.sb.balance(lender.id).unwrap();
    let r = w.call(
        &owner,
        Method::WithdrawBalanceExported,
        &WithdrawBalanceParams { amount_requested: TokenAmount::from_whole(10) },
    );
    assert_eq!(r.ret::<TokenAmount>().unwrap(), TokenAmount::from_whole(10));
    let r = w.call(
        &lender,
        Method::WithdrawBalanceExported,
        &WithdrawBalanceParams { amount_requested: TokenAmount::from_whole(10) },
    );
    assert_eq!(r.ret::<TokenAmount>().unwrap(), TokenAmount::from_whole(5));
    assert_eq!(w.sb.balance(lender.id).unwrap() - before, TokenAmount::from_whole(15));
    assert_eq!(w.beneficiary().active.term.used_quota, TokenAmount::from_whole(15));
    // Quota used up.
    let r = w.call(
        &lender,
        Method::WithdrawBalanceExported,
        &WithdrawBalanceParams { amount_requested: TokenAmount::from_whole(1) },
    );
    assert_eq!(r.exit_code, ExitCode::USR_FORBIDDEN);
}

#[test]
fn beneficiary_term_expires() {
    let mut w = world();
    let (owner, lender) = (w.owner.clone(), w.lender.clone());
    let proposal = ChangeBeneficiaryParams {
        new_beneficiary: lender.id_address(),
        new_quota: TokenAmount::from_whole(15),
        new_expiration: 100,
    };
    w.call(&owner, Method::ChangeBeneficiaryExported, &proposal).ok().unwrap();
    w.call(&lender, Method::ChangeBeneficiaryExported, &proposal).ok().unwrap();
    w.sb.award_block_reward(w.miner.id, TokenAmount::from_whole(40)).unwrap().ok().unwrap();
    w.sb.set_epoch(100).unwrap();
    let r = w.call(
        &lender,
        Method::WithdrawBalanceExported,
        &WithdrawBalanceParams { amount_requested: TokenAmount::from_whole(1) },
    );
    assert_eq!(r.exit_code, ExitCode::USR_FORBIDDEN);
    // Once expired, the owner may take the beneficiary back without the old one's approval... but
    // the new beneficiary being the owner needs an empty term.
    let back = ChangeBeneficiaryParams {
        new_beneficiary: owner.id_address(),
        new_quota: TokenAmount::default(),
        new_expiration: 0,
    };
    w.call(&owner, Method::ChangeBeneficiaryExported, &back).ok().unwrap();
    assert_eq!(w.beneficiary().active.beneficiary, owner.id_address());
}

#[test]
fn owner_change_is_two_step_and_moves_the_beneficiary() {
    let mut w = world();
    let (owner, lender) = (w.owner.clone(), w.lender.clone());
    let r = w.call(&lender, Method::ChangeOwnerAddressExported, &lender.id_address());
    assert_eq!(r.exit_code, ExitCode::USR_FORBIDDEN);
    w.call(&owner, Method::ChangeOwnerAddressExported, &lender.id_address()).ok().unwrap();
    let r: GetOwnerReturn = w.call(&owner, Method::GetOwnerExported, &()).ret().unwrap();
    assert_eq!((r.owner, r.proposed), (owner.id_address(), Some(lender.id_address())));
    w.call(&lender, Method::ChangeOwnerAddressExported, &lender.id_address()).ok().unwrap();
    let r: GetOwnerReturn = w.call(&owner, Method::GetOwnerExported, &()).ret().unwrap();
    assert_eq!((r.owner, r.proposed), (lender.id_address(), None));
    assert_eq!(w.beneficiary().active.beneficiary, lender.id_address());
}
