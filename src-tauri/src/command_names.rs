/// The names of the commands declared in `source`: its `fn name(ctx, …)` lines (`first` =
/// "ctx", the app's own in commands.rs) or `fn name(session, …)` lines (`first` = "session",
/// keyward-core's api/operations.rs). Included by build.rs (which makes their permissions) and by
/// the test that checks it matches the macro's own list, so both read the files the same way.
#[allow(dead_code)]
fn declared_command_names<'a>(source: &'a str, first: &str) -> Vec<&'a str> {
    source
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("fn "))
        .filter_map(|rest| rest.split_once('('))
        .filter(|(_, args)| args.strip_prefix(first).is_some_and(|after| after.starts_with([',', ')'])))
        .map(|(name, _)| name)
        .collect()
}

/// Every command: the app's own, then the session's (the order of `NAMES`).
#[allow(dead_code)]
fn all_command_names<'a>(commands_rs: &'a str, operations_rs: &'a str) -> Vec<&'a str> {
    let mut names = declared_command_names(commands_rs, "ctx");
    names.extend(declared_command_names(operations_rs, "session"));
    names
}
