"""Standard Webhooks, Stripe, GitHub and Slack signatures, strictly
(spec/profiles/{standard-webhooks,stripe,github,slack}.md), with the application layer apart.
Standard library only.

    verifier = make_verifier("standard-webhooks", {"secret": "whsec_...", "tolerance_seconds": 300})
    verifier.verify([("webhook-id", "msg_1"), ...], body_bytes, now)   # raises Reject
"""

import base64
import hashlib
import hmac
import json
import re

MAX_TIMESTAMP = (1 << 53) - 1
DEFAULT_TOLERANCE = 300
MAX_TOLERANCE = 7 * 24 * 3600
DEFAULT_MAX_BODY = 1 << 20
DEFAULT_MAX_IDS = 100_000
MAX_MAX_IDS = 10_000_000
SW_PREFIX = "whsec_"
SW_MIN_KEY, SW_MAX_KEY = 24, 64
TIMESTAMP = re.compile(r"(?:0|[1-9][0-9]{0,15})\Z")


class Reject(Exception):
    """A refusal with the profile's stable code (and the config field of config_invalid)."""

    def __init__(self, code, field=None):
        super().__init__(code if field is None else "%s: %s" % (code, field))
        self.code = code
        self.field = field


def _uint(config, name, default, maximum, field):
    if name not in config:
        return default
    value = config[name]
    if type(value) is not int or value < 0 or value > maximum:
        raise Reject("config_invalid", field)
    return value


class Config:
    """`{"secret", "tolerance_seconds", "application": {"max_body_bytes", "max_ids"}}`."""

    def __init__(self, config):
        if not isinstance(config, dict):
            raise Reject("config_invalid", "config")
        for name in config:
            if name not in ("secret", "tolerance_seconds", "application"):
                raise Reject("config_invalid", name)
        secret = config.get("secret")
        if not isinstance(secret, str) or secret == "":
            raise Reject("config_invalid", "secret")
        self.secret = secret
        self.tolerance = _uint(config, "tolerance_seconds", DEFAULT_TOLERANCE, MAX_TOLERANCE, "tolerance_seconds")
        app = config.get("application", {})
        if not isinstance(app, dict) or any(n not in ("max_body_bytes", "max_ids") for n in app):
            raise Reject("config_invalid", "application")
        self.max_body = _uint(app, "max_body_bytes", DEFAULT_MAX_BODY, 1 << 64, "application.max_body_bytes")
        self.max_ids = _uint(app, "max_ids", DEFAULT_MAX_IDS, MAX_MAX_IDS, "application.max_ids")
        if self.max_ids == 0:
            raise Reject("config_invalid", "application.max_ids")


def _ascii_lower(text):
    return text.encode("utf-8", "surrogatepass").lower()


def single(headers, name):
    """The one value of header `name` (ASCII case-insensitive)."""
    key = name.encode("ascii")
    values = [v for n, v in headers if _ascii_lower(n) == key]
    if not values or (len(values) == 1 and values[0] == ""):
        raise Reject("missing_header")
    if len(values) > 1:
        raise Reject("duplicate_header")
    return values[0]


def parse_timestamp(text):
    """Canonical decimal, no sign, no leading zero, at most 2^53 - 1."""
    if not TIMESTAMP.match(text):
        raise Reject("malformed_timestamp")
    value = int(text)
    if value > MAX_TIMESTAMP:
        raise Reject("malformed_timestamp")
    return value


def check_window(ts, now, tolerance):
    if now - ts > tolerance:
        raise Reject("expired")
    if ts - now > tolerance:
        raise Reject("future")


def _encode(text):
    return text.encode("utf-8", "surrogatepass")


def any_match(expected, candidates):
    """Compares every candidate in constant time; true if one matches."""
    matched = False
    for c in candidates:
        matched |= hmac.compare_digest(expected, _encode(c))
    return matched


class StandardWebhooks:
    name = "standard-webhooks"

    def __init__(self, config):
        self.tolerance = config.tolerance
        secret = config.secret
        if not secret.startswith(SW_PREFIX):
            raise Reject("config_invalid", "secret")
        encoded = secret[len(SW_PREFIX):]
        try:
            key = base64.b64decode(encoded.encode("ascii"), validate=True)
        except (ValueError, UnicodeEncodeError):
            raise Reject("config_invalid", "secret")
        if base64.b64encode(key).decode("ascii") != encoded or not SW_MIN_KEY <= len(key) <= SW_MAX_KEY:
            raise Reject("config_invalid", "secret")
        self.key = key

    def signature(self, msg_id, timestamp, body):
        content = _encode(msg_id) + b"." + _encode(timestamp) + b"." + body
        return base64.b64encode(hmac.new(self.key, content, hashlib.sha256).digest())

    def sign(self, msg_id, timestamp, body):
        return [
            ["webhook-id", msg_id],
            ["webhook-timestamp", timestamp],
            ["webhook-signature", "v1," + self.signature(msg_id, timestamp, body).decode("ascii")],
        ]

    def verify(self, headers, body, now):
        """Returns (id, timestamp) of an authentic message; raises Reject."""
        msg_id = single(headers, "webhook-id")
        timestamp = single(headers, "webhook-timestamp")
        signatures = single(headers, "webhook-signature")
        if "." in msg_id:
            raise Reject("malformed_header")
        ts = parse_timestamp(timestamp)
        candidates = []
        for entry in signatures.split(" "):
            version, comma, signature = entry.partition(",")
            if not comma or not version:
                raise Reject("malformed_header")
            if version == "v1":
                candidates.append(signature)
        if not candidates:
            raise Reject("no_signature")
        if not any_match(self.signature(msg_id, timestamp, body), candidates):
            raise Reject("bad_signature")
        check_window(ts, now, self.tolerance)
        return msg_id, ts


