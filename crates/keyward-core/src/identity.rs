//! A person's identity for team vaults: an age X25519 key pair. The private half is kept in an
//! age file encrypted under the person's master passphrase (stock `age -d` opens it and gives a
//! normal age identity file); the public half (`age1…`) is what they share, kept beside it in
//! plain text so that showing it needs no passphrase.

use crate::crypto::{self, Unlock};
use crate::error::{Result, VaultError};
use crate::{SecretString, atomic_file};
use age::secrecy::ExposeSecret;
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

/// An unlocked identity: what opens team vaults, and the public key that names it.
pub struct Identity {
    pub unlock: Unlock,
    /// `age1…`, or an SSH public key line for an SSH identity.
    pub public_key: String,
}

impl Identity {
    /// What I share to be added to a team vault: my public key and, when I can sign changes,
    /// my signing key (`age1… ed25519:…`).
    pub fn member_line(&self) -> String {
        match self.unlock.signer() {
            Some(signer) => signer.member_line(),
            None => self.public_key.clone(),
        }
    }

    /// The fingerprint others see for me in the Team panel and `member list`.
    pub fn fingerprint(&self) -> String {
        match self.unlock.signer() {
            Some(signer) => signer.fingerprint(),
            None => crate::signing::fingerprint_of_text(&crate::members::key_id(&self.public_key)),
        }
    }
}

impl std::fmt::Debug for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Identity({})", self.public_key)
    }
}

/// The plain-text public key file beside an identity file (`identity.age` → `identity.pub`).
pub fn public_key_path(path: &Path) -> PathBuf {
    path.with_extension("pub")
}

/// The public key of the identity at `path`, without unlocking it.
pub fn public_key(path: &Path) -> Result<String> {
    Ok(crate::members::parse_member_line(&public_line(path)?)?.public_key)
}

/// The member line of the identity at `path` (`age1… ed25519:…`), without unlocking it; an
/// identity from before signed team vaults has the public key alone there until
/// [`write_public_line`] (which needs it unlocked) adds the signing key.
pub fn public_line(path: &Path) -> Result<String> {
    let pub_path = public_key_path(path);
    let text = std::fs::read_to_string(&pub_path).map_err(|e| VaultError::io(&pub_path, e))?;
    let line = text.lines().map(str::trim).find(|l| !l.is_empty() && !l.starts_with('#')).unwrap_or("");
    crate::members::parse_member_line(line)?;
    Ok(line.to_string())
}

/// Writes the member line of an unlocked identity beside it (replacing an older public key file).
pub fn write_public_line(path: &Path, me: &Identity) -> Result<()> {
    atomic_file::replace_without_backups(&public_key_path(path), format!("{}\n", me.member_line()).as_bytes())
}

/// Re-encrypts the identity at `path` under a new passphrase (the key itself stays, so every
/// team vault still opens). Needs the current passphrase.
pub fn change_passphrase(path: &Path, current: SecretString, new: &SecretString, work_factor: u8) -> Result<Identity> {
    let bytes = atomic_file::read(path).map_err(|e| match e {
        VaultError::NotFound { path } => VaultError::NoIdentity { path },
        e => e,
    })?;
    let text = crypto::decrypt(&bytes, &Unlock::Passphrase(current), path)?;
    let identity = std::str::from_utf8(&text).map_err(|_| damaged(path)).and_then(from_identity_text)?;
    let encrypted = crypto::encrypt_with_passphrase(&text, new, work_factor);
    atomic_file::replace(path, &encrypted)?;
    // The backups are still readable with the old passphrase.
    atomic_file::remove_backups(path);
    Ok(identity)
}

/// Creates a new identity at `path`, encrypted under `passphrase`. Refuses if one exists.
pub fn create(path: &Path, passphrase: &SecretString, work_factor: u8) -> Result<Identity> {
    if path.exists() {
        return Err(VaultError::AlreadyExists { path: path.to_path_buf() });
    }
    let secret = age::x25519::Identity::generate();
    let public_key = secret.to_public().to_string();
    let text = Zeroizing::new(format!(
        "# Keyward identity. Public key: {public_key}\n# created: {}\n{}\n",
        chrono::Utc::now().format("%F %T UTC"),
        secret.to_string().expose_secret()
    ));
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| VaultError::io(dir, e))?;
    }
    let encrypted = crypto::encrypt_with_passphrase(text.as_bytes(), passphrase, work_factor);
    let unlock = crypto::parse_identity_file(text.as_str())?;
    let me = Identity { unlock, public_key };
    let line = format!("{}\n", me.member_line());
    atomic_file::create_new(&public_key_path(path), line.as_bytes()).or_else(|e| match e {
        // A stale public key file from an identity that was deleted: replace it.
        VaultError::AlreadyExists { .. } => atomic_file::replace(&public_key_path(path), line.as_bytes()),
        e => Err(e),
    })?;
    atomic_file::create_new(path, &encrypted)?;
    Ok(me)
}

