//! What a scan looks for, in one automaton: every stored value (current keys and the earlier
//! values in their history) in each of its forms, then the providers' key prefixes, for keys
//! that look like a provider's but are not in the vault. One pass over the text finds them all.

use super::forms::{Encoding, forms};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use zeroize::Zeroizing;

/// Which stored value a needle is.
#[derive(Debug, Clone)]
pub struct Owner {
    pub entry_id: String,
    pub entry_name: String,
    /// `None` for the key's current value; else when that earlier value was replaced.
    pub replaced_at: Option<chrono::DateTime<chrono::Utc>>,
    pub encoding: Encoding,
}

/// A match in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hit {
    /// A stored value (`owner` indexes [`Needles::owners`]).
    Stored { owner: usize, start: usize, end: usize },
    /// A key of `provider` that is not stored; `masked` shows its prefix and last four characters.
    Unknown { provider: &'static str, masked: String, start: usize, end: usize },
}

impl Hit {
    pub fn start(&self) -> usize {
        match self {
            Hit::Stored { start, .. } | Hit::Unknown { start, .. } => *start,
        }
    }
}

pub struct Needles {
    automaton: AhoCorasick,
    pub owners: Vec<Owner>,
    /// The longest needle, in bytes (a streamed text keeps this much of one chunk for the next).
    pub longest: usize,
    prefixes: Vec<(&'static str, &'static str)>,
}

/// The providers' prefixes searched for, with the provider id (longest prefixes of each first).
fn prefixes() -> Vec<(&'static str, &'static str)> {
    crate::provider::PROVIDERS
        .iter()
        .flat_map(|p| p.prefixes.iter().map(move |pre| (*pre, p.id)))
        .chain([(OPENAI_LEGACY_MARKER, "openai")])
        .collect()
}

/// OpenAI's legacy keys hold this in the middle (`sk-…T3BlbkFJ…`).
const OPENAI_LEGACY_MARKER: &str = "T3BlbkFJ";

/// The longest key a prefix match is read out to (the token stops at the first character that
/// cannot be in a key).
const LONGEST_UNKNOWN: usize = 256;

/// Values shorter than this are not searched for: they would match ordinary text.
pub const SHORTEST_VALUE: usize = 12;

impl Needles {
    /// The needles for `values` (name, id, current value, earlier values with their dates).
    pub fn new<'a>(
        values: impl IntoIterator<Item = (&'a str, &'a str, Option<chrono::DateTime<chrono::Utc>>, &'a [u8])>,
    ) -> Needles {
        let mut patterns: Vec<Zeroizing<Vec<u8>>> = Vec::new();
        let mut owners = Vec::new();
        for (id, name, replaced_at, value) in values {
            if value.len() < SHORTEST_VALUE {
                continue;
            }
            for (encoding, form) in forms(value) {
                patterns.push(form);
                owners.push(Owner { entry_id: id.to_string(), entry_name: name.to_string(), replaced_at, encoding });
            }
        }
        let stored = patterns.len();
        let mut all: Vec<&[u8]> = patterns.iter().map(|p| p.as_slice()).collect();
        let prefixes = prefixes();
        all.extend(prefixes.iter().map(|(p, _)| p.as_bytes()));
        // Leftmost-first: at one place, a stored value (listed first) wins over a prefix.
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostFirst)
            .build(&all)
            .expect("an automaton of a few thousand needles");
        let longest = patterns.iter().map(|p| p.len()).max().unwrap_or(0).max(LONGEST_UNKNOWN);
        debug_assert_eq!(owners.len(), stored);
        Needles { automaton, owners, longest, prefixes }
    }

    /// The needles of every value a document holds, current and earlier.
    pub fn of(doc: &crate::Document) -> Needles {
        Needles::new(doc.entries.iter().flat_map(|e| {
            std::iter::once((e.id.as_str(), e.name.as_str(), None, e.secret.expose().as_bytes())).chain(
                e.history
                    .iter()
                    .map(|h| (e.id.as_str(), e.name.as_str(), Some(h.replaced_at), h.secret.expose().as_bytes())),
            )
        }))
    }

    /// Every hit in `text` (`complete`: nothing follows it; else a key read out from a prefix
    /// near its end may go on in the next chunk, and is left for it).
    pub fn find(&self, text: &[u8], complete: bool) -> Vec<Hit> {
        let stored = self.owners.len();
        let mut hits = Vec::new();
        // An unknown key's token is read out past its prefix: a marker inside it (OpenAI's
        // legacy one, in `sk-proj-` keys too) is the same key.
        let mut unknown_until = 0;
        for m in self.automaton.find_iter(text) {
            let p = m.pattern().as_usize();
            if p < stored {
                hits.push(Hit::Stored { owner: p, start: m.start(), end: m.end() });
                continue;
            }
            if m.start() < unknown_until {
                continue;
            }
            let (prefix, provider) = self.prefixes[p - stored];
            let start = if prefix == OPENAI_LEGACY_MARKER { token_start(text, m.start()) } else { m.start() };
            let end = token_end(text, m.end());
            if !complete && end == text.len() {
                continue;
            }
            let token = &text[start..end];
            if starts_inside_a_word(text, start) || !looks_like_a_key(token, prefix.len()) {
                continue;
            }
            if prefix == OPENAI_LEGACY_MARKER && !token.starts_with(b"sk-") {
                continue;
            }
            // A stored value that starts here would have been the match (leftmost-first, stored
            // values first), and one around a legacy marker ends after it: this is not stored.
            let masked = crate::Secret::new(String::from_utf8_lossy(token).into_owned()).masked();
            unknown_until = end;
            hits.push(Hit::Unknown { provider, masked, start, end });
        }
        hits
    }
}