class Stripe:
    name = "stripe"

    def __init__(self, config):
        if config.secret.strip() != config.secret:
            raise Reject("config_invalid", "secret")
        self.secret = config.secret
        self.tolerance = config.tolerance

    def signature(self, timestamp, body):
        content = _encode(timestamp) + b"." + body
        return hmac.new(_encode(self.secret), content, hashlib.sha256).hexdigest().encode("ascii")

    def sign(self, msg_id, timestamp, body):
        return [["Stripe-Signature", "t=%s,v1=%s" % (timestamp, self.signature(timestamp, body).decode("ascii"))]]

    def verify(self, headers, body, now):
        """Returns (None, timestamp) of an authentic event; raises Reject."""
        header = single(headers, "stripe-signature")
        timestamp = None
        candidates = []
        for item in header.split(","):
            key, eq, value = item.partition("=")
            if not eq or not key:
                raise Reject("malformed_header")
            if key == "t":
                if timestamp is not None:
                    raise Reject("malformed_header")
                timestamp = value
            elif key == "v1":
                candidates.append(value)
        if timestamp is None:
            raise Reject("malformed_header")
        ts = parse_timestamp(timestamp)
        if not candidates:
            raise Reject("no_signature")
        if not any_match(self.signature(timestamp, body), candidates):
            raise Reject("bad_signature")
        check_window(ts, now, self.tolerance)
        return None, ts


class Github:
    """X-Hub-Signature-256: sha256=<hex> over the raw body (spec/profiles/github.md)."""

    name = "github"

    def __init__(self, config):
        self.secret = _encode(config.secret)
        self.tolerance = 0

    def signature(self, body):
        return hmac.new(self.secret, body, hashlib.sha256).hexdigest().encode("ascii")

    def sign(self, msg_id, timestamp, body):
        return [["X-Hub-Signature-256", "sha256=" + self.signature(body).decode("ascii")]]

    def verify(self, headers, body, now):
        value = single(headers, "x-hub-signature-256")
        if not value.startswith("sha256="):
            raise Reject("malformed_header")
        if not any_match(self.signature(body), [value[len("sha256="):]]):
            raise Reject("bad_signature")
        return None, None


class Slack:
    """X-Slack-Signature: v0=<hex> over v0:{timestamp}:{body}, five minutes either way
    (spec/profiles/slack.md)."""

    name = "slack"

    def __init__(self, config):
        self.secret = _encode(config.secret)
        self.tolerance = config.tolerance

    def signature(self, timestamp, body):
        content = b"v0:" + _encode(timestamp) + b":" + body
        return hmac.new(self.secret, content, hashlib.sha256).hexdigest().encode("ascii")

    def sign(self, msg_id, timestamp, body):
        return [
            ["X-Slack-Request-Timestamp", timestamp],
            ["X-Slack-Signature", "v0=" + self.signature(timestamp, body).decode("ascii")],
        ]

    def verify(self, headers, body, now):
        timestamp = single(headers, "x-slack-request-timestamp")
        value = single(headers, "x-slack-signature")
        ts = parse_timestamp(timestamp)
        if not value.startswith("v0="):
            raise Reject("malformed_header")
        if not any_match(self.signature(timestamp, body), [value[len("v0="):]]):
            raise Reject("bad_signature")
        check_window(ts, now, self.tolerance)
        return None, ts


PROFILES = {"standard-webhooks": StandardWebhooks, "stripe": Stripe, "github": Github, "slack": Slack}
APPLICATION_PROFILES = ("standard-webhooks", "stripe")


def make_verifier(profile, config):
    return PROFILES[profile](Config(config))


def _no_duplicates(pairs):
    names = [n for n, _ in pairs]
    if len(set(names)) != len(names):
        raise ValueError("duplicate member")
    return dict(pairs)


def event_id(body):
    """The string `id` of a JSON object body (a Stripe event), else None."""
    try:
        value = json.loads(body.decode("utf-8"), object_pairs_hook=_no_duplicates)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        return value["id"]
    return None


class Application:
    """A receiver: a body limit first, then the verifier, then each authenticated id once while
    its timestamp is inside the window (REQ-SW-APP-*, REQ-STRIPE-APP-*)."""

    def __init__(self, profile, config):
        parsed = Config(config)
        if profile not in APPLICATION_PROFILES:
            raise Reject("config_invalid", "application")
        self.verifier = PROFILES[profile](parsed)
        self.max_body = parsed.max_body
        self.max_ids = parsed.max_ids
        self.seen = {}

    def receive(self, headers, body, now):
        if len(body) > self.max_body:
            raise Reject("oversize")
        msg_id, ts = self.verifier.verify(headers, body, now)
        if msg_id is None:
            msg_id = event_id(body)
            if msg_id is None:
                raise Reject("malformed_body")
        self.seen = {k: last for k, last in self.seen.items() if last >= now}
        if msg_id in self.seen:
            raise Reject("replay")
        if len(self.seen) >= self.max_ids:
            raise Reject("cache_full")
        self.seen[msg_id] = ts + self.verifier.tolerance
