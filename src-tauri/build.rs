//! Tauri build script: capabilities live in src-tauri/capabilities, and the app manifest lists
//! every command (read from their one declaration) so that each must be granted explicitly by a
//! capability.

include!("src/command_names.rs");

fn main() {
    // wipe_on_free.rs: the app's own `free` and `realloc` come first for every library it loads.
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux")
        && std::env::var("CARGO_CFG_TARGET_ENV").as_deref() == Ok("gnu")
    {
        println!(
            "cargo:rustc-link-arg-bin=keyward-app=-Wl,--export-dynamic-symbol=free,--export-dynamic-symbol=realloc"
        );
    }
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    println!("cargo:rerun-if-changed=tauri.conf.json");
    // The commands are declared once: the app's own in src/commands.rs, the session's in
    // keyward-core's api/operations.rs; each gets its own permission, which the capability must
    // grant.
    let read = |path: &str| {
        println!("cargo:rerun-if-changed={path}");
        std::fs::read_to_string(path).expect(path)
    };
    let (commands, operations) = (read("src-tauri/src/commands.rs"), read("crates/keyward-core/src/api/operations.rs"));
    let names = all_command_names(&commands, &operations);
    let names: &'static [&'static str] = Vec::leak(names.into_iter().map(|n| &*String::leak(n.to_string())).collect());
    let manifest = tauri_build::AppManifest::new().commands(names);
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("./src-tauri/capabilities/**/*")
        .app_manifest(manifest);
    tauri_build::try_build(attributes).expect("tauri build configuration");
}
