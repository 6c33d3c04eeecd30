//! Issue 12: the installable package, as a person gets it. Builds the .deb of the app `make test`
//! built (the debug build; `make package` packages the release one the same way), installs it
//! with dpkg into a throw-away root, and proves that the installed app paints its first screen,
//! that `keyward` runs from the installed path, that the desktop entry is valid, that
//! reinstalling keeps the user's vault, and that removing the package removes everything it
//! installed and nothing of the user's.

use keyward_e2e::webdriver::*;
use keyward_e2e::x11::Xvfb;
use keyward_e2e::{PASSPHRASE, require_tool};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn ok(out: Output, what: &str) -> String {
    assert!(
        out.status.success(),
        "{what} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Builds the .deb (only the bundling step: the app and the CLI are built) and returns its path.
fn build_deb() -> PathBuf {
    let out = Command::new(repo().join("scripts/package.sh"))
        .args(["--debug", "--no-build"])
        .env("KEYWARD_BUNDLES", "deb")
        .current_dir(repo())
        .output()
        .unwrap();
    ok(out, "scripts/package.sh");
    // target/debug/deps/<test> → target/debug/bundle/deb/
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().and_then(Path::parent).unwrap().join("bundle/deb");
    let debs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "deb"))
        .collect();
    assert_eq!(debs.len(), 1, "one package expected in {}: {debs:?}", dir.display());
    debs[0].clone()
}

/// `dpkg` acting on the throw-away root `root` (its own package database).
fn dpkg(root: &Path, args: &[&str]) -> Output {
    Command::new("dpkg")
        .arg(format!("--root={}", root.display()))
        .args(["--force-not-root", "--force-depends", "--force-script-chrootless"])
        .args(args)
        .output()
        .unwrap()
}

