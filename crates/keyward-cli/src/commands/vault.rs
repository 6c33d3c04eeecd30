//! `init` and `passwd`: creating a vault and changing its passphrase.

use crate::context::Context;
use crate::input;
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

pub fn passwd(ctx: &Context, new_file: Option<&Path>) -> Result<(), VaultError> {
    let mut vault = ctx.open()?;
    let new = input::new_passphrase(new_file, input::new_passphrase_env(false))?;
    let report = vault.change_passphrase(new)?;
    println!("The passphrase of {} was changed.", ctx.vault_path.display());
    if report.backups_removed > 0 {
        println!("Its {} backup(s), which the old passphrase still opened, were deleted.", report.backups_removed);
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
