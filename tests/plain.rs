//! Plain commands (no tool profile) are judged by what the operating system
//! says their foreground does: blocked reading the terminal is idle, running
//! or sleeping is working, whatever the screen shows.

mod common;
use common::*;

#[test]
fn silent_scripts_work_and_repls_wait() {
    let s = Server::new();
    let script = s.path().join("build.sh");
    std::fs::write(
        &script,
        "#!/bin/sh\n# works silently\nsleep 30\necho done\n",
    )
    .unwrap();
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    s.ok(&["spawn", "build", "--", script.to_str().unwrap()]);
    s.ok(&["spawn", "nap", "--", "sleep", "600"]);
    s.ok(&["spawn", "py", "--", "python3", "-i", "-q"]);
    s.ok(&["spawn", "calc", "--", "bc", "-q"]);
    s.ok(&["spawn", "edit", "--", "vim", "-u", "NONE", "-N"]);
    s.eventually("python prompt", 20, || {
        s.ok(&["read", "py"]).contains(">>>")
    });

    // The REPLs and the editor wait for the person: idle.
    for n in ["py", "calc", "edit"] {
        s.eventually(&format!("{n} idle"), 20, || s.status(n) == "idle");
    }
    // A silent script and a sleeping command are working, long after their
    // screens went still.
    std::thread::sleep(std::time::Duration::from_secs(6));
    assert_eq!(s.status("build"), "working");
    assert_eq!(s.status("nap"), "working");
    let o = s.crew(&["wait", "build", "--until", "idle", "--timeout", "1"]);
    assert_eq!(o.status.code(), Some(124), "{}", stderr(&o));
    let o = s.crew(&[
        "wait",
        "py",
        "calc",
        "edit",
        "--until",
        "idle",
        "--timeout",
        "10",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));

    // Busy in the REPL: working until the prompt comes back.
    s.ok(&["send", "py", "import time; time.sleep(4)"]);
    s.eventually("py working", 10, || s.status("py") == "working");
    let o = s.crew(&["wait", "py", "--until", "idle", "--timeout", "20"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(s.status("py"), "idle");
}
