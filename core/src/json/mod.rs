//! A small JSON reader and writer for the types the page exchanges with the public API and
//! keeps in the tab's session storage.
//!
//! The sandbox reads and writes this JSON through serde. The page does not: serde's derived
//! visitors for these types, serde_json and the formatting machinery their error messages
//! pull in were about a fifth of the page's wasm. Here each type reads and writes itself in
//! a few lines (`types.rs`), over one small document tree. `tests/json_parity.rs` holds both
//! to the same JSON: every type, every variant, both directions.
//!
//! Reading follows serde's derive: unknown members are ignored; an absent member reads as
//! `null`, so an `Option` is `None` and anything else fails, except where the field has
//! `#[serde(default)]` ([`Object::or_default`]). Numbers are integers on this wire (money in
//! minor units, seconds): any other number is kept as written and no field reads it.

mod types;

/// A JSON document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Json {
    Null,
    Bool(bool),
    /// A number without fraction or exponent that fits an `i64`.
    Int(i64),
    /// Any other number, as written.
    Number(String),
    Str(String),
    Array(Vec<Json>),
    /// Members in document order.
    Object(Vec<(String, Json)>),
}

/// A type that reads itself from JSON; `None` when the JSON is not one.
pub trait FromJson: Sized {
    fn from_json(value: &Json) -> Option<Self>;
}

/// A type that writes itself as JSON.
pub trait ToJson {
    fn to_json(&self) -> Json;
}

/// Reads a `T` from JSON text; `None` when the text is not JSON or not a `T`.
pub fn from_str<T: FromJson>(text: &str) -> Option<T> {
    T::from_json(&Json::parse(text)?)
}

/// The compact JSON text of `value`, as serde_json writes it.
pub fn to_string<T: ToJson + ?Sized>(value: &T) -> String {
    let mut out = String::new();
    value.to_json().write(&mut out);
    out
}

/// Nesting deeper than this is refused rather than read (serde_json's own limit).
const MAX_DEPTH: u32 = 128;

impl Json {
    /// Parses one JSON document, surrounding whitespace allowed; `None` when it is not JSON.
    pub fn parse(text: &str) -> Option<Json> {
        let mut parser = Parser { text, pos: 0 };
        let value = parser.value(0)?;
        parser.skip_whitespace();
        (parser.pos == text.len()).then_some(value)
    }

    /// The members of an object.
    pub fn object(&self) -> Option<Object<'_>> {
        match self {
            Json::Object(members) => Some(Object(members)),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::Str(text) => Some(text),
            _ => None,
        }
    }

    /// An object of `members`, in this order.
    pub fn object_of<const N: usize>(members: [(&str, Json); N]) -> Json {
        Json::Object(
            members
                .into_iter()
                .map(|(key, value)| (key.to_string(), value))
                .collect(),
        )
    }

    /// Appends the compact text of this document to `out`.
    pub fn write(&self, out: &mut String) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(true) => out.push_str("true"),
            Json::Bool(false) => out.push_str("false"),
            Json::Int(n) => out.push_str(&n.to_string()),
            Json::Number(text) => out.push_str(text),
            Json::Str(text) => write_string(text, out),
            Json::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Json::Object(members) => {
                out.push('{');
                for (i, (key, value)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_string(key, out);
                    out.push(':');
                    value.write(out);
                }
                out.push('}');
            }
        }
    }
}

/// An object's members, read the way serde's derive reads a struct.
#[derive(Clone, Copy)]
pub struct Object<'a>(&'a [(String, Json)]);

impl<'a> Object<'a> {
    /// The member `key` (the first, if repeated).
    pub fn get(self, key: &str) -> Option<&'a Json> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// A field: absent reads as `null`, so only an `Option` may be missing.
    pub fn field<T: FromJson>(self, key: &str) -> Option<T> {
        T::from_json(self.get(key).unwrap_or(&Json::Null))
    }

    /// A `#[serde(default)]` field: absent reads as the default (`null` does not).
    pub fn or_default<T: FromJson + Default>(self, key: &str) -> Option<T> {
        match self.get(key) {
            Some(value) => T::from_json(value),
            None => Some(T::default()),
        }
    }

    /// A string member: the tag of an internally tagged enum.
    pub fn tag(self, key: &str) -> Option<&'a str> {
        self.get(key)?.as_str()
    }
}

