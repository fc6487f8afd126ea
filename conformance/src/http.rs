//! The adapter for any server speaking SpacetimeDB's HTTP API (1.x and 2.x): install publishes
//! to a fresh database, a call is `POST .../call/NAME` with JSON arguments, rows come from SQL and
//! the log from the logs endpoint. The HTTP plumbing is in `client.rs`.

mod client;

use std::collections::HashMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::Value;

use crate::{Args, CallOutcome, ClientOutcome, ConformanceHost, RouteReply, RouteRequest, UNSUPPORTED};

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
    /// Named clients (scenarios): identity (hex) and token; `owner` is the identity that
    /// publishes, `database` the database's identity (no token).
    clients: HashMap<String, (String, String)>,
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
            clients: HashMap::new(),
            timeout: Duration::from_secs(300),
        };
        let (_, body) = host.send("POST", "/v1/identity", "", b"", &[200])?;
        let (identity, token) = identity_and_token(&body)?;
        host.token = token.clone();
        host.clients.insert("owner".to_owned(), (identity, token));
        Ok(host)
    }

    /// The token of the named client (asked for with `POST /v1/identity` on first use).
    fn token(&mut self, client: &str) -> Result<String, String> {
        self.identity(client, None)?;
        Ok(self.clients[client].1.clone())
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
        let (_, body) = self.send("PUT", &format!("/v1/database/{name}"), "application/wasm", wasm, &[200, 201])?;
        self.database = Some(name);
        self.clients.retain(|name, _| name == "owner");
        let answer: Value = serde_json::from_str(&body).unwrap_or_default();
        if let Some(id) = answer["Success"]["database_identity"].as_str() {
            self.clients.insert("database".to_owned(), (id.to_owned(), String::new()));
        }
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

    fn identity(&mut self, client: &str, claims: Option<&Value>) -> Result<String, String> {
        if let Some((identity, _)) = self.clients.get(client) {
            return Ok(identity.clone());
        }
        if claims.is_some() || client == "database" {
            // A token with given claims must be signed with a key the server trusts.
            return Err(format!("{UNSUPPORTED}: clients with given token claims (`{client}`)"));
        }
        let (_, body) = self.send("POST", "/v1/identity", "", b"", &[200])?;
        let (identity, token) = identity_and_token(&body)?;
        self.clients.insert(client.to_owned(), (identity.clone(), token));
        Ok(identity)
    }

    fn subject(&mut self, client: &str) -> Result<String, String> {
        let token = self.token(client)?;
        let payload = token.split('.').nth(1).map(base64url).ok_or("the token is not a JWT")?;
        let claims: Value = serde_json::from_slice(&payload).map_err(|e| format!("the token's claims: {e}"))?;
        Ok(claims["sub"].as_str().unwrap_or_default().to_owned())
    }

    fn connect(&mut self, _client: &str) -> Result<ClientOutcome, String> {
        Err(format!("{UNSUPPORTED}: adapter cannot connect (HTTP only, no WebSocket)"))
    }

    fn disconnect(&mut self, _client: &str) -> Result<ClientOutcome, String> {
        Err(format!("{UNSUPPORTED}: adapter cannot disconnect (HTTP only, no WebSocket)"))
    }

    fn call_as(&mut self, client: &str, name: &str, args: &Value) -> Result<ClientOutcome, String> {
        let token = self.token(client)?;
        let before = self.log_records()?.len();
        let path = format!("/v1/database/{}/call/{name}", self.database()?);
        let auth = format!("Bearer {token}");
        let headers = [("Content-Type", "application/json"), ("Authorization", auth.as_str())];
        let (status, body) =
            client::request(&self.addr, "POST", &path, &headers, args.to_string().as_bytes(), self.timeout)?;
        let body = String::from_utf8_lossy(&body).into_owned();
        Ok(match status {
            200 if body.is_empty() => ClientOutcome::Ok,
            200 => ClientOutcome::Returned(serde_json::from_str(&body).map_err(|e| format!("{path}: {e}: {body}"))?),
            530 if FATAL_ERROR_TEXTS.contains(&body.as_str()) => {
                let records = self.log_records()?;
                let mut panics = records.iter().skip(before).filter(|(level, _)| level == "Panic");
                ClientOutcome::Panic(panics.next_back().map(|(_, message)| message.clone()))
            }
            530 => ClientOutcome::Err(body),
            500 => ClientOutcome::Failed { text: body, status },
            _ => ClientOutcome::Rejected { text: body, status },
        })
    }

    fn query(&mut self, client: &str, name: &str) -> Result<Vec<Value>, String> {
        let token = self.token(client)?;
        let path = format!("/v1/database/{}/sql", self.database()?);
        let auth = format!("Bearer {token}");
        let headers = [("Content-Type", "text/plain"), ("Authorization", auth.as_str())];
        let query = format!("SELECT * FROM {name}");
        let (status, body) = client::request(&self.addr, "POST", &path, &headers, query.as_bytes(), self.timeout)?;
        let body = String::from_utf8_lossy(&body).into_owned();
        if status != 200 {
            return Err(format!("{path}: HTTP {status}: {body}"));
        }
        let answer: Value = serde_json::from_str(&body).map_err(|e| format!("{path}: {e}: {body}"))?;
        let columns: Vec<String> = answer[0]["schema"]["elements"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|c| c["name"]["some"].as_str().unwrap_or_default().to_owned())
            .collect();
        let rows = answer[0]["rows"].as_array().ok_or_else(|| format!("{path}: no rows in {body}"))?;
        let object = |row: &Value| {
            let values = row.as_array().cloned().unwrap_or_default();
            Value::Object(columns.iter().cloned().zip(values).collect())
        };
        Ok(rows.iter().map(object).collect())
    }

    fn route(&mut self, request: &RouteRequest) -> Result<RouteReply, String> {
        let path = format!("/v1/database/{}/route{}", self.database()?, request.target);
        let headers: Vec<(&str, &str)> = request.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        let (status, body, headers) =
            client::request_with_headers(&self.addr, &request.method, &path, &headers, &request.body, self.timeout)?;
        Ok(RouteReply { status, headers, body: String::from_utf8_lossy(&body).into_owned() })
    }

    fn log_records(&mut self) -> Result<Vec<(String, String)>, String> {
        let path = format!("/v1/database/{}/logs?num_lines=1000000", self.database()?);
        let (_, body) = self.send("GET", &path, "", b"", &[200])?;
        let record = |line: &str| {
            let v = serde_json::from_str::<Value>(line).ok()?;
            Some((v["level"].as_str()?.to_owned(), v["message"].as_str()?.to_owned()))
        };
        Ok(body
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| record(l).unwrap_or_else(|| (String::new(), l.to_owned())))
            .collect())
    }
}

/// The identity (hex) and token of a `POST /v1/identity` answer.
fn identity_and_token(body: &str) -> Result<(String, String), String> {
    let v: Value = serde_json::from_str(body).map_err(|e| format!("POST /v1/identity answered {body:?}: {e}"))?;
    match (v["identity"].as_str(), v["token"].as_str()) {
        (Some(identity), Some(token)) => Ok((identity.to_owned(), token.to_owned())),
        _ => Err(format!("POST /v1/identity answered {body:?}")),
    }
}

/// Decodes unpadded base64url (a JWT part); invalid characters are skipped.
fn base64url(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'-' | b'+' => Some(62),
        b'_' | b'/' => Some(63),
        _ => None,
    };
    let (mut out, mut acc, mut bits) = (Vec::new(), 0u32, 0);
    for v in text.bytes().filter_map(value) {
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}
