//! The operations a client window calls on its session, declared once, here, beside the API
//! they call: the desktop app expands this list into its commands (their handlers, permissions
//! and TypeScript calls), so a new operation of the session is written in this crate, the CLI
//! file that offers it and the UI file that shows it, and nowhere else.
//!
//! Each is `fn name(session, arg: Type, …) -> Returned { body }`: the body gets the unlocked or
//! locked [`Session`](crate::api::Session) as `&mut`, and returns `Result<Returned, VaultError>`.
//! Types are named by full path (the list is expanded in the app's crate). What needs the
//! window itself (the clipboard, the system's dialogs, the browser) stays in the app.

/// Passes the session's operations to the macro `$then!` after the tokens given to it:
/// `session_operations!(commands! { own commands })` is `commands! { own commands session { … } }`.
#[macro_export]
macro_rules! session_operations {
    ($then:ident! { $($own:tt)* }) => {
        $then! {
            $($own)*
            session {
                /// Which vault, whether it is unlocked, the recent ones.
                fn vault_status(session) -> $crate::api::VaultStatus {
                    Ok(session.status())
                }

                /// Makes `path` the vault to unlock or create (only while locked).
                fn choose_vault(session, path: String) -> $crate::api::VaultStatus {
                    session.choose(&path)
                }

                /// How hard a passphrase is to guess (shown while a new one is typed).
                fn rate_passphrase(session, passphrase: $crate::Secret) -> $crate::passphrase::Strength {
                    let _ = session;
                    Ok($crate::passphrase::rate(passphrase.expose(), &[]))
                }

                /// Forgets the passphrase remembered on this device for this vault.
                fn forget_device(session) -> bool {
                    session.forget()
                }

                /// Merges in what another program changed in the file; finds conflict copies.
                fn refresh_vault(session) -> $crate::api::Refreshed {
                    session.refresh()
                }

                /// Changes the master passphrase (`current` asked again); returns how many old
                /// backups went.
                fn change_passphrase(session, current: $crate::Secret, new_passphrase: $crate::Secret) -> usize {
                    session.change_passphrase(Some(current.into_secret_string()), new_passphrase.into_secret_string())
                }

                fn get_settings(session) -> $crate::device_settings::DeviceSettings {
                    Ok(session.settings().clone())
                }

                /// Saves this device's settings (the recent vaults and warnings given stay as
                /// they are).
                fn set_settings(session, settings: $crate::device_settings::DeviceSettings) -> $crate::device_settings::DeviceSettings {
                    session.set_settings(settings)
                }

                fn list_entries(session) -> Vec<$crate::EntrySummary> {
                    session.list()
                }

                /// Every provider a key can be set to.
                fn list_providers(session) -> Vec<$crate::api::ProviderChoice> {
                    let _ = session;
                    Ok($crate::api::providers())
                }

                /// The provider of a key being typed or pasted.
                fn detect_provider(session, secret: $crate::Secret) -> Option<$crate::api::Detected> {
                    let _ = session;
                    Ok($crate::api::detect(secret.expose()))
                }

                /// The one operation that gives the window a secret: when the person pressed
                /// Reveal.
                fn reveal_entry(session, id: String) -> $crate::Secret {
                    session.reveal(&id)
                }

                /// Deletes a key (Undo brings it back until the next delete or lock); returns
                /// its name.
                fn delete_entry(session, id: String) -> String {
                    Ok(session.delete(&id)?.0)
                }

                fn undo_delete(session) -> String {
                    Ok(session.undo_delete()?.0)
                }

                /// Changes a key's details (a field left out stays; empty text clears it).
                fn edit_entry(session, id: String, changes: $crate::api::EditEntry) -> $crate::EntrySummary {
                    Ok(session.edit(&id, changes)?.0)
                }

                fn trust_entry(session, id: String) -> () {
                    session.trust(&id)
                }

                /// Makes an earlier value the key again (`newest_first`: its place in the
                /// history list).
                fn restore_value(session, id: String, newest_first: usize) -> $crate::EntrySummary {
                    Ok(session.restore_value(&id, newest_first)?.0)
                }

                /// What importing `path` would add and skip (nothing changes).
                fn preview_import(session, path: String, all: bool, renames: Vec<$crate::api::Rename>) -> $crate::api::ImportPreview {
                    session.preview_import(&path, all, &renames)
                }

                fn import_file(session, path: String, all: bool, renames: Vec<$crate::api::Rename>) -> $crate::api::ImportResult {
                    Ok(session.import(&path, all, &renames)?.0)
                }

                /// Writes the chosen keys (every key when `ids` is empty) to a new `.env` file.
                fn export_env(session, path: String, ids: Vec<String>) -> usize {
                    session.export_to_file(&path, &ids)
                }

                fn team_status(session) -> $crate::api::TeamView {
                    session.team()
                }

                /// Joining a team: my identity, created under `passphrase` if I have none (opened
                /// with it otherwise); my own vault stays as it is. Returns the line to give a
                /// member.
                fn create_identity(session, passphrase: $crate::Secret) -> $crate::api::MyIdentity {
                    let passphrase = passphrase.into_secret_string();
                    let (me, _) = session.identity_or_create(&passphrase, $crate::document::DEFAULT_WORK_FACTOR)?;
                    $crate::identity::write_public_line(&session.device().identity_path(), &me)?;
                    session.my_identity().ok_or_else(|| $crate::VaultError::Invalid("Your identity could not be read back.".into()))
                }

                /// Makes this vault a team vault with me as its first member.
                fn make_team(session, name: String, passphrase: $crate::Secret) -> $crate::api::TeamView {
                    session.make_team(Some(&name), passphrase.into_secret_string())?;
                    session.team()
                }

                /// Adds a member from the line they shared.
                fn add_member(session, name: String, public_key: String) -> $crate::api::TeamView {
                    session.add_member(&name, &public_key)?;
                    session.team()
                }

                /// Removes a member; returns the keys they could read (to rotate).
                fn remove_member(session, name: String) -> Vec<String> {
                    Ok(session.remove_member(&name)?.0)
                }

                /// Merges every conflict copy beside the vault and deletes the ones merged.
                fn merge_conflict_copies(session) -> Vec<$crate::api::CopyMerged> {
                    session.merge_conflict_copies()
                }
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use crate::VaultError;
    use crate::api::Session;
    use crate::device::Device;

    /// The list expanded as plain functions over a session, so that this crate's own build
    /// checks every body (the app's build expands it again into commands).
    macro_rules! as_functions {
        (session { $(
            $(#[doc = $doc:literal])*
            fn $name:ident($session:ident $(, $arg:ident : $ty:ty)* $(,)?) -> $ret:ty $body:block
        )* }) => {
            $(
                #[allow(dead_code)]
                fn $name($session: &mut Session $(, $arg: $ty)*) -> Result<$ret, VaultError> $body
            )*
            const NAMES: &[&str] = &[$(stringify!($name)),*];
        };
    }
    session_operations!(as_functions! {});

    #[test]
    fn the_operations_are_named_once_and_answer_on_a_session() {
        let mut names = NAMES.to_vec();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), NAMES.len(), "an operation declared twice");

        let dir = tempfile::tempdir().unwrap();
        let mut session = Session::new(Device::at(dir.path(), "ann"), dir.path().join("vault.age"));
        assert!(!vault_status(&mut session).unwrap().exists);
        assert!(matches!(list_entries(&mut session), Err(VaultError::Locked)));
        assert!(!rate_passphrase(&mut session, crate::Secret::from("a")).unwrap().acceptable);
    }
}
