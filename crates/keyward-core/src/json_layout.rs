//! How a vault document is laid out as text: the top level indented, and each entry, history
//! record or tombstone on one line of its own. Readable after `age -d`, friendly to line diffs,
//! and about half the size (and parse time) of fully indented JSON.

use serde_json::ser::{Formatter, PrettyFormatter};
use std::io::{self, Write};

/// Containers opened at this depth or above are indented; deeper ones stay on one line.
const INDENTED_DEPTH: usize = 2;

pub struct VaultLayout {
    pretty: PrettyFormatter<'static>,
    /// For each open container: is it indented?
    open: Vec<bool>,
}

impl Default for VaultLayout {
    fn default() -> Self {
        VaultLayout { pretty: PrettyFormatter::with_indent(b"  "), open: Vec::with_capacity(8) }
    }
}

impl VaultLayout {
    fn indented(&self) -> bool {
        self.open.last().copied().unwrap_or(true)
    }
}

impl Formatter for VaultLayout {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        let indent = self.open.len() < INDENTED_DEPTH;
        self.open.push(indent);
        if indent { self.pretty.begin_array(w) } else { w.write_all(b"[") }
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        if self.open.pop().unwrap_or(true) { self.pretty.end_array(w) } else { w.write_all(b"]") }
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        if self.indented() {
            self.pretty.begin_array_value(w, first)
        } else if first {
            Ok(())
        } else {
            w.write_all(b", ")
        }
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        if self.indented() { self.pretty.end_array_value(w) } else { Ok(()) }
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        let indent = self.open.len() < INDENTED_DEPTH;
        self.open.push(indent);
        if indent { self.pretty.begin_object(w) } else { w.write_all(b"{") }
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        if self.open.pop().unwrap_or(true) { self.pretty.end_object(w) } else { w.write_all(b"}") }
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        if self.indented() {
            self.pretty.begin_object_key(w, first)
        } else if first {
            Ok(())
        } else {
            w.write_all(b", ")
        }
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        if self.indented() { self.pretty.end_object_value(w) } else { Ok(()) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;

    #[test]
    fn top_level_indented_records_on_one_line() {
        let value = serde_json::json!({"format": "x", "entries": [{"a": 1, "t": ["p", "q"]}, {"a": 2}], "empty": []});
        let mut out = Vec::new();
        value.serialize(&mut serde_json::Serializer::with_formatter(&mut out, VaultLayout::default())).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "{\n  \"empty\": [],\n  \"entries\": [\n    {\"a\": 1, \"t\": [\"p\", \"q\"]},\n    {\"a\": 2}\n  ],\n  \"format\": \"x\"\n}"
        );
        assert_eq!(serde_json::from_str::<serde_json::Value>(&text).unwrap(), value);
    }
}
