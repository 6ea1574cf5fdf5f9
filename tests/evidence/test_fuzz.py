"""A short, bounded coverage-guided fuzzing run of every reader target (issue #9 item 7).

Runs ``fuzz/fuzz_readers.py`` in a subprocess for a few seconds per target on the seed corpus the project
makes itself (``fuzz/make_seeds.py``). Skipped, with the reason, when atheris (the ``fuzz`` extra) is not
installed. The longer run is documented in ``fuzz/README.md``.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
FUZZ = REPO / "fuzz"

pytestmark = pytest.mark.skipif(importlib.util.find_spec("atheris") is None,
                                reason="atheris is not installed (pip install --only-binary=:all: -e '.[fuzz]')")


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("fuzz-seeds")
    subprocess.run([sys.executable, str(FUZZ / "make_seeds.py"), str(out)], check=True, capture_output=True,
                   timeout=120)
    return out


@pytest.mark.parametrize("target", ["metadata"])  # every reader through its container; the others in fuzz/README.md
def test_a_short_fuzzing_run_finds_no_crash(target: str, seeds: Path, tmp_path: Path) -> None:
    command = [sys.executable, str(FUZZ / "fuzz_readers.py"), target, "-max_total_time=3", "-timeout=10",
               "-rss_limit_mb=2048", f"-artifact_prefix={tmp_path}/", str(seeds / target)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    crashes = sorted(path.name for path in tmp_path.iterdir() if path.name.startswith(("crash-", "timeout-", "oom-")))
    assert result.returncode == 0 and not crashes, (crashes, result.stderr[-2000:])
    done = re.search(r"Done (\d+) runs", result.stderr)
    assert done is not None and int(done.group(1)) > 0, result.stderr[-500:]
