//! Key-controlled accounts with real secp256k1 keys.
use fvm_shared::address::Address;
use fvm_shared::crypto::signature::{Signature, SignatureType};
use fvm_shared::ActorID;
use k256::ecdsa::SigningKey;
use multihash_codetable::MultihashDigest;

/// An f1 account in the sandbox: its ID, its address and its private key.
#[derive(Clone, Debug)]
pub struct Account {
    /// The actor ID.
    pub id: ActorID,
    /// The f1 (secp256k1) address.
    pub address: Address,
    key: SigningKey,
}

impl Account {
    pub(crate) fn new(id: ActorID, key: SigningKey) -> Self {
        Self { id, address: key_address(&key), key }
    }

    /// The ID address.
    pub fn id_address(&self) -> Address {
        Address::new_id(self.id)
    }

    /// Signs `message` as Filecoin does: a recoverable secp256k1 signature (r, s, v) over the
    /// Blake2b-256 digest of the bytes. The account actor's `AuthenticateMessage` accepts it.
    pub fn sign(&self, message: &[u8]) -> Signature {
        let digest = multihash_codetable::Code::Blake2b256.digest(message);
        let (sig, recovery) = self
            .key
            .sign_prehash_recoverable(digest.digest())
            .expect("a 32-byte digest is always signable");
        let mut bytes = sig.to_bytes().to_vec();
        bytes.push(recovery.to_byte());
        Signature { sig_type: SignatureType::Secp256k1, bytes }
    }
}

/// The f1 address of a key (from the uncompressed public key).
pub fn key_address(key: &SigningKey) -> Address {
    let public = key.verifying_key().to_encoded_point(false);
    Address::new_secp256k1(public.as_bytes()).expect("a 65-byte public key is a valid f1 payload")
}
