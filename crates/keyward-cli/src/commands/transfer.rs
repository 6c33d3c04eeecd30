//! `import` and `export`.

use crate::context::{Context, note_merge};
use crate::output;
use keyward_core::{VaultError, import};
use std::path::Path;
use std::path::PathBuf;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
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
}

pub fn dispatch(ctx: &Context, command: Command) -> Result<u8, VaultError> {
    match command {
        Command::Import { file, all } => import(ctx, &file, all)?,
        Command::Export { format: _, names } => export(ctx, &names)?,
    }
    Ok(0)
}

pub fn import(ctx: &Context, file: &Path, all: bool) -> Result<(), VaultError> {
    // The file first: one that cannot be read is said before the passphrase is asked.
    let parsed = keyward_core::api::read_import(file, all, &[])?;
    let mut vault = ctx.open()?;
    let (result, saved) = vault.import_parsed(parsed)?;
    if let Some(saved) = saved {
        note_merge(&saved);
    }
    println!("Read {} as a {}.", file.display(), result.source);
    println!("Added {} key(s){}", result.added.len(), if result.added.is_empty() { "." } else { ":" });
    for name in &result.added {
        println!("  + {name}");
    }
    if !result.skipped.is_empty() {
        println!("Skipped {}:", result.skipped.len());
        for s in &result.skipped {
            let what = if s.name.is_empty() { String::new() } else { format!(" \"{}\"", s.name) };
            let how = if s.reason == import::NOT_A_KEY { " (use --all to import it anyway)" } else { "" };
            println!("  - {}{what}: {}{how}", s.place, s.reason);
        }
    }
    Ok(())
}

pub fn export(ctx: &Context, names: &[String]) -> Result<(), VaultError> {
    let vault = ctx.open()?;
    let ids = names.iter().map(|n| vault.id_of(n)).collect::<Result<Vec<_>, _>>()?;
    let text = vault.export_text(&ids)?;
    eprintln!(
        "warning: this prints your keys as plaintext. Anyone who sees the output or the file you save it to has them."
    );
    output::secret_line(text.trim_end())
}
