// The checks of `provenance verify` that can run in a browser, in the CLI's order and with
// its codes (docs/certificate.md, "Verification"; provenance/certificate.py), plus the strict
// rules of the certificate contract: every given file is covered (predicate.files[] for the
// files that are not images), predicate.ignore globs, and a strict predicate.evaluatedAt.
// CONFIG (the caps and type URIs) is written into the page by the builder from the Python
// constants, so the page and the CLI cannot drift apart.
"use strict";

const CHUNK_BYTES = 4 * 1024 * 1024;  // files are hashed in slices of this size: memory stays flat
const FUTURE_SLACK_MS = 5 * 60 * 1000;  // evaluatedAt may be at most 5 minutes ahead of this clock
const STATEMENT_CHECKS = ["statement_type", "predicate_type", "subjects", "predicate"];
const FILE_STATES = ["verified", "modified", "renamed", "duplicate_name", "not_certified", "missing", "unreadable"];
const SHA256_RE = /^[0-9a-f]{64}$/;
const utf8 = new TextEncoder();

function mib(size) { return `${Math.floor(size / (1024 * 1024))} MiB`; }
function plural(count, word) { return `${count} ${word}${count === 1 ? "" : "s"}`; }
function comparePoints(a, b) {  // Python's str order (code points), not UTF-16 units
  const x = Array.from(a), y = Array.from(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return x[i].codePointAt(0) - y[i].codePointAt(0);
  }
  return x.length - y.length;
}
function brief(value) {
  try {
    return clip(JSON.stringify(value instanceof PyFloat ? value.value : value) ?? "null");
  } catch (error) {
    return "an unreadable value";
  }
}
// Every non-ASCII character as \uXXXX, so names that look alike can be told apart.
function distinct(name) {
  return Array.from(name, (ch) => {
    const cp = ch.codePointAt(0);
    if (cp >= 0x20 && cp <= 0x7e) return ch;
    return cp <= 0xffff ? `\\u${cp.toString(16).padStart(4, "0")}` : `\\U${cp.toString(16).padStart(8, "0")}`;
  }).join("");
}

class Checks {
  constructor() { this.items = []; }
  passed(name, message) { this.items.push({ name, status: "passed", message, code: null }); }
  failed(name, code, message) { this.items.push({ name, status: "failed", message, code }); }
  skipped(names, why) {
    for (const name of names) this.items.push({ name, status: "skipped", message: `not checked (${why})`, code: null });
  }
  get ok() { return this.items.every((check) => check.status === "passed"); }
}

class CertificateProblem extends Error {
  constructor(message, code) { super(message); this.code = code; }
}

// DSSE base64 (provenance/certificate.py _b64decode): standard or URL-safe alphabet, padding
// optional. The CLI strips, maps -_ to +/, pads to a multiple of 4, then decodes with Python's
// binascii.a2b_base64(strict_mode=True) (CPython 3.11 Modules/binascii.c); this is that decoder,
// so that the same odd padding is accepted or refused by both.
const B64_VALUES = new Uint8Array(128).fill(255);
const B64_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ" + "abcdefghijklmnopqrstuvwxyz" + "0123456789+/";
for (let i = 0; i < 64; i++) B64_VALUES[B64_ALPHABET.charCodeAt(i)] = i;

function b64decode(text, what) {
  const invalid = () => new CertificateProblem(`the certificate's ${what} is not valid base64`, "envelope.malformed");
  if (typeof text !== "string") throw new CertificateProblem(`the certificate's ${what} is not a base64 string`, "envelope.malformed");
  let cleaned = text.slice(pyStripStart(text), pyStripEnd(text)).replace(/-/g, "+").replace(/_/g, "/");
  cleaned += "=".repeat((4 - (cleaned.length % 4)) % 4);
  if (cleaned.charCodeAt(0) === 0x3d) throw invalid();  // leading padding
  const out = new Uint8Array(Math.floor(cleaned.length / 4) * 3);
  let size = 0, quad = 0, left = 0, pads = 0, padding = false;
  for (let i = 0; i < cleaned.length; i++) {
    const c = cleaned.charCodeAt(i);
    if (c === 0x3d) {
      padding = true;
      if (quad >= 2 && quad + ++pads >= 4) {
        if (i + 1 < cleaned.length) throw invalid();  // data after the padding
        return out.subarray(0, size);
      }
      continue;
    }
    const value = c < 128 ? B64_VALUES[c] : 255;
    if (value >= 64 || padding) throw invalid();  // not base64, or data inside the padding
    pads = 0;
    if (quad === 0) { left = value; quad = 1; }
    else if (quad === 1) { out[size++] = (left << 2) | (value >> 4); left = value & 0x0f; quad = 2; }
    else if (quad === 2) { out[size++] = (left << 4) | (value >> 2); left = value & 0x03; quad = 3; }
    else { out[size++] = (left << 6) | value; quad = 0; }
  }
  if (quad !== 0) throw invalid();
  return out.subarray(0, size);
}

