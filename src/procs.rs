//! What tmux has not caught up with yet, read from /proc: tmux 3.3a can reap
//! a pane's child seconds late when several servers run (measured: zombies
//! left 5 s), so a dead pane may lack its exit status for a while, and a
//! process group of zombies still "exists" for kill(-pg, 0).

use rustix::process::{test_kill_process_group, Pid};

/// Fields after the `(comm)` of /proc/PID/stat, starting at field 3 (state).
fn stat_fields(pid: u32) -> Option<Vec<String>> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &text[text.rfind(')')? + 1..];
    Some(rest.split_whitespace().map(String::from).collect())
}

/// How an unreaped (zombie) process ended: (exit status, signal).
pub fn zombie_exit(pid: u32) -> Option<(Option<i32>, Option<i32>)> {
    let f = stat_fields(pid)?;
    if f.first().map(String::as_str) != Some("Z") {
        return None;
    }
    // Field 52, exit_code, in waitpid(2) form (Linux 3.5+).
    let code: i32 = f.get(52 - 3)?.parse().ok()?;
    let sig = code & 0x7f;
    Some(if sig == 0 {
        (Some((code >> 8) & 0xff), None)
    } else {
        (None, Some(sig))
    })
}

/// Whether any process of the group still runs (zombies do not count).
/// Without /proc, whether the group exists at all.
pub fn group_alive(pg: Pid) -> bool {
    alive_groups(&[pg]).contains(&pg)
}

/// Which of `groups` still have a running process, from one pass over
/// /proc whatever their number (zombies do not count). Without /proc,
/// which groups exist at all.
pub fn alive_groups(groups: &[Pid]) -> std::collections::HashSet<Pid> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return groups
            .iter()
            .copied()
            .filter(|pg| test_kill_process_group(*pg).is_ok())
            .collect();
    };
    let wanted: std::collections::HashMap<i32, Pid> = groups
        .iter()
        .map(|pg| (pg.as_raw_nonzero().get(), *pg))
        .collect();
    let mut out = std::collections::HashSet::new();
    if wanted.is_empty() {
        return out;
    }
    for f in dir
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str().and_then(|n| n.parse::<u32>().ok()))
        .filter_map(stat_fields)
    {
        if f.first().map(String::as_str) == Some("Z") {
            continue;
        }
        if let Some(pg) = f.get(2).and_then(|g| g.parse::<i32>().ok()) {
            if let Some(p) = wanted.get(&pg) {
                out.insert(*p);
            }
        }
    }
    out
}

/// Whether the pane's own process is in front of its terminal and is a
/// shell running a `-c` script (so a shell in front is not a prompt).
pub fn script_in_front(pid: u32, is_shell: impl Fn(&str) -> bool) -> bool {
    // Field 8, tpgid: the terminal's foreground process group.
    let front = stat_fields(pid).and_then(|f| f.get(8 - 3).cloned());
    if front != Some(pid.to_string()) {
        return false;
    }
    let Ok(raw) = std::fs::read(format!("/proc/{pid}/cmdline")) else {
        return false;
    };
    let args: Vec<String> = raw
        .split(|b| *b == 0)
        .map(|a| String::from_utf8_lossy(a).into_owned())
        .collect();
    let base = args
        .first()
        .map(|a| a.rsplit('/').next().unwrap_or(a).to_string())
        .unwrap_or_default();
    is_shell(&base) && args.iter().skip(1).any(|a| a == "-c")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn our_own_group_is_alive_and_a_reaped_child_is_not_a_zombie() {
        let me = rustix::process::getpgrp();
        assert!(group_alive(me));
        let mut c = std::process::Command::new("sh")
            .args(["-c", "exit 3"])
            .spawn()
            .unwrap();
        let pid = c.id();
        // Not yet waited for: a zombie with status 3.
        std::thread::sleep(std::time::Duration::from_millis(200));
        assert_eq!(zombie_exit(pid), Some((Some(3), None)));
        c.wait().unwrap();
        assert_eq!(zombie_exit(pid), None);
    }
}
