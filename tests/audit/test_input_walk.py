"""The input walk (#12.3): images are found as they are audited, each once, and the report never lands on one."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import SAMPLE_DELIVERY, TEST_ROOT
from conftest import run_cli as run

from provenance import TrustConfig, default_policy
from provenance.audit import InputWalk, collect_inputs, iter_verdicts

ROOT = ["--trust-anchors", str(TEST_ROOT)]
IMAGE = SAMPLE_DELIVERY / "01-capture-edited.jpg"


def _tree(tmp_path: Path) -> Path:
    """top/{a.jpg, notes.txt, sub/{b.jpg, deeper/c.png}, z.jpg}"""
    top = tmp_path / "top"
    (top / "sub" / "deeper").mkdir(parents=True)
    for relative in ("a.jpg", "sub/b.jpg", "sub/deeper/c.png", "z.jpg"):
        shutil.copy(IMAGE, top / relative)
    (top / "notes.txt").write_text("not an image")
    return top


def _names(paths: object) -> list[str]:
    return [Path(p).as_posix() for p in paths]  # type: ignore[attr-defined]


def test_the_walk_is_lazy_it_lists_a_folder_only_when_it_gets_there(tmp_path: Path) -> None:
    top = _tree(tmp_path)
    walk = iter(InputWalk([top]))
    assert next(walk) == top / "a.jpg"
    shutil.copy(IMAGE, top / "sub" / "deeper" / "later.jpg")  # written after the walk began
    rest = list(walk)  # os.walk order: a folder's files, then its subfolders
    assert rest == [top / "z.jpg", top / "sub" / "b.jpg", top / "sub" / "deeper" / "c.png",
                    top / "sub" / "deeper" / "later.jpg"]  # read from the disk when reached, not held from the start


def test_each_file_is_listed_once_however_the_named_paths_overlap(tmp_path: Path) -> None:
    top = _tree(tmp_path)
    sub, b, a = top / "sub", top / "sub" / "b.jpg", top / "a.jpg"
    whole = [top / "a.jpg", top / "z.jpg", top / "sub" / "b.jpg", top / "sub" / "deeper" / "c.png"]
    assert list(collect_inputs([top]).images) == whole
    assert list(collect_inputs([top, top]).images) == whole
    assert list(collect_inputs([top, sub, b]).images) == whole  # later paths inside an earlier folder
    # An earlier folder and file come first; the outer walk skips what they gave.
    assert list(collect_inputs([sub, a, top]).images) == [
        top / "sub" / "b.jpg", top / "sub" / "deeper" / "c.png", top / "a.jpg", top / "z.jpg"]
    # A named file that the walk left out (not an image) is still audited: every named file is.
    notes = top / "notes.txt"
    inputs = collect_inputs([top, notes])
    assert list(inputs.images) == [*whole, notes]
    assert [s.path for s in inputs.skipped] == [str(notes)]


def test_a_folder_reached_through_a_link_is_walked_when_named(tmp_path: Path) -> None:
    top = _tree(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(IMAGE, elsewhere / "x.jpg")
    (top / "link").symlink_to(elsewhere, target_is_directory=True)
    inputs = collect_inputs([top, top / "link", top / "link" / "x.jpg"])
    # The walk of top does not follow the link (skipped); naming the link, or a file through it, audits
    # what it holds, once: never dropped as "already seen".
    assert inputs.images[-1] == top / "link" / "x.jpg"
    assert list(inputs.images).count(top / "link" / "x.jpg") == 1
    assert any(s.path == str(top / "link") and "symbolic link" in s.why for s in inputs.skipped)
    only_file = collect_inputs([top, top / "link" / "x.jpg"])
    assert only_file.images[-1] == top / "link" / "x.jpg"


def test_a_walk_and_a_collected_list_give_the_same_verdicts(tmp_path: Path) -> None:
    top = _tree(tmp_path)
    policy, trust = default_policy(), TrustConfig.from_pem_files([TEST_ROOT])
    listed = [(v.path, v.status) for v in iter_verdicts(collect_inputs([top]), policy=policy, trust=trust, jobs=2)]
    walked = [(v.path, v.status) for v in iter_verdicts(InputWalk([top]), policy=policy, trust=trust, jobs=2)]
    assert walked == listed and len(walked) == 4


def test_the_report_never_replaces_an_image_found_in_a_walked_folder(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    top = _tree(tmp_path)
    target = top / "sub" / "deeper" / "c.png"
    before = target.read_bytes()
    for fmt in ("json", "jsonl", "text"):
        code, out, err = run(["audit", str(top), *ROOT, "--format", fmt, "-o", str(target)], capsys)
        assert code == 2 and "over an input file" in err, (fmt, err)
        assert target.read_bytes() == before
    # The same file under another name (a hard link outside the folder) is refused too.
    other = tmp_path / "report.json"
    os.link(top / "a.jpg", other)
    code, _, err = run(["audit", str(top), *ROOT, "--format", "json", "-o", str(other)], capsys)
    assert code == 2 and "over an input file" in err
    assert other.read_bytes() == IMAGE.read_bytes()
    assert sorted(p.name for p in top.iterdir()) == ["a.jpg", "notes.txt", "sub", "z.jpg"]  # no temporary file left


def test_a_report_written_inside_the_walked_folder_does_not_list_itself(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    top = _tree(tmp_path)
    for fmt in ("json", "jsonl"):
        report = top / f"report.{fmt}"
        code, _, err = run(["audit", str(top), *ROOT, "--format", fmt, "-o", str(report)], capsys)
        assert code == 0, err
        text = report.read_text()
        assert ".provenance-" not in text  # the atomic writer's temporary file was never walked
        records = [json.loads(text)] if fmt == "json" else [json.loads(line) for line in text.splitlines()]
        paths = {image["path"] for r in records for image in r.get("images", [r] if r.get("record") == "image" else [])}
        assert {Path(p).name for p in paths} == {"a.jpg", "b.jpg", "c.png", "z.jpg"}
        report.unlink()


def test_a_path_that_leaves_a_walked_folder_by_dotdot_is_still_audited(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """``top/../other`` starts with ``top`` but the walk of ``top`` never reaches it: it was dropped as
    "walked already" (a whole folder of images left out, the audit passing on the rest)."""
    top = _tree(tmp_path)
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(IMAGE, other / "x.jpg")
    whole = list(collect_inputs([top]).images)
    assert list(collect_inputs([top, top / ".." / "other"]).images) == [*whole, top / ".." / "other" / "x.jpg"]
    assert list(collect_inputs([top, top / "sub" / ".." / ".." / "other" / "x.jpg"]).images)[-1].name == "x.jpg"
    # "." has no parts: every relative path started with it, and every absolute one.
    monkeypatch.chdir(top)
    assert list(collect_inputs([".", "../other"]).images)[-1] == Path("../other/x.jpg")
    assert list(collect_inputs([".", str(other / "x.jpg")]).images)[-1] == other / "x.jpg"
    assert list(collect_inputs([".", str(other)]).images)[-1] == other / "x.jpg"


def test_a_named_image_in_an_unlistable_folder_of_a_walked_folder_is_audited(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The walk of ``top`` cannot list ``top/hidden``, but the image named inside it can be read."""
    top = _tree(tmp_path)
    hidden = top / "hidden"
    hidden.mkdir()
    shutil.copy(IMAGE, hidden / "named.jpg")
    real_scandir = os.scandir

    def scandir(path):  # type: ignore[no-untyped-def]
        if Path(path) == hidden:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    inputs = collect_inputs([top, hidden / "named.jpg"])
    assert inputs.images[-1] == hidden / "named.jpg"
    assert [s.path for s in inputs.unreadable] == [str(hidden)]


