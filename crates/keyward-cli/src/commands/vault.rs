//! `init`, `passwd`, `remember`, `forget`: creating a vault, changing its passphrase, and
//! remembering it on this device.

use crate::context::{self, Context};
use crate::input;
use keyward_core::remember;
use keyward_core::{Vault, VaultError};
use std::path::Path;

pub fn init(ctx: &Context, work_factor: u8) -> Result<(), VaultError> {
    if ctx.vault_path.exists() {
        return Err(VaultError::AlreadyExists { path: ctx.vault_path.clone() });
    }
    if let Some(dir) = ctx.vault_path.parent().filter(|d| !d.as_os_str().is_empty()) {
        create_private_dir(dir)?;
    }
    let passphrase = input::new_passphrase(ctx.passphrase_file.as_deref(), input::new_passphrase_env(true))?;
    if work_factor < keyward_core::document::DEFAULT_WORK_FACTOR {
        eprintln!("warning: work factor {work_factor} is below the default of 18: the passphrase is easier to guess.");
    }
    Vault::create(&ctx.vault_path, passphrase, work_factor)?;
    println!("Created an empty vault at {}.", ctx.vault_path.display());
    println!("Keep your passphrase safe: it cannot be recovered. Add a key with `keyward add NAME`.");
    Ok(())
}

pub fn passwd(ctx: &Context, new_file: Option<&Path>, identity: bool) -> Result<(), VaultError> {
    if identity {
        return passwd_identity(ctx, new_file);
    }
    let mut vault = ctx.open()?;
    if vault.document().is_team() {
        // What opens a team vault is my identity: its passphrase is the one to change.
        drop(vault);
        return passwd_identity(ctx, new_file);
    }
    let new = input::new_passphrase(new_file, input::new_passphrase_env(false))?;
    let report = vault.change_passphrase(new.clone())?;
    println!("The passphrase of {} was changed.", ctx.vault_path.display());
    // The keyring follows: the old passphrase is not kept anywhere.
    match remember::follow_new_passphrase(&context::data_dir()?, &ctx.vault_path, &vault.document().vault_id, &new) {
        Ok(true) => println!("The passphrase remembered on this device was updated."),
        Ok(false) => {}
        Err(e) => eprintln!("keyward: {e} The old one was forgotten."),
    }
    if report.backups_removed > 0 {
        println!("Its {} backup(s), which the old passphrase still opened, were deleted.", report.backups_removed);
    }
    Ok(())
}

/// `passwd --identity` (and `passwd` on a team vault): a new passphrase for my identity; the
/// key stays, so every team vault still opens.
fn passwd_identity(ctx: &Context, new_file: Option<&Path>) -> Result<(), VaultError> {
    if ctx.identity_file.is_some() {
        return Err(VaultError::Invalid(
            "KEYWARD_IDENTITY_FILE is a plain identity file: it has no passphrase to change.".into(),
        ));
    }
    let path = context::identity_path()?;
    if !path.exists() {
        return Err(VaultError::NoIdentity { path });
    }
    let current = input::passphrase(ctx.passphrase_file.as_deref())?;
    let new = input::new_passphrase(new_file, input::new_passphrase_env(false))?;
    keyward_core::identity::change_passphrase(&path, current, &new, keyward_core::document::DEFAULT_WORK_FACTOR)?;
    println!("The passphrase of your identity ({}) was changed; it opens your team vaults.", path.display());
    // A passphrase remembered for a team vault is the identity's: it no longer works.
    if remember::forget(&context::data_dir()?, &ctx.vault_path).unwrap_or(false) {
        println!(
            "The passphrase remembered on this device for this vault was forgotten; `keyward remember` keeps the new one."
        );
    }
    Ok(())
}

pub fn create_private_dir(dir: &Path) -> Result<(), VaultError> {
    if dir.exists() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir).map_err(|e| VaultError::io(dir, e))
}

pub fn remember(ctx: &Context) -> Result<(), VaultError> {
    if !ctx.vault_path.exists() {
        return Err(VaultError::NoVault { path: ctx.vault_path.clone() });
    }
    let bytes = keyward_core::atomic_file::read(&ctx.vault_path)?;
    if !keyward_core::crypto::is_passphrase_encrypted(&bytes) && ctx.identity_file.is_some() {
        return Err(VaultError::Invalid(
            "With KEYWARD_IDENTITY_FILE no passphrase is needed: there is nothing to remember.".into(),
        ));
    }
    // The passphrase is asked (not taken from the keyring) and proven by opening the vault.
    let passphrase = input::passphrase(ctx.passphrase_file.as_deref())?;
    let identity = context::identity_path()?;
    let (unlock, _) = keyward_core::identity::unlock_with_passphrase(&bytes, passphrase.clone(), &identity)?;
    let vault = keyward_core::Vault::open(&ctx.vault_path, unlock)?;
    remember::remember(&context::data_dir()?, &ctx.vault_path, &vault.document().vault_id, &passphrase)?;
    println!(
        "The passphrase of {} is remembered on this device, in the OS keyring. `keyward forget` undoes it.",
        ctx.vault_path.display()
    );
    Ok(())
}

pub fn forget(ctx: &Context) -> Result<(), VaultError> {
    if remember::forget(&context::data_dir()?, &ctx.vault_path)? {
        println!("Forgot the passphrase of {} on this device.", ctx.vault_path.display());
    } else {
        println!("{} was not remembered on this device.", ctx.vault_path.display());
    }
    Ok(())
}
