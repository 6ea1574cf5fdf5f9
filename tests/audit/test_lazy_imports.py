"""Start-up (#12.1): `provenance audit` imports only what the audit uses."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from conftest import SAMPLE_DELIVERY, TEST_ROOT

# (provenance.truststore itself is imported: the trust flags are read through truststore.given_config.)
NOT_ON_THE_AUDIT_PATH = ("provenance.certificate", "provenance.keys", "provenance.stamp", "urllib.request",
                         "securesystemslib", "jinja2", "distributed")


def test_audit_of_one_image_imports_no_certificate_key_or_network_code() -> None:
    code = textwrap.dedent(f"""
        import sys
        from provenance._cli import main
        code = main(["audit", {str(SAMPLE_DELIVERY / "01-capture-edited.jpg")!r}, "--no-trust-store",
                     "--trust-anchors", {str(TEST_ROOT)!r}])
        print("RESULT", code, "|" + ",".join(m for m in {NOT_ON_THE_AUDIT_PATH!r} if m in sys.modules))
    """)
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    result = out.strip().splitlines()[-1]
    assert result.startswith("RESULT 0 |"), out
    assert result == "RESULT 0 |", f"imported on the audit path: {result}"


def test_the_package_names_still_resolve() -> None:
    import provenance

    for name in provenance.__all__:
        assert getattr(provenance, name) is not None
    assert callable(provenance.audit)
