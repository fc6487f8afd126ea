//! The command line and the script language: [`Command`]s and the [`Step`]s of a run.

use super::{CliError, USAGE};
use serde_json::Value as Json;
use std::path::PathBuf;

/// What the command line asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// `worldtube describe <MODULE>`.
    Describe {
        /// The `.wasm` file or module crate directory.
        module: PathBuf,
    },
    /// `worldtube check <MODULE>`.
    Check {
        /// The `.wasm` file or module crate directory.
        module: PathBuf,
    },
    /// `worldtube run <MODULE> [STEPS, OPTIONS]`.
    Run(RunArgs),
    /// `worldtube help [COMMAND]`, `--help`, `-h`: print this text.
    Help(&'static str),
}

/// The arguments of `worldtube run`.
#[derive(Debug, Clone, PartialEq)]
pub struct RunArgs {
    /// The `.wasm` file or module crate directory.
    pub module: PathBuf,
    /// The steps, in order (command-line steps and script lines, as they came).
    pub steps: Vec<Step>,
    /// The `--dump` / `--dump-all` tables, printed after every step.
    pub final_dumps: Vec<Dump>,
    /// `--keep-going`: run every step whatever fails, and exit 0.
    pub keep_going: bool,
    /// `--brief`: print counts of inserted and deleted rows instead of the rows.
    pub brief: bool,
    /// `--json`: report as JSON lines (one object per step, table dump, scheduled call, plus the
    /// install and a summary) instead of text.
    pub json: bool,
    /// `--fuel N`: the fuel each export call may use (default
    /// [`DEFAULT_FUEL`](crate::runtime::DEFAULT_FUEL)), for modules whose calls legitimately do
    /// more work than the default allows.
    pub fuel: Option<u64>,
    /// `--http FILE`: the responders that answer procedures' HTTP requests (a JSON array of
    /// rules, see [`HttpResponders::from_json`](crate::http::HttpResponders::from_json)).
    pub http: Option<PathBuf>,
}

/// One step of a run, with where it came from (for messages).
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// What to do.
    pub action: Action,
    /// `script.txt:3`, or `command line`.
    pub origin: String,
}

/// What a step does.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// `as NAME`: later calls without an explicit caller are made as `NAME`.
    As(String),
    /// `connect NAME`: a new connection for `NAME` (runs `client_connected`).
    Connect {
        /// The client's name.
        name: String,
        /// What the step should end with.
        expect: Expect,
    },
    /// `disconnect NAME` (runs `client_disconnected`).
    Disconnect {
        /// The client's name.
        name: String,
        /// What the step should end with.
        expect: Expect,
    },
    /// `call [CALLER] FUNCTION [JSON_ARGS]`: a reducer, or (as the 2.x server's call route
    /// falls back) a procedure.
    Call {
        /// Who calls; `None`: the current `as` name.
        caller: Option<String>,
        /// The reducer's (or procedure's) name.
        reducer: String,
        /// The arguments: an array in parameter order or an object by parameter name.
        args: Json,
        /// The arguments as written: the reducer is called with this text, so that an error's
        /// position (`at line 1 column 10`) refers to it, as the server's does.
        text: String,
        /// What the call should end with.
        expect: Expect,
    },
    /// `view [CALLER] NAME` / `view-anon NAME`: print the rows a view (2.x) gives a reader.
    View {
        /// Who reads; `None`: the current `as` name.
        caller: Option<String>,
        /// The view's name.
        view: String,
        /// Read without a caller (`view-anon`: anonymous views only).
        anonymous: bool,
    },
    /// `route METHOD TARGET [BODY]`: an HTTP request to the module's routes (2.x HTTP handlers).
    Route {
        /// The method, as written (`GET`, `POST`, ...).
        method: String,
        /// The path below the database's `route`, maybe with a query.
        target: String,
        /// The body: the rest of the line.
        body: String,
        /// What the request should end with: a failed handler (500) fails the run unless
        /// expected; any status the handler answers is a success.
        expect: Expect,
    },
    /// `advance MS`: move the clock, running what falls due.
    Advance {
        /// How far, in microseconds.
        micros: i64,
        /// As written (for echoing).
        text: String,
    },
    /// `dump TABLE` / `dump-all`.
    Dump(Dump),
}

/// Which tables to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dump {
    /// One table, by name.
    Table(String),
    /// Every table, in definition order.
    All,
}

