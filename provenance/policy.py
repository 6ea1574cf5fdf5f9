"""Policy as data, and the pure function that turns evidence into a verdict.

A policy is a TOML file (schema in ``docs/policy.md``). The studio charter
ships as the default policy (``provenance/policies/charter.toml``) and is
loaded through the same code as a studio's own file. Rules have ids and are
read in order: the first rule whose match fits a classification decides it;
anything no rule matches gets the policy's mandatory ``default`` (default deny
in spirit: in-toto's terminal DISALLOW, pyHanko's ``ModificationLevel.OTHER``).

:func:`evaluate` does no I/O, reads no clock and touches no file: the same
evidence and policy always give the same verdict.
"""

from __future__ import annotations

import fnmatch
import hashlib
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from ._io import read_regular_file
from .chain import chain_of
from .classify import (
    Classification,
    StatusClass,
    classify_credentials,
    classify_signal,
    classify_status_code,
    normalise_digital_source_type,
)
from .classify._assertions import information_findings
from .errors import PolicyError
from .model import (
    Assurance,
    Category,
    CredentialsPresence,
    Decision,
    Evidence,
    Finding,
    Location,
)
from .verdict import ImageVerdict, Reason, Status

__all__ = ["Policy", "Rule", "TrustRequirement", "default_policy", "evaluate", "load_policy", "parse_policy"]

_DECISIONS = {d.value: d for d in Decision}
_CATEGORIES = {c.value: c for c in Category}


@dataclass(frozen=True, slots=True)
class Rule:
    """One policy rule. Every key given must match (an AND); at least one is required.

    ``action`` matches the C2PA action label, with ``*`` wildcards
    (``com.adobe.*``); ``digital_source_type`` matches the bare term (any
    spelling in the file is normalised); ``category`` matches the classification.
    """

    id: str
    decision: Decision
    category: Category | None = None
    action: str | None = None
    digital_source_type: str | None = None
    cite: str | None = None

    def matches(self, classification: Classification) -> bool:
        """Whether this rule applies to ``classification``."""
        if self.category is not None and classification.category is not self.category:
            return False
        if self.action is not None and (
            classification.action is None or not fnmatch.fnmatchcase(classification.action, self.action)
        ):
            return False
        return self.digital_source_type is None or classification.digital_source_type == self.digital_source_type


@dataclass(frozen=True, slots=True)
class TrustRequirement:
    """The policy's trust section.

    ``require_trusted_signer``: the active manifest's signer must chain to a
    trust anchor (``signingCredential.trusted``) for an image to be compliant.
    ``ingredient_signer_problem``: ``"warn"`` (report only) or ``"review"``.
    ``accept_unsigned_metadata``: whether metadata showing only allowed edits
    may make an image without credentials compliant (assurance ``metadata_only``).
    ``max_trust_list_age_days``: a trust list older than this is warned about.
    """

    require_trusted_signer: bool = True
    ingredient_signer_problem: str = "warn"
    accept_unsigned_metadata: bool = False
    max_trust_list_age_days: int = 90


@dataclass(frozen=True, slots=True)
class Policy:
    """A loaded policy. ``sha256`` is the digest of the file's exact bytes, ``text`` the file."""

    id: str
    version: str
    default: Decision
    rules: tuple[Rule, ...]
    trust: TrustRequirement
    title: str | None
    sha256: str
    text: str
    source: str

    def decide(self, classification: Classification) -> tuple[Decision, str]:
        """Return ``(decision, rule id)`` for a classification; ``"default"`` when no rule matched."""
        for rule in self.rules:
            if rule.matches(classification):
                return rule.decision, rule.id
        return self.default, "default"


_TOP_KEYS = {"policy", "trust", "rule"}
_POLICY_KEYS = {"id", "version", "title", "default", "description"}
_TRUST_KEYS = {"require_trusted_signer", "ingredient_signer_problem", "accept_unsigned_metadata",
               "max_trust_list_age_days"}
_RULE_KEYS = {"id", "decision", "category", "action", "digital_source_type", "cite", "description"}


