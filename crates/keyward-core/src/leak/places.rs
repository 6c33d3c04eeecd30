//! "My usual places": where keys end up on a developer's machine without anyone meaning to put
//! them there. Shell and REPL histories, the transcripts and settings of AI coding agents,
//! notebooks' outputs and the usual config folders.

use std::path::{Path, PathBuf};

/// Shell and REPL histories, under the home folder (a key found there is a line to delete).
const HISTORIES: &[&str] = &[
    ".bash_history",
    ".zsh_history",
    ".zhistory",
    ".histfile",
    ".sh_history",
    ".python_history",
    ".node_repl_history",
    ".psql_history",
    ".mysql_history",
    ".sqlite_history",
    ".irb_history",
    ".rediscli_history",
    ".local/share/fish/fish_history",
    ".ipython/profile_default/history.sqlite",
];

/// Under the home folder, besides the histories: agents' folders, notebooks, config.
const UNDER_HOME: &[&str] = &[
    ".ipython",
    ".jupyter",
    ".local/share/jupyter",
    // AI coding agents: transcripts, settings and MCP configuration.
    ".claude",
    ".claude.json",
    ".codex",
    ".gemini",
    ".cursor",
    ".aider.conf.yml",
    ".aider.chat.history.md",
    ".continue",
    ".windsurf",
    ".codeium",
    ".copilot",
    ".config/github-copilot",
    ".config/Claude",
    ".config/Cursor/User",
    ".config/Code/User",
    ".config/zed",
    ".config/goose",
    ".opencode",
    ".local/share/opencode",
    // Usual config files and folders.
    ".env",
    ".npmrc",
    ".pypirc",
    ".netrc",
    ".docker/config.json",
    ".config/gh",
    ".config/openai",
    ".config/anthropic",
    ".bashrc",
    ".bash_profile",
    ".profile",
    ".zshrc",
    ".zshenv",
    ".zprofile",
    ".config/fish/config.fish",
];

/// The usual places that exist on this device.
pub fn usual() -> Vec<PathBuf> {
    let Some(home) = dirs::home_dir() else { return Vec::new() };
    under(&home)
}

/// The usual places under `home` that exist.
pub fn under(home: &Path) -> Vec<PathBuf> {
    HISTORIES.iter().chain(UNDER_HOME).map(|p| home.join(p)).filter(|p| p.symlink_metadata().is_ok()).collect()
}

/// Whether `path` is a shell or REPL history.
pub fn is_history_file(path: &Path) -> bool {
    let name = path.file_name();
    name.is_some() && HISTORIES.iter().any(|h| Path::new(h).file_name() == name)
}
