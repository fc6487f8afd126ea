//! The whole kit against a server speaking SpacetimeDB's HTTP API, printing the report:
//!
//! ```sh
//! cargo run -p worldtube-conformance --features http --example against-server -- \
//!     http://127.0.0.1:3100 "SpacetimeDB 2.8.3" [--only TEXT] [--skip TEXT]
//! ```
//!
//! `--only` keeps the cases whose group (`abi/tables.wat`, `modules`) or name contains TEXT,
//! `--skip` drops them (both repeatable). Exits with status 1 if a case failed.
//!
//! With `--scenarios WASM_DIR` it runs the scenarios instead (`--only`/`--skip` then match their
//! names): the modules are `fidelity_module.wasm`, `fidelity_v2.wasm` and `chat_v2.wasm` in
//! `WASM_DIR` (built with `cargo build --release --target wasm32-unknown-unknown -p
//! fidelity-module -p fidelity-v2 -p chat-v2`).

use worldtube_conformance::http::HttpHost;
use worldtube_conformance::scenario::SCENARIO_MODULES;
use worldtube_conformance::{run, run_scenarios, Kit, Scenario};

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [url, description, filters @ ..] = args.as_slice() else {
        return Err("usage: against-server http://HOST:PORT DESCRIPTION [--only TEXT] [--skip TEXT]".to_owned());
    };
    let (mut only, mut skip, mut scenarios) = (Vec::new(), Vec::new(), None);
    for pair in filters.chunks(2) {
        match pair {
            [flag, dir] if flag == "--scenarios" => scenarios = Some(std::path::PathBuf::from(dir)),
            [flag, text] if flag == "--only" => only.push(text.as_str()),
            [flag, text] if flag == "--skip" => skip.push(text.as_str()),
            _ => return Err(format!("unexpected arguments {pair:?}")),
        }
    }
    let keep = |group: &str, name: &str| {
        let hit = |text: &&str| group.contains(text) || name.contains(text);
        (only.is_empty() || only.iter().any(hit)) && !skip.iter().any(hit)
    };
    if let Some(dir) = scenarios {
        let mut all = Scenario::bundled()?;
        all.retain(|s| keep("scenarios", &s.name));
        let mut modules = std::collections::BTreeMap::new();
        for m in SCENARIO_MODULES {
            let path = dir.join(format!("{}.wasm", m.replace('-', "_")));
            modules.insert(m.to_owned(), std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?);
        }
        let mut host = HttpHost::connect(url, description)?;
        let report = run_scenarios(&all, &modules, &mut host);
        println!("{report}");
        if report.failed() > 0 {
            std::process::exit(1);
        }
        return Ok(());
    }
    let mut kit = Kit::bundled()?;
    for probe in &mut kit.probes {
        let group = format!("abi/{}", probe.file);
        probe.cases.retain(|case| keep(&group, &case.name));
    }
    kit.probes.retain(|probe| !probe.cases.is_empty());
    kit.modules.retain(|case| keep("modules", &case.name));
    let mut host = HttpHost::connect(url, description)?;
    let started = std::time::Instant::now();
    let report = run(&kit, &mut host);
    println!("{report}");
    for (group, total, passed) in report.by_group() {
        println!("{group}: {passed}/{total}");
    }
    println!("{} / {} in {:.0?}", report.passed(), report.cases.len(), started.elapsed());
    if report.failed() > 0 {
        std::process::exit(1);
    }
    Ok(())
}
