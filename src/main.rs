//! The `vanban` command line: parses arguments and hands them to [`cli::run`].

mod cli;

fn main() {
    std::process::exit(cli::run());
}
