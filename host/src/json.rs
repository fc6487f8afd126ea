//! JSON ↔ typed values, for calling reducers and reading tables by name.
//!
//! Reading (JSON → value) follows the SpacetimeDB 1.3 server's call route exactly: the same
//! values are accepted, the same are refused, and a refusal has the server's text, position
//! included. The server reads JSON arguments with `serde_json` (its `arbitrary_precision`
//! feature on) through the SATS serde bridge, with `serde_path_to_error` tracking where an error
//! happened; this module drives the same libraries the same way, so their texts are the server's
//! texts.
//!
//! | type | JSON the server accepts |
//! |---|---|
//! | `bool` | `true` / `false` |
//! | integers up to 64 bits, floats | a JSON number in range (an integral float like `1.0` is not an integer; there is no NaN or infinity in JSON) |
//! | `u128`, `i128` | a JSON number, exact however long (`340282366920938463463374607431768211455`) |
//! | `u256`, `i256` | only a `"0x…"` hex string (`"-0x…"` for a negative `i256`); a JSON number or a decimal string is refused |
//! | `String` | a string |
//! | `Vec<u8>` (array of `u8`) | a hex string without `0x` (even length), or an array of numbers |
//! | other arrays | an array |
//! | products (incl. `Identity`, `ConnectionId`, `Timestamp`, `TimeDuration`) | an array in field order, or an object by field name; e.g. an identity is `{"__identity__": "0x…"}` or `["0x…"]` |
//! | sums (incl. `ScheduleAt`) | `{"Variant": payload}` (the name, or the tag as a decimal string), or `[tag, payload]`; a unit payload is `[]` |
//! | `Option<T>` | `null`, `{"some": v}`, `{"none": []}` |
//!
//! A refused call's text is `PATH: PATH: ERROR` (or `ERROR: ERROR` when the text has something
//! after the value): the server formats its error chain so, repeating the context. `PATH` is
//! where the error happened: `.` at the top, `[i]` for element `i` of an array (arguments given
//! positionally, array elements, the `[tag, payload]` form of a sum), a field name for a field
//! given by name, a variant name or tag for a sum's payload, joined with `.` (`[0].x`, `a[2]`).
//! `ERROR` is `serde_json`'s text with `at line L column C`.
//!
//! Writing (value → JSON) is [`worldtube_lib::algebraic::ValueWithType`]'s readable rendering.

use std::fmt;

use serde::de::{self, DeserializeSeed, Unexpected};
use serde_json::Value as Json;
use worldtube_lib::algebraic::{
    AlgebraicType, AlgebraicValue, ProductType, ProductTypeElement, ProductValue, SumType, Typespace,
};
use worldtube_lib::{i256, u256};

/// Converts JSON `text` to a value of type `ty` (refs resolved in `typespace`), by the server's
/// rules (see the [module docs](self)). An error is `PATH: ERROR`.
pub fn value_from_json(ty: &AlgebraicType, typespace: &Typespace, text: &str) -> Result<AlgebraicValue, String> {
    let mut de = serde_json::Deserializer::from_str(text);
    let mut track = serde_path_to_error::Track::new();
    let value = TypeSeed { ty, ts: typespace }
        .deserialize(serde_path_to_error::Deserializer::new(&mut de, &mut track))
        .map_err(|e| format!("{}: {e}", track.path()))?;
    de.end().map_err(|e| e.to_string())?;
    Ok(value)
}

/// Converts the JSON arguments `text` of a call of reducer `reducer` — an array (positional) or
/// object (by parameter name) — to the BSATN the reducer takes, as the server does. The error is
/// what the server puts after `invalid arguments for reducer NAME: ` (see the [module docs](self)).
pub fn args_from_json(
    reducer: &str,
    params: &ProductType,
    typespace: &Typespace,
    text: &str,
) -> Result<Vec<u8>, String> {
    parse_args(reducer, params, typespace, text).map_err(|(context, e)| format!("{context}: {e}"))
}

