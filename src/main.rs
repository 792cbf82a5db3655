//! The `taizhang` binary: hands the command line to the library.

fn main() -> std::process::ExitCode {
    taizhang::cli::main()
}
