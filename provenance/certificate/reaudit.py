"""Re-auditing the verified files under the policy the certificate records (``verify --reaudit``)."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from ..audit import Inputs, audit_files
from ..errors import PolicyError
from ..policy import parse_policy
from ..trust import TrustConfig
from .results import FileResult, FileState, Reaudit, VerdictChange


def _reaudit(
    statement: Mapping[str, Any], files: Sequence[FileResult], given: Mapping[str, Path],
    trust: TrustConfig, at: datetime | None,
) -> Reaudit:
    """Audit the verified images again (files covered by digest only are not images: never audited)."""
    predicate = statement["predicate"]
    anchors = predicate.get("trustAnchors")
    recorded = {a.get("sha256") for a in anchors if isinstance(a, dict)} if isinstance(anchors, list) else set()
    provided = set(trust.fingerprints)
    note = None
    if provided != recorded:
        note = (f"the trust anchors given differ from those recorded at certification: "
                f"{len(recorded - provided)} recorded anchor(s) not given, {len(provided - recorded)} given "
                "that were not recorded")
    differ = provided != recorded
    policy_data = predicate["policy"]
    try:
        policy = parse_policy(policy_data["text"].encode("utf-8"), source="the certificate's policy")
    except PolicyError as error:
        return Reaudit((), differ, note, None, f"the certificate's policy cannot be loaded: {error.message}")
    certified = {unicodedata.normalize("NFC", i["name"]): i for i in predicate["images"]}
    verified = [r.name for r in files if r.state is FileState.VERIFIED and r.name in certified]
    report = audit_files(Inputs(images=tuple(given[name] for name in verified), skipped=()),
                         policy=policy, trust=trust, at=at)
    changes = []
    for name, image in zip(verified, report.images, strict=True):
        before = str(certified[name].get("status"))
        if image.status.value != before:
            why = ", ".join(reason.value for reason in image.reasons)
            changes.append(VerdictChange(
                name, before, image.status, image.reasons,
                f"verdict changed: {before} when certified, {image.status.value} now" + (f" ({why})" if why else ""),
            ))
    return Reaudit(tuple(changes), differ, note, report)