fn write_string(text: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if c < ' ' => {
                out.push_str("\\u00");
                out.push(char::from(HEX[c as usize >> 4]));
                out.push(char::from(HEX[c as usize & 15]));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    /// Skips whitespace, then `byte` if it is next.
    fn eat(&mut self, byte: u8) -> bool {
        self.skip_whitespace();
        let found = self.peek() == Some(byte);
        self.pos += usize::from(found);
        found
    }

    fn value(&mut self, depth: u32) -> Option<Json> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.skip_whitespace();
        match self.peek()? {
            b'n' => self.word("null", Json::Null),
            b't' => self.word("true", Json::Bool(true)),
            b'f' => self.word("false", Json::Bool(false)),
            b'"' => self.string().map(Json::Str),
            b'[' => {
                self.pos += 1;
                let mut items = Vec::new();
                if !self.eat(b']') {
                    loop {
                        items.push(self.value(depth + 1)?);
                        if self.eat(b']') {
                            break;
                        }
                        if !self.eat(b',') {
                            return None;
                        }
                    }
                }
                Some(Json::Array(items))
            }
            b'{' => {
                self.pos += 1;
                let mut members = Vec::new();
                if !self.eat(b'}') {
                    loop {
                        self.skip_whitespace();
                        let key = self.string()?;
                        if !self.eat(b':') {
                            return None;
                        }
                        members.push((key, self.value(depth + 1)?));
                        if self.eat(b'}') {
                            break;
                        }
                        if !self.eat(b',') {
                            return None;
                        }
                    }
                }
                Some(Json::Object(members))
            }
            _ => self.number(),
        }
    }

    fn word(&mut self, word: &str, value: Json) -> Option<Json> {
        let end = self.pos + word.len();
        if self.text.get(self.pos..end)? != word {
            return None;
        }
        self.pos = end;
        Some(value)
    }

    /// One or more digits.
    fn digits(&mut self) -> Option<()> {
        let start = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
        (self.pos > start).then_some(())
    }

    fn number(&mut self) -> Option<Json> {
        let start = self.pos;
        self.pos += usize::from(self.peek() == Some(b'-'));
        let integer_start = self.pos;
        self.digits()?;
        // No leading zeros: `0` alone, or a non-zero first digit.
        if self.text.as_bytes()[integer_start] == b'0' && self.pos - integer_start > 1 {
            return None;
        }
        let mut integer = true;
        if self.peek() == Some(b'.') {
            self.pos += 1;
            self.digits()?;
            integer = false;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            self.pos += usize::from(matches!(self.peek(), Some(b'+' | b'-')));
            self.digits()?;
            integer = false;
        }
        let text = &self.text[start..self.pos];
        Some(match text.parse() {
            Ok(n) if integer => Json::Int(n),
            _ => Json::Number(text.to_string()),
        })
    }

    fn string(&mut self) -> Option<String> {
        if self.peek() != Some(b'"') {
            return None;
        }
        self.pos += 1;
        let mut out = String::new();
        loop {
            let start = self.pos;
            while self
                .peek()
                .is_some_and(|b| b != b'"' && b != b'\\' && b >= 0x20)
            {
                self.pos += 1;
            }
            // Every byte stopped at is ASCII, so `start..pos` lies on character boundaries.
            out.push_str(&self.text[start..self.pos]);
            match self.peek()? {
                b'"' => {
                    self.pos += 1;
                    return Some(out);
                }
                b'\\' => {
                    self.pos += 1;
                    let escape = self.peek()?;
                    self.pos += 1;
                    out.push(match escape {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        _ => return None,
                    });
                }
                // A raw control character.
                _ => return None,
            }
        }
    }

    /// The character of a `\u` escape (the `\u` already read), a surrogate pair included.
    fn unicode_escape(&mut self) -> Option<char> {
        let high = self.hex4()?;
        if !(0xD800..0xDC00).contains(&high) {
            return char::from_u32(high);
        }
        if self.text.get(self.pos..self.pos + 2)? != "\\u" {
            return None;
        }
        self.pos += 2;
        let low = self.hex4()?;
        if !(0xDC00..0xE000).contains(&low) {
            return None;
        }
        char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.text.get(self.pos..self.pos + 4)?;
        if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        self.pos += 4;
        u32::from_str_radix(digits, 16).ok()
    }
}

impl FromJson for Json {
    fn from_json(value: &Json) -> Option<Self> {
        Some(value.clone())
    }
}

impl ToJson for Json {
    fn to_json(&self) -> Json {
        self.clone()
    }
}

impl FromJson for String {
    fn from_json(value: &Json) -> Option<Self> {
        value.as_str().map(str::to_string)
    }
}

impl ToJson for String {
    fn to_json(&self) -> Json {
        Json::Str(self.clone())
    }
}

impl ToJson for str {
    fn to_json(&self) -> Json {
        Json::Str(self.to_string())
    }
}

impl FromJson for bool {
    fn from_json(value: &Json) -> Option<Self> {
        match value {
            Json::Bool(b) => Some(*b),
            _ => None,
        }
    }
}

impl ToJson for bool {
    fn to_json(&self) -> Json {
        Json::Bool(*self)
    }
}

macro_rules! integers {
    ($($t:ty),*) => {$(
        impl FromJson for $t {
            fn from_json(value: &Json) -> Option<Self> {
                match value {
                    Json::Int(n) => <$t>::try_from(*n).ok(),
                    _ => None,
                }
            }
        }

        impl ToJson for $t {
            fn to_json(&self) -> Json {
                Json::Int(i64::from(*self))
            }
        }
    )*};
}

