//! Signatures on team-vault changes.
//!
//! age encrypts but does not authenticate: anyone who holds one member's public key can write a
//! file that member decrypts. So every change in a team vault (an entry version, a replaced
//! value, a deletion, a check result, a setting, a membership operation) carries the Ed25519
//! signature of its author, and the author is a member's signing key, not a name.
//!
//! A member's signing key is derived from their age identity (HKDF-SHA256 over the secret key,
//! with a label of its own), so the identity file stays a plain age identity that stock `age`
//! reads, and an identity made by `age-keygen` can sign too. What is signed is a label, the
//! kind of item, the vault's id and the item's canonical JSON (keys sorted, no spaces, the
//! signature itself left out), so a signature is bound to one item of one vault.

use crate::error::{Result, VaultError};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD_NO_PAD as B64;
use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// How a signing public key is written in a member line: `ed25519:` and 43 base64 characters.
pub const PUBLIC_KEY_PREFIX: &str = "ed25519:";

/// An item's signature: who (a member's key fingerprint) and the signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signed {
    /// The fingerprint of the signer's key (see [`fingerprint`]).
    pub by: String,
    /// The Ed25519 signature, base64.
    pub sig: String,
}

/// A member's private signing key (wiped when dropped), and the age public key it belongs to.
pub struct Signer {
    key: SigningKey,
    recipient: String,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Signer({})", self.fingerprint())
    }
}

impl Signer {
    /// The signing key that belongs to an age identity (`AGE-SECRET-KEY-1…`).
    pub fn from_age_identity(identity: &age::x25519::Identity) -> Signer {
        use age::secrecy::ExposeSecret;
        let secret = identity.to_string();
        let hk = hkdf::Hkdf::<Sha256>::new(Some(b"keyward"), secret.expose_secret().as_bytes());
        let mut seed = zeroize::Zeroizing::new([0u8; 32]);
        hk.expand(b"keyward team-vault signing key v1", &mut *seed).expect("32 bytes is a valid HKDF length");
        Signer { key: SigningKey::from_bytes(&seed), recipient: identity.to_public().to_string() }
    }

    /// The signing key of the first age key in an identity file's text (the one whose public
    /// key names the person), if it holds one.
    pub fn from_identity_text(text: &str) -> Option<Signer> {
        let first = text.lines().map(str::trim).find(|l| l.starts_with("AGE-SECRET-KEY-1"))?;
        first.parse::<age::x25519::Identity>().ok().map(|id| Signer::from_age_identity(&id))
    }

    /// The age public key (`age1…`) whose identity this key belongs to.
    pub fn recipient(&self) -> &str {
        &self.recipient
    }

    /// The line a person shares to be added to a team vault: `age1… ed25519:…`.
    pub fn member_line(&self) -> String {
        format!("{} {}", self.recipient, self.public_key())
    }

    /// The public half, as written in member lines (`ed25519:…`).
    pub fn public_key(&self) -> String {
        encode_public(&self.key.verifying_key())
    }

    pub fn fingerprint(&self) -> String {
        fingerprint_of(&self.key.verifying_key())
    }

    /// Signs an item of `kind` in the vault `vault_id`.
    pub fn sign(&self, kind: &str, vault_id: &str, item: &Value) -> Signed {
        let message = message(kind, vault_id, item);
        Signed { by: self.fingerprint(), sig: B64.encode(self.key.sign(&message).to_bytes()) }
    }
}

/// A member's public signing key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PublicKey(VerifyingKey);

impl PublicKey {
    /// Reads `ed25519:BASE64`.
    pub fn parse(text: &str) -> Result<PublicKey> {
        // Decoding a key (a curve point) costs about as much as checking a signature, and the
        // membership log names the same few keys over and over: each thread remembers the
        // keys it decoded (public keys only; at most a few thousand).
        thread_local! {
            static DECODED: std::cell::RefCell<std::collections::HashMap<String, PublicKey>> = Default::default();
        }
        if let Some(key) = DECODED.with(|d| d.borrow().get(text).copied()) {
            return Ok(key);
        }
        let invalid = || VaultError::Invalid("That is not a Keyward signing key (ed25519:…).".into());
        let b64 = text.trim().strip_prefix(PUBLIC_KEY_PREFIX).ok_or_else(invalid)?;
        let bytes: [u8; 32] = B64.decode(b64).ok().and_then(|b| b.try_into().ok()).ok_or_else(invalid)?;
        let key = VerifyingKey::from_bytes(&bytes).map(PublicKey).map_err(|_| invalid())?;
        DECODED.with(|d| {
            let mut d = d.borrow_mut();
            if d.len() >= 4096 {
                d.clear();
            }
            d.insert(text.to_string(), key);
        });
        Ok(key)
    }

