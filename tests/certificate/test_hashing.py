"""Hashing delivered files (provenance._io.sha256_file / sha256_and_size): regular files only, never blocking."""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

import pytest

from provenance import NotRegularFileError, UsageError
from provenance._io import sha256_and_size, sha256_file


def test_digest_and_size_of_a_regular_file(tmp_path: Path) -> None:
    data = os.urandom(3 * 1024 * 1024 + 7)  # more than one read chunk
    path = tmp_path / "a.bin"
    path.write_bytes(data)
    assert sha256_and_size(path) == (hashlib.sha256(data).hexdigest(), len(data))
    assert sha256_file(path) == hashlib.sha256(data).hexdigest()
    (tmp_path / "empty").write_bytes(b"")
    assert sha256_and_size(tmp_path / "empty") == (hashlib.sha256(b"").hexdigest(), 0)


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(NotRegularFileError, match=r"not a regular file \(a folder\)"):
        sha256_file(tmp_path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes (POSIX)")
def test_a_named_pipe_is_refused_without_blocking(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    outcome: list[BaseException] = []
    worker = threading.Thread(target=lambda: outcome.append(pytest.raises(NotRegularFileError, sha256_file, pipe).value))
    worker.start()
    worker.join(10)
    assert not worker.is_alive(), "sha256_file blocked on a FIFO"
    assert isinstance(outcome[0], OSError) and "a named pipe" in str(outcome[0])


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes (POSIX)")
def test_a_certificate_path_that_is_a_pipe_is_a_usage_error(tmp_path: Path) -> None:
    from provenance import SigningKey, verify_certificate

    pipe = tmp_path / "cert.json"
    os.mkfifo(pipe)
    with pytest.raises(UsageError, match="is not a regular file"):
        verify_certificate(pipe, tmp_path, key=SigningKey.generate().public_key)
