//! Installing and removing the guard's git hooks (pre-commit and pre-push), for one repository
//! or for every repository (`core.hooksPath` in the global git config). A hook that was there
//! is kept and still runs after the guard; uninstalling puts everything back as it was.

use crate::{Result, VaultError};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The first lines of a hook Keyward wrote (how uninstall knows it).
const MARK: &str = "# keyward guard:";
const HOOKS: &[&str] = &["pre-commit", "pre-push"];
/// The other hooks git runs on a person's side: the global hooks folder forwards each to the
/// folder set before (or the repository's own), so that none stops running.
const FORWARDED: &[&str] = &[
    "applypatch-msg",
    "pre-applypatch",
    "post-applypatch",
    "pre-merge-commit",
    "prepare-commit-msg",
    "commit-msg",
    "post-commit",
    "pre-rebase",
    "post-checkout",
    "post-merge",
    "pre-auto-gc",
    "post-rewrite",
    "sendemail-validate",
    "post-index-change",
    "reference-transaction",
];
/// Where a hook that was there before is kept, beside ours.
const BEFORE: &str = ".before-keyward";
/// In the global hooks folder: the `core.hooksPath` that was set before, if any.
const PREVIOUS: &str = "previous-hooks-path";

/// What was done.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct HookChange {
    /// The hooks folder.
    pub dir: PathBuf,
    /// Hooks that were there before and now run after the guard (or, on uninstall, are back).
    pub chained: Vec<String>,
}

fn git(dir: &Path) -> Command {
    let mut c = crate::leak::history::git(dir);
    c.stdout(std::process::Stdio::piped());
    c
}

fn git_out(c: &mut Command) -> Option<String> {
    let out = c.output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn quoted(path: &Path) -> String {
    format!("'{}'", path.display().to_string().replace('\'', "'\\''"))
}

/// The hook's script: the guard, then the hook that was there (beside it, or for the global
/// hooks the previous hooks folder's, else the repository's own).
fn script(hook: &str, keyward: &Path, global: Option<&Option<PathBuf>>) -> String {
    let check = if hook == "pre-push" { "--push" } else { "--commit" };
    let next = match global {
        None => format!("\"$0{BEFORE}\""),
        Some(Some(previous)) => quoted(&previous.join(hook)),
        Some(None) => format!("\"$(git rev-parse --git-common-dir)/hooks/{hook}\""),
    };
    let (feed, run_next) = if hook == "pre-push" {
        (
            "input=$(cat)\nprintf '%s\\n' \"$input\" | ",
            format!("  printf '%s\\n' \"$input\" | {next} \"$@\"\n  exit $?\n"),
        )
    } else {
        ("", format!("  exec {next} \"$@\"\n"))
    };
    format!(
        "#!/bin/sh\n{MARK} refuses a {what} that adds one of your stored keys.\n\
         # `keyward guard uninstall` removes it; `git {what} --no-verify` skips it once.\n\
         {feed}{keyward} guard check {check} || exit $?\n\
         if [ -x {next} ]; then\n{run_next}fi\n",
        what = if hook == "pre-push" { "push" } else { "commit" },
        keyward = quoted(keyward),
    )
}

/// A hook of the global folder that only runs the one it stands for.
fn forwarder(hook: &str, previous: &Option<PathBuf>) -> String {
    let next = match previous {
        Some(p) => quoted(&p.join(hook)),
        None => format!("\"$(git rev-parse --git-common-dir)/hooks/{hook}\""),
    };
    format!(
        "#!/bin/sh\n{MARK} forwards {hook} to the hook that would run without the guard.\n\
         if [ -x {next} ]; then exec {next} \"$@\"; fi\n"
    )
}

fn is_ours(path: &Path) -> bool {
    std::fs::read_to_string(path).is_ok_and(|s| s.lines().nth(1).is_some_and(|l| l.starts_with(MARK)))
}

fn write_hook(path: &Path, text: &str) -> Result<()> {
    crate::atomic_file::replace_without_backups(path, text.as_bytes())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).map_err(|e| VaultError::io(path, e))?;
    }
    Ok(())
}

/// The hooks folder of the repository at `repo`.
fn repo_hooks(repo: &Path) -> Result<PathBuf> {
    let not_a_repo = || VaultError::Invalid(format!("{} is not in a git repository.", repo.display()));
    let dir = git_out(git(repo).args(["rev-parse", "--path-format=absolute", "--git-path", "hooks"]))
        .ok_or_else(not_a_repo)?;
    Ok(PathBuf::from(dir))
}

/// Refuses a hooks folder chosen by `core.hooksPath`: other repositories may share it (the
/// guard's own global folder, a team's hooks), and "this repository" must not change them.
fn own_hooks(repo: &Path) -> Result<PathBuf> {
    let dir = repo_hooks(repo)?;
    if let Some(set) = git_out(git(repo).args(["config", "--get", "core.hooksPath"])).filter(|p| !p.is_empty()) {
        return Err(VaultError::Invalid(format!(
            "This repository's hooks are in {set} (core.hooksPath), which other repositories may share: Keyward \
             will not change them. Use `keyward guard install --global`, or add `keyward guard check --commit` to \
             that folder's pre-commit hook."
        )));
    }
    Ok(dir)
}

