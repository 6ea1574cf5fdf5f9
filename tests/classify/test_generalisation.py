"""Generalisation (issue #11, item 5): generator records are recognised by their content, never by the
name of the field that holds them.

Three checks, each able to fail on its own:

1. the generator-record rows of the metadata table carry no field criterion at all;
2. every real-format sample is classified the same in every container, field name and signal kind
   (including names that mean something else: ``Make``, ``Software``, ``Copyright``);
3. the project's own generalisation files (``fixtures/metadata-generalisation``), each holding one
   record in a field no other test uses, are read end to end and recognised there.

Fields whose name carries the meaning (``DigitalSourceType``, the IPTC AI-system fields) are not
generator records: their rows come before the record rows and are the documented exception.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest
from conftest import fixture_script

from provenance.classify import classify_signal
from provenance.classify._metadata import METADATA_RULES
from provenance.evidence import read_evidence
from provenance.evidence._pngtext import GENERATOR_KEYWORDS
from provenance.evidence.metadata import read_metadata
from provenance.model import Category, Container, MetadataSignal, SignalKind
from provenance.policy import default_policy, evaluate

from .record_samples import ORDINARY_TEXTS, SAMPLES

REPO = Path(__file__).resolve().parents[2]
GENERALISATION = REPO / "fixtures" / "metadata-generalisation"
METADATA_FIXTURES = REPO / "fixtures" / "metadata"


def _builder() -> ModuleType:
    return fixture_script("make_metadata_fixtures")


BUILDER = _builder()
FILES: dict[str, tuple[object, str, str, str, bool]] = BUILDER.GENERALISATION_FILES

PLACES: list[tuple[Container, str, SignalKind, str | None, str | None]] = [
    # (container, name, kind the reader gave it, namespace, path)
    (Container.EXIF, "Make", SignalKind.CAMERA, "IFD0", None),
    (Container.EXIF, "Software", SignalKind.SOFTWARE, "IFD0", None),
    (Container.EXIF, "Artist", SignalKind.TEXT, "IFD0", None),
    (Container.EXIF, "Copyright", SignalKind.TEXT, "IFD0", None),
    (Container.EXIF, "UserComment", SignalKind.DESCRIPTION, "ExifIFD", None),
    (Container.EXIF, "Tag0xC4A5", SignalKind.TEXT, "SubIFD", "SubIFD"),
    (Container.XMP, "tiff:Make", SignalKind.TEXT, "http://ns.adobe.com/tiff/1.0/", None),
    (Container.XMP, "xmp:Label", SignalKind.TEXT, "http://ns.adobe.com/xap/1.0/", None),
    (Container.XMP, "photoshop:Instructions", SignalKind.TEXT, "http://ns.adobe.com/photoshop/1.0/", None),
    (Container.XMP, "ns:anything", SignalKind.TEXT, "urn:example:unknown", "xmpMM:Pantry[2]"),
    (Container.PNG, "zzz", SignalKind.DESCRIPTION, "tEXt", None),
    (Container.PNG, "Software", SignalKind.SOFTWARE, "iTXt", None),
    (Container.PNG, "prompt", SignalKind.GENERATOR_RECORD, "zTXt", None),
    (Container.IPTC, "Caption-Abstract", SignalKind.DESCRIPTION, None, None),
    (Container.JPEG, "COM", SignalKind.DESCRIPTION, None, None),
    (Container.OTHER, "Comment", SignalKind.HISTORY_EVENT, None, None),
]


def test_record_rows_have_no_field_criterion() -> None:
    rows = [rule for rule in METADATA_RULES if rule.id.startswith("record.")]
    assert rows, "the generator-record rows are in the table"
    for rule in rows:
        assert rule.record is not None, rule.id
        assert not (rule.kinds or rule.containers or rule.properties or rule.test or rule.dst), (
            f"{rule.id} is bound to a field (kinds/containers/properties) or a separate value test")
    # No other row calls a signal generative because of a generator's field name or the reader's kind hint.
    name_bound = [rule.id for rule in METADATA_RULES if rule.category is Category.GENERATIVE and (
        SignalKind.GENERATOR_RECORD in rule.kinds or rule.properties & GENERATOR_KEYWORDS)]
    assert name_bound == []


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_every_sample_is_recognised_in_every_place(name: str) -> None:
    expected, text = SAMPLES[name]
    for container, field, kind, namespace, path in PLACES:
        sig = MetadataSignal(container, field, kind, text, namespace=namespace, path=path)
        rows = [(c.category, c.row) for c in classify_signal(sig)]
        assert rows == [(Category.GENERATIVE, f"record.{expected}")], sig.field


@pytest.mark.parametrize("text", ORDINARY_TEXTS)
def test_a_generator_field_name_with_ordinary_text_is_no_record(text: str) -> None:
    for keyword in ("parameters", "prompt", "workflow", "invokeai_metadata", "sui_image_params"):
        sig = MetadataSignal(Container.PNG, keyword, SignalKind.GENERATOR_RECORD, text, namespace="tEXt")
        assert not [c.row for c in classify_signal(sig) if c.row.startswith("record.")], keyword


def test_the_generalisation_set_is_committed_as_built(tmp_path: Path) -> None:
    BUILDER.build_generalisation(tmp_path)
    on_disk = {path.name for path in GENERALISATION.iterdir() if path.name != "README.md"}
    assert on_disk == set(FILES)
    for name in FILES:
        built, _ = read_metadata((tmp_path / name).read_bytes(), None)
        committed, _ = read_metadata((GENERALISATION / name).read_bytes(), None)
        assert built == committed, name


def test_each_record_sits_in_a_field_of_its_own() -> None:
    fields = [field for _, field, _, _, _ in FILES.values()]
    assert len(fields) == len(set(fields))
    # ...and in none of the fields the other metadata fixtures put their generator records in.
    elsewhere = {
        sig.field for path in METADATA_FIXTURES.iterdir() if path.suffix != ".md"
        for sig in read_metadata(path.read_bytes(), None)[0]
        for c in classify_signal(sig) if c.row.startswith("record.")
    }
    assert elsewhere and not set(fields) & elsewhere
    assert {record for _, _, record, _, _ in FILES.values()} >= {
        "a1111", "civitai", "comfyui_api", "comfyui_workflow", "invokeai", "invokeai_dream", "fooocus",
        "ruined_fooocus", "swarmui", "novelai", "stability_matrix", "tensor_art", "midjourney"}


def _params() -> list[object]:
    # The readers branch exposes every text field (EXIF Artist/Copyright, XMP xmp:Label, IPTC
    # SpecialInstructions...): no file of the set needs an expected failure any more.
    return [pytest.param(name, id=name) for name in sorted(FILES)]


@pytest.mark.parametrize("name", _params())
def test_generalisation_file_end_to_end(name: str) -> None:
    _, field, record, _, _ = FILES[name]
    path = GENERALISATION / name
    signals, _ = read_metadata(path.read_bytes(), None)
    found = {(sig.field, c.row) for sig in signals for c in classify_signal(sig)}
    assert (field, f"record.{record}") in found
    verdict = evaluate(read_evidence(path), default_policy())
    assert verdict.status.value == "non_compliant"
    assert "generative_ai" in [reason.value for reason in verdict.reasons]
