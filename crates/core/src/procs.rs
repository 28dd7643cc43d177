//! What tmux has not caught up with yet, read from /proc: tmux 3.3a can reap
//! a pane's child seconds late when several servers run (measured: zombies
//! left 5 s), so a dead pane may lack its exit status for a while, and a
//! process group of zombies still "exists" for kill(-pg, 0).

use rustix::process::{test_kill_process_group, Pid};

/// /proc/PID/stat after the `(comm)`, which may hold spaces or `)`: from
/// field 3 (state) on.
fn stat_rest(pid: u32) -> Option<String> {
    let raw = read_small(&format!("/proc/{pid}/stat"), 1024)?;
    let rest = &raw[raw.iter().rposition(|b| *b == b')')? + 1..];
    String::from_utf8(rest.to_vec()).ok()
}

/// The fields of `stat_rest`, starting at field 3 (state).
fn stat_fields(pid: u32) -> Option<Vec<String>> {
    Some(
        stat_rest(pid)?
            .split_whitespace()
            .map(String::from)
            .collect(),
    )
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

/// Which of `groups` still have their leader, zombies (exited, not yet
/// reaped by tmux) included: a pane's process is its group's leader (tmux's
/// child calls setsid), and it is the one tmux reaps. One look per group,
/// not a pass over every process: `kill` asks this many times a second.
pub fn unreaped_leaders(groups: &[Pid]) -> Vec<Pid> {
    groups
        .iter()
        .copied()
        .filter(|pg| {
            let path = format!("/proc/{}", pg.as_raw_nonzero());
            match std::fs::metadata("/proc/self") {
                Ok(_) => std::fs::metadata(path).is_ok(),
                // No /proc: whether the group exists at all.
                Err(_) => test_kill_process_group(*pg).is_ok(),
            }
        })
        .collect()
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
    /// Whether the foreground's activity (`Fg`) is wanted, when the
    /// foreground is not a shell at its prompt.
    pub want_fg: bool,
}

/// What /proc says about one pane's process.
#[derive(Debug, Clone, Default)]
pub struct Look {
    /// `#{pane_current_command}` as tmux names it, from the terminal's
    /// foreground process; None when /proc cannot tell.
    pub command: Option<String>,
    /// The pane's own process is in front of its terminal and is a shell
    /// running a `-c` script (so a shell in front is not a prompt).
    pub script_in_front: bool,
    /// What the terminal's foreground group does, when asked and known.
    pub fg: Option<Fg>,
}

/// Whether /proc is there to read (else tmux is asked for what it knows).
pub fn available() -> bool {
    static HAVE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *HAVE.get_or_init(|| std::path::Path::new("/proc/self/stat").exists())
}

/// Look at many panes' processes: a pane's stat and its foreground's
/// command line (one file when the pane's own process is in front), spread
/// over threads when there are many (each /proc read costs about 10 µs),
/// leaving one processor to the tmux server, which works meanwhile.
pub fn look_many(asks: &[Ask], is_shell: &(dyn Fn(&str) -> bool + Sync)) -> Vec<Look> {
    let one = |a: &Ask| look_one(a, is_shell);
    let threads = std::thread::available_parallelism()
        .map(|n| n.get().saturating_sub(1))
        .unwrap_or(1)
        .min(asks.len() / 24);
    if threads < 2 {
        return asks.iter().map(one).collect();
    }
    let per = asks.len().div_ceil(threads);
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
    let Some(st) = Stat::read(a.pid) else {
        if a.want_fg {
            look.fg = Some(Fg::Unknown);
        }
        return look;
    };
    let own = st.tpgid == a.pid as i64;
    // tmux names a pane by its terminal's foreground process group: the
    // group leader's argv[0] (osdep_get_name, then parse_window_name).
    let argv = (st.tpgid > 0)
        .then(|| read_small(&format!("/proc/{}/cmdline", st.tpgid), 4096))
        .flatten()
        .unwrap_or_default();
    let mut args = argv.split(|b| *b == 0);
    let first = args.next().map(String::from_utf8_lossy).unwrap_or_default();
    let name = window_name(&first);
    let shell_named = is_shell(&name);
    if !name.is_empty() {
        look.command = Some(name);
    }
    if shell_named && own {
        look.script_in_front = args.any(|a| a == b"-c");
    }
    if !a.want_fg || (shell_named && !look.script_in_front) {
        return look;
    }
    if st.tpgid <= 0 {
        look.fg = Some(Fg::Unknown);
        return look;
    }
    // The group's leader: the pane's own process (its stat is read), or
    // another.
    let leader = if own {
        Some(Proc {
            pid: a.pid,
            state: st.state,
            pgrp: st.tpgid,
        })
    } else {
        proc_of(st.tpgid as u32).filter(|p| p.pgrp == st.tpgid)
    };
    // The leader decides: it runs, reads the terminal, sleeps, or waits
    // for the commands it started (a script). Not scanning all of /proc for
    // the rest of the group keeps this to two or three small reads a pane.
    look.fg = Some(match leader {
        Some(l) if matches!(l.state, 'R' | 'D') => Fg::Busy,
        Some(l) if l.state == 'S' => sleeping(l.pid).unwrap_or(Fg::Unknown),
        _ => Fg::Unknown,
    });
    look
}

/// The pane's foreground command as tmux's `#{pane_current_command}` shows
/// it, for one pane (None without /proc or a foreground).
pub fn current_command(pid: u32) -> Option<String> {
    look_one(
        &Ask {
            pid,
            want_fg: false,
        },
        &|_| false,
    )
    .command
}

/// tmux's parse_window_name: the first word of a command, without quotes,
/// `exec `, leading dashes or a directory.
pub fn window_name(cmd: &str) -> String {
    let mut name = cmd.strip_prefix('"').unwrap_or(cmd);
    name = &name[..name.find('"').unwrap_or(name.len())];
    name = name.strip_prefix("exec ").unwrap_or(name);
    name = name.trim_start_matches([' ', '-']);
    name = &name[..name.find(' ').unwrap_or(name.len())];
    let keep = |c: char| c.is_ascii_alphanumeric() || c.is_ascii_punctuation();
    let trimmed = name.trim_end_matches(|c: char| !keep(c));
    name = if trimmed.is_empty() {
        &name[..name.chars().next().map_or(0, char::len_utf8)]
    } else {
        trimmed
    };
    if name.starts_with('/') {
        name = name.rsplit('/').next().unwrap_or(name);
    }
    name.to_string()
}

/// The start of a small /proc file, with one read.
fn read_small(path: &str, max: usize) -> Option<Vec<u8>> {
    use std::io::Read;
    let mut f = std::fs::File::open(path).ok()?;
    let mut buf = vec![0u8; max];
    let n = f.read(&mut buf).ok()?;
    buf.truncate(n);
    Some(buf)
}

/// The session crew runs in; None when its leader lives outside crew's pid
/// namespace (a container's runner), where getsid says 0 (and rustix's
/// getsid asserts on it), or when /proc cannot tell.
pub fn own_session() -> Option<Pid> {
    if !available() {
        // No pid namespaces where there is no /proc (macOS, the BSDs).
        return rustix::process::getsid(None).ok();
    }
    let text = stat_rest(std::process::id())?;
    // From field 3: state ppid pgrp session.
    let sid: i32 = text.split_ascii_whitespace().nth(3)?.parse().ok()?;
    Pid::from_raw(sid)
}

/// The fields of /proc/PID/stat crew reads.
struct Stat {
    state: char,
    pgrp: i64,
    tpgid: i64,
}

impl Stat {
    fn read(pid: u32) -> Option<Stat> {
        let text = stat_rest(pid)?;
        // From field 3: state ppid pgrp session tty_nr tpgid.
        let mut f = text.split_ascii_whitespace();
        let state = f.next()?.chars().next()?;
        let pgrp = f.nth(1)?.parse().ok()?;
        let tpgid = f.nth(2)?.parse().ok()?;
        Some(Stat { state, pgrp, tpgid })
    }
}

/// Processes still running from agents of the server at `socket` whose
/// names are in `names`: by their environment, where tmux put
/// `TMUX=SOCKET,…` and crew `CREW_AGENT=NAME` (a process that outlived its
/// server, as some tools outlive `kill-server`). One pass over /proc; pid
/// and command line per name.
pub fn still_running(
    socket: &std::path::Path,
    names: &[&str],
) -> std::collections::HashMap<String, Vec<(u32, String)>> {
    let mut out: std::collections::HashMap<String, Vec<(u32, String)>> = Default::default();
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return out;
    };
    let tmux = format!("TMUX={},", socket.display());
    let me = std::process::id();
    for pid in dir
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str().and_then(|n| n.parse::<u32>().ok()))
        .filter(|p| *p != me)
    {
        let Ok(env) = std::fs::read(format!("/proc/{pid}/environ")) else {
            continue;
        };
        let vars: Vec<&[u8]> = env.split(|b| *b == 0).collect();
        if !vars.iter().any(|v| v.starts_with(tmux.as_bytes())) {
            continue;
        }
        let Some(name) = vars
            .iter()
            .find_map(|v| v.strip_prefix(b"CREW_AGENT="))
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .filter(|n| names.contains(&n.as_str()))
        else {
            continue;
        };
        // Zombies are gone in all but name.
        if stat_fields(pid).is_some_and(|f| f.first().map(String::as_str) == Some("Z")) {
            continue;
        }
        let cmd = cmdline(pid).unwrap_or_default().join(" ");
        out.entry(name).or_default().push((pid, cmd));
    }
    out
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
    let st = Stat::read(pid)?;
    Some(Proc {
        pid,
        state: st.state,
        pgrp: st.pgrp,
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
        // A group of our own making: ours may have its leader outside the
        // pid namespace (getpgrp is then 0).
        use std::os::unix::process::CommandExt;
        let mut g = std::process::Command::new("sleep")
            .arg("30")
            .process_group(0)
            .spawn()
            .unwrap();
        let pg = Pid::from_raw(g.id() as i32).unwrap();
        assert!(group_alive(pg));
        g.kill().unwrap();
        g.wait().unwrap();
        assert!(!group_alive(pg));
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
