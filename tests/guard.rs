//! The commit guard, end to end: `keyward guard install`, then real `git commit` and `git push`
//! with the vault locked and no passphrase anywhere; hooks that were there keep running, and
//! uninstalling puts them back exactly.

use keyward_e2e::{TestVault, git, git_command};
use std::fs;
use std::path::Path;
use std::process::Output;

const KEY: &str = "sk-proj-GuardE2E1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6q7";
const NOT_STORED: &str = "sk-proj-NotStored9b8c7d6e5f4g3h2i1j0k9l8m7n6o5p4";

/// git as the person would run it: their HOME (the test's), the vault locked, no passphrase.
fn git_as_user(v: &TestVault, repo: &Path, args: &[&str]) -> Output {
    let mut cmd = git_command(repo);
    keyward_e2e::isolate_git(&mut cmd, &v.dir.path().join(".gitconfig"));
    cmd.args(args)
        .env("HOME", v.dir.path())
        .env("XDG_DATA_HOME", v.dir.path().join("data"))
        .env("XDG_CONFIG_HOME", v.dir.path().join(".config"))
        .env_remove("KEYWARD_PASSPHRASE")
        .env_remove("KEYWARD_VAULT")
        .output()
        .unwrap()
}

fn said(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

fn stored_vault() -> TestVault {
    let v = TestVault::new();
    v.ok(&["add", "prod-openai"], Some(KEY));
    v
}

fn new_repo(v: &TestVault, name: &str) -> std::path::PathBuf {
    let repo = v.dir.path().join(name);
    fs::create_dir_all(&repo).unwrap();
    git(&repo, &["init", "-q"]);
    repo
}

/// Every file under `dir`, read.
fn files_under(dir: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).into_iter().flatten().flatten() {
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            } else {
                out.push((e.path(), fs::read(e.path()).unwrap_or_default()));
            }
        }
    }
    out
}

#[test]
fn a_commit_and_a_push_adding_a_stored_key_are_stopped_with_the_vault_locked() {
    let v = stored_vault();
    let repo = new_repo(&v, "repo");
    // A hook that was there before: it must keep running, and come back exactly.
    let hooks = repo.join(".git/hooks");
    let before = format!("#!/bin/sh\necho ran >> '{}'\n", v.dir.path().join("earlier-hook-ran").display());
    fs::write(hooks.join("pre-commit"), &before).unwrap();
    fs::set_permissions(hooks.join("pre-commit"), std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();

    let out = v.ok(&["guard", "install", repo.to_str().unwrap()], None);
    assert!(out.contains("pre-commit hook that was there still runs"), "{out}");

    // An ordinary commit goes through, and the earlier hook ran.
    fs::write(repo.join("README"), "hello\n").unwrap();
    git(&repo, &["add", "README"]);
    let ok = git_as_user(&v, &repo, &["commit", "-q", "-m", "readme"]);
    assert!(ok.status.success(), "{}", said(&ok));
    assert!(v.dir.path().join("earlier-hook-ran").exists());
    // A key that is not stored is not this guard's business.
    fs::write(repo.join("other.py"), format!("k = \"{NOT_STORED}\"\n")).unwrap();
    git(&repo, &["add", "other.py"]);
    assert!(git_as_user(&v, &repo, &["commit", "-q", "-m", "other"]).status.success());

    // A stored key: stopped, with its name, the file and the line, and not the key.
    fs::write(repo.join("config.py"), format!("import os\nOPENAI_API_KEY = \"{KEY}\"\n")).unwrap();
    git(&repo, &["add", "config.py"]);
    let stopped = git_as_user(&v, &repo, &["commit", "-q", "-m", "config"]);
    let words = said(&stopped);
    assert!(!stopped.status.success(), "{words}");
    assert!(words.contains("\"prod-openai\"") && words.contains("config.py line 2"), "{words}");
    assert!(words.contains("--no-verify"), "{words}");
    assert!(!words.contains(KEY), "{words}");
    assert_eq!(git(&repo, &["log", "--format=%s"]).lines().next(), Some("other"));
    // Base64-encoded (a Kubernetes Secret) too.
    git(&repo, &["rm", "-q", "--cached", "config.py"]);
    let encoded = String::from_utf8(
        std::process::Command::new("base64").arg("-w0").arg(repo.join("config.py")).output().unwrap().stdout,
    )
    .unwrap();
    fs::write(repo.join("secret.yaml"), format!("data:\n  config: {encoded}\n")).unwrap();
    git(&repo, &["add", "secret.yaml"]);
    let stopped = git_as_user(&v, &repo, &["commit", "-q", "-m", "secret"]);
    assert!(
        !stopped.status.success() && said(&stopped).contains("(base64-encoded): secret.yaml line 2"),
        "{}",
        said(&stopped)
    );

    // --no-verify is the person's way through; the push is then stopped.
    assert!(git_as_user(&v, &repo, &["commit", "-q", "--no-verify", "-m", "secret"]).status.success());
    let remote = v.dir.path().join("remote.git");
    git(v.dir.path(), &["init", "-q", "--bare", remote.to_str().unwrap()]);
    git(&repo, &["remote", "add", "origin", remote.to_str().unwrap()]);
    let push = git_as_user(&v, &repo, &["push", "-q", "origin", "main"]);
    let words = said(&push);
    assert!(!push.status.success(), "{words}");
    assert!(words.contains("this push was stopped") && words.contains("secret.yaml line 2 in commit"), "{words}");
    assert!(git(&remote, &["branch", "--list"]).trim().is_empty(), "the remote got the branch");

    // Nothing on disk holds the key, nor an unkeyed hash of it.
    let sha256 = hex(&sha256_of(KEY.as_bytes()));
    for (path, bytes) in files_under(&v.dir.path().join("data")).into_iter().chain(files_under(&hooks)) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains(KEY) && !text.contains(&KEY[8..30]), "{} holds the key", path.display());
        assert!(!text.contains(&sha256[..16]), "{} holds its SHA-256", path.display());
    }

    // Uninstall: the earlier hook is back, byte for byte, and no pre-push is left.
    v.ok(&["guard", "uninstall", repo.to_str().unwrap()], None);
    assert_eq!(fs::read_to_string(hooks.join("pre-commit")).unwrap(), before);
    assert!(!hooks.join("pre-push").exists() && !hooks.join("pre-commit.before-keyward").exists());
}

