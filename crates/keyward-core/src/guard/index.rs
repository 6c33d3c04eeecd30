//! The guard's index: for every form of every stored value (see [`crate::leak::forms`]) its
//! length, a 24-bit rolling fingerprint and a 128-bit HMAC-SHA256, all keyed by a random device
//! secret (`guard-key`, 0600, in Keyward's data folder), and the key's name. A text is checked by
//! rolling each indexed length over it (a few nanoseconds a byte), and only a window whose
//! fingerprint is indexed is hashed. The index holds no key and no unkeyed hash of one: it can
//! only confirm a guess of a whole key, and only with the device secret.

use crate::leak::forms::{Encoding, forms};
use crate::{Document, Result, VaultError};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

const INDEX_FILE: &str = "guard-index.json";
const KEY_FILE: &str = "guard-key";
/// Beside the index, small: each vault's path and values digest, so that an unlock that changed
/// nothing reads a few bytes instead of parsing the whole index.
const DIGESTS_FILE: &str = "guard-index.digests";

/// One indexed form.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Form {
    /// Index into the vault's `names`.
    name: u32,
    len: u32,
    fingerprint: u32,
    /// The first 16 bytes of HMAC-SHA256(device secret, form), in hex.
    mac: String,
    encoding: Encoding,
    /// An earlier value of the key (replaced since).
    earlier: bool,
}

/// What is kept of one vault.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct VaultForms {
    path: PathBuf,
    names: Vec<String>,
    forms: Vec<Form>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct IndexFile {
    vaults: BTreeMap<String, VaultForms>,
}

/// What the index was made from, by vault id: its path, and a keyed hash of every value (when
/// it is the same at the next unlock, nothing is redone).
type Digests = BTreeMap<String, (PathBuf, String)>;

fn read_json<T: serde::de::DeserializeOwned + Default>(path: &Path) -> T {
    std::fs::read(path).ok().and_then(|bytes| serde_json::from_slice(&bytes).ok()).unwrap_or_default()
}

fn write_json(path: &Path, value: &impl Serialize) -> Result<()> {
    let bytes = serde_json::to_vec(value).map_err(|e| VaultError::Invalid(format!("The guard's index: {e}")))?;
    crate::atomic_file::replace_without_backups(path, &bytes)
}

/// A stored key found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    pub name: String,
    pub start: usize,
    pub end: usize,
    pub encoding: Encoding,
    pub earlier: bool,
}

/// The index as read for a check: the forms by length, fingerprint and hash.
pub struct Index {
    secret: Zeroizing<Vec<u8>>,
    base: u64,
    /// Length → fingerprints of that length.
    lengths: Vec<(usize, HashSet<u32>)>,
    /// (length, mac) → (name, encoding, earlier).
    forms: HashMap<(usize, [u8; 16]), (String, Encoding, bool)>,
    pub vaults: usize,
}

