//! `keyward`: the command-line client of keyward-core.

mod args;
mod commands;
mod context;
mod input;
mod output;

use args::MemberCommand;
use args::{Cli, Command};
use clap::Parser;
use commands::{copy, entries, merge, run, team, test, transfer, vault};
use context::Context;
use std::process::ExitCode;
use std::time::Duration;

/// Every heap block is wiped when freed, as in the app: copies of a key made inside libraries
/// do not linger in memory.
#[global_allocator]
static ALLOC: zeroizing_alloc::ZeroAlloc<std::alloc::System> = zeroizing_alloc::ZeroAlloc(std::alloc::System);

fn main() -> ExitCode {
    let cli = Cli::parse();
    match dispatch(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("keyward: {e}");
            match e.kind() {
                keyward_core::ErrorKind::VaultChanged => {
                    eprintln!("keyward: if you expected it, run the command again with --accept-change.")
                }
                keyward_core::ErrorKind::OtherProvider => {
                    eprintln!("keyward: to replace it anyway, run the command again with --provider ID.")
                }
                _ => {}
            }
            ExitCode::FAILURE
        }
    }
}

fn dispatch(cli: Cli) -> Result<u8, keyward_core::VaultError> {
    let ctx = Context::new(&cli)?;
    match cli.command {
        Command::Init { work_factor, team: false, .. } => vault::init(&ctx, work_factor)?,
        Command::Init { work_factor, team: true, member_name } => {
            team::init_team(&ctx, member_name.as_deref(), work_factor)?
        }
        Command::Identity { json } => team::identity(&ctx, json)?,
        Command::Trust { name, yes } => team::trust(&ctx, &name, yes)?,
        Command::Remember => vault::remember(&ctx)?,
        Command::Forget => vault::forget(&ctx)?,
        Command::MakePersonal { new_passphrase_file } => team::make_personal(&ctx, new_passphrase_file.as_deref())?,
        Command::Merge { other } => merge::merge(&ctx, other.as_deref())?,
        Command::MergeDriver { base: _, ours, theirs } => merge::merge_driver(&ctx, &ours, &theirs)?,
        Command::Member { command: MemberCommand::Add { name, public_key, file, me } } => {
            team::member_add(&ctx, &name, public_key.as_deref(), file.as_deref(), me.as_deref())?
        }
        Command::Member { command: MemberCommand::Rm { name } } => team::member_rm(&ctx, &name)?,
        Command::Member { command: MemberCommand::List { json } } => team::member_list(&ctx, json)?,
        Command::Add { name, fields } => entries::add(&ctx, &name, fields)?,
        Command::List { json } => entries::list(&ctx, json)?,
        Command::Show { name, json } => entries::show(&ctx, &name, json)?,
        Command::Get { name } => entries::get(&ctx, &name)?,
        Command::Copy { name, clear_after } => copy::copy(&ctx, &name, clear_after)?,
        Command::Edit { name, new_name, fields, secret_stdin } => {
            entries::edit(&ctx, &name, new_name.as_deref(), fields, secret_stdin)?
        }
        Command::Rm { name } => entries::rm(&ctx, &name)?,
        Command::Run { env, command } => {
            let code = run::run(&ctx, &env, &command)?;
            // Exit codes above 255 (Windows) keep meaning failure.
            return Ok(u8::try_from(code).unwrap_or(1));
        }
        Command::Import { file, all } => transfer::import(&ctx, &file, all)?,
        Command::Export { format: _, names } => transfer::export(&ctx, &names)?,
        Command::Test { names, all, deep, json, timeout, proxy } => {
            // This device's settings (the proxy set in the app), then the flags.
            let mut options = ctx.session().settings().check_options(deep);
            options.timeout = Duration::from_secs(timeout);
            if proxy.is_some() {
                options.proxy = proxy;
            }
            let all_valid = test::test(&ctx, &names, all, options, json)?;
            return Ok(if all_valid { 0 } else { 1 });
        }
        Command::Passwd { new_passphrase_file, identity } => {
            vault::passwd(&ctx, new_passphrase_file.as_deref(), identity)?
        }
    }
    Ok(0)
}
