"""An expired signer, for real: signed with a certificate valid for a few seconds, audited after it expired.

c2pa-rs refuses to sign with an expired certificate, so the fixture is made at test time in
``tmp_path`` with the project's own PKI (``fixtures/make_fixtures.py``): no timestamp authority
(tests never leave 127.0.0.1), so nothing can put the signing inside the validity period.
"""

from __future__ import annotations

import datetime as dt
import time
from types import ModuleType

from conftest import FIXTURES, fixture_script

from provenance import TrustConfig, audit
from provenance.verdict import Reason, Status

LIFETIME = 2.0  # seconds the signer's certificate is valid from now


def _fixtures() -> ModuleType:
    return fixture_script("make_fixtures")


def test_expired_signer_without_a_timestamp_is_untrusted(tmp_path) -> None:  # type: ignore[no-untyped-def]
    make = _fixtures()
    pki = make.load_pki(FIXTURES / "pki")
    assert pki is not None
    short = make.short_lived_signer(pki, LIFETIME)
    image = tmp_path / "expired.jpg"
    source = make.encode_jpeg(make.make_base_image(7))
    image.write_bytes(make.sign_jpeg(source, make.manifest_definition(image.name, [make._created_capture()]),
                                     make.make_signer(short)))
    root = tmp_path / "root.pem"
    root.write_text(pki.root_pem)
    # c2pa-rs compares whole seconds: the certificate is still valid during its last second.
    expired_at = short.signer_cert.not_valid_after_utc + dt.timedelta(seconds=1)
    while dt.datetime.now(dt.UTC) <= expired_at:
        time.sleep(0.2)

    (verdict,) = audit([image], trust=TrustConfig.from_pem_files([root])).images
    assert verdict.status is Status.INDETERMINATE and verdict.reasons == (Reason.CREDENTIALS_UNTRUSTED,)
    (expired,) = [f for f in verdict.findings if f.signal == "signingCredential.expired"]
    assert expired.code == "credentials.signer_problem"
    assert "timeStamp.trusted" in expired.message  # it says why nothing put the signing in date
    assert not [f for f in verdict.findings if f.code.startswith("timestamp.")]  # there was no timestamp at all
