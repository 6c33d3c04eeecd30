//! `init`, `passwd`, `remember`, `forget`: creating a vault, changing its passphrase, and
//! remembering it on this device.

use crate::context::Context;
use crate::input;
use keyward_core::VaultError;
use keyward_core::api::Credentials;
use std::path::Path;

pub fn init(ctx: &Context, work_factor: u8) -> Result<(), VaultError> {
    if ctx.vault_path.exists() {
        return Err(VaultError::AlreadyExists { path: ctx.vault_path.clone() });
    }
    let passphrase = input::new_passphrase(ctx.passphrase_file.as_deref(), input::new_passphrase_env(true))?;
    if work_factor < keyward_core::document::DEFAULT_WORK_FACTOR {
        eprintln!("warning: work factor {work_factor} is below the default of 18: the passphrase is easier to guess.");
    }
    ctx.session().create(passphrase, work_factor)?;
    println!("Created an empty vault at {}.", ctx.vault_path.display());
    println!("Keep your passphrase safe: it cannot be recovered. Add a key with `keyward add NAME`.");
    Ok(())
}

pub fn passwd(ctx: &Context, new_file: Option<&Path>, identity: bool) -> Result<(), VaultError> {
    if identity {
        return passwd_identity(ctx, new_file);
    }
    let mut vault = ctx.open()?;
    if vault.document()?.is_team() {
        // What opens a team vault is my identity: its passphrase is the one to change.
        drop(vault);
        return passwd_identity(ctx, new_file);
    }
    let new = input::new_passphrase(new_file, input::new_passphrase_env(false))?;
    let remembered = vault.status().remembered;
    // The passphrase was proven by opening the vault in this command.
    let removed = vault.change_passphrase(None, new)?;
    println!("The passphrase of {} was changed.", ctx.vault_path.display());
    if remembered {
        if vault.status().remembered {
            println!("The passphrase remembered on this device was updated.");
        } else {
            eprintln!("keyward: the OS keyring could not be updated. The old passphrase was forgotten.");
        }
    }
    if removed > 0 {
        println!("Its {removed} backup(s), which the old passphrase still opened, were deleted.");
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
    let path = ctx.device.identity_path();
    if !path.exists() {
        return Err(VaultError::NoIdentity { path });
    }
    let current = input::passphrase(ctx.passphrase_file.as_deref())?;
    let new = input::new_passphrase(new_file, input::new_passphrase_env(false))?;
    keyward_core::identity::change_passphrase(&path, current, &new, keyward_core::document::DEFAULT_WORK_FACTOR)?;
    println!("The passphrase of your identity ({}) was changed; it opens your team vaults.", path.display());
    // A passphrase remembered for a team vault is the identity's: it no longer works.
    if ctx.session().forget().unwrap_or(false) {
        println!(
            "The passphrase remembered on this device for this vault was forgotten; `keyward remember` keeps the new one."
        );
    }
    Ok(())
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
    let mut session = ctx.session();
    let mut nobody = Credentials::nobody_to_ask;
    let mut how =
        Credentials { passphrase: Some(passphrase.clone()), identity_file: None, remembered: false, ask: &mut nobody };
    session.unlock(&mut how, &mut |_| false)?;
    session.remember(&passphrase)?;
    println!(
        "The passphrase of {} is remembered on this device, in the OS keyring. `keyward forget` undoes it.",
        ctx.vault_path.display()
    );
    Ok(())
}

pub fn forget(ctx: &Context) -> Result<(), VaultError> {
    if ctx.session().forget()? {
        println!("Forgot the passphrase of {} on this device.", ctx.vault_path.display());
    } else {
        println!("{} was not remembered on this device.", ctx.vault_path.display());
    }
    Ok(())
}
