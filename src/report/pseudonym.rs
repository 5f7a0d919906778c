//! Pseudonyms for paths and export ids under `--redact`: a path or an id
//! often carries a medical record number or a name, so redacted output
//! names each report by a token instead.
//!
//! Without a key, a token is the report's place in the run's input order
//! (`report-000001`): stable within a run (the order is the walk's, the same
//! on every machine), and different runs of different trees may reuse it.
//! With a key (a secret the user keeps), a token is the first 16 hex digits
//! of HMAC-SHA256(key, path or id as radlint names it) (`r-3f9c...`): the
//! same report gets the same token in every run with that key, so two
//! sweeps can be compared, and whoever holds the key can find a report from
//! its token; without the key a token reveals nothing of the path.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// How redacted output names reports.
#[derive(Clone)]
pub struct Pseudonyms {
    key: Option<Vec<u8>>,
}

impl std::fmt::Debug for Pseudonyms {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the key.
        f.debug_struct("Pseudonyms")
            .field("keyed", &self.key.is_some())
            .finish()
    }
}

impl Pseudonyms {
    /// Tokens by input order, or keyed by `key` when one is given.
    pub fn new(key: Option<Vec<u8>>) -> Pseudonyms {
        Pseudonyms { key }
    }

    /// The token for the report at `index` (0-based, in input order) named
    /// `name`.
    pub fn token(&self, index: usize, name: &str) -> String {
        match &self.key {
            None => format!("report-{:06}", index + 1),
            Some(key) => {
                let mut mac =
                    Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
                mac.update(name.as_bytes());
                let digest = mac.finalize().into_bytes();
                let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
                format!("r-{hex}")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_follow_input_order_without_a_key() {
        let p = Pseudonyms::new(None);
        assert_eq!(p.token(0, "MRN123/ct.txt"), "report-000001");
        assert_eq!(p.token(41, "x"), "report-000042");
    }

    #[test]
    fn keyed_tokens_are_stable_and_depend_on_key_and_name() {
        let a = Pseudonyms::new(Some(b"secret".to_vec()));
        let b = Pseudonyms::new(Some(b"other".to_vec()));
        let t = a.token(0, "MRN123/ct.txt");
        assert_eq!(t, a.token(7, "MRN123/ct.txt"));
        assert_ne!(t, a.token(0, "MRN124/ct.txt"));
        assert_ne!(t, b.token(0, "MRN123/ct.txt"));
        assert!(t.starts_with("r-") && t.len() == 18, "{t}");
        assert!(!t.contains("MRN"));
        // RFC 4231 test case 2's key and data: the MAC is HMAC-SHA256's.
        let rfc = Pseudonyms::new(Some(b"Jefe".to_vec()));
        assert_eq!(
            rfc.token(0, "what do ya want for nothing?"),
            "r-5bdcc146bf60754e"
        );
    }
}
