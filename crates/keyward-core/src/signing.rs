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
use ed25519_zebra::{Signature, SigningKey, VerificationKey, VerificationKeyBytes};
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
    key: zeroize::Zeroizing<SigningKey>,
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
        Signer {
            key: zeroize::Zeroizing::new(SigningKey::from_bytes(&seed)),
            recipient: identity.to_public().to_string(),
        }
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
        encode_public(&self.key.verification_key())
    }

    pub fn fingerprint(&self) -> String {
        fingerprint_of(&self.key.verification_key())
    }

    /// Signs an item of `kind` in the vault `vault_id`.
    pub fn sign(&self, kind: &str, vault_id: &str, item: &Value) -> Signed {
        let message = message(kind, vault_id, item);
        Signed { by: self.fingerprint(), sig: B64.encode(self.key.sign(&message).to_bytes()) }
    }
}

/// A member's public signing key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PublicKey(VerificationKey);

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
        // Only the one way of writing a point, and never a point of small order: anyone could
        // sign as such a key.
        let point = curve25519_dalek::edwards::CompressedEdwardsY(bytes).decompress().ok_or_else(invalid)?;
        if point.is_small_order() || point.compress().to_bytes() != bytes {
            return Err(invalid());
        }
        let key = VerificationKey::try_from(bytes).map(PublicKey).map_err(|_| invalid())?;
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
        self.claim(kind, vault_id, item, signed).is_some_and(|c| c.holds())
    }

    /// The claim that `signed` is this key's signature on the item, to check with others in
    /// [`check_claims`]; `None` when it cannot be (not this key's, or not a signature at all).
    pub fn claim(&self, kind: &str, vault_id: &str, item: &Value, signed: &Signed) -> Option<Claim> {
        let sig = B64.decode(&signed.sig).ok().and_then(|b| <[u8; 64]>::try_from(b).ok())?;
        (signed.by == self.fingerprint()).then(|| Claim {
            key: self.0,
            message: message(kind, vault_id, item),
            signature: Signature::from_bytes(&sig),
        })
    }
}

/// A signature to check: that one key signed one message.
pub struct Claim {
    key: VerificationKey,
    message: Vec<u8>,
    signature: Signature,
}

impl Claim {
    /// Whether the signature is good (the ZIP 215 rules: `[8][s]B = [8]R + [8][k]A`).
    fn holds(&self) -> bool {
        self.key.verify(&self.signature, &self.message).is_ok()
    }
}

/// Which of the claims hold, in order. They are checked in batches, one equation for many
/// signatures, which decides exactly as [`Claim::holds`] would for each (the ZIP 215 rules make
/// batch and single checks agree); only a batch that fails is checked claim by claim.
pub fn check_claims(claims: &[Claim]) -> Vec<bool> {
    const BATCH: usize = 128;
    let mut held = Vec::with_capacity(claims.len());
    for batch in claims.chunks(BATCH) {
        let all_hold = batch.len() > 1 && {
            let mut verifier = ed25519_zebra::batch::Verifier::new();
            for c in batch {
                verifier.queue((VerificationKeyBytes::from(c.key), c.signature, &c.message));
            }
            verifier.verify(rand_core::OsRng).is_ok()
        };
        if all_hold {
            held.extend(std::iter::repeat_n(true, batch.len()));
        } else {
            held.extend(batch.iter().map(Claim::holds));
        }
    }
    held
}

fn encode_public(key: &VerificationKey) -> String {
    format!("{PUBLIC_KEY_PREFIX}{}", B64.encode(key.as_ref()))
}

/// A short, readable fingerprint of a signing key: the first 8 bytes of its SHA-256, in hex
/// groups (`3f2a 91c0 77de 0b14`). Two members of one vault never share one (adding is refused).
fn fingerprint_of(key: &VerificationKey) -> String {
    short_hash(key.as_ref())
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

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
    }

    /// RFC 8032's first test vector: keys and signatures are plain Ed25519, so files signed
    /// before the switch to ZIP 215 checks (and by any Ed25519 signer) still verify.
    #[test]
    fn plain_ed25519_keys_and_signatures() {
        let seed: [u8; 32] =
            hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60").try_into().unwrap();
        let public = hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        let sig = hex(
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
        );
        let key = SigningKey::from_bytes(&seed);
        assert_eq!(key.verification_key().as_ref(), &public[..]);
        assert_eq!(key.sign(b"").to_bytes().to_vec(), sig);
        let parsed = PublicKey::parse(&format!("{PUBLIC_KEY_PREFIX}{}", B64.encode(&public))).unwrap();
        let claim = |message: &[u8]| Claim {
            key: parsed.0,
            message: message.to_vec(),
            signature: Signature::from_bytes(&sig.clone().try_into().unwrap()),
        };
        assert!(claim(b"").holds());
        assert!(!claim(b"x").holds());
    }

    /// A batch decides as claim-by-claim checks would: one altered item among many is found,
    /// and only it.
    #[test]
    fn batches_decide_as_single_checks() {
        let signer = Signer::from_age_identity(&age::x25519::Identity::generate());
        let other = Signer::from_age_identity(&age::x25519::Identity::generate());
        let (key, other_key) =
            (PublicKey::parse(&signer.public_key()).unwrap(), PublicKey::parse(&other.public_key()).unwrap());
        let items: Vec<Value> = (0..300).map(|i| serde_json::json!({ "n": i })).collect();
        let mut claims: Vec<Claim> = items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let (who, public) = if i % 3 == 0 { (&other, &other_key) } else { (&signer, &key) };
                public.claim("entry", "v", item, &who.sign("entry", "v", item)).unwrap()
            })
            .collect();
        assert!(check_claims(&claims).iter().all(|&h| h));
        claims[200].message.push(b' ');
        let held = check_claims(&claims);
        assert_eq!(held.iter().filter(|&&h| !h).count(), 1);
        assert!(!held[200]);
        assert_eq!(held, claims.iter().map(Claim::holds).collect::<Vec<_>>());
        assert!(check_claims(&[]).is_empty());
    }

    /// Keys anyone could sign for (points of small order) and second spellings of a key are
    /// not signing keys.
    #[test]
    fn weak_and_non_canonical_keys_are_refused() {
        let line = |bytes: &[u8]| format!("{PUBLIC_KEY_PREFIX}{}", B64.encode(bytes));
        let mut identity = [0u8; 32];
        identity[0] = 1;
        assert!(PublicKey::parse(&line(&identity)).is_err(), "the neutral point");
        let order_two = hex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
        assert!(PublicKey::parse(&line(&order_two)).is_err(), "a point of order 2");
        // y = p + k spells the same point as y = k: only the canonical spelling is a key.
        let mut second_spellings = 0;
        for k in 2u8..19 {
            let mut canonical = [0u8; 32];
            canonical[0] = k;
            let Some(point) = curve25519_dalek::edwards::CompressedEdwardsY(canonical).decompress() else { continue };
            if point.is_small_order() {
                continue;
            }
            let mut spelled = hex("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
            spelled[0] += k;
            assert!(PublicKey::parse(&line(&canonical)).is_ok());
            assert!(PublicKey::parse(&line(&spelled)).is_err(), "y = p + {k}");
            second_spellings += 1;
        }
        assert!(second_spellings > 0);
    }
}
