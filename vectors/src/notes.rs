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

/// A table of notes, `pub const NOTES`: flag, bug type, links, description, effect (the
/// profiles' modules use it too).
macro_rules! notes {
    ($($flag:literal, $bug:literal, $links:expr, $desc:literal, $effect:literal;)*) => {
        /// Every flag, in the order the files list them.
        pub const NOTES: &[$crate::notes::Note] = &[$($crate::notes::Note {
            flag: $flag, bug_type: $bug, description: $desc, effect: $effect, links: $links,
        }),*];
    };
}
pub(crate) use notes;

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
    "DefaultLimit", "DENIAL_OF_SERVICE", &["REQ-CONFIG-10", "REQ-SIZE-1"],
    "A config without max_envelope_bytes: the default 4*ceil(max_payload_bytes/3) + 16384 applies, exactly at and one over.",
    "A wrong default lets envelopes through at a size the config never allowed, or refuses genuine ones.";
    "SignerInput", "FUNCTIONALITY", &["REQ-SIGNER-3"],
    "Fields that section 4 refuses, given to a signer: signed as given, or refused as malformed.",
    "A signer that repairs fields (truncating, case-folding) signs other content than it was asked to.";
    "VerifyOrder", "ERROR_CODE", &["REQ-VERIFY-1"],
    "Envelopes with several faults: the first step that fails decides the code.",
    "Implementations report different codes for the same input.";
    "ConfigSchema", "MISCONFIGURATION", &["§10"],
    "A config with a member missing, unknown, mistyped or out of range.",
    "A receiver runs with a config that does not mean what its author thinks.";
    "BindPolicy", "EXPOSURE", &["REQ-CONFIG-3", "REQ-CONFIG-4"],
    "A bind address other than 127.0.0.1 or ::1, or a port out of range.",
    "The listener is reachable from other hosts.";
    "TransportMembers", "MISCONFIGURATION", &["REQ-CONFIG-2", "REQ-CONFIG-13"],
    "A member of another transport than the config names, or tls with spool.",
    "A receiver listens somewhere its author did not mean, or drops a protection (TLS) it was asked for.";
    "PathPolicy", "MISCONFIGURATION", &["REQ-CONFIG-14", "REQ-CONFIG-18"],
    "Relative paths, empty, . and .. components, a trailing slash, control characters, paths over 4095 bytes.",
    "A path resolved against the working directory, or read one way and opened another.";
    "SocketPolicy", "EXPOSURE", &["REQ-CONFIG-15", "REQ-CONFIG-16", "REQ-CONFIG-17"],
    "Socket paths and abstract names, modes that let others in, a mode given for an abstract socket, and the list of peer uids.",
    "Other local users can connect to the socket, or an abstract socket is believed protected by a file mode it does not have.";
    "PeerCredentials", "AUTHORIZATION", &["REQ-UNIX-2"],
    "A connection from a local user whose uid the config does not allow.",
    "Any local user who can reach the socket has their messages verified and acted on.";
    "MutualTls", "MISCONFIGURATION", &["REQ-CONFIG-19"],
    "A tls section that is not an object, lacks a member, has an unknown one, or names a relative path.",
    "A TLS listener that does not authenticate its clients, or loads its keys from where its author did not mean.";
    "ReplayStorePolicy", "EXPOSURE", &["REQ-CONFIG-20"],
    "A replay_store that is not exactly kind redis and a redis:// URL on 127.0.0.1 or [::1], a port and a database 0-15, without user, password, query or fragment.",
    "Replicas share their replay state with a store on another host, or carry its password in a URL that ends up in logs.";
    "WeakSecret", "MISCONFIGURATION", &["REQ-CONFIG-6"],
    "A secret shorter than 32 bytes or not plain hex.",
    "Guessable keys, or a key read differently than written.";
    "SignerOutput", "FUNCTIONALITY", &["§11"],
    "The envelope a signer emits for given fields.",
    "Messages that other verifiers refuse, or that carry other content than asked for.";
    "FrameReassembly", "FUNCTIONALITY", &["REQ-TCP-1", "REQ-TCP-3", "REQ-TCP-4"],
    "Frames split into pieces, pipelined in one write, empty, or cut off by a close (TCP profile).",
    "Genuine messages are lost or answered out of order, or a half-sent frame changes the verifier.";
    "LengthBeforeBody", "DENIAL_OF_SERVICE", &["REQ-TCP-2", "REQ-SIZE-1"],
    "A frame header announcing more than max_envelope_bytes, with no body sent.",
    "A server that reads (or waits for) the body first lets one peer pin memory and a thread with a 4-byte header.";
    "SharedReplayCache", "REPLAY", &["REQ-TCP-5", "REQ-REPLAY-2"],
    "The same envelope again on another connection of the same server.",
    "A replay cache per connection lets every replay through on a new connection.";
    "SharedReplayStore", "REPLAY", &["REQ-STORE-1", "REQ-STORE-6"],
    "The same envelope to several replicas of one receiver, one after another or at the same instant, and again after a replica restarts.",
    "Replicas that keep their own caches, or check and record in two steps, accept a replay on another replica or twice at once.";
    "StoreFailClosed", "REPLAY", &["REQ-STORE-5", "REQ-STORE-7"],
    "Valid envelopes while the shared replay store is down, then after it is back.",
    "A receiver that falls back to its own memory, or treats a missing store as empty, accepts replays the store would have refused.";
    "StoreKeyPolicy", "REPLAY", &["REQ-STORE-2", "REQ-STORE-3", "REQ-STORE-4"],
    "The keys a receiver writes to the shared store: forged envelopes, the key's name and its expiry.",
    "Raw nonces in the store tie keys to traffic; keys without expiry fill the store until it refuses every envelope; forgeries that write keys let anyone fill it.";
    "AtomicHandOff", "FUNCTIONALITY", &["REQ-SPOOL-2"],
    "An envelope under a temporary name beginning with '.', whole or still being written (spool profile).",
    "A receiver that reads names still being written verifies half an envelope, or consumes the nonce before the writer is done.";
    "NotRegularFile", "ROBUSTNESS", &["REQ-SPOOL-2", "REQ-SPOOL-3"],
    "A directory, a FIFO or a socket in the spool folder.",
    "A receiver that stops, crashes or loops on a name it cannot read stops handling genuine messages.";
    "SymlinkFollowed", "AUTHORIZATION", &["REQ-SPOOL-1", "REQ-SPOOL-3"],
    "A symbolic link in the spool folder, or as the folder itself, pointing at a file or folder elsewhere.",
    "Whoever can plant a link makes the receiver read (and remove or disclose) files it never meant to, or trust a folder others control.";
    "BlockingOpen", "DENIAL_OF_SERVICE", &["REQ-SPOOL-3"],
    "A FIFO no one writes to, dropped in the spool folder.",
    "A receiver that opens it without O_NONBLOCK waits for a writer for ever and handles nothing else.";
    "SizeAfterRead", "DENIAL_OF_SERVICE", &["REQ-SPOOL-4", "REQ-SIZE-1"],
    "A file over max_envelope_bytes: padded by one byte, or sparse and 1 TiB large.",
    "A receiver that reads before it checks the size can be made to exhaust memory or spend minutes on one file.";
    "FolderPolicy", "EXPOSURE", &["REQ-SPOOL-1"],
    "A spool folder its group or others may write to, owned by another uid, or reached through a link.",
    "Other local users drop files, replace them or plant links in the folder the receiver trusts.";
    "ClientCertificate", "AUTHENTICATION_BYPASS", &["REQ-TLS-2", "REQ-TLS-3"],
    "A TLS client with no certificate, one from another CA, an expired or not-yet-valid one, one for servers only, and one without an extended key usage.",
    "Whoever reaches the port completes the handshake without the certificate the deployment relies on; any frame it sends is verified.";
    "WildcardBind", "EXPOSURE", &["REQ-TCP-6", "REQ-TCP-7"],
    "The sockets a running server listens on, and servers started with a non-loopback or bad bind config.",
    "The listener is reachable from other hosts, whatever its config says.";
}

