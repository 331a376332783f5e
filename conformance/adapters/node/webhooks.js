'use strict';
// Standard Webhooks, Stripe, GitHub and Slack signatures, strictly
// (spec/profiles/{standard-webhooks,stripe,github,slack}.md), with the application layer
// apart. No dependencies.

const crypto = require('crypto');

const MAX_TIMESTAMP = 9007199254740991n; // 2^53 - 1
const DEFAULT_TOLERANCE = 300;
const MAX_TOLERANCE = 7 * 24 * 3600;
const DEFAULT_MAX_BODY = 1 << 20;
const DEFAULT_MAX_IDS = 100000;
const MAX_MAX_IDS = 10000000;
const SW_PREFIX = 'whsec_';
const SW_MIN_KEY = 24;
const SW_MAX_KEY = 64;
const TIMESTAMP = /^(?:0|[1-9][0-9]{0,15})$/;

class Reject extends Error {
  constructor(code, field) {
    super(field === undefined ? code : `${code}: ${field}`);
    this.code = code;
    this.field = field;
  }
}

function isObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function uint(obj, name, dflt, max, field) {
  if (!Object.prototype.hasOwnProperty.call(obj, name)) return dflt;
  const v = obj[name];
  if (!Number.isSafeInteger(v) || v < 0 || v > max) throw new Reject('config_invalid', field);
  return v;
}

// `{"secret", "tolerance_seconds", "application": {"max_body_bytes", "max_ids"}}`.
class Config {
  constructor(config) {
    if (!isObject(config)) throw new Reject('config_invalid', 'config');
    for (const name of Object.keys(config)) {
      if (!['secret', 'tolerance_seconds', 'application'].includes(name)) throw new Reject('config_invalid', name);
    }
    if (typeof config.secret !== 'string' || config.secret === '') throw new Reject('config_invalid', 'secret');
    this.secret = config.secret;
    this.tolerance = uint(config, 'tolerance_seconds', DEFAULT_TOLERANCE, MAX_TOLERANCE, 'tolerance_seconds');
    const app = config.application === undefined ? {} : config.application;
    if (!isObject(app) || Object.keys(app).some((n) => n !== 'max_body_bytes' && n !== 'max_ids')) {
      throw new Reject('config_invalid', 'application');
    }
    this.maxBody = uint(app, 'max_body_bytes', DEFAULT_MAX_BODY, Number.MAX_SAFE_INTEGER, 'application.max_body_bytes');
    this.maxIds = uint(app, 'max_ids', DEFAULT_MAX_IDS, MAX_MAX_IDS, 'application.max_ids');
    if (this.maxIds === 0) throw new Reject('config_invalid', 'application.max_ids');
  }
}

const asciiLower = (s) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

// The one value of header `name` (ASCII case-insensitive).
function single(headers, name) {
  const values = headers.filter(([n]) => asciiLower(n) === name).map(([, v]) => v);
  if (values.length === 0 || (values.length === 1 && values[0] === '')) throw new Reject('missing_header');
  if (values.length > 1) throw new Reject('duplicate_header');
  return values[0];
}

// Canonical decimal, no sign, no leading zero, at most 2^53 - 1.
function parseTimestamp(text) {
  if (!TIMESTAMP.test(text) || BigInt(text) > MAX_TIMESTAMP) throw new Reject('malformed_timestamp');
  return Number(text);
}

function checkWindow(ts, now, tolerance) {
  if (now - ts > tolerance) throw new Reject('expired');
  if (ts - now > tolerance) throw new Reject('future');
}

// Every candidate compared in constant time; true if one matches.
function anyMatch(expected, candidates) {
  let matched = false;
  for (const c of candidates) {
    const given = Buffer.from(c, 'utf8');
    matched = (given.length === expected.length && crypto.timingSafeEqual(given, expected)) || matched;
  }
  return matched;
}

const utf8 = (s) => Buffer.from(s, 'utf8');

class StandardWebhooks {
  constructor(config) {
    this.tolerance = config.tolerance;
    if (!config.secret.startsWith(SW_PREFIX)) throw new Reject('config_invalid', 'secret');
    const encoded = config.secret.slice(SW_PREFIX.length);
    const key = Buffer.from(encoded, 'base64');
    // Buffer's decoder skips what it does not know: re-encoding must give the text back.
    if (key.toString('base64') !== encoded || key.length < SW_MIN_KEY || key.length > SW_MAX_KEY) {
      throw new Reject('config_invalid', 'secret');
    }
    this.key = key;
  }

  signature(id, timestamp, body) {
    const content = Buffer.concat([utf8(id), utf8('.'), utf8(timestamp), utf8('.'), body]);
    return utf8(crypto.createHmac('sha256', this.key).update(content).digest('base64'));
  }

  sign(id, timestamp, body) {
    return [
      ['webhook-id', id],
      ['webhook-timestamp', timestamp],
      ['webhook-signature', `v1,${this.signature(id, timestamp, body).toString('utf8')}`],
    ];
  }

  // Returns [id, timestamp] of an authentic message; throws Reject.
  verify(headers, body, now) {
    const id = single(headers, 'webhook-id');
    const timestamp = single(headers, 'webhook-timestamp');
    const signatures = single(headers, 'webhook-signature');
    if (id.includes('.')) throw new Reject('malformed_header');
    const ts = parseTimestamp(timestamp);
    const candidates = [];
    for (const entry of signatures.split(' ')) {
      const comma = entry.indexOf(',');
      if (comma <= 0) throw new Reject('malformed_header');
      if (entry.slice(0, comma) === 'v1') candidates.push(entry.slice(comma + 1));
    }
    if (candidates.length === 0) throw new Reject('no_signature');
    if (!anyMatch(this.signature(id, timestamp, body), candidates)) throw new Reject('bad_signature');
    checkWindow(ts, now, this.tolerance);
    return [id, ts];
  }
}