function readJson(text, what) {
  try {
    return parseStrictJson(text, what);
  } catch (error) {
    if (error instanceof JsonRefused) throw new CertificateProblem(error.message, error.code);
    throw error;
  }
}

// Certificate.from_json: bounded parsing of the DSSE envelope. Throws CertificateProblem.
function parseEnvelope(bytes, size) {
  if (size > CONFIG.maxCertificateBytes) {
    throw new CertificateProblem(`the certificate is too large: ${size.toLocaleString("en-US")} bytes, more than the ` +
      `${mib(CONFIG.maxCertificateBytes)} a certificate may have`, "certificate.too_large");
  }
  if (bytes.every((b) => b === 0x20 || (b >= 0x09 && b <= 0x0d))) {
    throw new CertificateProblem("the certificate file is empty", "certificate.empty");
  }
  let text;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch (error) {
    throw new CertificateProblem("the certificate is not JSON text (it holds binary data)", "certificate.binary");
  }
  if (pyStripEnd(text) === 0) throw new CertificateProblem("the certificate file is empty", "certificate.empty");
  let document;
  try {
    document = readJson(text, "certificate");
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    const head = text[pyStripStart(text)];
    if ((head === "{" || head === "[") && (error.msg.startsWith("Unterminated string") || error.pos >= pyStripEnd(text))) {
      throw new CertificateProblem(`the certificate ends early: it looks truncated (the JSON stops at character ${error.pos})`,
                                   "certificate.truncated");
    }
    throw new CertificateProblem(`the certificate is not JSON (${error.message})`, "certificate.not_json");
  }
  const malformed = (message, code = "envelope.malformed") => new CertificateProblem(message, code);
  if (!isObject(document)) throw malformed("the certificate is not a DSSE envelope (a JSON object)");
  for (const key of ["payloadType", "payload", "signatures"]) {
    if (!(key in document)) throw malformed(`the certificate is not a DSSE envelope: '${key}' is missing`);
  }
  const payloadType = document.payloadType;
  if (typeof payloadType !== "string") throw malformed("the certificate is not a DSSE envelope: 'payloadType' is not a string");
  if (!isUnicode(payloadType)) throw malformed("the certificate's 'payloadType' is not valid Unicode (it holds a lone surrogate)");
  const encoded = document.payload;
  const tooLarge = `the certificate's payload is too large: more than the ${mib(CONFIG.maxPayloadBytes)} a payload may have`;
  if (typeof encoded === "string" && encoded.length > Math.floor((CONFIG.maxPayloadBytes + 2) / 3) * 4 + 64) {
    throw malformed(tooLarge, "envelope.payload_too_large");
  }
  const payload = b64decode(encoded, "payload");
  if (payload.length > CONFIG.maxPayloadBytes) throw malformed(tooLarge, "envelope.payload_too_large");
  const raw = document.signatures;
  if (!Array.isArray(raw)) throw malformed("the certificate is not a DSSE envelope: 'signatures' is not a list");
  if (raw.length === 0) throw malformed("the certificate carries no signature", "envelope.no_signature");
  if (raw.length > CONFIG.maxSignatures) {
    throw malformed(`the certificate carries ${raw.length.toLocaleString("en-US")} signatures; at most ` +
                    `${CONFIG.maxSignatures} are accepted`, "envelope.too_many_signatures");
  }
  const signatures = raw.map((entry, index) => {
    if (!isObject(entry) || !("sig" in entry)) throw malformed(`the certificate's signature #${index + 1} has no 'sig'`);
    const keyid = entry.keyid === undefined ? null : entry.keyid;
    if (keyid !== null && (typeof keyid !== "string" || !isUnicode(keyid))) {
      throw malformed(`the certificate's signature #${index + 1} has a key id that is not a string`);
    }
    return { keyid: keyid || null, sig: b64decode(entry.sig, `signature #${index + 1}`) };
  });
  return { payload, payloadType, signatures };
}