integers!(i64, u32, u16);

impl<T: FromJson> FromJson for Option<T> {
    fn from_json(value: &Json) -> Option<Self> {
        match value {
            Json::Null => Some(None),
            value => T::from_json(value).map(Some),
        }
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn to_json(&self) -> Json {
        self.as_ref().map_or(Json::Null, T::to_json)
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: &Json) -> Option<Self> {
        match value {
            Json::Array(items) => items.iter().map(T::from_json).collect(),
            _ => None,
        }
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn to_json(&self) -> Json {
        Json::Array(self.iter().map(T::to_json).collect())
    }
}

impl<T: FromJson> FromJson for std::collections::BTreeMap<String, T> {
    fn from_json(value: &Json) -> Option<Self> {
        let Json::Object(members) = value else {
            return None;
        };
        // One insert at a time (the last of a repeated key wins, as with serde): collecting
        // would bring a sort into the wasm.
        let mut map = Self::new();
        for (key, value) in members {
            map.insert(key.clone(), T::from_json(value)?);
        }
        Some(map)
    }
}

impl<T: ToJson + ?Sized> ToJson for &T {
    fn to_json(&self) -> Json {
        (**self).to_json()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_kind_of_value() {
        let json = Json::parse(
            r#" { "a" : [1, -20, 1.5, 3e2, 99999999999999999999], "b": {"c": null},
                  "d": true, "e": false, "f": "x\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00" } "#,
        )
        .unwrap();
        let o = json.object().unwrap();
        assert_eq!(
            o.get("a"),
            Some(&Json::Array(vec![
                Json::Int(1),
                Json::Int(-20),
                Json::Number("1.5".into()),
                Json::Number("3e2".into()),
                Json::Number("99999999999999999999".into()),
            ]))
        );
        assert_eq!(
            o.get("b").unwrap().object().unwrap().get("c"),
            Some(&Json::Null)
        );
        assert_eq!(o.field::<bool>("d"), Some(true));
        assert_eq!(o.field::<bool>("e"), Some(false));
        assert_eq!(o.field::<String>("f").unwrap(), "x\"\\/\u{8}\u{c}\n\r\té😀");
        assert_eq!(
            Json::parse("\"Abidjan, Côte d’Ivoire\"").unwrap().as_str(),
            Some("Abidjan, Côte d’Ivoire")
        );
    }

    #[test]
    fn refuses_what_is_not_json() {
        for text in [
            "",
            " ",
            "{",
            "[1,]",
            "{\"a\":1,}",
            "{\"a\" 1}",
            "{a:1}",
            "01",
            "-",
            "1.",
            "1e",
            ".5",
            "+1",
            "nul",
            "truee",
            "\"abc",
            "\"a\nb\"",
            "\"\\x\"",
            "\"\\u12\"",
            "\"\\ud83d\"",
            "\"\\ude00\"",
            "1 2",
            "[1] x",
            "'a'",
        ] {
            assert_eq!(Json::parse(text), None, "{text:?}");
        }
        let deep = "[".repeat(200) + &"]".repeat(200);
        assert_eq!(Json::parse(&deep), None);
    }

    #[test]
    fn fields_read_as_serde_derive_reads_them() {
        let json = Json::parse(r#"{"n": null, "s": "x", "i": 7}"#).unwrap();
        let o = json.object().unwrap();
        assert_eq!(o.field::<Option<String>>("missing"), Some(None));
        assert_eq!(o.field::<Option<String>>("n"), Some(None));
        assert_eq!(o.field::<String>("missing"), None);
        assert_eq!(o.field::<String>("n"), None);
        assert_eq!(o.or_default::<String>("missing"), Some(String::new()));
        assert_eq!(o.or_default::<String>("n"), None);
        assert_eq!(o.field::<String>("i"), None);
        assert_eq!(o.field::<u32>("i"), Some(7));
        assert_eq!(Json::parse("-1").and_then(|v| u32::from_json(&v)), None);
        assert_eq!(Json::parse("70000").and_then(|v| u16::from_json(&v)), None);
        assert!(Json::parse("[]").unwrap().object().is_none());
    }

    #[test]
    fn writes_compact_json_escaped_as_serde_json_does() {
        let value = Json::object_of([
            (
                "s",
                Json::Str("\"q\" \\ \n\r\t\u{8}\u{c}\u{1}\u{1f} é".into()),
            ),
            (
                "a",
                Json::Array(vec![Json::Int(-3), Json::Null, Json::Bool(true)]),
            ),
            ("o", Json::object_of([])),
        ]);
        let text = to_string(&value);
        assert_eq!(
            text,
            r#"{"s":"\"q\" \\ \n\r\t\b\f\u0001\u001f é","a":[-3,null,true],"o":{}}"#
        );
        assert_eq!(Json::parse(&text), Some(value));
    }
}
