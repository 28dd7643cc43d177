//! A fake agent for crew's tests that reports its state through `crew report`
//! (as a tool's hooks would) and draws nothing, so only a report can tell
//! what it is doing.
//!
//! Usage: `reporter CREW_BIN CONTROL_FILE`
//!
//! Every ~30 ms it reads CONTROL_FILE; when its trimmed content changes and
//! is not empty, it runs `CREW_BIN report WORDS...` (the words of the file)
//! inside its pane (tmux gives it `$TMUX` and `$TMUX_PANE`), then appends
//! `done` to CONTROL_FILE.done so a test knows the report was made.

use std::io::Write;
use std::time::Duration;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 {
        eprintln!("usage: reporter CREW_BIN CONTROL_FILE");
        std::process::exit(2);
    }
    let (crew, control) = (&args[1], &args[2]);
    let mut last = String::new();
    loop {
        let now = std::fs::read_to_string(control).unwrap_or_default();
        let now = now.trim().to_string();
        if !now.is_empty() && now != last {
            let ok = std::process::Command::new(crew)
                .args(now.split_whitespace())
                .stdout(std::process::Stdio::null())
                .status()
                .is_ok_and(|s| s.success());
            let mut f = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(format!("{control}.done"))
                .expect("done file");
            let _ = writeln!(f, "{} {now}", if ok { "ok" } else { "failed" });
            last = now;
        }
        std::thread::sleep(Duration::from_millis(30));
    }
}