def _expect(table: Mapping[str, Any], key: str, kind: type, where: str, *, required: bool) -> Any:
    if key not in table:
        if required:
            raise PolicyError(f"{where}: missing required key '{key}'")
        return None
    value = table[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise PolicyError(f"{where}.{key}: expected {kind.__name__}, got {type(value).__name__} {value!r}")
    if isinstance(value, str) and not value.strip():
        raise PolicyError(f"{where}.{key}: must not be empty")
    return value


def _unknown(table: Mapping[str, Any], allowed: set[str], where: str) -> None:
    extra = sorted(set(table) - allowed)
    if extra:
        raise PolicyError(f"{where}: unknown key '{extra[0]}' (allowed: {', '.join(sorted(allowed))})")


def _decision(value: str, where: str) -> Decision:
    if value not in _DECISIONS:
        raise PolicyError(f"{where}: '{value}' is not a decision (allowed, forbidden, review)")
    return _DECISIONS[value]


def parse_policy(data: bytes, source: str = "<policy>") -> Policy:
    """Parse and validate a policy file's bytes.

    Args:
        data: the TOML file's exact bytes (UTF-8).
        source: a name for messages (usually the path).
    Returns:
        The :class:`Policy`.
    Raises:
        PolicyError: invalid TOML, an unknown or missing key, a wrong type, an
            unknown category or decision, a duplicate rule id, a rule with no
            match key, no rules. The message names the key and the problem.
    """
    try:
        text = data.decode("utf-8-sig")  # a BOM (Windows editors) is accepted; the digest covers the exact bytes
        document = tomllib.loads(text)
    except UnicodeDecodeError as error:
        raise PolicyError(f"{source}: not UTF-8 text ({error})") from error
    except tomllib.TOMLDecodeError as error:
        raise PolicyError(f"{source}: not valid TOML ({error})") from error
    _unknown(document, _TOP_KEYS, source)
    head = document.get("policy")
    if not isinstance(head, dict):
        raise PolicyError(f"{source}: missing the [policy] table")
    _unknown(head, _POLICY_KEYS, "policy")
    policy_id = _expect(head, "id", str, "policy", required=True)
    version = _expect(head, "version", str, "policy", required=True)
    title = _expect(head, "title", str, "policy", required=False)
    default = _decision(_expect(head, "default", str, "policy", required=True), "policy.default")

    trust_table = document.get("trust", {})
    if not isinstance(trust_table, dict):
        raise PolicyError(f"{source}: [trust] must be a table")
    _unknown(trust_table, _TRUST_KEYS, "trust")
    trust = TrustRequirement()
    require = _expect(trust_table, "require_trusted_signer", bool, "trust", required=False)
    problem = _expect(trust_table, "ingredient_signer_problem", str, "trust", required=False)
    if problem is not None and problem not in ("warn", "review"):
        raise PolicyError(f"trust.ingredient_signer_problem: '{problem}' is not 'warn' or 'review'")
    unsigned = _expect(trust_table, "accept_unsigned_metadata", bool, "trust", required=False)
    max_age = _expect(trust_table, "max_trust_list_age_days", int, "trust", required=False)
    if max_age is not None and max_age < 1:
        raise PolicyError("trust.max_trust_list_age_days: must be at least 1")
    trust = TrustRequirement(
        require_trusted_signer=trust.require_trusted_signer if require is None else require,
        ingredient_signer_problem=problem or trust.ingredient_signer_problem,
        accept_unsigned_metadata=trust.accept_unsigned_metadata if unsigned is None else unsigned,
        max_trust_list_age_days=trust.max_trust_list_age_days if max_age is None else max_age,
    )

    raw_rules = document.get("rule", [])
    if not isinstance(raw_rules, list) or not raw_rules:
        raise PolicyError(f"{source}: a policy needs at least one [[rule]]")
    rules: list[Rule] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_rules):
        where = f"rule[{index}]"
        if not isinstance(raw, dict):
            raise PolicyError(f"{where}: must be a table")
        _unknown(raw, _RULE_KEYS, where)
        rule_id = _expect(raw, "id", str, where, required=True)
        where = f"rule '{rule_id}'"
        if rule_id in seen:
            raise PolicyError(f"{where}: duplicate rule id")
        seen.add(rule_id)
        decision = _decision(_expect(raw, "decision", str, where, required=True), f"{where}.decision")
        category_name = _expect(raw, "category", str, where, required=False)
        category = None
        if category_name is not None:
            if category_name not in _CATEGORIES:
                raise PolicyError(
                    f"{where}.category: unknown category '{category_name}' "
                    f"(known: {', '.join(sorted(_CATEGORIES))})"
                )
            category = _CATEGORIES[category_name]
        action = _expect(raw, "action", str, where, required=False)
        dst_raw = _expect(raw, "digital_source_type", str, where, required=False)
        dst = normalise_digital_source_type(dst_raw) if dst_raw is not None else None
        if category is None and action is None and dst is None:
            raise PolicyError(f"{where}: needs at least one of 'category', 'action', 'digital_source_type'")
        rules.append(Rule(
            id=rule_id, decision=decision, category=category, action=action, digital_source_type=dst,
            cite=_expect(raw, "cite", str, where, required=False),
        ))
    return Policy(
        id=policy_id, version=version, default=default, rules=tuple(rules), trust=trust, title=title,
        sha256=hashlib.sha256(data).hexdigest(), text=text, source=source,
    )