/// What a call-like step (call, connect, disconnect) is expected to end with.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Expect {
    /// Committing; a failure fails the run.
    #[default]
    Ok,
    /// Failing (an error or a panic), with a message containing this text (if not empty);
    /// written as an `expect-error [TEXT]` line (`--expect-error TEXT`) right after the step.
    Error(String),
}

impl Action {
    /// The step as a script line.
    pub fn to_line(&self) -> String {
        match self {
            Action::As(name) => format!("as {name}"),
            Action::Connect { name, .. } => format!("connect {name}"),
            Action::Disconnect { name, .. } => format!("disconnect {name}"),
            // The arguments as written, so that a replayed line reports errors at the same positions.
            Action::Call { caller, reducer, text, .. } => match caller {
                Some(caller) => format!("call {caller} {reducer} {text}"),
                None => format!("call {reducer} {text}"),
            },
            Action::View { anonymous: true, view, .. } => format!("view-anon {view}"),
            Action::View { caller: Some(caller), view, .. } => format!("view {caller} {view}"),
            Action::View { caller: None, view, .. } => format!("view {view}"),
            Action::Route { method, target, body, .. } if body.is_empty() => format!("route {method} {target}"),
            Action::Route { method, target, body, .. } => format!("route {method} {target} {body}"),
            Action::Advance { text, .. } => format!("advance {text}"),
            Action::Dump(Dump::Table(table)) => format!("dump {table}"),
            Action::Dump(Dump::All) => "dump-all".to_owned(),
        }
    }

    /// The expectation of a call-like step.
    pub fn expect_mut(&mut self) -> Option<&mut Expect> {
        match self {
            Action::Connect { expect, .. }
            | Action::Disconnect { expect, .. }
            | Action::Call { expect, .. }
            | Action::Route { expect, .. } => Some(expect),
            _ => None,
        }
    }
}

/// Parses the command line (without the program name).
pub fn parse(args: &[String]) -> Result<Command, CliError> {
    let Some((command, rest)) = args.split_first() else {
        return Err(CliError::Usage("no command given".into()));
    };
    if rest.iter().any(|a| a == "--help" || a == "-h") {
        return Ok(Command::Help(help_for(command).unwrap_or(USAGE)));
    }
    match command.as_str() {
        "help" | "--help" | "-h" => {
            Ok(Command::Help(rest.first().map_or(Some(USAGE), |topic| help_for(topic)).unwrap_or(USAGE)))
        }
        "describe" | "check" => {
            let [module] = rest else {
                return Err(CliError::Usage(format!("`worldtube {command}` takes exactly one argument: the module")));
            };
            reject_option(module)?;
            let module = PathBuf::from(module);
            Ok(if command == "describe" { Command::Describe { module } } else { Command::Check { module } })
        }
        "run" => parse_run(rest).map(Command::Run),
        other => Err(CliError::Usage(format!("unknown command `{other}`; the commands are describe, check, run"))),
    }
}

fn help_for(command: &str) -> Option<&'static str> {
    matches!(command, "describe" | "check" | "run" | "help").then_some(USAGE)
}

fn reject_option(arg: &str) -> Result<(), CliError> {
    if arg.starts_with('-') {
        return Err(CliError::Usage(format!("unknown option `{arg}`")));
    }
    Ok(())
}

