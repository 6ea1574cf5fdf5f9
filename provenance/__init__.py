"""provenance: check what was done to a photograph before it was delivered.

Reads the Content Credentials (C2PA manifests) and metadata an image carries, classifies every
edit under a studio policy (default: no generative AI), gives each image a verdict a script can
act on, and signs a certificate of compliance a client verifies offline.

    import provenance
    report = provenance.audit(["delivery/"],
                              trust=provenance.TrustConfig.from_pem_files("studio-root.pem"))
    report.raise_for_status()

Data flows one way: image -> Evidence -> Finding -> ImageVerdict -> AuditReport -> certificate.

Public names (``help(provenance.NAME)`` for each; the rest of the package is private or a
building block):

- auditing: ``audit``, ``audit_files``, ``collect_inputs``, ``Inputs``, ``InputWalk``,
  ``iter_verdicts``, ``AuditReport``, ``ReportWriter``,
  ``ImageVerdict``, ``Status``, ``Reason``, ``Finding``, ``Location``, ``Category``, ``Decision``,
  ``Assurance``, ``ValidationState``, ``Advice``, ``AdviceCode``;
- building blocks: ``read_evidence`` (reading only), ``evaluate`` (pure), ``Evidence``;
- policy and trust: ``Policy``, ``load_policy``, ``default_policy``, ``TrustConfig``;
- certificates: ``issue_certificate``, ``verify_certificate``, ``Certificate``,
  ``VerificationResult``, ``SigningKey``, ``PublicKey``, ``KeyAlgorithm``;
- errors (one tree, :mod:`provenance.errors`): ``ProvenanceError`` and its subclasses.

Modules for tools: :mod:`provenance.inspect`, :mod:`provenance.stamp`,
:mod:`provenance.distributed`, :mod:`provenance.classify`, :mod:`provenance.schemas`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__

# Eager: the function `audit` must shadow the submodule of the same name (importing
# `provenance.audit` later would otherwise rebind the package attribute to the module).
from .audit import Inputs, InputWalk, audit, audit_files, collect_inputs, iter_verdicts

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
    from .report import AuditReport, ReportWriter
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
    "AuditReport": "report", "ReportWriter": "report",
    "TrustConfig": "trust",
    "ImageVerdict": "verdict", "Reason": "verdict", "Status": "verdict",
}


# No __dir__ override: `help(provenance)` (pydoc walks dir()) then shows the short map in the
# docstring and the loaded names, not every class's whole documentation; `__all__` and the
# TYPE_CHECKING imports above give editors and `from provenance import *` every public name.

def __getattr__(name: str) -> Any:
    """Load a public name on first use (PEP 562), so start-up imports only what a command runs."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'provenance' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


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
    "InputWalk",
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
    "ReportWriter",
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
    "iter_verdicts",
    "load_policy",
    "read_evidence",
    "verify_certificate",
]
