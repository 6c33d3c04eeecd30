//! Which environment variables a stored key may set in a program that `keyward run` starts.
//!
//! A key's variable name is stored in the vault, and in a team vault anyone on the team can
//! change it. Variables that make a program load code (`LD_PRELOAD`, `BASH_ENV`,
//! `NODE_OPTIONS`, `PYTHONSTARTUP`…), choose which program runs (`PATH`), or redirect where its
//! traffic and keys go (proxies, CA bundles) would let whoever set them run commands on this
//! computer or read its keys. Those are never taken from the vault: the person running the
//! program must spell `VAR=NAME` themselves.

use crate::error::{Result, VaultError};

/// The reviewed list, compared in upper case. A trailing `*` matches every name with that start.
const CONTROLS_EXECUTION: &[&str] = &[
    // The dynamic loader (Linux, macOS) and glibc's module paths.
    "LD_*",
    "DYLD_*",
    "GCONV_PATH",
    "LOCPATH",
    "MALLOC_*",
    "GLIBC_TUNABLES",
    // Shells.
    "BASH_ENV",
    "ENV",
    "BASH_FUNC_*",
    "SHELLOPTS",
    "BASHOPTS",
    "PS4",
    "PROMPT_COMMAND",
    "IFS",
    "PATH",
    "CDPATH",
    "ZDOTDIR",
    "HOME",
    "SHELL",
    "TMPDIR",
    "XDG_CONFIG_HOME",
    "XDG_CONFIG_DIRS",
    "XDG_DATA_HOME",
    "XDG_DATA_DIRS",
    // Programs that other programs start.
    "EDITOR",
    "VISUAL",
    "PAGER",
    "MANPAGER",
    "BROWSER",
    "SUDO_ASKPASS",
    "SSH_ASKPASS",
    // Interpreters and runtimes.
    "PYTHON*",
    "PERL5*",
    "PERLLIB",
    "PERL_*",
    "RUBYOPT",
    "RUBYLIB",
    "GEM_*",
    "BUNDLE_*",
    "NODE_*",
    "NPM_CONFIG_*",
    "JAVA_TOOL_OPTIONS",
    "_JAVA_OPTIONS",
    "JDK_JAVA_OPTIONS",
    "CLASSPATH",
    "LUA_*",
    "PHPRC",
    "PHP_INI_SCAN_DIR",
    "R_PROFILE*",
    "R_ENVIRON*",
    "DENO_*",
    "GOFLAGS",
    "CARGO_*",
    "RUSTC_WRAPPER",
    "PIP_*",
    "UV_*",
    "GIT_*",
    "GIO_*",
    "GTK_*",
    "QT_PLUGIN_PATH",
    // Where the program's traffic goes, and whom it trusts.
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "NO_PROXY",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "REQUESTS_CA_BUNDLE",
    "CURL_CA_BUNDLE",
    "OPENSSL_*",
    // Keyward's own settings.
    "KEYWARD_*",
];

/// A variable name as it may be shown: a hostile file can put anything there (terminal escape
/// codes included), so only the characters of a variable name are kept, 60 at most.
pub fn shown(var: &str) -> String {
    var.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '?' }).take(60).collect()
}

/// Whether setting `var` can make a program run other code, run another program, or send its
/// traffic elsewhere.
pub fn controls_execution(var: &str) -> bool {
    let upper = var.to_ascii_uppercase();
    CONTROLS_EXECUTION.iter().any(|pattern| match pattern.strip_suffix('*') {
        Some(prefix) => upper.starts_with(prefix),
        None => upper == *pattern,
    })
}

/// Refuses to take `var` from the vault for the entry `name` when it controls execution; the
/// user may still ask for it explicitly (`keyward run --env VAR=NAME`).
pub fn check_stored(name: &str, var: &str) -> Result<()> {
    if controls_execution(var) {
        let (name, var) = (crate::members::display_name(name), shown(var));
        return Err(VaultError::Invalid(format!(
            "\"{name}\" would set {var}, which can make a program run other code; Keyward does not take \
             such a variable from the vault. If you mean it, write --env {var}={name}."
        )));
    }
    Ok(())
}

/// Refuses `var` as the stored variable of a key (adding, editing, importing).
pub fn check_variable(var: &str) -> Result<()> {
    if controls_execution(var) {
        return Err(VaultError::Invalid(format!(
            "{var} can make a program run other code, so Keyward does not store it as a key's variable; \
             name it when you run the program instead (keyward run --env {var}=NAME)."
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loader_and_interpreter_variables_are_caught_and_api_key_variables_are_not() {
        for var in [
            "LD_PRELOAD",
            "ld_library_path",
            "DYLD_INSERT_LIBRARIES",
            "BASH_ENV",
            "ENV",
            "NODE_OPTIONS",
            "PYTHONSTARTUP",
            "PYTHONPATH",
            "PERL5OPT",
            "RUBYOPT",
            "GIT_SSH_COMMAND",
            "PATH",
            "IFS",
            "https_proxy",
            "BASH_FUNC_ls%%",
            "KEYWARD_VAULT",
        ] {
            assert!(controls_execution(var), "{var}");
        }
        for var in ["OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GEMINI_API_KEY", "MY_KEY", "ENVIRONMENT", "PATHWAY_KEY"] {
            assert!(!controls_execution(var), "{var}");
        }
        let err = check_stored("deploy", "BASH_ENV").unwrap_err().to_string();
        assert!(err.contains("--env BASH_ENV=deploy"), "{err}");
    }
}
