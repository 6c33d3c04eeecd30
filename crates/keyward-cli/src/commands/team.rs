//! Team vaults: my identity, creating a team vault, and its members.

use crate::context::{self, Context};
use crate::output;
use keyward_core::VaultError;
use keyward_core::identity;
use serde::Serialize;
use std::path::Path;
use std::path::PathBuf;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Show my public key, to give to a team (creates my identity on first use)
    Identity {
        #[arg(long)]
        json: bool,
    },
    /// Confirm on this device a team key's base URL or variable that a teammate set (checks
    /// and `run` ask for it first)
    Trust {
        name: String,
        /// Confirm without asking
        #[arg(long)]
        yes: bool,
    },
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
}

#[derive(Debug, clap::Subcommand)]
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

pub fn dispatch(ctx: &Context, command: Command) -> Result<u8, VaultError> {
    match command {
        Command::Identity { json } => identity(ctx, json)?,
        Command::Trust { name, yes } => trust(ctx, &name, yes)?,
        Command::MakePersonal { new_passphrase_file } => make_personal(ctx, new_passphrase_file.as_deref())?,
        Command::Member { command: MemberCommand::Add { name, public_key, file, me } } => {
            member_add(ctx, &name, public_key.as_deref(), file.as_deref(), me.as_deref())?
        }
        Command::Member { command: MemberCommand::Rm { name } } => member_rm(ctx, &name)?,
        Command::Member { command: MemberCommand::List { json } } => member_list(ctx, json)?,
    }
    Ok(0)
}

pub fn identity(ctx: &Context, json: bool) -> Result<(), VaultError> {
    let path = ctx.device.identity_path();
    let (line, fingerprint, file, created) = if let Some(file) = &ctx.identity_file {
        let me = identity::from_plain_file(file)?;
        (me.member_line(), me.fingerprint(), file.clone(), false)
    } else if path.exists() && identity::public_line(&path).is_ok_and(|l| l.contains(' ')) {
        // The member line is kept beside the identity: no passphrase needed to show it.
        let line = identity::public_line(&path)?;
        let fingerprint = keyward_core::members::parse_member_line(&line)?.fingerprint().unwrap_or_default();
        (line, fingerprint, path, false)
    } else {
        // Created now, or from before signed team vaults (its signing key is written beside it).
        let (me, created) = ctx.identity_or_create(&ctx.session(), keyward_core::document::DEFAULT_WORK_FACTOR)?;
        identity::write_public_line(&path, &me)?;
        (me.member_line(), me.fingerprint(), path, created)
    };
    let public_key = keyward_core::members::parse_member_line(&line)?.public_key;
    if json {
        output::json(&serde_json::json!({
            "public_key": public_key,
            "member_line": line,
            "fingerprint": fingerprint,
            "file": file,
            "created": created,
        }));
        return Ok(());
    }
    if created {
        println!("Created your identity at {} (encrypted with your passphrase).", file.display());
    }
    println!("{line}");
    eprintln!(
        "Your fingerprint: {fingerprint}. Give this line to a team; they add you with `keyward member add YOUR_NAME \"{line}\"`."
    );
    Ok(())
}

pub fn init_team(ctx: &Context, name: Option<&str>, work_factor: u8) -> Result<(), VaultError> {
    if ctx.vault_path.exists() {
        return Err(VaultError::AlreadyExists { path: ctx.vault_path.clone() });
    }
    let mut session = ctx.session();
    let (me, created) = ctx.identity_or_create(&session, work_factor)?;
    if created {
        println!("Created your identity (encrypted with your passphrase): {}", me.member_line());
    }
    let name = name.map_or_else(|| ctx.device.user.clone(), str::to_string);
    session.create_team(Some(&name), me)?;
    println!("Created a team vault at {} with you ({name}) as its first member.", ctx.vault_path.display());
    println!(
        "Add members with `keyward member add NAME \"LINE\"` (the line `keyward identity` prints for them); each opens it with their own identity."
    );
    Ok(())
}

pub fn member_add(
    ctx: &Context,
    name: &str,
    public_key: Option<&str>,
    file: Option<&Path>,
    me: Option<&str>,
) -> Result<(), VaultError> {
    let key = match (public_key, file) {
        (Some(key), _) => key.trim().to_string(),
        (None, Some(file)) => {
            let text = std::fs::read_to_string(file).map_err(|e| VaultError::io(file, e))?;
            text.lines().map(str::trim).find(|l| !l.is_empty() && !l.starts_with('#')).unwrap_or("").to_string()
        }
        (None, None) => return Err(VaultError::Invalid("Give the member's line (or public key), or --file.".into())),
    };
    let shared = keyward_core::members::parse_member_line(&key)?;
    let mut vault = ctx.open()?;
    if !vault.document()?.is_team() {
        let (identity, created) = ctx.identity_or_create(&vault, keyward_core::document::DEFAULT_WORK_FACTOR)?;
        if created {
            println!("Created your identity (encrypted with your passphrase): {}", identity.member_line());
        }
        let my_name = me.map_or_else(|| ctx.device.user.clone(), str::to_string);
        vault.make_team_with(Some(&my_name), identity)?;
        println!(
            "{} is now a team vault with you ({my_name}) as its first member: it opens with your identity.",
            ctx.vault_path.display()
        );
    }
    let ((added, fingerprint), report) = vault.add_member(name, &key)?;
    context::note_merge(&report);
    let members: Vec<&str> = vault.document()?.active_members().map(|m| m.name.as_str()).collect();
    println!(
        "Added {added} ({fingerprint}). The vault is now encrypted to {} member(s): {}.",
        members.len(),
        members.join(", ")
    );
    if shared.signing_key.is_none() {
        println!(
            "{added} has no signing key in that line, so they can read the vault but not change it. Add them again \
             with the line `keyward identity` prints for them to let them write."
        );
    }
    Ok(())
}