def load_policy(path: str | Path | None = None) -> Policy:
    """Load a policy file, or the default studio charter when ``path`` is ``None``.

    Raises:
        PolicyError: the file cannot be read or is invalid (see :func:`parse_policy`).
    """
    if path is None:
        return default_policy()
    return parse_policy(read_regular_file(path, "policy", PolicyError), str(path))


def default_policy() -> Policy:
    """The studio charter (``../shared/docs/charter.md``) as shipped with the package."""
    data = resources.files("provenance").joinpath("policies/charter.toml").read_bytes()
    return parse_policy(data, "provenance:policies/charter.toml")


# --------------------------------------------------------------------------------------
# Evaluation
# --------------------------------------------------------------------------------------

_REASON_ORDER = list(Reason)


def _manifest_of(url: str | None) -> str | None:
    """The manifest label in a JUMBF URI: ``self#jumbf=/c2pa/<label>/c2pa.signature`` -> ``<label>``."""
    if not url or "/c2pa/" not in url:
        return None
    label = url.split("/c2pa/", 1)[1].split("/", 1)[0]
    return label or None

_TRUSTED = "signingCredential.trusted"
_REMOTE_POINTER_ROW = "xmp.remote_manifest"


def _finding_from(classification: Classification, decision: Decision, rule: str, code: str) -> Finding:
    return Finding(
        code=code,
        message=classification.reason,
        location=classification.location,
        category=classification.category,
        decision=decision,
        rule=rule,
        signal=classification.signal,
        source_ref=f"{classification.row} ({classification.source})",
    )


def _dst_sides(classifications: Iterable[Classification]) -> set[Category]:
    return {
        c.category for c in classifications
        if c.category in (Category.GENERATIVE, Category.CAPTURE, Category.NON_PHOTOGRAPHIC_SOURCE)
        and c.digital_source_type is not None
    }