#[test]
fn the_global_guard_covers_every_repository_and_uninstalls_exactly() {
    let v = stored_vault();
    let config = v.dir.path().join(".gitconfig");
    // A hooks folder set before (a team's shared hooks): it keeps running, and is set back.
    let shared = v.dir.path().join("team-hooks");
    fs::create_dir_all(&shared).unwrap();
    fs::write(shared.join("pre-commit"), format!("#!/bin/sh\ntouch '{}'\n", v.dir.path().join("shared-ran").display()))
        .unwrap();
    fs::set_permissions(shared.join("pre-commit"), std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let set = git_as_user(&v, v.dir.path(), &["config", "--global", "core.hooksPath", shared.to_str().unwrap()]);
    assert!(set.status.success());
    let before = fs::read_to_string(&config).unwrap();

    assert!(v.command(&["guard", "install", "--global"]).output().unwrap().status.success());
    let repo = new_repo(&v, "any-repo");
    fs::write(repo.join("ok.txt"), "fine\n").unwrap();
    git(&repo, &["add", "ok.txt"]);
    assert!(git_as_user(&v, &repo, &["commit", "-q", "-m", "ok"]).status.success());
    assert!(v.dir.path().join("shared-ran").exists(), "the hooks folder set before did not run");
    fs::write(repo.join(".env"), format!("OPENAI_API_KEY={KEY}\n")).unwrap();
    git(&repo, &["add", ".env"]);
    let stopped = git_as_user(&v, &repo, &["commit", "-q", "-m", "env"]);
    assert!(!stopped.status.success() && said(&stopped).contains(".env line 1"), "{}", said(&stopped));
    // The other hooks of the folder set before still run (a commit-msg hook, say).
    fs::write(shared.join("commit-msg"), format!("#!/bin/sh\ntouch '{}'\n", v.dir.path().join("msg-ran").display()))
        .unwrap();
    fs::set_permissions(shared.join("commit-msg"), std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    git(&repo, &["rm", "-q", "--cached", ".env"]);
    assert!(git_as_user(&v, &repo, &["commit", "-q", "--allow-empty", "-m", "msg"]).status.success());
    assert!(v.dir.path().join("msg-ran").exists(), "the commit-msg hook of the folder set before did not run");
    // A repository's own install is refused where core.hooksPath chooses a shared folder.
    let mut own = v.command(&["guard", "install", repo.to_str().unwrap()]);
    let refused = own.output().unwrap();
    assert!(!refused.status.success() && said(&refused).contains("core.hooksPath"), "{}", said(&refused));

    assert!(v.command(&["guard", "uninstall", "--global"]).output().unwrap().status.success());
    assert_eq!(fs::read_to_string(&config).unwrap(), before, "the global git config is not as it was");
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn sha256_of(bytes: &[u8]) -> Vec<u8> {
    let mut child = std::process::Command::new("sha256sum")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), bytes).unwrap();
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    (0..32).map(|i| u8::from_str_radix(&text[2 * i..2 * i + 2], 16).unwrap()).collect()
}
