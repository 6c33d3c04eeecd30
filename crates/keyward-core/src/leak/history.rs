//! A git repository's history: every object in it (blobs, and commit and tag messages) read
//! once, in one `git cat-file --batch-all-objects` stream (packed objects, loose ones, and what
//! only a stash or a reflog still holds), never a `git log -p` per commit. Only for the objects
//! that hold a key does one `git log --raw` over every ref, stash and reflog say which commits
//! added them, when, and whether a remote-tracking branch has them (pushed).
//!
//! git runs with the repository's config ignored where it could run a program (a pager, an
//! external diff, a text conversion): a scanned repository is not trusted.

use super::needles::{Hit, Needles};
use super::{Place, ScanProgress, ScanReport, finding, stream, unknown};
use crate::check::Cancel;
use chrono::{DateTime, Utc};
use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// `git` in `repo`, without a pager, external diff or text conversion.
pub(crate) fn git(repo: &Path) -> Command {
    let mut c = Command::new("git");
    c.arg("--no-pager")
        .args(["-c", "core.fsmonitor=false", "-c", "diff.external=", "-c", "core.pager=cat"])
        // Signatures are checked by running the program the config names: never here.
        .args(["-c", "log.showSignature=false", "-c", "gpg.program=false", "-c", "gpg.ssh.program=false"])
        .args(["-c", "core.quotePath=false", "-c", "log.showRoot=true"])
        .arg("-C")
        .arg(repo)
        .env("GIT_PAGER", "cat")
        .env("GIT_TERMINAL_PROMPT", "0")
        // A partial clone fetches what it lacks from a remote, through programs the config
        // names (upload-pack, ssh): never here.
        .env("GIT_NO_LAZY_FETCH", "1")
        .stdin(Stdio::null())
        .stderr(Stdio::null());
    c
}

/// The repositories among or under `paths` (the one a path is in, and any below it).
pub fn repositories(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut repos = Vec::new();
    for path in paths {
        let dir = if path.is_dir() { path.clone() } else { path.parent().map(Path::to_path_buf).unwrap_or_default() };
        if let Ok(out) = git(&dir).args(["rev-parse", "--show-toplevel"]).output()
            && out.status.success()
        {
            repos.push(PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()));
        }
        let mut stack = vec![dir];
        while let Some(d) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&d) else { continue };
            for entry in entries.flatten() {
                let Ok(kind) = entry.file_type() else { continue };
                if entry.file_name() == ".git" {
                    repos.push(d.clone());
                } else if kind.is_dir() {
                    stack.push(entry.path());
                }
            }
        }
    }
    let mut seen = HashSet::new();
    repos.retain(|r| seen.insert(std::fs::canonicalize(r).unwrap_or_else(|_| r.clone())));
    repos
}

/// Scans every object of `repo` into `report`.
pub fn scan(
    needles: &Needles,
    repo: &Path,
    cancel: &Cancel,
    progress: &(dyn Fn(&ScanProgress) + Sync),
    report: &mut ScanReport,
) {
    let doing = format!("git history of {}", repo.display());
    let found = match objects(
        needles,
        repo,
        cancel,
        &|bytes| progress(&ScanProgress { bytes, doing: doing.clone() }),
        report,
    ) {
        Ok(found) => found,
        Err(e) => {
            report.unreadable.push(format!("The git history of {} could not be read: {e}.", repo.display()));
            return;
        }
    };
    if found.is_empty() {
        return;
    }
    let Some(added) = added_by(repo, &found.keys().cloned().collect()) else {
        report.unreadable.push(format!("Which commits of {} hold the keys found could not be read.", repo.display()));
        return;
    };
    let remote = remote_commits(repo);
    for (oid, (kind, hits)) in found {
        if kind != "blob" {
            let place = Place::Message { repo: repo.to_path_buf(), commit: oid.clone(), pushed: remote.contains(&oid) };
            push(needles, report, hits, |_| place.clone());
            continue;
        }
        let text = blob(repo, &oid);
        let commits = added.get(&oid).map(Vec::as_slice).unwrap_or_default();
        let place = |line: usize| match commits.iter().min_by_key(|c| c.time) {
            Some(first) => Place::Commit {
                repo: repo.to_path_buf(),
                commit: first.commit.clone(),
                path: first.path.clone(),
                line,
                first_committed: first.time,
                commits: commits.iter().map(|c| &c.commit).collect::<HashSet<_>>().len(),
                pushed: commits.iter().any(|c| remote.contains(&c.commit)),
            },
            None => Place::Loose { repo: repo.to_path_buf(), object: oid.clone() },
        };
        push(needles, report, hits, |offset| place(stream::line_of(&text, offset)));
    }
}

fn push(needles: &Needles, report: &mut ScanReport, hits: Vec<Hit>, place: impl Fn(usize) -> Place) {
    for hit in hits {
        let at = place(hit.start());
        match hit {
            Hit::Stored { owner, .. } => report.findings.push(finding(needles, owner, at)),
            Hit::Unknown { provider, masked, .. } => report.unknown.push(unknown(provider, masked, at)),
        }
    }
}

