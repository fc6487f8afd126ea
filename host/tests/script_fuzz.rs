//! Property-driven fuzzing of `worldtube run`'s inputs: the script language and the command line.
//! Whatever the text, parsing returns steps or an error naming where it went wrong, and never
//! panics or hangs; scripts written from parsed steps parse back to the same steps. (The module
//! definition and BSATN decoders have their own hostile-input properties in worldtube-lib.)
//!
//! The case counts are chosen so this runs in seconds in a debug build; BENCHMARKS.md reports how
//! many inputs one run tries.

use proptest::prelude::*;
use worldtube_host::cli::args::{parse, parse_script, Action, Expect, Step};

/// Lines made of the script's own words, numbers, JSON fragments and noise: closer to what a
/// mistyped script looks like than uniformly random text, so the parser's branches are reached.
fn script_line() -> impl Strategy<Value = String> {
    prop_oneof![3 => well_formed_line(), 1 => noisy_line()]
}

/// A line the parser should accept, so that round trips are exercised often.
fn well_formed_line() -> impl Strategy<Value = String> {
    let name = "[a-z][a-z_]{0,6}";
    let json = prop_oneof![
        Just("[]".to_owned()),
        Just("[\"hi\", 3]".to_owned()),
        Just("{\"name\": \"Bob\"}".to_owned()),
        (-1000i64..1000).prop_map(|n| format!("[{n}, true, null]")),
    ];
    prop_oneof![
        name.prop_map(|n| format!("as {n}")),
        name.prop_map(|n| format!("connect {n}")),
        name.prop_map(|n| format!("disconnect {n}")),
        (name, name, json).prop_map(|(caller, reducer, args)| format!("call {caller} {reducer} {args}")),
        (0u32..100_000, prop_oneof![Just(""), Just("ms"), Just("s"), Just("us")])
            .prop_map(|(n, unit)| format!("advance {n}{unit}")),
        name.prop_map(|n| format!("dump {n}")),
        Just("dump-all".to_owned()),
        "[a-z ]{0,12}".prop_map(|text| format!("expect-error {text}")),
        Just("# a comment".to_owned()),
        Just(String::new()),
    ]
}

/// A line of the script's words in any order, with noise.
fn noisy_line() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        Just("as".to_owned()),
        Just("connect".to_owned()),
        Just("disconnect".to_owned()),
        Just("call".to_owned()),
        Just("advance".to_owned()),
        Just("dump".to_owned()),
        Just("dump-all".to_owned()),
        Just("expect-error".to_owned()),
        Just("#".to_owned()),
        "[a-z_]{1,8}",
        "-?[0-9]{1,25}(ms|s|us|m|h)?",
        Just("[\"hi\", 3]".to_owned()),
        Just("{\"name\": \"Bob\"}".to_owned()),
        Just("[".to_owned()),
        Just("\"".to_owned()),
        "\\PC{0,6}",
    ];
    proptest::collection::vec(word, 0..6).prop_map(|words| words.join(" "))
}

fn script() -> impl Strategy<Value = String> {
    proptest::collection::vec(script_line(), 0..12).prop_map(|lines| lines.join("\n"))
}

/// How many generated scripts parsed (the round trip only means something if many do).
static PARSED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

#[test]
fn well_formed_lines_mostly_parse() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = proptest::collection::vec(well_formed_line(), 1..8).prop_map(|lines| lines.join("\n"));
    let mut parsed = 0;
    for _ in 0..200 {
        let text = strategy.new_tree(&mut runner).expect("a value").current();
        // `expect-error` needs a call-like step before it; anything else well formed parses.
        if parse_script(&text, "fuzz.script").is_ok() {
            parsed += 1;
        }
    }
    assert!(parsed >= 60, "only {parsed} of 200 well-formed scripts parsed: the generator drifted from the language");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1_000, ..ProptestConfig::default() })]

    /// Any script text: steps or an error, never a panic. An error names its line.
    #[test]
    fn scripts_of_script_words_parse_or_fail_cleanly(text in script()) {
        if let Err(error) = parse_script(&text, "fuzz.script") {
            let message = error.to_string();
            prop_assert!(message.contains("fuzz.script"), "an error names the script: {message}");
        }
    }

    /// Arbitrary text, including control characters and invalid JSON at any depth.
    #[test]
    fn arbitrary_text_parses_or_fails_cleanly(text in "\\PC{0,200}|[\\[\\]{}\" 0-9a-z\n]{0,400}") {
        let _ = parse_script(&text, "fuzz.script");
    }

    /// A parsed script written back line by line parses to the same steps.
    #[test]
    fn parsed_steps_round_trip_through_their_lines(text in script()) {
        if let Ok(steps) = parse_script(&text, "fuzz.script") {
            PARSED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let mut written = String::new();
            for step in &steps {
                written.push_str(&step.action.to_line());
                written.push('\n');
                if let Action::Connect { expect, .. } | Action::Disconnect { expect, .. } | Action::Call { expect, .. } =
                    &step.action
                {
                    if let Expect::Error(text) = expect {
                        written.push_str(&format!("expect-error {text}\n"));
                    }
                }
            }
            let again = parse_script(&written, "fuzz.script").expect("written steps parse");
            let actions = |steps: &[Step]| {
                steps.iter().map(|s| s.action.clone()).collect::<Vec<_>>()
            };
            prop_assert_eq!(actions(&again), actions(&steps));
        }
    }

    /// The command line: any words after `run`/`check`/`describe` give a command or an error.
    #[test]
    fn command_lines_parse_or_fail_cleanly(
        words in proptest::collection::vec(
            prop_oneof![
                Just("run".to_owned()), Just("check".to_owned()), Just("describe".to_owned()),
                Just("--call".to_owned()), Just("--connect".to_owned()), Just("--advance".to_owned()),
                Just("--dump".to_owned()), Just("--script".to_owned()), Just("--expect-error".to_owned()),
                Just("--brief".to_owned()), Just("--keep-going".to_owned()), Just("--help".to_owned()),
                Just("--fuel".to_owned()),
                "[a-z_.]{1,8}", "-?[0-9]{1,22}(ms|s)?", Just("[1,".to_owned()),
            ],
            0..10,
        )
    ) {
        let _ = parse(&words);
    }
}