// DSSE pre-authentication encoding: "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body (lengths in bytes).
function pae(payloadType, payload) {
  const type = utf8.encode(payloadType);
  return concatBytes(utf8.encode(`DSSEv1 ${type.length} `), type, utf8.encode(` ${payload.length} `), payload);
}

async function checkEnvelope(certificate, key, checks) {
  let envelope;
  try {
    envelope = parseEnvelope(certificate.bytes ?? new Uint8Array(0), certificate.size);
  } catch (error) {
    if (!(error instanceof CertificateProblem)) throw error;
    checks.failed("envelope", error.code, error.message);
    checks.skipped(["payload_type", "key_id", "signature", ...STATEMENT_CHECKS], "the certificate is unreadable");
    return null;
  }
  checks.passed("envelope", `a DSSE envelope with ${plural(envelope.signatures.length, "signature")}`);
  if (envelope.payloadType === CONFIG.payloadType) {
    checks.passed("payload_type", CONFIG.payloadType);
  } else {
    checks.failed("payload_type", "envelope.payload_type", `the payload type is '${clip(envelope.payloadType)}', not ` +
                  `'${CONFIG.payloadType}': this is not an in-toto attestation, or the envelope was altered`);
  }
  const signed = pae(envelope.payloadType, envelope.payload);
  const ours = envelope.signatures.filter((s) => s.keyid === key.keyId);
  const candidates = ours.length ? ours : envelope.signatures;
  let verified = false;
  if (key.cryptoKey !== null) {
    for (const candidate of candidates) {
      if (await verifySignature(key, candidate.sig, signed)) { verified = true; break; }
    }
  }
  if (ours.length) {
    checks.passed("key_id", `signed under the pinned key's id ${key.keyId}`);
  } else {
    const named = [...new Set(envelope.signatures.filter((s) => s.keyid).map((s) => clip(s.keyid)))].sort(comparePoints);
    if (!named.length) {
      checks.failed("key_id", "key.no_id", `the signature names no key id; the pinned key's id is ${key.keyId}`);
    } else if (verified) {
      checks.failed("key_id", "key.wrong_id", `the envelope names key id ${named.join(", ")}, not the pinned key's id ` +
                    `${key.keyId}, although the signature verifies with the pinned key: the key id was altered`);
    } else {
      checks.failed("key_id", "key.other_key",
                    `signed by another key (key id ${named.join(", ")}), not the pinned key (${key.keyId})`);
    }
  }
  if (verified) {
    checks.passed("signature", `verifies with the pinned ${key.algorithm} key`);
  } else if (key.cryptoKey === null) {
    checks.failed("signature", "browser.unsupported", key.unsupported);
  } else {
    const shapes = candidates.map((s) => signatureShapeProblem(key.algorithm, s.sig));
    if (shapes.every((shape) => shape !== null)) {
      checks.failed("signature", "signature.other_algorithm", shapes[0]);
    } else {
      checks.failed("signature", "signature.invalid", `the signature does not verify with the pinned ${key.algorithm} ` +
                    "key: the certificate was changed after it was signed, or it was signed by another key");
    }
  }
  if (!verified) {
    checks.skipped(STATEMENT_CHECKS, "the signature did not verify, so the content cannot be trusted");
    return null;
  }
  return envelope;
}

function parseStatement(payload) {
  let text;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(payload);
  } catch (error) {
    throw new CertificateProblem("the payload is not JSON (it is not UTF-8 text)", "statement.malformed");
  }
  let document;
  try {
    document = readJson(text, "payload");
  } catch (error) {
    if (error instanceof JsonSyntaxError) throw new CertificateProblem(`the payload is not JSON (${error.message})`, "statement.malformed");
    throw error;
  }
  if (!isObject(document)) throw new CertificateProblem("the payload is not a JSON object", "statement.malformed");
  return document;
}