/// [`args_from_json`] for a 2.x module's reducer or procedure `function`, refused with the 2.8.3
/// server's longer error chain: its call route wraps the 1.x chain `CONTEXT: ERROR` in one more
/// layer, giving `CONTEXT: invalid arguments for function NAME: CONTEXT: ERROR` (`CONTEXT` is the
/// path, or for text after the value the error itself), e.g.
/// `[1]: invalid arguments for function post: [1]: [1]: invalid type: …`.
pub fn args_from_json_v10(
    function: &str,
    params: &ProductType,
    typespace: &Typespace,
    text: &str,
) -> Result<Vec<u8>, String> {
    parse_args(function, params, typespace, text)
        .map_err(|(context, e)| format!("{context}: invalid arguments for function {function}: {context}: {e}"))
}

/// Parses call arguments; an error is the server's context (the path, or the error itself for
/// text after the value) and its `CONTEXT: ERROR` text.
fn parse_args(
    reducer: &str,
    params: &ProductType,
    typespace: &Typespace,
    text: &str,
) -> Result<Vec<u8>, (String, String)> {
    let mut de = serde_json::Deserializer::from_str(text);
    let mut track = serde_path_to_error::Track::new();
    let seed = ProductSeed { elements: &params.elements, ts: typespace, reducer: Some(reducer) };
    let value = match seed.deserialize(serde_path_to_error::Deserializer::new(&mut de, &mut track)) {
        Ok(value) => value,
        Err(e) => {
            // The server adds the path as context to the error, then prints the chain: the
            // context twice (once in its own message), then the error.
            let path = track.path().to_string();
            return Err((path.clone(), format!("{path}: {e}")));
        }
    };
    de.end().map_err(|e| (e.to_string(), e.to_string()))?;
    Ok(worldtube_lib::bsatn::to_vec(&value))
}

/// A value of one type: the server's per-type choice of how to ask the JSON reader for it.
#[derive(Clone, Copy)]
struct TypeSeed<'a> {
    ty: &'a AlgebraicType,
    ts: &'a Typespace,
}

impl<'de> DeserializeSeed<'de> for TypeSeed<'_> {
    type Value = AlgebraicValue;

    fn deserialize<D: de::Deserializer<'de>>(self, de: D) -> Result<AlgebraicValue, D::Error> {
        use serde::Deserialize as _;
        use AlgebraicType as T;
        let ts = self.ts;
        let ty = ts.resolve(self.ty).ok_or_else(|| de::Error::custom("the type does not resolve"))?;
        Ok(match ty {
            T::Bool => AlgebraicValue::Bool(bool::deserialize(de)?),
            T::I8 => AlgebraicValue::I8(i8::deserialize(de)?),
            T::U8 => AlgebraicValue::U8(u8::deserialize(de)?),
            T::I16 => AlgebraicValue::I16(i16::deserialize(de)?),
            T::U16 => AlgebraicValue::U16(u16::deserialize(de)?),
            T::I32 => AlgebraicValue::I32(i32::deserialize(de)?),
            T::U32 => AlgebraicValue::U32(u32::deserialize(de)?),
            T::I64 => AlgebraicValue::I64(i64::deserialize(de)?),
            T::U64 => AlgebraicValue::U64(u64::deserialize(de)?),
            T::I128 => AlgebraicValue::I128(i128::deserialize(de)?),
            T::U128 => AlgebraicValue::U128(u128::deserialize(de)?),
            T::I256 => AlgebraicValue::from(i256::from_be_bytes(ethnum::I256::deserialize(de)?.to_be_bytes())),
            T::U256 => AlgebraicValue::from(u256::from_be_bytes(ethnum::U256::deserialize(de)?.to_be_bytes())),
            T::F32 => AlgebraicValue::from(f32::deserialize(de)?),
            T::F64 => AlgebraicValue::from(f64::deserialize(de)?),
            T::String => AlgebraicValue::from(String::deserialize(de)?.as_str()),
            T::Array(a) => {
                let elem = ts.resolve(&a.elem_ty).ok_or_else(|| de::Error::custom("the type does not resolve"))?;
                let values = if *elem == T::U8 {
                    // Bytes: JSON is human-readable, so the server takes hex text or numbers.
                    de.deserialize_any(BytesVisitor)?.into_iter().map(AlgebraicValue::U8).collect()
                } else {
                    de.deserialize_seq(ArrayVisitor(TypeSeed { ty: elem, ts }))?
                };
                AlgebraicValue::Array(values.into())
            }
            T::Product(p) => ProductSeed { elements: &p.elements, ts, reducer: None }.deserialize(de)?,
            T::Sum(s) => de.deserialize_any(SumVisitor { sum: s, ts })?,
            T::Ref(_) => return Err(de::Error::custom("the type does not resolve")),
        })
    }
}

