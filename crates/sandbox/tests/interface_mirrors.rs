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
