//! `guard`: git hooks that refuse a commit or a push adding one of your stored keys, with the
//! vault locked and no passphrase asked (they read this device's guard index).

use crate::context::Context;
use keyward_core::VaultError;
use keyward_core::guard::{Index, hooks, staged};
use std::io::Read;
use std::path::PathBuf;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Stop commits and pushes that would leak one of your keys (git hooks; any hook already
    /// there still runs after it)
    Guard {
        #[command(subcommand)]
        command: GuardCommand,
    },
}

#[derive(Debug, clap::Subcommand)]
pub enum GuardCommand {
    /// Install the pre-commit and pre-push hooks in a repository (default: the current one), or
    /// for every repository with --global
    Install {
        repo: Option<PathBuf>,
        #[arg(long, conflicts_with = "repo")]
        global: bool,
    },
    /// Remove them, and put back the hooks (or hooks folder) that were there before
    Uninstall {
        repo: Option<PathBuf>,
        #[arg(long, conflicts_with = "repo")]
        global: bool,
    },
    /// What the hooks run: check the staged changes (--commit) or the commits being pushed
    /// (--push, their list on standard input)
    #[command(hide = true)]
    Check {
        #[arg(long, conflicts_with = "push")]
        commit: bool,
        #[arg(long)]
        push: bool,
        /// The hook's own arguments (a push's remote), ignored
        rest: Vec<String>,
    },
}

pub fn dispatch(ctx: &Context, command: Command) -> Result<u8, VaultError> {
    let Command::Guard { command } = command;
    let global_dir = ctx.device.data_dir.join("git-hooks");
    let keyward = std::env::current_exe()
        .map_err(|e| VaultError::Invalid(format!("Where keyward is could not be found: {e}")))?;
    match command {
        GuardCommand::Install { global: true, .. } => {
            let done = hooks::install_global(&global_dir, &keyward)?;
            println!(
                "Every repository's commits and pushes are now checked for your keys (hooks in {}).",
                done.dir.display()
            );
            for previous in done.chained {
                println!("The hooks of {previous} still run after the check.");
            }
        }
        GuardCommand::Install { repo, .. } => {
            let done = hooks::install(&repo.unwrap_or_else(|| PathBuf::from(".")), &keyward)?;
            println!(
                "Commits and pushes of this repository are now checked for your keys (hooks in {}).",
                done.dir.display()
            );
            for hook in done.chained {
                println!("The {hook} hook that was there still runs after the check.");
            }
        }
        GuardCommand::Uninstall { global: true, .. } => {
            hooks::uninstall_global(&global_dir)?;
            println!("The guard's global hooks are removed; git's hooks setting is what it was before.");
        }
        GuardCommand::Uninstall { repo, .. } => {
            let done = hooks::uninstall(&repo.unwrap_or_else(|| PathBuf::from(".")))?;
            println!("The guard's hooks are removed from {}.", done.dir.display());
            for hook in done.chained {
                println!("The {hook} hook that was there before is back.");
            }
        }
        GuardCommand::Check { commit: _, push, rest: _ } => return check(ctx, push),
    }
    Ok(0)
}

/// Exits with 1 (the hook refuses) when a stored key is added.
fn check(ctx: &Context, push: bool) -> Result<u8, VaultError> {
    let Some(index) = Index::read(&ctx.device.data_dir)? else {
        eprintln!("keyward guard: no key of yours is known on this device yet (unlock your vault once); not checked.");
        return Ok(0);
    };
    let repo = PathBuf::from(".");
    let blocked = if push {
        let mut updates = String::new();
        std::io::stdin()
            .read_to_string(&mut updates)
            .map_err(|e| VaultError::Invalid(format!("The push's list could not be read: {e}")))?;
        staged::check_push(&index, &repo, &updates)?
    } else {
        staged::check_commit(&index, &repo)?
    };
    if blocked.is_empty() {
        return Ok(0);
    }
    let what = if push { "push" } else { "commit" };
    eprintln!(
        "keyward guard: this {what} was stopped: it adds your stored key{}:",
        if blocked.len() == 1 { "" } else { "s" }
    );
    for b in &blocked {
        let which = if b.earlier { " (an earlier value)" } else { "" };
        let commit = b.commit.as_deref().map(|c| format!(" in commit {}", &c[..c.len().min(12)])).unwrap_or_default();
        eprintln!("  \"{}\"{which}{}: {} line {}{commit}", b.name, b.encoding.words(), b.path, b.line);
    }
    if push {
        eprintln!(
            "Take the key out of those commits (git rebase -i, or git commit --amend for the last one), then push again; if it was pushed before, rotate it."
        );
    } else {
        eprintln!(
            "Take the key out (keyward run gives programs their keys without a file), then commit again. `git commit --no-verify` skips this check."
        );
    }
    Ok(1)
}
