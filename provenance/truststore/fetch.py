"""Getting a list's bytes: the only module of `provenance` that uses the network.

Only ``trust update`` calls :func:`fetch`. ``urllib`` is imported inside it, so ``audit``
(which imports the trust store to read it) never loads the HTTP machinery.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from .._io import read_regular_file
from .._version import __version__
from ..errors import TrustAnchorError, TrustFetchError, UsageError

if TYPE_CHECKING:  # pragma: no cover
    import urllib.request

__all__ = ["DEFAULT_TIMEOUT", "MAX_LIST_BYTES", "fetch", "is_url"]

MAX_LIST_BYTES = 16 * 1024 * 1024
"""A trust list larger than this (16 MiB) is refused; the real ones are well under 1 MiB."""

DEFAULT_TIMEOUT = 30.0
"""Seconds to wait for a trust list server before giving up."""


def is_url(location: str) -> bool:
    """True for ``http:``, ``https:`` and ``file:`` addresses.

    Raises:
        UsageError: another scheme (``ftp://``...).
    """
    scheme = urlsplit(location).scheme.lower()
    if scheme in ("http", "https", "file"):
        return True
    if "://" in location:
        raise UsageError(f"{location}: only https:, http: and file: addresses (or a file path) are supported")
    return False


def _opener() -> urllib.request.OpenerDirector:
    """An opener that follows redirects only to http(s) addresses (never to ftp: or file:)."""
    import urllib.error
    import urllib.request

    class NoUnsafeRedirects(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
            if urlsplit(newurl).scheme not in ("http", "https"):
                raise urllib.error.HTTPError(newurl, code, f"refused redirect to {newurl}", headers, fp)
            return super().redirect_request(req, fp, code, msg, headers, newurl)

    return urllib.request.build_opener(NoUnsafeRedirects())


def _read_body(response: object, location: str, max_bytes: int) -> tuple[bytes, str | None]:
    chunks: list[bytes] = []
    received = 0
    while True:
        chunk = response.read(65536)  # type: ignore[attr-defined]
        if not chunk:
            break
        chunks.append(chunk)
        received += len(chunk)
        if received > max_bytes:
            raise TrustFetchError(f"{location}: the answer is larger than {max_bytes} bytes; not a trust list")
    headers = getattr(response, "headers", None)
    announced = headers.get("Content-Length") if headers is not None else None
    return b"".join(chunks), announced


def _download(location: str, timeout: float, max_bytes: int) -> bytes:
    import socket
    import urllib.error
    import urllib.request
    from http.client import HTTPException

    request = urllib.request.Request(location, headers={"User-Agent": f"provenance/{__version__} (trust update)"})
    try:
        with _opener().open(request, timeout=timeout) as response:
            data, announced = _read_body(response, location, max_bytes)
    except urllib.error.HTTPError as error:
        raise TrustFetchError(f"{location}: the server answered {error.code} {error.reason}") from error
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, (socket.timeout, TimeoutError)):
            raise TrustFetchError(f"{location}: no answer within {timeout:g} seconds") from error
        raise TrustFetchError(f"{location}: cannot connect ({reason})") from error
    except TimeoutError as error:
        raise TrustFetchError(f"{location}: the download stalled for more than {timeout:g} seconds") from error
    except (HTTPException, OSError) as error:
        raise TrustFetchError(f"{location}: the download broke off ({type(error).__name__}: {error})") from error
    if announced is not None and announced.strip().isdigit() and int(announced) != len(data):
        raise TrustFetchError(f"{location}: truncated download ({len(data)} of {int(announced)} bytes)")
    return data


def fetch(location: str, *, timeout: float = DEFAULT_TIMEOUT, max_bytes: int = MAX_LIST_BYTES) -> bytes:
    """Return the bytes at ``location`` (a file path, or an https/http/file URL).

    A local path or ``file:`` address must be a regular file (a FIFO, socket or
    device is refused unread, never waited on). Refuses a body larger than ``max_bytes`` and a
    body shorter than the server's announced Content-Length (a truncated download).

    Raises:
        TrustAnchorError: a local file that cannot be read, is not a regular file
            or is too large (exit code 2).
        UsageError: an unsupported address scheme.
        TrustFetchError: the download failed: HTTP error, network error,
            timeout, truncation, too large (exit code 4).
    Side effects: network access for http(s) addresses.
    """
    if not is_url(location):
        return read_regular_file(Path(location), "the trust list", TrustAnchorError, max_bytes=max_bytes)
    parts = urlsplit(location)
    if parts.scheme.lower() == "file":
        # Read as a local file, never through urllib's file handler, which would open a FIFO and wait.
        from urllib.request import url2pathname

        return read_regular_file(Path(url2pathname(parts.path)), "the trust list", TrustFetchError,
                                 max_bytes=max_bytes)
    return _download(location, timeout, max_bytes)
