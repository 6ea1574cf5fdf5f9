// Strict JSON, read the way `provenance verify` reads it (Python's json module with the
// hooks in provenance/certificate.py), because JSON.parse accepts what the CLI refuses:
// - a key repeated in an object is refused (JSON.parse keeps the last one silently);
// - NaN, Infinity and -Infinity are refused, and so is a number out of range (1e400);
// - an integer longer than Python reads (4,300 digits) is refused;
// - nesting deeper than MAX_JSON_DEPTH is refused (Python stops near its recursion limit,
//   about 1,000 levels; the page stops earlier, so it never accepts what the CLI refuses);
// - control characters inside strings are refused, escapes are exactly JSON's.
// Errors carry Python's message and position, so "truncated" is decided as the CLI decides it.
// Floats are returned as PyFloat objects, so "an integer" can be checked as Python checks it.
"use strict";

const MAX_JSON_DEPTH = 500;
const MAX_INT_DIGITS = 4300;  // Python's sys.get_int_max_str_digits() default

class JsonSyntaxError extends Error {
  constructor(msg, pos) { super(`${msg} at character ${pos}`); this.msg = msg; this.pos = pos; }
}

class JsonRefused extends Error {
  constructor(message, code) { super(message); this.code = code; }
}

class PyFloat {
  constructor(value) { this.value = value; }
}

// Python's str.isspace(): what str.strip() removes.
const PY_SPACE = new Set([0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680,
  0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a,
  0x2028, 0x2029, 0x202f, 0x205f, 0x3000]);

function pyStripEnd(text) {
  let end = text.length;
  while (end > 0 && PY_SPACE.has(text.charCodeAt(end - 1))) end--;
  return end;
}

function pyStripStart(text) {
  let start = 0;
  while (start < text.length && PY_SPACE.has(text.charCodeAt(start))) start++;
  return start;
}

function clip(text, limit = 100) {
  return text.length <= limit ? text : `${text.slice(0, limit)}… (${text.length.toLocaleString("en-US")} characters)`;
}

const ESCAPES = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

