//! `keyward scan`, end to end: fixture repositories and home folders built here, with stored
//! keys planted where keys really leak, scanned by the real binary.

use keyward_e2e::{TestVault, git};
use serde_json::Value;
use std::fs;
use std::path::Path;

const A: &str = "sk-proj-LeakA1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6q7r8";
const B: &str = "sk-ant-api03-LeakB9z8y7x6w5v4u3t2s1r0q9p8o7n6m5";
const C: &str = "gsk_LeakC1q2w3e4r5t6y7u8i9o0p1a2s3d4f5g6h7";
const D: &str = "xai-LeakD0p9o8i7u6y5t4r3e2w1q0a9s8d7f6g5h4";
const E: &str = "AIzaSyLeakE1234567890abcdefghijklmnopq";
const F: &str = "sk-or-v1-LeakF0a1b2c3d4e5f60a1b2c3d4e5f60a1b2c3d4e5f6";
const G_OLD: &str = "hf_LeakGold1234567890abcdefghijklmnop";
const G_NEW: &str = "hf_LeakGnew1234567890abcdefghijklmnop";
/// Not in the vault: reported apart.
const NOT_MINE: &str = "sk-ant-api03-NotMine0123456789abcdefghijklmnopq";

fn vault() -> TestVault {
    let v = TestVault::new();
    for (name, key) in [("a", A), ("b", B), ("c", C), ("d", D), ("e", E), ("f", F), ("g", G_OLD)] {
        v.ok(&["add", name], Some(key));
    }
    v.ok(&["edit", "g", "--secret-stdin"], Some(G_NEW));
    v
}

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn commit(repo: &Path, message: &str, date: &str) {
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-q", "-m", message, "--date", date]);
}

/// Runs `keyward scan args --json`: (exit code, the report, everything printed).
fn scan(v: &TestVault, args: &[&str]) -> (Option<i32>, Value, String) {
    let mut all = vec!["scan", "--json"];
    all.extend_from_slice(args);
    let out = v.run(&all, None);
    let printed = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    let report = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {printed}"));
    (out.status.code(), report, printed)
}

/// The findings of `name`, as (place kind, where in words).
fn found(report: &Value, name: &str) -> Vec<(String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["entry_name"] == name)
        .map(|f| (f["place"]["kind"].as_str().unwrap().to_string(), f["where_"].as_str().unwrap().to_string()))
        .collect()
}

fn no_key_printed(printed: &str) {
    for key in [A, B, C, D, E, F, G_OLD, G_NEW, NOT_MINE] {
        assert!(!printed.contains(key), "a key was printed: {printed}");
    }
}

