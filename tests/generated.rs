//! The committed completions and man pages match what `src/cli/` generates.
//! Regenerate with: CREW_REGENERATE=1 cargo test --test generated

mod common;
use common::*;
use std::path::Path;
use std::process::Command;

#[test]
fn completions_and_man_pages_are_current() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    if std::env::var_os("CREW_REGENERATE").is_some() {
        crew::generate::write_all(root).unwrap();
    }
    let mut stale = Vec::new();
    for (rel, want) in crew::generate::files() {
        match std::fs::read(root.join(&rel)) {
            Ok(have) if have == want => {}
            _ => stale.push(rel),
        }
    }
    assert!(
        stale.is_empty(),
        "stale generated files: {stale:?}\nregenerate with: CREW_REGENERATE=1 cargo test --test generated"
    );
    for dir in ["completions", "man"] {
        let expected: Vec<String> = crew::generate::files()
            .into_iter()
            .map(|(r, _)| r)
            .filter(|r| r.starts_with(dir))
            .collect();
        for e in std::fs::read_dir(root.join(dir)).unwrap() {
            let rel = format!("{dir}/{}", e.unwrap().file_name().to_string_lossy());
            assert!(
                expected.contains(&rel),
                "{rel} is not generated any more: delete it"
            );
        }
    }
}

/// README's quick start: `cargo install` with `--locked` (the versions the
/// tests ran with), and its man-page line, run as written in a fresh HOME,
/// puts the pages where a plain `man` finds them (no MANPATH, only
/// ~/.cargo/bin added to PATH, as rustup does).
#[test]
fn readme_installs_locked_and_man_finds_the_pages() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let install = readme
        .lines()
        .find(|l| l.starts_with("cargo install"))
        .expect("README has a cargo install line");
    assert!(install.contains("--locked"), "{install}");
    let man_line = readme
        .lines()
        .find(|l| l.starts_with("install ") && l.contains("man/*.1"))
        .expect("README has a man-page install line");
    // Without the trailing `&& man crew`, which would open a pager.
    let man_line = man_line.trim_end_matches(" && man crew");
    if !need_program("man") {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let bin = home.path().join(".cargo/bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::os::unix::fs::symlink(crew_bin(), bin.join("crew")).unwrap();
    let path = format!("{}:/usr/bin:/bin", bin.display());
    let o = Command::new("sh")
        .args(["-c", man_line])
        .current_dir(root)
        .env("HOME", home.path())
        .env_remove("CARGO_HOME")
        .env("PATH", &path)
        .output()
        .unwrap();
    assert!(o.status.success(), "{man_line}: {}", stderr(&o));
    for page in ["crew", "crew-show"] {
        let o = Command::new("man")
            .args(["-w", page])
            .env("HOME", home.path())
            .env_remove("MANPATH")
            .env("PATH", &path)
            .output()
            .unwrap();
        let want = home.path().join(format!(".cargo/share/man/man1/{page}.1"));
        assert_eq!(
            stdout(&o).trim(),
            want.display().to_string(),
            "{}",
            stderr(&o)
        );
    }
}