def test_paths_given_as_a_generator_are_checked_for_existence(tmp_path: Path) -> None:
    from provenance.errors import UsageError

    with pytest.raises(UsageError, match="no such file or folder"):
        collect_inputs(p for p in [tmp_path / "missing.jpg"])


def test_naming_many_folders_costs_linear_work_not_quadratic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``provenance audit delivery/*`` with thousands of folders: each named path was compared with
    every folder walked before it (10,000 folders: 14 s instead of 0.8 s). Only the walked folders
    that are prefixes of a path are looked at now (counted here, not timed)."""
    import provenance._walk as walk_module

    folders = []
    for number in range(300):
        folder = tmp_path / f"shoot{number:03}"
        folder.mkdir()
        (folder / "notes.txt").write_text("x")
        folders.append(folder)
    real, calls = walk_module._under, []

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(walk_module, "_under", counted)
    inputs = collect_inputs([*folders, folders[7], folders[7] / "notes.txt", tmp_path])
    assert len(inputs.skipped) == 300 and inputs.images == (folders[7] / "notes.txt",)
    assert len(calls) <= 3  # each check is made against the walked folders that are its prefixes only


def test_a_tree_deeper_than_the_recursion_limit_is_walked(tmp_path: Path) -> None:
    """Python 3.11's os.walk recursed once per level: 1,100 nested folders (2 bytes each) stopped the
    audit with a RecursionError (exit 4) instead of finding the image at the bottom."""
    import sys

    top = folder = tmp_path / "deep"
    folder.mkdir()
    try:
        for _ in range(max(1100, sys.getrecursionlimit() + 100)):
            folder = folder / "a"
            folder.mkdir()
        shutil.copy(IMAGE, folder / "bottom.jpg")
        assert collect_inputs([top]).images == (folder / "bottom.jpg",)
    finally:  # removed here, bottom up: pytest's own clean-up (shutil.rmtree) recurses and would fail on it
        (folder / "bottom.jpg").unlink(missing_ok=True)
        while folder != tmp_path:
            folder.rmdir()
            folder = folder.parent


def test_paths_longer_than_the_system_takes_are_unreadable_not_a_crash(tmp_path: Path) -> None:
    """17 folders of 250-character names pass PATH_MAX (4,096 bytes): pathlib raised ENAMETOOLONG out
    of the walk and the whole audit stopped (exit 4, an internal error). A link whose target has a
    name too long did the same."""
    top = tmp_path / "top"
    top.mkdir()
    shutil.copy(IMAGE, top / "a.jpg")
    (top / "long.jpg").symlink_to(Path("x" * 300) / "y")
    (top / "long.txt").symlink_to(Path("x" * 300) / "y")
    fd = os.open(top, os.O_RDONLY)
    try:
        for level in range(17):  # created relative to an open folder: no single path is too long
            name = chr(ord("a") + level) * 250
            os.mkdir(name, dir_fd=fd)
            inner = os.open(name, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
        image = os.open("hidden.jpg", os.O_WRONLY | os.O_CREAT, dir_fd=fd)
        os.write(image, IMAGE.read_bytes())
        os.close(image)
    finally:
        os.close(fd)
    inputs = collect_inputs([top])
    assert inputs.images == (top / "a.jpg", top / "long.jpg")  # the broken link with an image name: audited
    assert [s.path for s in inputs.skipped] == [str(top / "long.txt")]
    assert len(inputs.unreadable) == 1 and "too long" in inputs.unreadable[0].why  # the folder that holds hidden.jpg


def test_a_file_that_cannot_be_opened_to_sniff_is_audited_unreadable_not_skipped(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail closed: a file without an image extension whose content cannot be read may be an image;
    it is audited (and found unreadable), never listed as "not an image" (it was, before #12's tryout)."""
    import builtins

    import provenance._walk as walk_module

    top = tmp_path / "delivery"
    top.mkdir()
    hidden, notes = top / "IMG_0001", top / "notes"
    shutil.copy(IMAGE, hidden)
    notes.write_text("plain text")

    def refusing_open(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if Path(path) == hidden:  # as for a file without read permission (root reads those)
            raise PermissionError(13, "Permission denied", str(path))
        return builtins.open(path, *args, **kwargs)

    monkeypatch.setattr(walk_module, "open", refusing_open, raising=False)
    inputs = collect_inputs([top])
    assert inputs.images == (hidden,)
    assert [s.path for s in inputs.skipped] == [str(notes)]  # what could be read and is text stays skipped
