//! Running the kit against a [`ConformanceHost`] and reporting per case.

use std::fmt;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Instant;

use crate::kit::{Args, Expect, Kit, ModuleCase, ModuleExpect, Probe, ProbeCase};
use crate::{CallOutcome, ConformanceHost};

/// The result of one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseResult {
    /// The group: the probe's file (`abi/...`) or `modules`.
    pub group: String,
    /// The case's name.
    pub name: String,
    /// `None` if it passed; otherwise what was expected and what happened.
    pub diff: Option<String>,
    /// What the host did, in words (for a probe case: the status and out-value it reported, or
    /// the trap and the host's message for it).
    pub observed: String,
}

impl CaseResult {
    /// Whether the case passed.
    pub fn passed(&self) -> bool {
        self.diff.is_none()
    }
}

/// Every case's result, in the kit's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The host, as [`ConformanceHost::describe_host`] gave it.
    pub host: String,
    /// The results.
    pub cases: Vec<CaseResult>,
}

impl Report {
    /// How many cases passed.
    pub fn passed(&self) -> usize {
        self.cases.iter().filter(|c| c.passed()).count()
    }

    /// How many cases failed.
    pub fn failed(&self) -> usize {
        self.cases.len() - self.passed()
    }

    /// The summary line: `N passed, M failed`.
    pub fn summary(&self) -> String {
        format!("{} passed, {} failed", self.passed(), self.failed())
    }

    /// How many cases each group has, and how many of them passed, in the kit's order.
    pub fn by_group(&self) -> Vec<(String, usize, usize)> {
        let mut groups: Vec<(String, usize, usize)> = Vec::new();
        for case in &self.cases {
            if groups.last().is_none_or(|(g, _, _)| *g != case.group) {
                groups.push((case.group.clone(), 0, 0));
            }
            let last = groups.last_mut().expect("pushed above");
            last.1 += 1;
            last.2 += usize::from(case.passed());
        }
        groups
    }
}

impl fmt::Display for Report {
    /// One line per case (`ok`/`FAIL`, group, name, and for a failure its diff), then the summary.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "conformance of {}", self.host)?;
        for case in &self.cases {
            match &case.diff {
                None => writeln!(f, "ok   {} {}: {}", case.group, case.name, case.observed)?,
                Some(diff) => {
                    writeln!(f, "FAIL {} {}\n       {}", case.group, case.name, diff.replace('\n', "\n       "))?
                }
            }
        }
        write!(f, "{}", self.summary())
    }
}

/// Runs every case of `kit` against `host`. A panic of the adapter (or of the host inside it)
/// fails the case it happened in and the kit goes on.
pub fn run(kit: &Kit, host: &mut dyn ConformanceHost) -> Report {
    let mut cases = Vec::new();
    for probe in &kit.probes {
        run_probe(kit, probe, host, &mut cases);
    }
    for case in &kit.modules {
        let mut observed = String::new();
        let diff = guarded(|| run_module_case(kit, case, host, &mut observed));
        cases.push(CaseResult { group: "modules".to_owned(), name: case.name.clone(), diff, observed });
    }
    Report { host: host.describe_host(), cases }
}

/// Runs `f`, turning a panic into a failure.
fn guarded(f: impl FnOnce() -> Result<(), String>) -> Option<String> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(result) => result.err(),
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Some(format!("the host panicked: {message}"))
        }
    }
}

fn run_probe(kit: &Kit, probe: &Probe, host: &mut dyn ConformanceHost, out: &mut Vec<CaseResult>) {
    let group = format!("abi/{}", probe.file);
    let installed = guarded(|| host.install(&kit.probe_wasm(probe)?).map_err(|e| format!("install refused: {e}")));
    if let Some(why) = installed {
        for case in &probe.cases {
            let (name, diff) = (case.name.clone(), Some(why.clone()));
            out.push(CaseResult { group: group.clone(), name, diff, observed: "nothing: no probe module".to_owned() });
        }
        return;
    }
    let mut before = None;
    let diff = guarded(|| {
        before = Some(sorted_rows(host, "item")?);
        Ok(())
    });
    for case in &probe.cases {
        let mut observed = String::new();
        let diff = diff.clone().or_else(|| guarded(|| run_probe_case(kit, case, host, &mut observed)));
        out.push(CaseResult { group: group.clone(), name: case.name.clone(), diff, observed });
    }
    // Every case's reducer fails, so nothing it did may remain.
    let diff = guarded(|| {
        let after = sorted_rows(host, "item")?;
        match &before {
            Some(before) if *before != after => {
                Err(format!("the committed rows of `item` changed:\n  before: {before:?}\n  after:  {after:?}"))
            }
            _ => Ok(()),
        }
    });
    let observed = if diff.is_none() { "the same rows" } else { "other rows" }.to_owned();
    out.push(CaseResult { group, name: "committed_state_unchanged".to_owned(), diff, observed });
}