/// The severity of a finding whose test carries a flag of this bug type.
pub fn severity(bug_type: &str) -> &'static str {
    match bug_type {
        "AUTHENTICATION_BYPASS" | "REPLAY" | "AUTHORIZATION" | "EXPOSURE" => "critical",
        "STALENESS" | "PARSER_DIFFERENTIAL" | "CANONICALIZATION" => "high",
        "DENIAL_OF_SERVICE" | "MISSING_VALIDATION" | "MISCONFIGURATION" | "ROBUSTNESS" => "medium",
        _ => "low",
    }
}

/// The note of `flag`.
pub fn note(flag: &str) -> Option<&'static Note> {
    NOTES.iter().find(|n| n.flag == flag)
}

/// The notes of `profile`'s vectors (SIPC/1's for `sipc1` or an unknown name).
pub fn notes_of(profile: &str) -> &'static [Note] {
    match sipc_profiles::Profile::from_name(profile) {
        Some(sipc_profiles::Profile::StandardWebhooks) => crate::profiles::standard_webhooks::NOTES,
        Some(sipc_profiles::Profile::Stripe) => crate::profiles::stripe::NOTES,
        Some(sipc_profiles::Profile::Github) => crate::profiles::github::NOTES,
        Some(sipc_profiles::Profile::Slack) => crate::profiles::slack::NOTES,
        Some(
            sipc_profiles::Profile::HmacJsonInsertionOrder
            | sipc_profiles::Profile::HmacJsonSortedKeys,
        ) => crate::profiles::hmac_json::NOTES,
        None => NOTES,
    }
}

