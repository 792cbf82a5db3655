//! The `taizhang` binary: hands the command line to the library.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    taizhang::cli::main()
}
