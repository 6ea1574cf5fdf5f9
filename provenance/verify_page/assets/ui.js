// The page: read the inputs, run verifyDelivery(), show the result. Every text from the
// certificate or a file name goes in with textContent, never as HTML.
"use strict";

const $ = (id) => document.getElementById(id);

const STATE_LABELS = {
  verified: "verified", modified: "MODIFIED", renamed: "RENAMED", duplicate_name: "DUPLICATE NAME",
  not_certified: "NOT CERTIFIED", missing: "MISSING", unreadable: "UNREADABLE",
};

// What every output of provenance escapes (provenance/_text.py): controls, line and paragraph
// separators, bidirectional controls (a name "photo\u202egpj.jpg" would show reversed) and the
// characters that render as nothing ("a.jpg" and "a\u200b.jpg" would look alike).
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;
const SHORT_ESCAPES = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

function visible(text) {
  return String(text).replace(INVISIBLE, (c) => SHORT_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

// Every text child is shown through visible(); attributes keep the exact value (for lookups).
function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  for (const child of children) node.append(typeof child === "string" ? visible(child) : (child ?? ""));
  return node;
}

// The delivered files, named as the CLI names them: relative to the chosen folder (its own name,
// the first segment of webkitRelativePath, dropped), or bare names for files picked one by one.
function givenFiles() {
  const folder = Array.from($("folder").files);
  const files = Array.from($("files").files);
  if (folder.length && files.length) {
    throw new PageInputError("input.both", "choose the delivered files or the delivery folder, not both (reload the page to start again)");
  }
  if (folder.length) {
    return folder.map((file) => {
      const path = file.webkitRelativePath || file.name;
      return { raw: path.includes("/") ? path.slice(path.indexOf("/") + 1) : path, blob: file };
    });
  }
  return files.map((file) => ({ raw: file.name, blob: file }));
}

async function readInputs() {
  const certificateFile = $("certificate").files[0];
  const keyFile = $("public-key").files[0];
  if (!certificateFile) throw new PageInputError("input.no_certificate", "choose the certificate (.cert.json) first");
  if (!keyFile) {
    throw new PageInputError("input.no_key", "choose the studio's public key (provenance.pub): the certificate does not carry it");
  }
  if (keyFile.size > CONFIG.maxKeyBytes) throw new PageInputError("key.invalid", "the public key file is far too large to be a key");
  const key = await loadPublicKey(await keyFile.text());
  const bytes = certificateFile.size > CONFIG.maxCertificateBytes ? null : new Uint8Array(await certificateFile.arrayBuffer());
  const certificate = { bytes, size: certificateFile.size, name: certificateFile.name, lastModified: certificateFile.lastModified };
  return { certificate, key, given: givenFiles() };
}

function showProgress(done, total) {
  $("progress").max = Math.max(total, 1);
  $("progress").value = done;
  $("progress-text").textContent = `${done} of ${total} files read`;
}

function render(result, elapsed) {
  const failedChecks = result.checks.filter((c) => c.status === "failed");
  const bad = result.files.filter((f) => f.state !== "verified");
  const conclusion = $("conclusion");
  if (result.ok) {
    const policy = result.certificate.policy;
    conclusion.textContent = visible(`VERIFIED: ${result.summary.verified} file(s) are exactly those certified by key ` +
      `${result.key_id.slice(0, 16)}… under policy ${policy.id} ${policy.version} (evaluated ${result.certificate.evaluated_at}).`);
  } else {
    const parts = failedChecks.map((c) => `${c.name.replace(/_/g, " ")} check failed`);
    for (const state of FILE_STATES.slice(1)) if (result.summary[state]) parts.push(`${result.summary[state]} ${state.replace(/_/g, " ")}`);
    conclusion.textContent = `FAILED: ${parts.join("; ")}.`;
  }
  $("elapsed").textContent = `Checked in ${(elapsed / 1000).toFixed(2)} s, offline.`;
  if (!result.files.length && failedChecks.length) {
    $("progress-text").textContent = "files not compared: the certificate could not be trusted (see the checks)";
  }
  const checks = $("checks-body");
  for (const check of result.checks) {
    const mark = { passed: "ok", failed: "FAILED", skipped: "–" }[check.status];
    checks.append(element("tr", { "data-check": check.name, "data-status": check.status,
                                  "data-code": check.code ?? (check.status === "passed" ? "ok" : "skipped") },
      element("td", { class: `mark ${check.status}` }, mark), element("td", {}, check.name.replace(/_/g, " ")),
      element("td", {}, check.message), element("td", { class: "code" }, check.code ?? "")));
  }
  renderCertificate(result);
  const recorded = new Map(result.images.map((image) => [String(image.name).normalize("NFC"), image]));
  const body = document.createDocumentFragment();
  for (const file of result.files) {
    const image = recorded.get(file.certified_name ?? file.name);
    const cell = (value) => element("td", {}, value === undefined || value === null ? "" : String(value));
    body.append(element("tr", { "data-file": file.name, "data-code": file.state, class: file.state },
      element("td", { class: "name" }, file.name), element("td", { class: "state" }, STATE_LABELS[file.state]),
      element("td", {}, file.message), cell(image && image.status), cell(image && image.assurance),
      cell(image && image.validationState), cell(image && image.signer)));
  }
  $("files-body").append(body);
  const skipped = $("skipped");
  for (const item of result.skipped) skipped.append(element("li", { "data-skipped": item.path }, `${item.path}: ${item.why}`));
  $("details").hidden = false;
  $("result").dataset.status = result.ok ? "verified" : "failed";
  $("result").dataset.ok = String(result.ok);
}

function renderCertificate(result) {
  const info = $("certificate-info");
  const policy = result.certificate.policy;
  const tool = result.certificate.tool;
  const rows = [["key id", result.key_id]];
  if (policy) rows.push(["policy", `${policy.id} ${policy.version} (sha256 ${policy.sha256})`]);
  if (result.certificate.evaluated_at) rows.push(["evaluated at", String(result.certificate.evaluated_at)]);
  if (tool) {
    const text = (value) => (typeof value === "string" ? value : brief(value));
    const others = Object.entries(tool).filter(([k]) => k !== "name" && k !== "version").map(([k, v]) => `${k} ${text(v)}`);
    rows.push(["audited with", `${text(tool.name)} ${text(tool.version)}${others.length ? ` (${others.join(", ")})` : ""}`]);
  }
  for (const [label, value] of rows) info.append(element("dt", {}, label), element("dd", {}, value));
}

function reset() {
  for (const id of ["checks-body", "files-body", "skipped", "certificate-info"]) $(id).replaceChildren();
  $("error").textContent = "";
  delete $("error").dataset.code;
  $("conclusion").textContent = "";
  $("elapsed").textContent = "";
  $("details").hidden = true;
}

async function run() {
  const button = $("verify");
  button.disabled = true;
  reset();
  $("result").dataset.status = "running";
  const started = performance.now();
  try {
    const inputs = await readInputs();
    showProgress(0, inputs.given.length);
    const result = await verifyDelivery({ ...inputs, typedKeyId: $("key-id").value, now: Date.now(), onProgress: showProgress });
    render(result, performance.now() - started);
  } catch (error) {
    const known = error instanceof PageInputError;
    $("error").dataset.code = known ? error.code : "page.internal_error";
    $("error").textContent = visible(known ? error.message : `internal error: ${(error && error.name) || ""} ${(error && error.message) || error}`);
    $("result").dataset.status = "failed";
    $("result").dataset.ok = "false";
  } finally {
    button.disabled = false;
  }
}

document.addEventListener("DOMContentLoaded", () => {
  $("verify").addEventListener("click", run);
  $("version").textContent = CONFIG.version;
});

// The pure functions, for tests and for anyone who wants to check them from the console.
window.ProvenanceVerify = Object.freeze({
  Sha256, sha256Hex, parseStrictJson, parseEnvelope, globMatches, parseUtcTime, derToRawSignature,
  rawToDerSignature, signatureShapeProblem, parsePublicKeyPem, pae, loadPublicKey, verifyDelivery, CONFIG,
});
