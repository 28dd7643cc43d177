//! The `crew` binary: all of it is in the library (`lib.rs`).

fn main() {
    // `COMPLETE=bash crew` and the shells' completion calls end here.
    clap_complete::CompleteEnv::with_factory(<crew::cli::Cli as clap::CommandFactory>::command)
        .complete();
    std::process::exit(crew::run(std::env::args_os()));
}
