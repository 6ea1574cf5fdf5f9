// The checks of `provenance verify` that can run in a browser, in the CLI's order and with
// its codes (docs/certificate.md, "Verification"; provenance/certificate.py): the envelope, the
// signature, the Statement, the subjects and the predicate, with the strict predicate rules of
// the certificate contract (docs/certificate.md: predicate.files[] for the files that are not images,
// predicate.ignore, a strict predicate.evaluatedAt).
// CONFIG (the caps and type URIs) is written into the page by the builder from the Python
// constants, so the page and the CLI cannot drift apart.
"use strict";

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
    return clip(JSON.stringify(value, (key, item) => (item instanceof PyFloat ? item.value : item)) ?? "null");
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
    if (entry.name.split("/").some((segment) => segment === "" || segment === "." || segment === "..")) {
      checks.failed("subjects", "subjects.malformed", `${where} (${clip(entry.name)}) is not a path inside the ` +
                    "delivery (an absolute path, or an empty, '.' or '..' segment)");
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

// Why a recorded `ignore` is malformed (capped as provenance/certificate/globs.py caps it), or null.
function malformedIgnore(value) {
  if (!Array.isArray(value)) return "the predicate's ignore list is not a list";
  if (value.length > CONFIG.maxIgnorePatterns) {
    return `the predicate records ${value.length.toLocaleString("en-US")} ignore globs; at most ${CONFIG.maxIgnorePatterns} are accepted`;
  }
  for (const pattern of value) {
    if (typeof pattern !== "string" || pattern === "") {
      return "the predicate's ignore list holds something that is not a non-empty glob string";
    }
    if (pattern.length > CONFIG.maxPatternLength && Array.from(pattern).length > CONFIG.maxPatternLength) {  // code points, as Python counts
      return `the predicate's ignore list holds a glob longer than ${CONFIG.maxPatternLength} characters`;
    }
  }
  return null;
}

// The parts of the predicate check, in the CLI's order (provenance/certificate/predicate.py):
// each returns [code, message] when it fails, else null.
function policyProblem(policy) {
  if (!isObject(policy) || !["id", "version", "sha256", "text"].every((k) => typeof policy[k] === "string")) {
    return ["predicate.malformed", "the predicate does not record the policy (id, version, sha256, text)"];
  }
  if (!isUnicode(policy.text)) return ["predicate.malformed", "the policy text recorded is not valid Unicode"];
  if (sha256Hex(utf8.encode(policy.text)) !== policy.sha256) {
    return ["predicate.policy_digest", "the policy text recorded does not match the policy sha256 recorded"];
  }
  return null;
}

function timeProblem(recorded, now) {
  if (recorded === undefined || recorded === null) return ["predicate.malformed", "the predicate does not record the evaluation time"];
  const when = typeof recorded === "string" ? parseUtcTime(recorded) : null;
  if (when === null) {
    return ["predicate.time_invalid", `the evaluation time recorded, ${brief(recorded)}, is not an RFC 3339 UTC ` +
            "date and time (YYYY-MM-DDTHH:MM:SSZ)"];
  }
  if (when > now + FUTURE_SLACK_MS) {
    return ["predicate.time_invalid", `the evaluation time recorded, ${recorded}, is in the future: later than ` +
            `this verifier's clock (${new Date(now).toISOString().replace(/\.\d+Z$/, "Z")}) plus 5 minutes`];
  }
  return null;
}

function entriesProblem(images, files, ignore) {
  if (!Array.isArray(images) || !images.every((i) => isObject(i) && typeof i.name === "string")) {
    return ["predicate.malformed", "the predicate does not list the images"];
  }
  if (!Array.isArray(files)) return ["predicate.malformed", "the predicate's files entry is not a list"];
  const bad = files.findIndex((entry) => !isFileEntry(entry));
  if (bad >= 0) return ["predicate.malformed", `the predicate's file #${bad + 1} is not {name, sha256, size, audited: false}`];
  const why = malformedIgnore(ignore);
  return why === null ? null : ["predicate.malformed", why];
}

// Every subject exactly once: a compliant image or a file not audited, with the subject's digest.
function coverageProblem(images, files, subjects) {
  const byName = new Map();
  for (const entry of [...images.map((i) => ["image", i]), ...files.map((f) => ["file", f])]) {
    const name = entry[1].name.normalize("NFC");
    if (byName.has(name)) return ["predicate.inconsistent", `the predicate lists ${clip(name)} more than once`];
    byName.set(name, entry);
  }
  for (const [name, sha256] of subjects) {
    const found = byName.get(name);
    if (!(found && found[1].sha256 === sha256 && (found[0] === "file" || found[1].status === "compliant"))) {
      return ["predicate.inconsistent", "the predicate does not record a compliant verdict or a covered file for " +
              `${clip(name)} with the subject's digest`];
    }
  }
  const extra = [...byName.keys()].filter((name) => !subjects.has(name)).sort(comparePoints);
  return extra.length ? ["predicate.inconsistent", `the predicate lists ${clip(extra[0])}, which is not a subject`] : null;
}

// Returns {ignore: [patterns], unaudited: Set of files[] names (NFC)} when the predicate passed, else null. `files` and `ignore` absent
// mean none (certificates made before the strict contract).
function checkPredicate(predicate, subjects, checks, now) {
  if (!isObject(predicate)) {
    checks.failed("predicate", "predicate.malformed", "the statement has no predicate object");
    return null;
  }
  const files = predicate.files === undefined ? [] : predicate.files;
  const ignore = predicate.ignore === undefined ? [] : predicate.ignore;
  let problem = policyProblem(predicate.policy) || timeProblem(predicate.evaluatedAt, now) ||
                entriesProblem(predicate.images, files, ignore);
  if (problem === null && subjects === null) {
    checks.skipped(["predicate"], "the subjects are unusable");
    return null;
  }
  problem = problem || coverageProblem(predicate.images, files, subjects);
  if (problem !== null) {
    checks.failed("predicate", ...problem);
    return null;
  }
  const others = files.length ? `, and every other file covered by digest (${files.length})` : "";
  checks.passed("predicate", `a compliant verdict for every image${others}, under policy ${predicate.policy.id} ` +
                `${predicate.policy.version}, evaluated ${predicate.evaluatedAt}`);
  return { ignore, unaudited: new Set(files.map((entry) => entry.name.normalize("NFC"))) };
}

// predicate.evaluatedAt: YYYY-MM-DDTHH:MM:SS[.1-9 digits]Z, a real calendar date and time (no
// second 60, no month 13). Returns milliseconds since the epoch, or null (docs/certificate.md).
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