class Stripe {
  constructor(config) {
    if (config.secret.trim() !== config.secret) throw new Reject('config_invalid', 'secret');
    this.secret = config.secret;
    this.tolerance = config.tolerance;
  }

  signature(timestamp, body) {
    const content = Buffer.concat([utf8(timestamp), utf8('.'), body]);
    return utf8(crypto.createHmac('sha256', utf8(this.secret)).update(content).digest('hex'));
  }

  sign(id, timestamp, body) {
    return [['Stripe-Signature', `t=${timestamp},v1=${this.signature(timestamp, body).toString('utf8')}`]];
  }

  // Returns [null, timestamp] of an authentic event; throws Reject.
  verify(headers, body, now) {
    const header = single(headers, 'stripe-signature');
    let timestamp;
    const candidates = [];
    for (const item of header.split(',')) {
      const eq = item.indexOf('=');
      if (eq <= 0) throw new Reject('malformed_header');
      const key = item.slice(0, eq);
      const value = item.slice(eq + 1);
      if (key === 't') {
        if (timestamp !== undefined) throw new Reject('malformed_header');
        timestamp = value;
      } else if (key === 'v1') {
        candidates.push(value);
      }
    }
    if (timestamp === undefined) throw new Reject('malformed_header');
    const ts = parseTimestamp(timestamp);
    if (candidates.length === 0) throw new Reject('no_signature');
    if (!anyMatch(this.signature(timestamp, body), candidates)) throw new Reject('bad_signature');
    checkWindow(ts, now, this.tolerance);
    return [null, ts];
  }
}

// X-Hub-Signature-256: sha256=<hex> over the raw body (spec/profiles/github.md).
class Github {
  constructor(config) {
    this.secret = utf8(config.secret);
    this.tolerance = 0;
  }

  signature(body) {
    return utf8(crypto.createHmac('sha256', this.secret).update(body).digest('hex'));
  }

  sign(id, timestamp, body) {
    return [['X-Hub-Signature-256', `sha256=${this.signature(body).toString('utf8')}`]];
  }

  verify(headers, body) {
    const value = single(headers, 'x-hub-signature-256');
    if (!value.startsWith('sha256=')) throw new Reject('malformed_header');
    if (!anyMatch(this.signature(body), [value.slice('sha256='.length)])) throw new Reject('bad_signature');
    return [null, null];
  }
}

// X-Slack-Signature: v0=<hex> over v0:{timestamp}:{body}, five minutes either way
// (spec/profiles/slack.md).
class Slack {
  constructor(config) {
    this.secret = utf8(config.secret);
    this.tolerance = config.tolerance;
  }

  signature(timestamp, body) {
    const content = Buffer.concat([utf8(`v0:${timestamp}:`), body]);
    return utf8(crypto.createHmac('sha256', this.secret).update(content).digest('hex'));
  }

  sign(id, timestamp, body) {
    return [
      ['X-Slack-Request-Timestamp', timestamp],
      ['X-Slack-Signature', `v0=${this.signature(timestamp, body).toString('utf8')}`],
    ];
  }

  verify(headers, body, now) {
    const timestamp = single(headers, 'x-slack-request-timestamp');
    const value = single(headers, 'x-slack-signature');
    const ts = parseTimestamp(timestamp);
    if (!value.startsWith('v0=')) throw new Reject('malformed_header');
    if (!anyMatch(this.signature(timestamp, body), [value.slice('v0='.length)])) throw new Reject('bad_signature');
    checkWindow(ts, now, this.tolerance);
    return [null, ts];
  }
}

const PROFILES = new Map([
  ['standard-webhooks', StandardWebhooks],
  ['stripe', Stripe],
  ['github', Github],
  ['slack', Slack],
]);
const APPLICATION_PROFILES = new Set(['standard-webhooks', 'stripe']);

function makeVerifier(profile, config) {
  const Profile = PROFILES.get(profile);
  return new Profile(new Config(config));
}

// The string `id` of a JSON object body (a Stripe event), else null.
function eventId(body) {
  try {
    const value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
    return isObject(value) && typeof value.id === 'string' ? value.id : null;
  } catch (e) {
    return null;
  }
}

// A receiver: a body limit first, then the verifier, then each authenticated id once while its
// timestamp is inside the window (REQ-SW-APP-*, REQ-STRIPE-APP-*).
class Application {
  constructor(profile, config) {
    const parsed = new Config(config);
    if (!APPLICATION_PROFILES.has(profile)) throw new Reject('config_invalid', 'application');
    this.verifier = new (PROFILES.get(profile))(parsed);
    this.maxBody = parsed.maxBody;
    this.maxIds = parsed.maxIds;
    this.seen = new Map();
  }

  receive(headers, body, now) {
    if (body.length > this.maxBody) throw new Reject('oversize');
    let [id, ts] = this.verifier.verify(headers, body, now);
    if (id === null) {
      id = eventId(body);
      if (id === null) throw new Reject('malformed_body');
    }
    for (const [k, last] of this.seen) if (last < now) this.seen.delete(k);
    if (this.seen.has(id)) throw new Reject('replay');
    if (this.seen.size >= this.maxIds) throw new Reject('cache_full');
    this.seen.set(id, ts + this.verifier.tolerance);
  }
}

module.exports = { Reject, Config, StandardWebhooks, Stripe, Github, Slack, PROFILES, makeVerifier, Application };