function checkStatement(envelope, checks, now) {
  let statement;
  try {
    statement = parseStatement(envelope.payload);
  } catch (error) {
    if (!(error instanceof CertificateProblem)) throw error;
    checks.failed("statement_type", "statement.malformed", error.message);
    checks.skipped(STATEMENT_CHECKS.slice(1), "the payload is not a statement");
    return [null, null, null];
  }
  if (statement._type === CONFIG.statementType) {
    checks.passed("statement_type", "in-toto Statement v1");
  } else {
    checks.failed("statement_type", "statement.type", `the statement type is ${brief(statement._type)}, not '${CONFIG.statementType}'`);
  }
  if (statement.predicateType === CONFIG.predicateType) {
    checks.passed("predicate_type", CONFIG.predicateType);
  } else {
    checks.failed("predicate_type", "statement.predicate_type", `the predicate type is ${brief(statement.predicateType)}, ` +
                  `not '${CONFIG.predicateType}': this is not a provenance certificate of compliance`);
  }
  const subjects = checkSubjects(statement.subject, checks);
  const covered = checkPredicate(statement.predicate, subjects, checks, now);
  return [statement, subjects, covered];
}

function checkSubjects(raw, checks) {
  if (!Array.isArray(raw) || raw.length === 0) {
    checks.failed("subjects", "subjects.missing", "the statement lists no subject");
    return null;
  }
  const subjects = new Map();
  for (let index = 0; index < raw.length; index++) {
    const entry = raw[index];
    const where = `subject #${index + 1}`;
    if (!isObject(entry) || typeof entry.name !== "string" || !entry.name) {
      checks.failed("subjects", "subjects.malformed", `${where} has no name`);
      return null;
    }
    if (!isUnicode(entry.name)) {
      checks.failed("subjects", "subjects.malformed", `${where} has a name that is not valid Unicode`);
      return null;
    }
    const sha256 = isObject(entry.digest) ? entry.digest.sha256 : undefined;
    if (typeof sha256 !== "string" || !SHA256_RE.test(sha256)) {
      checks.failed("subjects", "subjects.malformed", `${where} (${clip(entry.name)}) has no valid sha256 digest`);
      return null;
    }
    const name = entry.name.normalize("NFC");
    if (subjects.has(name)) {
      checks.failed("subjects", "subjects.duplicate", `the statement lists '${clip(name)}' more than once (duplicate ` +
                    "subjects, names compared in Unicode NFC)");
      return null;
    }
    subjects.set(name, sha256);
  }
  checks.passed("subjects", plural(subjects.size, "certified file"));
  return subjects;
}

function isFileEntry(entry) {
  return isObject(entry) && typeof entry.name === "string" && entry.name !== "" && isUnicode(entry.name) &&
         typeof entry.sha256 === "string" && SHA256_RE.test(entry.sha256) &&
         typeof entry.size === "number" && Number.isInteger(entry.size) && entry.size >= 0 && entry.audited === false;
}

