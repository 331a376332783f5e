//! The two home-grown HMAC-JSON schemes, as their descriptions define them, flaws included:
//! the MAC is carried inside the JSON and computed over a re-serialization of the rest.
//!
//! - [`InsertionOrder`] (`spec/profiles/hmac-json-insertion-order.md`, REQ-HJI-*): Node,
//!   `_hmac` over `JSON.stringify` of the parsed object without it.
//! - [`SortedKeys`] (`spec/profiles/hmac-json-sorted-keys.md`, REQ-HJS-*): Python, `hmac` over
//!   `json.dumps(result, sort_keys=True)` of the parsed object without it.
//!
//! Neither has a timestamp check or a nonce; the key is the secret's UTF-8 bytes. Where the
//! language's verifier would throw (a short `_hmac` in `timingSafeEqual`, a missing `hmac` in
//! `dict.pop`, a non-string in `compare_digest`) the reference refuses with a stable code:
//! the audit (`sipc audit`) is where those throws are shown.

use crate::config::ProfileConfig;
use crate::error::Reject;
use crate::lax_json::{self, js, python, Dialect, Lax};
use crate::message::{hmac_sha256, same, Message};
use sipc_reference::hex::lower_hex;

/// The member that carries the MAC in the insertion-order scheme.
pub const INSERTION_MAC: &str = "_hmac";
/// The member that carries the MAC in the sorted-keys scheme.
pub const SORTED_MAC: &str = "hmac";
/// The member the sorted-keys signer sets to `time.time()`.
pub const SORTED_TIMESTAMP: &str = "timestamp";

/// What both schemes share: the key, the member's name, the reader and the re-serializer.
#[derive(Clone, Debug)]
struct Scheme {
    key: Vec<u8>,
    mac_member: &'static str,
    dialect: Dialect,
    reqs: Reqs,
}

#[derive(Clone, Copy, Debug)]
struct Reqs {
    body: &'static str,
    missing: &'static str,
    signature: &'static str,
}

impl Scheme {
    fn canonical(&self, rest: &Lax) -> Result<Vec<u8>, Reject> {
        match self.dialect {
            Dialect::Js => Ok(js::stringify(rest)),
            Dialect::Python => python::dumps_sorted(rest).map_err(|_| Reject::MalformedBody {
                req: self.reqs.body,
            }),
        }
    }

    fn text(&self, body: &[u8]) -> Result<Vec<char>, Reject> {
        match self.dialect {
            // `fs.readFileSync(path, 'utf8')`: invalid sequences become U+FFFD.
            Dialect::Js => Ok(String::from_utf8_lossy(body).chars().collect()),
            // `body.decode("utf-8")`: strict.
            Dialect::Python => std::str::from_utf8(body)
                .map(|s| s.chars().collect())
                .map_err(|_| Reject::MalformedBody {
                    req: self.reqs.body,
                }),
        }
    }

    /// The MAC of `rest` (the object without its MAC member), lowercase hex.
    fn mac(&self, rest: &Lax) -> Result<String, Reject> {
        Ok(lower_hex(&hmac_sha256(
            &self.key,
            &[&self.canonical(rest)?],
        )))
    }

    fn verify(&self, body: &[u8]) -> Result<Lax, Reject> {
        let malformed = || Reject::MalformedBody {
            req: self.reqs.body,
        };
        let text = self.text(body)?;
        let Lax::Object(members) = lax_json::parse(&text, self.dialect).map_err(|_| malformed())?
        else {
            return Err(malformed());
        };
        let received = lax_json::member(&members, self.mac_member).cloned();
        let name = lax_json::points(self.mac_member);
        let rest = Lax::Object(members.into_iter().filter(|(n, _)| *n != name).collect());
        let received = match received {
            None => {
                return Err(Reject::NoSignature {
                    req: self.reqs.missing,
                })
            }
            Some(Lax::Str(points)) if points.is_empty() && self.dialect == Dialect::Js => {
                return Err(Reject::NoSignature {
                    req: self.reqs.missing,
                })
            }
            Some(Lax::Str(points)) => lax_json::lossy(&points),
            Some(_) => {
                return Err(Reject::BadSignature {
                    req: self.reqs.signature,
                })
            }
        };
        let expected = self.mac(&rest)?;
        if !same(expected.as_bytes(), received.as_bytes()) {
            return Err(Reject::BadSignature {
                req: self.reqs.signature,
            });
        }
        Ok(rest)
    }
}