fn parse_run(args: &[String]) -> Result<RunArgs, CliError> {
    let mut module = None;
    let mut run = RunArgs {
        module: PathBuf::new(),
        steps: Vec::new(),
        final_dumps: Vec::new(),
        keep_going: false,
        brief: false,
        json: false,
        fuel: None,
        http: None,
    };
    let origin = || "command line".to_owned();
    let mut args = args.iter().peekable();
    while let Some(arg) = args.next() {
        let mut value =
            |what: &str| args.next().cloned().ok_or_else(|| CliError::Usage(format!("`{arg}` needs a value: {what}")));
        let action = match arg.as_str() {
            "--as" => Action::As(value("a caller name")?),
            "--connect" => Action::Connect { name: value("a client name")?, expect: Expect::Ok },
            "--disconnect" => Action::Disconnect { name: value("a client name")?, expect: Expect::Ok },
            "--call" => {
                let reducer = value("a reducer name")?;
                // The arguments may be left out for a reducer without parameters.
                let json = match args.peek() {
                    Some(next) if !next.starts_with("--") => args.next().cloned().unwrap_or_default(),
                    _ => "[]".to_owned(),
                };
                let args = parse_json_args(&json).map_err(|e| CliError::Usage(format!("--call {reducer}: {e}")))?;
                Action::Call { caller: None, reducer, args, text: json, expect: Expect::Ok }
            }
            "--view" => Action::View { caller: None, view: value("a view name")?, anonymous: false },
            "--view-anon" => Action::View { caller: None, view: value("a view name")?, anonymous: true },
            "--route" => parse_route(&value("\"METHOD TARGET [BODY]\"")?).map_err(CliError::Usage)?,
            "--expect-error" => {
                let text = value("the text the error message contains (\"\" for any)")?;
                expect_error(&mut run.steps, text).map_err(CliError::Usage)?;
                continue;
            }
            "--advance" => {
                let text = value("milliseconds")?;
                let micros = parse_duration(&text).map_err(|e| CliError::Usage(format!("--advance: {e}")))?;
                Action::Advance { micros, text }
            }
            "--dump" => {
                run.final_dumps.push(Dump::Table(value("a table name")?));
                continue;
            }
            "--dump-all" => {
                run.final_dumps.push(Dump::All);
                continue;
            }
            "--script" => {
                let path = value("a script file")?;
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| CliError::Io(format!("cannot read the script `{path}`: {e}")))?;
                run.steps.extend(parse_script(&text, &path)?);
                continue;
            }
            "--keep-going" => {
                run.keep_going = true;
                continue;
            }
            "--brief" => {
                run.brief = true;
                continue;
            }
            "--json" => {
                run.json = true;
                continue;
            }
            "--http" => {
                run.http = Some(PathBuf::from(value("a JSON file of HTTP responders")?));
                continue;
            }
            "--fuel" => {
                let text = value("fuel units per call, e.g. 20000000000")?;
                let fuel = text.parse::<u64>().ok().filter(|&fuel| fuel > 0).ok_or_else(|| {
                    CliError::Usage(format!("--fuel: `{text}` is not a positive whole number of fuel units"))
                })?;
                run.fuel = Some(fuel);
                continue;
            }
            other if other.starts_with('-') => return Err(CliError::Usage(format!("unknown option `{other}`"))),
            other => {
                if module.is_some() {
                    return Err(CliError::Usage(format!(
                        "unexpected argument `{other}` (the module is given once; steps are options such as --call)"
                    )));
                }
                module = Some(PathBuf::from(other));
                continue;
            }
        };
        run.steps.push(Step { action, origin: origin() });
    }
    run.module = module.ok_or_else(|| CliError::Usage("`worldtube run` needs a module".into()))?;
    Ok(run)
}

/// Marks the last step, which must be call-like, as expected to fail.
fn expect_error(steps: &mut [Step], text: String) -> Result<(), String> {
    match steps.last_mut().and_then(|step| step.action.expect_mut()) {
        Some(expect) => {
            *expect = Expect::Error(text);
            Ok(())
        }
        None => Err("`expect-error` must follow a call, connect or disconnect step".into()),
    }
}

