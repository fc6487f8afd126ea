//! JSON ↔ typed values, for calling reducers and reading tables by name.
//!
//! Reading (JSON → value) accepts what a person would write and what the SpacetimeDB HTTP API
//! takes:
//!
//! | type | JSON |
//! |---|---|
//! | `bool`, integers, floats | booleans and numbers; integers also as decimal strings (any width) or `0x` hex strings |
//! | `String` | a string |
//! | arrays | an array |
//! | `Identity`, `ConnectionId` | a hex string (`0x` optional), or `{"__identity__": …}` / `{"__connection_id__": …}` |
//! | `Timestamp` | RFC 3339 text, or microseconds since the epoch |
//! | `TimeDuration` | microseconds |
//! | `Option<T>` | `null` or the value, or `{"some": v}` / `{"none": []}` |
//! | other sums | `"Variant"` for a variant without data, `{"Variant": payload}`, or `{"<tag number>": payload}` |
//! | products | an array in field order, or an object by field name |
//!
//! Writing (value → JSON) is [`worldtube_lib::algebraic::ValueWithType`]'s readable rendering.

use serde_json::Value as Json;
use worldtube_lib::algebraic::{AlgebraicType, AlgebraicValue, ProductType, ProductValue, SpecialProduct, Typespace};
use worldtube_lib::{i256, u256, ConnectionId, Identity, Timestamp};

/// Converts `json` to a value of type `ty` (refs resolved in `typespace`).
pub fn value_from_json(ty: &AlgebraicType, typespace: &Typespace, json: &Json) -> Result<AlgebraicValue, String> {
    from_json(ty, typespace, json, 0)
}

/// Converts reducer arguments — a JSON array (positional) or object (by parameter name) — to
/// the BSATN the reducer takes.
pub fn args_from_json(params: &ProductType, typespace: &Typespace, json: &Json) -> Result<Vec<u8>, String> {
    let value = product_from_json(params, typespace, json, 0)?;
    Ok(worldtube_lib::bsatn::to_vec(&value))
}

const MAX_DEPTH: usize = 128;

fn from_json(ty: &AlgebraicType, ts: &Typespace, json: &Json, depth: usize) -> Result<AlgebraicValue, String> {
    use AlgebraicType as T;
    if depth > MAX_DEPTH {
        return Err(format!("JSON nests deeper than {MAX_DEPTH} levels"));
    }
    let ty = ts.resolve(ty).ok_or_else(|| format!("type {} does not resolve", ty.describe()))?;
    Ok(match ty {
        T::Bool => AlgebraicValue::Bool(json.as_bool().ok_or_else(|| expected("a boolean", json))?),
        T::I8 => AlgebraicValue::I8(int(json)?),
        T::U8 => AlgebraicValue::U8(int(json)?),
        T::I16 => AlgebraicValue::I16(int(json)?),
        T::U16 => AlgebraicValue::U16(int(json)?),
        T::I32 => AlgebraicValue::I32(int(json)?),
        T::U32 => AlgebraicValue::U32(int(json)?),
        T::I64 => AlgebraicValue::I64(int(json)?),
        T::U64 => AlgebraicValue::U64(int(json)?),
        T::I128 => AlgebraicValue::I128(int(json)?),
        T::U128 => AlgebraicValue::U128(int(json)?),
        T::I256 => AlgebraicValue::from(big_signed(json)?),
        T::U256 => AlgebraicValue::from(big_unsigned(json)?),
        T::F32 => AlgebraicValue::from(json.as_f64().ok_or_else(|| expected("a number", json))? as f32),
        T::F64 => AlgebraicValue::from(json.as_f64().ok_or_else(|| expected("a number", json))?),
        T::String => AlgebraicValue::from(json.as_str().ok_or_else(|| expected("a string", json))?),
        T::Array(a) => {
            let items = json.as_array().ok_or_else(|| expected("an array", json))?;
            let values =
                items.iter().map(|j| from_json(&a.elem_ty, ts, j, depth + 1)).collect::<Result<Vec<_>, _>>()?;
            AlgebraicValue::Array(values.into())
        }
        T::Product(p) => match p.special() {
            Some(special) => special_from_json(special, json)?,
            None => product_from_json(p, ts, json, depth)?,
        },
        T::Sum(s) => {
            if let Some(some_ty) = s.as_option() {
                return option_from_json(some_ty, ts, json, depth);
            }
            let (tag, payload) = match json {
                Json::String(name) => (variant_tag(s, name)?, None),
                Json::Object(map) if map.len() == 1 => {
                    let (name, payload) = map.iter().next().expect("one entry");
                    (variant_tag(s, name)?, Some(payload))
                }
                _ => return Err(expected("a variant: \"Name\" or {\"Name\": payload}", json)),
            };
            let variant_ty = &s.variants[usize::from(tag)].algebraic_type;
            let value = match payload {
                Some(p) => from_json(variant_ty, ts, p, depth + 1)?,
                None if variant_ty.is_unit() => AlgebraicValue::unit(),
                None => return Err(format!("variant `{}` needs a payload", variant_name(s, tag))),
            };
            AlgebraicValue::sum(tag, value)
        }
        T::Ref(_) => unreachable!("resolved above"),
    })
}

