"""Start-up (#12.1): `provenance audit` imports only what the audit uses."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from conftest import SAMPLE_DELIVERY, TEST_ROOT

# With anchor files only and --no-trust-store, the trust store package is not imported either.
NOT_ON_THE_AUDIT_PATH = ("provenance.certificate", "provenance.keys", "provenance.stamp", "urllib.request",
                         "securesystemslib", "jinja2", "distributed", "provenance.truststore")


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


def test_an_audit_worker_imports_no_x509_code() -> None:
    # A worker receives the parsed anchors (PEM text): parsing certificates is the parent's job.
    code = textwrap.dedent("""
        import sys
        import provenance._pool
        from provenance._malloc import keep_freed_memory
        from provenance.audit import audit_image_sound, prepare_reader
        print("LOADED", sorted(m for m in sys.modules if m.startswith(("cryptography", "provenance._pem"))))
    """)
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert out.strip().splitlines()[-1] == "LOADED []"


def test_the_package_names_still_resolve() -> None:
    import provenance

    for name in provenance.__all__:
        assert getattr(provenance, name) is not None
    assert callable(provenance.audit)


def test_an_audit_with_an_empty_trust_store_parses_no_certificate(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # The store's modules check PEM text on import; the X.509 parser is needed only when a list's
    # certificates are read (an empty store has none), not on every start-up (#12.1).
    code = textwrap.dedent(f"""
        import os, sys
        os.environ["PROVENANCE_TRUST_STORE"] = {str(tmp_path / "store")!r}
        from provenance._cli import main
        code = main(["audit", {str(SAMPLE_DELIVERY / "01-capture-edited.jpg")!r}, "--format", "json", "-o",
                     {str(tmp_path / "report.json")!r}])
        print("RESULT", code, "provenance.truststore" in sys.modules, "cryptography.x509" in sys.modules)
    """)
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert out.strip().splitlines()[-1] == "RESULT 3 True False", out
