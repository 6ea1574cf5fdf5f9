"""Own presets made checkable (issue #11, item 4): what was applied, the default charter's finding,
and a studio policy's ``[presets]`` list (names and/or UUIDs, globs, a decision for others)."""

from __future__ import annotations

from pathlib import Path

import pytest

from provenance.classify import classify_action, classify_signal, preset_of
from provenance.classify._presets import AppliedPreset
from provenance.errors import PolicyError
from provenance.evidence.metadata import read_metadata
from provenance.model import ActionRecord, Container, Decision, Location, MetadataSignal, SignalKind
from provenance.policy import default_policy, parse_policy

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "metadata"
CHARTER = (Path(__file__).resolve().parents[2] / "provenance" / "policies" / "charter.toml").read_text()


def xmp(name: str, value: str) -> MetadataSignal:
    return MetadataSignal(Container.XMP, name, SignalKind.DEVELOP_SETTING, value,
                          namespace="http://ns.adobe.com/camera-raw-settings/1.0/")


def lightroom(label: str, acr: str, value: str) -> ActionRecord:
    return ActionRecord(action=label, location=Location(manifest="m", assertion="c2pa.actions.v2", index=1),
                        parameters={"com.adobe.acr": acr, "com.adobe.acr.value": value})


def studio(presets_table: str) -> object:
    return parse_policy((CHARTER + "\n[presets]\n" + presets_table).encode(), "studio.toml")


@pytest.mark.parametrize(("classification_of", "expected"), [
    (lambda: classify_signal(xmp("crs:Look", "Name=Studio Warm 02 Amount=1 UUID=5A0C9E41B2D34F5E8A7B6C5D4E3F2A1B")),
     AppliedPreset("look", "Studio Warm 02", "5A0C9E41B2D34F5E8A7B6C5D4E3F2A1B")),
    (lambda: classify_signal(xmp("crs:Look", "Name=Adobe Landscape Amount=1")),
     AppliedPreset("look", "Adobe Landscape", None)),
    (lambda: classify_signal(xmp("crs:Preset", "Name=PL02 Group=Studio")), AppliedPreset("preset", "PL02", None)),
    (lambda: classify_signal(xmp("crs:Name", "PL02")), AppliedPreset("preset", "PL02", None)),
    (lambda: classify_signal(xmp("crs:PresetType", "Normal")), AppliedPreset("preset", None, None)),
    (lambda: classify_signal(xmp("crs:CameraProfile", "Adobe Standard")),
     AppliedPreset("profile", "Adobe Standard", None)),
    # Lightroom's manifest: com.adobe.acr "Preset", value "None to PL02" (c2pa-signals A3, 3P:66635219342)
    (lambda: classify_action(lightroom("c2pa.filtered", "Preset", "None to PL02")),
     AppliedPreset("preset", "PL02", None)),
    (lambda: classify_action(ActionRecord(action="c2pa.edited", location=Location(),
                                          parameters={"name": "new_color_lookup_layer"})),
     AppliedPreset("look", None, None)),
])
def test_what_was_applied(classification_of: object, expected: AppliedPreset) -> None:
    [found] = classification_of()  # type: ignore[operator]
    assert preset_of(found) == expected


def test_colour_sliders_are_not_presets() -> None:
    [found] = classify_action(lightroom("c2pa.color_adjustments", "HueAdjustmentRed", "+5"))
    assert preset_of(found) is None
    [found] = classify_signal(xmp("crs:Exposure2012", "+0.35"))
    assert preset_of(found) is None


def test_default_charter_allows_and_says_what_and_that_ownership_was_not_checked() -> None:
    policy = default_policy()
    assert policy.presets is None
    for found in (*classify_signal(xmp("crs:Look", "Name=Adobe Landscape Amount=1")),
                  *classify_action(lightroom("c2pa.filtered", "Preset", "None to PL02"))):
        assert policy.decide(found) == (Decision.ALLOWED, "charter.allowed.preset-colour")
        assert ("'Adobe Landscape'" in found.reason or "'PL02'" in found.reason), found.reason
        assert "does not show whose it is" in found.reason


