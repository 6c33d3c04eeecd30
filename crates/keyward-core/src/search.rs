//! Search as you type over many entries: a lower-cased text per entry, built once.

use crate::document::Document;
use crate::entry::Entry;

/// The text an entry is found by: name, provider, environment, tags and notes, lower-cased.
pub fn haystack(e: &Entry) -> String {
    let parts = [Some(e.name.as_str()), Some(e.provider.as_str()), e.environment.as_deref(), e.notes.as_deref()];
    let parts = parts.into_iter().flatten().chain(e.tags.iter().map(String::as_str));
    let mut s = String::with_capacity(e.name.len() + e.notes.as_ref().map_or(0, String::len) + 48);
    for part in parts {
        s.push_str(part);
        s.push('\n');
    }
    if s.is_ascii() {
        s.make_ascii_lowercase();
        s
    } else {
        s.to_lowercase()
    }
}

/// Lower-cased search texts, in the order of the document's entries.
#[derive(Debug, Clone, Default)]
pub struct SearchIndex {
    texts: Vec<String>,
}

impl SearchIndex {
    /// Builds the index (rebuild it after the document changes).
    pub fn new(doc: &Document) -> Self {
        SearchIndex { texts: doc.entries.iter().map(haystack).collect() }
    }

    /// Indexes into `doc.entries` of the entries containing every word of `query`
    /// (case-insensitive). An empty query matches everything.
    pub fn search(&self, query: &str) -> Vec<usize> {
        let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
        self.texts
            .iter()
            .enumerate()
            .filter(|(_, t)| words.iter().all(|w| t.contains(w.as_str())))
            .map(|(i, _)| i)
            .collect()
    }
}