// Returns {ignore: [patterns]} when the predicate passed, else null.
function checkPredicate(predicate, subjects, checks, now) {
  const fail = (code, message) => { checks.failed("predicate", code, message); return null; };
  if (!isObject(predicate)) return fail("predicate.malformed", "the statement has no predicate object");
  const policy = predicate.policy;
  if (!isObject(policy) || !["id", "version", "sha256", "text"].every((k) => typeof policy[k] === "string")) {
    return fail("predicate.malformed", "the predicate does not record the policy (id, version, sha256, text)");
  }
  if (!isUnicode(policy.text)) return fail("predicate.malformed", "the policy text recorded is not valid Unicode");
  if (sha256Hex(utf8.encode(policy.text)) !== policy.sha256) {
    return fail("predicate.policy_digest", "the policy text recorded does not match the policy sha256 recorded");
  }
  if (typeof predicate.evaluatedAt !== "string") return fail("predicate.malformed", "the predicate does not record the evaluation time");
  const when = parseUtcTime(predicate.evaluatedAt);
  if (when === null) {
    return fail("predicate.time_invalid", `the evaluation time recorded, ${brief(predicate.evaluatedAt)}, is not an RFC 3339 ` +
                "UTC time of the form YYYY-MM-DDTHH:MM:SS[.fraction]Z with a real date and time");
  }
  if (when > now + FUTURE_SLACK_MS) {
    return fail("predicate.time_invalid", `the evaluation time recorded, ${predicate.evaluatedAt}, is later than this ` +
                `computer's clock (${new Date(now).toISOString()}) plus 5 minutes`);
  }
  const images = predicate.images;
  if (!Array.isArray(images) || !images.every((i) => isObject(i) && typeof i.name === "string")) {
    return fail("predicate.malformed", "the predicate does not list the images");
  }
  const files = predicate.files === undefined ? [] : predicate.files;
  if (!Array.isArray(files) || !files.every(isFileEntry)) {
    return fail("predicate.malformed", "the predicate's files (name, sha256, size, audited: false) are malformed");
  }
  const ignore = predicate.ignore === undefined ? [] : predicate.ignore;
  if (!Array.isArray(ignore) || !ignore.every((p) => typeof p === "string" && p !== "" && isUnicode(p))) {
    return fail("predicate.malformed", "the predicate's ignore patterns are not a list of non-empty strings");
  }
  if (subjects === null) {
    checks.skipped(["predicate"], "the subjects are unusable");
    return null;
  }
  const byName = new Map();
  for (const entry of [...images.map((i) => ["image", i]), ...files.map((f) => ["file", f])]) {
    const name = entry[1].name.normalize("NFC");
    if (byName.has(name)) return fail("predicate.inconsistent", `the predicate lists ${clip(name)} more than once`);
    byName.set(name, entry);
  }
  for (const [name, sha256] of subjects) {
    const found = byName.get(name);
    const ok = found !== undefined && found[1].sha256 === sha256 && (found[0] === "file" || found[1].status === "compliant");
    if (!ok) {
      return fail("predicate.inconsistent", `the predicate does not record a compliant verdict (or an unaudited file) ` +
                  `for ${clip(name)} with the subject's digest`);
    }
  }
  const extra = [...byName.keys()].filter((name) => !subjects.has(name)).sort(comparePoints);
  if (extra.length) return fail("predicate.inconsistent", `the predicate lists ${clip(extra[0])}, which is not a subject`);
  checks.passed("predicate", `a compliant verdict for every image (${images.length}) and a digest for every other file ` +
                `(${files.length}) under policy ${policy.id} ${policy.version}, evaluated ${predicate.evaluatedAt}`);
  return { ignore };
}

// predicate.evaluatedAt: YYYY-MM-DDTHH:MM:SS[.1-9 digits]Z, a real calendar date and time (no
// second 60, no month 13). Returns milliseconds since the epoch, or null (CERT-CONTRACT).
function parseUtcTime(text) {
  const match = /^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]{1,9})?Z$/.exec(text);
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  if (year < 1 || days === undefined || day < 1 || day > days || hour > 23 || minute > 59 || second > 59) return null;
  const moment = new Date(0);
  moment.setUTCFullYear(year, month - 1, day);
  moment.setUTCHours(hour, minute, second, 0);
  return moment.getTime() + (match[7] ? Number(match[7]) * 1000 : 0);
}

// Glob patterns of predicate.ignore (CERT-CONTRACT): `**` any run of characters including `/`,
// `*` any run without `/`, `?` one character other than `/`, everything else literal; a pattern
// without `/` is matched against the last path segment. Matched without backtracking (O(n*m)).
function globMatches(pattern, name) {
  const target = Array.from(pattern.includes("/") ? name : name.slice(name.lastIndexOf("/") + 1));
  const tokens = [];
  const chars = Array.from(pattern);
  for (let i = 0; i < chars.length; i++) {
    if (chars[i] === "*" && chars[i + 1] === "*") { tokens.push("**"); i++; } else tokens.push(chars[i] === "*" || chars[i] === "?" ? chars[i] : { literal: chars[i] });
  }
  let row = new Uint8Array(target.length + 1);
  row[0] = 1;
  for (const token of tokens) {
    const next = new Uint8Array(target.length + 1);
    for (let j = 0; j <= target.length; j++) {
      if (token === "*" || token === "**") {
        next[j] = row[j] || (j > 0 && next[j - 1] && (token === "**" || target[j - 1] !== "/")) ? 1 : 0;
      } else if (j > 0 && row[j - 1]) {
        next[j] = (token === "?" ? target[j - 1] !== "/" : target[j - 1] === token.literal) ? 1 : 0;
      }
    }
    row = next;
  }
  return row[target.length] === 1;
}

