"""The fast JSON layout (#12): byte for byte what ``json.dumps(indent=2, ensure_ascii=False)`` writes.

``provenance._jsonlayout.dumps_indented`` (any JSON-ready data) and ``provenance.report.image_json``
(one verdict, from %-templates) replace the standard library's pure-Python indented encoder in the
streamed report. Each is compared with ``json.dumps`` itself over varied data: every JSON type, empty
lists and objects, unicode beyond the BMP, control characters, lone surrogates of undecodable file
names, nested chains, thumbnails, and values of unexpected types.
"""

from __future__ import annotations

import io
import json
import pickle
import pickletools
import random
from typing import Any

import pytest

from provenance._jsonlayout import dumps_indented
from provenance.chain import ChainLink
from provenance.model import (
    Assurance,
    Category,
    CredentialsPresence,
    Decision,
    Finding,
    Location,
    Reason,
    Thumbnail,
    ValidationState,
)
from provenance.report import ReportHeader, ReportWriter, image_json, image_to_dict
from provenance.verdict import ImageVerdict, Status

TEXTS = ("", "plain", "Atelier Lumière ✓", "emoji \U0001f600 beyond the BMP", 'quote " and \\ backslash',
         "new\nline\ttab\r\x00nul\x1b[31m", "\x7f\x9b\u2028\u202e\u200f bidi and separators",
         "bad\udcff.jpg", "\ud800 lone high surrogate", "</script><!--", "%s %d {0} {}")


def _standard(value: Any, level: int = 0) -> str:
    text = json.dumps(value, indent=2, ensure_ascii=False)
    return text.replace("\n", "\n" + "  " * level)


@pytest.mark.parametrize("value", [
    None, True, False, 0, -1, 2**70, 1.5, -0.0, 1e300, float("nan"), float("inf"), float("-inf"), "", "x",
    [], {}, [[]], [{}], {"a": []}, {"a": {}}, [1, "a", None, True, 2.5, [2, [3, {}]], {"k": {"j": []}}],
    {"z": 1, "a": [1, 2], "m": {"n": {"o": [None]}}}, (1, (2, ())), {"é\U0001f600": "\x00"},
    {"status": Status.COMPLIANT, "reasons": [Reason.UNREADABLE]},  # StrEnum members encode as their value
    list(TEXTS), {text: text for text in TEXTS},
])
@pytest.mark.parametrize("level", [0, 1, 2, 5])
def test_dumps_indented_is_the_standard_layout(value: Any, level: int) -> None:
    assert dumps_indented(value, level) == _standard(value, level)


@pytest.mark.parametrize("value", [{1: "int key"}, {None: 1, True: 2, 1.5: 3}, {"a": {2: [1]}}])
def test_keys_that_are_not_strings_go_to_the_standard_encoder(value: Any) -> None:
    assert dumps_indented(value, 1) == _standard(value, 1)


def test_what_json_cannot_encode_raises_as_json_does() -> None:
    with pytest.raises(TypeError, match="not JSON serializable"):
        dumps_indented({"a": [object()]})
    circular: list[Any] = []
    circular.append(circular)
    with pytest.raises(ValueError, match="Circular reference"):
        dumps_indented(circular)


def _optional(rng: random.Random, value: Any) -> Any:
    return None if rng.random() < 0.3 else value


_TEXTS = list(TEXTS)  # what _text draws from


def _text(rng: random.Random) -> str:
    return rng.choice(_TEXTS) + rng.choice(("", str(rng.randrange(10**6))))


def _location(rng: random.Random) -> Location:
    return Location(manifest=_optional(rng, _text(rng)), assertion=_optional(rng, "c2pa.actions.v2"),
                    index=_optional(rng, rng.randrange(0, 40)), field=_optional(rng, _text(rng)))


def _finding(rng: random.Random) -> Finding:
    return Finding(code=rng.choice(("action.classified", "metadata.classified", _text(rng))), message=_text(rng),
                   location=_location(rng), category=_optional(rng, rng.choice(list(Category))),
                   decision=_optional(rng, rng.choice(list(Decision))), rule=_optional(rng, _text(rng)),
                   signal=_optional(rng, _text(rng)), source_ref=_optional(rng, _text(rng)),
                   reason=_optional(rng, rng.choice(list(Reason))))


def _link(rng: random.Random, depth: int) -> ChainLink:
    return ChainLink(label=_optional(rng, f"urn:c2pa:{rng.randrange(10**9)}"), depth=depth,
                     parent=None if depth == 0 else _optional(rng, _text(rng)),
                     relationship=_optional(rng, rng.choice(("parentOf", "componentOf", "inputTo"))),
                     title=_optional(rng, _text(rng)), claim_generator=_optional(rng, _text(rng)),
                     signer=_optional(rng, _text(rng)))


