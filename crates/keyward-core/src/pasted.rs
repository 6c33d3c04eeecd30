//! What a pasted key really is: people paste `export OPENAI_API_KEY="sk-…"`, a `.env` line, a
//! quoted value or a key with a line break after it. The key is taken out of that and what was
//! stripped is said, so that a key is never saved with its quotes.

use crate::secret::Secret;

/// A pasted key, cleaned.
#[derive(Debug)]
pub struct Pasted {
    pub secret: Secret,
    /// The variable it was assigned to (`OPENAI_API_KEY=…`), as a hint for the entry's variable
    /// and name.
    pub variable: Option<String>,
    /// What was taken away, in words ("the quotes", "export", "OPENAI_API_KEY=", "spaces").
    pub stripped: Vec<&'static str>,
}

impl Pasted {
    /// One sentence on what was stripped ("" when nothing was).
    pub fn sentence(&self) -> String {
        if self.stripped.is_empty() {
            return String::new();
        }
        let mut words = self.stripped.clone();
        let last = words.pop().unwrap_or_default();
        let list = if words.is_empty() { last.to_string() } else { format!("{} and {last}", words.join(", ")) };
        format!("Keyward removed {list} from what was pasted.")
    }
}

/// Cleans pasted text. A value of several lines (a certificate, a JSON credential) is kept as it
/// is, apart from the whitespace around it.
pub fn clean(text: &str) -> Pasted {
    let mut stripped = Vec::new();
    let trimmed = text.trim();
    if trimmed.len() != text.len() {
        stripped.push("spaces and line breaks");
    }
    let mut rest: &str = trimmed;
    let mut variable = None;
    if !rest.contains('\n') {
        if let Some(after) = rest.strip_prefix("export ") {
            rest = after.trim_start();
            stripped.push("export");
        }
        if let Some((name, value)) = rest.split_once('=')
            && is_variable(name.trim())
            && !value.trim().is_empty()
        {
            variable = Some(name.trim().to_string());
            rest = value.trim();
            stripped.push("the variable name");
        }
        let unquoted = unquote(rest);
        if unquoted.len() != rest.len() {
            rest = unquoted;
            stripped.push("the quotes");
        }
    }
    Pasted { secret: Secret::new(rest.to_string()), variable, stripped }
}

/// Whether text someone pasted (into search, say) holds something that is probably an API key.
pub fn looks_like_key(text: &str) -> bool {
    find_key(text).is_some()
}

/// The first thing in pasted text that is probably an API key: a word of a known provider's
/// format, or a long token of letters and digits (after `NAME=`, quotes and `Bearer` are taken
/// off). Pasted text that holds one is never used as text (searched for, shown).
pub fn find_key(text: &str) -> Option<Pasted> {
    text.split(|c: char| c.is_whitespace() || c == ',' || c == ';').find_map(|word| {
        let pasted = clean(word);
        key_like(pasted.secret.expose()).then_some(pasted)
    })
}

fn key_like(t: &str) -> bool {
    if crate::provider::detect(t).is_some() {
        return true;
    }
    let letters = t.chars().filter(|c| c.is_ascii_alphabetic()).count();
    let digits = t.chars().filter(|c| c.is_ascii_digit()).count();
    t.len() >= 20 && letters >= 6 && digits >= 3 && !t.contains("://")
}

/// What the window is told about a pasted key: never the key.
#[derive(Debug, Clone, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PastedView {
    pub masked: String,
    pub provider: Option<crate::api::Detected>,
    /// The variable it was assigned to in what was pasted.
    pub variable: Option<String>,
    /// What was stripped, in one sentence ("" when nothing).
    pub said: String,
    /// How many lines the value has (certificates and JSON credentials have several).
    pub lines: usize,
}

impl Pasted {
    pub fn view(&self) -> PastedView {
        PastedView {
            masked: self.secret.masked(),
            provider: crate::api::detect(self.secret.expose()),
            variable: self.variable.clone(),
            said: self.sentence(),
            lines: self.secret.expose().lines().count().max(1),
        }
    }
}

fn is_variable(name: &str) -> bool {
    !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit())
        // A key like `abc=def` (base64 padding) is not a variable.
        && name.chars().any(|c| c.is_ascii_uppercase() || c == '_')
}

fn unquote(value: &str) -> &str {
    for q in ['"', '\'', '`'] {
        if let Some(inner) = value.strip_prefix(q).and_then(|v| v.strip_suffix(q))
            && !inner.is_empty()
        {
            return inner.trim();
        }
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "sk-proj-abcdefghijklmnopqrstuvwxyz012345";

    #[test]
    fn quotes_export_and_variable_names_are_stripped_and_said() {
        for (pasted, variable, said) in [
            (KEY.to_string(), None, ""),
            (format!("  {KEY}\n"), None, "Keyward removed spaces and line breaks from what was pasted."),
            (format!("\"{KEY}\""), None, "Keyward removed the quotes from what was pasted."),
            (
                format!("export OPENAI_API_KEY='{KEY}'"),
                Some("OPENAI_API_KEY"),
                "Keyward removed export, the variable name and the quotes from what was pasted.",
            ),
            (
                format!("OPENAI_API_KEY={KEY}"),
                Some("OPENAI_API_KEY"),
                "Keyward removed the variable name from what was pasted.",
            ),
        ] {
            let p = clean(&pasted);
            assert_eq!(p.secret.expose(), KEY, "{pasted}");
            assert_eq!(p.variable.as_deref(), variable);
            assert_eq!(p.sentence(), said);
            assert!(!p.sentence().contains(KEY));
        }
    }

    #[test]
    fn keys_pasted_into_search_are_told_from_words() {
        assert!(looks_like_key(KEY));
        assert!(looks_like_key("a8f3k2j9d8s7f6g5h4j3k2l1q9w8e7r6"));
        for text in
            ["openai production", "prod", "sk-proj", "2024-01-01", "OPENAI_API_KEY", "https://api.openai.com/v1"]
        {
            assert!(!looks_like_key(text), "{text}");
        }
        // Keys inside more text are found too (the review's cases).
        for text in [
            format!("OPENAI_API_KEY={KEY}\nANTHROPIC_API_KEY=sk-ant-api03-abcdefghijklmnop"),
            format!("Authorization: Bearer {KEY}"),
            format!("{KEY} # prod"),
            "token a8f3k2j9d8s7f6g5h4j3".to_string(),
        ] {
            assert!(looks_like_key(&text), "{text}");
        }
        assert_eq!(find_key(&format!("Authorization: Bearer {KEY}")).unwrap().secret.expose(), KEY);
        let view = clean(&format!("OPENAI_API_KEY=\"{KEY}\"")).view();
        assert_eq!(view.provider.as_ref().unwrap().id, "openai");
        assert!(!format!("{view:?}").contains(KEY));
    }

    #[test]
    fn base64_padding_and_multi_line_values_are_left_alone() {
        assert_eq!(clean("abcdefghijk123==").secret.expose(), "abcdefghijk123==");
        assert_eq!(clean("abc=def").secret.expose(), "abc=def");
        let pem = "-----BEGIN KEY-----\nA=B\n-----END KEY-----";
        assert_eq!(clean(pem).secret.expose(), pem);
    }
}
