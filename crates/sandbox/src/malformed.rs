//! Malformed parameters for robustness tests: mutations of a valid CBOR encoding, and the test
//! that an actor refused them cleanly.
//!
//! An actor must never panic or trap on input: whatever bytes arrive as parameters, it returns a
//! user exit code (USR_SERIALIZATION for bytes that do not decode, the code of the broken rule for
//! values that decode but make no sense) and, on failure, leaves its state as it was. Random bytes
//! almost always fail at the first byte, so they test little; mutations of a *valid* encoding get
//! past the first CBOR headers and reach decoding of nested fields, big integers, addresses, CIDs
//! and the actor's own checks.
//!
//! ```
//! use actorlib_sandbox::malformed::Mutator;
//!
//! let valid = [0x82, 0x42, 0x00, 0x65, 0x07]; // [f0101 as address bytes, 7]
//! let mut m = Mutator::new(1);
//! let variants: Vec<Vec<u8>> = (0..100).map(|_| m.mutate(&valid)).collect();
//! assert!(variants.iter().any(|v| v.as_slice() != valid));
//! ```
//!
//! The mutations are deterministic for a seed (ChaCha8), so a failure reproduces from the seed and
//! the case number that a test prints.

use fvm_shared::error::ExitCode;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Bytes that mean something to a CBOR decoder: the boundaries of each major type's short and long
/// headers (1, 2, 4 and 8-byte lengths), indefinite lengths, tags (42 is a CID), simple values,
/// floats and the break code.
const CBOR_BOUNDARIES: [u8; 32] = [
    0x00, 0x01, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1f, 0x20, 0x37, 0x38, 0x3b, 0x40, 0x41, 0x58, 0x5b,
    0x5f, 0x60, 0x78, 0x7f, 0x80, 0x81, 0x9b, 0x9f, 0xa0, 0xbf, 0xc2, 0xd8, 0xf6, 0xf7, 0xfb, 0xff,
];

/// A deterministic source of malformed variants of valid encodings.
pub struct Mutator {
    rng: ChaCha8Rng,
}

impl Mutator {
    /// A mutator whose sequence of variants is fixed by `seed`.
    pub fn new(seed: u64) -> Self {
        Self { rng: ChaCha8Rng::seed_from_u64(seed) }
    }

    /// A variant of `valid` with one to three edits: a flipped bit, a byte set to a CBOR boundary
    /// value or moved by one, a truncation, bytes inserted, removed or repeated, a header turned
    /// into an 8-byte length, or the whole wrapped in another array. The variant may happen to be
    /// valid (and so may decode to different values): the actor must handle those too.
    pub fn mutate(&mut self, valid: &[u8]) -> Vec<u8> {
        let mut bytes = valid.to_vec();
        let edits = self.rng.gen_range(1..=3);
        for _ in 0..edits {
            self.edit(&mut bytes);
        }
        bytes
    }

    fn edit(&mut self, bytes: &mut Vec<u8>) {
        if bytes.is_empty() {
            bytes.push(self.boundary());
            return;
        }
        let at = self.rng.gen_range(0..bytes.len());
        match self.rng.gen_range(0..10) {
            0 => bytes[at] ^= 1 << self.rng.gen_range(0..8),
            1 | 2 => bytes[at] = self.boundary(),
            3 => bytes[at] = bytes[at].wrapping_add(if self.rng.gen() { 1 } else { 255 }),
            4 => bytes.truncate(at),
            5 => {
                let n = self.rng.gen_range(1..=8);
                let extra: Vec<u8> = (0..n).map(|_| self.rng.gen()).collect();
                bytes.splice(at..at, extra);
            }
            6 => {
                let end = self.rng.gen_range(at..=bytes.len().min(at + 8));
                bytes.drain(at..end);
            }
            7 => {
                // Repeat a slice in place: duplicated fields and elements.
                let end = self.rng.gen_range(at..=bytes.len().min(at + 16));
                let slice = bytes[at..end].to_vec();
                bytes.splice(end..end, slice);
            }
            8 => {
                // Keep the major type and claim an 8-byte argument: a huge length or integer.
                let major = bytes[at] & 0xe0;
                let argument = if self.rng.gen() { u64::MAX } else { self.rng.gen::<u64>() };
                let header = [&[major | 0x1b][..], &argument.to_be_bytes()].concat();
                bytes.splice(at..=at, header);
            }
            _ => bytes.insert(0, 0x81),
        }
    }

    fn boundary(&mut self) -> u8 {
        CBOR_BOUNDARIES[self.rng.gen_range(0..CBOR_BOUNDARIES.len())]
    }
}

/// Whether an exit code is a clean answer to bad input: success, or a user exit code other than
/// USR_ASSERTION_FAILED. System codes mean the actor trapped (SYS_ILLEGAL_INSTRUCTION: a Wasm trap
/// or stack overflow), ran out of gas or broke the VM's rules; USR_ASSERTION_FAILED is what an
/// `fvm_sdk` actor's panic exits with.
pub fn is_clean_exit(code: ExitCode) -> bool {
    code.is_success()
        || (code.value() >= ExitCode::FIRST_USER_EXIT_CODE
            && code != ExitCode::USR_ASSERTION_FAILED)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_variants() {
        let valid = [0x83, 0x42, 0x00, 0x65, 0x42, 0x00, 0x07, 0x41, 0xab];
        let (mut a, mut b) = (Mutator::new(7), Mutator::new(7));
        for _ in 0..200 {
            assert_eq!(a.mutate(&valid), b.mutate(&valid));
        }
        let mut c = Mutator::new(8);
        let differs = (0..50).any(|_| a.mutate(&valid) != c.mutate(&valid));
        assert!(differs, "another seed, another sequence");
    }

    #[test]
    fn variants_are_varied_and_mostly_invalid() {
        let valid = [0x83, 0x42, 0x00, 0x65, 0x42, 0x00, 0x07, 0x41, 0xab];
        let mut m = Mutator::new(1);
        let variants: Vec<Vec<u8>> = (0..500).map(|_| m.mutate(&valid)).collect();
        let distinct: std::collections::BTreeSet<&Vec<u8>> = variants.iter().collect();
        assert!(distinct.len() > 400, "only {} distinct variants", distinct.len());
        assert!(variants.iter().any(|v| v.len() < valid.len()), "some truncated");
        assert!(variants.iter().any(|v| v.len() > valid.len() + 7), "some with long headers");
        let still_valid = variants.iter().filter(|v| v.as_slice() == valid).count();
        assert!(still_valid < 25, "{still_valid} of 500 variants unchanged");
    }

    #[test]
    fn clean_exits_are_success_and_user_codes_but_assertions() {
        assert!(is_clean_exit(ExitCode::OK));
        assert!(is_clean_exit(ExitCode::USR_SERIALIZATION));
        assert!(is_clean_exit(ExitCode::USR_FORBIDDEN));
        assert!(is_clean_exit(ExitCode::new(32)));
        assert!(!is_clean_exit(ExitCode::USR_ASSERTION_FAILED));
        assert!(!is_clean_exit(ExitCode::SYS_ILLEGAL_INSTRUCTION));
        assert!(!is_clean_exit(ExitCode::SYS_OUT_OF_GAS));
        assert!(!is_clean_exit(ExitCode::SYS_MISSING_RETURN));
    }
}
