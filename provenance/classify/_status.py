"""Validation status codes: one explicit row per code, with its source and its effect on the verdict.

Every code c2pa-rs 0.91 reports and the C2PA 2.x / CAWG identity 1.x specifications define
is a row. A code is looked up by its exact name: nothing here matches a suffix or a pattern,
so a new code is never silently read as a known one. A code the table does not know is
judged by how the reader filed it: an unknown failure is ``invalid`` (nothing can be
certified on a failure nobody has explained), an unknown informational code a warning
naming it, an unknown success nothing.

Columns:

- ``kind``: how c2pa-rs files the code (``LogKind``; ``validation_codes::log_kind``). The
  effect below is decided by the code, whatever list the reader put it in (c2pa-rs 0.91 files
  ``timeStamp.mismatch`` as informational, yet the charter calls it a broken credential).
- ``subject``: what the code is about (signer, content, ingredient, identity, timestamp).
- ``effect``: ``ok`` (nothing), ``warning`` (reported, no effect), ``untrusted`` (the data is
  intact but the signer or its time cannot be accepted: ``credentials_untrusted`` in the
  active manifest, an ingredient-signer warning elsewhere), ``invalid`` (a hash, signature or
  structure failure: ``credentials_invalid``).

Sources (cited per row by key):

- ``RS``: c2pa-rs ``sdk/src/validation_results.rs`` ``pub mod validation_codes`` (the constants
  and ``log_kind``), present in the 0.91.3 library c2pa-python 0.38.1 ships;
  ``RS-ts``: the timestamp codes there; ``RS-main``: defined in c2pa-rs after 0.91 (kept so an
  upgrade does not fall to the unknown-code rule).
- ``SPEC``: C2PA 2.2 §15.2.1 "Standard status codes" (the tables of success, informational
  and failure codes).
- ``CAWG``: CAWG identity assertion 1.x §7.2 "Validation status codes" (``cawg.identity.*``),
  §8.1 identity claims aggregation (``cawg.ica.*``), §8.2.2 X.509 COSE (``cawg.x509.*``);
  c2pa-rs ``sdk/src/identity/`` (``identity_assertion/validation_error.rs``,
  ``claim_aggregation/ica_validation_error.rs``, ``x509/x509_status_remap.rs``).
- ``CHARTER``: ``../shared/docs/charter.md`` "Decision tables (default policy)"; the
  wildcards there (``claim.*``, ``manifest.*``, ``ingredient.claimSignature.*``) are the
  rows below with those prefixes; ``ecosystem.md`` §3.3 lists the codes seen in practice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from ..model import StatusKind

__all__ = ["STATUS_TABLE", "StatusEffect", "StatusRow", "StatusSubject", "classify_status_code"]


class StatusSubject(StrEnum):
    """What a validation status code is about."""

    SIGNER = "signer"
    CONTENT = "content"
    INGREDIENT = "ingredient"
    IDENTITY = "identity"
    TIMESTAMP = "timestamp"


class StatusEffect(StrEnum):
    """What a validation status code does to the verdict (see the module docstring)."""

    OK = "ok"
    WARNING = "warning"
    UNTRUSTED = "untrusted"
    INVALID = "invalid"


@dataclass(frozen=True, slots=True)
class StatusRow:
    """One row of the status table. ``known`` is ``False`` for a code the table does not list."""

    code: str
    kind: StatusKind
    subject: StatusSubject
    effect: StatusEffect
    source: str
    known: bool = True


_S, _I, _F = StatusKind.SUCCESS, StatusKind.INFORMATIONAL, StatusKind.FAILURE
_SIG, _CON, _ING, _ID, _TS = (StatusSubject.SIGNER, StatusSubject.CONTENT, StatusSubject.INGREDIENT,
                              StatusSubject.IDENTITY, StatusSubject.TIMESTAMP)
_OK, _WARN, _UNTR, _INV = StatusEffect.OK, StatusEffect.WARNING, StatusEffect.UNTRUSTED, StatusEffect.INVALID

_ROWS: tuple[tuple[str, StatusKind, StatusSubject, StatusEffect, str], ...] = (
    # --- success (C2PA) -----------------------------------------------------------------
    ("claimSignature.validated", _S, _CON, _OK, "RS; SPEC"),
    ("claimSignature.insideValidity", _S, _SIG, _OK, "RS; SPEC"),
    ("signingCredential.trusted", _S, _SIG, _OK, "RS; SPEC; CHARTER (what 'trusted' means)"),
    ("signingCredential.ocsp.notRevoked", _S, _SIG, _OK, "RS; SPEC"),
    ("timeStamp.validated", _S, _TS, _OK, "RS-ts; SPEC"),
    ("timeStamp.trusted", _S, _TS, _OK, "RS-ts; SPEC"),
    ("timeOfSigning.insideValidity", _I, _TS, _OK, "RS-main (informational); SPEC 2.2"),
    ("assertion.hashedURI.match", _S, _CON, _OK, "RS; SPEC"),
    ("assertion.dataHash.match", _S, _CON, _OK, "RS; SPEC"),
    ("assertion.bmffHash.match", _S, _CON, _OK, "RS; SPEC"),
    ("assertion.boxesHash.match", _S, _CON, _OK, "RS; SPEC"),
    ("assertion.collectionHash.match", _S, _CON, _OK, "RS; SPEC"),
    ("assertion.accessible", _S, _CON, _OK, "RS; SPEC"),
    ("ingredient.manifest.validated", _S, _ING, _OK, "RS; SPEC"),
    ("ingredient.claimSignature.validated", _S, _ING, _OK, "RS; SPEC"),
    # --- informational (C2PA) -----------------------------------------------------------
    ("signingCredential.ocsp.skipped", _I, _SIG, _OK,
     "RS; SPEC; reading never fetches OCSP (offline by design), so the skip is expected"),
    ("signingCredential.ocsp.inaccessible", _I, _SIG, _WARN, "RS; SPEC; CHARTER (network-only: warning)"),
    ("timeStamp.untrusted", _I, _TS, _WARN,
     "RS-ts; SPEC; CHARTER (warning); issue #10.4 (a timestamp finding, never a signer finding)"),
    ("timeStamp.mismatch", _I, _TS, _INV, "RS-ts (filed informational); SPEC; CHARTER (credentials_invalid)"),
    ("timeStamp.malformed", _I, _TS, _INV, "RS-ts (filed informational); SPEC; CHARTER (credentials_invalid)"),
    ("timeStamp.outsideValidity", _I, _TS, _UNTR,
     "RS-ts (filed informational); SPEC; the time it gives is outside the signer's or TSA's validity"),
    ("manifest.unknownProvenance", _I, _CON, _INV,
     "RS-main; a manifest the reader cannot interpret: nothing it says can be judged"),
    ("manifest.unreferenced", _I, _CON, _WARN, "RS; SPEC"),
    ("ingredient.unknownProvenance", _I, _ING, _WARN, "RS; SPEC (the ingredient had no C2PA of its own)"),
    ("algorithm.deprecated", _I, _CON, _WARN, "RS; SPEC"),
    ("assertion.dataHash.additionalExclusionsPresent", _I, _CON, _WARN, "RS; SPEC 2.2"),
    ("assertion.bmffHash.additionalExclusionsPresent", _I, _CON, _WARN,
     "RS 0.91 (reported for ../shared cards_trusted.avif); SPEC 2.2 (BMFF hash exclusions)"),
    # --- failure: signer (C2PA) ---------------------------------------------------------
    ("signingCredential.untrusted", _F, _SIG, _UNTR, "RS; SPEC; CHARTER (credentials_untrusted)"),
    ("signingCredential.invalid", _F, _SIG, _UNTR, "RS; SPEC; CHARTER (profile/EKU: credentials_untrusted)"),
    ("signingCredential.ocsp.revoked", _F, _SIG, _UNTR, "RS; SPEC; CHARTER"),
    ("signingCredential.ocsp.unknown", _F, _SIG, _WARN, "RS; SPEC; CHARTER (network-only: warning)"),
    ("signingCredential.expired", _F, _SIG, _UNTR, "RS; SPEC; CHARTER; issue #10.4"),
    ("claimSignature.outsideValidity", _F, _SIG, _UNTR, "RS; SPEC; CHARTER"),
    ("timeOfSigning.outsideValidity", _F, _TS, _UNTR, "SPEC 2.2 (time of signing outside the signer's validity)"),
    # --- failure: claim, signature and manifest structure (charter claim.*, manifest.*) ---
    ("claimSignature.missing", _F, _CON, _INV, "RS; SPEC; CHARTER"),
    ("claimSignature.mismatch", _F, _CON, _INV, "RS; SPEC; CHARTER"),
    ("claim.malformed", _F, _CON, _INV, "RS; CHARTER (claim.*)"),
    ("claim.missing", _F, _CON, _INV, "RS; SPEC; CHARTER (claim.*)"),
    ("claim.multiple", _F, _CON, _INV, "RS; SPEC; CHARTER (claim.*)"),
    ("claim.hardBindings.missing", _F, _CON, _INV, "RS; SPEC; CHARTER (claim.*)"),
    ("claim.required.missing", _F, _CON, _INV, "RS; SPEC; CHARTER (claim.*)"),
    ("claim.cbor.invalid", _F, _CON, _INV, "RS; SPEC; CHARTER (claim.*)"),
    ("manifest.inaccessible", _F, _CON, _INV, "RS; SPEC; CHARTER (manifest.*)"),
    ("manifest.multipleParents", _F, _CON, _INV, "RS; SPEC; CHARTER (manifest.*)"),
    ("manifest.update.invalid", _F, _CON, _INV, "RS; SPEC; CHARTER (manifest.*)"),
    ("manifest.update.wrongParents", _F, _CON, _INV, "RS; SPEC; CHARTER (manifest.*)"),
    ("manifest.timestamp.invalid", _F, _CON, _INV, "RS; SPEC 2.2; CHARTER (manifest.*)"),
    ("manifest.timestamp.wrongParents", _F, _CON, _INV, "RS; SPEC 2.2; CHARTER (manifest.*)"),
    ("manifest.compressed.invalid", _F, _CON, _INV, "RS; SPEC 2.2; CHARTER (manifest.*)"),
    ("algorithm.unsupported", _F, _CON, _INV, "RS; SPEC; CHARTER"),
    ("general.error", _F, _CON, _INV, "RS; SPEC; CHARTER"),
    ("com.adobe.prerelease", _F, _CON, _INV, "RS validation_status.rs (unofficial: a pre-release manifest)"),
    # --- failure: assertions and hard bindings -------------------------------------------
    ("assertion.hashedURI.mismatch", _F, _CON, _INV, "RS; SPEC; CHARTER"),
    ("assertion.missing", _F, _CON, _INV, "RS; SPEC; CHARTER"),
    ("assertion.undeclared", _F, _CON, _INV, "RS; SPEC"),
    ("assertion.inaccessible", _F, _CON, _INV, "RS; SPEC"),
    ("assertion.notRedacted", _F, _CON, _INV, "RS; SPEC"),
    ("assertion.selfRedacted", _F, _CON, _INV, "RS; SPEC"),
    ("assertion.required.missing", _F, _CON, _INV, "RS; SPEC"),
    ("assertion.json.invalid", _F, _CON, _INV, "RS; SPEC; CHARTER"),
    ("assertion.cbor.invalid", _F, _CON, _INV, "RS; SPEC; CHARTER"),
    ("assertion.outsideManifest", _F, _CON, _INV, "RS; SPEC"),
    ("assertion.multipleHardBindings", _F, _CON, _INV, "RS; SPEC"),
    ("assertion.action.ingredientMismatch", _F, _CON, _INV, "RS; SPEC"),
    ("assertion.action.malformed", _F, _CON, _INV, "RS; SPEC; CHARTER"),
    ("assertion.action.redacted", _F, _CON, _INV, "RS; SPEC"),
    ("assertion.action.redactionMismatch", _F, _CON, _INV, "RS; SPEC 2.2"),
    ("assertion.dataHash.mismatch", _F, _CON, _INV, "RS; SPEC; CHARTER"),
    ("assertion.dataHash.malformed", _F, _CON, _INV, "RS; SPEC"),
    ("assertion.dataHash.redacted", _F, _CON, _INV, "RS-main; SPEC 2.2"),
    ("assertion.bmffHash.mismatch", _F, _CON, _INV, "RS; SPEC; CHARTER"),
    ("assertion.bmffHash.malformed", _F, _CON, _INV, "RS; SPEC"),
    ("assertion.boxesHash.mismatch", _F, _CON, _INV, "RS; SPEC; CHARTER"),
    ("assertion.boxesHash.unknownBox", _F, _CON, _INV, "RS; SPEC"),
    ("assertion.boxesHash.malformed", _F, _CON, _INV, "RS; SPEC"),
    ("assertion.collectionHash.mismatch", _F, _CON, _INV, "RS; SPEC 2.2"),
    ("assertion.collectionHash.incorrectFileCount", _F, _CON, _INV, "RS; SPEC 2.2"),
    ("assertion.collectionHash.invalidURI", _F, _CON, _INV, "RS; SPEC 2.2"),
    ("assertion.collectionHash.malformed", _F, _CON, _INV, "RS; SPEC 2.2"),
    ("assertion.multiAssetHash.malformed", _F, _CON, _INV, "RS-main; SPEC 2.2"),
    ("assertion.multiAssetHash.missingPart", _F, _CON, _INV, "RS-main; SPEC 2.2"),
    ("assertion.cloud-data.hardBinding", _F, _CON, _INV, "RS; SPEC"),
    ("assertion.cloud-data.actions", _F, _CON, _INV, "RS; SPEC"),
    ("assertion.cloud-data.malformed", _F, _CON, _INV, "RS; SPEC"),
    ("assertion.ingredient.malformed", _F, _CON, _INV, "RS; SPEC 2.2"),
    ("assertion.metadata.disallowed", _F, _CON, _INV, "RS-main; SPEC 2.2"),
    ("assertion.timestamp.malformed", _F, _CON, _INV, "RS; SPEC 2.2"),
    ("hashedURI.missing", _F, _CON, _INV, "RS-main; SPEC 2.2"),
    ("hashedURI.mismatch", _F, _CON, _INV, "RS; SPEC 2.2"),
    # --- failure: ingredients (charter ingredient.claimSignature.*) ----------------------
    ("ingredient.hashedURI.mismatch", _F, _ING, _INV, "RS; SPEC"),
    ("ingredient.manifest.missing", _F, _ING, _INV, "RS; SPEC; CHARTER"),
    ("ingredient.manifest.mismatch", _F, _ING, _INV, "RS; SPEC; CHARTER"),
    ("ingredient.claimSignature.missing", _F, _ING, _INV, "RS; SPEC; CHARTER (ingredient.claimSignature.*)"),
    ("ingredient.claimSignature.mismatch", _F, _ING, _INV, "RS; SPEC; CHARTER (ingredient.claimSignature.*)"),
    # --- CAWG identity assertion (§7.2): identity, not image integrity, except mismatches ---
    ("cawg.identity.well-formed", _S, _ID, _OK, "CAWG §7.2; RS 0.91"),
    ("cawg.identity.trusted", _S, _ID, _OK, "CAWG §7.2; RS-main (verifier.rs CAWG_IDENTITY_TRUSTED)"),
    ("cawg.identity.untrusted", _F, _ID, _WARN, "CAWG §7.2; RS-main; CHARTER (identity trust: warning)"),
    ("cawg.identity.cbor.invalid", _F, _ID, _WARN, "CAWG §7.2 (the assertion's own hash is checked by the claim)"),
    ("cawg.identity.assertion.mismatch", _F, _ID, _INV,
     "CAWG §7.2; RS 0.91 (a referenced assertion does not match what the identity signed)"),
    ("cawg.identity.assertion.duplicate", _F, _ID, _WARN, "CAWG §7.2; RS 0.91"),
    ("cawg.identity.hard_binding_missing", _F, _ID, _WARN, "CAWG §7.2; RS 0.91"),
    ("cawg.identity.sig_type.unknown", _F, _ID, _WARN, "CAWG §7.2; RS 0.91"),
    ("cawg.identity.pad.invalid", _F, _ID, _WARN, "CAWG §7.2; RS 0.91"),
    # --- CAWG X.509 COSE credentials (§8.2.2; c2pa-rs x509_status_remap.rs) ---------------
    ("cawg.x509.signature.validated", _S, _ID, _OK, "CAWG §8.2.2; RS 0.91"),
    ("cawg.x509.credential.trusted", _S, _ID, _OK, "CAWG §8.2.2; RS 0.91"),
    ("cawg.x509.signature.mismatch", _F, _ID, _INV, "CAWG §8.2.2; RS 0.91; CHARTER (credentials_invalid)"),
    ("cawg.x509.credential.untrusted", _F, _ID, _WARN, "CAWG §8.2.2; RS 0.91; CHARTER (warning)"),
    ("cawg.x509.credential.invalid", _F, _ID, _WARN, "CAWG §8.2.2; RS 0.91 (identity profile: warning)"),
    ("cawg.x509.algorithm.unsupported", _F, _ID, _WARN, "CAWG §8.2.2; RS 0.91"),
    ("cawg.x509.signature.outside_validity", _F, _ID, _WARN, "CAWG §8.2.2; RS 0.91"),
    # --- CAWG identity claims aggregation (§8.1; c2pa-rs ica_validation_error.rs) ---------
    ("cawg.ica.credential_valid", _S, _ID, _OK, "CAWG §8.1; RS 0.91"),
    ("cawg.ica.time_stamp.validated", _S, _ID, _OK, "CAWG §8.1; RS 0.91"),
    ("cawg.ica.signature_mismatch", _F, _ID, _INV,
     "CAWG §8.1; RS 0.91 (the credential's signature does not verify); issue #9 (was let through)"),
    ("cawg.ica.signer_payload.mismatch", _F, _ID, _INV, "CAWG §8.1; RS 0.91; CHARTER (credentials_invalid)"),
    ("cawg.ica.did_unavailable", _F, _ID, _WARN, "CAWG §8.1; RS 0.91; CHARTER (network-only: warning)"),
    ("cawg.ica.untrusted_issuer", _F, _ID, _WARN, "CAWG §8.1; RS 0.91; CHARTER (warning)"),
    ("cawg.ica.invalid_issuer", _F, _ID, _WARN, "CAWG §8.1; RS 0.91"),
    ("cawg.ica.invalid_alg", _F, _ID, _WARN, "CAWG §8.1; RS 0.91"),
    ("cawg.ica.invalid_content_type", _F, _ID, _WARN, "CAWG §8.1; RS 0.91"),
    ("cawg.ica.invalid_cose_sign1", _F, _ID, _WARN, "CAWG §8.1; RS 0.91"),
    ("cawg.ica.invalid_did_document", _F, _ID, _WARN, "CAWG §8.1; RS 0.91"),
    ("cawg.ica.invalid_verifiable_credential", _F, _ID, _WARN, "CAWG §8.1; RS 0.91"),
    ("cawg.ica.time_stamp.invalid", _F, _ID, _WARN, "CAWG §8.1; RS 0.91"),
    ("cawg.ica.valid_from.missing", _F, _ID, _WARN, "CAWG §8.1; RS 0.91"),
    ("cawg.ica.valid_from.invalid", _F, _ID, _WARN, "CAWG §8.1; RS 0.91"),
    ("cawg.ica.valid_until.invalid", _F, _ID, _WARN, "CAWG §8.1; RS 0.91"),
)

STATUS_TABLE: Mapping[str, StatusRow] = MappingProxyType(
    {code: StatusRow(code, kind, subject, effect, source) for code, kind, subject, effect, source in _ROWS}
)
"""Every known validation status code, by exact name."""

_UNKNOWN_EFFECT = {StatusKind.SUCCESS: _OK, StatusKind.INFORMATIONAL: _WARN, StatusKind.FAILURE: _INV}


def classify_status_code(code: str, kind: StatusKind | str = StatusKind.FAILURE) -> StatusRow:
    """The status table's row for ``code``, or a row for an unknown code.

    Args:
        code: the exact status code, e.g. ``"assertion.dataHash.mismatch"``.
        kind: how the reader filed it; used only for a code the table does not know.
    Returns:
        The :class:`StatusRow`. An unknown code gets ``known=False``, subject ``content``,
        and the effect its kind calls for: failure -> ``invalid``, informational ->
        ``warning``, success -> ``ok``. Known codes are judged by the code alone.
    """
    row = STATUS_TABLE.get(code)
    if row is not None:
        return row
    try:
        filed = StatusKind(kind)
    except ValueError:
        filed = StatusKind.FAILURE
    return StatusRow(code, filed, StatusSubject.CONTENT, _UNKNOWN_EFFECT[filed],
                     "not in the status table (classify/_status.py)", known=False)
