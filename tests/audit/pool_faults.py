"""A worker task that misbehaves on purpose, by file name (imported by the pool's worker processes)."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any


def faulty_task(path: Path, policy: Any, trust: Any) -> Any:
    """``abort``: SIGABRT (as a Rust out-of-memory abort does); ``exit``: the process exits;
    ``hang``: sleeps past any timeout; ``hog``: allocates past the worker's RLIMIT_AS;
    ``memerror``: the reader raises MemoryError; ``slow``: the real audit after 1.5 s; anything else: the
    real audit."""
    import importlib

    pipeline = importlib.import_module("provenance.audit")  # the package exports a function of that name

    name = Path(path).stem
    if name.startswith("abort"):
        os.abort()
    if name.startswith("exit"):
        os._exit(3)
    if name.startswith("hang"):
        time.sleep(120)
    if name.startswith("slow"):
        time.sleep(1.5)
    if name.startswith("hog"):
        def hog(*_args: object, **_kwargs: object) -> None:
            hoard = bytearray(3 * 1024**3)  # 3 GiB: the machine has it, the worker's address-space cap does not
            del hoard
        pipeline.read_evidence = hog
    if name.startswith("memerror"):
        def out_of_memory(*_args: object, **_kwargs: object) -> None:
            raise MemoryError
        pipeline.read_evidence = out_of_memory
    return pipeline.audit_image_sound(path, policy, trust)
