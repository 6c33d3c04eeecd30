//! Reading keys from other places: `.env` files and the CSV exports of 1Password,
//! Bitwarden and KeePassXC. Parsing gives candidates and skipped lines with reasons;
//! [`apply`] adds the candidates to a vault document and reports what happened.

use crate::document::{Change, Document, EntryFields};
use crate::error::{Result, VaultError};
use crate::provider;
use crate::secret::Secret;

/// Where the imported text came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Dotenv,
    OnePassword,
    Bitwarden,
    KeePassXc,
}

impl Source {
    /// What `Skipped::line` counts: lines of a `.env` file, data rows of a CSV export.
    pub fn unit(self) -> &'static str {
        if self == Source::Dotenv { "line" } else { "row" }
    }

    pub fn label(self) -> &'static str {
        match self {
            Source::Dotenv => ".env file",
            Source::OnePassword => "1Password CSV export",
            Source::Bitwarden => "Bitwarden CSV export",
            Source::KeePassXc => "KeePassXC CSV export",
        }
    }
}

/// A key found in the imported text.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// Line (`.env`) or row (CSV, 1 = first data row) it came from.
    pub line: usize,
    pub name: String,
    pub secret: Secret,
    pub fields: EntryFields,
}

/// Something in the imported text that was not added, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub line: usize,
    pub name: String,
    pub reason: String,
}

/// The result of parsing an import file.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub source: Source,
    pub candidates: Vec<Candidate>,
    pub skipped: Vec<Skipped>,
}

/// What [`apply`] did.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub added: Vec<String>,
    pub skipped: Vec<Skipped>,
}

/// The reason given for a value skipped because it does not look like a key (clients say how to
/// import it anyway).
pub const NOT_A_KEY: &str = "does not look like an API key";

/// The reason given for a key whose name another key in the vault has (clients offer a rename).
pub const NAME_TAKEN: &str = "a different key with this name is already in the vault";

/// Parses `.env` or a password manager's CSV export (detected from the first line).
/// Unless `all`, only entries that look like API keys or secrets become candidates.
pub fn parse(text: &str, all: bool) -> Result<Parsed> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    match csv_source(first_line) {
        Some(source) => parse_csv(text, source, all),
        None => Ok(parse_dotenv(text, all)),
    }
}

/// What [`apply`] would do, without changing `doc`: the entries it would add (as they would be
/// saved) and what it would skip.
pub fn preview(doc: &Document, parsed: Parsed, change: &Change) -> (Vec<crate::Entry>, Vec<Skipped>) {
    let mut trial = doc.clone();
    let report = apply(&mut trial, parsed, change);
    let added = report.added.iter().filter_map(|name| trial.get(name).ok().cloned()).collect();
    (added, report.skipped)
}

/// Adds the candidates to `doc`. A name already in the vault is skipped (and said why).
pub fn apply(doc: &mut Document, parsed: Parsed, change: &Change) -> Report {
    let mut report = Report { added: Vec::new(), skipped: parsed.skipped };
    for c in parsed.candidates {
        let reason = match doc.get(&c.name) {
            Ok(existing) if existing.secret == c.secret => Some("already in the vault".to_string()),
            Ok(_) => Some(NAME_TAKEN.to_string()),
            Err(_) => None,
        };
        if let Some(reason) = reason {
            report.skipped.push(Skipped { line: c.line, name: c.name, reason });
            continue;
        }
        match doc.add(&c.name, c.secret, c.fields, change) {
            Ok(e) => report.added.push(e.name.clone()),
            Err(e) => report.skipped.push(Skipped { line: c.line, name: c.name, reason: e.to_string() }),
        }
    }
    report.skipped.sort_by_key(|s| s.line);
    report
}

// ---------- .env ----------

