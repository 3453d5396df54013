//! Actors never depend on each other's crates (building them together for Wasm would export
//! `invoke` twice), so a caller mirrors the types of the actor it calls. These tests pin each mirror
//! to the original's encoding.
use fvm_ipld_encoding::{to_vec, BytesDe, RawBytes};
use fvm_shared::address::Address;
use fvm_shared::econ::TokenAmount;

#[test]
fn power_calls_init_and_the_miner_with_their_own_shapes() {
    let code = cid::Cid::default();
    let mirror = actorlib_host_power::ext::ExecParams {
        code_cid: code,
        constructor_params: RawBytes::new(vec![1, 2]),
    };
    let original = actorlib_host_init::ExecParams {
        code_cid: code,
        constructor_params: RawBytes::new(vec![1, 2]),
    };
    assert_eq!(to_vec(&mirror).unwrap(), to_vec(&original).unwrap());

    let mirror = actorlib_host_power::ext::MinerConstructorParams {
        owner: Address::new_id(1),
        worker: Address::new_id(2),
        control_addresses: vec![Address::new_id(3)],
        sector_size: 2048,
        peer_id: vec![9],
        multiaddrs: vec![BytesDe(vec![7])],
    };
    let original = actorlib_host_miner::types::ConstructorParams {
        owner: Address::new_id(1),
        worker: Address::new_id(2),
        control_addresses: vec![Address::new_id(3)],
        sector_size: 2048,
        peer_id: vec![9],
        multiaddrs: vec![BytesDe(vec![7])],
    };
    assert_eq!(to_vec(&mirror).unwrap(), to_vec(&original).unwrap());
}

#[test]
fn reward_pays_the_miner_with_its_shape() {
    let mirror = actorlib_host_reward::ApplyRewardParams {
        reward: TokenAmount::from_atto(5),
        penalty: TokenAmount::from_atto(1),
    };
    let original = actorlib_host_miner::types::ApplyRewardParams {
        reward: TokenAmount::from_atto(5),
        penalty: TokenAmount::from_atto(1),
    };
    assert_eq!(to_vec(&mirror).unwrap(), to_vec(&original).unwrap());
    assert_eq!(
        actorlib_host_reward::MINER_APPLY_REWARDS,
        actorlib_host_miner::types::Method::ApplyRewards as u64
    );
}

#[test]
fn the_market_reads_miner_control_addresses_with_its_shape() {
    let mirror = actorlib_host_market::types::GetControlAddressesReturn {
        owner: Address::new_id(1),
        worker: Address::new_id(2),
        control_addresses: vec![Address::new_id(3)],
    };
    let original = actorlib_host_miner::types::GetControlAddressesReturn {
        owner: Address::new_id(1),
        worker: Address::new_id(2),
        control_addresses: vec![Address::new_id(3)],
    };
    assert_eq!(to_vec(&mirror).unwrap(), to_vec(&original).unwrap());
}

#[test]
fn deal_clients_receive_the_market_notification_shape() {
    let mirror = actorlib_example_deal_client::MarketNotifyDealParams {
        proposal: vec![1, 2, 3],
        deal_id: 7,
    };
    let original =
        actorlib_host_market::types::MarketNotifyDealParams { proposal: vec![1, 2, 3], deal_id: 7 };
    assert_eq!(to_vec(&mirror).unwrap(), to_vec(&original).unwrap());
    assert_eq!(
        actorlib_example_deal_client::Method::MarketNotifyDeal as u64,
        actorlib_host_market::types::ext::MARKET_NOTIFY_DEAL
    );
}

