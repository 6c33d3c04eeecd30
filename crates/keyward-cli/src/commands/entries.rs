//! `add`, `list`, `show`, `get`, `edit` and `rm`.

use crate::args::FieldArgs;
use crate::context::Context;
use crate::{input, output};
use keyward_core::summary::Authors;
use keyward_core::{EntrySummary, SaveReport, VaultError};

pub fn add(ctx: &Context, name: &str, fields: FieldArgs) -> Result<(), VaultError> {
    let secret = input::secret(name)?;
    let mut vault = ctx.open()?;
    let change = ctx.change();
    let entry = vault.document_mut().add(name, secret, fields.into_fields(), &change)?;
    let (name, provider) = (entry.name.clone(), entry.provider.clone());
    let report = vault.save()?;
    println!("Added \"{name}\" ({}).", output::provider_name(&provider));
    note_merge(report);
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
    let doc = vault.document();
    let authors = Authors::of(&doc.members);
    let summaries: Vec<EntrySummary> = doc.entries.iter().map(|e| EntrySummary::new(e, &authors)).collect();
    if json {
        output::json(&summaries);
    } else if summaries.is_empty() {
        println!("The vault is empty. Add a key with `keyward add NAME`.");
    } else {
        output::table(&summaries);
        let exposed = vault.document().exposed();
        if !exposed.is_empty() {
            let names: Vec<&str> = exposed.iter().map(|x| x.entry.name.as_str()).collect();
            println!("\nRotate (exposed to a former member): {}", names.join(", "));
        }
    }
    Ok(())
}

pub fn show(ctx: &Context, name: &str, json: bool) -> Result<(), VaultError> {
    let vault = ctx.open()?;
    let summary = EntrySummary::new(vault.document().get(name)?, &Authors::of(&vault.document().members));
    if json {
        output::json(&summary);
    } else {
        output::details(&summary);
    }
    Ok(())
}

pub fn get(ctx: &Context, name: &str) -> Result<(), VaultError> {
    let vault = ctx.open()?;
    let entry = vault.document().get(name)?;
    output::secret_line(entry.secret.expose())
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
    let change = ctx.change();
    let fields = fields.into_fields();
    let base_url_given = fields.base_url.is_some();
    let entry = vault.document_mut().edit(name, new_name, secret, fields, &change)?;
    let new_name = entry.name.clone();
    // A rotation keeps a custom address only knowingly: say where the new key will be sent.
    let kept_address =
        (secret_stdin && !base_url_given).then(|| keyward_core::consent::custom_base_url(entry)).flatten();
    let report = vault.save()?;
    println!("Updated \"{new_name}\".");
    if let Some((_, host)) = kept_address {
        println!(
            "The new key is still sent to {host}, not to its provider's own address. If that is not meant, \
             `keyward edit {new_name} --base-url ''` sends it to the provider."
        );
    }
    note_merge(report);
    Ok(())
}

pub fn rm(ctx: &Context, name: &str) -> Result<(), VaultError> {
    let mut vault = ctx.open()?;
    let change = ctx.change();
    vault.document_mut().remove(name, &change)?;
    let report = vault.save()?;
    println!("Deleted \"{name}\". Revoke it at the provider if it may have leaked.");
    note_merge(report);
    Ok(())
}

/// Says so when the vault had been changed elsewhere and was merged.
pub fn note_merge(report: SaveReport) {
    if report.merged {
        eprintln!("note: the vault had been changed by another program meanwhile; both changes were kept.");
    }
    for (old, new) in report.renamed {
        eprintln!("note: two different keys were named \"{old}\"; one is now called \"{new}\".");
    }
}
