'use strict';
// The SIPC/1 spool profile (spec/SIPC-1.md section 14) for sipc1.js, run by sipc_server.js.
//
// The folder is checked once, without following a link (REQ-SPOOL-1), then polled. Each name
// is opened with O_NOFOLLOW | O_NONBLOCK and judged from fstat of what was opened
// (REQ-SPOOL-3): a link, FIFO, socket or device is skipped unread, a regular file over
// max_envelope_bytes is refused from its size (REQ-SPOOL-4), any other is verified by the one
// verifier (REQ-SPOOL-5); then the name is removed and one JSON line printed (REQ-SPOOL-6).
// Names beginning with "." and directories are left alone (REQ-SPOOL-2). Node has no openat:
// names are opened by path inside the folder, which only its owner can change (REQ-SPOOL-1).

const fs = require('fs');
const impl = require('./sipc1');

const POLL_MS = 20;
const MAX_NAMES_PER_LOOK = 1024;
const SKIP = { verdict: 'skip', reason: 'not_regular_file' };
const { O_RDONLY, O_NOFOLLOW, O_NONBLOCK } = fs.constants;

// REQ-SPOOL-1: the folder itself (lstat) is a directory of our euid, closed to writes by group
// and others; throws saying why not.
function checkDir(dir) {
  const st = fs.lstatSync(dir);
  if (st.isSymbolicLink()) throw new Error(`${dir} is a symbolic link, not a folder`);
  if (!st.isDirectory()) throw new Error(`${dir} is not a folder`);
  if (st.uid !== process.geteuid()) {
    throw new Error(`${dir} belongs to uid ${st.uid}, not to this receiver's uid ${process.geteuid()}`);
  }
  if (st.mode & 0o022) {
    throw new Error(`${dir} has mode ${(st.mode & 0o7777).toString(8).padStart(4, '0')}: others than its owner may write to it`);
  }
}

// The names to handle now, as bytes (a name need not be UTF-8), in byte order: none beginning
// with "." (REQ-SPOOL-2).
function names(dir) {
  const found = fs.readdirSync(dir, { encoding: 'buffer' }).filter((n) => n[0] !== 0x2e);
  found.sort(Buffer.compare);
  return found.slice(0, MAX_NAMES_PER_LOOK);
}

// The path of `name` (bytes) in `dir`.
function inDir(dir, name) {
  return Buffer.concat([Buffer.from(`${dir}/`), name]);
}

// At most limit + 1 bytes (REQ-SPOOL-4).
function readBounded(fd, limit) {
  const buf = Buffer.alloc(limit + 1);
  let have = 0;
  while (have < buf.length) {
    const n = fs.readSync(fd, buf, have, buf.length - have, null);
    if (n === 0) break;
    have += n;
  }
  return buf.subarray(0, have);
}

// The answer (or skip) for one name; null for a directory or a name already gone.
function handle(dir, name, verdictOf, limit) {
  let fd;
  try {
    fd = fs.openSync(inDir(dir, name), O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  } catch (e) {
    return e.code === 'ELOOP' || e.code === 'ENXIO' ? SKIP : null;
  }
  try {
    const st = fs.fstatSync(fd);
    if (st.isDirectory()) return null;
    if (!st.isFile()) return SKIP;
    if (st.size > limit) return { verdict: 'reject', error: 'oversize' };
    const envelope = readBounded(fd, limit);
    if (envelope.length > limit) return { verdict: 'reject', error: 'oversize' };
    return verdictOf(envelope);
  } catch (e) {
    return SKIP;
  } finally {
    fs.closeSync(fd);
  }
}

// One stdout line: the file's name and its answer (REQ-SPOOL-6).
function report(name, answer) {
  const members = answer instanceof Map ? [...answer] : Object.entries(answer);
  const line = impl.serialize(new Map([['file', name], ...members]));
  process.stdout.write(Buffer.concat([line, Buffer.from('\n')]));
}

// Polls the folder for ever; each handled name is removed, then reported. verdictOf may
// return a promise (a shared replay store): each name waits for its verdict.
function serve(dir, verdictOf, limit) {
  const look = async () => {
    for (const name of names(dir)) {
      const answer = await handle(dir, name, verdictOf, limit);
      if (answer === null) continue;
      try {
        fs.unlinkSync(inDir(dir, name));
      } catch (e) {
        if (e.code !== 'ENOENT') throw e;
      }
      report(name.toString(), answer);
    }
    setTimeout(look, POLL_MS);
  };
  look();
}

module.exports = { checkDir, names, inDir, handle, readBounded, report, serve };