/// Parses a script: one step per line (see the usage text); `origin` names the file.
pub fn parse_script(text: &str, origin: &str) -> Result<Vec<Step>, CliError> {
    let mut steps = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let at = format!("{origin}:{}", i + 1);
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let error = |message: String| CliError::Script(format!("{at}: {message}\n  {line}"));
        let (word, rest) = split_word(line);
        let one_name = |what: &str| -> Result<String, CliError> {
            match rest.split_whitespace().collect::<Vec<_>>()[..] {
                [name] => Ok(name.to_owned()),
                _ => Err(error(format!("`{word}` takes one {what}"))),
            }
        };
        let action = match word {
            "as" => Action::As(one_name("caller name")?),
            "connect" => Action::Connect { name: one_name("client name")?, expect: Expect::Ok },
            "disconnect" => Action::Disconnect { name: one_name("client name")?, expect: Expect::Ok },
            "call" => parse_call(rest).map_err(error)?,
            "expect-error" => {
                // `expect-error ""` is read as the command line's `--expect-error ""`: any message.
                let text = if rest == "\"\"" { "" } else { rest };
                expect_error(&mut steps, text.to_owned()).map_err(error)?;
                continue;
            }
            "advance" => {
                let text = one_name("duration")?;
                let micros = parse_duration(&text).map_err(error)?;
                Action::Advance { micros, text }
            }
            "view" => match rest.split_whitespace().collect::<Vec<_>>()[..] {
                [view] => Action::View { caller: None, view: view.to_owned(), anonymous: false },
                [caller, view] => {
                    Action::View { caller: Some(caller.to_owned()), view: view.to_owned(), anonymous: false }
                }
                _ => return Err(error("`view` takes a view name, optionally after a caller name".into())),
            },
            "view-anon" => Action::View { caller: None, view: one_name("view name")?, anonymous: true },
            "route" => parse_route(rest).map_err(error)?,
            "dump" if rest.is_empty() => Action::Dump(Dump::All),
            "dump" => Action::Dump(Dump::Table(one_name("table name")?)),
            "dump-all" if rest.is_empty() => Action::Dump(Dump::All),
            other => {
                return Err(error(format!(
                    "unknown step `{other}`; steps are as, connect, disconnect, call, expect-error, view, view-anon, \
                     route, advance, dump, dump-all"
                )))
            }
        };
        steps.push(Step { action, origin: at });
    }
    Ok(steps)
}

/// `route METHOD TARGET [BODY]`: the body is the rest of the line (none if absent).
fn parse_route(rest: &str) -> Result<Action, String> {
    let (method, after_method) = split_word(rest);
    let (target, body) = split_word(after_method);
    let usage = "`route` takes a method and a path, then optionally a body: route POST /echo hello";
    if method.is_empty() || target.is_empty() {
        return Err(usage.into());
    }
    if !target.starts_with('/') && !target.starts_with('?') {
        return Err(format!(
            "`route {method} {target}`: the path starts with `/` (the part after the database's route)"
        ));
    }
    Ok(Action::Route {
        method: method.to_owned(),
        target: target.to_owned(),
        body: body.to_owned(),
        expect: Expect::Ok,
    })
}

/// `call [CALLER] REDUCER [JSON_ARGS]`: the JSON is the rest of the line; a caller is there when
/// the word after the first is not JSON.
fn parse_call(rest: &str) -> Result<Action, String> {
    let (first, after_first) = split_word(rest);
    if first.is_empty() {
        return Err("`call` needs a reducer name: call [CALLER] REDUCER [JSON_ARGS]".into());
    }
    let is_json = |text: &str| text.is_empty() || text.starts_with('[') || text.starts_with('{');
    let (caller, reducer, json) = if is_json(after_first) {
        (None, first, after_first)
    } else {
        let (reducer, json) = split_word(after_first);
        (Some(first.to_owned()), reducer, json)
    };
    let text = if json.is_empty() { "[]" } else { json };
    let args = parse_json_args(text)?;
    Ok(Action::Call { caller, reducer: reducer.to_owned(), args, text: text.to_owned(), expect: Expect::Ok })
}

fn parse_json_args(text: &str) -> Result<Json, String> {
    let json: Json = serde_json::from_str(text).map_err(|e| format!("the arguments are not JSON ({e}): {text}"))?;
    if !(json.is_array() || json.is_object()) {
        return Err(format!(
            "the arguments must be a JSON array (in parameter order) or object (by parameter name), not {text}"
        ));
    }
    Ok(json)
}

/// `50` or `50ms` (milliseconds), `2s`, `1.5s`, `250us`: microseconds.
fn parse_duration(text: &str) -> Result<i64, String> {
    let (number, scale) = if let Some(n) = text.strip_suffix("ms") {
        (n, 1_000.0)
    } else if let Some(n) = text.strip_suffix("us") {
        (n, 1.0)
    } else if let Some(n) = text.strip_suffix('s') {
        (n, 1_000_000.0)
    } else {
        (text, 1_000.0)
    };
    let bad = || format!("`{text}` is not a duration: milliseconds (`50`), or `50ms`, `2s`, `250us`");
    let value: f64 = number.parse().map_err(|_| bad())?;
    let micros = (value * scale).round();
    if !micros.is_finite() || micros < 0.0 || micros > i64::MAX as f64 {
        return Err(bad());
    }
    Ok(micros as i64)
}