/// The files (not folders) a package holds, as paths inside the root.
fn package_files(deb: &Path) -> Vec<String> {
    let listing = ok(Command::new("dpkg-deb").arg("--contents").arg(deb).output().unwrap(), "dpkg-deb --contents");
    listing
        .lines()
        .filter(|l| !l.starts_with('d'))
        .filter_map(|l| l.split_whitespace().nth(5))
        .map(|p| format!("/{}", p.trim_start_matches("./")))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_deb_installs_starts_keeps_the_users_data_and_removes_cleanly() {
    for tool in ["dpkg", "dpkg-deb", "desktop-file-validate"] {
        require_tool(tool);
    }
    let deb = build_deb();

    // What a package manager reads: name, version, dependencies, description, maintainer.
    let field = |name: &str| {
        ok(Command::new("dpkg-deb").args(["--field"]).arg(&deb).arg(name).output().unwrap(), "dpkg-deb --field")
            .trim()
            .to_string()
    };
    assert_eq!(field("Package"), "keyward");
    assert_eq!(field("Version"), env!("CARGO_PKG_VERSION"));
    let depends = field("Depends");
    for dep in ["libwebkit2gtk-4.1-0", "libgtk-3-0"] {
        assert!(depends.contains(dep), "Depends: {depends}");
    }
    assert!(field("Description").contains("API keys"), "{}", field("Description"));
    assert!(!field("Maintainer").is_empty());
    assert_eq!(field("Homepage"), "https://keyward.dev");

    let files = package_files(&deb);
    for expected in [
        "/usr/bin/keyward-app",
        "/usr/bin/keyward",
        "/usr/share/applications/Keyward.desktop",
        "/usr/share/doc/keyward/copyright",
        "/usr/share/icons/hicolor/16x16/apps/keyward-app.png",
        "/usr/share/icons/hicolor/48x48/apps/keyward-app.png",
        "/usr/share/icons/hicolor/256x256/apps/keyward-app.png",
        "/usr/share/icons/hicolor/512x512/apps/keyward-app.png",
    ] {
        assert!(files.iter().any(|f| f == expected), "{expected} is not in the package: {files:?}");
    }

    // Installed with dpkg into a root of its own.
    let work = tempfile::tempdir().unwrap();
    let root = work.path().join("root");
    for dir in ["var/lib/dpkg/info", "var/lib/dpkg/updates", "var/lib/dpkg/triggers"] {
        std::fs::create_dir_all(root.join(dir)).unwrap();
    }
    std::fs::write(root.join("var/lib/dpkg/status"), "").unwrap();
    ok(dpkg(&root, &["--install", deb.to_str().unwrap()]), "dpkg --install");
    let installed = |p: &str| root.join(p.trim_start_matches('/'));

    // The desktop entry: valid, found in the menu under Keyward, searchable by its keywords.
    let entry = installed("/usr/share/applications/Keyward.desktop");
    let validate = Command::new("desktop-file-validate").arg(&entry).output().unwrap();
    let complaints =
        format!("{}{}", String::from_utf8_lossy(&validate.stdout), String::from_utf8_lossy(&validate.stderr));
    assert!(validate.status.success() && complaints.trim().is_empty(), "desktop-file-validate: {complaints}");
    let desktop = std::fs::read_to_string(&entry).unwrap();
    for line in ["Name=Keyward", "Exec=keyward-app", "Icon=keyward-app", "Keywords=password;API;keys;secrets;"] {
        assert!(desktop.lines().any(|l| l.starts_with(line)), "{line} missing:\n{desktop}");
    }

    // The command line runs from the installed path, and makes a vault in the user's home.
    let home = work.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let vault = home.join("vault.age");
    let cli = |args: &[&str], stdin: Option<&str>| {
        let mut cmd = Command::new(installed("/usr/bin/keyward"));
        cmd.args(args)
            .env("HOME", &home)
            .env("XDG_DATA_HOME", home.join("data"))
            .env("KEYWARD_VAULT", &vault)
            .env("KEYWARD_PASSPHRASE", PASSPHRASE);
        keyward_e2e::run_with_stdin(cmd, stdin)
    };
    let version = ok(cli(&["--version"], None), "keyward --version");
    assert_eq!(version.trim(), format!("keyward {}", env!("CARGO_PKG_VERSION")));
    ok(cli(&["init"], None), "keyward init");
    ok(cli(&["add", "kept", "--provider", "groq"], Some("gsk_KeptAcrossUpgrades0123456789")), "keyward add");

    // The installed app starts and paints its unlock screen.
    let x = Xvfb::start();
    let driver = Driver::start_app(&installed("/usr/bin/keyward-app"), &x.display, &home, &vault, &[]);
    let c = connect(&driver).await;
    wait_for_text(&c, "Unlock Keyward").await;
    find(&c, "#passphrase").await;
    // The page's own assets (the logo) are served by the installed binary.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let logo = "const i = document.querySelector('img.logo'); return !!i && i.complete && i.naturalWidth > 0";
    while c.execute(logo, vec![]).await.unwrap() != serde_json::json!(true) {
        assert!(std::time::Instant::now() < deadline, "the installed app did not show its logo");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    screenshot(&c, "20-installed-package").await;
    c.close().await.unwrap();
    drop(driver);

    // Installing again (an upgrade) leaves the user's vault as it was.
    let before = std::fs::read(&vault).unwrap();
    ok(dpkg(&root, &["--install", deb.to_str().unwrap()]), "dpkg --install (again)");
    assert_eq!(std::fs::read(&vault).unwrap(), before);
    assert!(ok(cli(&["list"], None), "keyward list").contains("kept"));

    // Removed: every file it installed is gone; the user's data is not.
    ok(dpkg(&root, &["--remove", "keyward"]), "dpkg --remove");
    let left: Vec<&String> = files.iter().filter(|f| installed(f).exists()).collect();
    assert!(left.is_empty(), "left after removal: {left:?}");
    assert_eq!(std::fs::read(&vault).unwrap(), before, "removing the package touched the vault");
    assert!(home.join("data").exists(), "removing the package touched the user's data folder");
}
