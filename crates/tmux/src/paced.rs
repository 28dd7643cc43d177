//! Many groups of commands as paced chains, each keeping the server busy for
//! about a budget, so that other clients are answered in between.

use crate::{Chain, Cmd, Tmux, TmuxError};
use std::time::{Duration, Instant};

/// How long one paced chain may keep the server from answering anyone else:
/// a recovery that re-created thousands of agents as one chain froze every
/// client for half a minute (measured: 2,000 agents, 30 s).
pub const CHAIN_BUDGET: Duration = Duration::from_millis(100);

/// Between paced chains: long enough for a waiting client's messages to be
/// read, short against a chain's 100 ms.
const PACE_GAP: Duration = Duration::from_millis(10);

impl Tmux {
    /// Run groups of commands (each group stays in one chain, in order) in
    /// chains paced so that each keeps the server busy for about `budget`:
    /// tmux answers no other client while it runs a chain, and some commands
    /// (creating or destroying windows in a session of thousands) cost tens
    /// of milliseconds each (the cost grows with the session's size). Up to
    /// 64 groups run as one chain, as any chain would; more are paced as
    /// they go: a handful first, then as many as the last chain's time per
    /// group allows, at most twice the last chain (the cost per group grows
    /// as the session fills, and a call costs so little that nothing else
    /// hides the growth).
    pub fn run_paced(&self, groups: &[Vec<Cmd>], budget: Duration) -> Result<String, TmuxError> {
        self.run_paced_creating(groups, &vec![false; groups.len()], "", budget)
    }

    /// `run_paced` for groups of which those marked in `creates` make a
    /// pane: their first command creates it and prints its id alone on a
    /// line (`-P -F '#{pane_id}'`), the rest tag it, addressed by the window
    /// index it was made at (so no command among them may move windows). In
    /// each chain a run of such groups makes all its panes first, then tags
    /// them, in order. Why: each window is a `fork` of the server, after
    /// which its memory is copy-on-write, and setting an `@` option touches
    /// every pane of the server; done after each window, that costs a page
    /// fault per pane per agent (measured on 1,000 agents: a third of the
    /// time), done once per chain it costs nearly nothing.
    ///
    /// A pane made in a chain that then fails is left only if it carries
    /// `done_tag` (its group finished); the others are removed, so nothing
    /// is left half made, as when each group ran whole before the next.
    pub fn run_paced_creating(
        &self,
        groups: &[Vec<Cmd>],
        creates: &[bool],
        done_tag: &str,
        budget: Duration,
    ) -> Result<String, TmuxError> {
        assert_eq!(groups.len(), creates.len(), "one mark per group");
        let mut out = String::new();
        let mut at = 0;
        let mut batch = if groups.len() <= 64 { 64 } else { 8 };
        while at < groups.len() {
            let end = (at + batch).min(groups.len());
            let chain = creating_first(&groups[at..end], &creates[at..end]);
            let t = Instant::now();
            match self.run_keeping_output(&chain) {
                Ok(o) => out.push_str(&o),
                Err((e, printed)) => {
                    if creates[at..end].iter().any(|c| *c) {
                        self.remove_unfinished(&printed, done_tag);
                    }
                    return Err(e);
                }
            }
            let per = t.elapsed().as_secs_f64() / (end - at) as f64;
            // Aim under the budget: the next groups cost more than the last.
            let fits = (0.75 * budget.as_secs_f64() / per.max(1e-6)) as usize;
            batch = fits.min(2 * (end - at)).clamp(1, 512);
            at = end;
            if at < groups.len() {
                // Leave the server a moment between chains: a client that
                // connected meanwhile sends its identity and its command in
                // separate writes, and a call over the socket is so quick
                // that the next chain would otherwise be read first, again
                // and again (measured: 0.3 s without an answer).
                std::thread::sleep(PACE_GAP);
            }
        }
        Ok(out)
    }

    /// Remove each pane id in `printed` that does not carry `done_tag`, in
    /// one chain that checks the tag on the server (nothing can change in
    /// between). Best effort: the chain's own failure is what is reported.
    fn remove_unfinished(&self, printed: &str, done_tag: &str) {
        let mut undo = Chain::new();
        for id in printed.lines().map(str::trim).filter(|l| is_pane_id(l)) {
            undo.push(Cmd::new("if-shell").args([
                "-F",
                "-t",
                id,
                &format!("#{{==:#{{{done_tag}}},}}"),
                &format!("kill-pane -t {id}"),
            ]));
        }
        if !undo.is_empty() {
            let _ = self.run(&undo);
        }
    }
}

/// `%` and digits: what `#{pane_id}` prints, and nothing that tmux would
/// parse as more than a target.
fn is_pane_id(s: &str) -> bool {
    s.len() > 1 && s.starts_with('%') && s[1..].bytes().all(|b| b.is_ascii_digit())
}

/// One chain of `groups`, where each run of consecutive creating groups
/// sends its first commands first and then the rest of each, in order.
fn creating_first(groups: &[Vec<Cmd>], creates: &[bool]) -> Chain {
    let mut chain = Chain::new();
    let mut rest: Vec<Cmd> = Vec::new();
    for (g, &c) in groups.iter().zip(creates) {
        match g.split_first() {
            Some((first, tail)) if c => {
                chain.push(first.clone());
                rest.extend(tail.iter().cloned());
            }
            _ => {
                chain.extend(rest.drain(..));
                chain.extend(g.iter().cloned());
            }
        }
    }
    chain.extend(rest);
    chain
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(ch: &Chain) -> Vec<String> {
        ch.cmds().iter().map(|c| c.raw_args().join(" ")).collect()
    }

    #[test]
    fn creating_groups_make_their_panes_first_then_tag_them_in_order() {
        let g = |w: &str| vec![Cmd::new("new-window").arg(w), Cmd::new("set").arg(w)];
        let other = vec![Cmd::new("kill-window").arg("x")];
        let groups = vec![g("a"), g("b"), other, g("c")];
        let ch = creating_first(&groups, &[true, true, false, true]);
        assert_eq!(
            names(&ch),
            [
                "new-window a",
                "new-window b",
                "set a",
                "set b",
                "kill-window x",
                "new-window c",
                "set c"
            ]
        );
        let ch = creating_first(&groups, &[false; 4]);
        assert_eq!(names(&ch)[..3], ["new-window a", "set a", "new-window b"]);
    }

    #[test]
    fn only_pane_ids_are_undone() {
        assert!(is_pane_id("%12"));
        for s in ["%", "12", "%1;kill-server", "%1 ", "$1", "%a"] {
            assert!(!is_pane_id(s), "{s}");
        }
    }
}
