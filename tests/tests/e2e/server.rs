//! Starting and stopping the real server as a child process.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// How long a server may take to start (migrations plus demo load on a cold disk).
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// The `pledgeboard` binary built by `cargo test --workspace` (beside this test's directory),
/// or `PLEDGEBOARD_BIN` when set.
pub fn binary() -> PathBuf {
    if let Ok(bin) = std::env::var("PLEDGEBOARD_BIN") {
        return PathBuf::from(bin);
    }
    let exe = std::env::current_exe().unwrap_or_else(|e| panic!("{e}"));
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .unwrap_or_else(|| panic!("no target dir"));
    let bin = profile_dir.join("pledgeboard");
    assert!(
        bin.exists(),
        "{} is missing: run the tests with `cargo test --workspace` (it builds the binary)",
        bin.display()
    );
    bin
}

/// A running server, stopped with SIGTERM when dropped.
pub struct Server {
    child: Child,
    pub base_url: String,
    pub stdout_lines: Vec<String>,
}

impl Server {
    /// Starts `pledgeboard serve --bind 127.0.0.1:0 ARGS…` in `dir` and waits until it listens.
    pub fn start(dir: &Path, args: &[&str]) -> Server {
        Self::spawn(Command::new(binary()), dir, args)
    }

    /// Like [`Server::start`], with the soft open-file limit lowered to `limit` (the hard
    /// limit left as it is), as on systems whose default soft limit is 1,024.
    pub fn start_with_soft_open_file_limit(dir: &Path, args: &[&str], limit: u64) -> Server {
        let mut command = Command::new("sh");
        command
            .args(["-c", &format!("ulimit -S -n {limit} && exec \"$0\" \"$@\"")])
            .arg(binary());
        Self::spawn(command, dir, args)
    }

    fn spawn(mut command: Command, dir: &Path, args: &[&str]) -> Server {
        let mut child = command
            .arg("serve")
            .args(["--bind", "127.0.0.1:0"])
            .args(args)
            .current_dir(dir)
            .env_remove("PLEDGEBOARD_DB")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start pledgeboard: {e}"));
        let Some(stdout) = child.stdout.take() else {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the server's stdout was not captured");
        };
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut stdout_lines = Vec::new();
        loop {
            let line = rx.recv_timeout(START_TIMEOUT).unwrap_or_else(|_| {
                panic!("the server did not start; it printed {stdout_lines:?}")
            });
            stdout_lines.push(line.clone());
            if let Some(rest) = line.strip_prefix("Pledgeboard is serving on ") {
                let base_url = rest.trim_end_matches('/').to_owned();
                return Server {
                    child,
                    base_url,
                    stdout_lines,
                };
            }
        }
    }

    /// Sends SIGTERM and waits; returns whether the process exited successfully.
    pub fn stop(mut self) -> bool {
        self.terminate()
    }

    fn terminate(&mut self) -> bool {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        for _ in 0..100 {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.success();
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        false
    }

    /// The admin token `serve --demo` printed on its first start, if it printed one.
    pub fn demo_admin_token(&self) -> Option<String> {
        self.stdout_lines
            .iter()
            .find_map(|l| l.strip_prefix("demo admin token (shown once): "))
            .map(str::to_owned)
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The `host:port` the server listens on.
    pub fn address(&self) -> String {
        self.base_url.trim_start_matches("http://").to_owned()
    }

    /// `base_url` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            self.terminate();
        }
    }
}