#[test]
fn token_receivers_decode_the_token_hook_and_call_the_token_with_its_shapes() {
    use actorlib_example_token_receiver::{ext as mirror, Method as ReceiverMethod};
    use actorlib_token as token;

    assert_eq!(mirror::RECEIVE, token::RECEIVER_HOOK_METHOD);
    assert_eq!(ReceiverMethod::Receive as u64, token::RECEIVER_HOOK_METHOD);
    assert_eq!(mirror::FRC46_TOKEN_TYPE, token::FRC46_TOKEN_TYPE);
    assert_eq!(mirror::TRANSFER, token::Method::Transfer as u64);
    assert_eq!(mirror::BALANCE, token::Method::Balance as u64);
    assert_eq!(mirror::BURN, token::Method::Burn as u64);

    let data = RawBytes::new(vec![0x82, 0x01, 0x02]);
    let m = mirror::FRC46TokenReceived {
        from: 101,
        to: 102,
        operator: 103,
        amount: TokenAmount::from_atto(1_000_000_000_000_000_007u64),
        operator_data: data.clone(),
        token_data: RawBytes::new(vec![9]),
    };
    let o = token::FRC46TokenReceived {
        from: 101,
        to: 102,
        operator: 103,
        amount: TokenAmount::from_atto(1_000_000_000_000_000_007u64),
        operator_data: data.clone(),
        token_data: RawBytes::new(vec![9]),
    };
    assert_eq!(to_vec(&m).unwrap(), to_vec(&o).unwrap());
    // The hook's parameters, as the token builds them, decode into the mirror.
    let hook = token::UniversalReceiverParams {
        type_: token::FRC46_TOKEN_TYPE,
        payload: RawBytes::serialize(&o).unwrap(),
    };
    let decoded: mirror::UniversalReceiverParams =
        fvm_ipld_encoding::from_slice(&to_vec(&hook).unwrap()).unwrap();
    assert_eq!(decoded.type_, token::FRC46_TOKEN_TYPE);
    assert_eq!(decoded.payload.deserialize::<mirror::FRC46TokenReceived>().unwrap(), m);
    let m = mirror::UniversalReceiverParams { type_: 7, payload: data.clone() };
    let o = token::UniversalReceiverParams { type_: 7, payload: data.clone() };
    assert_eq!(to_vec(&m).unwrap(), to_vec(&o).unwrap());

    let to = Address::new_id(9);
    let amount = TokenAmount::from_atto(12);
    let m = mirror::TransferParams { to, amount: amount.clone(), operator_data: data.clone() };
    let o = token::TransferParams { to, amount: amount.clone(), operator_data: data };
    assert_eq!(to_vec(&m).unwrap(), to_vec(&o).unwrap());
    let m = mirror::TransferReturn { from_balance: amount.clone(), to_balance: amount.clone() * 2 };
    let o = token::TransferReturn { from_balance: amount.clone(), to_balance: amount.clone() * 2 };
    assert_eq!(to_vec(&m).unwrap(), to_vec(&o).unwrap());
    let m = mirror::BurnParams { amount: amount.clone() };
    let o = token::BurnParams { amount: amount.clone() };
    assert_eq!(to_vec(&m).unwrap(), to_vec(&o).unwrap());
    let m = mirror::BurnReturn { balance: amount.clone() };
    let o = token::BurnReturn { balance: amount };
    assert_eq!(to_vec(&m).unwrap(), to_vec(&o).unwrap());
}

/// Encodes `$kit` and `$host` (the same fields, the same values) and requires the same bytes, then
/// decodes the host's bytes as the kit's type.
macro_rules! same_encoding {
    ($kit:expr, $host:expr) => {{
        let (k, h) = ($kit, $host);
        let (kb, hb) = (to_vec(&k).unwrap(), to_vec(&h).unwrap());
        assert_eq!(kb, hb, "{k:?} / {h:?}");
        assert_eq!(fvm_ipld_encoding::from_slice::<_>(&hb).ok().as_ref(), Some(&k));
    }};
}

#[test]
fn the_kit_calls_the_market_with_its_method_numbers_and_exit_codes() {
    use actorlib_host_market::types::{self as original, Method as M};
    use actorlib_kit::ext::market as kit;

    let numbers = [
        (kit::ADD_BALANCE, M::AddBalanceExported),
        (kit::WITHDRAW_BALANCE, M::WithdrawBalanceExported),
        (kit::GET_BALANCE, M::GetBalanceExported),
        (kit::GET_DEAL_DATA_COMMITMENT, M::GetDealDataCommitmentExported),
        (kit::GET_DEAL_CLIENT, M::GetDealClientExported),
        (kit::GET_DEAL_PROVIDER, M::GetDealProviderExported),
        (kit::GET_DEAL_LABEL, M::GetDealLabelExported),
        (kit::GET_DEAL_TERM, M::GetDealTermExported),
        (kit::GET_DEAL_TOTAL_PRICE, M::GetDealTotalPriceExported),
        (kit::GET_DEAL_CLIENT_COLLATERAL, M::GetDealClientCollateralExported),
        (kit::GET_DEAL_PROVIDER_COLLATERAL, M::GetDealProviderCollateralExported),
        (kit::GET_DEAL_VERIFIED, M::GetDealVerifiedExported),
        (kit::GET_DEAL_ACTIVATION, M::GetDealActivationExported),
        (kit::GET_DEAL_SECTOR, M::GetDealSectorExported),
    ];
    for (k, h) in numbers {
        assert_eq!(k, h as u64, "{h:?}");
    }
    assert_eq!(kit::MARKET_NOTIFY_DEAL, original::ext::MARKET_NOTIFY_DEAL);
    assert_eq!(kit::AUTHENTICATE_MESSAGE, original::ext::AUTHENTICATE_MESSAGE);
    assert_eq!(kit::EX_DEAL_EXPIRED, original::EX_DEAL_EXPIRED);
    assert_eq!(kit::EX_DEAL_NOT_ACTIVATED, original::EX_DEAL_NOT_ACTIVATED);
    assert_eq!(kit::EPOCH_UNDEFINED, original::EPOCH_UNDEFINED);
    assert_eq!(kit::STORAGE_MARKET_ACTOR_ADDR, Address::new_id(5));
}