/// What a probe case observed.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Observed {
    Status { code: i32, out: Option<String> },
    Trap(String),
    Other(String),
}

impl fmt::Display for Observed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Observed::Status { code, out } => {
                write!(f, "status {code}{}", errno_name(*code))?;
                match out {
                    Some(out) => write!(f, ", out {out}"),
                    None => Ok(()),
                }
            }
            Observed::Trap(message) if message.is_empty() => f.write_str("a trap"),
            Observed::Trap(message) => write!(f, "a trap ({message})"),
            Observed::Other(what) => f.write_str(what),
        }
    }
}

/// ` (NAME)` for a known positive errno code.
fn errno_name(code: i32) -> String {
    u16::try_from(code)
        .ok()
        .and_then(|code| worldtube_abi::ERRNOS.iter().find(|e| e.code == code))
        .map(|e| format!(" ({})", e.name))
        .unwrap_or_default()
}

fn observe(outcome: CallOutcome) -> Observed {
    match outcome {
        CallOutcome::Trap(message) => Observed::Trap(message),
        CallOutcome::Error(message) => {
            let Some(rest) = message.strip_prefix("status=") else {
                return Observed::Other(format!("an error that is not a probe report: {message:?}"));
            };
            let (code, out) = match rest.split_once(" out=") {
                Some((code, out)) => (code, Some(out.to_owned())),
                None => (rest, None),
            };
            match code.parse() {
                Ok(code) => Observed::Status { code, out },
                Err(_) => Observed::Other(format!("a malformed probe report: {message:?}")),
            }
        }
        CallOutcome::Ok => Observed::Other("success (a probe reducer always fails with its report)".to_owned()),
    }
}

fn expected_text(expect: &Expect) -> String {
    match expect.expected_status() {
        Ok(Some(code)) => Observed::Status { code, out: expect.out.clone() }.to_string(),
        Ok(None) => Observed::Trap(String::new()).to_string(),
        Err(e) => e,
    }
}

/// Runs `f` (an install or a call), failing if it took longer than the kit's time budget.
fn timed<T: fmt::Debug>(kit: &Kit, what: &str, f: impl FnOnce() -> T) -> Result<T, String> {
    let started = Instant::now();
    let result = f();
    let (took, budget) = (started.elapsed(), kit.time_budget);
    match took > budget {
        true => Err(format!(
            "{what} took {took:.1?}, more than the kit's time budget of {budget:?}; it ended with {result:?}"
        )),
        false => Ok(result),
    }
}

fn run_probe_case(
    kit: &Kit,
    case: &ProbeCase,
    host: &mut dyn ConformanceHost,
    seen: &mut String,
) -> Result<(), String> {
    let logs_before = if case.expect.log.is_some() { host.log_messages()?.len() } else { 0 };
    let outcome = timed(kit, "the call", || host.call(&case.name, &case.args))?;
    let outcome = outcome.map_err(|e| format!("the call was refused: {e}"))?;
    let observed = observe(outcome);
    *seen = observed.to_string();
    let matches = match (case.expect.expected_status()?, &observed) {
        (None, Observed::Trap(_)) => true,
        (Some(want), Observed::Status { code, out }) => {
            *code == want && case.expect.out.as_ref().is_none_or(|want_out| out.as_ref() == Some(want_out))
        }
        _ => false,
    };
    if !matches {
        return Err(format!(
            "{} at {}: expected {}, observed {observed}",
            case.import,
            case.edge,
            expected_text(&case.expect)
        ));
    }
    if let Some(text) = &case.expect.log {
        let logs = host.log_messages()?;
        let new = logs.get(logs_before..).unwrap_or_default();
        if !new.iter().any(|m| m.contains(text.as_str())) {
            return Err(format!("expected a log message containing {text:?}; the call logged {new:?}"));
        }
    }
    Ok(())
}

