//! age encryption of vault bytes: passphrase (scrypt) vaults and vaults encrypted to public
//! keys (X25519 and SSH), with every age failure turned into a precise [`VaultError`].

use crate::error::{Result, VaultError};
use age::secrecy::SecretString;
use std::io::{Read, Write};
use std::path::Path;
use zeroize::Zeroizing;

/// The highest scrypt work factor Keyward accepts when decrypting (about 14 s and 4 GiB on a
/// laptop; stock `age` refuses above it too). A hostile file cannot ask for more.
pub const MAX_WORK_FACTOR: u8 = 22;
/// The lowest work factor Keyward writes. Below 18 is only for tests and very slow machines.
pub const MIN_WORK_FACTOR: u8 = 10;

/// What opens a vault file.
pub enum Unlock {
    /// The master passphrase of a personal vault.
    Passphrase(SecretString),
    /// age identities (X25519 or SSH private keys) of a team vault's member, and the key that
    /// signs their changes (derived from their age identity; none for an SSH key).
    Identities(Vec<Box<dyn age::Identity + Send + Sync>>, Option<Box<crate::signing::Signer>>),
}

impl Unlock {
    /// The key that signs my changes in a team vault.
    pub fn signer(&self) -> Option<&crate::signing::Signer> {
        match self {
            Unlock::Identities(_, signer) => signer.as_deref(),
            Unlock::Passphrase(_) => None,
        }
    }
}

impl std::fmt::Debug for Unlock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unlock::Passphrase(_) => f.write_str("Unlock::Passphrase([redacted])"),
            Unlock::Identities(ids, _) => write!(f, "Unlock::Identities({} identities)", ids.len()),
        }
    }
}

/// A public key a team vault is encrypted to.
pub type Recipient = Box<dyn age::Recipient + Send>;

const AGE_BINARY_MAGIC: &[u8] = b"age-encryption.org/";
const AGE_V1_MAGIC: &[u8] = b"age-encryption.org/v1\n";
const AGE_ARMOR_MAGIC: &[u8] = b"-----BEGIN AGE ENCRYPTED FILE-----";

/// Whether `bytes` start like an age file (binary or armored).
pub fn looks_like_age(bytes: &[u8]) -> bool {
    let trimmed = bytes.trim_ascii_start();
    bytes.starts_with(AGE_BINARY_MAGIC) || trimmed.starts_with(AGE_ARMOR_MAGIC)
}

/// Whether an age file is protected by a passphrase (scrypt) rather than public keys. Reads
/// only the header; `false` for anything that is not a readable age file.
pub fn is_passphrase_encrypted(bytes: &[u8]) -> bool {
    if bytes.starts_with(AGE_BINARY_MAGIC) {
        age::Decryptor::new_buffered(bytes).is_ok_and(|d| d.is_scrypt())
    } else {
        let reader = std::io::BufReader::new(age::armor::ArmoredReader::new(bytes));
        age::Decryptor::new_buffered(reader).is_ok_and(|d| d.is_scrypt())
    }
}

/// Whether a binary age header has a stanza for a public-key type Keyward uses (X25519, SSH).
/// Armored files are not looked into and count as yes.
fn has_public_key_stanza(bytes: &[u8]) -> bool {
    if !bytes.starts_with(AGE_BINARY_MAGIC) {
        return true;
    }
    bytes
        .split(|&b| b == b'\n')
        .take_while(|line| !line.starts_with(b"---"))
        .any(|line| line.starts_with(b"-> X25519 ") || line.starts_with(b"-> ssh-"))
}

/// Decrypts a vault file's bytes (`path` is only for messages). The plaintext lives in a
/// buffer sized up front (plaintext is never longer than ciphertext) and wiped on drop.
pub fn decrypt(ciphertext: &[u8], unlock: &Unlock, path: &Path) -> Result<Zeroizing<Vec<u8>>> {
    if ciphertext.is_empty() {
        return Err(damaged(path, "the file is empty"));
    }
    if !looks_like_age(ciphertext) {
        return Err(VaultError::NotAgeFile { path: path.to_path_buf() });
    }
    let mut plaintext = Zeroizing::new(Vec::with_capacity(ciphertext.len()));
    let read = if ciphertext.starts_with(AGE_BINARY_MAGIC) {
        decrypt_stream(age::Decryptor::new_buffered(ciphertext), ciphertext, unlock, path)?.read_to_end(&mut plaintext)
    } else {
        // Armored (`age -a`): a slower path that decodes the text first.
        let reader = std::io::BufReader::new(age::armor::ArmoredReader::new(ciphertext));
        decrypt_stream(age::Decryptor::new_buffered(reader), ciphertext, unlock, path)?.read_to_end(&mut plaintext)
    };
    read.map_err(|_| damaged(path, "its encrypted content is truncated or altered"))?;
    Ok(plaintext)
}

