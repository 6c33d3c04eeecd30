//! The app's commands are declared once, with [`commands!`]: the app's own in commands.rs, and
//! the session's operations in keyward-core (`api/operations.rs`, passed in by
//! `keyward_core::session_operations!`). From that one declaration come the Tauri handlers and
//! their registration ([`crate::commands::handler`]), the list of names (build.rs reads the same
//! files to make each command's permission, and a test checks the capability grants exactly
//! those), and the TypeScript types and calls in `ui/src/bindings.ts` (written by
//! [`typescript`]; a test fails when the file is stale).

use std::collections::BTreeMap;
use tauri::ipc::{Channel, CommandArg, CommandItem, InvokeError};

/// What a command body gets: the app and its state.
pub struct Ctx<'a, R: tauri::Runtime> {
    pub app: &'a tauri::AppHandle<R>,
    pub state: &'a crate::AppState,
}

/// Runs a command's body on tokio's blocking pool and waits for it there.
pub async fn blocking<T: Send + 'static>(
    body: impl FnOnce() -> Result<T, keyward_core::VaultError> + Send + 'static,
) -> Result<T, keyward_core::VaultError> {
    tauri::async_runtime::spawn_blocking(body)
        .await
        .map_err(|_| keyward_core::VaultError::Unavailable("The command stopped before it finished.".into()))?
}

/// One command as the page sees it.
pub struct CommandSchema {
    pub name: &'static str,
    pub doc: &'static str,
    /// Argument names (as in Rust) and TypeScript types.
    pub args: Vec<(&'static str, String)>,
    pub returns: String,
}

/// A stream of values the command sends while it runs (Check all's results, as each comes).
pub struct Progress<T>(pub Channel<T>);

impl<'de, R: tauri::Runtime, T> CommandArg<'de, R> for Progress<T> {
    fn from_command(command: CommandItem<'de, R>) -> Result<Self, InvokeError> {
        Channel::from_command(command).map(Progress)
    }
}

impl<T: ts_rs::TS + 'static> ts_rs::TS for Progress<T> {
    type WithoutGenerics = Progress<ts_rs::Dummy>;
    type OptionInnerType = Self;
    fn name(cfg: &ts_rs::Config) -> String {
        format!("Channel<{}>", T::name(cfg))
    }
    fn inline(cfg: &ts_rs::Config) -> String {
        Self::name(cfg)
    }
    fn visit_generics(v: &mut impl ts_rs::TypeVisitor) {
        v.visit::<T>();
    }
}

/// Declares the app's commands: `fn name(ctx, arg: Type, …) -> Returned { body }`, each body a
/// few lines calling keyward-core, then (from `keyward_core::session_operations!`) the session's
/// operations in a `session { fn name(session, …) … }` block. Errors are `VaultError`s, which
/// reach the page as `{ kind, message }`.
macro_rules! commands {
    (
        $(
            $(#[doc = $doc:literal])*
            fn $name:ident($ctx:ident $(, $arg:ident : $ty:ty)* $(,)?) -> $ret:ty $body:block
        )*
        session {
            $(
                $(#[doc = $sdoc:literal])*
                fn $sname:ident($session:ident $(, $sarg:ident : $sty:ty)* $(,)?) -> $sret:ty $sbody:block
            )*
        }
    ) => {
        $(
            $(#[doc = $doc])*
            // On a thread of its own (tokio's blocking pool), never on one of the runtime's
            // workers: a body may wait seconds (the KDF, Check all), and this machine has two.
            #[tauri::command]
            pub async fn $name<R: tauri::Runtime>(
                app: tauri::AppHandle<R>,
                $($arg: $ty),*
            ) -> Result<$ret, keyward_core::VaultError> {
                crate::command_schema::blocking(move || {
                    let state = tauri::Manager::state::<crate::AppState>(&app);
                    let $ctx = crate::command_schema::Ctx { app: &app, state: state.inner() };
                    $body
                })
                .await
            }
        )*
        $(
            $(#[doc = $sdoc])*
            #[tauri::command]
            pub async fn $sname<R: tauri::Runtime>(
                app: tauri::AppHandle<R>,
                $($sarg: $sty),*
            ) -> Result<$sret, keyward_core::VaultError> {
                crate::command_schema::blocking(move || {
                    let state = tauri::Manager::state::<crate::AppState>(&app);
                    let mut session = state.session();
                    let $session: &mut keyward_core::api::Session = &mut session;
                    $sbody
                })
                .await
            }
        )*

        /// Every command, registered with Tauri.
        pub fn handler<R: tauri::Runtime>() -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$($name,)* $($sname),*]
        }

        /// Every command's name: the app's own in the order declared, then the session's.
        pub const NAMES: &[&str] = &[$(stringify!($name),)* $(stringify!($sname)),*];

        /// Every command as the page sees it.
        pub fn schema(cfg: &ts_rs::Config) -> Vec<crate::command_schema::CommandSchema> {
            vec![
                $(crate::command_schema::CommandSchema {
                    name: stringify!($name),
                    doc: concat!($($doc, "\n"),*),
                    args: vec![$((stringify!($arg), <$ty as ts_rs::TS>::name(cfg))),*],
                    returns: <$ret as ts_rs::TS>::name(cfg),
                },)*
                $(crate::command_schema::CommandSchema {
                    name: stringify!($sname),
                    doc: concat!($($sdoc, "\n"),*),
                    args: vec![$((stringify!($sarg), <$sty as ts_rs::TS>::name(cfg))),*],
                    returns: <$sret as ts_rs::TS>::name(cfg),
                }),*
            ]
        }

        /// Visits every type a command takes or returns.
        pub fn visit_types(v: &mut impl ts_rs::TypeVisitor) {
            $($(v.visit::<$ty>();)* v.visit::<$ret>();)*
            $($(v.visit::<$sty>();)* v.visit::<$sret>();)*
        }
    };
}
pub(crate) use commands;

/// Collects the declarations of every named type reachable from the commands.
struct Declarations<'a> {
    cfg: &'a ts_rs::Config,
    found: BTreeMap<String, String>,
}

impl ts_rs::TypeVisitor for Declarations<'_> {
    fn visit<T: ts_rs::TS + 'static + ?Sized>(&mut self) {
        if T::output_path().is_some() {
            let name = T::ident(self.cfg);
            if self.found.contains_key(&name) {
                return;
            }
            let docs = T::docs().map(|d| format!("{}\n", d.trim_end())).unwrap_or_default();
            self.found.insert(name, format!("{docs}export {}", T::decl(self.cfg)));
            T::visit_dependencies(self);
        }
        T::visit_generics(self);
    }
}

