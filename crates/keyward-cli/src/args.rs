//! The command line: its global flags, its groups of commands (each declared in its own file
//! under commands/), and the metadata flags `add` and `edit` share.

use crate::commands;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(name = "keyward", version, about = "Keyward: a vault for your API keys, encrypted with age.")]
#[command(after_help = "Passphrase: asked on the terminal; for scripts, KEYWARD_PASSPHRASE (less safe: other \
processes of yours can read it) or --passphrase-file.\nExit codes: 0 success, 1 failure, 2 usage error; `run` passes \
its command's exit code through.")]
pub struct Cli {
    /// The vault file (default: $KEYWARD_VAULT, else vault.age in your data folder)
    #[arg(long, global = true, env = "KEYWARD_VAULT", value_name = "PATH")]
    pub vault: Option<PathBuf>,

    /// Read the master passphrase from this file (first line)
    #[arg(long, global = true, value_name = "FILE")]
    pub passphrase_file: Option<PathBuf>,

    /// Open team vaults with this plain age identity file (or unencrypted SSH key) instead of
    /// your passphrase-protected Keyward identity
    #[arg(long, global = true, env = "KEYWARD_IDENTITY_FILE", value_name = "FILE")]
    pub identity_file: Option<PathBuf>,

    /// Open the vault even though its file changed since this device last opened it (another
    /// vault at this path, personal became team or back, another membership root): only when
    /// you expected that change. On a terminal you are asked instead
    #[arg(long, global = true)]
    pub accept_change: bool,

    #[command(subcommand)]
    pub command: Command,
}

/// Every command, by group: each group's commands, their flags and help, and what they do are
/// in its file under commands/ (the order here is the order of `keyward --help`).
#[derive(Debug, Subcommand)]
pub enum Command {
    #[command(flatten)]
    Vault(commands::vault::Command),
    #[command(flatten)]
    Entries(commands::entries::Command),
    #[command(flatten)]
    Copy(commands::copy::Command),
    #[command(flatten)]
    Test(commands::test::Command),
    #[command(flatten)]
    Run(commands::run::Command),
    #[command(flatten)]
    Transfer(commands::transfer::Command),
    #[command(flatten)]
    Scan(commands::scan::Command),
    #[command(flatten)]
    Guard(commands::guard::Command),
    #[command(flatten)]
    Team(commands::team::Command),
    #[command(flatten)]
    Merge(commands::merge::Command),
}

/// Metadata flags shared by `add` and `edit`. For `edit`, an empty value clears a field (or, for
/// --provider and --env-var, goes back to the detected provider and its variable).
#[derive(Debug, Args, Default)]
pub struct FieldArgs {
    /// Provider id (openai, anthropic, gemini, groq, openrouter, xai, …); detected from the key when omitted
    #[arg(long, value_name = "ID")]
    pub provider: Option<String>,
    /// API base URL, for proxies, gateways and self-hosted servers
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Organization ID
    #[arg(long = "org", value_name = "ID")]
    pub organization: Option<String>,
    /// Project ID
    #[arg(long, value_name = "ID")]
    pub project: Option<String>,
    /// Environment, e.g. development or production
    #[arg(long = "env", value_name = "ENV")]
    pub environment: Option<String>,
    /// A tag (repeat for several; on edit, replaces all tags)
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// A note
    #[arg(long = "note", value_name = "TEXT")]
    pub notes: Option<String>,
    /// Environment variable to use with `run` and `export` (default: the provider's, e.g. OPENAI_API_KEY)
    #[arg(long, value_name = "VAR")]
    pub env_var: Option<String>,
    /// Expiry date (YYYY-MM-DD; "" for none)
    #[arg(long, value_name = "DATE", value_parser = parse_expiry)]
    pub expires: Option<Expiry>,
    /// Rotate every this many days (0 for never)
    #[arg(long, value_name = "DAYS")]
    pub rotate_days: Option<u32>,
}

/// An expiry date, or none (`--expires ""`).
#[derive(Debug, Clone, Copy)]
pub struct Expiry(Option<chrono::NaiveDate>);

fn parse_expiry(text: &str) -> Result<Expiry, String> {
    if text.trim().is_empty() {
        return Ok(Expiry(None));
    }
    chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map(|d| Expiry(Some(d)))
        .map_err(|_| "expected a date like 2027-06-30".to_string())
}

impl FieldArgs {
    /// A new key with these details.
    pub fn into_new(self, name: &str, secret: keyward_core::Secret) -> keyward_core::api::NewEntry {
        keyward_core::api::NewEntry {
            name: name.to_string(),
            secret,
            provider: self.provider,
            env_var: self.env_var,
            organization: self.organization,
            project: self.project,
            environment: self.environment,
            tags: self.tags,
            notes: self.notes,
            base_url: self.base_url,
            expires_on: self.expires.and_then(|e| e.0),
            rotation_days: self.rotate_days,
        }
    }

    /// The changes these flags ask for (a flag not given leaves its field as it is).
    pub fn into_edit(self, new_name: Option<&str>) -> keyward_core::api::EditEntry {
        keyward_core::api::EditEntry {
            name: new_name.map(str::to_string),
            provider: self.provider,
            env_var: self.env_var,
            organization: self.organization,
            project: self.project,
            environment: self.environment,
            tags: (!self.tags.is_empty()).then_some(self.tags),
            notes: self.notes,
            base_url: self.base_url,
            expires_on: self.expires.map(|e| e.0.map(|d| d.to_string()).unwrap_or_default()),
            rotation_days: self.rotate_days,
        }
    }
}