fn damaged(path: &Path, reason: &str) -> VaultError {
    VaultError::Damaged { path: path.to_path_buf(), reason: reason.to_string() }
}

/// Checks the header against the kind of unlock given, and unwraps the file key.
fn decrypt_stream<R: std::io::BufRead>(
    decryptor: std::result::Result<age::Decryptor<R>, age::DecryptError>,
    ciphertext: &[u8],
    unlock: &Unlock,
    path: &Path,
) -> Result<age::stream::StreamReader<R>> {
    let damaged = |reason: &str| damaged(path, reason);
    let decryptor = decryptor.map_err(|e| match e {
        // age reports a v1 header it cannot parse as an unknown format too: that is damage.
        age::DecryptError::UnknownFormat if !ciphertext.starts_with(AGE_V1_MAGIC) => VaultError::NotAVault {
            path: path.to_path_buf(),
            reason: "it uses an age format version this Keyward does not know".into(),
        },
        _ => damaged("its header is truncated or altered"),
    })?;

    let passphrase_identity;
    let identities: Vec<&dyn age::Identity> = match unlock {
        Unlock::Passphrase(passphrase) => {
            if !decryptor.is_scrypt() {
                if !has_public_key_stanza(ciphertext) {
                    return Err(damaged("its header names no passphrase and no public key"));
                }
                return Err(VaultError::Invalid(
                    "This vault is encrypted to team members' keys, not a passphrase: open it with your identity."
                        .into(),
                ));
            }
            let mut identity = age::scrypt::Identity::new(passphrase.clone());
            identity.set_max_work_factor(MAX_WORK_FACTOR);
            passphrase_identity = identity;
            vec![&passphrase_identity]
        }
        Unlock::Identities(ids, _) => {
            if decryptor.is_scrypt() {
                return Err(VaultError::Invalid(
                    "This vault is protected by a passphrase, not by member keys: open it with its passphrase.".into(),
                ));
            }
            ids.iter().map(|i| i.as_ref() as &dyn age::Identity).collect()
        }
    };

    decryptor.decrypt(identities.into_iter()).map_err(|e| match e {
        age::DecryptError::DecryptionFailed | age::DecryptError::KeyDecryptionFailed
            if matches!(unlock, Unlock::Passphrase(_)) =>
        {
            VaultError::WrongPassphrase
        }
        age::DecryptError::NoMatchingKeys => VaultError::NoMatchingIdentity,
        age::DecryptError::ExcessiveWork { required, .. } => {
            VaultError::WorkFactorTooHigh { found: required, limit: MAX_WORK_FACTOR }
        }
        age::DecryptError::Io(_) => damaged("it is truncated"),
        _ => damaged("its header is altered"),
    })
}

/// Encrypts with a passphrase at an explicit scrypt work factor (clamped to the allowed range).
pub fn encrypt_with_passphrase(plaintext: &[u8], passphrase: &SecretString, work_factor: u8) -> Vec<u8> {
    let mut recipient = age::scrypt::Recipient::new(passphrase.clone());
    recipient.set_work_factor(work_factor.clamp(MIN_WORK_FACTOR, MAX_WORK_FACTOR));
    let encryptor = age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
        .expect("a single passphrase recipient is always valid");
    write_encrypted(encryptor, plaintext)
}

/// Encrypts to a list of public keys (a team vault).
pub fn encrypt_to_recipients(plaintext: &[u8], recipients: &[Recipient]) -> Result<Vec<u8>> {
    let encryptor = age::Encryptor::with_recipients(recipients.iter().map(|r| r.as_ref() as &dyn age::Recipient))
        .map_err(|e| VaultError::Invalid(format!("Could not encrypt to these members: {e}")))?;
    Ok(write_encrypted(encryptor, plaintext))
}

fn write_encrypted(encryptor: age::Encryptor, plaintext: &[u8]) -> Vec<u8> {
    // Header (~200 bytes a recipient) + 16 bytes of tag per 64 KiB chunk.
    let mut out = Vec::with_capacity(plaintext.len() + plaintext.len() / 4096 + 4096);
    let mut writer = encryptor.wrap_output(&mut out).expect("writing to memory cannot fail");
    writer.write_all(plaintext).expect("writing to memory cannot fail");
    writer.finish().expect("writing to memory cannot fail");
    out
}