/// A product: a reducer's parameters (`reducer` is its name) or a product type's fields.
#[derive(Clone, Copy)]
struct ProductSeed<'a> {
    elements: &'a [ProductTypeElement],
    ts: &'a Typespace,
    reducer: Option<&'a str>,
}

impl ProductSeed<'_> {
    /// What the server calls one element in its errors.
    fn element_kind(&self) -> &'static str {
        if self.reducer.is_some() {
            "reducer argument"
        } else {
            "field"
        }
    }

    fn field_error<E: de::Error>(&self, problem: &str, index: usize) -> E {
        let kind = self.element_kind();
        match self.elements[index].name.as_deref() {
            Some(name) => E::custom(format_args!("{problem} {kind} `{name}`")),
            None => E::custom(format_args!("{problem} {kind} (index {index})")),
        }
    }
}

impl<'de> DeserializeSeed<'de> for ProductSeed<'_> {
    type Value = AlgebraicValue;

    fn deserialize<D: de::Deserializer<'de>>(self, de: D) -> Result<AlgebraicValue, D::Error> {
        de.deserialize_any(self)
    }
}

impl<'de> de::Visitor<'de> for ProductSeed<'_> {
    type Value = AlgebraicValue;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.reducer {
            Some(name) => write!(f, "a {name} tuple"),
            None => write!(f, "a {}-element tuple", self.elements.len()),
        }
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<AlgebraicValue, A::Error> {
        let mut values = Vec::with_capacity(self.elements.len());
        for (i, e) in self.elements.iter().enumerate() {
            match seq.next_element_seed(TypeSeed { ty: &e.algebraic_type, ts: self.ts })? {
                Some(value) => values.push(value),
                None => {
                    let expected = match self.reducer {
                        Some(name) => format!("reducer args for {name} with {} elements", self.elements.len()),
                        None => format!("product type <product> with {} elements", self.elements.len()),
                    };
                    return Err(de::Error::invalid_length(i, &expected.as_str()));
                }
            }
        }
        // Further elements are left to the JSON reader, which refuses them.
        Ok(AlgebraicValue::product(values))
    }

    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<AlgebraicValue, A::Error> {
        // One key per element: a missing one shows as the map's end, an extra one is left to
        // the JSON reader, which refuses it.
        let mut values: Vec<Option<AlgebraicValue>> = vec![None; self.elements.len()];
        for _ in 0..self.elements.len() {
            let Some(index) = map.next_key_seed(FieldSeed(self))? else {
                let missing = values.iter().position(Option::is_none).expect("fewer keys than elements");
                return Err(self.field_error("missing", missing));
            };
            if values[index].is_some() {
                return Err(self.field_error("duplicate", index));
            }
            let ty = &self.elements[index].algebraic_type;
            values[index] = Some(map.next_value_seed(TypeSeed { ty, ts: self.ts })?);
        }
        Ok(AlgebraicValue::product(values.into_iter().map(|v| v.expect("every element was read")).collect::<Vec<_>>()))
    }
}

/// The name of a product's element, as a JSON object key.
struct FieldSeed<'a>(ProductSeed<'a>);

impl<'de> DeserializeSeed<'de> for FieldSeed<'_> {
    type Value = usize;

    fn deserialize<D: de::Deserializer<'de>>(self, de: D) -> Result<usize, D::Error> {
        de.deserialize_str(self)
    }
}

impl<'de> de::Visitor<'de> for FieldSeed<'_> {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match one_of(self.0.elements.iter().map(|e| e.name.as_deref())) {
            Some(names) => write!(f, "a tuple field ({names})"),
            None => f.write_str("a tuple field, but there are no fields"),
        }
    }

    fn visit_str<E: de::Error>(self, name: &str) -> Result<usize, E> {
        if let Some(i) = self.0.elements.iter().position(|e| e.name.as_deref() == Some(name)) {
            return Ok(i);
        }
        let kind = self.0.element_kind();
        Err(match one_of(self.0.elements.iter().map(|e| e.name.as_deref())) {
            Some(names) => E::custom(format_args!("unknown {kind} `{name}`, expected {names}")),
            None => E::custom(format_args!("unknown {kind} `{name}`, there are no {kind}s")),
        })
    }
}

