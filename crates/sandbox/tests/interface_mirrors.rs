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

#[test]
fn the_nft_reads_deals_from_the_market_with_its_shapes() {
    use actorlib_host_market::types::{self as original, Method};
    use actorlib_nft::ext::market as mirror;
    use actorlib_sandbox::storage::piece_cid;

    assert_eq!(mirror::GET_DEAL_ACTIVATION, Method::GetDealActivationExported as u64);
    assert_eq!(mirror::GET_DEAL_DATA_COMMITMENT, Method::GetDealDataCommitmentExported as u64);
    assert_eq!(mirror::GET_DEAL_TERM, Method::GetDealTermExported as u64);
    assert_eq!(mirror::EX_DEAL_EXPIRED, original::EX_DEAL_EXPIRED);
    assert_eq!(mirror::EX_DEAL_NOT_ACTIVATED, original::EX_DEAL_NOT_ACTIVATED);
    assert_eq!(mirror::EPOCH_UNDEFINED, original::EPOCH_UNDEFINED);

    let piece = piece_cid(b"mirror");
    let m = mirror::GetDealDataCommitmentReturn { data: piece, size: 2048 };
    let o = original::GetDealDataCommitmentReturn { data: piece, size: 2048 };
    assert_eq!(to_vec(&m).unwrap(), to_vec(&o).unwrap());
    let m = mirror::GetDealActivationReturn { activated: 10, terminated: -1 };
    let o = original::GetDealActivationReturn { activated: 10, terminated: -1 };
    assert_eq!(to_vec(&m).unwrap(), to_vec(&o).unwrap());
    let m = mirror::GetDealTermReturn { start: 100, duration: 518400 };
    let o = original::GetDealTermReturn { start: 100, duration: 518400 };
    assert_eq!(to_vec(&m).unwrap(), to_vec(&o).unwrap());
    // The NFT's piece CID check accepts what the market stores.
    assert!(actorlib_nft::piece::is_piece_cid(&piece));
}
