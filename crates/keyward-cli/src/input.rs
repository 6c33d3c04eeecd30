//! Getting secrets from the user: the master passphrase (file, environment or hidden prompt)
//! and key values (piped stdin or hidden prompt). Never from the command line.

use keyward_core::{Secret, SecretString, VaultError};
use std::io::{IsTerminal, Read};
use std::path::Path;
use zeroize::Zeroizing;

const PASSPHRASE_ENV: &str = "KEYWARD_PASSPHRASE";
const NEW_PASSPHRASE_ENV: &str = "KEYWARD_NEW_PASSPHRASE";
/// Environment variables that may hold a passphrase (never passed on to other programs).
pub const PASSPHRASE_VARS: [&str; 2] = [PASSPHRASE_ENV, NEW_PASSPHRASE_ENV];

/// Whether KEYWARD_PASSPHRASE is set (then it is used, before the OS keyring).
pub fn passphrase_in_env() -> bool {
    std::env::var_os(PASSPHRASE_ENV).is_some_and(|v| !v.is_empty())
}

/// The passphrase of an existing vault.
pub fn passphrase(file: Option<&Path>) -> Result<SecretString, VaultError> {
    if let Some(file) = file {
        return from_file(file);
    }
    if let Some(p) = from_env(PASSPHRASE_ENV) {
        return Ok(p);
    }
    prompt("Passphrase: ")
}

/// A new passphrase: from a file or the environment, else asked twice on the terminal.
pub fn new_passphrase(file: Option<&Path>, env_var: &str) -> Result<SecretString, VaultError> {
    let p = if let Some(file) = file {
        from_file(file)?
    } else if let Some(p) = from_env(env_var) {
        p
    } else {
        let first = prompt("New passphrase: ")?;
        let second = prompt("Repeat it: ")?;
        use keyward_core::ExposeSecret;
        if first.expose_secret() != second.expose_secret() {
            return Err(VaultError::Invalid("The two passphrases differ; nothing was changed.".into()));
        }
        first
    };
    check_new(&p)?;
    Ok(p)
}

/// `KEYWARD_PASSPHRASE` for `init`, `KEYWARD_NEW_PASSPHRASE` for `passwd`.
pub fn new_passphrase_env(for_init: bool) -> &'static str {
    if for_init { PASSPHRASE_ENV } else { NEW_PASSPHRASE_ENV }
}

/// Refuses a trivially guessable new passphrase (the core's rule, also the app's).
fn check_new(p: &SecretString) -> Result<(), VaultError> {
    keyward_core::passphrase::acceptable(p)
}

fn from_env(var: &str) -> Option<SecretString> {
    std::env::var(var).ok().filter(|v| !v.is_empty()).map(SecretString::from)
}

fn from_file(path: &Path) -> Result<SecretString, VaultError> {
    let text = Zeroizing::new(std::fs::read_to_string(path).map_err(|e| VaultError::io(path, e))?);
    let line = text.lines().next().unwrap_or("");
    Ok(SecretString::from(line.to_string()))
}

fn prompt(label: &str) -> Result<SecretString, VaultError> {
    rpassword::prompt_password(label).map(SecretString::from).map_err(|_| {
        VaultError::Invalid(
            "No passphrase: there is no terminal to ask on. Set KEYWARD_PASSPHRASE or use --passphrase-file.".into(),
        )
    })
}

/// A key value: all of stdin when it is piped (trailing newline removed), else a hidden prompt.
pub fn secret(name: &str) -> Result<Secret, VaultError> {
    let stdin = std::io::stdin();
    let value = if stdin.is_terminal() {
        Zeroizing::new(
            rpassword::prompt_password(format!("Paste the key for \"{name}\" (it will not be shown): "))
                .map_err(|_| VaultError::Invalid("Could not read the key from the terminal.".into()))?,
        )
    } else {
        secret_from_stdin()?
    };
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(VaultError::Invalid("The key is empty; nothing was saved.".into()));
    }
    Ok(Secret::new(trimmed.to_string()))
}

/// All of stdin, in a buffer wiped on drop.
fn secret_from_stdin() -> Result<Zeroizing<String>, VaultError> {
    let mut buf = Zeroizing::new(String::with_capacity(4096));
    std::io::stdin()
        .read_to_string(&mut buf)
        .map_err(|_| VaultError::Invalid("Could not read the key from standard input (is it text?).".into()))?;
    Ok(buf)
}