    pub fn fingerprint(&self) -> String {
        fingerprint_of(&self.0)
    }

    /// Whether `signed` is this key's signature on the item.
    pub fn verifies(&self, kind: &str, vault_id: &str, item: &Value, signed: &Signed) -> bool {
        let Some(sig) = B64.decode(&signed.sig).ok().and_then(|b| <[u8; 64]>::try_from(b).ok()) else {
            return false;
        };
        signed.by == self.fingerprint()
            && self.0.verify_strict(&message(kind, vault_id, item), &Signature::from_bytes(&sig)).is_ok()
    }
}

fn encode_public(key: &VerifyingKey) -> String {
    format!("{PUBLIC_KEY_PREFIX}{}", B64.encode(key.as_bytes()))
}

/// A short, readable fingerprint of a signing key: the first 8 bytes of its SHA-256, in hex
/// groups (`3f2a 91c0 77de 0b14`). Two members of one vault never share one (adding is refused).
fn fingerprint_of(key: &VerifyingKey) -> String {
    short_hash(key.as_bytes())
}

/// The readable fingerprint of any public key text (an age or SSH key without a signing key).
pub fn fingerprint_of_text(text: &str) -> String {
    short_hash(text.as_bytes())
}

fn short_hash(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let hex: Vec<String> = digest[..8].chunks(2).map(|c| format!("{:02x}{:02x}", c[0], c[1])).collect();
    hex.join(" ")
}

/// The SHA-256 of bytes, in hex (hash links between membership operations).
pub fn hash_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

fn message(kind: &str, vault_id: &str, item: &Value) -> Vec<u8> {
    let mut out = Vec::with_capacity(256);
    out.extend_from_slice(b"keyward signed change v1\n");
    out.extend_from_slice(kind.as_bytes());
    out.push(b'\n');
    out.extend_from_slice(vault_id.as_bytes());
    out.push(b'\n');
    canonical(item, &mut out);
    out
}

/// JSON with object keys sorted and no whitespace, whatever serde_json's features (the CLI and
/// the app must produce the same bytes).
pub fn canonical(value: &Value, out: &mut Vec<u8>) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push(b'{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                serde_json::to_writer(&mut *out, k).expect("writing to memory");
                out.push(b':');
                canonical(&map[k], out);
            }
            out.push(b'}');
        }
        Value::Array(items) => {
            out.push(b'[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                canonical(v, out);
            }
            out.push(b']');
        }
        other => serde_json::to_writer(&mut *out, other).expect("writing to memory"),
    }
}

/// An item as JSON, without its `signed` field and the named fields (signed separately).
pub fn item_value<T: Serialize>(item: &T, without: &[&str]) -> Value {
    let mut value = serde_json::to_value(item).expect("vault items always serialize");
    if let Value::Object(map) = &mut value {
        map.remove("signed");
        for field in without {
            map.remove(*field);
        }
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_bind_the_item_its_kind_and_the_vault() {
        let id = age::x25519::Identity::generate();
        let signer = Signer::from_age_identity(&id);
        assert_eq!(signer.public_key(), Signer::from_age_identity(&id).public_key(), "derived, not random");
        let public = PublicKey::parse(&signer.public_key()).unwrap();
        assert_eq!(public.fingerprint(), signer.fingerprint());
        assert_eq!(signer.fingerprint().len(), 19);

        let item = serde_json::json!({"b": 1, "a": {"y": [1, "two"], "x": null}});
        let signed = signer.sign("entry", "vault-1", &item);
        assert!(public.verifies("entry", "vault-1", &item, &signed));
        assert!(!public.verifies("tombstone", "vault-1", &item, &signed), "another kind");
        assert!(!public.verifies("entry", "vault-2", &item, &signed), "another vault");
        let changed = serde_json::json!({"b": 2, "a": {"y": [1, "two"], "x": null}});
        assert!(!public.verifies("entry", "vault-1", &changed, &signed));
        let other = PublicKey::parse(&Signer::from_age_identity(&age::x25519::Identity::generate()).public_key());
        assert!(!other.unwrap().verifies("entry", "vault-1", &item, &signed));
        let garbled = Signed { sig: "AAAA".into(), ..signed.clone() };
        assert!(!public.verifies("entry", "vault-1", &item, &garbled));

        let mut bytes = Vec::new();
        canonical(&item, &mut bytes);
        assert_eq!(String::from_utf8(bytes).unwrap(), r#"{"a":{"x":null,"y":[1,"two"]},"b":1}"#);
        assert!(PublicKey::parse("ed25519:short").is_err());
        assert!(PublicKey::parse("age1abc").is_err());
    }
}
