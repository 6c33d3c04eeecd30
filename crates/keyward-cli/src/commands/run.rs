//! `run`: start a program with keys in its environment; its exit code becomes ours.

use crate::context::Context;
use crate::input;
use keyward_core::{Document, VaultError, provider};
use std::ffi::OsString;
use std::process::Command as Process;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Run a command with keys in its environment: --env VAR=NAME (or --env NAME for the key's own variable)
    Run {
        #[arg(long = "env", value_name = "VAR=NAME", required = true)]
        env: Vec<String>,
        /// The command and its arguments, after --
        #[arg(last = true, required = true, value_name = "CMD")]
        command: Vec<OsString>,
    },
}

/// Runs the command; its exit code becomes ours (above 255, on Windows, still a failure).
pub fn dispatch(ctx: &Context, command: Command) -> Result<u8, VaultError> {
    let Command::Run { env, command } = command;
    let code = run(ctx, &env, &command)?;
    Ok(u8::try_from(code).unwrap_or(1))
}

/// Returns the program's exit code (only on platforms where it cannot replace this process).
pub fn run(ctx: &Context, mappings: &[String], command: &[OsString]) -> Result<i32, VaultError> {
    let mut vault = ctx.open()?;
    // A variable a teammate chose is used only once I confirmed it on this device.
    for m in mappings.iter().filter(|m| !m.contains('=')) {
        let id = vault.id_of(m.trim())?;
        let entry = vault.document()?.get(m.trim())?;
        keyward_core::env_guard::check_stored(&entry.name, &entry.env_var)?;
        let asked: Vec<_> = vault
            .consents(&id)?
            .into_iter()
            .filter(|c| matches!(c.asked, keyward_core::consent::Asked::EnvVar { .. }))
            .collect();
        if let Some(refused) = asked.iter().find(|c| !crate::context::confirm(c)) {
            return Err(VaultError::Invalid(format!(
                "{} Confirm it with `keyward trust {}`, or name the variable yourself (--env VAR={}).",
                refused.sentence(),
                m.trim(),
                m.trim()
            )));
        }
        // Only the variable was asked about: a base URL the teammate set stays unconfirmed.
        vault.give_consents(&asked)?;
    }
    let mut cmd = Process::new(&command[0]);
    cmd.args(&command[1..]);
    // The program gets the keys it was given, never the master passphrase.
    for var in input::PASSPHRASE_VARS {
        cmd.env_remove(var);
    }
    for (var, value) in resolve(vault.document()?, mappings)? {
        cmd.env(var, value.expose());
    }
    // The decrypted vault is wiped before the program starts.
    drop(vault);
    let program = command[0].to_string_lossy().into_owned();
    let not_started = |e: std::io::Error| VaultError::Invalid(format!("Could not run {program}: {}.", e.kind()));
    #[cfg(unix)]
    {
        // Replace this process: signals and the exit code go straight to and from the program.
        use std::os::unix::process::CommandExt;
        Err(not_started(cmd.exec()))
    }
    #[cfg(not(unix))]
    {
        let status = cmd.status().map_err(not_started)?;
        Ok(status.code().unwrap_or(1))
    }
}

/// `VAR=NAME` → (VAR, NAME's key); `NAME` → (NAME's own variable, its key).
fn resolve(doc: &Document, mappings: &[String]) -> Result<Vec<(String, keyward_core::Secret)>, VaultError> {
    mappings
        .iter()
        .map(|m| {
            let (var, name) = match m.split_once('=') {
                Some((var, name)) => (Some(var.trim()), name.trim()),
                None => (None, m.trim()),
            };
            let entry = doc.get(name)?;
            // A variable from the vault (which a teammate may have set) must not control what
            // the program runs; one the user spelled here is their own choice.
            let var = match var {
                Some(var) => var.to_string(),
                None => {
                    keyward_core::env_guard::check_stored(&entry.name, &entry.env_var)?;
                    entry.env_var.clone()
                }
            };
            if !provider::is_valid_env_var(&var) {
                return Err(VaultError::Invalid(format!("\"{var}\" is not a valid environment variable name.")));
            }
            Ok((var, entry.secret.clone()))
        })
        .collect()
}
