//! Completions and man pages, generated from `cli.rs` and committed under
//! `completions/` and `man/`; `tests/generated.rs` fails when they are stale.

use clap::CommandFactory;
use std::path::Path;

/// (relative path, contents) of every generated file.
pub fn files() -> Vec<(String, Vec<u8>)> {
    use clap_complete::Shell;
    let mut out = Vec::new();
    for (shell, file) in [
        (Shell::Bash, "crew.bash"),
        (Shell::Zsh, "_crew"),
        (Shell::Fish, "crew.fish"),
        (Shell::Elvish, "crew.elv"),
        (Shell::PowerShell, "_crew.ps1"),
    ] {
        let mut buf = Vec::new();
        clap_complete::generate(shell, &mut crate::cli::Cli::command(), "crew", &mut buf);
        out.push((format!("completions/{file}"), buf));
    }
    let cmd = crate::cli::Cli::command();
    let mut buf = Vec::new();
    clap_mangen::Man::new(cmd.clone())
        .render(&mut buf)
        .expect("render to memory");
    out.push(("man/crew.1".into(), buf));
    for sub in cmd.get_subcommands() {
        let name = format!("crew-{}", sub.get_name());
        let sub = sub.clone().name(name.clone()).display_name(name.clone());
        let mut buf = Vec::new();
        clap_mangen::Man::new(sub)
            .render(&mut buf)
            .expect("render to memory");
        out.push((format!("man/{name}.1"), buf));
    }
    out
}

/// Write every generated file under `root`.
pub fn write_all(root: &Path) -> std::io::Result<()> {
    for (rel, data) in files() {
        let p = root.join(rel);
        if let Some(d) = p.parent() {
            std::fs::create_dir_all(d)?;
        }
        std::fs::write(p, data)?;
    }
    Ok(())
}
