"""Verdicts kept on disk while an audit runs, for the reports that need every count before the first image.

The text report aligns its status column on the longest status, and both text and HTML print the
counts and the trust advice first or need them whole; holding every verdict in memory until the end
would make memory grow with the batch (#12.3). :class:`VerdictSpool` pickles each verdict to an
anonymous temporary file as it arrives and reads them back in order: the file is this process's own
(never input data), so unpickling it is safe.
"""

from __future__ import annotations

import pickle
import tempfile
from collections import Counter
from collections.abc import Iterator
from types import TracebackType

from ..report import AdviceImages
from ..verdict import ImageVerdict, Status

__all__ = ["VerdictSpool"]


class VerdictSpool:
    """Verdicts spooled to a temporary file as they arrive, counted; iterate to read them back in order.

    Use as a context manager (the file is removed on exit). After the last :meth:`add`:
    :attr:`counts` per status, :attr:`images`, :attr:`width` (the longest status, for the text
    column) and :attr:`untrusted` (what the trust advice reads of them, stripped).
    """

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by __exit__
        self._counter: Counter[str] = Counter()
        self.images = 0
        self.width = 0
        self._advice = AdviceImages()

    def __enter__(self) -> VerdictSpool:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self._file.close()

    def add(self, verdict: ImageVerdict) -> None:
        """Write one verdict to the spool and count it."""
        pickle.dump(verdict, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self._counter[verdict.status.value] += 1
        self.images += 1
        self.width = max(self.width, len(verdict.status.value))
        self._advice.add(verdict)

    @property
    def untrusted(self) -> list[ImageVerdict]:
        """What the trust advice reads (:class:`~provenance.report.AdviceImages`)."""
        return self._advice.images

    @property
    def counts(self) -> dict[str, int]:
        """Number of images per status (every status present, zero included)."""
        return {status.value: self._counter.get(status.value, 0) for status in Status}

    def __iter__(self) -> Iterator[ImageVerdict]:
        self._file.flush()
        self._file.seek(0)
        for _ in range(self.images):
            verdict: ImageVerdict = pickle.load(self._file)  # noqa: S301 - this process's own file
            yield verdict
