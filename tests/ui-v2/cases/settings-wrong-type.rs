#[spacetimedb::settings]
const CASE_CONVERSION_POLICY: u32 = 1;

fn main() {}