def evaluate(evidence: Evidence, policy: Policy) -> ImageVerdict:
    """Judge one image's evidence under a policy. Pure: no I/O, no clock.

    The rules (charter; issue "Verdict per image"):

    - ``non_compliant`` when any classification is forbidden, anywhere in the
      chain, even in a manifest that fails validation;
    - else ``indeterminate`` when anything prevents certifying: no credentials,
      a failed integrity check, an untrusted signer, an unavailable manifest,
      a signal needing review, an unreadable file;
    - else ``compliant``.

    Status codes of the active manifest and of ingredient deltas are mapped by
    :func:`provenance.classify.classify_status_code`; "trusted" means the
    active manifest carries ``signingCredential.trusted`` (charter).

    Returns:
        The :class:`ImageVerdict`.
    """
    credentials = evidence.credentials
    if evidence.read_error is not None:
        finding = Finding(code="file.unreadable", message=evidence.read_error, location=Location())
        return ImageVerdict(
            path=evidence.path, sha256=evidence.sha256, size=evidence.size, media_type=evidence.media_type,
            status=Status.INDETERMINATE, reasons=(Reason.UNREADABLE,), findings=(finding,),
            credentials=credentials.presence.value, error=evidence.read_error,
        )

    reasons: set[Reason] = set()
    findings: list[Finding] = []
    warnings: list[str] = []
    decisions: list[Decision] = []

    manifest_classes = classify_credentials(credentials) if credentials.presence is CredentialsPresence.PRESENT else ()
    findings.extend(information_findings(credentials))  # training-mining, compliance records: never decide
    for classification in manifest_classes:
        decision, rule = policy.decide(classification)
        decisions.append(decision)
        code = "action.classified" if classification.action else "manifest.signal"
        findings.append(_finding_from(classification, decision, rule, code))
        if decision is Decision.FORBIDDEN:
            reasons.add(Reason.GENERATIVE_AI if classification.category is Category.GENERATIVE
                        else Reason.FORBIDDEN_EDIT)

    metadata_classes: list[Classification] = []
    metadata_allowed = False
    remote_pointers: list[Classification] = []
    for signal in evidence.metadata:
        for classification in classify_signal(signal):
            if classification.row == _REMOTE_POINTER_ROW:
                # Where the manifest is, not what was done: the credentials side decides.
                remote_pointers.append(classification)
                continue
            metadata_classes.append(classification)
            decision, rule = policy.decide(classification)
            decisions.append(decision)
            if decision is Decision.ALLOWED:
                metadata_allowed = True
            findings.append(_finding_from(classification, decision, rule, "metadata.classified"))
            if decision is Decision.FORBIDDEN:
                reasons.add(Reason.GENERATIVE_AI if classification.category is Category.GENERATIVE
                            else Reason.FORBIDDEN_EDIT)
    warnings.extend(f"metadata: {message}" for message in evidence.metadata_errors)

    # Conflicts between the signed manifest and unsigned metadata (charter: Undecided).
    manifest_sides, metadata_sides = _dst_sides(manifest_classes), _dst_sides(metadata_classes)
    if manifest_sides and metadata_sides and manifest_sides != metadata_sides:
        conflict = Classification(
            category=Category.METADATA_CONFLICT, row="fusion.conflict", source="charter: Undecided; issue #4 (fusion)",
            reason=(f"the metadata says {', '.join(sorted(metadata_sides))} but the manifest says "
                    f"{', '.join(sorted(manifest_sides))}"),
            location=Location(field="metadata vs manifest"),
        )
        if Category.GENERATIVE in manifest_sides | metadata_sides:
            # The generative reading already decided; the conflict is reported, not re-decided.
            findings.append(_finding_from(conflict, Decision.FORBIDDEN, "fusion.generative_wins", "fusion.conflict"))
        else:
            decision, rule = policy.decide(conflict)
            decisions.append(decision)
            findings.append(_finding_from(conflict, decision, rule, "fusion.conflict"))

    assurance = Assurance.NONE
    trusted = False
    if credentials.presence is CredentialsPresence.PRESENT:
        assurance = Assurance.SIGNED_CREDENTIALS
        trusted = any(
            s.code == _TRUSTED and s.scope == "active" and s.kind == "success" for s in credentials.status_codes
        )
        reported: set[tuple[str, str | None]] = set()
        for entry in credentials.status_codes:
            if entry.scope == "recorded":
                continue  # classified as RECORDED_FAILURE by the chain reading
            if (entry.code, entry.url) in reported:
                continue  # c2pa-rs reports some failures in the active results and in a delta
            reported.add((entry.code, entry.url))
            klass = classify_status_code(entry.code, entry.kind)
            if klass is StatusClass.OK:
                continue
            where = Location(manifest=_manifest_of(entry.url) or (
                credentials.active_manifest if entry.scope == "active" else None), field=entry.url or entry.code)
            detail = f"{entry.code}" + (f": {entry.explanation}" if entry.explanation else "")
            if klass is StatusClass.WARNING:
                warnings.append(detail if entry.scope == "active" else f"ingredient {detail}")
                continue
            if klass is StatusClass.INTEGRITY:
                reasons.add(Reason.CREDENTIALS_INVALID)
                if where.manifest and where.manifest != credentials.active_manifest:
                    scope = f"manifest {where.manifest}"
                else:
                    scope = "the active manifest" if entry.scope == "active" else "an ingredient's manifest"
                findings.append(Finding(
                    code="credentials.integrity_failure",
                    message=f"Integrity check failed in {scope}: {detail}",
                    location=where, signal=entry.code,
                    source_ref="charter: Decision tables (entry codes -> credentials_invalid)",
                ))
            elif entry.scope == "active":
                reasons.add(Reason.CREDENTIALS_UNTRUSTED)
                findings.append(Finding(
                    code="credentials.signer_problem",
                    message=f"The signer of the active manifest is not acceptable: {detail}",
                    location=where, signal=entry.code,
                    source_ref="charter: Decision tables (entry codes -> credentials_untrusted)",
                ))
            elif policy.trust.ingredient_signer_problem == "review":
                decisions.append(Decision.REVIEW)
                findings.append(Finding(
                    code="credentials.ingredient_signer_problem",
                    message=f"An ingredient's signer is not acceptable: {detail}",
                    location=where, decision=Decision.REVIEW, rule="trust.ingredient_signer_problem",
                    signal=entry.code,
                ))
            else:
                warnings.append(f"ingredient {detail}")
        if policy.trust.require_trusted_signer and not trusted and Reason.CREDENTIALS_INVALID not in reasons:
            reasons.add(Reason.CREDENTIALS_UNTRUSTED)
            if not any(f.code == "credentials.signer_problem" for f in findings):
                findings.append(Finding(
                    code="credentials.signer_untrusted",
                    message="The active manifest's signer does not chain to any trust anchor given",
                    location=Location(manifest=credentials.active_manifest), rule="trust.require_trusted_signer",
                ))
    elif credentials.presence is CredentialsPresence.REMOTE:
        reasons.add(Reason.CREDENTIALS_UNAVAILABLE)
        findings.append(Finding(
            code="credentials.unavailable",
            message=f"The Content Credentials are stored remotely and were not fetched ({credentials.remote_url})",
            location=Location(field="remote manifest"), signal=credentials.remote_url,
        ))
    elif credentials.presence is CredentialsPresence.REFUSED:
        reasons.add(Reason.CREDENTIALS_INVALID)
        findings.append(Finding(
            code="credentials.refused",
            message=f"The C2PA reader refused the manifest: {credentials.reader_error}",
            location=Location(), signal=credentials.reader_error,
        ))
    elif remote_pointers:
        # No manifest in the file, but its XMP points to one stored elsewhere (not fetched).
        reasons.add(Reason.CREDENTIALS_UNAVAILABLE)
        findings.append(Finding(
            code="credentials.unavailable",
            message=f"The XMP points to Content Credentials stored elsewhere ({remote_pointers[0].signal}); "
            "they were not fetched",
            location=remote_pointers[0].location, signal=remote_pointers[0].signal,
        ))
    else:
        if metadata_classes:
            assurance = Assurance.METADATA_ONLY
        if not (policy.trust.accept_unsigned_metadata and metadata_allowed):
            reasons.add(Reason.NO_CREDENTIALS)
            findings.append(Finding(
                code="credentials.absent",
                message="The image carries no Content Credentials"
                + (" (its unsigned metadata is listed, but proves less)" if metadata_classes else ""),
                location=Location(),
            ))

    if Decision.REVIEW in decisions:
        reasons.add(Reason.REVIEW_REQUIRED)
    if Decision.FORBIDDEN in decisions:
        status = Status.NON_COMPLIANT
        if not reasons & {Reason.GENERATIVE_AI, Reason.FORBIDDEN_EDIT}:
            reasons.add(Reason.GENERATIVE_AI)
    elif reasons:
        status = Status.INDETERMINATE
    else:
        status = Status.COMPLIANT

    active = credentials.active
    return ImageVerdict(
        path=evidence.path,
        sha256=evidence.sha256,
        size=evidence.size,
        media_type=evidence.media_type,
        status=status,
        reasons=tuple(sorted(reasons, key=_REASON_ORDER.index)),
        findings=tuple(findings),
        warnings=tuple(dict.fromkeys(warnings)),
        validation_state=credentials.validation_state,
        credentials=credentials.presence.value,
        active_manifest=credentials.active_manifest,
        signer=active.signer.describe() if active else None,
        assurance=assurance,
        chain=chain_of(credentials),
        thumbnail=credentials.thumbnail,
    )
