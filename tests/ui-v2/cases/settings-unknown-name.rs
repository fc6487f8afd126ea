use spacetimedb::CaseConversionPolicy;

#[spacetimedb::settings]
const CASE_POLICY: CaseConversionPolicy = CaseConversionPolicy::None;

fn main() {}