fn parse_dotenv(text: &str, all: bool) -> Parsed {
    let mut parsed = Parsed { source: Source::Dotenv, candidates: Vec::new(), skipped: Vec::new() };
    let mut lines = text.lines().enumerate().map(|(i, l)| (i + 1, l));
    while let Some((line_no, raw)) = lines.next() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").map(str::trim_start).unwrap_or(line);
        let Some((key, rest)) = line.split_once('=') else {
            parsed.skipped.push(Skipped { line: line_no, name: String::new(), reason: "not a KEY=value line".into() });
            continue;
        };
        let key = key.trim();
        if !provider::is_valid_env_var(key) {
            parsed.skipped.push(Skipped {
                line: line_no,
                name: String::new(),
                reason: "not a KEY=value line (invalid variable name)".into(),
            });
            continue;
        }
        let value = match dotenv_value(rest.trim_start(), &mut lines) {
            Ok(v) => v,
            Err(reason) => {
                parsed.skipped.push(Skipped { line: line_no, name: key.to_string(), reason: reason.into() });
                continue;
            }
        };
        let name = key.to_ascii_lowercase().replace('_', "-");
        if value.is_empty() {
            parsed.skipped.push(Skipped { line: line_no, name, reason: "the value is empty".into() });
            continue;
        }
        let detected = provider::detect(value.expose());
        let looks_secret = ["KEY", "TOKEN", "SECRET", "PASSWORD"].iter().any(|w| key.to_ascii_uppercase().contains(w));
        if !all && detected.is_none() && !looks_secret {
            parsed.skipped.push(Skipped { line: line_no, name, reason: NOT_A_KEY.into() });
            continue;
        }
        let provider = detected.or_else(|| provider_from_var(key)).map(|p| p.id.to_string());
        let fields = EntryFields { provider, env_var: Some(key.to_string()), ..Default::default() };
        parsed.candidates.push(Candidate { line: line_no, name, secret: value, fields });
    }
    parsed
}

/// The provider whose SDK variable this is, or whose id starts the variable (`DEEPSEEK_…`).
fn provider_from_var(var: &str) -> Option<&'static provider::Provider> {
    let upper = var.to_ascii_uppercase();
    provider::PROVIDERS.iter().find(|p| p.env_var == upper).or_else(|| {
        provider::PROVIDERS
            .iter()
            .find(|p| upper.starts_with(&format!("{}_", p.id.to_ascii_uppercase().replace('-', "_"))))
    })
}

/// Reads a value after `=`: `"double"` (escapes, may span lines), `'single'` (literal),
/// or bare (up to a ` #` comment). The value is copied once, into a wiped buffer.
fn dotenv_value<'a>(
    rest: &'a str,
    more_lines: &mut impl Iterator<Item = (usize, &'a str)>,
) -> std::result::Result<Secret, &'static str> {
    if let Some(body) = rest.strip_prefix('\'') {
        return match body.find('\'') {
            Some(end) => Ok(Secret::new(body[..end].to_string())),
            None => Err("the closing quote is missing"),
        };
    }
    let Some(mut line) = rest.strip_prefix('"') else {
        let value = rest.find(" #").map_or(rest, |i| &rest[..i]);
        return Ok(Secret::new(value.trim().to_string()));
    };
    let mut out = zeroize::Zeroizing::new(String::with_capacity(line.len() + 64));
    loop {
        let mut chars = line.chars();
        while let Some(c) = chars.next() {
            match c {
                '"' => return Ok(Secret::new(std::mem::take(&mut *out))),
                '\\' => match chars.next() {
                    Some('n') => out.push('\n'),
                    Some('t') => out.push('\t'),
                    Some('r') => out.push('\r'),
                    Some(other) => out.push(other),
                    None => {}
                },
                c => out.push(c),
            }
        }
        match more_lines.next() {
            Some((_, next)) => {
                out.push('\n');
                line = next;
            }
            None => return Err("the closing quote is missing"),
        }
    }
}

// ---------- CSV ----------

fn csv_source(first_line: &str) -> Option<Source> {
    let header: Vec<String> = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(first_line.as_bytes())
        .records()
        .next()?
        .ok()?
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    let has = |name: &str| header.iter().any(|h| h == name);
    if has("login_password") && has("name") {
        Some(Source::Bitwarden)
    } else if has("group") && has("title") && has("password") {
        Some(Source::KeePassXc)
    } else if has("title") && has("password") {
        Some(Source::OnePassword)
    } else {
        None
    }
}

