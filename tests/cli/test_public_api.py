"""The public surface: every exported name resolves, and `help(provenance)` is a short map."""

from __future__ import annotations

import pydoc
import subprocess
import sys

import provenance


def test_every_exported_name_resolves() -> None:
    for name in provenance.__all__:
        assert getattr(provenance, name) is not None, name


def test_help_is_short_and_lists_the_public_names() -> None:
    # A fresh interpreter: other tests have loaded lazy names into this one.
    text = subprocess.run([sys.executable, "-c", "import pydoc, provenance; "
                           "print(pydoc.render_doc(provenance, renderer=pydoc.plaintext))"],
                          capture_output=True, text=True, check=True, timeout=60).stdout
    assert len(text.splitlines()) < 300
    for name in ("audit", "read_evidence", "evaluate", "TrustConfig", "issue_certificate", "verify_certificate",
                 "ProvenanceError"):
        assert f"``{name}``" in text or f"{name}(" in text, name
    assert pydoc.render_doc(provenance.TrustConfig)  # each name's own help still has its details