fn key_of(config: &ProfileConfig) -> Vec<u8> {
    config.secret.as_bytes().to_vec()
}

/// The insertion-order scheme (Node).
#[derive(Clone, Debug)]
pub struct InsertionOrder(Scheme);

impl InsertionOrder {
    /// The key is the secret's UTF-8 bytes: `createHmac('sha256', secret)` with a string
    /// (REQ-HJI-1).
    pub fn new(config: &ProfileConfig) -> InsertionOrder {
        InsertionOrder(Scheme {
            key: key_of(config),
            mac_member: INSERTION_MAC,
            dialect: Dialect::Js,
            reqs: Reqs {
                body: "REQ-HJI-3",
                missing: "REQ-HJI-4",
                signature: "REQ-HJI-5",
            },
        })
    }

    /// Verifies a file's bytes (REQ-HJI-3 … REQ-HJI-5); the message's headers are ignored and
    /// there is no clock.
    pub fn verify(&self, message: &Message) -> Result<(), Reject> {
        self.0.verify(&message.body).map(|_| ())
    }

    /// The `_hmac` of a payload: HMAC of `JSON.stringify(payload)` (REQ-HJI-2).
    pub fn mac(&self, payload: &Lax) -> Result<String, Reject> {
        self.0.mac(payload)
    }

    /// The file a signer writes: `JSON.stringify({...payload, _hmac: h})` (REQ-HJI-2); `None`
    /// when `payload` is not an object.
    pub fn sign(&self, payload: &Lax) -> Option<Vec<u8>> {
        let Lax::Object(members) = payload else {
            return None;
        };
        let h = self.mac(payload).ok()?;
        let mut all = members.clone();
        all.push((
            lax_json::points(INSERTION_MAC),
            Lax::Str(lax_json::points(&h)),
        ));
        Some(js::stringify(&Lax::Object(all)))
    }
}

/// The sorted-keys scheme (Python).
#[derive(Clone, Debug)]
pub struct SortedKeys(Scheme);

impl SortedKeys {
    /// The key is the secret's UTF-8 bytes (REQ-HJS-1).
    pub fn new(config: &ProfileConfig) -> SortedKeys {
        SortedKeys(Scheme {
            key: key_of(config),
            mac_member: SORTED_MAC,
            dialect: Dialect::Python,
            reqs: Reqs {
                body: "REQ-HJS-3",
                missing: "REQ-HJS-4",
                signature: "REQ-HJS-4",
            },
        })
    }

    /// Verifies a message body (REQ-HJS-3, REQ-HJS-4); headers are ignored, and so is the
    /// clock: the scheme never reads its timestamp.
    pub fn verify(&self, message: &Message) -> Result<(), Reject> {
        self.0.verify(&message.body).map(|_| ())
    }

    /// The `hmac` of a result: HMAC of `json.dumps(result, sort_keys=True)` (REQ-HJS-2).
    pub fn mac(&self, result: &Lax) -> Result<String, Reject> {
        self.0.mac(result)
    }

    /// What a signer sends (REQ-HJS-2): `result` with `timestamp` set to the float
    /// `timestamp` (its `repr`), then `hmac`, written by `json.dumps(result)` with the
    /// defaults (insertion order, `", "` and `": "`, `ensure_ascii`). `None` when `result`
    /// is not an object or a number in it is over CPython's digit limit.
    pub fn sign(&self, result: &Lax, timestamp: f64) -> Option<Vec<u8>> {
        let Lax::Object(members) = result else {
            return None;
        };
        let stamp = Lax::Number(python::float_repr(timestamp));
        let mut dict: Vec<(Vec<u32>, Lax)> = lax_json::merged(members)
            .into_iter()
            .map(|(n, v)| (n.to_vec(), v.clone()))
            .collect();
        set(&mut dict, SORTED_TIMESTAMP, stamp);
        let h = self.mac(&Lax::Object(dict.clone())).ok()?;
        set(&mut dict, SORTED_MAC, Lax::Str(lax_json::points(&h)));
        python::dumps(&Lax::Object(dict)).ok()
    }
}

/// `dict[name] = value`: in place if present, else last.
fn set(dict: &mut Vec<(Vec<u32>, Lax)>, name: &str, value: Lax) {
    let name = lax_json::points(name);
    match dict.iter_mut().find(|(n, _)| *n == name) {
        Some(slot) => slot.1 = value,
        None => dict.push((name, value)),
    }
}