/// The server's rendering of a list of names in its errors, reproduced as it comes out (it is
/// not the "`a`, `b`, or `c`" it looks like it means): one name is `` `a` ``; with more, each
/// name but the second is `` , `x` `` and the second is `` `b` `` (two names) or `` one of `b` ``
/// (three or more). Unnamed elements count `0`, `1`, ... . `None` for no names at all.
fn one_of<'n>(names: impl Iterator<Item = Option<&'n str>> + Clone) -> Option<String> {
    let count = names.clone().count();
    if count == 0 {
        return None;
    }
    let mut unnamed = 0;
    let mut out = String::new();
    for (index, name) in names.enumerate() {
        let name = name.map(str::to_owned).unwrap_or_else(|| {
            unnamed += 1;
            (unnamed - 1).to_string()
        });
        let rendered = match (count, index) {
            (1, _) | (2, 1) => format!("`{name}`"),
            (_, 1) => format!("one of `{name}`"),
            _ => format!(", `{name}`"),
        };
        out.push_str(&rendered);
    }
    Some(out)
}

/// A sum value: `{"variant": payload}`, `[tag, payload]`, or `null` for an option's `none`.
struct SumVisitor<'a> {
    sum: &'a SumType,
    ts: &'a Typespace,
}

impl SumVisitor<'_> {
    fn payload(&self, tag: u8) -> TypeSeed<'_> {
        TypeSeed { ty: &self.sum.variants[usize::from(tag)].algebraic_type, ts: self.ts }
    }
}

impl<'de> de::Visitor<'de> for SumVisitor<'_> {
    type Value = AlgebraicValue;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("sum type")
    }

    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<AlgebraicValue, A::Error> {
        let Some(tag) = map.next_key_seed(VariantSeed(self.sum))? else {
            return Err(de::Error::custom("expected map representing sum type to have exactly one field"));
        };
        let value = map.next_value_seed(self.payload(tag))?;
        Ok(AlgebraicValue::sum(tag, value))
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<AlgebraicValue, A::Error> {
        let two = || de::Error::custom("expected seq representing sum type to have exactly two fields");
        let tag = seq.next_element_seed(VariantSeed(self.sum))?.ok_or_else(two)?;
        let value = seq.next_element_seed(self.payload(tag))?.ok_or_else(two)?;
        Ok(AlgebraicValue::sum(tag, value))
    }

    fn visit_unit<E: de::Error>(self) -> Result<AlgebraicValue, E> {
        if self.sum.as_option().is_some() {
            Ok(AlgebraicValue::option_none())
        } else {
            Err(E::invalid_type(Unexpected::Unit, &self))
        }
    }
}

/// Which variant: its name, or its tag (a number, or a decimal string as an object key).
struct VariantSeed<'a>(&'a SumType);

impl VariantSeed<'_> {
    fn tag<E: de::Error>(&self, tag: u8) -> Result<u8, E> {
        if usize::from(tag) < self.0.variants.len() {
            Ok(tag)
        } else {
            Err(E::custom(format_args!("unknown tag {tag:#x} for sum type <unknown>")))
        }
    }
}

impl<'de> DeserializeSeed<'de> for VariantSeed<'_> {
    type Value = u8;

    fn deserialize<D: de::Deserializer<'de>>(self, de: D) -> Result<u8, D::Error> {
        de.deserialize_any(self)
    }
}

impl<'de> de::Visitor<'de> for VariantSeed<'_> {
    type Value = u8;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("variant identifier (string or int)")
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<u8, E> {
        let tag = u8::try_from(v).map_err(|_| E::invalid_value(Unexpected::Unsigned(v), &"a u8 tag"))?;
        self.tag(tag)
    }

    fn visit_str<E: de::Error>(self, name: &str) -> Result<u8, E> {
        if let Ok(tag) = name.parse::<u8>() {
            return self.tag(tag);
        }
        if let Some(i) = self.0.variants.iter().position(|v| v.name.as_deref() == Some(name)) {
            // A sum has at most 256 variants (the tag is a byte).
            return u8::try_from(i).map_err(|_| E::custom("a sum has more than 256 variants"));
        }
        Err(match one_of(self.0.variants.iter().filter_map(|v| v.name.as_deref()).map(Some)) {
            Some(names) => E::custom(format_args!("unknown variant `{name}`, expected {names}")),
            None => E::custom(format_args!("unknown variant `{name}`, there are no variants")),
        })
    }
}

