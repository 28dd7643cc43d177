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

/// Seconds since `pid` started, from /proc (None without it).
pub fn age_secs(pid: u32) -> Option<f64> {
    // Field 22, starttime, in clock ticks after boot.
    let start: f64 = stat_fields(pid)?.get(22 - 3)?.parse().ok()?;
    let up: f64 = std::fs::read_to_string("/proc/uptime")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()?;
    let hz = rustix::param::clock_ticks_per_second() as f64;
    Some((up - start / hz).max(0.0))
}

/// What the foreground of a pane's terminal is doing, by the operating
/// system's account: for commands no tool profile knows (a build script,
/// `python3 -i`, `bc`, an editor), the best witness there is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fg {
    /// Blocked reading the terminal: waiting for the person.
    Input,
    /// Running, or sleeping on something other than the terminal (a timer,
    /// a child, a pipe): working.
    Busy,
    /// Waiting in a way /proc does not explain (poll or epoll on fds crew
    /// cannot see), or no /proc at all.
    Unknown,
}

/// Per-process facts for `foreground`: state letter, process group.
struct Proc {
    pid: u32,
    state: char,
    pgrp: i64,
}

fn proc_of(pid: u32) -> Option<Proc> {
    let f = stat_fields(pid)?;
    Some(Proc {
        pid,
        state: f.first()?.chars().next()?,
        pgrp: f.get(2)?.parse().ok()?,
    })
}

/// The syscall numbers that tell waiting for input from working.
#[cfg(target_arch = "x86_64")]
mod sys {
    pub const READS: &[i64] = &[0, 17, 19, 295]; // read pread64 readv preadv
    pub const SELECTS: &[i64] = &[23, 270]; // select pselect6
}
#[cfg(target_arch = "aarch64")]
mod sys {
    pub const READS: &[i64] = &[63, 67, 65, 69];
    pub const SELECTS: &[i64] = &[72];
}
#[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
mod sys {
    pub const READS: &[i64] = &[];
    pub const SELECTS: &[i64] = &[];
}

/// Whether fd `fd` of `pid` is a terminal.
fn is_tty(pid: u32, fd: i64) -> bool {
    std::fs::read_link(format!("/proc/{pid}/fd/{fd}")).is_ok_and(|p| {
        let p = p.to_string_lossy();
        p.starts_with("/dev/pts/") || p.starts_with("/dev/tty")
    })
}

/// One sleeping process: Some(Input) blocked on the terminal, Some(Busy)
/// sleeping on anything else crew can name, None when it cannot tell.
fn sleeping(pid: u32) -> Option<Fg> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/syscall")).ok()?;
    let mut w = text.split_whitespace();
    let nr = w.next()?;
    if nr == "running" {
        return Some(Fg::Busy);
    }
    let nr: i64 = nr.parse().ok()?;
    let arg0 = w
        .next()
        .and_then(|a| i64::from_str_radix(a.trim_start_matches("0x"), 16).ok());
    if sys::READS.contains(&nr) {
        // Reading the terminal waits for the person; a pipe or a socket, for
        // other work.
        return Some(if arg0.is_some_and(|fd| is_tty(pid, fd)) {
            Fg::Input
        } else {
            Fg::Busy
        });
    }
    if sys::SELECTS.contains(&nr) {
        // readline, vim, bc, python: select on fd 0 alone (nfds 1).
        return (arg0 == Some(1) && is_tty(pid, 0)).then_some(Fg::Input);
    }
    const POLLS: [&str; 4] = ["poll", "epoll", "futex", "pipe"];
    let wchan = std::fs::read_to_string(format!("/proc/{pid}/wchan")).unwrap_or_default();
    if POLLS.iter().any(|p| wchan.contains(p)) {
        return None;
    }
    // Timers, waiting for a child, and the like.
    Some(Fg::Busy)
}

/// What the foreground process group of each pane's terminal is doing,
/// keyed by pane pid. /proc is scanned at most once, and only when a
/// group's leader alone does not answer.
pub fn foreground(pane_pids: &[u32]) -> std::collections::HashMap<u32, Fg> {
    let mut out = std::collections::HashMap::new();
    // The terminal's foreground group, from the pane's own process.
    let mut groups: Vec<(u32, i64)> = Vec::new();
    for &pid in pane_pids {
        match stat_fields(pid).and_then(|f| f.get(8 - 3)?.parse::<i64>().ok()) {
            Some(tp) if tp > 0 => groups.push((pid, tp)),
            _ => {
                out.insert(pid, Fg::Unknown);
            }
        }
    }
    let mut members: Option<std::collections::HashMap<i64, Vec<Proc>>> = None;
    for (pane, tp) in groups {
        let leader = proc_of(tp as u32).filter(|p| p.pgrp == tp);
        let verdict = match leader {
            Some(l) if matches!(l.state, 'R' | 'D') => Fg::Busy,
            Some(l) if l.state == 'S' && sleeping(l.pid) == Some(Fg::Input) => Fg::Input,
            _ => {
                // Look at the whole group (a script waits for its children).
                let all = members.get_or_insert_with(scan_groups);
                judge(all.get(&tp).map(Vec::as_slice).unwrap_or(&[]))
            }
        };
        out.insert(pane, verdict);
    }
    out
}

/// Every process on the system by process group, from one pass over /proc.
fn scan_groups() -> std::collections::HashMap<i64, Vec<Proc>> {
    let mut map: std::collections::HashMap<i64, Vec<Proc>> = std::collections::HashMap::new();
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return map;
    };
    for p in dir
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str().and_then(|n| n.parse::<u32>().ok()))
        .filter_map(proc_of)
    {
        map.entry(p.pgrp).or_default().push(p);
    }
    map
}

fn judge(group: &[Proc]) -> Fg {
    if group.is_empty() {
        return Fg::Unknown;
    }
    let mut input = false;
    let mut unknown = false;
    for p in group {
        match p.state {
            'R' | 'D' => return Fg::Busy,
            'S' => match sleeping(p.pid) {
                Some(Fg::Input) => input = true,
                Some(_) => {}
                None => unknown = true,
            },
            // Stopped, traced, zombie: not what decides.
            _ => {}
        }
    }
    if input {
        Fg::Input
    } else if unknown {
        Fg::Unknown
    } else {
        Fg::Busy
    }
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
