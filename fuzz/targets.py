"""Fuzz targets for the metadata readers and the whole read path (issue #9 item 7).

Each target takes arbitrary bytes and must return normally: any exception escaping it is a bug (readers
turn bad input into read problems, never into exceptions). The targets are plain functions so the
regression tests (``tests/evidence/test_fuzz_regressions.py``) call them without atheris.

=============  =============================================================================
target         what it feeds
=============  =============================================================================
``xmp``        one XMP packet to ``_xmp.parse_xmp_packet``
``exif``       one TIFF/EXIF block to ``_exif.read_exif``
``png``        a PNG file to ``_pngtext.read_png``
``iptc``       a Photoshop image resource block, then its IIM records (``_iptc``)
``bmff``       an ISO-BMFF file to ``_bmff.read_bmff_items``
``metadata``   any file to ``metadata.read_metadata`` (every container and part)
``read``       any file to ``provenance.evidence.read_evidence`` (sniffing, decode check, C2PA, metadata)
=============  =============================================================================
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable

from provenance.evidence import read_evidence
from provenance.evidence._bmff import read_bmff_items
from provenance.evidence._exif import read_exif
from provenance.evidence._iptc import iim_from_irb, iim_signals
from provenance.evidence._pngtext import read_png
from provenance.evidence._problems import ProblemLog
from provenance.evidence._xmp import parse_xmp_packet
from provenance.evidence.metadata import read_metadata
from provenance.model import Evidence

__all__ = ["TARGETS"]


def _xmp(data: bytes) -> None:
    signals, problems = parse_xmp_packet(data, "fuzz")
    assert isinstance(signals, list) and isinstance(problems, list)


def _exif(data: bytes) -> None:
    read_exif(data, where="fuzz")


def _png(data: bytes) -> None:
    read_png(data)


def _iptc(data: bytes) -> None:
    log = ProblemLog()
    for record in iim_from_irb(data, "fuzz", log) or [data]:
        iim_signals(record, "fuzz", log)


def _bmff(data: bytes) -> None:
    read_bmff_items(data, ProblemLog())


def _metadata(data: bytes) -> None:
    signals, problems = read_metadata(data, None)
    assert not any(problem.code == "metadata.reader_failed" for problem in problems), problems


_SCRATCH = os.environ.get("PROVENANCE_FUZZ_SCRATCH") or ("/dev/shm" if os.path.isdir("/dev/shm") else None)


def _read(data: bytes) -> None:
    with tempfile.NamedTemporaryFile(dir=_SCRATCH, suffix=".img") as handle:
        handle.write(data)
        handle.flush()
        evidence = read_evidence(handle.name)
    assert isinstance(evidence, Evidence)
    assert not any(problem.code == "metadata.reader_failed" for problem in evidence.read_problems)


TARGETS: dict[str, Callable[[bytes], None]] = {
    "xmp": _xmp, "exif": _exif, "png": _png, "iptc": _iptc, "bmff": _bmff, "metadata": _metadata, "read": _read,
}
"""Target name -> function of one input."""
