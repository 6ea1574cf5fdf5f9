"""Read problems of the metadata readers: what a part of the file could not give, never dropped.

Every reader reads each part of the file (an APP1 XMP packet, an extended XMP, an EXIF IFD chain, an
IPTC block, a PNG chunk, an ISO-BMFF item) on its own and records here what it could not read. The
codes are stable and documented in ``docs/report-schema.md`` ("Read problems"):

- ``metadata.part_malformed`` (blocking): the part is damaged or not well-formed; what it holds is unknown.
- ``metadata.xmp_refused`` (blocking): an XMP packet declares a DTD or entities; it was not parsed.
- ``metadata.cap_reached`` (blocking): a depth, count or size cap of the reader was reached; the rest
  of the part was not read (every cap is listed in the reader's module and in the schema document).
- ``metadata.reader_failed`` (blocking): an unexpected error while reading one part; the other parts
  were read.
- ``metadata.note`` (not blocking): something worth saying that changes nothing (an extended XMP read
  although no packet referenced it).

Readers never decide: whether a blocking problem keeps an image from ``compliant`` is the policy's
judgement (it does, in every shipped policy).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from ..model import ReadProblem

__all__ = [
    "CAP_REACHED",
    "NOTE",
    "PART_MALFORMED",
    "READER_FAILED",
    "XMP_REFUSED",
    "ProblemLog",
]

PART_MALFORMED = "metadata.part_malformed"
XMP_REFUSED = "metadata.xmp_refused"
CAP_REACHED = "metadata.cap_reached"
READER_FAILED = "metadata.reader_failed"
NOTE = "metadata.note"

_T = TypeVar("_T")


class ProblemLog:
    """Collects the :class:`~provenance.model.ReadProblem` entries of one read, in order, without duplicates."""

    def __init__(self) -> None:
        self.items: list[ReadProblem] = []
        self._known: set[ReadProblem] = set()

    def add(self, code: str, part: str, message: str, *, blocking: bool = True) -> None:
        """Record one problem (``part`` in plain words, e.g. ``"XMP packet in JPEG APP1 #2"``)."""
        self.extend([ReadProblem(code=code, part=part, message=message, blocking=blocking)])

    def malformed(self, part: str, message: str) -> None:
        """The part is damaged or not well-formed (blocking)."""
        self.add(PART_MALFORMED, part, message)

    def cap(self, part: str, message: str) -> None:
        """A reader cap was reached (blocking); ``message`` names the cap and what was not read."""
        self.add(CAP_REACHED, part, message)

    def note(self, part: str, message: str) -> None:
        """A note that changes nothing (not blocking)."""
        self.add(NOTE, part, message, blocking=False)

    def extend(self, problems: list[ReadProblem]) -> None:
        """Record problems another reader returned."""
        for problem in problems:
            if problem not in self._known:
                self._known.add(problem)
                self.items.append(problem)

    def guard(self, part: str, read: Callable[[], _T]) -> _T | None:
        """Run ``read()``; an unexpected exception becomes a blocking problem for ``part`` alone.

        Returns:
            what ``read`` returned, or ``None`` when it raised (then ``metadata.reader_failed`` is recorded
            with the exception's type and text). ``RecursionError`` and ``MemoryError`` are caught too:
            one part can never discard the others.
        """
        try:
            return read()
        except Exception as error:  # noqa: BLE001 - a hostile part must never stop the other parts
            self.add(READER_FAILED, part, f"reading stopped with {type(error).__name__}: {str(error)[:200]}; "
                                          "what this part holds is unknown")
            return None