fn sorted_rows(host: &mut dyn ConformanceHost, table: &str) -> Result<Vec<String>, String> {
    let mut rows: Vec<String> = host.rows(table)?.iter().map(|row| row.to_string()).collect();
    rows.sort();
    Ok(rows)
}

/// Installs the control module and calls `ping`: the host is still alive and usable.
fn survives(kit: &Kit, host: &mut dyn ConformanceHost) -> Result<(), String> {
    host.install(&kit.control_wasm()?).map_err(|e| format!("afterwards the control module was refused: {e}"))?;
    ping(host)
}

fn ping(host: &mut dyn ConformanceHost) -> Result<(), String> {
    match host.call("ping", &Args::default()) {
        Ok(CallOutcome::Ok) => Ok(()),
        Ok(other) => Err(format!("afterwards `ping` ended with {other}")),
        Err(e) => Err(format!("afterwards `ping` was refused: {e}")),
    }
}

fn run_module_case(
    kit: &Kit,
    case: &ModuleCase,
    host: &mut dyn ConformanceHost,
    seen: &mut String,
) -> Result<(), String> {
    let bytes = kit.module_bytes(case)?;
    match &case.expect {
        ModuleExpect::Refused => {
            match timed(kit, "the install", || host.install(&bytes))? {
                Ok(()) => return Err(format!("{}: expected the install to be refused; it succeeded", case.about)),
                Err(e) if e.trim().is_empty() => return Err("the install was refused without a message".to_owned()),
                Err(e) => *seen = format!("refused: {e}"),
            }
            survives(kit, host)
        }
        ModuleExpect::Survives => {
            match timed(kit, "the install", || host.install(&bytes))? {
                Ok(()) => {
                    *seen = "installed".to_owned();
                    ping(host)?;
                }
                Err(e) if e.trim().is_empty() => return Err("the install was refused without a message".to_owned()),
                Err(e) => *seen = format!("refused: {e}"),
            }
            survives(kit, host)
        }
        ModuleExpect::Runs { reducer, empty } => {
            timed(kit, "the install", || host.install(&bytes))?
                .map_err(|e| format!("{}: expected the install to succeed: {e}", case.about))?;
            let outcome = timed(kit, &format!("`{reducer}`"), || host.call(reducer, &Args::default()))?;
            let outcome = outcome.map_err(|e| format!("`{reducer}` was refused: {e}"))?;
            *seen = format!("installed; `{reducer}` ended with {outcome}");
            if outcome != CallOutcome::Ok {
                return Err(format!("{}: calling `{reducer}`: expected success, observed {outcome}", case.about));
            }
            if let Some(table) = empty {
                let rows = host.rows(table).map_err(|e| format!("reading table `{table}`: {e}"))?;
                if !rows.is_empty() {
                    return Err(format!("table `{table}` should be empty; it has {} rows", rows.len()));
                }
                seen.push_str(&format!("; `{table}` is there, empty"));
            }
            Ok(())
        }
        ModuleExpect::CallFails { reducer, message } => {
            host.install(&bytes).map_err(|e| format!("{}: expected the install to succeed: {e}", case.about))?;
            let before = sorted_rows(host, "item")?;
            let outcome = timed(kit, &format!("`{reducer}`"), || host.call(reducer, &Args::default()))?;
            let outcome = outcome.map_err(|e| format!("`{reducer}` was refused: {e}"))?;
            *seen = format!("`{reducer}` ended with {outcome}");
            let ok = match (message, &outcome) {
                (None, CallOutcome::Trap(_)) => true,
                (Some(want), CallOutcome::Error(got)) => want == got,
                _ => false,
            };
            if !ok {
                let want = message.as_ref().map_or("a trap".to_owned(), |m| format!("error {m:?}"));
                return Err(format!("{}: calling `{reducer}`: expected {want}, observed {outcome}", case.about));
            }
            let after = sorted_rows(host, "item")?;
            if before != after {
                return Err(format!(
                    "the committed rows of `item` changed:\n  before: {before:?}\n  after:  {after:?}"
                ));
            }
            ping(host)
        }
    }
}
