//! Browser tests: Debian's headless Chromium driven through chromedriver (WebDriver) by
//! fantoccini. Without chromedriver they are not run and say so, unless
//! `PLEDGEBOARD_REQUIRE_BROWSER` is set (as `.ci/run` does), when that is a failure.

mod content_policy;
mod country_page;
mod follow_through_page;
mod import_counts;
mod import_errors;
mod languages;
mod live_board;
mod meeting_room;
mod mission_page;
mod outcome_page;
mod page_layout;
mod pledge_editing;
mod two_instances;

use std::io::Write;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};

use crate::server::Server;

/// Chromium's switches for a headless run on a machine without a display or internet.
pub const CHROMIUM_ARGS: [&str; 7] = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--window-size=1280,900",
];

/// `serve --demo` in a temporary directory, and the admin token it printed.
pub fn demo_server() -> (tempfile::TempDir, Server, String) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let server = Server::start(dir.path(), &["--demo"]);
    let token = server
        .demo_admin_token()
        .unwrap_or_else(|| panic!("no demo token: {:?}", server.stdout_lines));
    (dir, server, token)
}

/// Where the browser tests leave their photographs: the directory `PLEDGEBOARD_SCREENSHOTS`
/// names, when it is set.
pub fn screenshot_dir() -> Option<PathBuf> {
    std::env::var_os("PLEDGEBOARD_SCREENSHOTS").map(PathBuf::from)
}

/// Photographs the page shown as `NAME` in [`screenshot_dir`], when there is one.
pub async fn photograph(browser: &Client, name: &str) {
    let Some(dir) = screenshot_dir() else {
        return;
    };
    let png = browser.screenshot().await.unwrap_or_else(|e| panic!("{e}"));
    let path = dir.join(name);
    std::fs::write(&path, png).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    say(&format!("browser: photographed to {}", path.display()));
}

/// How long a page may take to show what a test waits for.
pub const PATIENCE: Duration = Duration::from_secs(15);

/// `GET path` with `token`, as JSON.
pub async fn api(server: &Server, token: &str, path: &str) -> Value {
    reqwest::Client::new()
        .get(server.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap_or_else(|e| panic!("GET {path}: {e}"))
        .json()
        .await
        .unwrap_or_else(|e| panic!("GET {path}: {e}"))
}

/// Waits until the element at `css` contains `needle`; returns its text.
pub async fn wait_for_text(browser: &Client, css: &str, needle: &str) -> String {
    let start = Instant::now();
    let mut last = String::new();
    while start.elapsed() < PATIENCE {
        if let Ok(element) = browser.find(Locator::Css(css)).await {
            last = element.text().await.unwrap_or_default();
            if last.contains(needle) {
                return last;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("'{css}' never showed '{needle}'; it showed '{last}'");
}

/// Writes `csv` to `dir/name`, chooses it on `/import`, presses Preview, and waits until the
/// result says `expect`.
pub async fn preview_import(
    browser: &Client,
    server: &Server,
    dir: &std::path::Path,
    (name, csv): (&str, &str),
    expect: &str,
) {
    let file = dir.join(name);
    std::fs::write(&file, csv).unwrap_or_else(|e| panic!("{e}"));
    browser
        .goto(&server.url("/import"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    browser
        .find(Locator::Id("import-file"))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .send_keys(&file.display().to_string())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    browser
        .find(Locator::Id("import-preview"))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    wait_for_text(browser, "#import-result", expect).await;
}

/// Runs `script` on the page shown, with `args`; its answer.
pub async fn run(browser: &Client, script: &str, args: Vec<Value>) -> Value {
    browser
        .execute(script, args)
        .await
        .unwrap_or_else(|e| panic!("{script}: {e}"))
}

/// Says something on the terminal even while the test harness captures output.
pub fn say(message: &str) {
    let _ = writeln!(std::io::stderr(), "{message}");
}

fn find_program(env: &str, names: &[&str]) -> Option<PathBuf> {
    if let Ok(path) = std::env::var(env) {
        // Named explicitly: that program or none.
        return Some(PathBuf::from(path)).filter(|p| p.is_file());
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain([
            PathBuf::from("/usr/bin"),
            PathBuf::from("/usr/lib/chromium"),
        ])
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|p| p.is_file())
}

/// A running chromedriver, stopped when dropped.
pub struct Driver {
    child: Child,
    url: String,
    chromium: Option<PathBuf>,
}

impl Driver {
    /// Starts chromedriver on a free port, or `None` (having said why) when it is not
    /// installed and not required.
    pub async fn start() -> Option<Driver> {
        let Some(program) = find_program("CHROMEDRIVER", &["chromedriver"]) else {
            let message = "browser tests NOT RUN: chromedriver not found \
                 (apt-get install chromium chromium-driver, or set CHROMEDRIVER)";
            assert!(
                std::env::var_os("PLEDGEBOARD_REQUIRE_BROWSER").is_none(),
                "{message}"
            );
            say(message);
            return None;
        };
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .unwrap_or_else(|e| panic!("no free port: {e}"));
        let child = Command::new(&program)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", program.display()));
        let driver = Driver {
            child,
            url: format!("http://127.0.0.1:{port}"),
            chromium: find_program("CHROME_BIN", &["chromium", "chromium-browser"]),
        };
        for _ in 0..100 {
            if reqwest::get(format!("{}/status", driver.url)).await.is_ok() {
                return Some(driver);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("chromedriver did not answer on {}", driver.url);
    }

    /// A new browser session (its own profile: its own cookies).
    pub async fn browser(&self) -> Client {
        self.session(json!({ "args": CHROMIUM_ARGS })).await
    }

    /// A new session on a phone's screen, `width` × `height` CSS pixels: Chromium's own window
    /// is never narrower than 500 px, so a phone is emulated, as its developer tools do.
    pub async fn phone(&self, width: u32, height: u32) -> Client {
        let metrics = json!({ "width": width, "height": height, "pixelRatio": 1 });
        self.session(json!({
            "args": CHROMIUM_ARGS,
            "mobileEmulation": { "deviceMetrics": metrics },
        }))
        .await
    }

    /// A new session with these Chromium options (`args`, `prefs`…).
    pub async fn session_with(&self, options: serde_json::Value) -> Client {
        self.session(options).await
    }

    async fn session(&self, mut options: serde_json::Value) -> Client {
        if let Some(binary) = &self.chromium {
            options["binary"] = json!(binary.display().to_string());
        }
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("goog:chromeOptions".into(), options);
        // Keeps the console, where Chromium reports what a Content-Security-Policy refused.
        capabilities.insert("goog:loggingPrefs".into(), json!({ "browser": "ALL" }));
        ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&self.url)
            .await
            .unwrap_or_else(|e| panic!("cannot open a Chromium session: {e}"))
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
