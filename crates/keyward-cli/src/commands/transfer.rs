//! `import` and `export`.

use crate::context::Context;
use crate::output;
use keyward_core::{VaultError, export, import};
use std::path::Path;
use zeroize::Zeroizing;

pub fn import(ctx: &Context, file: &Path, all: bool) -> Result<(), VaultError> {
    let bytes = Zeroizing::new(std::fs::read(file).map_err(|e| VaultError::io(file, e))?);
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| VaultError::Invalid(format!("{} is not a text file (UTF-8).", file.display())))?;
    let parsed = import::parse(text, all)?;
    let source = parsed.source;
    let mut vault = ctx.open()?;
    let change = ctx.change();
    let report = import::apply(vault.document_mut(), parsed, &change);
    if !report.added.is_empty() {
        let saved = vault.save()?;
        super::entries::note_merge(saved);
    }
    println!("Read {} as a {}.", file.display(), source.label());
    println!("Added {} key(s){}", report.added.len(), if report.added.is_empty() { "." } else { ":" });
    for name in &report.added {
        println!("  + {name}");
    }
    if !report.skipped.is_empty() {
        println!("Skipped {}:", report.skipped.len());
        for s in &report.skipped {
            let what = if s.name.is_empty() { String::new() } else { format!(" \"{}\"", s.name) };
            let how = if s.reason == import::NOT_A_KEY { " (use --all to import it anyway)" } else { "" };
            println!("  - {} {}{what}: {}{how}", source.unit(), s.line, s.reason);
        }
    }
    Ok(())
}

pub fn export(ctx: &Context, names: &[String]) -> Result<(), VaultError> {
    let vault = ctx.open()?;
    let (text, repeated) = export::dotenv(vault.document(), names)?;
    eprintln!(
        "warning: this prints your keys as plaintext. Anyone who sees the output or the file you save it to has them."
    );
    for var in repeated {
        eprintln!("warning: {var} appears more than once; most programs use the last one.");
    }
    output::secret_line(text.trim_end())
}