/// Characters that can be inside a key.
fn key_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

fn token_end(text: &[u8], from: usize) -> usize {
    let limit = text.len().min(from + LONGEST_UNKNOWN);
    (from..limit).find(|&i| !key_char(text[i])).unwrap_or(limit)
}

fn token_start(text: &[u8], from: usize) -> usize {
    let limit = from.saturating_sub(LONGEST_UNKNOWN);
    (limit..from).rev().find(|&i| !key_char(text[i])).map_or(limit, |i| i + 1)
}

/// `hf_` inside `self_test` is not a key: a key starts after a character that cannot be in one.
fn starts_inside_a_word(text: &[u8], start: usize) -> bool {
    start > 0 && key_char(text[start - 1])
}

/// A random-looking tail after the prefix: long enough, with letters and digits, not one
/// character repeated (so `sk-ant-xxxxxxxx` placeholders and identifiers are not keys).
fn looks_like_a_key(token: &[u8], prefix_len: usize) -> bool {
    let tail = &token[prefix_len.min(token.len())..];
    let digits = tail.iter().filter(|b| b.is_ascii_digit()).count();
    let letters = tail.iter().filter(|b| b.is_ascii_alphabetic()).count();
    let mut distinct = [false; 256];
    tail.iter().for_each(|&b| distinct[usize::from(b)] = true);
    tail.len() >= 20 && digits >= 2 && letters >= 8 && distinct.iter().filter(|d| **d).count() >= 12
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "sk-proj-Needles0123456789abcdefghijklmnopqrs";

    fn needles() -> Needles {
        Needles::new([("id-1", "prod", None, KEY.as_bytes())])
    }

    #[test]
    fn a_stored_key_is_found_in_its_forms_and_an_unknown_one_apart() {
        let n = needles();
        let text = format!("OPENAI_API_KEY={KEY}\nother=sk-ant-api03-Unknown9876543210zyxwvutsrqp\n");
        let hits = n.find(text.as_bytes(), true);
        assert!(matches!(hits[0], Hit::Stored { owner: 0, start: 15, .. }), "{hits:?}");
        assert!(
            matches!(&hits[1], Hit::Unknown { provider: "anthropic", masked, .. } if masked.ends_with("srqp")),
            "{hits:?}"
        );
        assert_eq!(hits.len(), 2);
        let encoded = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, format!("X={KEY}\n"));
        let hits = n.find(encoded.as_bytes(), true);
        assert!(matches!(hits[..], [Hit::Stored { .. }]), "{hits:?}");
        assert_eq!(n.owners[0].entry_name, "prod");
    }

    #[test]
    fn near_misses_and_placeholders_are_not_keys_of_mine() {
        let n = needles();
        let mut near = KEY.to_string();
        near.replace_range(20..21, "Z");
        let hits = n.find(near.as_bytes(), true);
        assert!(hits.iter().all(|h| matches!(h, Hit::Unknown { .. })), "{hits:?}");
        // A project key holding OpenAI's legacy marker is one unknown key, not two.
        let marked = "key=sk-proj-Abc123T3BlbkFJdef456ghi789jkl012mno345\n";
        assert_eq!(n.find(marked.as_bytes(), true).len(), 1);
        for text in ["sk-proj-xxxxxxxxxxxxxxxxxxxxxxxxxxxx", "self_test_hf_value", "AIza", "sk-ant-YOUR_KEY_HERE"] {
            assert!(n.find(text.as_bytes(), true).is_empty(), "{text}");
        }
    }
}