/// Object id → (its type, its hits), for every object with a hit.
type Found = HashMap<String, (String, Vec<Hit>)>;

/// Reads every object once.
fn objects(
    needles: &Needles,
    repo: &Path,
    cancel: &Cancel,
    progress: &dyn Fn(u64),
    report: &mut ScanReport,
) -> std::io::Result<Found> {
    let mut child =
        git(repo).args(["cat-file", "--batch-all-objects", "--batch", "--unordered"]).stdout(Stdio::piped()).spawn()?;
    let mut out = BufReader::with_capacity(1 << 20, child.stdout.take().expect("piped"));
    let mut found = Found::new();
    let mut buffer = Vec::new();
    let mut header = Vec::new();
    let mut bytes = 0u64;
    let stop = || cancel.is_cancelled();
    let mut complete = false;
    let result = loop {
        header.clear();
        if out.read_until(b'\n', &mut header)? == 0 {
            complete = true;
            break Ok(());
        }
        if stop() {
            break Ok(());
        }
        let line = String::from_utf8_lossy(&header);
        let mut parts = line.split_whitespace();
        let (Some(oid), Some(kind), Some(size)) = (parts.next(), parts.next(), parts.next()) else {
            break Err(std::io::Error::other("git cat-file gave an unexpected answer"));
        };
        let Ok(size) = size.parse::<u64>() else {
            break Err(std::io::Error::other("git cat-file gave an unexpected size"));
        };
        let mut content = (&mut out).take(size);
        if kind == "tree" {
            std::io::copy(&mut content, &mut std::io::sink())?;
        } else {
            report.objects += 1;
            let hits = stream::scan(needles, &mut content, &mut buffer, &stop, &mut |n| {
                bytes += n as u64;
                if n > 0 {
                    progress(bytes);
                }
            })?;
            // What a cancelled scan left unread of this object.
            std::io::copy(&mut content, &mut std::io::sink())?;
            if !hits.is_empty() {
                found.insert(oid.to_string(), (kind.to_string(), hits));
            }
        }
        let mut newline = [0u8; 1];
        out.read_exact(&mut newline)?;
    };
    report.bytes += bytes;
    if !complete {
        let _ = child.kill();
    }
    let status = child.wait()?;
    if complete && !status.success() {
        // A repository owned by someone else, a damaged one: said, never taken for clean.
        return Err(std::io::Error::other(
            "git could not read its objects (is the repository owned by another user, or damaged?)",
        ));
    }
    result.map(|()| found)
}

/// A commit that added an object at a path.
struct Added {
    commit: String,
    time: DateTime<Utc>,
    path: String,
}

/// Which commits (in any branch, tag, stash or reflog) added each of `oids`, and where.
fn added_by(repo: &Path, oids: &HashSet<String>) -> Option<HashMap<String, Vec<Added>>> {
    let mut added: HashMap<String, Vec<Added>> = HashMap::new();
    let mut child = git(repo)
        .args([
            "log",
            "--all",
            "--reflog",
            "-m",
            "--raw",
            "--no-abbrev",
            "--no-renames",
            "--no-ext-diff",
            "--no-textconv",
        ])
        .arg("--format=%x01%H %at")
        .stdout(Stdio::piped())
        .spawn()
        .ok()?;
    let out = BufReader::new(child.stdout.take().expect("piped"));
    let mut commit = (String::new(), DateTime::<Utc>::UNIX_EPOCH);
    for line in out.split(b'\n').map_while(Result::ok) {
        if let Some(head) = line.strip_prefix(b"\x01") {
            let head = String::from_utf8_lossy(head);
            let (hash, time) = head.split_once(' ').unwrap_or((&head, "0"));
            let time = DateTime::from_timestamp(time.trim().parse().unwrap_or(0), 0).unwrap_or_default();
            commit = (hash.to_string(), time);
        } else if line.starts_with(b":") {
            // `:100644 100644 <old> <new> <status>\t<path>`
            let line = String::from_utf8_lossy(&line);
            let Some((meta, path)) = line.split_once('\t') else { continue };
            let Some(new) = meta.split_whitespace().nth(3) else { continue };
            if oids.contains(new) {
                let list = added.entry(new.to_string()).or_default();
                if !list.iter().any(|a| a.commit == commit.0 && a.path == path) {
                    list.push(Added { commit: commit.0.clone(), time: commit.1, path: path.to_string() });
                }
            }
        }
    }
    child.wait().ok()?.success().then_some(added)
}

/// Every commit a remote-tracking branch holds.
fn remote_commits(repo: &Path) -> HashSet<String> {
    let Ok(out) = git(repo).args(["rev-list", "--remotes"]).output() else { return HashSet::new() };
    String::from_utf8_lossy(&out.stdout).lines().map(str::to_string).collect()
}

/// A blob's content (to say which line a key is on).
fn blob(repo: &Path, oid: &str) -> Vec<u8> {
    git(repo).args(["cat-file", "blob", oid]).output().map(|o| o.stdout).unwrap_or_default()
}
