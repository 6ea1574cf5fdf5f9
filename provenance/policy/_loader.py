"""Policy files: loading and validating the policy as data.

A policy is a TOML file (schema in ``docs/policy.md``). The studio charter
ships as the default policy (``provenance/policies/charter.toml``) and is
loaded through the same code as a studio's own file. Rules have ids and are
read in order: the first rule whose match fits a classification decides it;
anything no rule matches gets the policy's mandatory ``default`` (default deny
in spirit: in-toto's terminal DISALLOW, pyHanko's ``ModificationLevel.OTHER``).

Evaluation lives in :mod:`provenance.policy._evaluate`; this module only reads
and checks files.
"""

from __future__ import annotations

import fnmatch
import hashlib
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from .._io import read_regular_file
from .._presets import PresetList, parse_presets
from ..classify import Classification, normalise_digital_source_type
from ..errors import PolicyError
from ..model import Category, Decision

__all__ = ["Policy", "PresetList", "Rule", "TrustRequirement", "default_policy", "load_policy", "parse_policy"]

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
    presets: PresetList | None = None
    """The studio's own presets, looks and profiles (``[presets]``), checked before the rules."""

    def decide(self, classification: Classification) -> tuple[Decision, str]:
        """Return ``(decision, rule id)`` for a classification; ``"default"`` when no rule matched."""
        if self.presets is not None and (own := self.presets.decide(classification)) is not None:
            return own
        for rule in self.rules:
            if rule.matches(classification):
                return rule.decision, rule.id
        return self.default, "default"


_TOP_KEYS = {"policy", "trust", "rule", "presets"}
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
        PolicyError: invalid TOML (arrays or inline tables nested deeper than
            Python's recursion limit included), an unknown or missing key, a wrong type, an
            unknown category or decision, a duplicate rule id, a rule with no
            match key, no rules. The message names the key and the problem.
    """
    try:
        # The text is the file's exact content (a BOM from a Windows editor kept), so that it encodes back to the
        # bytes the digest covers: certificates record both, and verify checks one against the other.
        text = data.decode("utf-8")
        document = tomllib.loads(text.removeprefix("\ufeff"))
    except UnicodeDecodeError as error:
        raise PolicyError(f"{source}: not UTF-8 text ({error})") from error
    except tomllib.TOMLDecodeError as error:
        raise PolicyError(f"{source}: not valid TOML ({error})") from error
    except RecursionError as error:
        # tomllib parses nested arrays and inline tables recursively: a policy nests a few levels, never hundreds.
        raise PolicyError(f"{source}: not a policy: its arrays or inline tables nest too deeply") from error
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
        presets=parse_presets(document.get("presets")),
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
