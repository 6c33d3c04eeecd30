//! One file per group of commands; each declares its commands (their flags and help) and turns
//! the parsed arguments into calls to keyward-core: a new command of a group is one file.

pub mod copy;
pub mod entries;
pub mod guard;
pub mod merge;
pub mod run;
pub mod scan;
pub mod team;
pub mod test;
pub mod transfer;
pub mod vault;