/// The first whitespace-separated word and the trimmed rest.
fn split_word(text: &str) -> (&str, &str) {
    let text = text.trim_start();
    match text.find(char::is_whitespace) {
        Some(end) => (&text[..end], text[end..].trim()),
        None => (text, ""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str) -> Action {
        let mut steps = parse_script(text, "t").unwrap();
        assert_eq!(steps.len(), 1, "{text}");
        steps.remove(0).action
    }

    #[test]
    fn script_calls() {
        let call = |caller: Option<&str>, reducer: &str, args: Json, text: &str| Action::Call {
            caller: caller.map(str::to_owned),
            reducer: reducer.into(),
            args,
            text: text.into(),
            expect: Expect::Ok,
        };
        assert_eq!(
            line(r#"call alice send_message ["hi there"]"#),
            call(Some("alice"), "send_message", json!(["hi there"]), r#"["hi there"]"#)
        );
        assert_eq!(line(r#"call send_message ["hi"]"#), call(None, "send_message", json!(["hi"]), r#"["hi"]"#));
        assert_eq!(line("call alice ping"), call(Some("alice"), "ping", json!([]), "[]"));
        assert_eq!(line("call ping"), call(None, "ping", json!([]), "[]"));
        assert_eq!(line(r#"call set {"name": "x"}"#), call(None, "set", json!({"name": "x"}), r#"{"name": "x"}"#));
    }

    #[test]
    fn script_other_steps() {
        let steps = parse_script(
            "# a comment\n\nconnect alice\ncall alice f [\"\"]\nexpect-error must not\nadvance 50\nadvance 2s\ndump user\ndump\nas bob\n",
            "s.txt",
        )
        .unwrap();
        let actions: Vec<_> = steps.iter().map(|s| s.action.clone()).collect();
        assert_eq!(actions[0], Action::Connect { name: "alice".into(), expect: Expect::Ok });
        assert!(matches!(&actions[1], Action::Call { expect: Expect::Error(t), .. } if t == "must not"));
        assert_eq!(actions[2], Action::Advance { micros: 50_000, text: "50".into() });
        assert_eq!(actions[3], Action::Advance { micros: 2_000_000, text: "2s".into() });
        assert_eq!(actions[4], Action::Dump(Dump::Table("user".into())));
        assert_eq!(actions[5], Action::Dump(Dump::All));
        assert_eq!(actions[6], Action::As("bob".into()));
        assert_eq!(steps[0].origin, "s.txt:3");
        // `expect-error ""` is any message, as `--expect-error ""` is on the command line
        for text in ["call f\nexpect-error \"\"", "call f\nexpect-error"] {
            assert!(matches!(line(text), Action::Call { expect: Expect::Error(t), .. } if t.is_empty()), "{text}");
        }
    }

    #[test]
    fn script_errors_name_the_line() {
        let err = |text: &str| parse_script(text, "s").unwrap_err().to_string();
        assert!(err("connect\n").contains("s:1: `connect` takes one client name"));
        assert!(err("\njump 3").contains("s:2: unknown step `jump`"));
        assert!(err("call f [1,").contains("not JSON"));
        assert!(err("call a f 3").contains("must be a JSON array"));
        assert!(err("advance soon").contains("not a duration"));
        assert!(err("expect-error x").contains("must follow a call"));
    }

    #[test]
    fn command_line() {
        let args = |s: &str| s.split(' ').map(str::to_owned).collect::<Vec<_>>();
        let Command::Run(run) = parse(&args(
            "run m.wasm --as bob --call f [1] --call g --expect-error x --advance 5 --dump t --keep-going --json",
        ))
        .unwrap() else {
            panic!()
        };
        assert_eq!(run.module, PathBuf::from("m.wasm"));
        assert_eq!(run.steps.len(), 4);
        assert!(matches!(&run.steps[2].action, Action::Call { reducer, args, expect: Expect::Error(x), .. }
            if reducer == "g" && *args == json!([]) && x == "x"));
        assert_eq!(run.final_dumps, vec![Dump::Table("t".into())]);
        assert!(run.keep_going);
        assert!(run.json);
        assert!(matches!(parse(&args("check a b")), Err(CliError::Usage(_))));
        assert!(matches!(parse(&args("run")), Err(CliError::Usage(_))));
        assert!(matches!(parse(&args("frobnicate")), Err(CliError::Usage(_))));
        assert!(matches!(parse(&args("run m --help")), Ok(Command::Help(_))));
    }

    use serde_json::json;
}
