"""provenance: check what was done to a photograph before it was delivered.

Reads the Content Credentials (C2PA manifests) and metadata an image carries,
classifies every edit under a studio policy (default: no generative AI), and
gives each image a verdict a script can act on.

    import provenance
    report = provenance.audit(["delivery/"],
                              trust=provenance.TrustConfig.from_pem_files(["studio-root.pem"]))
    report.raise_for_status()

Data flows one way: image -> :class:`Evidence` -> :class:`Finding` ->
:class:`ImageVerdict` -> :class:`AuditReport` -> certificate.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__

# Eager: the function `audit` must shadow the submodule of the same name (importing
# `provenance.audit` later would otherwise rebind the package attribute to the module).
from .audit import Inputs, audit, audit_files, collect_inputs

if TYPE_CHECKING:
    from .advice import Advice, AdviceCode
    from .certificate import (
        Certificate,
        VerificationResult,
        issue_certificate,
        verify_certificate,
    )
    from .errors import (
        CertificateError,
        InvalidKeyError,
        NonCompliant,
        NotRegularFileError,
        OutputError,
        PolicyError,
        ProvenanceError,
        StampError,
        StudioIdentityError,
        TrustAnchorError,
        TrustFetchError,
        TrustListShrinkError,
        TrustListUnusableError,
        TrustStoreError,
        TrustStoreLocationError,
        UsageError,
    )
    from .evidence import read_evidence
    from .keys import KeyAlgorithm, PublicKey, SigningKey
    from .model import (
        Assurance,
        Category,
        Decision,
        Evidence,
        Finding,
        Location,
        ValidationState,
    )
    from .policy import Policy, default_policy, evaluate, load_policy
    from .report import AuditReport
    from .trust import TrustConfig
    from .verdict import ImageVerdict, Reason, Status

# Names are imported on first use (PEP 562): `provenance audit` never loads the certificate,
# key or trust-store code it does not run (issue #12.1, start-up time).
_LAZY = {
    "Advice": "advice", "AdviceCode": "advice",
    "Certificate": "certificate", "VerificationResult": "certificate", "issue_certificate": "certificate",
    "verify_certificate": "certificate",
    "CertificateError": "errors", "InvalidKeyError": "errors", "NonCompliant": "errors",
    "NotRegularFileError": "errors", "OutputError": "errors", "PolicyError": "errors",
    "ProvenanceError": "errors", "StampError": "errors", "StudioIdentityError": "errors",
    "TrustAnchorError": "errors", "TrustFetchError": "errors", "TrustListShrinkError": "errors",
    "TrustListUnusableError": "errors", "TrustStoreError": "errors", "TrustStoreLocationError": "errors",
    "UsageError": "errors",
    "read_evidence": "evidence",
    "KeyAlgorithm": "keys", "PublicKey": "keys", "SigningKey": "keys",
    "Assurance": "model", "Category": "model", "Decision": "model", "Evidence": "model", "Finding": "model",
    "Location": "model", "ValidationState": "model",
    "Policy": "policy", "default_policy": "policy", "evaluate": "policy", "load_policy": "policy",
    "AuditReport": "report",
    "TrustConfig": "trust",
    "ImageVerdict": "verdict", "Reason": "verdict", "Status": "verdict",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'provenance' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "Advice",
    "AdviceCode",
    "Assurance",
    "AuditReport",
    "Category",
    "Certificate",
    "CertificateError",
    "Decision",
    "Evidence",
    "Finding",
    "ImageVerdict",
    "Inputs",
    "InvalidKeyError",
    "KeyAlgorithm",
    "Location",
    "NonCompliant",
    "NotRegularFileError",
    "OutputError",
    "Policy",
    "PolicyError",
    "ProvenanceError",
    "PublicKey",
    "Reason",
    "SigningKey",
    "StampError",
    "Status",
    "StudioIdentityError",
    "TrustAnchorError",
    "TrustConfig",
    "TrustFetchError",
    "TrustListShrinkError",
    "TrustListUnusableError",
    "TrustStoreError",
    "TrustStoreLocationError",
    "UsageError",
    "ValidationState",
    "VerificationResult",
    "__version__",
    "audit",
    "audit_files",
    "collect_inputs",
    "default_policy",
    "evaluate",
    "issue_certificate",
    "load_policy",
    "read_evidence",
    "verify_certificate",
]