#[test]
fn the_kit_reads_the_market_with_its_shapes() {
    use actorlib_host_market::types as original;
    use actorlib_kit::ext::market as kit;
    use actorlib_sandbox::storage::piece_cid;

    let piece = piece_cid(b"mirror");
    same_encoding!(
        kit::GetDealDataCommitmentReturn { data: piece, size: 2048 },
        original::GetDealDataCommitmentReturn { data: piece, size: 2048 }
    );
    same_encoding!(
        kit::GetDealActivationReturn { activated: 10, terminated: -1 },
        original::GetDealActivationReturn { activated: 10, terminated: -1 }
    );
    same_encoding!(
        kit::GetDealTermReturn { start: 100, duration: 518400 },
        original::GetDealTermReturn { start: 100, duration: 518400 }
    );
    same_encoding!(
        kit::GetBalanceReturn {
            balance: TokenAmount::from_atto(9),
            locked: TokenAmount::from_atto(4)
        },
        original::GetBalanceReturn {
            balance: TokenAmount::from_atto(9),
            locked: TokenAmount::from_atto(4)
        }
    );
    same_encoding!(
        kit::WithdrawBalanceParams {
            provider_or_client: Address::new_id(101),
            amount: TokenAmount::from_atto(3)
        },
        original::WithdrawBalanceParams {
            provider_or_client: Address::new_id(101),
            amount: TokenAmount::from_atto(3)
        }
    );
    same_encoding!(
        kit::MarketNotifyDealParams { proposal: vec![0x83, 1, 2, 3], deal_id: 7 },
        original::MarketNotifyDealParams { proposal: vec![0x83, 1, 2, 3], deal_id: 7 }
    );
    same_encoding!(
        kit::AuthenticateMessageParams { signature: vec![1; 65], message: vec![2; 9] },
        original::AuthenticateMessageParams { signature: vec![1; 65], message: vec![2; 9] }
    );
    // Both label forms, and a proposal with every field set apart from its neighbours.
    for (k, h) in [
        (kit::Label::String("dataset/1".into()), original::Label::String("dataset/1".into())),
        (kit::Label::Bytes(vec![0xff, 0]), original::Label::Bytes(vec![0xff, 0])),
    ] {
        same_encoding!(k.clone(), h.clone());
        let host = original::DealProposal {
            piece_cid: piece,
            piece_size: 4096,
            verified_deal: true,
            client: Address::new_id(1001),
            provider: Address::new_id(1002),
            label: h,
            start_epoch: 30,
            end_epoch: 540030,
            storage_price_per_epoch: TokenAmount::from_atto(11),
            provider_collateral: TokenAmount::from_atto(12),
            client_collateral: TokenAmount::from_atto(13),
        };
        let kit_proposal = kit::DealProposal::decode(&to_vec(&host).unwrap()).unwrap();
        assert_eq!(kit_proposal.label, k);
        assert_eq!(kit_proposal.duration(), host.duration());
        assert_eq!(kit_proposal.total_storage_fee(), host.total_storage_fee());
        assert_eq!(to_vec(&kit_proposal).unwrap(), to_vec(&host).unwrap());
    }
    // The NFT's piece CID check accepts what the market stores.
    assert!(actorlib_nft::piece::is_piece_cid(&piece));
}

