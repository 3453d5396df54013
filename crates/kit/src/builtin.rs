//! Well-known builtin actor IDs and types on every Filecoin network.
//!
//! Type IDs are positions in the network's actor manifest (counting from 1); the FVM answers
//! `get_builtin_actor_type` with them.
use fvm_shared::ActorID;

/// The system actor.
pub const SYSTEM_ACTOR_ID: ActorID = 0;
/// The init actor (address map, actor creation).
pub const INIT_ACTOR_ID: ActorID = 1;
/// The reward actor.
pub const REWARD_ACTOR_ID: ActorID = 2;
/// The cron actor.
pub const CRON_ACTOR_ID: ActorID = 3;
/// The storage power actor.
pub const STORAGE_POWER_ACTOR_ID: ActorID = 4;
/// The storage market actor.
pub const STORAGE_MARKET_ACTOR_ID: ActorID = 5;
/// The verified registry actor.
pub const VERIFIED_REGISTRY_ACTOR_ID: ActorID = 6;
/// The DataCap token actor.
pub const DATACAP_TOKEN_ACTOR_ID: ActorID = 7;
/// The Ethereum address manager (also the f4 namespace of f410 addresses).
pub const EAM_ACTOR_ID: ActorID = 10;
/// The burnt funds account.
pub const BURNT_FUNDS_ACTOR_ID: ActorID = 99;
/// The first ID assigned to non-singleton actors.
pub const FIRST_NON_SINGLETON_ADDR: ActorID = 100;

/// Builtin actor types, in canonical manifest order (the value is the type ID).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(i32)]
pub enum BuiltinType {
    /// system
    System = 1,
    /// init
    Init = 2,
    /// cron
    Cron = 3,
    /// account
    Account = 4,
    /// storagepower
    Power = 5,
    /// storageminer
    Miner = 6,
    /// storagemarket
    Market = 7,
    /// paymentchannel
    PaymentChannel = 8,
    /// multisig
    Multisig = 9,
    /// reward
    Reward = 10,
    /// verifiedregistry
    VerifiedRegistry = 11,
    /// datacap
    DataCap = 12,
    /// placeholder
    Placeholder = 13,
    /// evm
    Evm = 14,
    /// eam
    Eam = 15,
    /// ethaccount
    EthAccount = 16,
}

impl BuiltinType {
    /// Every type in manifest order.
    pub const ALL: [BuiltinType; 16] = [
        Self::System,
        Self::Init,
        Self::Cron,
        Self::Account,
        Self::Power,
        Self::Miner,
        Self::Market,
        Self::PaymentChannel,
        Self::Multisig,
        Self::Reward,
        Self::VerifiedRegistry,
        Self::DataCap,
        Self::Placeholder,
        Self::Evm,
        Self::Eam,
        Self::EthAccount,
    ];

    /// The name the manifest uses for this type.
    pub fn name(self) -> &'static str {
        match self {
            Self::System => "system",
            Self::Init => "init",
            Self::Cron => "cron",
            Self::Account => "account",
            Self::Power => "storagepower",
            Self::Miner => "storageminer",
            Self::Market => "storagemarket",
            Self::PaymentChannel => "paymentchannel",
            Self::Multisig => "multisig",
            Self::Reward => "reward",
            Self::VerifiedRegistry => "verifiedregistry",
            Self::DataCap => "datacap",
            Self::Placeholder => "placeholder",
            Self::Evm => "evm",
            Self::Eam => "eam",
            Self::EthAccount => "ethaccount",
        }
    }

    /// The type with manifest position `id`.
    pub fn from_id(id: i32) -> Option<Self> {
        Self::ALL.get(usize::try_from(id).ok()?.checked_sub(1)?).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_manifest_positions() {
        for (i, t) in BuiltinType::ALL.iter().enumerate() {
            assert_eq!(*t as i32, i as i32 + 1);
            assert_eq!(BuiltinType::from_id(*t as i32), Some(*t));
        }
        assert_eq!(BuiltinType::from_id(0), None);
        assert_eq!(BuiltinType::from_id(17), None);
        assert_eq!(BuiltinType::Market.name(), "storagemarket");
    }
}
