"""`provenance inspect`: the manifest store as a nested tree with the policy's decisions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SAMPLE_DELIVERY, SHARED_TRUST_FILES, TEST_ROOT, run_cli, shared_path

from provenance.inspect import inspect_file


def _depth(node: dict | None) -> int:  # type: ignore[type-arg]
    if node is None:
        return -1
    return max([node["depth"], *(_depth(item["manifest"]) for item in node["ingredients"])])


def test_generative_fill_action_shows_its_decision(test_trust) -> None:  # type: ignore[no-untyped-def]
    tree = inspect_file(SAMPLE_DELIVERY / "03-generative-fill.jpg", trust=test_trust)
    actions = tree["manifest"]["actions"]
    assert [a["action"] for a in actions] == ["c2pa.created", "c2pa.placed"]
    assert {f["decision"] for f in actions[0]["findings"]} == {"allowed"}
    assert {f["decision"] for f in actions[1]["findings"]} == {"forbidden"}
    assert actions[1]["software_agent"] == "Adobe Firefly"
    assert tree["verdict"] == {"status": "non_compliant", "reasons": ["generative_ai"],
                               "warnings": tree["verdict"]["warnings"]}
    ingredient = tree["manifest"]["ingredients"][0]
    assert (ingredient["relationship"], ingredient["depth"], ingredient["manifest"]) == ("componentOf", 1, None)


def test_text_tree(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["inspect", str(SAMPLE_DELIVERY / "03-generative-fill.jpg"), "--trust-anchors",
                            str(TEST_ROOT), "--no-trust-store"], capsys)
    assert code == 0
    assert "validation state Trusted" in out
    assert "#1 c2pa.placed" in out and "FORBIDDEN [charter.forbidden.generative]" in out
    assert "ingredient Untitled Image: componentOf" in out
    assert out.rstrip().splitlines()[-2:][0].startswith("  verdict: non_compliant (generative_ai)")


def test_no_credentials_is_exit_0_and_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["inspect", str(SAMPLE_DELIVERY / "04-no-credentials.jpg"), "--no-trust-store"], capsys)
    assert code == 0
    assert "no Content Credentials" in out


def test_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(["inspect", str(tmp_path / "missing.jpg")], capsys)
    assert code == 2 and "no such file" in err
    with pytest.raises(TypeError, match="takes a path"):
        inspect_file(123)  # type: ignore[arg-type]


def test_deepest_public_fixture_is_nested(capsys: pytest.CaptureFixture[str]) -> None:
    """conformant-a.jpg has the deepest ingredient chain of the public corpus (depth 3)."""
    path = shared_path("fixtures", "public", "c2paverify-android", "conformant-a.jpg")
    args = ["inspect", str(path), "--format", "json", "--no-trust-store"]
    for name in SHARED_TRUST_FILES:
        args += ["--trust-anchors", str(shared_path("fixtures", "trust", name))]
    code, out, _ = run_cli(args, capsys)
    assert code == 0
    tree = json.loads(out)
    assert _depth(tree["manifest"]) == 3
    assert tree["credentials"]["manifest_count"] == 4  # every manifest of the store appears once, nested
    node, seen = tree["manifest"], []
    while node is not None:
        seen.append(node["label"])
        node = next((item["manifest"] for item in node["ingredients"] if item["manifest"]), None)
    assert len(seen) == 4 and len(set(seen)) == 4
