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

from ._version import __version__
from .advice import Advice, AdviceCode
from .audit import Inputs, audit, audit_files, collect_inputs
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