fn product_from_json(p: &ProductType, ts: &Typespace, json: &Json, depth: usize) -> Result<AlgebraicValue, String> {
    let values = match json {
        Json::Array(items) => {
            if items.len() != p.elements.len() {
                return Err(format!("expected {} values, got {}", p.elements.len(), items.len()));
            }
            p.elements
                .iter()
                .zip(items)
                .map(|(e, j)| from_json(&e.algebraic_type, ts, j, depth + 1))
                .collect::<Result<Vec<_>, _>>()?
        }
        Json::Object(map) => {
            if let Some(unknown) = map.keys().find(|k| p.element(k).is_none()) {
                return Err(format!("unknown field `{unknown}`"));
            }
            p.elements
                .iter()
                .enumerate()
                .map(|(i, e)| {
                    let name = e.name.as_deref().map(str::to_owned).unwrap_or_else(|| i.to_string());
                    let j = map.get(&name).ok_or_else(|| format!("missing field `{name}`"))?;
                    from_json(&e.algebraic_type, ts, j, depth + 1).map_err(|err| format!("field `{name}`: {err}"))
                })
                .collect::<Result<Vec<_>, _>>()?
        }
        _ => return Err(expected("an array or an object", json)),
    };
    Ok(AlgebraicValue::product(values))
}

fn option_from_json(
    some_ty: &AlgebraicType,
    ts: &Typespace,
    json: &Json,
    depth: usize,
) -> Result<AlgebraicValue, String> {
    match json {
        Json::Null => Ok(AlgebraicValue::option_none()),
        Json::Object(map) if map.len() == 1 && map.contains_key("none") => Ok(AlgebraicValue::option_none()),
        Json::Object(map) if map.len() == 1 && map.contains_key("some") => {
            Ok(AlgebraicValue::option_some(from_json(some_ty, ts, &map["some"], depth + 1)?))
        }
        other => Ok(AlgebraicValue::option_some(from_json(some_ty, ts, other, depth + 1)?)),
    }
}

fn special_from_json(special: SpecialProduct, json: &Json) -> Result<AlgebraicValue, String> {
    // Also accept the wire form `{"__identity__": …}`.
    let json = match json {
        Json::Object(map) if map.len() == 1 => map.values().next().expect("one entry"),
        other => other,
    };
    Ok(match special {
        SpecialProduct::Identity => {
            let text = json.as_str().ok_or_else(|| expected("a hex identity", json))?;
            Identity::from_hex(text).map_err(|e| format!("invalid identity: {e}"))?.into()
        }
        SpecialProduct::ConnectionId => {
            let text = json.as_str().ok_or_else(|| expected("a hex connection id", json))?;
            ConnectionId::from_hex(text).map_err(|e| format!("invalid connection id: {e}"))?.into()
        }
        SpecialProduct::Timestamp => match json {
            Json::String(text) => Timestamp::parse_from_rfc3339(text).map_err(|e| e.to_string())?.into(),
            other => Timestamp::from_micros_since_unix_epoch(int(other)?).into(),
        },
        SpecialProduct::TimeDuration => worldtube_lib::TimeDuration::from_micros(int(json)?).into(),
    })
}

fn variant_tag(s: &worldtube_lib::algebraic::SumType, name: &str) -> Result<u8, String> {
    if let Some(i) = s.variants.iter().position(|v| v.name.as_deref() == Some(name)) {
        return u8::try_from(i).map_err(|_| format!("variant `{name}` is beyond the 256 a sum can have"));
    }
    match name.parse::<u8>() {
        Ok(tag) if usize::from(tag) < s.variants.len() => Ok(tag),
        _ => {
            let names: Vec<&str> = s.variants.iter().filter_map(|v| v.name.as_deref()).collect();
            Err(format!("unknown variant `{name}`; expected one of {}", names.join(", ")))
        }
    }
}

