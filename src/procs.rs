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
    groups_with(groups, false)
}

/// Which of `groups` still have any process, zombies (exited, not yet
/// reaped by tmux) included.
pub fn unreaped_groups(groups: &[Pid]) -> std::collections::HashSet<Pid> {
    groups_with(groups, true)
}

fn groups_with(groups: &[Pid], zombies: bool) -> std::collections::HashSet<Pid> {
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
        if !zombies && f.first().map(String::as_str) == Some("Z") {
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

/// What crew asks /proc about one pane's process.
#[derive(Debug, Clone, Copy)]
pub struct Ask {
    pub pid: u32,
    /// The pane's foreground command is a shell: is it a `-c` script?
    pub shell_named: bool,
    /// Whether the foreground's activity (`Fg`) is wanted, when the
    /// foreground is not a shell at its prompt.
    pub want_fg: bool,
}

/// What /proc says about one pane's process.
#[derive(Debug, Clone, Copy, Default)]
pub struct Look {
    /// The pane's own process is in front of its terminal and is a shell
    /// running a `-c` script (so a shell in front is not a prompt).
    pub script_in_front: bool,
    /// What the terminal's foreground group does, when asked and known.
    pub fg: Option<Fg>,
}

/// Look at many panes' processes: one read of each pane's stat and a second
/// small file only where it decides, spread over threads when there are
/// many (each /proc read costs tens of µs).
pub fn look_many(asks: &[Ask], is_shell: &(dyn Fn(&str) -> bool + Sync)) -> Vec<Look> {
    let one = |a: &Ask| look_one(a, is_shell);
    if asks.len() < 64 {
        return asks.iter().map(one).collect();
    }
    let per = asks.len().div_ceil(4);
    std::thread::scope(|sc| {
        let handles: Vec<_> = asks
            .chunks(per)
            .map(|chunk| sc.spawn(move || chunk.iter().map(one).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    })
}

/// One pane's Look.
fn look_one(a: &Ask, is_shell: &dyn Fn(&str) -> bool) -> Look {
    let mut look = Look::default();
    let Some(f) = stat_fields(a.pid) else {
        if a.want_fg {
            look.fg = Some(Fg::Unknown);
        }
        return look;
    };
    // Field 8, tpgid: the terminal's foreground process group.
    let tpgid: i64 = f.get(8 - 3).and_then(|t| t.parse().ok()).unwrap_or(-1);
    let own = tpgid == a.pid as i64;
    if a.shell_named && own {
        look.script_in_front = shell_script(a.pid, is_shell);
    }
    if !a.want_fg || (a.shell_named && !look.script_in_front) {
        return look;
    }
    if tpgid <= 0 {
        look.fg = Some(Fg::Unknown);
        return look;
    }
    // The group's leader: the pane's own process (its stat is read), or
    // another.
    let leader = if own {
        f.first()
            .and_then(|st| st.chars().next())
            .map(|state| Proc {
                pid: a.pid,
                state,
                pgrp: tpgid,
            })
    } else {
        proc_of(tpgid as u32).filter(|p| p.pgrp == tpgid)
    };
    // The leader decides: it runs, reads the terminal, sleeps, or waits
    // for the commands it started (a script). Not scanning all of /proc for
    // the rest of the group keeps this to two small reads per pane.
    look.fg = Some(match leader {
        Some(l) if matches!(l.state, 'R' | 'D') => Fg::Busy,
        Some(l) if l.state == 'S' => sleeping(l.pid).unwrap_or(Fg::Unknown),
        _ => Fg::Unknown,
    });
    look
}

/// Whether `pid` is a shell started with `-c` (running a script).
fn shell_script(pid: u32, is_shell: &dyn Fn(&str) -> bool) -> bool {
    let Ok(raw) = std::fs::read(format!("/proc/{pid}/cmdline")) else {
        return false;
    };
    let mut args = raw.split(|b| *b == 0).map(String::from_utf8_lossy);
    let base = args
        .next()
        .map(|a| a.rsplit('/').next().unwrap_or(&a).to_string())
        .unwrap_or_default();
    is_shell(&base) && args.any(|a| a == "-c")
}

/// A process's argv from /proc (a login shell's leading `-` dropped).
pub fn cmdline(pid: u32) -> Option<Vec<String>> {
    let raw = std::fs::read(format!("/proc/{pid}/cmdline")).ok()?;
    let mut v: Vec<String> = raw
        .split(|b| *b == 0)
        .filter(|s| !s.is_empty())
        .map(|s| String::from_utf8_lossy(s).into_owned())
        .collect();
    if let Some(first) = v.first_mut() {
        if let Some(s) = first.strip_prefix('-') {
            *first = s.to_string();
        }
    }
    (!v.is_empty()).then_some(v)
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
    /// a pipe): working.
    Busy,
    /// Waiting for its children (a script running commands): working,
    /// unless its screen asks a question (`apt` asking `[Y/n]` under it).
    Children,
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
    pub const WAITS: &[i64] = &[61, 247]; // wait4 waitid
}
#[cfg(target_arch = "aarch64")]
mod sys {
    pub const READS: &[i64] = &[63, 67, 65, 69];
    pub const SELECTS: &[i64] = &[72];
    pub const WAITS: &[i64] = &[260, 95];
}
#[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
mod sys {
    pub const READS: &[i64] = &[];
    pub const SELECTS: &[i64] = &[];
    pub const WAITS: &[i64] = &[];
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
    if sys::WAITS.contains(&nr) {
        return Some(Fg::Children);
    }
    const POLLS: [&str; 4] = ["poll", "epoll", "futex", "pipe"];
    let wchan = std::fs::read_to_string(format!("/proc/{pid}/wchan")).unwrap_or_default();
    if POLLS.iter().any(|p| wchan.contains(p)) {
        return None;
    }
    // Timers, waiting for a child, and the like.
    Some(Fg::Busy)
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
