// The studio's public key (PEM SubjectPublicKeyInfo), its key id, and signature checks with
// WebCrypto. The key id is the lower-case hex SHA-256 of the SPKI DER, as provenance/keys.py
// computes it from the key's canonical encoding (docs/certificate.md, "Keys").
"use strict";

class PageInputError extends Error {
  constructor(code, message) { super(message); this.code = code; }
}

const ED25519_SPKI_PREFIX = hexBytes("302a300506032b6570032100");
const P256_SPKI_PREFIX = hexBytes("3059301306072a8648ce3d020106082a8648ce3d030107034200");
const OID_ED25519 = "2b6570";
const OID_EC_PUBLIC_KEY = "2a8648ce3d0201";
const OID_P256 = "2a8648ce3d030107";

function hexBytes(hex) {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(i * 2, 2), 16);
  return out;
}

function concatBytes(...parts) {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) { out.set(part, offset); offset += part.length; }
  return out;
}

function sameBytes(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

// One DER element at `offset`: {tag, start (of the content), end}; null when malformed or not
// minimally encoded (DER, X.690 section 10.1: the shortest length form).
function derElement(bytes, offset, limit) {
  if (offset + 2 > limit) return null;
  const tag = bytes[offset];
  let length = bytes[offset + 1];
  let start = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 2 || start + count > limit) return null;
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[start + i];
    start += count;
    if (length < 0x80 || (count === 2 && length < 0x100)) return null;
  }
  if (start + length > limit) return null;
  return { tag, start, end: start + length };
}

// Read a PEM public key; returns {algorithm: "Ed25519" | "ECDSA P-256", spki (canonical DER)}.
// Throws PageInputError (code key.invalid) with the reason in plain words.
function parsePublicKeyPem(text) {
  if (text.includes("PRIVATE KEY-----")) {
    throw new PageInputError("key.invalid", "this file holds a private key; verifying needs the studio's public key " +
      "(provenance.pub), and a private key should never leave the studio");
  }
  const keys = text.split("-----BEGIN PUBLIC KEY-----").length - 1;
  if (keys > 1) {  // as the CLI (provenance/keys.py): which key is pinned must not be a guess
    throw new PageInputError("key.invalid", `this file holds ${keys} public keys; the studio's public key file ` +
      "(provenance.pub) holds exactly one PUBLIC KEY");
  }
  const block = /-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\s]*)-----END PUBLIC KEY-----/.exec(text);
  if (!block) {
    if (/-----BEGIN (TRUSTED |X509 )?CERTIFICATE-----/.test(text)) {
      throw new PageInputError("key.invalid", "this is an X.509 certificate, not a public key: use the public key file " +
        "that `provenance keygen` wrote (provenance.pub)");
    }
    throw new PageInputError("key.invalid", "this is not a PEM public key (it has no '-----BEGIN PUBLIC KEY-----' block)");
  }
  let der;
  try {
    der = Uint8Array.from(atob(block[1].replace(/\s+/g, "")), (c) => c.charCodeAt(0));
  } catch (error) {
    throw new PageInputError("key.invalid", "this is not a PEM public key (its PUBLIC KEY block is damaged)");
  }
  const damaged = new PageInputError("key.invalid", "this is not a PEM public key (its PUBLIC KEY block is damaged)");
  const spki = derElement(der, 0, der.length);
  if (!spki || spki.tag !== 0x30 || spki.end !== der.length) throw damaged;
  const algorithm = derElement(der, spki.start, spki.end);
  if (!algorithm || algorithm.tag !== 0x30) throw damaged;
  const oid = derElement(der, algorithm.start, algorithm.end);
  if (!oid || oid.tag !== 0x06) throw damaged;
  const bits = derElement(der, algorithm.end, spki.end);
  if (!bits || bits.tag !== 0x03 || bits.end !== spki.end || der[bits.start] !== 0) throw damaged;
  const point = der.subarray(bits.start + 1, bits.end);
  const oidHex = toHex(der.subarray(oid.start, oid.end));
  if (oidHex === OID_ED25519 && oid.end === algorithm.end) {
    if (point.length !== 32) throw damaged;
    return { algorithm: "Ed25519", spki: concatBytes(ED25519_SPKI_PREFIX, point) };
  }
  if (oidHex === OID_EC_PUBLIC_KEY) {
    const curve = derElement(der, oid.end, algorithm.end);
    if (!curve || curve.tag !== 0x06 || toHex(der.subarray(curve.start, curve.end)) !== OID_P256) {
      throw new PageInputError("key.invalid", "unsupported elliptic curve; provenance signs with Ed25519 or ECDSA P-256");
    }
    if (point.length !== 65 || point[0] !== 0x04) {
      throw new PageInputError("key.invalid", "the P-256 key is not in uncompressed form, as `provenance keygen` writes it");
    }
    return { algorithm: "ECDSA P-256", spki: concatBytes(P256_SPKI_PREFIX, point) };
  }
  throw new PageInputError("key.invalid", "unsupported key type; provenance signs with Ed25519 or ECDSA P-256");
}