fn variant_name(s: &worldtube_lib::algebraic::SumType, tag: u8) -> String {
    s.variants[usize::from(tag)].name.as_deref().map(str::to_owned).unwrap_or_else(|| tag.to_string())
}

fn expected(what: &str, got: &Json) -> String {
    let mut shown = got.to_string();
    if let Some((cut, _)) = shown.char_indices().nth(57) {
        // At a character boundary: the text may be any UTF-8.
        shown.truncate(cut);
        shown.push_str("...");
    }
    format!("expected {what}, got {shown}")
}

/// An integer from a JSON number or a decimal / `0x` hex string, checked against `T`'s range.
fn int<T: TryFrom<i128> + TryFrom<u128>>(json: &Json) -> Result<T, String> {
    let out_of_range = || format!("{json} is out of range for this integer type");
    match json {
        Json::Number(n) => {
            if let Some(v) = n.as_i64() {
                T::try_from(i128::from(v)).map_err(|_| out_of_range())
            } else if let Some(v) = n.as_u64() {
                T::try_from(u128::from(v)).map_err(|_| out_of_range())
            } else {
                Err(expected("an integer", json))
            }
        }
        Json::String(s) => {
            if let Some(hex) = s.strip_prefix("0x") {
                let v = u128::from_str_radix(hex, 16).map_err(|_| expected("an integer", json))?;
                T::try_from(v).map_err(|_| out_of_range())
            } else if let Ok(v) = s.parse::<i128>() {
                T::try_from(v).map_err(|_| out_of_range())
            } else {
                let v = s.parse::<u128>().map_err(|_| expected("an integer", json))?;
                T::try_from(v).map_err(|_| out_of_range())
            }
        }
        _ => Err(expected("an integer", json)),
    }
}

fn big_unsigned(json: &Json) -> Result<u256, String> {
    if let Some(hex) = json.as_str().and_then(|s| s.strip_prefix("0x")) {
        if hex.is_empty() || hex.len() > 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(expected("a 256-bit integer", json));
        }
        let padded = format!("{hex:0>64}");
        let hi = u128::from_str_radix(&padded[..32], 16).map_err(|e| e.to_string())?;
        let lo = u128::from_str_radix(&padded[32..], 16).map_err(|e| e.to_string())?;
        return Ok(u256::from_words(hi, lo));
    }
    int::<u128>(json)
        .map(u256::from)
        .map_err(|_| expected("a 256-bit integer (beyond 128 bits: a 0x hex string)", json))
}

fn big_signed(json: &Json) -> Result<i256, String> {
    int::<i128>(json).map(i256::from).map_err(|_| expected("a 256-bit integer (within the 128-bit range)", json))
}

/// Renders `value` of type `ty` (refs resolved in `typespace`) as readable JSON (see
/// [`ValueWithType`](worldtube_lib::algebraic::ValueWithType)); `null` if the value does not
/// have the type.
pub fn value_to_json(ty: &AlgebraicType, typespace: &Typespace, value: &AlgebraicValue) -> Json {
    serde_json::to_value(worldtube_lib::algebraic::ValueWithType::new(value, ty, typespace)).unwrap_or(Json::Null)
}

/// A row of table `table` as a JSON object keyed by column name; `null` if there is no such table.
pub fn row_to_json(schema: &crate::Schema, table: crate::TableId, row: &ProductValue) -> Json {
    let Some(table) = schema.table(table) else { return Json::Null };
    // Rendering a product value needs it as an `AlgebraicValue`.
    let value = AlgebraicValue::Product(row.clone());
    value_to_json(&AlgebraicType::Ref(table.row_type_ref), schema.typespace(), &value)
}

/// Every committed row of table `table`, in scan order, as a JSON array of objects; `null` if
/// there is no such table.
pub fn table_to_json(datastore: &crate::Datastore, table: crate::TableId) -> Json {
    let schema = datastore.schema();
    match datastore.rows(table) {
        Some(rows) => Json::Array(rows.map(|(_, row)| row_to_json(schema, table, row.value())).collect()),
        None => Json::Null,
    }
}
