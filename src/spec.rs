//! What an agent is started with (directory, environment, command), checked
//! the same way wherever it comes from: `spawn`'s flags, a `recover --from`
//! file, a restart. tmux 3.3 ignores a bad `-c` and starts a missing command
//! as a pane that dies at once, so these checks are crew's to make.

use anyhow::{bail, Result};
use std::path::{Path, PathBuf};

/// `KEY=VALUE` with KEY made of letters, digits and `_`, not starting with a
/// digit.
pub fn check_env(kv: &str) -> Result<()> {
    let key = kv.split_once('=').map(|(k, _)| k).unwrap_or("");
    let ok = !key.is_empty()
        && !key.starts_with(|c: char| c.is_ascii_digit())
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !ok {
        bail!("invalid environment entry {kv:?}: expected KEY=VALUE with KEY made of letters, digits and '_', not starting with a digit");
    }
    if kv.contains('\0') {
        bail!("invalid environment entry {kv:?}: contains a NUL byte");
    }
    Ok(())
}

/// An existing directory, made absolute and canonical.
pub fn check_cwd(dir: &Path) -> Result<PathBuf> {
    let meta = std::fs::metadata(dir)
        .map_err(|e| anyhow::anyhow!("cannot use directory {}: {e}", dir.display()))?;
    if !meta.is_dir() {
        bail!("cannot use directory {}: not a directory", dir.display());
    }
    std::fs::canonicalize(dir)
        .map_err(|e| anyhow::anyhow!("cannot use directory {}: {e}", dir.display()))
}

/// A plain word a shell would look up on PATH (no operators, quotes,
/// expansions or spaces).
fn plain_word(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./+@%:,".contains(c))
}

fn executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// The program an agent's command starts can be found: argv[0] of an argv
/// command, or a one-word shell command, on PATH (the agent's `-e PATH=…`
/// if given, else crew's own) or as a path relative to `cwd`. Shell lines
/// with more to them are left to the shell.
pub fn check_command(argv: &[String], shell: bool, env: &[String], cwd: &Path) -> Result<()> {
    let Some(first) = argv.first() else {
        bail!("the command is empty");
    };
    if first.trim().is_empty() {
        bail!("the command is empty");
    }
    if argv.iter().any(|a| a.contains('\0')) {
        bail!("the command contains a NUL byte");
    }
    if shell && !plain_word(first) {
        return Ok(());
    }
    let found = if first.contains('/') {
        executable(&cwd.join(first))
    } else {
        let path = env
            .iter()
            .rev()
            .find_map(|kv| kv.strip_prefix("PATH="))
            .map(str::to_string)
            .or_else(|| std::env::var("PATH").ok())
            .unwrap_or_default();
        path.split(':')
            .filter(|d| !d.is_empty())
            .any(|d| executable(&cwd.join(d).join(first)))
    };
    if !found {
        bail!("command not found: {first}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_entries() {
        for ok in ["A=1", "_x=", "PATH=/bin:/usr/bin", "K=V W"] {
            assert!(check_env(ok).is_ok(), "{ok}");
        }
        for bad in ["=x", "NOEQ", "1A=2", "A B=1", "", "A-B=1"] {
            assert!(check_env(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn commands() {
        let cwd = Path::new("/");
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert!(check_command(&v(&["sh", "-c", "true"]), false, &[], cwd).is_ok());
        assert!(check_command(&v(&["sh"]), true, &[], cwd).is_ok());
        assert!(check_command(&v(&["/bin/sh"]), true, &[], cwd).is_ok());
        assert!(check_command(&v(&["make test; read"]), true, &[], cwd).is_ok());
        let e = check_command(&v(&["nosuchcommand-crew"]), true, &[], cwd).unwrap_err();
        assert!(e
            .to_string()
            .contains("command not found: nosuchcommand-crew"));
        assert!(check_command(&v(&["nosuch-crew", "x"]), false, &[], cwd).is_err());
        assert!(check_command(&v(&["sh"]), false, &["PATH=/nonexistent".into()], cwd).is_err());
        assert!(check_command(&v(&[""]), true, &[], cwd).is_err());
        assert!(check_command(&[], false, &[], cwd).is_err());
    }
}