/// Installs the hooks in the repository at `repo`, running `keyward`.
pub fn install(repo: &Path, keyward: &Path) -> Result<HookChange> {
    let dir = own_hooks(repo)?;
    crate::api::create_private_dir(&dir)?;
    let mut chained = Vec::new();
    for hook in HOOKS {
        let path = dir.join(hook);
        if path.exists() && !is_ours(&path) {
            let before = dir.join(format!("{hook}{BEFORE}"));
            if before.exists() {
                return Err(VaultError::Invalid(format!(
                    "{} already exists; Keyward will not overwrite it.",
                    before.display()
                )));
            }
            std::fs::rename(&path, &before).map_err(|e| VaultError::io(&path, e))?;
            chained.push(hook.to_string());
        }
        write_hook(&path, &script(hook, keyward, None))?;
    }
    Ok(HookChange { dir, chained })
}

/// Removes the hooks from the repository at `repo`; the hooks that were there come back.
pub fn uninstall(repo: &Path) -> Result<HookChange> {
    let dir = own_hooks(repo)?;
    let mut chained = Vec::new();
    for hook in HOOKS {
        let path = dir.join(hook);
        if !is_ours(&path) {
            continue;
        }
        std::fs::remove_file(&path).map_err(|e| VaultError::io(&path, e))?;
        let before = dir.join(format!("{hook}{BEFORE}"));
        if before.exists() {
            std::fs::rename(&before, &path).map_err(|e| VaultError::io(&before, e))?;
            chained.push(hook.to_string());
        }
    }
    Ok(HookChange { dir, chained })
}

/// The global `core.hooksPath` as written (`~/…` kept), or with `--type=path` as git reads it.
fn global_hooks_path(expanded: bool) -> Option<PathBuf> {
    let mut c = Command::new("git");
    c.args(["config", "--global"]);
    if expanded {
        c.arg("--type=path");
    }
    c.args(["--get", "core.hooksPath"]).stdout(std::process::Stdio::piped());
    git_out(&mut c).filter(|p| !p.is_empty()).map(PathBuf::from)
}

/// Installs the hooks for every repository of this user (`core.hooksPath` in the global git
/// config, to `dir`); a hooks folder set before keeps running after the guard, else each
/// repository's own hooks do.
pub fn install_global(dir: &Path, keyward: &Path) -> Result<HookChange> {
    crate::api::create_private_dir(dir)?;
    let previous_file = dir.join(PREVIOUS);
    let current = global_hooks_path(false);
    let previous = if global_hooks_path(true).as_deref() == Some(dir) {
        std::fs::read_to_string(&previous_file)
            .ok()
            .map(|p| PathBuf::from(p.trim()))
            .filter(|p| !p.as_os_str().is_empty())
    } else {
        current
    };
    let record = previous.as_ref().map(|p| p.display().to_string()).unwrap_or_default();
    crate::atomic_file::replace_without_backups(&previous_file, record.as_bytes())?;
    // The record keeps the setting as written; the scripts run the folder git would use.
    let runs = previous.as_deref().map(|p| crate::api::expand_home(&p.to_string_lossy()));
    for hook in HOOKS {
        write_hook(&dir.join(hook), &script(hook, keyward, Some(&runs)))?;
    }
    for hook in FORWARDED {
        write_hook(&dir.join(hook), &forwarder(hook, &runs))?;
    }
    let status = Command::new("git").args(["config", "--global", "core.hooksPath"]).arg(dir).status();
    if !status.is_ok_and(|s| s.success()) {
        return Err(VaultError::Invalid("git config --global core.hooksPath could not be set.".into()));
    }
    Ok(HookChange {
        dir: dir.to_path_buf(),
        chained: previous.map(|p| vec![p.display().to_string()]).unwrap_or_default(),
    })
}

/// Undoes [`install_global`]: the global `core.hooksPath` is what it was before.
pub fn uninstall_global(dir: &Path) -> Result<HookChange> {
    let previous =
        std::fs::read_to_string(dir.join(PREVIOUS)).ok().map(|p| p.trim().to_string()).filter(|p| !p.is_empty());
    if global_hooks_path(true).as_deref() == Some(dir) {
        let mut c = Command::new("git");
        c.args(["config", "--global"]);
        match &previous {
            Some(p) => c.args(["core.hooksPath", p]),
            None => c.args(["--unset", "core.hooksPath"]),
        };
        if !c.status().is_ok_and(|s| s.success()) {
            return Err(VaultError::Invalid("git config --global core.hooksPath could not be restored.".into()));
        }
    }
    for hook in HOOKS.iter().chain(FORWARDED) {
        let path = dir.join(hook);
        if is_ours(&path) {
            std::fs::remove_file(&path).map_err(|e| VaultError::io(&path, e))?;
        }
    }
    let _ = std::fs::remove_file(dir.join(PREVIOUS));
    let _ = std::fs::remove_dir(dir);
    Ok(HookChange { dir: dir.to_path_buf(), chained: previous.into_iter().collect() })
}
