"""`provenance inspect` text: whose validation code each store-level line is."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from conftest import TEST_ROOT, fixture_script, run_cli

ANCHORS = ["--trust-anchors", str(TEST_ROOT), "--no-trust-store"]


def _make_hostile() -> Any:
    return fixture_script("make_hostile")


@pytest.fixture(scope="module")
def edited(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Sample 01 opened and re-signed once: its ingredient's status was recorded at import without anchors."""
    path = tmp_path_factory.mktemp("inspect") / "edited.jpg"
    path.write_bytes(_make_hostile().deep_chain(1))
    return path


def test_an_ingredient_failure_is_not_shown_as_the_active_manifests(edited: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["inspect", str(edited), *ANCHORS], capsys)
    assert code == 0
    assert "validation state Trusted" in out and "verdict: compliant" in out
    store_lines = out.split("  active manifest:")[0].splitlines()
    failures = [line for line in store_lines if line.lstrip().startswith("failure")]
    assert failures == ["  failure (recorded in ingredient level-0.jpg): signingCredential.untrusted "
                        "(signing certificate untrusted)"]


def test_a_pipe_or_an_empty_file_is_shown_as_unreadable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pipe = tmp_path / "photo.jpg"
    os.mkfifo(pipe)  # opening it for reading would block: it must be refused without being opened
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    for path, why in ((pipe, "not a regular file"), (empty, "the file is empty")):
        code, out, _ = run_cli(["inspect", str(path), *ANCHORS], capsys)
        assert code == 0  # the tree was shown (docs/cli.md)
        assert f"cannot read: {why}" in out and "verdict: indeterminate (unreadable)" in out


class _PathLike:
    def __init__(self, path: Path) -> None:
        self.path = path

    def __fspath__(self) -> str:
        return str(self.path)


def test_the_library_call_takes_any_path_like_and_refuses_wrong_types(edited: Path) -> None:
    from provenance.inspect import inspect_file

    assert inspect_file(_PathLike(edited))["sha256"] == inspect_file(str(edited))["sha256"]  # type: ignore[arg-type]
    for call, needle in ((lambda: inspect_file(123), "takes a path"),  # type: ignore[arg-type]
                         (lambda: inspect_file(bytes(edited)), "takes a path"),  # type: ignore[arg-type]
                         (lambda: inspect_file(edited, policy="charter.toml"), "takes a Policy"),  # type: ignore[arg-type]
                         (lambda: inspect_file(edited, trust=[str(TEST_ROOT)]), "takes a TrustConfig")):  # type: ignore[arg-type]
        with pytest.raises(TypeError, match=needle):
            call()


def _deep_store(depth: int) -> dict:  # type: ignore[type-arg]
    """A manifest store (Reader.json() shape) whose chain is ``depth`` manifests deep, each opening the next;
    the deepest one places a Generative Fill. c2pa-rs signs no chain this deep; another writer could."""
    manifests = {}
    for level in range(depth):
        label = f"urn:c2pa:level-{level}"
        actions = [{"action": "c2pa.opened"}] if level < depth - 1 else [
            {"action": "c2pa.placed", "softwareAgent": "Adobe Firefly",
             "digitalSourceType": "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia"}]
        manifests[label] = {
            "claim_generator_info": [{"name": "deep writer", "version": "1"}],
            "assertions": [{"label": "c2pa.actions.v2", "data": {"actions": actions}}],
            "ingredients": [] if level == depth - 1 else [
                {"title": f"level-{level + 1}.jpg", "relationship": "parentOf", "label": "c2pa.ingredient.v3",
                 "active_manifest": f"urn:c2pa:level-{level + 1}"}],
            "signature_info": {"issuer": "deep", "common_name": "deep"},
        }
    return {"active_manifest": "urn:c2pa:level-0", "manifests": manifests, "validation_state": "Trusted"}


def test_a_chain_deeper_than_the_cap_is_cut_not_a_recursion_error() -> None:
    import json

    from provenance import default_policy, evaluate
    from provenance._cli._render import dumps
    from provenance._cli.inspect import render_inspection
    from provenance.evidence._c2pa import parse_manifest_store
    from provenance.inspect import MAX_TREE_DEPTH, inspection_tree
    from provenance.model import Evidence

    evidence = Evidence(path="deep.jpg", sha256="0" * 64, size=1, media_type="image/jpeg",
                        credentials=parse_manifest_store(_deep_store(MAX_TREE_DEPTH + 150)))
    tree = inspection_tree(evidence, evaluate(evidence, default_policy()))  # recursed past the limit before
    node, levels = tree["manifest"], 0
    while node["ingredients"] and node["ingredients"][0]["manifest"] is not None:
        node, levels = node["ingredients"][0]["manifest"], levels + 1
    assert levels == MAX_TREE_DEPTH and node["ingredients"][0]["beyond_depth_cap"] is True
    assert tree["verdict"]["status"] == "non_compliant"
    forbidden = [f for f in tree["findings"] if f["decision"] == "forbidden"]
    assert forbidden and "urn:c2pa:level-349" not in json.dumps(tree["manifest"])  # listed at the top, not dropped
    assert json.loads(dumps(tree)) == tree
    text = render_inspection(tree)
    assert "lies deeper than the tree is nested" in text
    assert any(line.startswith("  -> FORBIDDEN") for line in text.splitlines())  # top level, not nested
