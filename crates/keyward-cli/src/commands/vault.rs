//! `init`, `passwd`, `remember`, `forget`: creating a vault, changing its passphrase, and
//! remembering it on this device.

use crate::context::Context;
use crate::input;
use keyward_core::VaultError;
use keyward_core::api::Credentials;
use std::path::Path;
use std::path::PathBuf;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Create a new vault (never overwrites an existing file): personal, or --team
    Init {
        /// scrypt work factor (log2 N) of the passphrase (the vault's, or your identity's when
        /// one is created). 18 opens in about a second; lower is weaker
        #[arg(long, default_value_t = keyward_core::document::DEFAULT_WORK_FACTOR,
              value_parser = clap::value_parser!(u8).range(10..=22))]
        work_factor: u8,
        /// A team vault, encrypted to its members' public keys, with you as its first member
        #[arg(long)]
        team: bool,
        /// Your name in the team (default: your user name)
        #[arg(long = "name", value_name = "NAME", requires = "team")]
        member_name: Option<String>,
    },
    /// Remember the passphrase of this vault on this device, in the OS keyring (never in a file):
    /// later commands here need no passphrase
    Remember,
    /// Forget the passphrase remembered on this device for this vault
    Forget,
    /// Change the master passphrase (new one from the terminal, KEYWARD_NEW_PASSPHRASE or
    /// --new-passphrase-file); for a team vault, the passphrase of your identity
    Passwd {
        #[arg(long, value_name = "FILE")]
        new_passphrase_file: Option<PathBuf>,
        /// Change the passphrase of your Keyward identity (what opens your team vaults)
        #[arg(long)]
        identity: bool,
    },
}

pub fn dispatch(ctx: &Context, command: Command) -> Result<u8, VaultError> {
    match command {
        Command::Init { work_factor, team: false, .. } => init(ctx, work_factor)?,
        Command::Init { work_factor, team: true, member_name } => {
            super::team::init_team(ctx, member_name.as_deref(), work_factor)?
        }
        Command::Remember => remember(ctx)?,
        Command::Forget => forget(ctx)?,
        Command::Passwd { new_passphrase_file, identity } => passwd(ctx, new_passphrase_file.as_deref(), identity)?,
    }
    Ok(0)
}

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