function isHex(c) {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

// Parse `text` as the CLI does. `what` names it in messages ("certificate", "payload").
// Throws JsonSyntaxError (not JSON: .msg, .pos as Python reports them) or JsonRefused
// (JSON that cannot be trusted to mean one thing: .code certificate.not_json / certificate.duplicate_key).
function parseStrictJson(text, what) {
  const len = text.length;
  let depth = 0;

  function skip(i) {
    while (i < len) {
      const c = text.charCodeAt(i);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
      i++;
    }
    return i;
  }

  function str(begin) {  // `begin` is the opening quote; returns [value, index after the closing quote]
    let out = "";
    let i = begin + 1;
    for (;;) {
      let j = i;
      let c = 0;
      for (; j < len; j++) {
        c = text.charCodeAt(j);
        if (c === 0x22 || c === 0x5c) break;
        if (c <= 0x1f) throw new JsonSyntaxError("Invalid control character at", j);
      }
      if (j >= len) throw new JsonSyntaxError("Unterminated string starting at", begin);
      out += text.slice(i, j);
      if (c === 0x22) return [out, j + 1];
      j++;  // after the backslash
      if (j === len) throw new JsonSyntaxError("Unterminated string starting at", begin);
      const e = text[j];
      if (e !== "u") {
        if (!(e in ESCAPES)) throw new JsonSyntaxError("Invalid \\escape", j - 1);
        out += ESCAPES[e];
        i = j + 1;
        continue;
      }
      let end = j + 5;
      if (end >= len) throw new JsonSyntaxError("Invalid \\uXXXX escape", j);
      for (let k = j + 1; k < end; k++) {
        if (!isHex(text.charCodeAt(k))) throw new JsonSyntaxError("Invalid \\uXXXX escape", j);
      }
      let unit = parseInt(text.slice(j + 1, end), 16);
      if (unit >= 0xd800 && unit <= 0xdbff && end + 6 < len && text[end] === "\\" && text[end + 1] === "u") {
        let valid = true;
        for (let k = end + 2; k < end + 6; k++) if (!isHex(text.charCodeAt(k))) valid = false;
        if (!valid) throw new JsonSyntaxError("Invalid \\uXXXX escape", end + 1);
        const low = parseInt(text.slice(end + 2, end + 6), 16);
        if (low >= 0xdc00 && low <= 0xdfff) {
          out += String.fromCharCode(unit, low);
          i = end + 6;
          continue;
        }
      }
      out += String.fromCharCode(unit);
      i = end;
    }
  }

  function number(i) {  // returns [value, end] or null when no number starts at i
    let j = i;
    if (text[j] === "-") j++;
    const first = text.charCodeAt(j);
    if (!(first >= 48 && first <= 57)) return null;
    if (first === 48) j++;
    else while (j < len && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) j++;
    const intEnd = j;
    let isFloat = false;
    if (text[j] === "." && j + 1 < len && text.charCodeAt(j + 1) >= 48 && text.charCodeAt(j + 1) <= 57) {
      j += 2;
      while (j < len && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) j++;
      isFloat = true;
    }
    if (text[j] === "e" || text[j] === "E") {
      let k = j + 1;
      if (text[k] === "+" || text[k] === "-") k++;
      if (k < len && text.charCodeAt(k) >= 48 && text.charCodeAt(k) <= 57) {
        while (k < len && text.charCodeAt(k) >= 48 && text.charCodeAt(k) <= 57) k++;
        j = k;
        isFloat = true;
      }
    }
    const literal = text.slice(i, j);
    if (isFloat) {
      const value = Number(literal);
      if (!Number.isFinite(value)) {
        throw new JsonRefused(`the ${what} holds a number out of range (${clip(literal, 40)})`, "certificate.not_json");
      }
      return [new PyFloat(value), j];
    }
    const digits = intEnd - i - (text[i] === "-" ? 1 : 0);
    if (digits > MAX_INT_DIGITS) {
      throw new JsonRefused(`the ${what} is not JSON that can be read: it holds a number with too many digits`,
                            "certificate.not_json");
    }
    return [Number(literal), j];
  }

  function constant(name) {
    throw new JsonRefused(`the ${what} is not JSON (${name} is not a JSON value)`, "certificate.not_json");
  }

  function value(i) {  // returns [value, end]; throws "Expecting value" at i when none starts there
    const c = text[i];
    if (c === '"') return str(i);
    if (c === "{" || c === "[") {
      if (++depth > MAX_JSON_DEPTH) {
        throw new JsonRefused(`the ${what} is not JSON that can be read: its arrays or objects nest too deeply`,
                              "certificate.not_json");
      }
      const result = c === "{" ? object(i + 1) : array(i + 1);
      depth--;
      return result;
    }
    if (c === "n" && text.startsWith("null", i)) return [null, i + 4];
    if (c === "t" && text.startsWith("true", i)) return [true, i + 4];
    if (c === "f" && text.startsWith("false", i)) return [false, i + 5];
    if (c === "N" && text.startsWith("NaN", i)) constant("NaN");
    if (c === "I" && text.startsWith("Infinity", i)) constant("Infinity");
    if (c === "-" && text.startsWith("-Infinity", i)) constant("-Infinity");
    const parsed = i < len ? number(i) : null;
    if (parsed === null) throw new JsonSyntaxError("Expecting value", i);
    return parsed;
  }

  function object(i) {
    const pairs = [];
    i = skip(i);
    if (text[i] !== "}") {
      for (;;) {
        if (text[i] !== '"') throw new JsonSyntaxError("Expecting property name enclosed in double quotes", i);
        const [key, afterKey] = str(i);
        i = skip(afterKey);
        if (text[i] !== ":") throw new JsonSyntaxError("Expecting ':' delimiter", i);
        i = skip(i + 1);
        const [item, afterValue] = value(i);
        pairs.push([key, item]);
        i = skip(afterValue);
        if (text[i] === "}") break;
        if (text[i] !== ",") throw new JsonSyntaxError("Expecting ',' delimiter", i);
        i = skip(i + 1);
      }
    }
    const result = Object.create(null);
    const seen = new Set();
    for (const [key, item] of pairs) {
      if (seen.has(key)) {
        throw new JsonRefused(`the ${what} repeats the key '${clip(key)}' (JSON with duplicate keys can be read two ways)`,
                              "certificate.duplicate_key");
      }
      seen.add(key);
      result[key] = item;
    }
    return [result, i + 1];
  }

  function array(i) {
    const items = [];
    i = skip(i);
    if (text[i] === "]") return [items, i + 1];
    for (;;) {
      const [item, after] = value(i);
      items.push(item);
      i = skip(after);
      if (text[i] === "]") return [items, i + 1];
      if (text[i] !== ",") throw new JsonSyntaxError("Expecting ',' delimiter", i);
      i = skip(i + 1);
    }
  }

  if (text.charCodeAt(0) === 0xfeff) throw new JsonSyntaxError("Unexpected UTF-8 BOM (decode using utf-8-sig)", 0);
  const start = skip(0);
  const [result, end] = value(start);
  const rest = skip(end);
  if (rest !== len) throw new JsonSyntaxError("Extra data", rest);
  return result;
}

// True for a plain JSON object (not an array, null or a PyFloat).
function isObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value) && !(value instanceof PyFloat);
}

// Whether `text` is well-formed Unicode (no lone surrogate, which a JSON \ud800 escape can make).
function isUnicode(text) {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = text.charCodeAt(i + 1);
      if (!(d >= 0xdc00 && d <= 0xdfff)) return false;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      return false;
    }
  }
  return true;
}