// SHA-256 of a File/Blob read in CHUNK_BYTES slices (never whole in memory).
async function hashBlob(blob) {
  const hash = new Sha256();
  for (let offset = 0; offset < blob.size; offset += CHUNK_BYTES) {
    hash.update(new Uint8Array(await blob.slice(offset, Math.min(offset + CHUNK_BYTES, blob.size)).arrayBuffer()));
  }
  return hash.digest();
}

// The digest of every given file: Map(item -> {digest} or {error}). READERS files are read at
// once (reading a File goes through the browser's blob store, so one at a time mostly waits);
// each is read in CHUNK_BYTES slices, so memory stays under READERS * CHUNK_BYTES.
const READERS = 8;

async function hashAll(items, progress) {
  const digests = new Map();
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      try {
        digests.set(item, { digest: await hashBlob(item.blob) });
      } catch (error) {
        digests.set(item, { error: `cannot be read (${(error && error.message) || error})` });
      }
      progress();
    }
  };
  await Promise.all(Array.from({ length: Math.min(READERS, items.length) }, worker));
  return digests;
}

// Match the given files to the certified subjects (provenance/certificate.py _compare_files).
// `given`: [{name (NFC), raw (as given), blob}]. `progress()` is called after each file read.
async function compareFiles(given, subjects, progress) {
  const digests = await hashAll(given, progress);
  const results = [];
  const uncovered = [];
  const present = new Set();
  const groups = new Map();
  for (const item of given) {
    if (!groups.has(item.name)) groups.set(item.name, []);
    groups.get(item.name).push(item);
  }
  for (const name of [...groups.keys()].sort(comparePoints)) {
    const group = groups.get(name);
    const certified = subjects.get(name) ?? null;
    if (group.length > 1) {
      present.add(name);
      const sorted = [...group].sort((a, b) => comparePoints(a.raw, b.raw));
      for (const item of sorted) {
        const others = sorted.filter((other) => other !== item).map((other) => distinct(other.raw)).join(" and ");
        results.push({ name: item.raw, state: "duplicate_name", sha256: digests.get(item).digest ?? null,
          certified_sha256: certified,
          message: `duplicate name: this file (${distinct(item.raw)}) and ${others} have the same name in a certificate, ` +
                   `'${name}' (names are compared in Unicode NFC), so the certificate cannot say which one it covers` });
      }
      continue;
    }
    const { digest, error } = digests.get(group[0]);
    if (error !== undefined) {
      results.push({ name, state: "unreadable", message: error, certified_sha256: certified });
      present.add(name);
    } else if (certified === null) {
      uncovered.push([name, digest]);
    } else if (certified === digest) {
      results.push({ name, state: "verified", message: "matches the certificate", sha256: digest, certified_sha256: certified });
      present.add(name);
    } else {
      results.push({ name, state: "modified", sha256: digest, certified_sha256: certified,
        message: `modified: its content differs from the certified file (sha256 ${digest.slice(0, 12)}…, ` +
                 `certified ${certified.slice(0, 12)}…)` });
      present.add(name);
    }
  }
  const missing = new Map([...subjects].filter(([name]) => !present.has(name)));
  const missingByDigest = new Map();
  for (const name of [...missing.keys()].sort(comparePoints)) {
    const digest = missing.get(name);
    if (!missingByDigest.has(digest)) missingByDigest.set(digest, []);
    missingByDigest.get(digest).push(name);
  }
  const verifiedByDigest = new Map(results.filter((r) => r.state === "verified").map((r) => [r.sha256, r.name]));
  for (const [name, digest] of uncovered) {
    const originals = missingByDigest.get(digest);
    if (originals && originals.length) {
      const original = originals.shift();
      missing.delete(original);
      results.push({ name, state: "renamed", sha256: digest, certified_sha256: digest, certified_name: original,
                     message: `renamed: this is the certified file ${original} under another name` });
    } else {
      const copy = verifiedByDigest.get(digest);
      results.push({ name, state: "not_certified", sha256: digest,
                     message: `not certified: the certificate does not cover this file${copy ? ` (a copy of the certified ${copy})` : ""}` });
    }
  }
  for (const name of [...missing.keys()].sort(comparePoints)) {
    results.push({ name, state: "missing", message: "missing: certified, but not among the files given",
                   certified_sha256: missing.get(name) });
  }
  return results.sort((a, b) => (FILE_STATES.indexOf(a.state) - FILE_STATES.indexOf(b.state)) || comparePoints(a.name, b.name));
}