fn parse_csv(text: &str, source: Source, all: bool) -> Result<Parsed> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|_| VaultError::Invalid("The CSV file's header cannot be read.".into()))?
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    let col = |names: &[&str]| names.iter().find_map(|n| headers.iter().position(|h| h == n));
    let name_col = col(&["title", "name"]);
    let secret_col = col(&["login_password", "password"]);
    let url_col = col(&["login_uri", "url", "website"]);
    let notes_col = col(&["notes"]);
    let tags_col = col(&["tags"]);
    let group_col = col(&["group", "folder"]);

    let mut parsed = Parsed { source, candidates: Vec::new(), skipped: Vec::new() };
    for (i, record) in reader.records().enumerate() {
        let row = i + 1;
        let Ok(record) = record else {
            parsed.skipped.push(Skipped { line: row, name: String::new(), reason: "the row cannot be read".into() });
            continue;
        };
        let get = |c: Option<usize>| c.and_then(|c| record.get(c)).map(str::trim).unwrap_or("");
        let name = get(name_col).to_string();
        let secret = get(secret_col);
        if name.is_empty() {
            parsed.skipped.push(Skipped { line: row, name, reason: "the item has no title".into() });
            continue;
        }
        if secret.is_empty() {
            parsed.skipped.push(Skipped { line: row, name, reason: "the item has no password".into() });
            continue;
        }
        let url = get(url_col);
        let detected = provider::detect(secret).or_else(|| provider_from_text(&format!("{name} {url}")));
        let looks_key = ["api", "key", "token"].iter().any(|w| name.to_lowercase().contains(w));
        if !all && detected.is_none() && !looks_key {
            parsed.skipped.push(Skipped { line: row, name, reason: NOT_A_KEY.into() });
            continue;
        }
        let mut tags: Vec<String> =
            get(tags_col).split([',', ';']).map(str::trim).filter(|t| !t.is_empty()).map(String::from).collect();
        let group = get(group_col);
        let group = group.strip_prefix("Root/").unwrap_or(group);
        if !group.is_empty() && group != "Root" {
            tags.push(group.to_string());
        }
        let notes = [get(notes_col), url].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join("\n");
        let fields = EntryFields {
            provider: detected.map(|p| p.id.to_string()),
            tags: Some(tags),
            notes: Some(notes),
            ..Default::default()
        };
        parsed.candidates.push(Candidate { line: row, name, secret: Secret::new(secret.to_string()), fields });
    }
    Ok(parsed)
}

