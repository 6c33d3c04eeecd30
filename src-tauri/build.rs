//! Tauri build script: capabilities live in src-tauri/capabilities, and the app manifest lists
//! every command so that each must be granted explicitly by a capability.

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
    let manifest = tauri_build::AppManifest::new().commands(&[
        "vault_status",
        "choose_vault",
        "browse_vault",
        "create_vault",
        "unlock",
        "unlock_remembered",
        "forget_device",
        "lock",
        "refresh_vault",
        "change_passphrase",
        "list_entries",
        "add_entry",
        "detect_provider",
        "copy_entry",
        "check_entry",
        "save_checks",
        "reveal_entry",
        "delete_entry",
        "undo_delete",
        "edit_entry",
        "replace_key",
        "entry_consents",
        "trust_entry",
        "restore_value",
        "open_provider_page",
        "preview_import",
        "import_file",
        "export_env",
        "browse_file",
        "team_status",
        "make_team",
        "add_member",
        "remove_member",
        "copy_public_key",
        "merge_conflict_copies",
        "get_settings",
        "set_settings",
    ]);
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("./src-tauri/capabilities/**/*")
        .app_manifest(manifest);
    tauri_build::try_build(attributes).expect("tauri build configuration");
}
