"""Coverage-guided fuzzing of the metadata readers with atheris (libFuzzer for Python).

    python fuzz/make_seeds.py fuzz/corpus                    # the seed corpus, made by the project
    python fuzz/fuzz_readers.py TARGET [LIBFUZZER FLAGS] [CORPUS DIR ...]

``TARGET`` is one of ``fuzz/targets.py``'s: ``xmp``, ``exif``, ``png``, ``iptc``, ``bmff``, ``metadata``,
``read``. Flags are libFuzzer's (``-runs=N``, ``-max_total_time=S``, ``-max_len=B``, ``-rss_limit_mb=M``,
``-timeout=S``); a crash (an exception escaping a target), a timeout or an out-of-memory writes the input to
``crash-*`` / ``timeout-*`` / ``oom-*`` and exits non-zero. Every crash found becomes a regression test in
``tests/evidence/test_fuzz_regressions.py``. See ``fuzz/README.md`` for the longer run.

Install: ``pip install --only-binary=:all: -e '.[fuzz]'`` (atheris 3.0.0, binary wheel only).
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent))

with atheris.instrument_imports(include=["provenance"]):
    from targets import TARGETS


def main() -> None:
    """Run the target named by the first argument under atheris (the other arguments go to libFuzzer)."""
    if len(sys.argv) < 2 or sys.argv[1] not in TARGETS:
        sys.stderr.write(f"usage: fuzz_readers.py {{{','.join(TARGETS)}}} [libFuzzer flags] [corpus dirs]\n")
        sys.exit(2)
    target = TARGETS[sys.argv[1]]

    def one_input(data: bytes) -> None:
        target(data)

    atheris.Setup([sys.argv[0], *sys.argv[2:]], one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
