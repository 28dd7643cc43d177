//! The committed completions and man pages match what cli.rs generates.
//! Regenerate with: CREW_REGENERATE=1 cargo test --test generated

use std::path::Path;

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
