//! Deserializing records that keep the fields they do not know (written by a newer Keyward) in
//! an `unknown` map, in one pass.
//!
//! serde's `#[serde(flatten)]` would do the same by first buffering every field of the record,
//! secrets included, in untyped copies that are never wiped, and it is several times slower.
//! Serializing with `flatten` has neither problem, so `Serialize` stays derived.

/// `deserialize_keeping_unknown!(Type, times: [t], required: [a, b], optional: [c, d])`
/// implements `Deserialize` for `Type`, whose fields are `t, a, b, c, d` and
/// `unknown: serde_json::Map`. `times` are required `DateTime<Utc>` fields, read by
/// [`crate::timestamp`]; optional fields take their `Default` when absent. `local: [f]` names
/// fields that are never in the file (`#[serde(skip)]`): they start at their `Default`.
macro_rules! deserialize_keeping_unknown {
    ($ty:ident, times: [$($time:ident),* $(,)?], required: [$($req:ident),* $(,)?], optional: [$($opt:ident),* $(,)?]) => {
        crate::unknown_fields::deserialize_keeping_unknown!(
            $ty, times: [$($time),*], required: [$($req),*], optional: [$($opt),*], local: []
        );
    };
    ($ty:ident, times: [$($time:ident),* $(,)?], required: [$($req:ident),* $(,)?], optional: [$($opt:ident),* $(,)?], local: [$($local:ident),* $(,)?]) => {
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #[allow(non_camel_case_types)]
                enum Key {
                    $($time,)*
                    $($req,)*
                    $($opt,)*
                    Unknown(String),
                }

                struct KeyVisitor;
                impl serde::de::Visitor<'_> for KeyVisitor {
                    type Value = Key;
                    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                        f.write_str("a field name")
                    }
                    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Key, E> {
                        Ok(match v {
                            $(stringify!($time) => Key::$time,)*
                            $(stringify!($req) => Key::$req,)*
                            $(stringify!($opt) => Key::$opt,)*
                            _ => Key::Unknown(v.to_owned()),
                        })
                    }
                }

                impl<'de> serde::Deserialize<'de> for Key {
                    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                        d.deserialize_identifier(KeyVisitor)
                    }
                }

                struct RecordVisitor;
                impl<'de> serde::de::Visitor<'de> for RecordVisitor {
                    type Value = $ty;
                    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                        f.write_str(concat!("a ", stringify!($ty), " object"))
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<$ty, A::Error> {
                        $(let mut $time = None;)*
                        $(let mut $req = None;)*
                        $(let mut $opt = None;)*
                        let mut unknown = serde_json::Map::new();
                        while let Some(key) = map.next_key::<Key>()? {
                            match key {
                                $(Key::$time => $time = Some(map.next_value::<crate::timestamp::Timestamp>()?.0),)*
                                $(Key::$req => $req = Some(map.next_value()?),)*
                                $(Key::$opt => $opt = Some(map.next_value()?),)*
                                Key::Unknown(name) => {
                                    let value = map.next_value()?;
                                    unknown.insert(name, value);
                                }
                            }
                        }
                        Ok($ty {
                            $($time: $time.ok_or_else(|| serde::de::Error::missing_field(stringify!($time)))?,)*
                            $($req: $req.ok_or_else(|| serde::de::Error::missing_field(stringify!($req)))?,)*
                            $($opt: $opt.unwrap_or_default(),)*
                            $($local: Default::default(),)*
                            unknown,
                        })
                    }
                }

                deserializer.deserialize_map(RecordVisitor)
            }
        }
    };
}

pub(crate) use deserialize_keeping_unknown;
