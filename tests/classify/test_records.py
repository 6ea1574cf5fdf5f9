"""Generator-record recognisers (issue #11, item 1): each format with a real-format sample,
with and without key prefixes, clipped by the reader, escaped inside other JSON, and the caps."""

from __future__ import annotations

import json

import pytest

from provenance.classify import classify_signal
from provenance.classify._records import (
    MAX_JSON_DEPTH,
    RECORD_FORMATS,
    recognise_record,
)
from provenance.evidence._exif import clip_value
from provenance.model import Category, Container, MetadataSignal, SignalKind

from .record_samples import ORDINARY_TEXTS, SAMPLES


def format_of(text: str) -> str | None:
    found = recognise_record(text)
    if found is None:
        return None
    return found.format.id if found.format else "unreadable"


def test_every_format_has_a_sample_a_source_and_a_unique_id() -> None:
    ids = [fmt.id for fmt in RECORD_FORMATS]
    assert len(ids) == len(set(ids))
    assert {expected for expected, _ in SAMPLES.values()} == set(ids)
    for fmt in RECORD_FORMATS:
        assert fmt.source.strip() and fmt.product.strip() and fmt.shape.strip()
        assert fmt.test.__doc__, f"recogniser {fmt.id} documents the shape it looks for"


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_sample_is_recognised(name: str) -> None:
    expected, text = SAMPLES[name]
    assert format_of(text) == expected


@pytest.mark.parametrize("prefix", ["prompt:", "Prompt: ", "workflow:", "Workflow: ", "parameters\n",
                                    "parameters: ", "generation_data="])
@pytest.mark.parametrize("name", ["comfyui_api", "comfyui_workflow", "invokeai", "swarmui", "tensor_art"])
def test_key_prefixes_are_dropped(prefix: str, name: str) -> None:
    expected, text = SAMPLES[name]
    assert format_of(prefix + text) == expected


@pytest.mark.parametrize("prefix", ["parameters\n", "Parameters: ", "UNICODE\x00", "ASCII\x00\x00\x00"])
def test_text_records_with_prefixes(prefix: str) -> None:
    assert format_of(prefix + SAMPLES["a1111"][1]) == "a1111"


def test_long_graph_clipped_by_the_reader_is_still_recognised() -> None:
    # A reader that cuts a long value keeps its head and tail (clip_value, here to 2,000 characters):
    # the JSON no longer parses.
    nodes = {str(i): {"inputs": {"seed": 156680208700286 + i, "steps": 20, "cfg": 8, "model": ["4", 0]},
                      "class_type": "KSampler"} for i in range(200)}
    clipped = clip_value(json.dumps(nodes), 2000)
    with pytest.raises(ValueError):
        json.loads(clipped)
    assert format_of(clipped) == "comfyui_api"


def test_graphs_escaped_inside_another_json_string() -> None:
    combined = json.dumps({"prompt": SAMPLES["comfyui_api"][1], "workflow": SAMPLES["comfyui_workflow"][1]})
    assert format_of(combined) == "comfyui_api"


def test_swarmui_wins_over_the_comfyui_graph_it_embeds() -> None:
    both = json.dumps({"sui_image_params": {"prompt": "x", "seed": 1},
                       "prompt": json.loads(SAMPLES["comfyui_api"][1])})
    assert format_of(both) == "swarmui"


@pytest.mark.parametrize("text", ORDINARY_TEXTS)
def test_ordinary_text_is_not_a_record(text: str) -> None:
    assert recognise_record(text) is None


def test_deep_json_is_a_review_finding_not_a_recursion_error() -> None:
    deep = "[" * 5_000 + "]" * 5_000  # json.loads would raise RecursionError on this
    found = recognise_record(deep)
    assert found is not None and found.format is None and str(MAX_JSON_DEPTH) in (found.problem or "")
    classes = classify_signal(MetadataSignal(Container.PNG, "Comment", SignalKind.TEXT, deep, namespace="tEXt"))
    assert [(c.category, c.row) for c in classes] == [(Category.UNKNOWN, "record.unreadable")]


def test_deep_json_with_record_keys_is_still_the_record() -> None:
    deep = '{"sui_image_params": ' + '{"a": ' * (MAX_JSON_DEPTH + 5) + "1" + "}" * (MAX_JSON_DEPTH + 6)
    assert format_of(deep) == "swarmui"


def test_json_at_the_depth_cap_is_parsed() -> None:
    nested: object = {"class_type": "KSampler", "inputs": {}}
    for _ in range(MAX_JSON_DEPTH - 2):
        nested = {"n": nested}
    assert recognise_record(json.dumps(nested)) is not None  # keys found; no problem reported
    assert recognise_record("[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH) is None


def test_brackets_inside_strings_do_not_count_as_depth() -> None:
    text = json.dumps({"prompt": "[" * 500, "title": "x"})
    assert recognise_record(text) is None


def test_only_the_scan_cap_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    from provenance.classify import _records

    tail = "\nSteps: 20, Sampler: Euler a, CFG scale: 7, Seed: 1"
    monkeypatch.setattr(_records, "MAX_SCAN_CHARS", 4096)
    assert recognise_record("x" * 4000 + tail) is not None
    assert recognise_record("x" * 4096 + tail) is None


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_classified_as_generative_record_row(name: str) -> None:
    expected, text = SAMPLES[name]
    sig = MetadataSignal(Container.XMP, "dc:description", SignalKind.DESCRIPTION, text)
    [found] = classify_signal(sig)
    assert (found.category, found.row) == (Category.GENERATIVE, f"record.{expected}")
    assert found.source == next(f.source for f in RECORD_FORMATS if f.id == expected)


def test_invokeai_graph_clipped_by_the_reader_is_still_recognised() -> None:
    # As in the public invokeai.png: the head keeps the nodes, the tail only edge entries (no "edges" key).
    graph = json.loads(SAMPLES["invokeai_graph"][1])
    graph["nodes"].update({f"string:{i}": {"id": f"string:{i}", "is_intermediate": True, "value": "x" * 40,
                                           "type": "string"} for i in range(40)})
    graph["edges"] = [{"source": {"node_id": f"string:{i}", "field": "value"},
                       "destination": {"node_id": "denoise", "field": "seed"}} for i in range(60)]
    clipped = clip_value(json.dumps(graph), 2000)
    assert '"edges"' not in clipped
    assert format_of(clipped) == "invokeai"


def test_mutated_records_never_raise() -> None:
    import random

    rng = random.Random(11)
    alphabet = '{}[]":,\\ \n\x00aZ9-'
    for _, text in SAMPLES.values():
        for _ in range(40):
            chars = list(text)
            for _ in range(rng.randint(1, 10)):
                chars[rng.randrange(len(chars))] = rng.choice(alphabet)
            recognise_record("".join(chars)[: rng.randrange(1, len(chars) + 1)])  # must not raise
