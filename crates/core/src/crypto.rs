//! Tokens, their hashes and encryption. Passwords are hashed apart, on the hashing pool
//! ([`crate::hashing`]): bcrypt is slow on purpose.

use aes_gcm::aead::{Aead, AeadCore, KeyInit, OsRng};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::error::{CoreError, CoreResult};

/// A fresh secret of 256 bits, URL-safe (tokens, tickets, integration keys).
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// How a high-entropy token is kept at rest: a plain SHA-256 is enough for 256 random bits and
/// keeps look-ups indexable, unlike bcrypt.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Encrypts what must be read back but must not be readable at rest (AES-256-GCM, key derived
/// from `security.secret_key`): memorable words (a login asks for single letters, so they
/// cannot be hashed like passwords) and queued email bodies (an activation email carries a
/// ticket that activates the account).
#[derive(Clone)]
pub struct SecretCipher {
    cipher: Aes256Gcm,
}

impl SecretCipher {
    pub fn from_secret(secret: &str) -> Self {
        let digest = Sha256::digest(secret.as_bytes());
        let key = Key::<Aes256Gcm>::from_slice(&digest);
        Self {
            cipher: Aes256Gcm::new(key),
        }
    }

    pub fn encrypt(&self, plain: &str) -> CoreResult<String> {
        let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
        let ct = self
            .cipher
            .encrypt(&nonce, plain.as_bytes())
            .map_err(|_| CoreError::Internal("encryption failed".into()))?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&ct);
        Ok(STANDARD.encode(out))
    }

    pub fn decrypt(&self, stored: &str) -> CoreResult<String> {
        let bad = || CoreError::Internal("stored secret cannot be decrypted".into());
        let raw = STANDARD.decode(stored).map_err(|_| bad())?;
        if raw.len() < 12 {
            return Err(bad());
        }
        let (nonce, ct) = raw.split_at(12);
        let plain = self
            .cipher
            .decrypt(Nonce::from_slice(nonce), ct)
            .map_err(|_| bad())?;
        String::from_utf8(plain).map_err(|_| bad())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memorable_words_round_trip_and_differ_at_rest() {
        let c = SecretCipher::from_secret("s3cret");
        let a = c.encrypt("aardvark").unwrap();
        let b = c.encrypt("aardvark").unwrap();
        assert_ne!(a, b, "a fresh nonce each time");
        assert!(!a.contains("aardvark"));
        assert_eq!(c.decrypt(&a).unwrap(), "aardvark");
        assert!(SecretCipher::from_secret("other").decrypt(&a).is_err());
    }
}