def test_studio_list_by_name_uuid_and_glob() -> None:
    policy = studio('looks = ["Studio Warm *", "9F2E*"]\npresets = ["PL0?"]\n')
    look = classify_signal(xmp("crs:Look", "Name=Studio Warm 02 Amount=1"))[0]
    by_uuid = classify_signal(xmp("crs:Look", "Name=Renamed Amount=1 UUID=9f2e0000000000000000000000000001"))[0]
    bought = classify_signal(xmp("crs:Look", "Name=Film Pack Velvia Amount=1"))[0]
    unnamed = classify_signal(xmp("crs:PresetType", "Normal"))[0]
    manifest = classify_action(lightroom("c2pa.filtered", "Preset", "None to PL02"))[0]
    assert policy.decide(look) == (Decision.ALLOWED, "presets.own")  # type: ignore[attr-defined]
    assert policy.decide(by_uuid) == (Decision.ALLOWED, "presets.own")  # type: ignore[attr-defined]
    assert policy.decide(manifest) == (Decision.ALLOWED, "presets.own")  # type: ignore[attr-defined]
    assert policy.decide(bought) == (Decision.REVIEW, "presets.others")  # type: ignore[attr-defined]
    assert policy.decide(unnamed) == (Decision.REVIEW, "presets.others")  # type: ignore[attr-defined]
    # profiles are not listed: the charter's rule still decides them
    profile = classify_signal(xmp("crs:CameraProfile", "Adobe Standard"))[0]
    assert policy.decide(profile) == (Decision.ALLOWED, "charter.allowed.preset-colour")  # type: ignore[attr-defined]


def test_others_decision_is_the_policys() -> None:
    policy = studio('profiles = ["Studio Camera *"]\nothers = "forbidden"\n')
    profile = classify_signal(xmp("crs:CameraProfile", "Adobe Standard"))[0]
    assert policy.decide(profile) == (Decision.FORBIDDEN, "presets.others")  # type: ignore[attr-defined]


@pytest.mark.parametrize(("table", "message"), [
    ('looks = "Studio"\n', "expected a list"),
    ('looks = [""]\n', "expected a list"),
    ('others = "review"\n', "at least one"),
    ('looks = ["x"]\nothers = "maybe"\n', "not a decision"),
    ('looks = ["x"]\ncolours = ["y"]\n', "unknown key 'colours'"),
])
def test_bad_presets_table(table: str, message: str) -> None:
    with pytest.raises(PolicyError, match=message):
        studio(table)


def test_lightroom_fixture_end_to_end() -> None:
    from provenance.evidence import read_evidence
    from provenance.policy import evaluate

    path = FIXTURES / "lightroom-upright-look-subject-mask.jpg"
    signals, _ = read_metadata(path.read_bytes(), None)
    [look] = [c for s in signals for c in classify_signal(s) if c.row == "xmp.crs.look"]
    assert preset_of(look) == AppliedPreset("look", "Adobe Landscape", "00000000000000000000000000000001")
    verdict = evaluate(read_evidence(path), studio('looks = ["Studio *"]\n'))  # type: ignore[arg-type]
    [finding] = [f for f in verdict.findings if f.rule and f.rule.startswith("presets.")]
    assert (finding.rule, finding.decision) == ("presets.others", Decision.REVIEW)
    assert "'Adobe Landscape'" in finding.message
    verdict = evaluate(read_evidence(path), studio('looks = ["0000*"]\n'))  # type: ignore[arg-type]
    assert [f.rule for f in verdict.findings if f.rule and f.rule.startswith("presets.")] == ["presets.own"]


def test_the_studio_policy_in_the_docs_parses_and_decides() -> None:
    import re

    docs = (Path(__file__).resolve().parents[2] / "docs" / "policy.md").read_text(encoding="utf-8")
    [example] = [block for block in re.findall(r"```toml\n(.*?)```", docs, re.DOTALL) if 'id = "studio-nord"' in block]
    rules = CHARTER[CHARTER.index("[[rule]]"):]
    policy = parse_policy((example + "\n" + rules).encode(), "docs/policy.md")
    own = classify_signal(xmp("crs:Look", "Name=Nord Film 02 Amount=1"))[0]
    bought = classify_signal(xmp("crs:Look", "Name=Film Pack Velvia Amount=1"))[0]
    assert policy.decide(own) == (Decision.ALLOWED, "presets.own")
    assert policy.decide(bought) == (Decision.REVIEW, "presets.others")