/// Parses a public key: `age1…` (X25519) or an `ssh-ed25519` / `ssh-rsa` public key line.
pub fn parse_recipient(text: &str) -> Result<Recipient> {
    let text = text.trim();
    if let Ok(r) = text.parse::<age::x25519::Recipient>() {
        return Ok(Box::new(r));
    }
    if let Ok(r) = text.parse::<age::ssh::Recipient>() {
        return Ok(Box::new(r));
    }
    Err(VaultError::Invalid(
        "That is not a public key Keyward can use: paste an age key (age1…) or an ssh-ed25519 / ssh-rsa public key line."
            .into(),
    ))
}

/// Parses an age identity file (as written by `age-keygen`): one or more `AGE-SECRET-KEY-1…` lines.
pub fn parse_identity_file(text: &str) -> Result<Unlock> {
    let invalid = || VaultError::Invalid("That file holds no age identity (AGE-SECRET-KEY-1…).".into());
    let file = age::IdentityFile::from_buffer(text.as_bytes()).map_err(|_| invalid())?;
    let identities = file.into_identities().map_err(|_| invalid())?;
    if identities.is_empty() {
        return Err(invalid());
    }
    Ok(Unlock::Identities(identities, crate::signing::Signer::from_identity_text(text).map(Box::new)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pass(p: &str) -> Unlock {
        Unlock::Passphrase(SecretString::from(p.to_string()))
    }

    #[test]
    fn passphrase_round_trip_and_wrong_passphrase() {
        let ct = encrypt_with_passphrase(b"hello", &SecretString::from("right".to_string()), 10);
        let p = Path::new("v");
        assert_eq!(&decrypt(&ct, &pass("right"), p).unwrap()[..], b"hello");
        assert!(matches!(decrypt(&ct, &pass("wrong"), p), Err(VaultError::WrongPassphrase)));
    }

    #[test]
    fn work_factor_above_the_cap_is_refused_without_running_scrypt() {
        // Stanza claims log_n 30: must be refused at once.
        let ct = encrypt_with_passphrase(b"x", &SecretString::from("p".to_string()), 10);
        let text = String::from_utf8_lossy(&ct).into_owned();
        let header_end = text.find("\n-> scrypt ").unwrap();
        let line_end = header_end + 1 + text[header_end + 1..].find('\n').unwrap();
        let mut forged = ct[..line_end - 2].to_vec();
        forged.extend_from_slice(b"30");
        forged.extend_from_slice(&ct[line_end..]);
        let err = decrypt(&forged, &pass("p"), Path::new("v")).unwrap_err();
        assert!(matches!(err, VaultError::WorkFactorTooHigh { found: 30, limit: 22 }), "{err:?}");
    }

    #[test]
    fn recipients_round_trip() {
        let id = age::x25519::Identity::generate();
        let recipient = parse_recipient(&id.to_public().to_string()).unwrap();
        let ct = encrypt_to_recipients(b"team", &[recipient]).unwrap();
        use age::secrecy::ExposeSecret;
        let unlock = parse_identity_file(id.to_string().expose_secret()).unwrap();
        assert_eq!(&decrypt(&ct, &unlock, Path::new("v")).unwrap()[..], b"team");
        let other = parse_identity_file(age::x25519::Identity::generate().to_string().expose_secret()).unwrap();
        assert!(matches!(decrypt(&ct, &other, Path::new("v")), Err(VaultError::NoMatchingIdentity)));
        assert!(parse_recipient("not a key").is_err());
    }

    #[test]
    fn armored_files_open_too() {
        let mut recipient = age::scrypt::Recipient::new(SecretString::from("pw".to_string()));
        recipient.set_work_factor(10);
        let armored = age::encrypt_and_armor(&recipient, b"armored").unwrap();
        assert!(armored.starts_with("-----BEGIN AGE ENCRYPTED FILE-----"));
        assert_eq!(&decrypt(armored.as_bytes(), &pass("pw"), Path::new("v")).unwrap()[..], b"armored");
        let cut = &armored.as_bytes()[..armored.len() - 60];
        assert!(matches!(decrypt(cut, &pass("pw"), Path::new("v")), Err(VaultError::Damaged { .. })));
    }

    #[test]
    fn non_age_and_empty_input() {
        assert!(matches!(decrypt(b"", &pass("p"), Path::new("v")), Err(VaultError::Damaged { .. })));
        assert!(matches!(decrypt(b"{\"a\":1}", &pass("p"), Path::new("v")), Err(VaultError::NotAgeFile { .. })));
    }
}
