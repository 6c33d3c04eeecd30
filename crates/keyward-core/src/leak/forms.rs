//! The forms a key travels in, besides itself: base64 (Kubernetes Secret manifests, CI
//! variables, a whole `.env` file encoded), URL-encoding, and JSON or YAML string escaping.
//! Each form is exact: a text holds the form only if it holds the key so encoded.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
use serde::Serialize;
use zeroize::Zeroizing;

/// How a key was written where it was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Encoding {
    Plain,
    Base64,
    UrlEncoded,
    JsonEscaped,
}

impl Encoding {
    /// Said after "found": "" for plain text.
    pub fn words(self) -> &'static str {
        match self {
            Encoding::Plain => "",
            Encoding::Base64 => " (base64-encoded)",
            Encoding::UrlEncoded => " (URL-encoded)",
            Encoding::JsonEscaped => " (JSON-escaped)",
        }
    }
}

/// Fewer characters than this are not searched for in base64: too short to be one key's alone.
const MIN_BASE64_CORE: usize = 16;

/// Every form of `value` worth searching for, the value itself first; no form twice.
pub fn forms(value: &[u8]) -> Vec<(Encoding, Zeroizing<Vec<u8>>)> {
    let mut out: Vec<(Encoding, Zeroizing<Vec<u8>>)> = vec![(Encoding::Plain, Zeroizing::new(value.to_vec()))];
    let mut add = |encoding, form: Zeroizing<Vec<u8>>| {
        if form.len() >= MIN_BASE64_CORE.min(value.len()) && !out.iter().any(|(_, f)| **f == *form) {
            out.push((encoding, form));
        }
    };
    for shift in 0..3 {
        for engine in [&STANDARD_NO_PAD, &URL_SAFE_NO_PAD] {
            let core = base64_core(value, shift, engine);
            if core.len() >= MIN_BASE64_CORE {
                add(Encoding::Base64, core);
            }
        }
    }
    add(Encoding::UrlEncoded, percent_encoded(value, b"0123456789ABCDEF"));
    add(Encoding::UrlEncoded, percent_encoded(value, b"0123456789abcdef"));
    add(Encoding::JsonEscaped, json_escaped(value, false));
    add(Encoding::JsonEscaped, json_escaped(value, true));
    out
}

/// The base64 characters that `value` alone decides when it starts `shift` bytes into a
/// 3-byte group of a longer text: the characters that also hold bits of the bytes before or
/// after it are left out, so the core is found wherever the key sits in the encoded text.
fn base64_core(value: &[u8], shift: usize, engine: &base64::engine::GeneralPurpose) -> Zeroizing<Vec<u8>> {
    let mut shifted = Zeroizing::new(vec![0u8; shift]);
    shifted.extend_from_slice(value);
    let encoded = Zeroizing::new(engine.encode(&*shifted).into_bytes());
    // The first `shift` bytes touch the first `shift + 1` characters (none when not shifted).
    let skip = if shift == 0 { 0 } else { shift + 1 };
    // A last group of 1 or 2 bytes ends in a character that also holds the next byte's bits.
    let drop = usize::from(!shifted.len().is_multiple_of(3));
    Zeroizing::new(encoded.get(skip..encoded.len().saturating_sub(drop)).unwrap_or_default().to_vec())
}

/// `value` with every byte outside RFC 3986's unreserved set percent-encoded.
fn percent_encoded(value: &[u8], hex: &[u8; 16]) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(Vec::with_capacity(value.len() * 3));
    for &b in value {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b);
        } else {
            out.extend_from_slice(&[b'%', hex[usize::from(b >> 4)], hex[usize::from(b & 15)]]);
        }
    }
    out
}

/// `value` inside a JSON (or YAML double-quoted) string; `slash`: with `/` written `\/`.
fn json_escaped(value: &[u8], slash: bool) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(Vec::with_capacity(value.len() + 8));
    for &b in value {
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'/' if slash => out.extend_from_slice(b"\\/"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\r' => out.extend_from_slice(b"\\r"),
            _ => out.push(b),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8] = b"sk-proj-Forms0123456789abcdefghijklmnopqrstuv";

    #[test]
    fn a_base64_core_is_found_wherever_the_key_sits_in_an_encoded_text() {
        let cores: Vec<Vec<u8>> =
            forms(KEY).into_iter().filter(|(e, _)| *e == Encoding::Base64).map(|(_, f)| f.to_vec()).collect();
        for before in ["", "A", "AB", "OPENAI_API_KEY=", "x=\n"] {
            for after in ["", "\n", "\nNEXT=1\n", "z"] {
                let text = [before.as_bytes(), KEY, after.as_bytes()].concat();
                for engine in [&base64::engine::general_purpose::STANDARD, &base64::engine::general_purpose::URL_SAFE] {
                    let encoded = engine.encode(&text).into_bytes();
                    assert!(
                        cores.iter().any(|c| encoded.windows(c.len()).any(|w| w == c.as_slice())),
                        "not found with {before:?} before and {after:?} after"
                    );
                }
            }
        }
    }

    #[test]
    fn a_key_one_character_off_has_no_form_in_common() {
        let mut near = KEY.to_vec();
        near[20] ^= 1;
        for (_, form) in forms(&near) {
            for (_, mine) in forms(KEY) {
                assert_ne!(*form, *mine);
            }
        }
    }

    #[test]
    fn url_and_json_forms_only_when_they_differ() {
        assert_eq!(
            forms(b"plain-key_0123456789abcdefghijkl").iter().filter(|(e, _)| *e != Encoding::Base64).count(),
            1
        );
        let kinds: Vec<Encoding> = forms(b"key+with/slash=0123456789abcdef").iter().map(|(e, _)| *e).collect();
        assert!(kinds.contains(&Encoding::UrlEncoded) && kinds.contains(&Encoding::JsonEscaped));
    }
}
