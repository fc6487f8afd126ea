//! `worldtube`: describe, check and run SpacetimeDB-compatible `.wasm` modules on the reference
//! host. `worldtube --help` shows the usage ([`worldtube_host::cli::USAGE`]).

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = match std::env::args_os().skip(1).map(|a| a.into_string()).collect() {
        Ok(args) => args,
        Err(arg) => {
            eprintln!("error: argument {arg:?} is not valid UTF-8");
            return ExitCode::from(2);
        }
    };
    worldtube_host::cli::run::LEAVE_DATABASE_AT_EXIT.store(true, std::sync::atomic::Ordering::Relaxed);
    let exit = worldtube_host::cli::main(&args, &mut std::io::stdout().lock(), &mut std::io::stderr().lock());
    ExitCode::from(exit as u8)
}
