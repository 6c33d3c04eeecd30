//! Writing keys out as plaintext `.env` text (the user is warned by the client).

use crate::document::Document;
use crate::error::{Result, VaultError};
use zeroize::Zeroizing;

/// `.env` text for the named entries (all when `names` is empty), each preceded by a comment
/// with its name. Values are quoted when needed so that a `.env` reader gets them back exactly.
/// Two keys that would be written as the same variable are refused: a reader would keep only
/// one of them, silently.
pub fn dotenv(doc: &Document, names: &[String]) -> Result<Zeroizing<String>> {
    let entries = if names.is_empty() {
        doc.entries.iter().collect::<Vec<_>>()
    } else {
        names.iter().map(|n| doc.get(n)).collect::<Result<Vec<_>>>()?
    };
    let mut by_var: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
    for e in &entries {
        by_var.entry(e.env_var.as_str()).or_default().push(e.name.as_str());
    }
    if let Some((var, names)) = by_var.iter().find(|(_, names)| names.len() > 1) {
        let shown: Vec<String> = names.iter().map(|n| format!("\"{}\"", crate::members::display_name(n))).collect();
        return Err(VaultError::Invalid(format!(
            "{} would be written for {} keys ({}); a program would see only one of them. Export one of them, \
             or give the others their own variable.",
            crate::env_guard::shown(var),
            names.len(),
            shown.join(", ")
        )));
    }
    let size: usize = entries.iter().map(|e| e.name.len() + e.env_var.len() + e.secret.expose().len() * 2 + 16).sum();
    let mut out = Zeroizing::new(String::with_capacity(size));
    for e in entries {
        out.push_str("# ");
        out.push_str(&e.name.replace('\n', " "));
        out.push('\n');
        out.push_str(&e.env_var);
        out.push('=');
        push_value(&mut out, e.secret.expose());
        out.push('\n');
    }
    Ok(out)
}

/// Writes a value so that a `.env` reader gets it back and a shell's `source` runs nothing:
/// bare when it holds only safe characters, else in single quotes (literal in both), else (a
/// `'` or a line break in it) in double quotes with `"`, `\`, `$` and `` ` `` escaped.
fn push_value(out: &mut String, value: &str) {
    let bare = !value.is_empty() && value.chars().all(|c| c.is_ascii_alphanumeric() || "_-.:/+=@,".contains(c));
    if bare {
        out.push_str(value);
        return;
    }
    if !value.contains('\'') && !value.chars().any(char::is_control) {
        out.push('\'');
        out.push_str(value);
        out.push('\'');
        return;
    }
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '$' => out.push_str("\\$"),
            '`' => out.push_str("\\`"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Change, EntryFields};
    use crate::secret::Secret;
    use chrono::Utc;

    #[test]
    fn export_round_trips_through_the_dotenv_importer() {
        let mut doc = Document::new(Utc::now());
        let change = Change { now: Utc::now(), actor: "t" };
        for (name, value) in [("a", "sk-proj-plain"), ("b", "with space \"quoted\" \\ # x"), ("c", "multi\nline")] {
            let fields = EntryFields { env_var: Some(format!("VAR_{}", name.to_uppercase())), ..Default::default() };
            doc.add(name, Secret::from(value), fields, &change).unwrap();
        }
        let text = dotenv(&doc, &[]).unwrap();
        let parsed = crate::import::parse(&text, true).unwrap();
        let values: Vec<&str> = parsed.candidates.iter().map(|c| c.secret.expose()).collect();
        assert_eq!(values, ["sk-proj-plain", "with space \"quoted\" \\ # x", "multi\nline"]);
        assert!(dotenv(&doc, &["missing".into()]).is_err());
    }

    /// Issue 13: "export writes OPENAI_API_KEY= three times".
    #[test]
    fn two_keys_for_one_variable_are_refused_with_their_names() {
        let mut doc = Document::new(Utc::now());
        let change = Change { now: Utc::now(), actor: "t" };
        for name in ["prod", "dev"] {
            let fields = EntryFields { env_var: Some("OPENAI_API_KEY".into()), ..Default::default() };
            doc.add(name, Secret::from("sk-proj-abcdefghijklmnopqrstuvwx"), fields, &change).unwrap();
        }
        let err = dotenv(&doc, &[]).unwrap_err().to_string();
        assert!(err.starts_with("OPENAI_API_KEY would be written for 2 keys (\"prod\", \"dev\")"), "{err}");
        assert!(!err.contains("sk-proj"));
        assert!(dotenv(&doc, &["dev".into()]).unwrap().contains("OPENAI_API_KEY="));
    }

    /// Issue 11: a value a teammate chose must not run anything when the file is `source`d.
    #[test]
    fn sourcing_an_export_runs_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let marker = dir.path().join("ran");
        let m = marker.display();
        let values = [
            format!("$(touch {m})"),
            format!("`touch {m}`"),
            format!("it's $(touch {m})"),
            format!("two\nlines $(touch {m}) `touch {m}` \"q\" \\"),
            "sk-plain_value".to_string(),
        ];
        let mut doc = Document::new(Utc::now());
        let change = Change { now: Utc::now(), actor: "t" };
        for (i, v) in values.iter().enumerate() {
            let fields = EntryFields { env_var: Some(format!("V{i}")), ..Default::default() };
            doc.add(&format!("k{i}"), Secret::from(v.as_str()), fields, &change).unwrap();
        }
        let text = dotenv(&doc, &[]).unwrap();
        let env_file = dir.path().join("keys.env");
        std::fs::write(&env_file, text.as_bytes()).unwrap();
        let out = std::process::Command::new("bash")
            .arg("-c")
            .arg("set -a; source \"$1\"; printf '%s\\0' \"$V0\" \"$V1\" \"$V2\" \"$V4\"")
            .arg("bash")
            .arg(&env_file)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(!marker.exists(), "sourcing the export ran a command");
        let got: Vec<&str> = std::str::from_utf8(&out.stdout).unwrap().split('\0').collect();
        // Compared without printing: the values stand for keys.
        assert!(
            got[..4] == [&values[0], &values[1], &values[2], &values[4]].map(String::as_str),
            "sourced values differ"
        );
        let parsed = crate::import::parse(&text, true).unwrap();
        let back: Vec<&str> = parsed.candidates.iter().map(|c| c.secret.expose()).collect();
        assert!(back == values.iter().map(String::as_str).collect::<Vec<_>>(), "imported values differ");
    }
}
