//! How hard a master passphrase is to guess: zxcvbn's estimate (the measure KeePassXC and
//! Bitwarden show), and the minimum Keyward accepts for a new one.

use crate::error::{Result, VaultError};
use crate::{ExposeSecret, SecretString};
use serde::Serialize;

/// Below this zxcvbn score (0–4) a new passphrase is refused: fewer than about 10⁶ guesses
/// find it, which a thief with the vault file tries in days even at one guess a second.
pub const MIN_SCORE: u8 = 2;

/// A passphrase's rating, as the window shows it under the field.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Strength {
    /// 0 (guessed at once) to 4 (very hard to guess).
    pub score: u8,
    /// "very weak", "weak", "fair", "strong", "very strong".
    pub label: String,
    /// About how many guesses find it, as a power of ten.
    pub guesses_log10: f64,
    /// Long enough to be accepted for a new master passphrase.
    pub acceptable: bool,
    /// What makes it weak, and what would help (empty when it is strong).
    pub advice: String,
}

/// Rates `passphrase`; `context` are words an attacker would try first (the user name, the
/// vault's file name).
pub fn rate(passphrase: &str, context: &[&str]) -> Strength {
    if passphrase.is_empty() {
        return Strength {
            score: 0,
            label: LABELS[0].into(),
            guesses_log10: 0.0,
            acceptable: false,
            advice: "Choose a passphrase.".into(),
        };
    }
    let estimate = zxcvbn::zxcvbn(passphrase, context);
    let score = u8::from(estimate.score());
    let mut advice = Vec::new();
    if let Some(feedback) = estimate.feedback() {
        if let Some(warning) = feedback.warning() {
            advice.push(sentence(&warning.to_string()));
        }
        advice.extend(feedback.suggestions().iter().map(|s| sentence(&s.to_string())));
    }
    if score < MIN_SCORE && advice.is_empty() {
        advice.push("Use four or more uncommon words.".into());
    }
    Strength {
        score,
        label: LABELS[usize::from(score.min(4))].into(),
        guesses_log10: estimate.guesses_log10(),
        acceptable: score >= MIN_SCORE,
        advice: advice.join(" "),
    }
}

const LABELS: [&str; 5] = ["very weak", "weak", "fair", "strong", "very strong"];

fn sentence(text: &str) -> String {
    let text = text.trim();
    if text.ends_with('.') { text.to_string() } else { format!("{text}.") }
}

/// Refuses a new master passphrase that is trivially guessable, saying why in a sentence.
pub fn acceptable(passphrase: &SecretString) -> Result<()> {
    let strength = rate(passphrase.expose_secret(), &[]);
    if strength.acceptable {
        return Ok(());
    }
    if passphrase.expose_secret().is_empty() {
        return Err(VaultError::Invalid("Choose a passphrase.".into()));
    }
    Err(VaultError::Invalid(format!(
        "This passphrase is too easy to guess ({}). {} Nothing was changed.",
        strength.label, strength.advice
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_and_short_passphrases_are_refused() {
        for weak in ["a", "aaaaaaaaaaaaaaaaaaaa", "password1", "qwertyuiop", "12345678"] {
            let strength = rate(weak, &[]);
            assert!(!strength.acceptable, "{weak} was accepted: {strength:?}");
            assert!(strength.score < MIN_SCORE);
            let err = acceptable(&SecretString::from(weak.to_string())).unwrap_err();
            assert!(err.to_string().starts_with("This passphrase is too easy to guess"), "{err}");
            assert!(weak.len() < 3 || !err.to_string().contains(weak), "the passphrase is in the sentence");
        }
        assert_eq!(acceptable(&SecretString::from(String::new())).unwrap_err().to_string(), "Choose a passphrase.");
    }

    #[test]
    fn several_uncommon_words_are_strong() {
        let strength = rate("velvet orbit pancake lantern", &[]);
        assert!(strength.acceptable && strength.score >= 3, "{strength:?}");
        assert!(matches!(strength.label.as_str(), "strong" | "very strong"));
    }

    #[test]
    fn the_user_name_counts_against_the_passphrase() {
        let alone = rate("margaretha1987", &[]);
        let known = rate("margaretha1987", &["margaretha"]);
        assert!(known.guesses_log10 < alone.guesses_log10);
    }
}