/// The note of `flag` in `profile`'s vectors.
pub fn note_for(profile: &str, flag: &str) -> Option<&'static Note> {
    notes_of(profile).iter().find(|n| n.flag == flag)
}

/// How to fix what `flag` points to, in `profile`: SIPC/1's own advice, or the profile's
/// rules the flag links to.
pub fn fix_for(profile: &str, flag: &str) -> String {
    match (
        sipc_profiles::Profile::from_name(profile),
        note_for(profile, flag),
    ) {
        (Some(p), Some(note)) => format!(
            "Apply {} of spec/profiles/{}.md to the exact input below.",
            note.links.join(", "),
            p.name()
        ),
        _ => fix(flag).to_owned(),
    }
}

/// The spec document the links point into.
pub fn spec_path() -> &'static str {
    SPEC
}

/// How to fix what a flag points to, for the findings report.
pub fn fix(flag: &str) -> &'static str {
    match flag {
        "Valid" => "Follow the verification steps of §8 exactly; accept what passes all of them.",
        "NonCanonicalWire" => "Parse the envelope, drop the top-level sig, and MAC the RFC 8785 form of the rest; never MAC the received bytes.",
        "Utf16Sort" => "Sort member names by UTF-16 code units (in Python: key=lambda k: k.encode('utf-16-be')), at every depth.",
        "EscapeForm" => "Serialize strings with exactly the RFC 8785 escapes: the seven short ones, \\u00xx for other controls, everything else raw.",
        "NumberForm" => "Format numbers as ECMAScript's Number.prototype.toString does, and refuse literals outside the RFC 8259 grammar or that overflow.",
        "DuplicateKey" => "Refuse any object with a repeated member name (compared after unescaping) while parsing; do not keep first or last.",
        "LoneSurrogate" => "Refuse \\uD800-\\uDFFF escapes unless a high one is directly followed by a low one.",
        "InvalidUtf8" => "Decode UTF-8 strictly (no replacement characters) and refuse a byte order mark.",
        "JsonGrammar" => "Use a strict RFC 8259 parser: no comments, trailing commas, raw control characters or trailing data.",
        "DepthLimit" => "Count nesting while parsing and refuse depth 65 before recursing further.",
        "MemberTable" => "Check every member against the table of §4, lengths in UTF-8 bytes of the unescaped value, and refuse unknown members.",
        "IntegerLiteral" => "Check how integers are written: 0 or -?[1-9][0-9]*, no fraction, exponent or -0.",
        "AbsentVsNull" => "Keep absent and null apart from parsing to the signature base; never fill in defaults before verifying.",
        "Version" => "Require v to be the integer literal 1; report other integers as unsupported_version.",
        "Base64" => "Decode base64url strictly: no padding or other alphabet, length not 1 mod 4, zero trailing bits.",
        "MissingSig" => "Treat an absent sig as a refusal (sig_missing), never as 'nothing to check'.",
        "SigFormat" => "Require exactly 64 lowercase hex digits before comparing.",
        "ModifiedMac" => "Compare all 32 bytes of the MAC in constant time (hmac.compare_digest, crypto.timingSafeEqual, subtle).",
        "TamperedContent" => "Put every member except the top-level sig into the signature base.",
        "WrongBase" => "Build the base as the bytes SIPC-1 LF followed by the canonical form without the top-level sig only.",
        "Expired" => "Refuse when now - ts > ttl_seconds; accept equality.",
        "FromFuture" => "Refuse when ts - now > ttl_seconds; accept equality.",
        "Replay" => "Remember each accepted nonce until now > ts + ttl_seconds and refuse it as replay meanwhile.",
        "ForgedNonce" => "Record the nonce only after every other check, the MAC included, has passed.",
        "CacheFull" => "When the cache holds nonce_cache_size live nonces, refuse new ones (replay_cache_full); never evict a live nonce.",
        "WindowEnd" => "Expire nonces by ts + ttl_seconds, and never let the verifier's clock go back (use the greatest now seen).",
        "Oversize" => "Check the raw length before parsing and the payload lengths before and after decoding, as §8 orders.",
        "SizeBeforeDecode" => "Check the encoded payload length against 4*ceil(max/3) before decoding it.",
        "KindMatch" => "Compare the kind with each allowed kind for exact byte equality.",
        "DefaultLimit" => "When max_envelope_bytes is absent, use 4*ceil(max_payload_bytes/3) + 16384 bytes, and refuse one byte more.",
        "SignerInput" => "Sign the fields exactly as given, or refuse them as malformed; never change them to make them valid.",
        "VerifyOrder" => "Run the checks of §8 in order and report the first that fails.",
        "ConfigSchema" => "Validate the config strictly at start-up: known members only, each with its type and range.",
        "BindPolicy" => "Accept only 127.0.0.1 or ::1 as bind_host, written exactly so, and ports 0-65535.",
        "TransportMembers" => "Accept only the members of the transport the config names, and refuse tls with spool.",
        "PathPolicy" => "Accept absolute paths only: non-empty components other than . and .., no control characters, at most 4095 bytes.",
        "SocketPolicy" => "Accept socket modes 0OG0 (owner 6 or 7, nothing for others), no mode for an abstract socket, and 1 to 1024 unique uids up to 4294967294.",
        "PeerCredentials" => "Read the peer's uid from the kernel (SO_PEERCRED) on accept and close the connection, unread, when it is not in allowed_peer_uids.",
        "MutualTls" => "Require tls to hold exactly cert, key and client_ca, each an absolute path.",
        "ReplayStorePolicy" => "Accept only {\"kind\":\"redis\",\"url\":\"redis://127.0.0.1:<port>[/<db>]\"} (or [::1]), plain decimal port 1-65535 and database 0-15, nothing else in the URL.",
        "WeakSecret" => "Require at least 32 bytes of hex-encoded secret, digits only.",
        "SignerOutput" => "Emit the canonical form of the whole envelope, v and sig included.",
        "FrameReassembly" => "Read exactly 4 header bytes, then exactly N body bytes, across as many reads as it takes; answer each frame in order and drop a frame cut off by a close.",
        "LengthBeforeBody" => "Compare the announced length with max_envelope_bytes as soon as the header is in; answer oversize and close without reading the body.",
        "SharedReplayCache" => "Keep one verifier, with one replay cache, for every connection of the server.",
        "WildcardBind" => "Validate the config before opening a socket, exit non-zero on error, and bind exactly the configured bind_host, never 0.0.0.0 or ::.",
        "SharedReplayStore" => "Record each nonce with one atomic SET key 1 NX EXAT ts+ttl+1 on the shared store, never a GET then a SET, never a cache of the replica's own.",
        "StoreFailClosed" => "Refuse every envelope with replay_store_unavailable while the store does not answer; never fall back to a local cache; reconnect and accept again once it answers.",
        "StoreKeyPolicy" => "Name the key sipc1:replay: + hex HMAC-SHA256(secret, 'SIPC-1 replay\\n' + nonce), give it EXAT ts+ttl+1, and send no command for an envelope refused before the replay step.",
        "AtomicHandOff" => "Ignore every name beginning with '.' and leave it in place; handle a name only once its writer has renamed it.",
        "NotRegularFile" => "Open with O_NOFOLLOW | O_NONBLOCK and fstat what was opened: leave directories alone, skip and remove anything that is not a regular file.",
        "SymlinkFollowed" => "Open names with O_NOFOLLOW and check the folder with lstat: a link is never followed, and unlink removes the link, not its target.",
        "BlockingOpen" => "Open every name with O_NONBLOCK, then fstat it before reading: a FIFO is skipped, never waited on.",
        "SizeAfterRead" => "Take the size from fstat of the opened file and refuse oversize before reading; never read more than max_envelope_bytes + 1 bytes.",
        "FolderPolicy" => "At start, lstat the folder: a directory (not a link) of the receiver's uid with mode & 022 = 0, or refuse to start.",
        "ClientCertificate" => "Require a client certificate and verify it at the handshake: chain to client_ca, valid now, clientAuth when it has an extended key usage (ssl.CERT_REQUIRED, requestCert + rejectUnauthorized, WebPkiClientVerifier).",
        _ => "See the requirement cited.",
    }
}
