//! The flags a vector may carry, Wycheproof style: each names the bug a failure points to.

/// One flag's note: what kind of bug a failing test with this flag reveals.
pub struct Note {
    /// The flag as written in `flags`.
    pub flag: &'static str,
    /// The class of bug; the runner derives a finding's severity from it ([`severity`]).
    pub bug_type: &'static str,
    /// What the vectors with this flag check.
    pub description: &'static str,
    /// What an implementation that fails them lets happen.
    pub effect: &'static str,
    /// The spec sections concerned.
    pub links: &'static [&'static str],
}

const SPEC: &str = "spec/SIPC-1.md";

macro_rules! notes {
    ($($flag:literal, $bug:literal, $links:expr, $desc:literal, $effect:literal;)*) => {
        /// Every flag, in the order the files list them.
        pub const NOTES: &[Note] = &[$(Note {
            flag: $flag, bug_type: $bug, description: $desc, effect: $effect, links: $links,
        }),*];
    };
}

notes! {
    "Valid", "FUNCTIONALITY", &["§4", "§8"],
    "A correctly signed, fresh envelope within every limit.",
    "Refusing it breaks genuine traffic.";
    "NonCanonicalWire", "CANONICALIZATION", &["§3", "REQ-SIG-3"],
    "A valid envelope whose wire bytes are not canonical: members reordered, whitespace, escapes.",
    "A verifier that hashes the wire bytes refuses genuine messages and invites signing-oracle workarounds.";
    "Utf16Sort", "CANONICALIZATION", &["REQ-CANON-1"],
    "Member names that sort differently by UTF-16 code units than by code points or UTF-8 bytes.",
    "Signer and verifier in different languages compute different signature bases.";
    "EscapeForm", "CANONICALIZATION", &["REQ-CANON-3"],
    "Strings whose canonical form differs from the way they were escaped.",
    "Different signature bases in different languages.";
    "NumberForm", "CANONICALIZATION", &["REQ-CANON-4", "REQ-JSON-6"],
    "Numbers whose canonical ECMAScript form differs from their literal, or that are not valid JSON numbers.",
    "Different signature bases, or numbers read differently by verifier and consumer.";
    "DuplicateKey", "PARSER_DIFFERENTIAL", &["REQ-JSON-4"],
    "An object with the same member name twice, possibly escaped differently.",
    "The verifier checks one value while the consumer acts on the other.";
    "LoneSurrogate", "PARSER_DIFFERENTIAL", &["REQ-JSON-5"],
    "A string with an escaped surrogate that is not part of a pair.",
    "Parsers disagree on the string (replacement, error or raw), so signature bases diverge.";
    "InvalidUtf8", "PARSER_DIFFERENTIAL", &["REQ-JSON-1", "REQ-JSON-2"],
    "Overlong forms, encoded surrogates, code points above U+10FFFF, truncated sequences, a BOM.",
    "Lossy decoders turn different byte strings into the same text.";
    "JsonGrammar", "PARSER_DIFFERENTIAL", &["REQ-JSON-3", "REQ-JSON-8"],
    "Text that RFC 8259 forbids: trailing data, comments, raw control characters, bad escapes.",
    "Lenient parsers accept what others refuse, or read it differently.";
    "DepthLimit", "DENIAL_OF_SERVICE", &["REQ-JSON-7", "REQ-VERIFY-4"],
    "Nesting at, above and far above the depth limit of 64.",
    "Unbounded recursion exhausts the stack of the verifier.";
    "MemberTable", "MISSING_VALIDATION", &["§4"],
    "A member of the envelope at, inside or outside a limit of the member table.",
    "Malformed messages reach the consumer.";
    "IntegerLiteral", "MISSING_VALIDATION", &["§4", "REQ-CONFIG-12"],
    "Integers written as `1.0`, `1e0`, `-0` or out of range.",
    "Values read differently in different languages (precision, sign).";
    "AbsentVsNull", "PARSER_DIFFERENTIAL", &["REQ-ENV-12"],
    "An optional member absent, or present as null: different signed content.",
    "A verifier that folds them lets an attacker add or drop members without breaking the signature.";
    "Version", "MISSING_VALIDATION", &["REQ-ENV-2"],
    "A missing, mistyped or unknown protocol version.",
    "Messages of another protocol version are read as SIPC/1.";
    "Base64", "MISSING_VALIDATION", &["§5"],
    "A payload that is not canonical base64url without padding.",
    "Several wire forms carry the same payload, or the payload is decoded leniently.";
    "MissingSig", "AUTHENTICATION_BYPASS", &["REQ-SIG-1"],
    "An envelope without a sig member.",
    "Unsigned messages are accepted.";
    "SigFormat", "AUTHENTICATION_BYPASS", &["REQ-SIG-2", "REQ-SIG-5"],
    "A sig that is not 64 lowercase hex digits: uppercase, short, long, null, not a string.",
    "Lenient decoding of the signature, or a case-insensitive or prefix comparison.";
    "ModifiedMac", "AUTHENTICATION_BYPASS", &["REQ-SIG-4", "REQ-SIG-5"],
    "A sig that differs from the right MAC in some of its digits, including only after the 16th.",
    "A comparison of a prefix, or one that stops early, accepts forgeries.";
    "TamperedContent", "AUTHENTICATION_BYPASS", &["REQ-SIG-3", "REQ-SIG-4"],
    "A genuine sig on content changed after signing: payload, kind, ts, nonce or a member.",
    "Members left out of the signature base can be changed by an attacker.";
    "WrongBase", "AUTHENTICATION_BYPASS", &["REQ-SIG-3"],
    "A sig computed over a different base: without the prefix, over wire bytes, with sig included.",
    "Signer and verifier disagree on what is signed.";
    "Expired", "STALENESS", &["REQ-TTL-1"],
    "A timestamp more than ttl_seconds in the past, and exactly at the limit.",
    "Old captured messages are accepted.";
    "FromFuture", "STALENESS", &["REQ-TTL-2"],
    "A timestamp more than ttl_seconds in the future, and exactly at the limit.",
    "A message signed with a future timestamp stays replayable for longer than the window.";
    "Replay", "REPLAY", &["REQ-REPLAY-1", "REQ-REPLAY-2"],
    "A nonce seen before, in the same or another wire form, with the same or other content.",
    "A captured message is executed twice.";
    "ForgedNonce", "REPLAY", &["REQ-REPLAY-3", "REQ-REPLAY-5"],
    "A refused envelope carrying a nonce, followed by the genuine one.",
    "An attacker who sees a nonce first can block the genuine message.";
    "CacheFull", "REPLAY", &["REQ-REPLAY-4"],
    "More live nonces than nonce_cache_size.",
    "A cache that evicts live nonces lets replays through once it is flooded.";
    "WindowEnd", "REPLAY", &["REQ-REPLAY-1", "REQ-TTL-3"],
    "The end of a nonce's window, and a clock that steps back.",
    "Nonces forgotten too early, or a stepped-back clock, re-open the replay window.";
    "Oversize", "DENIAL_OF_SERVICE", &["REQ-SIZE-1", "REQ-SIZE-2", "REQ-SIZE-3"],
    "Envelopes and payloads exactly at and one over their limits.",
    "Unbounded memory use, or work done on input that should have been refused unread.";
    "SizeBeforeDecode", "DENIAL_OF_SERVICE", &["REQ-SIZE-2", "REQ-VERIFY-1"],
    "A payload that is too long and also invalid: the size check must come first.",
    "The payload is decoded (and memory spent) before its size is checked.";
    "KindMatch", "AUTHORIZATION", &["REQ-KIND-1"],
    "Kinds that are prefixes, extensions or variants of an allowed kind.",
    "Messages of kinds the receiver never allowed are executed.";
    "VerifyOrder", "ERROR_CODE", &["REQ-VERIFY-1"],
    "Envelopes with several faults: the first step that fails decides the code.",
    "Implementations report different codes for the same input.";
    "ConfigSchema", "MISCONFIGURATION", &["§10"],
    "A config with a member missing, unknown, mistyped or out of range.",
    "A receiver runs with a config that does not mean what its author thinks.";
    "BindPolicy", "EXPOSURE", &["REQ-CONFIG-3", "REQ-CONFIG-4"],
    "A bind address other than 127.0.0.1 or ::1, or a port out of range.",
    "The listener is reachable from other hosts.";
    "WeakSecret", "MISCONFIGURATION", &["REQ-CONFIG-6"],
    "A secret shorter than 32 bytes or not plain hex.",
    "Guessable keys, or a key read differently than written.";
    "SignerOutput", "FUNCTIONALITY", &["§11"],
    "The envelope a signer emits for given fields.",
    "Messages that other verifiers refuse, or that carry other content than asked for.";
}

/// The severity of a finding whose test carries a flag of this bug type.
pub fn severity(bug_type: &str) -> &'static str {
    match bug_type {
        "AUTHENTICATION_BYPASS" | "REPLAY" | "AUTHORIZATION" | "EXPOSURE" => "critical",
        "STALENESS" | "PARSER_DIFFERENTIAL" | "CANONICALIZATION" => "high",
        "DENIAL_OF_SERVICE" | "MISSING_VALIDATION" | "MISCONFIGURATION" => "medium",
        _ => "low",
    }
}

/// The note of `flag`.
pub fn note(flag: &str) -> Option<&'static Note> {
    NOTES.iter().find(|n| n.flag == flag)
}

/// The spec document the links point into.
pub fn spec_path() -> &'static str {
    SPEC
}