// Verify a delivery the way `provenance verify` does (without --reaudit).
//   certificate: {bytes (Uint8Array, or null when over the size cap), size, name, lastModified}
//   key: from loadPublicKey(); typedKeyId: what the client typed (optional, compared as an extra check)
//   given: [{raw: the name relative to the delivery root, blob}]; now: the clock (ms)
//   onProgress(done, total): after each file is read
// Returns the result in the shape of `provenance verify --format json` (provenance.verify-report/v1),
// with `images` (the recorded predicate images) added for display.
async function verifyDelivery({ certificate, key, typedKeyId = "", given, now = Date.now(), onProgress = () => {} }) {
  const checks = new Checks();
  const pinned = typedKeyId.replace(/[\s:]/g, "").toLowerCase();
  if (pinned) {
    if (pinned === key.keyId) {
      checks.passed("key_pin", `the key file's id is the id typed, ${key.keyId}`);
    } else {
      checks.failed("key_pin", "key.pin_mismatch", `the key file's id is ${key.keyId}, not the id typed (${clip(pinned)}): ` +
                    "this is not the key the studio published");
    }
  }
  const envelope = await checkEnvelope(certificate, key, checks);
  let statement = null;
  let files = [];
  const skipped = [];
  if (envelope !== null) {
    const [parsed, subjects, covered] = checkStatement(envelope, checks, now);
    statement = parsed;
    const failed = checks.items.filter((c) => c.status === "failed").map((c) => c.name);
    if (subjects !== null && covered !== null && (failed.length === 0 || (failed.length === 1 && failed[0] === "key_id"))) {
      const compared = [];
      for (const item of given) {
        const name = item.raw.normalize("NFC");
        const pattern = subjects.has(name) ? undefined : covered.ignore.find((p) => globMatches(p, name));
        if (pattern !== undefined) {
          skipped.push({ path: item.raw, why: `not checked: the certificate's ignore pattern '${pattern}' matches it` });
        } else if (!subjects.has(name) && isCertificateItself(item, certificate)) {
          skipped.push({ path: item.raw, why: "not checked: this is the certificate itself" });
        } else {
          compared.push({ name, raw: item.raw, blob: item.blob });
        }
      }
      let done = skipped.length;
      onProgress(done, given.length);
      files = await compareFiles(compared, subjects, () => onProgress(++done, given.length));
    }
  }
  return report(key, checks, files, skipped, statement);
}

// The certificate file, when it was picked with the delivery folder: same name, size and time.
function isCertificateItself(item, certificate) {
  const base = item.raw.slice(item.raw.lastIndexOf("/") + 1);
  return base === certificate.name && item.blob.size === certificate.size &&
         item.blob.lastModified === certificate.lastModified;
}

function report(key, checks, files, skipped, statement) {
  const predicate = statement && isObject(statement.predicate) ? statement.predicate : {};
  const policy = isObject(predicate.policy) ? predicate.policy : null;
  const certificateOk = checks.ok;
  const integrityOk = certificateOk && files.every((file) => file.state === "verified");
  const summary = Object.fromEntries(FILE_STATES.map((state) => [state, files.filter((f) => f.state === state).length]));
  return {
    schema: "provenance.verify-report/v1",
    ok: integrityOk,
    integrity_ok: integrityOk,
    key_id: key.keyId,
    certificate: {
      predicate_type: statement ? statement.predicateType ?? null : null,
      evaluated_at: predicate.evaluatedAt ?? null,
      policy: policy ? { id: policy.id, version: policy.version, sha256: policy.sha256 } : null,
      tool: isObject(predicate.tool) ? predicate.tool : null,
    },
    checks: checks.items,
    summary,
    files,
    skipped,
    images: statement && Array.isArray(predicate.images) ? predicate.images.filter(isObject) : [],
  };
}