def _verdict(rng: random.Random) -> ImageVerdict:
    return ImageVerdict(
        path=rng.choice(("a.jpg", "delivery/Été \U0001f600.jpg", "bad\udcff\udc80.jpg", "new\nline.jpg",
                         "back\\slash \"quoted\".png")),
        sha256=_optional(rng, f"{rng.getrandbits(256):064x}"), size=_optional(rng, rng.randrange(0, 2**40)),
        media_type=_optional(rng, rng.choice(("image/jpeg", "image/png"))), status=rng.choice(list(Status)),
        reasons=tuple(rng.sample(list(Reason), rng.randrange(0, 4))),
        findings=tuple(_finding(rng) for _ in range(rng.choice((0, 0, 1, 3)))),
        warnings=tuple(_text(rng) for _ in range(rng.choice((0, 1, 2)))),
        validation_state=_optional(rng, rng.choice(list(ValidationState))),
        credentials=rng.choice(list(CredentialsPresence)), active_manifest=_optional(rng, _text(rng)),
        signer=_optional(rng, _text(rng)), assurance=rng.choice(list(Assurance)), error=_optional(rng, _text(rng)),
        chain=tuple(_link(rng, depth) for depth in range(rng.choice((0, 1, 4)))),
        thumbnail=None if rng.random() < 0.7 else Thumbnail("image/jpeg", rng.randbytes(rng.randrange(0, 64))),
    )


def test_image_json_is_json_dumps_of_image_to_dict_over_varied_verdicts() -> None:
    rng = random.Random(12)
    for _ in range(400):
        verdict = _verdict(rng)
        for level in (0, 2):
            assert image_json(verdict, level) == _standard(image_to_dict(verdict), level)


def test_image_json_of_values_of_other_types_than_the_model_declares() -> None:
    # A float size or a tuple location value is not what the readers give, but stays the standard text.
    verdict = ImageVerdict(path="x.jpg", sha256=None, size=1.5, media_type=None,  # type: ignore[arg-type]
                           status=Status.INDETERMINATE, reasons=(), warnings=(),
                           findings=(Finding("c", "m", Location(index=True)),),  # type: ignore[arg-type]
                           chain=(ChainLink(label=None, depth=[1]),))  # type: ignore[arg-type]
    assert image_json(verdict, 2) == _standard(image_to_dict(verdict), 2)


def test_streamed_report_is_the_standard_layout_of_the_whole_report(monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import UTC, datetime

    from provenance.report import AuditReport, PolicyInfo, SkippedFile, TrustInfo

    # The spool file keeps the undecodable bytes of file names (surrogateescape: U+DC80-U+DCFF), not
    # other lone surrogates, which no reader gives (the C2PA reader's JSON comes from Rust strings).
    monkeypatch.setattr(f"{__name__}._TEXTS", [text for text in TEXTS if "\ud800" not in text])
    rng = random.Random(7)
    images = tuple(_verdict(rng) for _ in range(25))
    skipped = (SkippedFile("notes\udcff.txt", "not an image"), SkippedFile("CATALOG.md", "not an image"))
    report = AuditReport(images=images, skipped=skipped, policy=PolicyInfo("p", "1", "0" * 64, "here"),
                         trust=TrustInfo(fingerprints=("ab",), sources=({"name": "x"},)),
                         evaluated_at=datetime(2026, 1, 2, tzinfo=UTC), tool={"provenance": "0"})
    expected = json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"
    assert report.to_json() == expected
    out = io.StringIO()
    writer = ReportWriter(out, "json", lambda _untrusted: ReportHeader(report.policy, report.trust,
                                                                       report.evaluated_at, report.tool), skipped)
    for image in images:
        writer.add(image)
    writer.finish()
    assert out.getvalue() == expected


def test_verdicts_survive_pickling_in_their_compact_form() -> None:
    rng = random.Random(3)
    verdicts = [_verdict(rng) for _ in range(100)]
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        loaded = pickle.loads(pickle.dumps(verdicts, protocol=protocol))
        assert loaded == verdicts and [image_json(v) for v in loaded] == [image_json(v) for v in verdicts]
        assert all(a.status is b.status and a.reasons == b.reasons for a, b in zip(loaded, verdicts, strict=True))
    # One reference to a function per verdict, then plain values: no class or enum member is looked up.
    operations = [op.name for op, _arg, _pos in pickletools.genops(pickle.dumps(verdicts[0], protocol=4))]
    assert operations.count("STACK_GLOBAL") == 1 and operations.count("REDUCE") == 1


def test_the_compact_form_has_every_field_of_every_record() -> None:
    # ImageVerdict.__reduce__ lists the fields by hand: a field added to a record must be added there
    # too (the round trip above would then lose it to its default).
    from dataclasses import fields

    assert [f.name for f in fields(ImageVerdict)] == [
        "path", "sha256", "size", "media_type", "status", "reasons", "findings", "warnings", "validation_state",
        "credentials", "active_manifest", "signer", "assurance", "error", "chain", "thumbnail"]
    assert [f.name for f in fields(Finding)] == [
        "code", "message", "location", "category", "decision", "rule", "signal", "source_ref", "reason"]
    assert [f.name for f in fields(Location)] == ["manifest", "assertion", "index", "field"]
    assert [f.name for f in fields(ChainLink)] == [
        "label", "depth", "parent", "relationship", "title", "claim_generator", "signer"]
    assert [f.name for f in fields(Thumbnail)] == ["media_type", "data"]
