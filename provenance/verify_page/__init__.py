"""The client's verification page: one static HTML file that checks a delivery in a browser.

``provenance verify-page --output verify.html`` writes it (``docs/verify-page.md``). The page
runs, with the browser's WebCrypto for signatures, the checks of ``provenance verify`` that a
browser can run (everything but ``--reaudit``), with the same codes. It is **the same bytes for
every client of a release**: it embeds no key and no delivery data, so a client can compare
its SHA-256 with the published one (:func:`page_sha256`).

The sources are package data beside this module (``assets/``): the template, the stylesheet and
the scripts, inlined in a fixed order. The caps and type URIs come from
:mod:`provenance.certificate` (``CONFIG`` in the page), so the page cannot drift from the CLI.
The inline script and style are allowed by their SHA-256 in a Content-Security-Policy that
forbids every connection (``connect-src 'none'``) and every other resource.
"""

from __future__ import annotations

import base64
import hashlib
import json
from functools import lru_cache
from importlib import resources

from jinja2 import Environment, StrictUndefined
from markupsafe import Markup

from .._io import MAX_INPUT_BYTES
from .._version import __version__
from ..certificate import (
    MAX_CERTIFICATE_BYTES,
    MAX_PAYLOAD_BYTES,
    MAX_SIGNATURES,
    PAYLOAD_TYPE,
    PREDICATE_TYPE,
    STATEMENT_TYPE,
)
from ..certificate.globs import MAX_IGNORE_PATTERNS, MAX_PATTERN_LENGTH

__all__ = ["SCRIPT_ORDER", "build_page", "page_config", "page_sha256"]

SCRIPT_ORDER = ("sha256.js", "strictjson.js", "keys.js", "certificate.js", "delivery.js", "ui.js")
"""The page's scripts, concatenated in this order into one inline ``<script>``."""


def _asset(name: str) -> str:
    """An asset's text, UTF-8, with ``\\n`` line ends whatever the checkout did to them."""
    data = resources.files(__package__).joinpath("assets", name).read_bytes()
    return data.decode("utf-8").replace("\r\n", "\n")


def page_config() -> dict[str, object]:
    """The values the page's script reads as ``CONFIG``: the certificate caps and type URIs
    of :mod:`provenance.certificate` (the ``predicate.ignore`` caps of its ``globs`` module
    included), the key file cap, and the release version."""
    return {
        "version": __version__,
        "payloadType": PAYLOAD_TYPE,
        "statementType": STATEMENT_TYPE,
        "predicateType": PREDICATE_TYPE,
        "maxCertificateBytes": MAX_CERTIFICATE_BYTES,
        "maxPayloadBytes": MAX_PAYLOAD_BYTES,
        "maxSignatures": MAX_SIGNATURES,
        "maxKeyBytes": MAX_INPUT_BYTES,
        "maxIgnorePatterns": MAX_IGNORE_PATTERNS,
        "maxPatternLength": MAX_PATTERN_LENGTH,
    }


def _csp_source(text: str) -> str:
    """A CSP hash source for an inline element's exact text (CSP Level 3, section 8.4)."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


@lru_cache(maxsize=1)
def build_page() -> bytes:
    """The page's bytes (UTF-8 HTML). Deterministic: the same release gives the same bytes.

    Returns:
        The complete HTML document: inline CSS and script only, a Content-Security-Policy
        ``<meta>`` that allows just those two (by hash) and no connection, image, frame,
        form target or base URL.
    Raises:
        RuntimeError: a source would break out of its element (``</script`` or ``</style``
            in it), which would make the page differ from what its hashes allow (a build bug).
    """
    config = json.dumps(page_config(), sort_keys=True, separators=(",", ":"))
    body = "\n".join(_asset(name) for name in SCRIPT_ORDER)
    script = f'\n(() => {{\n"use strict";\nconst CONFIG = Object.freeze({config});\n{body}}})();\n'
    style = "\n" + _asset("page.css")
    for name, text, closing in (("script", script, "</script"), ("style", style, "</style")):
        if closing in text.lower():
            raise RuntimeError(f"the page's {name} contains '{closing}': it would end its element early")
    csp = "; ".join((
        "default-src 'none'",
        f"script-src {_csp_source(script)}",
        f"style-src {_csp_source(style)}",
        "img-src 'none'", "connect-src 'none'", "font-src 'none'", "media-src 'none'", "object-src 'none'",
        "frame-src 'none'", "worker-src 'none'", "manifest-src 'none'", "form-action 'none'", "base-uri 'none'",
    ))
    if set(csp) & set('"<>&'):  # hashes are base64 and directives are fixed: nothing to escape
        raise RuntimeError(f"the page's Content-Security-Policy would need escaping: {csp}")
    environment = Environment(autoescape=True, keep_trailing_newline=True, undefined=StrictUndefined)
    template = environment.from_string(_asset("page.html.j2"))
    html = template.render(csp=Markup(csp), version=__version__, style=Markup(style), script=Markup(script))
    return html.encode("utf-8")


def page_sha256() -> str:
    """The lower-case hex SHA-256 of :func:`build_page` (what the README and docs publish)."""
    return hashlib.sha256(build_page()).hexdigest()