#[test]
fn history_finds_keys_in_deleted_files_branches_stashes_packs_and_base64_and_says_what_was_pushed() {
    let v = vault();
    let root = v.dir.path().join("work");
    let (repo, remote) = (root.join("project"), root.join("remote.git"));
    fs::create_dir_all(&repo).unwrap();
    git(&root, &["init", "-q", "--bare", remote.to_str().unwrap()]);
    git(&repo, &["init", "-q"]);
    git(&repo, &["remote", "add", "origin", remote.to_str().unwrap()]);

    // A key in a packed object: committed, then `git gc` packs it.
    write(&repo.join("old/settings.toml"), &format!("[xai]\napi_key = \"{D}\"\n"));
    commit(&repo, "settings", "2025-01-10T12:00:00Z");
    git(&repo, &["gc", "-q"]);
    // A key committed, pushed, then deleted: it stays in the history.
    write(&repo.join("config.py"), &format!("import os\n\nOPENAI_KEY = \"{A}\"\n"));
    commit(&repo, "config", "2025-02-15T12:00:00Z");
    fs::remove_file(repo.join("config.py")).unwrap();
    commit(&repo, "remove the key", "2025-02-16T12:00:00Z");
    git(&repo, &["push", "-q", "origin", "main"]);
    // A Kubernetes Secret: the key base64-encoded, in the working tree and a local commit.
    let encoded = base64(E);
    write(&repo.join("deploy/secret.yaml"), &format!("kind: Secret\ndata:\n  GEMINI_API_KEY: {encoded}\n"));
    // A near miss of a stored key (one character off) is not one of mine.
    let mut near = A.to_string();
    near.replace_range(30..31, "Z");
    write(&repo.join("decoy.txt"), &format!("example = {near}\n"));
    commit(&repo, "deploy", "2025-03-01T12:00:00Z");
    // Another branch, never pushed.
    git(&repo, &["checkout", "-q", "-b", "feature"]);
    write(&repo.join("feature.env"), &format!("ANTHROPIC_API_KEY={B}\n"));
    commit(&repo, "feature", "2025-04-01T12:00:00Z");
    git(&repo, &["checkout", "-q", "main"]);
    // A stash.
    write(&repo.join("decoy.txt"), &format!("example = {near}\nGROQ_API_KEY={C}\n"));
    git(&repo, &["stash", "-q"]);
    // Ignored by git: a plaintext copy on disk, never committed.
    write(&repo.join(".gitignore"), ".env\n");
    write(&repo.join(".env"), &format!("OPENROUTER_API_KEY={F}\n"));
    // A key that is not in the vault.
    write(&repo.join("notes/app.py"), &format!("client = Anthropic(api_key=\"{NOT_MINE}\")\n"));

    // A scanned repository is not trusted: its config runs no program.
    let marker = root.join("ran");
    for key in ["core.fsmonitor", "core.pager", "diff.external", "filter.x.smudge", "filter.x.clean", "diff.x.textconv"]
    {
        git(&repo, &["config", key, &format!("touch {}-{key}", marker.display())]);
    }
    write(&repo.join(".gitattributes"), "* diff=x filter=x\n");

    let (code, report, printed) = scan(&v, &["--history", repo.to_str().unwrap()]);
    assert_eq!(code, Some(1), "{printed}");
    no_key_printed(&printed);
    let ran: Vec<_> =
        fs::read_dir(&root).unwrap().flatten().filter(|e| e.file_name().to_string_lossy().starts_with("ran")).collect();
    assert!(ran.is_empty(), "the scanned repository's config ran a program: {ran:?}");

    let a = found(&report, "a");
    assert!(
        a.iter().any(|(kind, at)| kind == "commit"
            && at.contains("config.py line 3")
            && at.contains("first committed 2025-02-15")
            && at.ends_with(", pushed")),
        "{a:?}"
    );
    let b = found(&report, "b");
    assert!(
        b.iter().any(|(kind, at)| kind == "commit" && at.contains("feature.env line 1") && at.ends_with("not pushed")),
        "{b:?}"
    );
    let c = found(&report, "c");
    assert!(c.iter().any(|(kind, at)| kind == "commit" && at.contains("decoy.txt line 2")), "the stash: {c:?}");
    let d = found(&report, "d");
    assert!(
        d.iter()
            .any(|(kind, at)| kind == "commit" && at.contains("old/settings.toml line 2") && at.contains("2025-01-10")),
        "{d:?}"
    );
    let e = found(&report, "e");
    assert!(e.iter().any(|(kind, at)| kind == "file" && at.contains("secret.yaml line 3, tracked by git")), "{e:?}");
    assert!(e.iter().any(|(kind, _)| kind == "commit"), "{e:?}");
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["entry_name"] == "e")
            .all(|f| f["encoding"] == "base64")
    );
    let f = found(&report, "f");
    assert_eq!(f.len(), 1, "{f:?}");
    assert!(f[0].1.contains(".env line 1, ignored by git"), "{f:?}");
    // The decoy is no stored key, and the key not in the vault is reported apart.
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| !f["where_"].as_str().unwrap().contains("decoy.txt line 1"))
    );
    let unknown = report["unknown"].as_array().unwrap();
    assert!(
        unknown.iter().any(|u| u["provider"] == "anthropic" && u["where_"].as_str().unwrap().contains("app.py line 1")),
        "{unknown:?}"
    );
    // Pushed first.
    assert_eq!(report["findings"][0]["entry_name"], "a", "{report}");

    // The same in words.
    let out = v.run(&["scan", "--history", repo.to_str().unwrap()], None);
    let words = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(out.status.code(), Some(1));
    no_key_printed(&words);
    assert!(words.contains("Found 6 of your keys"), "{words}");
    assert!(words.contains("now: it was pushed"), "{words}");
    // The key not in the vault, and the near miss (it looks like a key too: not mine).
    assert!(
        words.contains("Keys that are not in your vault (4)") && words.contains("Anthropic sk-ant-…nopq"),
        "{words}"
    );
}

