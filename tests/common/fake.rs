//! The fake agent (examples/fake_agent.rs) as a test drives it: spawned
//! under the claude profile, moved between states by its control file.
#![allow(dead_code)]

use super::common::*;
use std::path::PathBuf;

pub struct Fake {
    pub name: String,
    pub control: PathBuf,
    pub log: PathBuf,
    pub raw: PathBuf,
}

impl Fake {
    /// A fake agent judged by the claude profile, with FAKE_* settings.
    pub fn spawn(s: &Server, name: &str, env: &[&str]) -> Fake {
        let control = s.path().join(format!("{name}.ctl"));
        let log = s.path().join(format!("{name}.log"));
        let raw = s.path().join(format!("{name}.raw"));
        std::fs::write(&control, "").unwrap();
        let raw_env = format!("FAKE_RAW_LOG={}", raw.display());
        let mut args = vec!["spawn", name, "--profile", "claude", "-e", &raw_env];
        for e in env {
            args.push("-e");
            args.push(e);
        }
        let bin = example("fake_agent");
        args.extend(["--", bin.to_str().unwrap(), control.to_str().unwrap()]);
        args.push(log.to_str().unwrap());
        s.ok(&args);
        Fake {
            name: name.into(),
            control,
            log,
            raw,
        }
    }

    pub fn start(s: &Server, name: &str) -> Fake {
        let f = Fake::spawn(s, name, &[]);
        f.until(s, "idle");
        f
    }

    pub fn set(&self, s: &Server, state: &str) {
        // A counter makes each command new, even for the same state.
        let n = std::fs::read_to_string(&self.control)
            .unwrap_or_default()
            .len();
        std::fs::write(&self.control, format!("{state} {n}")).unwrap();
        self.until(s, state);
    }

    pub fn until(&self, s: &Server, state: &str) {
        s.eventually(&format!("{} {state}", self.name), 15, || {
            s.agent(&self.name).is_some_and(|a| a["status"] == state)
        });
    }

    pub fn log(&self) -> Vec<String> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .map(String::from)
            .collect()
    }

    pub fn raw(&self) -> Vec<u8> {
        std::fs::read(&self.raw).unwrap_or_default()
    }
}
