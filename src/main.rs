//! The `vanban` command line: parses arguments and hands them to [`cli::run`].

mod cli;

// Typst allocates heavily from several threads; glibc's per-thread arenas made the peak memory
// of a batch vary from run to run by a factor of two, mimalloc keeps it low and steady.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(cli::run());
}
