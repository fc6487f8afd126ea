//! The adapter for any server speaking SpacetimeDB's HTTP API (1.x and 2.x): install publishes
//! to a fresh database, a call is `POST .../call/NAME` with JSON arguments, rows come from SQL and
//! the log from the logs endpoint. The HTTP plumbing is in `client.rs`.

mod client;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::Value;

use crate::{Args, CallOutcome, ConformanceHost};

/// What a server answers, with status 530, when the module trapped (1.x, then 2.x): the call is
/// then [`CallOutcome::Trap`]; any other 530 body is the reducer's error message, and a 402 (the
/// reducer ran out of energy, i.e. fuel) is a trap too.
pub const FATAL_ERROR_TEXTS: [&str; 2] =
    ["The Wasm instance encountered a fatal error.", "The instance encountered a fatal error."];

/// [`ConformanceHost`] for a server at `http://HOST:PORT`, calling as the identity it creates at
/// [`HttpHost::connect`]. Each install publishes to a new database (and deletes the previous one).
#[derive(Debug)]
pub struct HttpHost {
    addr: String,
    description: String,
    token: String,
    prefix: String,
    installs: u32,
    database: Option<String>,
    /// How long to wait for any one answer (default 300 s, well past the kit's time budget, to see
    /// how a slow request ends); a request that takes longer is `Err`.
    pub timeout: Duration,
}

impl HttpHost {
    /// Connects to the server at `url` (`http://HOST:PORT`) and asks it for a new identity;
    /// `description` (e.g. `SpacetimeDB 2.8.3`) names it in reports.
    pub fn connect(url: &str, description: &str) -> Result<HttpHost, String> {
        let secs = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        let mut host = HttpHost {
            addr: client::authority(url)?,
            description: format!("{description} at {url} (HTTP API)"),
            token: String::new(),
            prefix: format!("wtkit-{secs:x}-{:x}", std::process::id()),
            installs: 0,
            database: None,
            timeout: Duration::from_secs(300),
        };
        let (_, body) = host.send("POST", "/v1/identity", "", b"", &[200])?;
        let token = serde_json::from_str::<Value>(&body).ok().and_then(|v| v["token"].as_str().map(str::to_owned));
        host.token = token.ok_or_else(|| format!("POST /v1/identity answered {body:?}"))?;
        Ok(host)
    }

    /// One request; `Err` unless the status is one of `ok`.
    fn send(&self, method: &str, path: &str, kind: &str, body: &[u8], ok: &[u16]) -> Result<(u16, String), String> {
        let auth = format!("Bearer {}", self.token);
        let mut headers = vec![("Content-Type", kind), ("Authorization", auth.as_str())];
        headers.retain(|(_, value)| !value.is_empty() && *value != "Bearer ");
        let (status, body) = client::request(&self.addr, method, path, &headers, body, self.timeout)?;
        let body = String::from_utf8_lossy(&body).trim().to_owned();
        if ok.contains(&status) {
            return Ok((status, body));
        }
        Err(format!("{method} {path}: HTTP {status}: {}", body.split_whitespace().collect::<Vec<_>>().join(" ")))
    }

    fn database(&self) -> Result<&str, String> {
        self.database.as_deref().ok_or_else(|| "no module is installed".to_owned())
    }
}

impl ConformanceHost for HttpHost {
    fn describe_host(&self) -> String {
        self.description.clone()
    }

    fn install(&mut self, wasm: &[u8]) -> Result<(), String> {
        if let Some(old) = self.database.take() {
            let _ = self.send("DELETE", &format!("/v1/database/{old}"), "", b"", &[200]);
        }
        self.installs += 1;
        let name = format!("{}-{}", self.prefix, self.installs);
        self.send("PUT", &format!("/v1/database/{name}"), "application/wasm", wasm, &[200, 201])?;
        self.database = Some(name);
        Ok(())
    }

    fn call(&mut self, name: &str, args: &Args) -> Result<CallOutcome, String> {
        let path = format!("/v1/database/{}/call/{name}", self.database()?);
        let json = args.json.to_string();
        let (status, body) = self.send("POST", &path, "application/json", json.as_bytes(), &[200, 402, 530])?;
        Ok(match status {
            200 => CallOutcome::Ok,
            // 402: the server stopped the reducer when its energy (fuel) budget ran out.
            402 => CallOutcome::Trap(body),
            _ if FATAL_ERROR_TEXTS.contains(&body.as_str()) => CallOutcome::Trap(body),
            _ => CallOutcome::Error(body),
        })
    }

    fn rows(&mut self, table: &str) -> Result<Vec<Value>, String> {
        let path = format!("/v1/database/{}/sql", self.database()?);
        let (_, body) = self.send("POST", &path, "text/plain", format!("SELECT * FROM {table}").as_bytes(), &[200])?;
        let answer: Value = serde_json::from_str(&body).map_err(|e| format!("{path}: {e}: {body}"))?;
        answer[0]["rows"].as_array().cloned().ok_or_else(|| format!("{path}: no rows in {body}"))
    }

    fn log_messages(&mut self) -> Result<Vec<String>, String> {
        let path = format!("/v1/database/{}/logs?num_lines=1000000", self.database()?);
        let (_, body) = self.send("GET", &path, "", b"", &[200])?;
        let message = |line: &str| serde_json::from_str::<Value>(line).ok()?["message"].as_str().map(str::to_owned);
        Ok(body.lines().map(|line| message(line).unwrap_or_else(|| line.to_owned())).collect())
    }
}
