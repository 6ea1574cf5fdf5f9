"""Generator records recognised by their content, wherever they sit (issue #11, item 1).

Image generators write what they did (prompt, sampler, seed, model, node graph) into a
text field. Which field varies (PNG text under any keyword, EXIF ``UserComment`` or
``ImageDescription`` of any IFD, XMP ``dc:description`` or ``exif:UserComment``, an IPTC
caption...) and files are re-saved by tools that move the text elsewhere, so **the
field's name never decides**: each recogniser below looks only at the value.

:func:`recognise_record` prepares the value once (a ``prompt:`` / ``Workflow:`` /
``parameters`` key prefix and a ``UserComment`` charset prefix are dropped, JSON is parsed
with depth and size caps) and tries :data:`RECORD_FORMATS` in order. Every recogniser is
a small predicate with the source of the format it knows. Recognisers match on the keys
a format always writes, so they still work on a value a reader cut to its head and
tail (a long ComfyUI graph cut to 2,000 characters no longer parses), on one part of a value
split into parts, and on JSON escaped inside another JSON string.

Caps (attacker-controlled sizes, documented here and in ``docs/policy.md``):

- only the first :data:`MAX_SCAN_CHARS` characters of a value are looked at;
- JSON is parsed only up to :data:`MAX_JSON_CHARS` characters and
  :data:`MAX_JSON_DEPTH` levels of nesting; deeper JSON is never handed to the parser
  (no ``RecursionError``): it is reported as a record that could not be read
  (:attr:`RecordMatch.problem`), which the classifier turns into a review finding.

Main sources: enslo/sd-metadata ``src/parsers/detect.ts`` and the per-tool parsers beside
it (the public-metadata corpus comes from that project), AUTOMATIC1111
``modules/processing.py`` (``create_infotext``), ComfyUI ``nodes.py`` (``SaveImage``) and
the ComfyUI frontend workflow schema; each row names its own.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = [
    "MAX_JSON_CHARS",
    "MAX_JSON_DEPTH",
    "MAX_SCAN_CHARS",
    "RECORD_FORMATS",
    "RecordFormat",
    "RecordMatch",
    "recognise_record",
]

MAX_SCAN_CHARS = 256 * 1024
"""Characters of one value the recognisers look at (256 Ki: a large ComfyUI workflow); the rest is ignored."""
MAX_JSON_CHARS = 256 * 1024
"""Longest JSON text handed to the parser (256 Ki characters); longer JSON is key-scanned only."""
MAX_JSON_DEPTH = 64
"""Deepest JSON nesting parsed (real ComfyUI/InvokeAI graphs nest fewer than 10 levels)."""


@dataclass(frozen=True, slots=True)
class _Text:
    """A value prepared once for every recogniser."""

    text: str
    """The value without key or charset prefix, cut to :data:`MAX_SCAN_CHARS`."""
    data: Any
    """The parsed JSON (object or array) when the text is complete, well-formed JSON; else ``None``."""
    too_deep: bool
    """The text opens more than :data:`MAX_JSON_DEPTH` nested JSON levels (not parsed)."""

    def key(self, name: str) -> bool:
        """Whether ``name`` appears as a JSON key (``"name":``, escaped or not); a substring test first."""
        return name in self.text and _key(name).search(self.text) is not None

    def has_keys(self, *keys: str) -> bool:
        """Whether every one of ``keys`` appears as a JSON key."""
        return all(self.key(key) for key in keys)

    def any_key(self, *keys: str) -> bool:
        """Whether at least one of ``keys`` appears as a JSON key."""
        return any(self.key(key) for key in keys)

    def count_keys(self, *keys: str) -> int:
        """How many of ``keys`` appear as JSON keys."""
        return sum(1 for key in keys if self.key(key))


_KEY_CACHE: dict[str, re.Pattern[str]] = {}


def _key(name: str) -> re.Pattern[str]:
    pattern = _KEY_CACHE.get(name)
    if pattern is None:
        # "name": or, inside a JSON string, \"name\":
        pattern = re.compile(r'\\?"' + re.escape(name) + r'\\?"\s*:')
        _KEY_CACHE[name] = pattern
    return pattern


@dataclass(frozen=True, slots=True)
class RecordFormat:
    """One generator-record format.

    ``id`` is stable (the classification row is ``record.<id>``); ``product`` the generator
    (family) that writes it; ``shape`` says in a few words what the recogniser looks for;
    ``source`` where the format is documented or seen; ``test`` the predicate.
    """

    id: str
    product: str
    shape: str
    source: str
    test: Callable[[_Text], bool]


@dataclass(frozen=True, slots=True)
class RecordMatch:
    """What :func:`recognise_record` found: a format, or a record that could not be read.

    Exactly one of ``format`` and ``problem`` is set. ``problem`` says in plain words why a
    value that looks like a structured record was not read (too deeply nested JSON).
    """

    format: RecordFormat | None = None
    problem: str | None = None


# --------------------------------------------------------------------------------------
# Preparing a value
# --------------------------------------------------------------------------------------

# EXIF UserComment starts with an 8-byte character code (Exif 2.32 §4.6.5, table 9); a reader
# that did not strip it leaves "ASCII\0\0\0", "UNICODE\0", "JIS\0\0\0\0\0" or 8 NULs.
_CHARSET_PREFIX = re.compile(r"^(?:ASCII\x00{3}|UNICODE\x00|JIS\x00{5}|\x00{8})")
# A key written before the record: "prompt:", "Prompt: ", "workflow:", "Workflow: ",
# "parameters" + newline, "generation_data=" (what copies and re-saves put in front).
_KEY_PREFIX = re.compile(r"^\s*[A-Za-z][\w .-]{0,40}?\s*(?:[:=]\s*|\n\s*)(?=[\[{])")


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = re.compile(r"[\[\]{}]")


def _json_depth_exceeds(text: str, limit: int) -> bool:
    """Whether ``text`` nests JSON arrays/objects deeper than ``limit`` (brackets inside strings do not count).

    Strings are removed and the brackets found by regular expressions (linear, in C); only the
    brackets are then counted in Python.
    """
    depth = 0
    for match in _BRACKETS.finditer(_JSON_STRING.sub("", text)):
        bracket = match.group(0)
        if bracket in "[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def _prepare(value: str) -> _Text:
    text = _CHARSET_PREFIX.sub("", value[:MAX_SCAN_CHARS]).strip().rstrip("\x00").strip()
    match = _KEY_PREFIX.match(text)
    if match:
        text = text[match.end():]
    if text[:1] not in ("{", "["):
        return _Text(text, None, False)
    if _json_depth_exceeds(text, MAX_JSON_DEPTH):
        return _Text(text, None, True)
    data: Any = None
    if len(text) <= MAX_JSON_CHARS:
        try:
            data = json.loads(text)
        except ValueError:  # clipped, or not JSON after all: the key scan still applies
            data = None
    return _Text(text, data, False)


# --------------------------------------------------------------------------------------
# The recognisers
# --------------------------------------------------------------------------------------

_A1111_STEPS = re.compile(r"(?:^|[\s,])Steps: \d+", re.MULTILINE)
_A1111_KEYS = re.compile(r"(?:^|[\s,])(Sampler|CFG scale|Seed|Size|Model hash|Model|Schedule type|"
                         r"Denoising strength|Clip skip|Version): \S", re.MULTILINE)
_NEGATIVE_PROMPT = re.compile(r"^Negative prompt: ", re.MULTILINE)


def _a1111(record: _Text) -> bool:
    """``<prompt>\\nNegative prompt: …\\nSteps: 20, Sampler: …, CFG scale: 7, Seed: …, Model: …``."""
    if record.data is not None or ("Steps: " not in record.text and "Negative prompt: " not in record.text):
        return False
    keys = set(_A1111_KEYS.findall(record.text))
    if _A1111_STEPS.search(record.text):
        return "Sampler" in keys or len(keys) >= 2
    return bool(_NEGATIVE_PROMPT.search(record.text)) and len(keys) >= 2


def _civitai(record: _Text) -> bool:
    """A1111 text with ``Civitai resources:`` / ``Civitai metadata:``, or JSON with ``civitai:`` URNs,
    ``resource-stack`` or ``extraMetadata``."""
    text = record.text
    if "Civitai resources:" in text or "Civitai metadata:" in text:
        return True
    return text[:1] in ("{", "[") and (
        '"civitai:' in text or "urn:air:" in text or record.any_key("resource-stack", "extraMetadata"))


def _comfyui_api(record: _Text) -> bool:
    """A JSON object of nodes, each ``{"class_type": …, "inputs": {…}}``, alone, under ``"prompt"`` or as a
    JSON string inside another record (keys are matched escaped or not)."""
    return record.has_keys("class_type", "inputs")


def _comfyui_workflow(record: _Text) -> bool:
    """A ComfyUI editor graph: ``nodes`` and ``links`` with ``last_node_id`` (schema 0.4) or
    ``state.lastNodeId`` (schema 1)."""
    return record.has_keys("nodes", "links") and record.any_key("last_node_id", "lastNodeId", "last_link_id")


def _swarmui(record: _Text) -> bool:
    """SwarmUI: ``{"sui_image_params": {…}, "sui_extra_data": {…}}`` (or ``swarm_version``)."""
    return record.any_key("sui_image_params", "swarm_version")


def _invokeai(record: _Text) -> bool:
    """InvokeAI 3+ ``invokeai_metadata`` (``generation_mode`` with prompts or sampling), its graphs and
    workflows (``exposedFields``; nodes and ``edges`` of invocation types), and the 2.x ``sd-metadata``
    record (``app_id`` ``invoke-ai/InvokeAI``, or ``model_weights`` with an ``image`` object)."""
    text = record.text
    if record.has_keys("generation_mode") and record.any_key("positive_prompt", "cfg_scale", "steps", "model"):
        return True
    if "invoke-ai/InvokeAI" in text or record.has_keys("model_weights", "image"):
        return True
    if record.has_keys("nodes", "exposedFields"):
        return True
    # A graph clipped by the reader may have lost its "edges" key; its nodes keep "is_intermediate".
    return record.has_keys("nodes") and record.any_key("edges", "is_intermediate") and \
        bool(_INVOKE_NODE_TYPES.search(text))


_INVOKE_NODE_TYPES = re.compile(r'\\?"type\\?"\s*:\s*\\?"(?:denoise_latents|main_model_loader|sdxl_model_loader|'
                                r'flux_denoise|sdxl_compel_prompt|compel|l2i|i2l|core_metadata)\\?"')
_DREAM_FLAGS = re.compile(r"(?:^|\s)-(?:s|S|W|H|C|A)\s*[\w.]+")


def _invokeai_dream(record: _Text) -> bool:
    """InvokeAI 2.x ``Dream`` text: ``"prompt" -s 50 -S 42 -W 512 -H 512 -C 7.5 -A k_lms``."""
    if record.data is not None or not record.text.startswith('"') or " -S" not in record.text:
        return False
    flags = {match.group(0).strip()[:2] for match in _DREAM_FLAGS.finditer(record.text)}
    return len(flags) >= 3 and "-S" in flags


_FOOOCUS_VERSION = re.compile(r'\\?"[Vv]ersion\\?"\s*:\s*\\?"Fooocus')
_RUINED_FOOOCUS = re.compile(r'\\?"software\\?"\s*:\s*\\?"RuinedFooocus')


def _fooocus(record: _Text) -> bool:
    """Fooocus: ``Fooocus V2 Expansion``, a ``version`` naming Fooocus, or a prompt with ``base_model`` and
    its settings (``guidance_scale``/``Guidance Scale``, ``sharpness``, ``performance``, ``sampler``)."""
    text = record.text
    if record.any_key("Fooocus V2 Expansion") or _FOOOCUS_VERSION.search(text):
        return True
    if record.any_key("base_model", "Base Model") and record.any_key("prompt", "Prompt"):
        return record.any_key("guidance_scale", "Guidance Scale", "sharpness", "Sharpness", "performance",
                              "Performance", "sampler", "Sampler", "adm_guidance", "ADM Guidance")
    return False


def _ruined_fooocus(record: _Text) -> bool:
    """RuinedFooocus: a JSON record whose ``software`` is ``RuinedFooocus``."""
    return _RUINED_FOOOCUS.search(record.text) is not None


def _novelai(record: _Text) -> bool:
    """NovelAI ``Comment`` JSON: ``v4_prompt``, ``noise_schedule``, ``uncond_scale``, or ``uc`` with
    ``steps`` and ``scale``."""
    if record.any_key("v4_prompt", "v4_negative_prompt", "noise_schedule", "uncond_scale"):
        return True
    return record.has_keys("uc", "steps") and record.any_key("scale", "sampler")


def _stability_matrix(record: _Text) -> bool:
    """Stability Matrix ``parameters-json``: ``PositivePrompt`` with ``CfgScale``/``Steps``/``Sampler``/
    ``ModelName``."""
    return record.has_keys("PositivePrompt") and record.any_key("CfgScale", "Steps", "Sampler", "ModelName",
                                                                "NegativePrompt")


def _tensor_art(record: _Text) -> bool:
    """Tensor.Art ``generation_data``: a prompt with ``baseModel: {modelFileName, hash}``."""
    return record.has_keys("baseModel", "modelFileName") and record.any_key("prompt", "negativePrompt")


_MIDJOURNEY_PARAMETER = re.compile(
    r"(?:^|\s)--(?:ar|aspect)\s+\d+:\d+|(?:^|\s)--(?:v|version|niji)(?:\s+\d+(?:\.\d+)?)?(?=\s|$)"
    r"|(?:^|\s)--(?:stylize|chaos|weird|quality|q|iw|stop|seed|s)\s+\d|(?:^|\s)--(?:sref|cref|oref|p)\s+\S"
    r"|(?:^|\s)--style\s+raw\b|(?:^|\s)--tile\b")
_MIDJOURNEY_JOB = re.compile(r"\bJob ID:?\s*[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b",
                             re.IGNORECASE)


def _midjourney(record: _Text) -> bool:
    """A Midjourney prompt with its parameters (``--ar 3:2``, ``--v 6.1``, ``--niji``, ``--stylize``…) or a
    ``Job ID: <uuid>``."""
    text = record.text
    return bool(("--" in text and _MIDJOURNEY_PARAMETER.search(text)) or
                ("job id" in text.lower() and _MIDJOURNEY_JOB.search(text)))


_PROMPT_KEYS = ("prompt", "Prompt", "positive_prompt", "positivePrompt", "negative_prompt", "negativePrompt",
                "negativeprompt", "uc")
_SAMPLING_KEYS = ("steps", "Steps", "seed", "Seed", "sampler", "sampler_name", "samplerName", "Sampler", "scale",
                  "cfg_scale", "cfgScale", "cfgscale", "cfg", "scheduler", "denoise", "clip_skip", "clipSkip")


def _generic_json(record: _Text) -> bool:
    """Any other JSON generation record: a prompt key with at least two sampling keys."""
    return record.text[:1] in ("{", "[") and record.any_key(*_PROMPT_KEYS) and \
        record.count_keys(*_SAMPLING_KEYS) >= 2


_SDM = "enslo/sd-metadata src/parsers/detect.ts"

RECORD_FORMATS: tuple[RecordFormat, ...] = (
    # Most specific first: several tools embed A1111 text or a ComfyUI graph inside their own record.
    RecordFormat("swarmui", "SwarmUI", "sui_image_params / swarm_version keys",
                 f"{_SDM} (sui_image_params); enslo/sd-metadata src/parsers/swarmui.ts; public-metadata swarmui.png",
                 _swarmui),
    RecordFormat("ruined_fooocus", "RuinedFooocus", '"software": "RuinedFooocus"',
                 f"{_SDM}; enslo/sd-metadata src/parsers/ruined-fooocus.ts", _ruined_fooocus),
    RecordFormat("civitai", "Civitai", "Civitai resources/metadata lines, civitai: URNs, extraMetadata",
                 f"{_SDM} (Civitai resources:, civitai:, resource-stack); "
                 "enslo/sd-metadata src/parsers/comfyui-civitai.ts (extraMetadata)", _civitai),
    RecordFormat("tensor_art", "Tensor.Art", "generation_data JSON with baseModel.modelFileName",
                 "enslo/sd-metadata src/parsers/tensorart.ts (generation_data)", _tensor_art),
    RecordFormat("stability_matrix", "Stability Matrix", "parameters-json with PositivePrompt, CfgScale",
                 "enslo/sd-metadata src/parsers/stability-matrix.ts (parameters-json)", _stability_matrix),
    RecordFormat("invokeai", "InvokeAI", "invokeai_metadata / graph / workflow JSON, 2.x sd-metadata",
                 "enslo/sd-metadata src/parsers/invokeai.ts; public-metadata invokeai.png; "
                 "invoke-ai/InvokeAI invocations/metadata.py (core_metadata fields)", _invokeai),
    RecordFormat("invokeai_dream", "InvokeAI (2.x Dream)", '"prompt" -s N -S N -W N -H N -C F -A sampler',
                 "invoke-ai/InvokeAI 2.x ldm/invoke/pngwriter.py (Dream prompt string); 3P:180002416", _invokeai_dream),
    RecordFormat("novelai", "NovelAI", "Comment JSON with uc/steps/scale or v4_prompt, noise_schedule",
                 f"{_SDM} (v4_prompt, noise_schedule, uncond_scale); public-metadata novelai-full.png; "
                 "3P:41606698616", _novelai),
    RecordFormat("fooocus", "Fooocus", "Fooocus V2 Expansion, version Fooocus, base_model with its settings",
                 f"{_SDM} (prompt + base_model); enslo/sd-metadata src/parsers/fooocus.ts; "
                 "3P:19089639243, 3P:67368989079", _fooocus),
    RecordFormat("comfyui_api", "ComfyUI", "API prompt: nodes with class_type and inputs",
                 "ComfyUI nodes.py SaveImage (PNG text 'prompt' = json.dumps(prompt)); "
                 f"{_SDM} (class_type); public-metadata comfyui.png", _comfyui_api),
    RecordFormat("comfyui_workflow", "ComfyUI", "UI workflow: nodes, links, last_node_id",
                 "ComfyUI SaveImage (PNG text 'workflow' = extra_pnginfo); Comfy-Org/ComfyUI_frontend "
                 "workflow schema (last_node_id, nodes, links; v1 state.lastNodeId); public-metadata comfyui.png",
                 _comfyui_workflow),
    RecordFormat("a1111", "AUTOMATIC1111 / Forge / SD.Next", "Negative prompt / Steps, Sampler, CFG scale, Seed",
                 "AUTOMATIC1111 modules/processing.py create_infotext; "
                 f"{_SDM} (Steps: + Sampler:); public-metadata sd-webui.png/.jpg, forge.png, sd-next.png", _a1111),
    RecordFormat("midjourney", "Midjourney", "--ar/--v/--niji/--stylize parameters or Job ID: <uuid>",
                 "Midjourney parameter list (docs.midjourney.com 'Parameter List'); "
                 "3P:68450939508 (dc:description with --ar and Job ID)", _midjourney),
    RecordFormat("generic_json", "an image generator", "JSON with a prompt and two sampling settings",
                 "c2pa-signals A4 (JSON generation records: NovelAI, Fooocus, InvokeAI)", _generic_json),
)
"""Every recogniser, tried in order (the first that matches names the format)."""


def recognise_record(value: str) -> RecordMatch | None:
    """Recognise a generator record in one text value, whatever field it came from.

    Args:
        value: the field's text (any length; only the first :data:`MAX_SCAN_CHARS`
            characters are read).
    Returns:
        A :class:`RecordMatch` naming the first :data:`RECORD_FORMATS` entry that matches;
        a :class:`RecordMatch` with ``problem`` set when the value is JSON nested deeper
        than :data:`MAX_JSON_DEPTH` and no recogniser matched its keys; ``None`` when the
        value is not a generator record.
    Errors: none; never raises (deep JSON is not parsed).
    """
    if not value or not value.strip():
        return None
    record = _prepare(value)
    for fmt in RECORD_FORMATS:
        if fmt.test(record):
            return RecordMatch(format=fmt)
    if record.too_deep:
        return RecordMatch(problem=f"the text is JSON nested more than {MAX_JSON_DEPTH} levels deep; "
                                   "it was not parsed, so what it records is unknown")
    return None
