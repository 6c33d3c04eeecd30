//! How results are printed: JSON, a plain table, a details block. Secrets only via `secret_line`.

use keyward_core::{EntrySummary, VaultError};
use std::io::Write;

pub fn json<T: serde::Serialize + ?Sized>(value: &T) {
    println!("{}", serde_json::to_string_pretty(value).expect("summaries always serialize"));
}

pub fn provider_name(id: &str) -> &'static str {
    keyward_core::provider::by_id(id).map_or("other provider", |p| p.display_name)
}

/// NAME, PROVIDER, ENVIRONMENT and TAGS in aligned columns.
pub fn table(rows: &[EntrySummary]) {
    let cells: Vec<[String; 4]> = rows
        .iter()
        .map(|s| [s.name.clone(), s.provider.clone(), s.environment.clone().unwrap_or_default(), s.tags.join(", ")])
        .collect();
    let header = ["NAME", "PROVIDER", "ENVIRONMENT", "TAGS"].map(String::from);
    let mut widths = header.clone().map(|h| h.chars().count());
    for row in &cells {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.chars().count());
        }
    }
    for row in std::iter::once(&header).chain(&cells) {
        let line: Vec<String> = row.iter().zip(widths).map(|(c, w)| format!("{c:<w$}")).collect();
        println!("{}", line.join("  ").trim_end());
    }
}

pub fn details(s: &EntrySummary) {
    let mut lines: Vec<(&str, String)> = vec![
        ("name", s.name.clone()),
        ("provider", format!("{} ({})", s.provider_name, s.provider)),
        ("key", s.masked.clone()),
        ("env var", s.env_var.clone()),
    ];
    let optional = [
        ("environment", s.environment.clone()),
        ("base URL", s.base_url.clone()),
        ("organization", s.organization.clone()),
        ("project", s.project.clone()),
        ("tags", (!s.tags.is_empty()).then(|| s.tags.join(", "))),
        ("notes", s.notes.clone()),
        ("expires", s.expires_on.map(|d| d.to_string())),
        ("rotate every", s.rotation_days.map(|d| format!("{d} days"))),
        ("last check", s.last_check.as_ref().map(|c| format!("{} at {}", c.status, c.checked_at.format("%F %R UTC")))),
        ("history", (s.history_len > 0).then(|| format!("{} earlier value(s)", s.history_len))),
    ];
    lines.extend(optional.into_iter().filter_map(|(k, v)| v.map(|v| (k, v))));
    lines.push(("created", s.created_at.format("%F %R UTC").to_string()));
    lines.push(("updated", format!("{} by {}", s.updated_at.format("%F %R UTC"), s.updated_by)));
    for (k, v) in lines {
        println!("{:<13} {}", format!("{k}:"), v.replace('\n', "\n              "));
    }
}

/// Writes a secret and a newline to stdout (and nothing else).
pub fn secret_line(secret: &str) -> Result<(), VaultError> {
    let mut out = std::io::stdout().lock();
    out.write_all(secret.as_bytes())
        .and_then(|()| out.write_all(b"\n"))
        .and_then(|()| out.flush())
        .map_err(|e| VaultError::Invalid(format!("Could not write to standard output: {}", e.kind())))
}
