//! Writing keys out as plaintext `.env` text (the user is warned by the client).

use crate::document::Document;
use crate::error::Result;
use zeroize::Zeroizing;

/// `.env` text for the named entries (all when `names` is empty), each preceded by a comment
/// with its name. Values are quoted when needed so that a `.env` reader gets them back exactly.
/// Also returns the variables that appear more than once (later lines win in most readers).
pub fn dotenv(doc: &Document, names: &[String]) -> Result<(Zeroizing<String>, Vec<String>)> {
    let entries = if names.is_empty() {
        doc.entries.iter().collect::<Vec<_>>()
    } else {
        names.iter().map(|n| doc.get(n)).collect::<Result<Vec<_>>>()?
    };
    let size: usize = entries.iter().map(|e| e.name.len() + e.env_var.len() + e.secret.expose().len() * 2 + 16).sum();
    let mut out = Zeroizing::new(String::with_capacity(size));
    let mut seen = std::collections::BTreeSet::new();
    let mut repeated = Vec::new();
    for e in entries {
        if !seen.insert(e.env_var.as_str()) && !repeated.contains(&e.env_var) {
            repeated.push(e.env_var.clone());
        }
        out.push_str("# ");
        out.push_str(&e.name.replace('\n', " "));
        out.push('\n');
        out.push_str(&e.env_var);
        out.push('=');
        push_value(&mut out, e.secret.expose());
        out.push('\n');
    }
    Ok((out, repeated))
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
        let (text, repeated) = dotenv(&doc, &[]).unwrap();
        assert!(repeated.is_empty());
        let parsed = crate::import::parse(&text, true).unwrap();
        let values: Vec<&str> = parsed.candidates.iter().map(|c| c.secret.expose()).collect();
        assert_eq!(values, ["sk-proj-plain", "with space \"quoted\" \\ # x", "multi\nline"]);
        assert!(dotenv(&doc, &["missing".into()]).is_err());
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
        let (text, _) = dotenv(&doc, &[]).unwrap();
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