fn mac(secret: &[u8], bytes: &[u8]) -> [u8; 16] {
    let mut m = <Hmac<Sha256> as Mac>::new_from_slice(secret).expect("HMAC takes any key length");
    m.update(bytes);
    let full = m.finalize().into_bytes();
    let mut out = [0u8; 16];
    out.copy_from_slice(&full[..16]);
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<[u8; 16]> {
    let mut out = [0u8; 16];
    if text.len() != 32 {
        return None;
    }
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

/// The rolling fingerprint's base, from the device secret (odd, so that it is invertible).
fn base(secret: &[u8]) -> u64 {
    let m = mac(secret, b"keyward guard rolling base");
    u64::from_le_bytes(m[..8].try_into().expect("8 bytes")) | 1
}

/// The top 24 bits of the polynomial hash of `bytes` in `base` (mod 2^64).
fn fingerprint(base: u64, bytes: &[u8]) -> u32 {
    let h = bytes.iter().fold(0u64, |h, &b| h.wrapping_mul(base).wrapping_add(u64::from(b) + 1));
    (h >> 40) as u32
}

/// Only values that look like generated keys are indexed: the device secret sits beside the
/// index, so a short or guessable value (a password stored as a key) could be found by trying
/// guesses against it. Such values are still found by `keyward scan`, which runs unlocked.
pub fn random_enough(value: &[u8]) -> bool {
    let mut seen = [false; 256];
    value.iter().for_each(|&b| seen[usize::from(b)] = true);
    value.len() >= 20 && seen.iter().filter(|s| **s).count() >= 12 && value.iter().any(u8::is_ascii_digit)
}

/// This device's secret, made on first use.
fn device_secret(data_dir: &Path, create: bool) -> Result<Zeroizing<Vec<u8>>> {
    let path = data_dir.join(KEY_FILE);
    match std::fs::read(&path) {
        Ok(bytes) if bytes.len() == 32 => Ok(Zeroizing::new(bytes)),
        Ok(_) => {
            Err(VaultError::Invalid(format!("{} is damaged; delete it and unlock the vault again.", path.display())))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && create => {
            let mut secret = Zeroizing::new(vec![0u8; 32]);
            rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut secret);
            crate::api::create_private_dir(data_dir)?;
            crate::atomic_file::create_new(&path, &secret)?;
            Ok(secret)
        }
        Err(e) => Err(VaultError::io(path, e)),
    }
}

/// Keeps the index of `doc` (the vault at `path`) up to date on this device. Cheap when nothing
/// changed since the last time (one keyed hash over the values).
pub fn update(data_dir: &Path, path: &Path, doc: &Document) -> Result<()> {
    let secret = device_secret(data_dir, true)?;
    let values = || {
        doc.entries.iter().flat_map(|e| {
            std::iter::once((e.name.as_str(), false, e.secret.expose().as_bytes()))
                .chain(e.history.iter().map(|h| (e.name.as_str(), true, h.secret.expose().as_bytes())))
        })
    };
    let mut digest = <Hmac<Sha256> as Mac>::new_from_slice(&secret).expect("any key length");
    for (name, earlier, value) in values() {
        digest.update(&(name.len() as u64).to_le_bytes());
        digest.update(name.as_bytes());
        digest.update(&[u8::from(earlier)]);
        digest.update(&(value.len() as u64).to_le_bytes());
        digest.update(value);
    }
    let digest = hex(&digest.finalize().into_bytes());
    let (file, digests_file) = (data_dir.join(INDEX_FILE), data_dir.join(DIGESTS_FILE));
    let mut digests: Digests = read_json(&digests_file);
    let made_from = (path.to_path_buf(), digest);
    if file.exists() && digests.get(&doc.vault_id) == Some(&made_from) {
        return Ok(());
    }
    let mut index: IndexFile = read_json(&file);
    let base = base(&secret);
    let mut names: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for (name, earlier, value) in values() {
        if !random_enough(value) {
            continue;
        }
        if names.last().map(String::as_str) != Some(name) {
            names.push(name.to_string());
        }
        for (encoding, form) in forms(value) {
            out.push(Form {
                name: (names.len() - 1) as u32,
                len: form.len() as u32,
                fingerprint: fingerprint(base, &form),
                mac: hex(&mac(&secret, &form)),
                encoding,
                earlier,
            });
        }
    }
    index.vaults.insert(doc.vault_id.clone(), VaultForms { path: path.to_path_buf(), names, forms: out });
    // The index first: a digest written without its index would keep it from being made.
    write_json(&file, &index)?;
    digests.insert(doc.vault_id.clone(), made_from);
    write_json(&digests_file, &digests)
}

impl Index {
    /// The index kept on this device; `None` when no vault was unlocked here yet.
    pub fn read(data_dir: &Path) -> Result<Option<Index>> {
        let file = data_dir.join(INDEX_FILE);
        let bytes = match std::fs::read(&file) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(VaultError::io(file, e)),
        };
        let parsed: IndexFile = serde_json::from_slice(&bytes).map_err(|_| {
            VaultError::Invalid(format!("{} is damaged; unlock the vault again to rebuild it.", file.display()))
        })?;
        let secret = device_secret(data_dir, false)?;
        let mut lengths: BTreeMap<usize, HashSet<u32>> = BTreeMap::new();
        let mut forms = HashMap::new();
        for vault in parsed.vaults.values() {
            for f in &vault.forms {
                let (Some(mac), Some(name)) = (unhex(&f.mac), vault.names.get(f.name as usize)) else { continue };
                lengths.entry(f.len as usize).or_default().insert(f.fingerprint);
                forms.insert((f.len as usize, mac), (name.clone(), f.encoding, f.earlier));
            }
        }
        let base = base(&secret);
        Ok(Some(Index { secret, base, lengths: lengths.into_iter().collect(), forms, vaults: parsed.vaults.len() }))
    }

    /// Every stored key in `text`.
    pub fn find(&self, text: &[u8]) -> Vec<Match> {
        let mut found = Vec::new();
        for (len, fingerprints) in &self.lengths {
            let len = *len;
            if text.len() < len || len == 0 {
                continue;
            }
            // base^(len-1), to take the leaving byte out.
            let top = (1..len).fold(1u64, |p, _| p.wrapping_mul(self.base));
            let mut h = text[..len].iter().fold(0u64, |h, &b| h.wrapping_mul(self.base).wrapping_add(u64::from(b) + 1));
            for start in 0..=text.len() - len {
                if start > 0 {
                    let out = u64::from(text[start - 1]) + 1;
                    let inn = u64::from(text[start + len - 1]) + 1;
                    h = h.wrapping_sub(out.wrapping_mul(top)).wrapping_mul(self.base).wrapping_add(inn);
                }
                if fingerprints.contains(&((h >> 40) as u32)) {
                    let window = &text[start..start + len];
                    if let Some((name, encoding, earlier)) = self.forms.get(&(len, mac(&self.secret, window))) {
                        found.push(Match {
                            name: name.clone(),
                            start,
                            end: start + len,
                            encoding: *encoding,
                            earlier: *earlier,
                        });
                    }
                }
            }
        }
        found.sort_by_key(|m| m.start);
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "sk-proj-Guard0123456789abcdefghijklmnopqrstuv";

    fn doc(keys: &[(&str, &str)]) -> Document {
        let mut doc = Document::new(chrono::Utc::now());
        let change = crate::document::Change { now: chrono::Utc::now(), actor: "test" };
        for (name, key) in keys {
            doc.add(name, crate::Secret::from(*key), Default::default(), &change).unwrap();
        }
        doc
    }

    #[test]
    fn the_index_finds_keys_and_holds_none() {
        let dir = tempfile::tempdir().unwrap();
        update(dir.path(), Path::new("/v.age"), &doc(&[("prod", KEY)])).unwrap();
        let on_disk = std::fs::read(dir.path().join(INDEX_FILE)).unwrap();
        let text = String::from_utf8_lossy(&on_disk);
        assert!(!text.contains(KEY) && !text.contains(&KEY[8..24]), "{text}");
        // No unkeyed hash of the key either.
        let plain = hex(&<sha2::Sha256 as sha2::Digest>::digest(KEY.as_bytes()));
        assert!(!text.contains(&plain[..16]));

        let index = Index::read(dir.path()).unwrap().unwrap();
        let line = format!("let k = \"{KEY}\";\n");
        let found = index.find(line.as_bytes());
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!((found[0].name.as_str(), found[0].start), ("prod", 9));
        let mut near = KEY.to_string();
        near.replace_range(20..21, "Z");
        assert!(index.find(near.as_bytes()).is_empty());
        // Another device secret recognises nothing.
        std::fs::remove_file(dir.path().join(KEY_FILE)).unwrap();
        std::fs::write(dir.path().join(KEY_FILE), [7u8; 32]).unwrap();
        assert!(Index::read(dir.path()).unwrap().unwrap().find(line.as_bytes()).is_empty());
    }

    #[test]
    fn guessable_values_are_not_indexed() {
        let dir = tempfile::tempdir().unwrap();
        update(dir.path(), Path::new("/v.age"), &doc(&[("pw", "Password123!Password"), ("prod", KEY)])).unwrap();
        let index = Index::read(dir.path()).unwrap().unwrap();
        assert!(index.find(b"Password123!Password").is_empty());
        assert_eq!(index.find(KEY.as_bytes()).len(), 1);
    }

    #[test]
    fn an_unchanged_vault_is_not_indexed_again() {
        let dir = tempfile::tempdir().unwrap();
        let d = doc(&[("prod", KEY)]);
        update(dir.path(), Path::new("/v.age"), &d).unwrap();
        let file = dir.path().join(INDEX_FILE);
        std::fs::write(&file, std::fs::read_to_string(&file).unwrap().replace("\"forms\":[", "\"forms\":[ ")).unwrap();
        let before = std::fs::read(&file).unwrap();
        update(dir.path(), Path::new("/v.age"), &d).unwrap();
        assert_eq!(std::fs::read(&file).unwrap(), before);
    }
}
