//! Where the server's socket is, found as tmux finds it, and checked as tmux
//! checks it before crew writes a byte there: a socket directory that is not
//! the user's own, or that others can open, may hold a stranger's server,
//! which would be sent crew's environment and believed about its panes.

use super::TmuxError;
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::{Path, PathBuf};

/// `$TMUX_TMPDIR/tmux-UID`, else `/tmp/tmux-UID`. Like tmux, a
/// `$TMUX_TMPDIR` that does not resolve is passed over for `/tmp`, and the
/// base is the resolved path (so it matches the path in `$TMUX`).
pub fn socket_dir() -> PathBuf {
    let base = std::env::var_os("TMUX_TMPDIR")
        .filter(|v| !v.is_empty())
        .and_then(|v| std::fs::canonicalize(v).ok())
        .or_else(|| std::fs::canonicalize("/tmp").ok())
        .unwrap_or_else(|| PathBuf::from("/tmp"));
    base.join(format!("tmux-{}", rustix::process::getuid().as_raw()))
}

/// Check `socket` before connecting. `derived`: crew chose the directory
/// itself (`-L NAME` or the default socket), so tmux's rule for it holds:
/// a directory (not a link), owned by this user, closed to others. tmux
/// makes no such check of an `-S` path or of `$TMUX`'s, and neither does
/// crew; whatever the path, something there must be a socket.
pub fn check(socket: &Path, derived: bool) -> Result<(), TmuxError> {
    let unsafe_ = |why: String| TmuxError::Unsafe(why);
    if derived {
        if let Some(dir) = socket.parent() {
            match std::fs::symlink_metadata(dir) {
                Ok(m) => {
                    let uid = rustix::process::getuid().as_raw();
                    if !m.is_dir() {
                        return Err(unsafe_(format!(
                            "the tmux socket directory {} is not a directory",
                            dir.display()
                        )));
                    }
                    if m.uid() != uid || m.mode() & 0o007 != 0 {
                        return Err(unsafe_(format!(
                            "the tmux socket directory {} has unsafe permissions \
                             (owner uid {}, mode {:04o}; it must be yours, uid {uid}, \
                             and closed to others)",
                            dir.display(),
                            m.uid(),
                            m.mode() & 0o7777
                        )));
                    }
                }
                // Not there yet: no server to talk to, and tmux (or crew's
                // lock) creates it private.
                Err(_) => return Ok(()),
            }
        }
    }
    match std::fs::symlink_metadata(socket) {
        Ok(m) if !m.file_type().is_socket() => {
            Err(unsafe_(format!("{} is not a socket", socket.display())))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn directories_as_tmux_checks_them() {
        let t = tempfile::tempdir().unwrap();
        let dir = t.path().join("tmux-x");
        std::fs::create_dir(&dir).unwrap();
        let sock = dir.join("s");
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
        assert!(check(&sock, true).is_ok());
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).unwrap();
        let e = check(&sock, true).unwrap_err().to_string();
        assert!(
            e.contains("unsafe permissions") && e.contains("0777"),
            "{e}"
        );
        // An -S path's directory is the user's business, as for tmux.
        assert!(check(&sock, false).is_ok());
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o750)).unwrap();
        assert!(check(&sock, true).is_ok());
        std::fs::write(&sock, "").unwrap();
        let e = check(&sock, false).unwrap_err().to_string();
        assert!(e.contains("is not a socket"), "{e}");
        // A link in the directory's place is refused, like a file.
        let link = t.path().join("tmux-link");
        std::os::unix::fs::symlink(&dir, &link).unwrap();
        let e = check(&link.join("s"), true).unwrap_err().to_string();
        assert!(e.contains("not a directory"), "{e}");
        assert!(check(&t.path().join("missing/s"), true).is_ok());
    }
}
