//! The command line: every command, flag and help text.

use clap::{Args, Parser, Subcommand};
use std::ffi::OsString;
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

#[derive(Debug, Subcommand)]
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
    /// Confirm on this device a team key's base URL or variable that a teammate set (checks
    /// and `run` ask for it first)
    Trust {
        name: String,
        /// Confirm without asking
        #[arg(long)]
        yes: bool,
    },
    /// Show my public key, to give to a team (creates my identity on first use)
    Identity {
        #[arg(long)]
        json: bool,
    },
    /// Merge another copy of this vault into it; without a file, merge (and delete) the conflict
    /// copies that sync tools left next to it
    Merge { other: Option<PathBuf> },
    /// Git merge driver: merges two branches' edits of a vault file into OURS (see the README)
    MergeDriver { base: PathBuf, ours: PathBuf, theirs: PathBuf },
    /// Make a team vault whose only member is you a personal vault again, under a new passphrase
    /// (from the terminal, KEYWARD_NEW_PASSPHRASE or --new-passphrase-file); every key is kept
    MakePersonal {
        #[arg(long, value_name = "FILE")]
        new_passphrase_file: Option<PathBuf>,
    },
    /// A team vault's members: add, remove (prints the keys to rotate), list
    Member {
        #[command(subcommand)]
        command: MemberCommand,
    },
    /// Add a key; it is read from stdin when piped, else asked for without echo
    Add {
        name: String,
        #[command(flatten)]
        fields: FieldArgs,
    },
    /// List keys (metadata only, never secrets)
    List {
        #[arg(long)]
        json: bool,
    },
    /// Show one key's details, with the key masked
    Show {
        name: String,
        #[arg(long)]
        json: bool,
    },
    /// Print the key alone on stdout
    Get { name: String },
    /// Copy the key to the clipboard and clear it after a while
    Copy {
        name: String,
        /// Seconds before the clipboard is cleared (unless you copied something else); default:
        /// this device's setting (30 s unless changed in the app)
        #[arg(long, value_name = "SECS",
              value_parser = clap::value_parser!(u64).range(1..=keyward_core::clipboard::MAX_CLEAR_AFTER.as_secs()))]
        clear_after: Option<u64>,
    },
    /// Change a key's name, metadata or value (the old value is kept in its history)
    Edit {
        name: String,
        /// New name
        #[arg(long = "name", value_name = "NEW")]
        new_name: Option<String>,
        #[command(flatten)]
        fields: FieldArgs,
        /// Read a new key value from stdin (asked for without echo when stdin is a terminal)
        #[arg(long)]
        secret_stdin: bool,
    },
    /// Delete a key
    Rm { name: String },
    /// Run a command with keys in its environment: --env VAR=NAME (or --env NAME for the key's own variable)
    Run {
        #[arg(long = "env", value_name = "VAR=NAME", required = true)]
        env: Vec<String>,
        /// The command and its arguments, after --
        #[arg(last = true, required = true, value_name = "CMD")]
        command: Vec<OsString>,
    },
    /// Import keys from a .env file or a 1Password, Bitwarden or KeePassXC CSV export
    Import {
        file: PathBuf,
        /// Also import items that do not look like API keys
        #[arg(long)]
        all: bool,
    },
    /// Print keys as plaintext (warning: anyone who sees the output has the keys)
    Export {
        #[arg(long, value_parser = ["dotenv"], default_value = "dotenv")]
        format: String,
        /// Keys to export (default: all)
        names: Vec<String>,
    },
    /// Check keys with their providers and say what is wrong (saved on each key)
    Test {
        /// Keys to check
        #[arg(required_unless_present = "all", conflicts_with = "all")]
        names: Vec<String>,
        /// Check every key
        #[arg(long)]
        all: bool,
        /// Also make one tiny paid request per key (a fraction of a cent) to prove it can generate
        #[arg(long)]
        deep: bool,
        #[arg(long)]
        json: bool,
        /// Seconds to wait for each provider
        #[arg(long, default_value_t = 15, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..=300))]
        timeout: u64,
        /// Send checks through this proxy (default: HTTPS_PROXY / ALL_PROXY / NO_PROXY)
        #[arg(long, value_name = "URL")]
        proxy: Option<String>,
    },
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

#[derive(Debug, Subcommand)]
pub enum MemberCommand {
    /// Add a member: the vault is re-encrypted to include them. A personal vault becomes a team
    /// vault, with you as its first member
    Add {
        name: String,
        /// Their public key: age1… or an SSH public key line (ssh-ed25519 / ssh-rsa)
        #[arg(required_unless_present = "file", conflicts_with = "file")]
        public_key: Option<String>,
        /// Read the public key from this file (e.g. their id_ed25519.pub)
        #[arg(long, value_name = "FILE")]
        file: Option<PathBuf>,
        /// Your own name, when a personal vault becomes a team vault (default: your user name)
        #[arg(long, value_name = "NAME")]
        me: Option<String>,
    },
    /// Remove a member: the vault is re-encrypted without them; prints the keys they could read
    Rm { name: String },
    /// List members (current and former) and the keys to rotate
    List {
        #[arg(long)]
        json: bool,
    },
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