/// An array of anything but `u8`.
struct ArrayVisitor<'a>(TypeSeed<'a>);

impl<'de> de::Visitor<'de> for ArrayVisitor<'_> {
    type Value = Vec<AlgebraicValue>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a vec")
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<AlgebraicValue>, A::Error> {
        let mut values = Vec::new();
        while let Some(value) = seq.next_element_seed(self.0)? {
            values.push(value);
        }
        Ok(values)
    }
}

/// An array of `u8`: hex text, or an array of numbers.
struct BytesVisitor;

impl<'de> de::Visitor<'de> for BytesVisitor {
    type Value = Vec<u8>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a byte array or hex string")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Vec<u8>, E> {
        let digit = |b: u8| char::from(b).to_digit(16);
        let bytes = text.as_bytes();
        let decoded = bytes
            .len()
            .is_multiple_of(2)
            .then(|| {
                bytes
                    .chunks(2)
                    .map(|pair| Some((digit(pair[0])? * 16 + digit(pair[1])?) as u8))
                    .collect::<Option<Vec<u8>>>()
            })
            .flatten();
        decoded.ok_or_else(|| E::invalid_value(Unexpected::Str(text), &self))
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<u8>, A::Error> {
        let mut bytes = Vec::new();
        while let Some(byte) = seq.next_element::<u8>()? {
            bytes.push(byte);
        }
        Ok(bytes)
    }
}

/// Renders `value` of type `ty` (refs resolved in `typespace`) as readable JSON (see
/// [`ValueWithType`](worldtube_lib::algebraic::ValueWithType)); `null` if the value does not
/// have the type.
pub fn value_to_json(ty: &AlgebraicType, typespace: &Typespace, value: &AlgebraicValue) -> Json {
    serde_json::to_value(worldtube_lib::algebraic::ValueWithType::new(value, ty, typespace)).unwrap_or(Json::Null)
}

/// `value` of type `ty` as the 2.x server writes values over HTTP (procedure results, SQL rows):
/// products as arrays, sums as `[tag, payload]`, identities and connection ids as `["0x…"]`
/// (hex, most significant byte first), everything else as [`value_to_json`] does; `null` where
/// the value does not have the type.
pub fn server_json(ty: &AlgebraicType, typespace: &Typespace, value: &AlgebraicValue) -> Json {
    use worldtube_lib::algebraic::SpecialProduct;
    let Some(ty) = typespace.resolve(ty) else { return Json::Null };
    match (ty, value) {
        (AlgebraicType::Product(p), AlgebraicValue::Product(v)) => match (p.special(), v.elements.first()) {
            (Some(SpecialProduct::Identity), Some(AlgebraicValue::U256(x))) => {
                let hex: String = x.to_be_bytes().iter().map(|b| format!("{b:02x}")).collect();
                serde_json::json!([format!("0x{hex}")])
            }
            (Some(SpecialProduct::ConnectionId), Some(AlgebraicValue::U128(x))) => {
                serde_json::json!([format!("0x{x:032x}")])
            }
            _ => Json::Array(
                p.elements
                    .iter()
                    .zip(v.elements.iter())
                    .map(|(e, v)| server_json(&e.algebraic_type, typespace, v))
                    .collect(),
            ),
        },
        (AlgebraicType::Sum(s), AlgebraicValue::Sum(v)) => match s.variants.get(usize::from(v.tag)) {
            Some(variant) => serde_json::json!([v.tag, server_json(&variant.algebraic_type, typespace, &v.value)]),
            None => Json::Null,
        },
        (AlgebraicType::Array(a), AlgebraicValue::Array(items)) => {
            Json::Array(items.iter().map(|v| server_json(&a.elem_ty, typespace, v)).collect())
        }
        _ => value_to_json(ty, typespace, value),
    }
}

/// A row of type `row_type` as an SQL answer's row reads: an object from column name to
/// [`server_json`].
pub fn server_row(row_type: &ProductType, typespace: &Typespace, row: &ProductValue) -> Json {
    Json::Object(
        row_type
            .elements
            .iter()
            .zip(row.elements.iter())
            .map(|(e, v)| {
                (e.name.as_deref().unwrap_or_default().to_owned(), server_json(&e.algebraic_type, typespace, v))
            })
            .collect(),
    )
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