pub fn member_rm(ctx: &Context, name: &str) -> Result<(), VaultError> {
    let mut vault = ctx.open()?;
    let (to_rotate, report) = vault.remove_member(name)?;
    context::note_merge(&report);
    println!("Removed {name}: the vault is now encrypted without their key.");
    if to_rotate.is_empty() {
        println!("There are no keys to rotate.");
        return Ok(());
    }
    println!(
        "{name} could read these {} key(s) and may have kept copies. Rotate each at its provider, then \
         `keyward edit NAME --secret-stdin`:",
        to_rotate.len()
    );
    for key in to_rotate {
        println!("  {key}");
    }
    Ok(())
}

#[derive(Serialize)]
struct MemberJson<'a> {
    name: &'a str,
    public_key: &'a str,
    fingerprint: String,
    /// Can sign changes (else read-only).
    writes: bool,
    added_at: String,
    added_by: &'a str,
    removed_at: Option<String>,
    removed_by: Option<&'a str>,
}

#[derive(Serialize)]
struct RotateJson<'a> {
    name: &'a str,
    exposed_to: &'a [&'a str],
}

pub fn member_list(ctx: &Context, json: bool) -> Result<(), VaultError> {
    let vault = ctx.open()?;
    let doc = vault.document()?;
    if !doc.is_team() {
        return Err(VaultError::Invalid("This is a personal vault: it has no members.".into()));
    }
    let time = |t: chrono::DateTime<chrono::Utc>| t.format("%F %R UTC").to_string();
    let exposed = doc.exposed();
    if json {
        let members: Vec<MemberJson> = doc
            .members
            .iter()
            .map(|m| MemberJson {
                name: &m.name,
                public_key: &m.public_key,
                fingerprint: m.fingerprint(),
                writes: m.signing_key.is_some(),
                added_at: time(m.added_at),
                added_by: &m.added_by,
                removed_at: m.removed_at.map(time),
                removed_by: m.removed_by.as_deref(),
            })
            .collect();
        let rotate: Vec<RotateJson> =
            exposed.iter().map(|x| RotateJson { name: &x.entry.name, exposed_to: &x.former_members }).collect();
        output::json(&serde_json::json!({ "members": members, "keys_to_rotate": rotate }));
        return Ok(());
    }
    for m in doc.active_members() {
        let read_only = if m.signing_key.is_some() { "" } else { "  (read-only: no signing key)" };
        println!("{}  {}  added {} by {}{read_only}", m.name, m.fingerprint(), time(m.added_at), m.added_by);
        println!("    {}", m.public_key);
    }
    for m in doc.members.iter().filter(|m| !m.is_active()) {
        let removed = m.removed_at.map(time).unwrap_or_default();
        println!("{} (former member)  removed {removed} by {}", m.name, m.removed_by.as_deref().unwrap_or("?"));
    }
    if !exposed.is_empty() {
        println!("\nKeys to rotate (exposed to a former member):");
        for x in exposed {
            println!("  {}  (could be read by {})", x.entry.name, x.former_members.join(", "));
        }
    }
    Ok(())
}

pub fn make_personal(ctx: &Context, new_file: Option<&Path>) -> Result<(), VaultError> {
    let mut vault = ctx.open()?;
    // Checked before asking for a passphrase.
    vault.document()?.check_make_personal()?;
    let passphrase = crate::input::new_passphrase(new_file, crate::input::new_passphrase_env(false))?;
    vault.vault_mut()?.make_personal(passphrase)?;
    println!(
        "{} is a personal vault again, protected by the new passphrase; every key was kept.",
        ctx.vault_path.display()
    );
    Ok(())
}

/// `trust NAME`: confirms, on this device, what a teammate set for a key.
pub fn trust(ctx: &Context, name: &str, yes: bool) -> Result<(), VaultError> {
    let mut vault = ctx.open()?;
    let id = vault.id_of(name)?;
    let asked = vault.consents(&id)?;
    if asked.is_empty() {
        println!("\"{name}\" needs no confirmation on this device.");
        return Ok(());
    }
    for consent in &asked {
        if yes {
            println!("{}", consent.sentence());
        } else if !context::confirm(consent) {
            return Err(VaultError::Invalid(format!("Nothing was confirmed for \"{name}\".")));
        }
    }
    vault.trust(&id)?;
    println!("Confirmed on this device for \"{name}\".");
    Ok(())
}
