//! The whole kit against a server speaking SpacetimeDB's HTTP API, printing the report:
//!
//! ```sh
//! cargo run -p worldtube-conformance --features http --example against-server -- \
//!     http://127.0.0.1:3100 "SpacetimeDB 2.8.3" [--only TEXT] [--skip TEXT]
//! ```
//!
//! `--only` keeps the cases whose group (`abi/tables.wat`, `modules`) or name contains TEXT,
//! `--skip` drops them (both repeatable). Exits with status 1 if a case failed.

use worldtube_conformance::http::HttpHost;
use worldtube_conformance::{run, Kit};

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [url, description, filters @ ..] = args.as_slice() else {
        return Err("usage: against-server http://HOST:PORT DESCRIPTION [--only TEXT] [--skip TEXT]".to_owned());
    };
    let (mut only, mut skip) = (Vec::new(), Vec::new());
    for pair in filters.chunks(2) {
        match pair {
            [flag, text] if flag == "--only" => only.push(text.as_str()),
            [flag, text] if flag == "--skip" => skip.push(text.as_str()),
            _ => return Err(format!("unexpected arguments {pair:?}")),
        }
    }
    let keep = |group: &str, name: &str| {
        let hit = |text: &&str| group.contains(text) || name.contains(text);
        (only.is_empty() || only.iter().any(hit)) && !skip.iter().any(hit)
    };
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
