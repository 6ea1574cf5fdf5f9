// Matching a delivery against a verified certificate (provenance/certificate.py _compare_files),
// the ignore globs of the certificate contract, chunked hashing, and verifyDelivery(), the whole check.
"use strict";

const CHUNK_BYTES = 4 * 1024 * 1024;  // files are hashed in slices of this size: memory stays flat

// Glob patterns of predicate.ignore (docs/certificate.md, "What a certificate covers"): `**` any run of characters including `/`,
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

// File-name endings the audit walk treats as images (provenance/evidence/_sniff.py IMAGE_EXTENSIONS).
const IMAGE_EXTENSIONS = new Set([".jpg", ".jpeg", ".jpe", ".jfif", ".png", ".gif", ".webp", ".tif", ".tiff", ".dng",
  ".heic", ".heif", ".avif", ".jxl", ".bmp", ".arw", ".nef", ".cr2", ".cr3", ".raf", ".orf", ".rw2", ".pef", ".srw"]);
const HEIF_AVIF_BRANDS = new Set(["avif", "avis", "heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1"]);

// Whether the first bytes announce an image (provenance/evidence/_sniff.py sniff_media_type).
function sniffsAsImage(head) {
  const starts = (...bytes) => bytes.every((byte, index) => head[index] === byte);
  const ascii = (from, to) => String.fromCharCode(...head.subarray(from, to));
  if (starts(0xff, 0xd8, 0xff) || starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return true;
  if (ascii(0, 6) === "GIF87a" || ascii(0, 6) === "GIF89a") return true;
  if (ascii(0, 4) === "RIFF" && ascii(8, 12) === "WEBP") return true;
  if (starts(0x49, 0x49, 0x2a, 0x00) || starts(0x4d, 0x4d, 0x00, 0x2a)) return true;
  if (ascii(4, 8) === "ftyp") {
    const brands = [ascii(8, 12)];
    for (let i = 16; i + 4 <= Math.min(head.length, 64); i += 4) brands.push(ascii(i, i + 4));
    return brands.some((brand) => HEIF_AVIF_BRANDS.has(brand));
  }
  if (starts(0xff, 0x0a) || starts(0x00, 0x00, 0x00, 0x0c, 0x4a, 0x58, 0x4c, 0x20, 0x0d, 0x0a, 0x87, 0x0a)) return true;
  return starts(0x42, 0x4d) && head.length >= 14;
}

// Whether the audit walk would audit this file (provenance/certificate/walk.py looks_like_image): an image
// extension (Python's Path.suffix of the last segment), or a first 64 bytes that sniff as an image. Ignore
// globs and files[] never let an image through unaudited. A file that cannot be read is not one here.
async function looksLikeImage(item) {
  const base = item.raw.slice(item.raw.lastIndexOf("/") + 1);
  const dot = base.lastIndexOf(".");
  if (dot > 0 && dot < base.length - 1 && IMAGE_EXTENSIONS.has(base.slice(dot).toLowerCase())) return true;
  try {
    return sniffsAsImage(new Uint8Array(await item.blob.slice(0, 64).arrayBuffer()));
  } catch (error) {
    return false;
  }
}

// Match the given files to the certified subjects (provenance/certificate.py _compare_files).
// `given`: [{name (NFC), raw (as given), blob}]. `progress()` is called after each file read.
// `unaudited`: the files[] names (covered by digest only); an image among them is not certified.
async function compareFiles(given, subjects, progress, unaudited = new Set()) {
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
    } else if (certified === digest && unaudited.has(name) && await looksLikeImage(group[0])) {
      results.push({ name, state: "not_certified", sha256: digest, certified_sha256: certified,
                     message: "not certified: an image, but the certificate covers it by digest only (files[], " +
                              "not audited): no verdict was given on it" });
      present.add(name);
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
      for (const item of given) {  // as the CLI leaves files out: the certificate, then the ignore globs
        const name = item.raw.normalize("NFC");
        const pattern = covered.ignore.find((p) => globMatches(p, name));
        if (isCertificateItself(item, certificate)) {
          skipped.push({ path: item.raw, why: "the certificate itself" });
        } else if (pattern !== undefined && !(await looksLikeImage(item))) {  // an image is never ignored
          skipped.push({ path: item.raw, why: `ignored: matches the certificate's ignore glob '${pattern}'` });
        } else {
          compared.push({ name, raw: item.raw, blob: item.blob });
        }
      }
      let done = skipped.length;
      onProgress(done, given.length);
      files = await compareFiles(compared, subjects, () => onProgress(++done, given.length), covered.unaudited);
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
