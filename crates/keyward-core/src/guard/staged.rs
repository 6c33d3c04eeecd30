//! What a commit or a push would add: the added lines of `git diff --cached` (a commit), or
//! of the commits being pushed (a push), by file, with their line numbers. Only additions: a
//! commit that removes a key is what the person should do, and is let through.

use super::index::Index;
use crate::leak::forms::Encoding;
use std::path::Path;
use std::process::{Command, Stdio};

/// A stored key in what is being committed or pushed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blocked {
    pub name: String,
    pub path: String,
    pub line: usize,
    /// The commit that adds it (a push), or none (a commit).
    pub commit: Option<String>,
    pub encoding: Encoding,
    pub earlier: bool,
}

/// Added lines of one file (in one commit, for a push).
#[derive(Debug, Default)]
struct Added {
    commit: Option<String>,
    path: String,
    /// (line number, text)
    lines: Vec<(usize, Vec<u8>)>,
}

fn git(repo: &Path) -> Command {
    let mut c = crate::leak::history::git(repo);
    c.stdout(Stdio::piped());
    c
}

/// The diff options: whole text (binary files too), no context, no program of the repository's.
const DIFF: &[&str] = &[
    "-U0",
    "--text",
    "--no-color",
    "--no-ext-diff",
    "--no-textconv",
    "--no-renames",
    "--src-prefix=a/",
    "--dst-prefix=b/",
];

/// The stored keys that the staged changes of `repo` add.
pub fn check_commit(index: &Index, repo: &Path) -> crate::Result<Vec<Blocked>> {
    let out = git(repo)
        .args(["diff", "--cached", "--diff-filter=ACMRT"])
        .args(DIFF)
        .output()
        .map_err(|e| crate::VaultError::Invalid(format!("git could not be run: {e}")))?;
    if !out.status.success() {
        return Err(crate::VaultError::Invalid("git diff --cached failed: is this a git repository?".into()));
    }
    Ok(check(index, parse(&out.stdout, false)))
}

/// The stored keys that a push adds. `updates` is what git gives a pre-push hook on its input:
/// `<local ref> <local sha> <remote ref> <remote sha>` lines.
pub fn check_push(index: &Index, repo: &Path, updates: &str) -> crate::Result<Vec<Blocked>> {
    let mut blocked = Vec::new();
    for line in updates.lines() {
        let parts: Vec<&str> = line.split_whitespace().collect();
        let [_, local, _, remote] = parts[..] else { continue };
        if local.bytes().all(|b| b == b'0') {
            continue; // a branch being deleted adds nothing
        }
        let mut log = git(repo);
        // A merge's own changes too (what resolving a conflict added).
        log.args(["log", "-p", "--diff-merges=first-parent", "--no-show-signature", "--format=%x01%H"])
            .args(DIFF)
            .arg(local);
        // The remote's commit may not be here (a force push over commits not fetched): then
        // everything no remote-tracking branch has.
        let known = remote.bytes().any(|b| b != b'0')
            && git(repo).args(["cat-file", "-e", &format!("{remote}^{{commit}}")]).status().is_ok_and(|s| s.success());
        if known {
            log.arg(format!("^{remote}"));
        } else {
            log.args(["--not", "--remotes"]);
        }
        let out = log.output().map_err(|e| crate::VaultError::Invalid(format!("git could not be run: {e}")))?;
        if !out.status.success() {
            return Err(crate::VaultError::Invalid("git log failed for the commits being pushed.".into()));
        }
        blocked.extend(check(index, parse(&out.stdout, true)));
    }
    Ok(blocked)
}

fn check(index: &Index, files: Vec<Added>) -> Vec<Blocked> {
    let mut blocked = Vec::new();
    for file in files {
        let mut text = Vec::new();
        let mut starts = Vec::new();
        for (_, line) in &file.lines {
            starts.push(text.len());
            text.extend_from_slice(line);
            text.push(b'\n');
        }
        for m in index.find(&text) {
            let i = starts.partition_point(|&s| s <= m.start) - 1;
            blocked.push(Blocked {
                name: m.name,
                path: file.path.clone(),
                line: file.lines[i].0,
                commit: file.commit.clone(),
                encoding: m.encoding,
                earlier: m.earlier,
            });
        }
    }
    blocked
}

/// Parses a unified diff (`-U0`), with `\x01<commit>` lines before each commit's when `commits`.
fn parse(diff: &[u8], commits: bool) -> Vec<Added> {
    let mut files: Vec<Added> = Vec::new();
    let mut commit: Option<String> = None;
    let mut next_line = 0usize;
    // Between `diff --git` and the first `@@`: the file's header (an added line that starts
    // with `++` looks like a header line, but comes after `@@`).
    let mut header = false;
    for raw in diff.split(|&b| b == b'\n') {
        if commits && let Some(hash) = raw.strip_prefix(b"\x01") {
            // A commit's own line (a commit that changes no line leaves no `@@` before it).
            commit = Some(String::from_utf8_lossy(hash).trim().to_string());
            header = false;
        } else if raw.starts_with(b"diff --git ") {
            header = true;
        } else if header && let Some(path) = raw.strip_prefix(b"+++ ") {
            let path = String::from_utf8_lossy(path);
            let path = path.strip_prefix("b/").unwrap_or(&path).to_string();
            files.push(Added { commit: commit.clone(), path, lines: Vec::new() });
        } else if header && !raw.starts_with(b"@@ ") {
            // `index …`, `--- a/…`, `new file mode …`
        } else if let Some(hunk) = raw.strip_prefix(b"@@ ") {
            header = false;
            // `@@ -a,b +c,d @@`: added lines start at c.
            let hunk = String::from_utf8_lossy(hunk);
            next_line = hunk
                .split_whitespace()
                .find_map(|p| p.strip_prefix('+'))
                .and_then(|c| c.split(',').next()?.parse().ok())
                .unwrap_or(0);
        } else if let Some(added) = raw.strip_prefix(b"+")
            && let Some(file) = files.last_mut()
        {
            file.lines.push((next_line, added.to_vec()));
            next_line += 1;
        }
    }
    files.retain(|f| !f.lines.is_empty());
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn added_lines_keep_their_numbers_and_files() {
        let diff = b"diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -3,0 +4,2 @@\n+one\n+++ two\ndiff --git a/y b/y\n--- /dev/null\n+++ b/y\n@@ -0,0 +1 @@\n+three\n";
        let files = parse(diff, false);
        assert_eq!(files.len(), 2);
        assert_eq!((files[0].path.as_str(), files[0].lines[1].0), ("x", 5));
        assert_eq!(files[0].lines[1].1, b"++ two");
        assert_eq!((files[1].path.as_str(), files[1].lines[0].0), ("y", 1));
    }
}
