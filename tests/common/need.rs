//! What a test needs beyond Rust and tmux (zsh, less, sshd, the Python `mcp`
//! package): README's `cargo test` runs on a machine with only Rust and tmux,
//! so a test whose tool is missing says loudly that it skipped and passes;
//! under `CI=true` (`.ci/run` installs everything) it fails instead, so
//! nothing is skipped silently in CI.

use std::path::{Path, PathBuf};

/// Whether this run is CI's (`CI` set to anything but empty, `0` or `false`).
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && !v.eq_ignore_ascii_case("false"))
}

/// `found` or, when it is false, a skip: `false` after a loud note outside
/// CI (the caller returns and the test passes), a panic under `CI=true`.
pub fn need(what: &str, found: bool) -> bool {
    if found {
        return true;
    }
    let test = std::thread::current()
        .name()
        .unwrap_or("this test")
        .to_string();
    if in_ci() {
        panic!("{test} needs {what}, which is missing under CI=true (.ci/run installs it)");
    }
    // Straight to stderr, not eprintln!: the test harness keeps a passing
    // test's eprintln! output to itself, and this must be seen.
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "\n!!!!! SKIPPED {test}: it needs {what}, which is not here \
         (.ci/run installs it; under CI=true this fails) !!!!!\n"
    );
    false
}

/// The program `bin` on PATH, or in one of `also` (e.g. /usr/sbin for
/// sshd, which is often not on a user's PATH).
pub fn find_program(bin: &str, also: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(also.iter().map(PathBuf::from))
        .map(|d| d.join(bin))
        .find(|p| is_executable(p))
}

fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// `need` for a program: `if !need_program("zsh") { return; }`.
pub fn need_program(bin: &str) -> bool {
    need(&format!("`{bin}`"), find_program(bin, &[]).is_some())
}
