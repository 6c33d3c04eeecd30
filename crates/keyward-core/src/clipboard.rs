//! The clipboard policy shared by every client: how long a copied key stays, and when it may
//! be wiped. The clients own the actual clipboard (arboard in the CLI, the Tauri plugin in the app).

use crate::secret::Secret;
use std::time::Duration;

/// How long a copied key stays on the clipboard by default.
pub const DEFAULT_CLEAR_AFTER: Duration = Duration::from_secs(30);
/// The longest clear time a user can choose.
pub const MAX_CLEAR_AFTER: Duration = Duration::from_secs(3600);

/// Clear only when the clipboard still holds our key: never wipe what the user copied since.
pub fn should_clear(current: Option<&str>, ours: &Secret) -> bool {
    current == Some(ours.expose())
}

/// Clipboard managers that keep a history of copied text and do not honour the secret hint
/// (CopyQ 6 and Parcellite were seen writing a marked key to their history files), by the
/// process name they run under, with the name people know them by.
const HISTORY_MANAGERS: &[(&str, &str)] = &[
    ("copyq", "CopyQ"),
    ("parcellite", "Parcellite"),
    ("gpaste-daemon", "GPaste"),
    ("klipper", "Klipper"),
    ("clipit", "ClipIt"),
    ("diodon", "Diodon"),
    ("xfce4-clipman", "Clipman"),
    ("greenclip", "greenclip"),
    ("clipmenud", "clipmenu"),
    ("cliphist", "cliphist"),
];

/// The history-keeping clipboard managers among these process names, each named once.
pub fn history_managers<'a>(process_names: impl IntoIterator<Item = &'a str>) -> Vec<&'static str> {
    let mut found: Vec<&'static str> = Vec::new();
    for name in process_names {
        if let Some((_, label)) = HISTORY_MANAGERS.iter().find(|(process, _)| *process == name.trim())
            && !found.contains(label)
        {
            found.push(label);
        }
    }
    found.sort_unstable();
    found
}

/// The history-keeping clipboard managers running now for any user (Linux: from /proc).
pub fn running_history_managers() -> Vec<&'static str> {
    let Ok(dir) = std::fs::read_dir("/proc") else { return Vec::new() };
    let names: Vec<String> = dir
        .flatten()
        .filter(|d| d.file_name().to_string_lossy().bytes().all(|b| b.is_ascii_digit()))
        .filter_map(|d| std::fs::read_to_string(d.path().join("comm")).ok())
        .collect();
    history_managers(names.iter().map(String::as_str))
}

/// The warning to show once when such managers run: plain words and what to do.
pub fn history_warning(managers: &[&str]) -> String {
    format!(
        "{} keeps a history of what you copy and may ignore the mark that asks it not to keep keys: \
         a copied key can stay in its history after Keyward clears the clipboard. Consider a shorter \
         clear time, or turn off its history for secrets.",
        managers.join(" and ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_history_managers_by_process_name() {
        let running = ["bash", "copyq", "parcellite", "copyq", "Xvfb", "parcellite\n"];
        assert_eq!(history_managers(running), ["CopyQ", "Parcellite"]);
        assert!(history_managers(["bash", "gnome-shell"]).is_empty());
        assert!(history_warning(&["CopyQ"]).starts_with("CopyQ keeps a history"));
    }

    #[test]
    fn clears_only_our_own_value() {
        let ours = Secret::from("sk-ours");
        assert!(should_clear(Some("sk-ours"), &ours));
        assert!(!should_clear(Some("something the user copied"), &ours));
        assert!(!should_clear(None, &ours));
    }
}