/// `ui/src/bindings.ts`: every type and one typed call per command.
pub fn typescript() -> String {
    let cfg = ts_rs::Config::new().with_large_int("number");
    let mut types = Declarations { cfg: &cfg, found: BTreeMap::new() };
    crate::commands::visit_types(&mut types);
    // The error every call may reject with.
    ts_rs::TypeVisitor::visit::<keyward_core::ErrorView>(&mut types);
    let mut out = String::from(
        "// Generated from src-tauri/src/commands.rs by `cargo test -p keyward-app bindings` \
         (UPDATE_BINDINGS=1 rewrites it): do not edit.\n\
         import { invoke, type Channel } from \"@tauri-apps/api/core\";\n\n",
    );
    for decl in types.found.values() {
        out.push_str(decl.trim_end());
        out.push_str("\n\n");
    }
    out.push_str("/** Every command; a failed call rejects with an `ErrorView` (a kind and a sentence). */\n");
    out.push_str("export const commands = {\n");
    for c in crate::commands::schema(&cfg) {
        let doc: Vec<&str> = c.doc.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        if !doc.is_empty() {
            out.push_str(&format!("  /** {} */\n", doc.join(" ")));
        }
        let params: Vec<String> = c.args.iter().map(|(n, t)| format!("{}: {t}", camel(n))).collect();
        let payload: Vec<String> = c.args.iter().map(|(n, _)| camel(n)).collect();
        let payload = if payload.is_empty() { String::new() } else { format!(", {{ {} }}", payload.join(", ")) };
        out.push_str(&format!(
            "  {}: ({}): Promise<{}> => invoke(\"{}\"{payload}),\n",
            camel(c.name),
            params.join(", "),
            c.returns,
            c.name
        ));
    }
    out.push_str("};\n");
    out
}

/// `clear_after_secs` → `clearAfterSecs` (Tauri's names for command arguments).
fn camel(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// This checkout (as cargo says when the test runs: a build cache shared by two checkouts
    /// must not compare another checkout's files).
    fn repo() -> std::path::PathBuf {
        std::env::var_os("CARGO_MANIFEST_DIR").map_or_else(|| env!("CARGO_MANIFEST_DIR").into(), Into::into)
    }

    /// The page's types and calls come from the declaration: a stale ui/src/bindings.ts fails
    /// here (and `UPDATE_BINDINGS=1 cargo test -p keyward-app bindings` writes it).
    #[test]
    fn bindings_are_fresh() {
        let path = repo().join("ui/src/bindings.ts");
        let generated = typescript();
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(&path, &generated).unwrap();
        }
        let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            on_disk == generated,
            "ui/src/bindings.ts is stale: run `UPDATE_BINDINGS=1 cargo test -p keyward-app bindings` and commit it"
        );
    }

    /// The window is granted exactly the declared commands, nothing else.
    #[test]
    fn bindings_the_capability_grants_every_declared_command_and_nothing_else() {
        let path = repo().join("src-tauri/capabilities/default.json");
        let capability: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let granted: Vec<String> =
            capability["permissions"].as_array().unwrap().iter().map(|p| p.as_str().unwrap().to_string()).collect();
        let declared: Vec<String> =
            crate::commands::NAMES.iter().map(|n| format!("allow-{}", n.replace('_', "-"))).collect();
        let mut wanted = capability.clone();
        wanted["permissions"] = serde_json::json!(declared);
        if std::env::var_os("UPDATE_BINDINGS").is_some() && granted != declared {
            std::fs::write(&path, serde_json::to_string_pretty(&wanted).unwrap() + "\n").unwrap();
            return;
        }
        assert_eq!(granted, declared, "src-tauri/capabilities/default.json: run with UPDATE_BINDINGS=1");
    }

    include!("command_names.rs");

    /// build.rs reads the command names from the declarations themselves (with the same
    /// function): the same list as the macro's.
    #[test]
    fn bindings_build_script_sees_the_same_commands() {
        let (commands, operations) =
            (include_str!("commands.rs"), include_str!("../../crates/keyward-core/src/api/operations.rs"));
        assert_eq!(all_command_names(commands, operations), crate::commands::NAMES);
    }

    #[test]
    fn camel_case_as_tauri_expects() {
        assert_eq!(camel("clear_after_secs"), "clearAfterSecs");
        assert_eq!(camel("id"), "id");
    }
}