#[test]
fn usual_places_and_notebooks_and_earlier_values() {
    let v = vault();
    let home = v.dir.path();
    // zsh's extended history, an agent's transcript, a notebook's output.
    write(&home.join(".zsh_history"), &format!(": 1700000000:0;ls\n: 1700000100:0;export OPENAI_API_KEY={A}\n"));
    // A dotfile that is a link (stow, chezmoi): followed.
    write(&home.join("dotfiles/bashrc"), &format!("export XAI_API_KEY={D}\n"));
    std::os::unix::fs::symlink(home.join("dotfiles/bashrc"), home.join(".bashrc")).unwrap();
    write(
        &home.join(".claude/projects/demo/session.jsonl"),
        &format!("{{\"type\":\"tool_result\",\"content\":\"ANTHROPIC_API_KEY={B}\\nok\"}}\n"),
    );
    let work = home.join("notebooks");
    write(
        &work.join("explore.ipynb"),
        &format!("{{\"cells\":[{{\"outputs\":[{{\"text\":[\"key: {G_OLD}\\n\"]}}]}}]}}\n"),
    );
    write(&work.join("clean.txt"), "nothing here\n");

    let (code, report, printed) = scan(&v, &["--home", work.to_str().unwrap()]);
    assert_eq!(code, Some(1), "{printed}");
    no_key_printed(&printed);
    let a = found(&report, "a");
    assert!(a.iter().any(|(_, at)| at.contains(".zsh_history line 2")), "{a:?}");
    let advice: Vec<&str> =
        report["findings"].as_array().unwrap().iter().map(|f| f["advice"].as_str().unwrap()).collect();
    assert!(advice.iter().any(|a| a.contains("delete the line from the history")), "{advice:?}");
    assert!(
        found(&report, "b").iter().any(|(_, at)| at.contains(".claude/projects/demo/session.jsonl line 1")),
        "{report}"
    );
    let g: Vec<&Value> = report["findings"].as_array().unwrap().iter().filter(|f| f["entry_name"] == "g").collect();
    assert_eq!(g.len(), 1, "{report}");
    assert!(g[0]["replaced_at"].is_string() && g[0]["where_"].as_str().unwrap().contains("explore.ipynb line 1"));

    // Nothing found: exit code 0.
    let (code, report, _) = scan(&v, &[work.join("clean.txt").to_str().unwrap()]);
    assert_eq!((code, report["findings"].as_array().unwrap().len()), (Some(0), 0));
    // A path that does not exist is an error, not an empty scan.
    let err = v.fails(&["scan", "/nonexistent/place"], None);
    assert!(err.contains("does not exist"), "{err}");
}

/// `text` base64-encoded by coreutils' `base64`, as a person making a Secret would.
fn base64(text: &str) -> String {
    let mut child = std::process::Command::new("base64")
        .arg("-w0")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), text.as_bytes()).unwrap();
    String::from_utf8(child.wait_with_output().unwrap().stdout).unwrap()
}
