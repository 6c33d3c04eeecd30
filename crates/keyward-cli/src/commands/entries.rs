//! `add`, `list`, `show`, `get`, `edit` and `rm`.

use crate::args::FieldArgs;
use crate::context::{Context, note_merge};
use crate::{input, output};
use keyward_core::VaultError;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
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
}

pub fn dispatch(ctx: &Context, command: Command) -> Result<u8, VaultError> {
    match command {
        Command::Add { name, fields } => add(ctx, &name, fields)?,
        Command::List { json } => list(ctx, json)?,
        Command::Show { name, json } => show(ctx, &name, json)?,
        Command::Get { name } => get(ctx, &name)?,
        Command::Edit { name, new_name, fields, secret_stdin } => {
            edit(ctx, &name, new_name.as_deref(), fields, secret_stdin)?
        }
        Command::Rm { name } => rm(ctx, &name)?,
    }
    Ok(0)
}

pub fn add(ctx: &Context, name: &str, fields: FieldArgs) -> Result<(), VaultError> {
    let secret = input::secret(name)?;
    let mut vault = ctx.open()?;
    let (entry, report) = vault.add(fields.into_new(name, secret))?;
    println!("Added \"{}\" ({}).", entry.name, output::provider_name(&entry.provider));
    note_merge(&report);
    Ok(())
}

pub fn list(ctx: &Context, json: bool) -> Result<(), VaultError> {
    let vault = ctx.open()?;
    let copies = keyward_core::copies::conflict_copies(vault.path());
    if !copies.is_empty() {
        eprintln!(
            "note: {} conflict copy(ies) of this vault from a sync tool are beside it; `keyward merge` merges them in.",
            copies.len()
        );
    }
    let summaries = vault.list()?;
    if json {
        output::json(&summaries);
    } else if summaries.is_empty() {
        println!("The vault is empty. Add a key with `keyward add NAME`.");
    } else {
        output::table(&summaries);
        // The summaries say which keys a former member could read.
        let names: Vec<&str> = summaries.iter().filter(|s| !s.exposed_to.is_empty()).map(|s| s.name.as_str()).collect();
        if !names.is_empty() {
            println!("\nRotate (exposed to a former member): {}", names.join(", "));
        }
    }
    Ok(())
}

pub fn show(ctx: &Context, name: &str, json: bool) -> Result<(), VaultError> {
    let vault = ctx.open()?;
    let summary = vault.summary(&vault.id_of(name)?)?;
    if json {
        output::json(&summary);
    } else {
        output::details(&summary);
    }
    Ok(())
}

pub fn get(ctx: &Context, name: &str) -> Result<(), VaultError> {
    let vault = ctx.open()?;
    let secret = vault.reveal(&vault.id_of(name)?)?;
    output::secret_line(secret.expose())
}

pub fn edit(
    ctx: &Context,
    name: &str,
    new_name: Option<&str>,
    fields: FieldArgs,
    secret_stdin: bool,
) -> Result<(), VaultError> {
    let secret = if secret_stdin { Some(input::secret(name)?) } else { None };
    let mut vault = ctx.open()?;
    let id = vault.id_of(name)?;
    let base_url_given = fields.base_url.is_some();
    // A key of another provider is taken only with --provider (said when refused).
    let other_provider = fields.provider.is_some();
    // A rotation keeps a custom address: it is said below.
    let replacement =
        secret.map(|secret| keyward_core::api::Replacement { secret, keep_base_url: true, other_provider });
    let (entry, report) = vault.update(&id, fields.into_edit(new_name), replacement)?;
    println!("Updated \"{}\".", entry.name);
    // A rotation keeps a custom address only knowingly: say where the new key will be sent.
    if secret_stdin
        && !base_url_given
        && let Some(host) = &entry.sent_to
    {
        println!(
            "The new key is still sent to {host}, not to its provider's own address. If that is not meant, \
             `keyward edit {} --base-url ''` sends it to the provider.",
            entry.name
        );
    }
    note_merge(&report);
    Ok(())
}

pub fn rm(ctx: &Context, name: &str) -> Result<(), VaultError> {
    let mut vault = ctx.open()?;
    let id = vault.id_of(name)?;
    let (_, report) = vault.delete(&id)?;
    println!("Deleted \"{name}\". Revoke it at the provider if it may have leaked.");
    note_merge(&report);
    Ok(())
}