/// Unlocks the identity at `path` with the passphrase.
pub fn open(path: &Path, passphrase: SecretString) -> Result<Identity> {
    let bytes = atomic_file::read(path).map_err(|e| match e {
        VaultError::NotFound { path } => VaultError::NoIdentity { path },
        e => e,
    })?;
    let text = crypto::decrypt(&bytes, &Unlock::Passphrase(passphrase), path)?;
    let text = std::str::from_utf8(&text).map_err(|_| damaged(path))?;
    let me = from_identity_text(text).map_err(|_| damaged(path))?;
    // An identity from before signed team vaults: its signing key is written beside it, so
    // that showing the member line needs no passphrase.
    if public_line(path).is_ok_and(|line| !line.contains(crate::signing::PUBLIC_KEY_PREFIX)) {
        let _ = write_public_line(path, &me);
    }
    Ok(me)
}

/// What opens a vault file with these bytes, given the person's passphrase: the passphrase
/// itself for a personal vault; for a team vault, their identity at `identity_path`, which
/// the passphrase unlocks (its public key is returned too).
pub fn unlock_with_passphrase(
    bytes: &[u8],
    passphrase: SecretString,
    identity_path: &Path,
) -> Result<(Unlock, Option<String>)> {
    if !crypto::looks_like_age(bytes) || crypto::is_passphrase_encrypted(bytes) {
        return Ok((Unlock::Passphrase(passphrase), None));
    }
    let me = open(identity_path, passphrase)?;
    Ok((me.unlock, Some(me.public_key)))
}

/// Reads a plain (unencrypted) identity file: an age identity file as `age-keygen` writes it,
/// or an unencrypted OpenSSH private key (`KEYWARD_IDENTITY_FILE`, for CI and age users).
pub fn from_plain_file(path: &Path) -> Result<Identity> {
    let text = Zeroizing::new(std::fs::read_to_string(path).map_err(|e| VaultError::io(path, e))?);
    if text.contains("-----BEGIN OPENSSH PRIVATE KEY-----") {
        let id = age::ssh::Identity::from_buffer(text.as_bytes(), Some(path.display().to_string())).map_err(|_| {
            VaultError::Invalid(format!("{} is not an SSH private key Keyward can read.", path.display()))
        })?;
        if !matches!(id, age::ssh::Identity::Unencrypted(_)) {
            return Err(VaultError::Invalid(format!(
                "{} is a passphrase-protected or unsupported SSH key; use an unencrypted key or an age identity.",
                path.display()
            )));
        }
        let pub_path = path.with_extension("pub");
        let public_key = std::fs::read_to_string(&pub_path)
            .map(|t| t.trim().to_string())
            .map_err(|_| VaultError::Invalid(format!("The SSH public key {} is missing.", pub_path.display())))?;
        // An SSH key opens the vault but does not sign: its holder is a read-only member.
        return Ok(Identity { unlock: Unlock::Identities(vec![Box::new(id)], None), public_key });
    }
    from_identity_text(&text)
}

/// An identity from the text of an age identity file (the first key names it).
fn from_identity_text(text: &str) -> Result<Identity> {
    let unlock = crypto::parse_identity_file(text)?;
    let first = text.lines().map(str::trim).find(|l| l.starts_with("AGE-SECRET-KEY-1")).unwrap_or("");
    let secret: age::x25519::Identity = first
        .parse()
        .map_err(|_| VaultError::Invalid("That file holds no age identity (AGE-SECRET-KEY-1…).".into()))?;
    Ok(Identity { unlock, public_key: secret.to_public().to_string() })
}

fn damaged(path: &Path) -> VaultError {
    VaultError::Damaged { path: path.to_path_buf(), reason: "it does not hold an age identity".into() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pass(p: &str) -> SecretString {
        SecretString::from(p.to_string())
    }

    #[test]
    fn create_open_and_public_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("identity.age");
        let created = create(&path, &pass("pw"), 10).unwrap();
        assert!(created.public_key.starts_with("age1"));
        assert_eq!(public_key(&path).unwrap(), created.public_key);
        let opened = open(&path, pass("pw")).unwrap();
        assert_eq!(opened.public_key, created.public_key);
        assert_eq!(public_line(&path).unwrap(), created.member_line());
        assert!(created.member_line().contains(" ed25519:"), "{}", created.member_line());

        // A new passphrase: the same key, the old passphrase no longer opens it.
        let changed = change_passphrase(&path, pass("pw"), &pass("new pw"), 10).unwrap();
        assert_eq!(changed.member_line(), created.member_line());
        assert!(matches!(open(&path, pass("pw")), Err(VaultError::WrongPassphrase)));
        assert_eq!(open(&path, pass("new pw")).unwrap().public_key, created.public_key);
        assert!(matches!(change_passphrase(&path, pass("pw"), &pass("x"), 10), Err(VaultError::WrongPassphrase)));
        assert!(matches!(open(&path, pass("wrong")), Err(VaultError::WrongPassphrase)));
        assert!(matches!(create(&path, &pass("pw"), 10), Err(VaultError::AlreadyExists { .. })));
        let missing = dir.path().join("none.age");
        assert!(matches!(open(&missing, pass("pw")), Err(VaultError::NoIdentity { .. })));
    }

    #[test]
    fn plain_age_identity_file() {
        let dir = tempfile::tempdir().unwrap();
        let id = age::x25519::Identity::generate();
        let path = dir.path().join("key.txt");
        std::fs::write(&path, format!("# comment\n{}\n", id.to_string().expose_secret())).unwrap();
        assert_eq!(from_plain_file(&path).unwrap().public_key, id.to_public().to_string());
        std::fs::write(&path, "nothing here").unwrap();
        assert!(from_plain_file(&path).is_err());
    }
}