/// A provider named in an item's title or URL (`OpenAI prod`, `console.anthropic.com`), by
/// whole words only: "Taxaid portal" is not xAI.
fn provider_from_text(text: &str) -> Option<&'static provider::Provider> {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let joined = format!(" {} ", words.join(" "));
    provider::PROVIDERS.iter().filter(|p| p.id != "openai-compatible").find(|p| {
        let names = [p.id.replace('-', " "), p.id.replace('-', ""), p.display_name.to_lowercase()];
        names.iter().any(|n| joined.contains(&format!(" {n} ")))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn names(p: &Parsed) -> Vec<&str> {
        p.candidates.iter().map(|c| c.name.as_str()).collect()
    }

    #[test]
    fn dotenv_quotes_export_comments_and_filtering() {
        let text = "# comment\n\
            export OPENAI_API_KEY=sk-proj-abc # trailing comment\n\
            ANTHROPIC_API_KEY=\"sk-ant-x\\\"y\"\n\
            GROQ_KEY='gsk_lit\\n'\n\
            PORT=3000\n\
            EMPTY_TOKEN=\n\
            not a line\n\
            MULTI_SECRET=\"line1\nline2\"\n";
        let p = parse(text, false).unwrap();
        assert_eq!(p.source, Source::Dotenv);
        assert_eq!(names(&p), ["openai-api-key", "anthropic-api-key", "groq-key", "multi-secret"]);
        let values: Vec<&str> = p.candidates.iter().map(|c| c.secret.expose()).collect();
        assert_eq!(values, ["sk-proj-abc", "sk-ant-x\"y", "gsk_lit\\n", "line1\nline2"]);
        assert_eq!(p.candidates[0].fields.env_var.as_deref(), Some("OPENAI_API_KEY"));
        assert_eq!(p.candidates[2].fields.provider.as_deref(), Some("groq"));
        let reasons: Vec<(usize, &str)> = p.skipped.iter().map(|s| (s.line, s.reason.as_str())).collect();
        assert_eq!(reasons, [(5, NOT_A_KEY), (6, "the value is empty"), (7, "not a KEY=value line")]);
        let all = parse(text, true).unwrap();
        assert!(names(&all).contains(&"port"));
    }

    #[test]
    fn dotenv_provider_from_variable_name() {
        let p = parse("DEEPSEEK_API_KEY=sk-0123\n", false).unwrap();
        assert_eq!(p.candidates[0].fields.provider.as_deref(), Some("deepseek"));
    }

    #[test]
    fn bitwarden_keepassxc_and_onepassword_csv() {
        let bw = "folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp\n\
                  AI,,login,OpenAI prod,,,0,https://platform.openai.com,me,sk-proj-bw,\n\
                  ,,login,Bank,,,0,https://bank.example,me,hunter2,\n\
                  ,,note,Just a note,,,0,,,,\n";
        let p = parse(bw, false).unwrap();
        assert_eq!(p.source, Source::Bitwarden);
        assert_eq!(names(&p), ["OpenAI prod"]);
        assert_eq!(p.candidates[0].fields.tags.as_deref(), Some(&["AI".to_string()][..]));
        assert_eq!(p.skipped.len(), 2);

        let kp = "\"Group\",\"Title\",\"Username\",\"Password\",\"URL\",\"Notes\",\"TOTP\",\"Icon\",\"Last Modified\",\"Created\"\n\
                  \"Root/Keys\",\"groq\",\"\",\"gsk_kp\",\"\",\"n\",\"\",\"0\",\"\",\"\"\n";
        let p = parse(kp, false).unwrap();
        assert_eq!(p.source, Source::KeePassXc);
        assert_eq!(p.candidates[0].fields.provider.as_deref(), Some("groq"));
        assert_eq!(p.candidates[0].fields.tags.as_deref(), Some(&["Keys".to_string()][..]));

        let op = "Title,Url,Username,Password,OTPAuth,Favorite,Archived,Tags,Notes\n\
                  Mistral API key,https://console.mistral.ai,,abc123,,false,false,\"ai,prod\",\n";
        let p = parse(op, false).unwrap();
        assert_eq!(p.source, Source::OnePassword);
        let not_xai = "Title,Url,Username,Password\nTaxaid portal,https://taxaid.example,,pw\n";
        assert!(parse(not_xai, false).unwrap().candidates.is_empty());
        assert_eq!(p.candidates[0].fields.provider.as_deref(), Some("mistral"));
        assert_eq!(p.candidates[0].fields.tags.as_ref().unwrap().len(), 2);
    }

    #[test]
    fn apply_skips_existing_names_with_reasons() {
        let mut doc = Document::new(Utc::now());
        let change = Change { now: Utc::now(), actor: "t" };
        doc.add("openai-api-key", Secret::from("sk-proj-abc"), EntryFields::default(), &change).unwrap();
        doc.add("groq-key", Secret::from("other"), EntryFields::default(), &change).unwrap();
        let parsed = parse("OPENAI_API_KEY=sk-proj-abc\nGROQ_KEY=gsk_new\nXAI_API_KEY=xai-1\n", false).unwrap();
        let report = apply(&mut doc, parsed, &change);
        assert_eq!(report.added, ["xai-api-key"]);
        let reasons: Vec<&str> = report.skipped.iter().map(|s| s.reason.as_str()).collect();
        assert_eq!(reasons, ["already in the vault", "a different key with this name is already in the vault"]);
    }

    #[test]
    fn preview_says_what_apply_would_do_and_changes_nothing() {
        let mut doc = Document::new(Utc::now());
        let change = Change { now: Utc::now(), actor: "t" };
        doc.add("groq-key", Secret::from("other"), EntryFields::default(), &change).unwrap();
        let before = doc.clone();
        let text = "GROQ_KEY=gsk_new\nXAI_API_KEY=xai-1\nPORT=3000\n";
        let (added, skipped) = preview(&doc, parse(text, false).unwrap(), &change);
        assert_eq!(doc, before);
        assert_eq!(
            added.iter().map(|e| (e.name.as_str(), e.provider.as_str())).collect::<Vec<_>>(),
            [("xai-api-key", "xai")]
        );
        assert_eq!(skipped.iter().map(|s| s.line).collect::<Vec<_>>(), [1, 3]);
        let report = apply(&mut doc, parse(text, false).unwrap(), &change);
        assert_eq!(report.added, ["xai-api-key"]);
        assert_eq!(report.skipped, skipped);
    }
}