// The pinned key, ready to verify: {algorithm, keyId, cryptoKey}; cryptoKey is null and
// `unsupported` says why when this browser's WebCrypto lacks the algorithm (fail closed).
async function loadPublicKey(text) {
  const parsed = parsePublicKeyPem(text);
  const keyId = sha256Hex(parsed.spki);
  const params = parsed.algorithm === "Ed25519" ? { name: "Ed25519" } : { name: "ECDSA", namedCurve: "P-256" };
  if (!globalThis.crypto || !globalThis.crypto.subtle) {
    return { algorithm: parsed.algorithm, keyId, cryptoKey: null,
             unsupported: "this browser offers no WebCrypto here (crypto.subtle is missing), so no signature can be " +
                          "checked; open the page from disk in a current browser, or use `provenance verify`" };
  }
  try {
    const cryptoKey = await crypto.subtle.importKey("spki", parsed.spki, params, false, ["verify"]);
    return { algorithm: parsed.algorithm, keyId, cryptoKey, unsupported: null };
  } catch (error) {
    if (error && error.name === "DataError") {
      throw new PageInputError("key.invalid", `this ${parsed.algorithm} public key cannot be read (${error.message})`);
    }
    return { algorithm: parsed.algorithm, keyId, cryptoKey: null,
             unsupported: `this browser cannot check ${parsed.algorithm} signatures (its WebCrypto has no ` +
                          `${parsed.algorithm}: ${error && error.name}); use a current browser, or \`provenance verify\`` };
  }
}

// A non-negative DER INTEGER at `offset`: {value bytes (minimal), end}; null if malformed or
// negative (cryptography's decode_dss_signature reads r and s as unsigned, and refuses both).
function derInteger(bytes, offset, limit) {
  const element = derElement(bytes, offset, limit);
  if (!element || element.tag !== 0x02 || element.end === element.start) return null;
  const value = bytes.subarray(element.start, element.end);
  if (value.length > 1 && ((value[0] === 0x00 && value[1] < 0x80) || (value[0] === 0xff && value[1] >= 0x80))) {
    return null;  // not minimal
  }
  if (value[0] & 0x80) return null;  // negative
  return { value, end: element.end };
}

// An ECDSA signature in DER (SEQUENCE of two INTEGERs r, s: RFC 3279 section 2.2.3) as
// [r, s] byte arrays; null unless it is exactly that, strictly encoded.
function derSignatureParts(signature) {
  const sequence = derElement(signature, 0, signature.length);
  if (!sequence || sequence.tag !== 0x30 || sequence.end !== signature.length) return null;
  const r = derInteger(signature, sequence.start, sequence.end);
  if (!r) return null;
  const s = derInteger(signature, r.end, sequence.end);
  if (!s || s.end !== sequence.end) return null;
  return [r.value, s.value];
}

// DER ECDSA signature -> the raw r||s form WebCrypto takes (IEEE P1363: two 32-byte big-endian
// integers for P-256). null when it is not strict DER, or r or s is longer than 32 bytes.
function derToRawSignature(signature, size = 32) {
  const parts = derSignatureParts(signature);
  if (!parts) return null;
  const out = new Uint8Array(size * 2);
  for (let i = 0; i < 2; i++) {
    let value = parts[i];
    if (value.length > 1 && value[0] === 0) value = value.subarray(1);
    if (value.length > size) return null;
    out.set(value, i * size + size - value.length);
  }
  return out;
}

// raw r||s -> DER (the form `provenance certify` writes); the inverse of derToRawSignature.
function rawToDerSignature(raw) {
  const size = raw.length / 2;
  const integer = (bytes) => {
    let start = 0;
    while (start < bytes.length - 1 && bytes[start] === 0) start++;
    let body = bytes.subarray(start);
    if (body[0] & 0x80) body = concatBytes(new Uint8Array([0]), body);
    return concatBytes(new Uint8Array([0x02, body.length]), body);
  };
  const content = concatBytes(integer(raw.subarray(0, size)), integer(raw.subarray(size)));
  const length = content.length < 0x80 ? [content.length] : [0x81, content.length];
  return concatBytes(new Uint8Array([0x30, ...length]), content);
}

// Why `signature` cannot be from a key of this algorithm, or null (provenance/keys.py,
// PublicKey.signature_shape_problem): tells "the other algorithm" from "another key".
function signatureShapeProblem(algorithm, signature) {
  const looksEcdsa = signature.length > 0 && signature[0] === 0x30 && derSignatureParts(signature) !== null;
  if (algorithm === "Ed25519") {
    if (signature.length === 64) return null;
    if (looksEcdsa) {
      return `the signature is a ${signature.length}-byte DER-encoded ECDSA signature, but the pinned key is ` +
             "Ed25519: it was made with a key of another algorithm";
    }
    return `the signature is ${signature.length} bytes long; an Ed25519 signature is 64 bytes`;
  }
  if (looksEcdsa) return null;
  if (signature.length === 64) {
    return "the signature is 64 bytes, not DER-encoded: it looks like an Ed25519 signature, but the pinned key " +
           "is ECDSA P-256: it was made with a key of another algorithm";
  }
  return `the signature (${signature.length} bytes) is not a DER-encoded ECDSA signature`;
}

// Whether `signature` is the pinned key's signature over `data`. Never throws.
async function verifySignature(key, signature, data) {
  try {
    if (key.algorithm === "Ed25519") {
      if (signature.length !== 64) return false;
      return await crypto.subtle.verify({ name: "Ed25519" }, key.cryptoKey, signature, data);
    }
    const raw = derToRawSignature(signature);
    if (raw === null) return false;
    return await crypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, key.cryptoKey, raw, data);
  } catch (error) {
    return false;
  }
}
