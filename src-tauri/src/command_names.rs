/// The names of the commands declared in `commands.rs`: the `fn name(ctx` lines inside
/// `commands! { … }`. Included by build.rs (which makes their permissions) and by the test that
/// checks it matches the macro's own list, so both read the file the same way.
#[allow(dead_code)]
fn declared_command_names(source: &str) -> Vec<&str> {
    let declared = source.split_once("\ncommands! {").map_or("", |(_, rest)| rest);
    declared
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("fn "))
        .filter_map(|rest| rest.split_once("(ctx").map(|(name, _)| name))
        .collect()
}