#[test]
fn the_kit_calls_a_miner_with_its_shapes() {
    use actorlib_host_miner::state as original_state;
    use actorlib_host_miner::types::{self as original, Method as M};
    use actorlib_kit::ext::miner as kit;

    for (k, h) in [
        (kit::CHANGE_BENEFICIARY, M::ChangeBeneficiaryExported),
        (kit::GET_BENEFICIARY, M::GetBeneficiaryExported),
        (kit::WITHDRAW_BALANCE, M::WithdrawBalanceExported),
        (kit::GET_OWNER, M::GetOwnerExported),
        (kit::IS_CONTROLLING_ADDRESS, M::IsControllingAddressExported),
        (kit::GET_AVAILABLE_BALANCE, M::GetAvailableBalanceExported),
        (kit::GET_SECTOR_SIZE, M::GetSectorSizeExported),
    ] {
        assert_eq!(k, h as u64, "{h:?}");
    }
    let amount = TokenAmount::from_atto;
    same_encoding!(
        kit::WithdrawBalanceParams { amount_requested: amount(5) },
        original::WithdrawBalanceParams { amount_requested: amount(5) }
    );
    same_encoding!(
        kit::ChangeBeneficiaryParams {
            new_beneficiary: Address::new_id(300),
            new_quota: amount(7),
            new_expiration: 900
        },
        original::ChangeBeneficiaryParams {
            new_beneficiary: Address::new_id(300),
            new_quota: amount(7),
            new_expiration: 900
        }
    );
    let (quota, used_quota, expiration) = (amount(100), amount(40), 2000);
    let kit_term =
        kit::BeneficiaryTerm { quota: quota.clone(), used_quota: used_quota.clone(), expiration };
    let host_term = original_state::BeneficiaryTerm { quota, used_quota, expiration };
    for epoch in [0, 1999, 2000, 2001] {
        assert_eq!(kit_term.available(epoch), host_term.available(epoch), "{epoch}");
    }
    for proposed in [false, true] {
        same_encoding!(
            kit::GetBeneficiaryReturn {
                active: kit::ActiveBeneficiary {
                    beneficiary: Address::new_id(300),
                    term: kit_term.clone()
                },
                proposed: proposed.then(|| kit::PendingBeneficiaryChange {
                    new_beneficiary: Address::new_id(301),
                    new_quota: amount(8),
                    new_expiration: 3000,
                    approved_by_beneficiary: true,
                    approved_by_nominee: false,
                }),
            },
            original::GetBeneficiaryReturn {
                active: original::ActiveBeneficiary {
                    beneficiary: Address::new_id(300),
                    term: host_term.clone()
                },
                proposed: proposed.then(|| original_state::PendingBeneficiaryChange {
                    new_beneficiary: Address::new_id(301),
                    new_quota: amount(8),
                    new_expiration: 3000,
                    approved_by_beneficiary: true,
                    approved_by_nominee: false,
                }),
            }
        );
        same_encoding!(
            kit::GetOwnerReturn {
                owner: Address::new_id(200),
                proposed: proposed.then(|| Address::new_id(201))
            },
            original::GetOwnerReturn {
                owner: Address::new_id(200),
                proposed: proposed.then(|| Address::new_id(201))
            }
        );
    }
}

#[test]
fn the_kit_reads_miner_vesting_and_power_with_their_shapes() {
    use actorlib_host_miner::types::{self as miner, Method as MinerMethod};
    use actorlib_host_power::types::{self as power, Method as PowerMethod};
    use actorlib_kit::ext::{miner as kit_miner, power as kit_power};
    use fvm_shared::bigint::BigInt;

    assert_eq!(kit_miner::GET_VESTING_FUNDS, MinerMethod::GetVestingFundsExported as u64);
    let funds = vec![(100, TokenAmount::from_atto(7)), (2980, TokenAmount::from_whole(3))];
    same_encoding!(
        kit_miner::GetVestingFundsReturn { vesting_funds: funds.clone() },
        miner::GetVestingFundsReturn { vesting_funds: funds }
    );

    assert_eq!(kit_power::MINER_RAW_POWER, PowerMethod::MinerRawPowerExported as u64);
    assert_eq!(kit_power::NETWORK_RAW_POWER, PowerMethod::NetworkRawPowerExported as u64);
    assert_eq!(kit_power::MINER_COUNT, PowerMethod::MinerCountExported as u64);
    assert_eq!(kit_power::STORAGE_POWER_ACTOR_ADDR, Address::new_id(4));
    // The miner ID goes bare, as the host's transparent parameter does.
    assert_eq!(
        to_vec(&1234u64).unwrap(),
        to_vec(&power::MinerRawPowerParams { miner: 1234 }).unwrap()
    );
    for raw in [BigInt::from(0), BigInt::from(10u64 << 40), BigInt::from(1) << 70] {
        same_encoding!(
            kit_power::MinerRawPowerReturn {
                raw_byte_power: raw.clone(),
                meets_consensus_minimum: true
            },
            power::MinerRawPowerReturn { raw_byte_power: raw, meets_consensus_minimum: true }
        );
    }
}
