"""The HTML report in headless Chromium: it renders, and nothing from a file becomes markup.

The hostile fixture is signed by the project's own test PKI: its manifest title, claim generator,
action software agents and descriptions, ingredient title, EXIF Software and file name carry
script, event-handler, iframe and SVG payloads. The test asserts on the DOM after load (no element
or attribute that came from a payload), not only that no script ran: the page's
Content-Security-Policy would hide an escaping bug.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, SHARED_TRUST_FILES, TEST_ROOT, fixture_script, run_cli, shared_path
from PIL import Image

PAYLOADS = (
    '<script>document.title="pwned-script"</script>',
    '<img src=x onerror="document.title=\'pwned-img\'">',
    '<iframe src="about:blank" onload="document.title=\'pwned-frame\'"></iframe>',
    '<svg onload="document.title=\'pwned-svg\'"><circle r="9"/></svg>',
    '" autofocus onfocus="document.title=\'pwned-attr\'" x="',
)


def _builders() -> Any:
    return fixture_script("make_fixtures")


def _hostile_delivery(folder: Path) -> Path:
    """One signed JPEG whose every displayable manifest and metadata field is a payload."""
    mf = _builders()
    pki = mf.ensure_pki(FIXTURES / "pki")
    base = mf.make_base_image(7, (320, 200))
    jpeg = io.BytesIO()
    exif = Image.Exif()
    exif[0x0131] = PAYLOADS[3]  # Software
    exif[0x010E] = PAYLOADS[1]  # ImageDescription
    base.save(jpeg, "JPEG", quality=85, exif=exif.tobytes())
    ingredient_jpeg = mf.encode_jpeg(mf.make_base_image(8, (200, 160)))
    actions = [
        {"action": "c2pa.created", "softwareAgent": {"name": PAYLOADS[0]},
         "digitalSourceType": "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture"},
        {"action": "c2pa.color_adjustments", "softwareAgent": {"name": PAYLOADS[2]}, "description": PAYLOADS[4]},
        {"action": "c2pa.placed", "softwareAgent": {"name": PAYLOADS[3]}, "description": PAYLOADS[1],
         "parameters": {"ingredientIds": ["hostile-ingredient"]}},
    ]
    manifest = mf.manifest_definition(PAYLOADS[1], actions)
    manifest["claim_generator_info"] = [{"name": PAYLOADS[0], "version": PAYLOADS[4]}]
    ingredient = mf.Ingredient(
        definition={"title": PAYLOADS[2], "relationship": "componentOf", "label": "hostile-ingredient"},
        jpeg=ingredient_jpeg,
    )
    signed = mf.sign_jpeg(jpeg.getvalue(), manifest, mf.make_signer(pki), ingredients=[ingredient])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / '"><svg onload=alert(1)>.jpg').write_bytes(signed)
    (folder / f"{PAYLOADS[1]}.jpg").write_bytes(jpeg.getvalue())  # unsigned: its name is the payload
    return folder


_DOM_PROBE = """
const bad = [...document.querySelectorAll('script, iframe, svg, object, embed, frame, form, input, link, base')]
  .map(e => e.tagName);
const handlers = [];
for (const el of document.querySelectorAll('*')) {
  for (const attr of el.attributes) {
    if (attr.name.startsWith('on') || attr.name === 'autofocus' || attr.name === 'x') handlers.push(el.tagName + ' ' + attr.name);
  }
}
const imgs = [...document.images].map(i => i.getAttribute('src'));
return {bad, handlers, imgs, title: document.title, text: document.body.innerText,
        cards: document.querySelectorAll('section.card[data-status]').length};
"""


def _load(chromium: Any, page: Path) -> dict[str, Any]:
    chromium.get(page.resolve().as_uri())
    result: dict[str, Any] = chromium.execute_script(_DOM_PROBE)
    return result


def _not_blank(png: bytes) -> None:
    image = Image.open(io.BytesIO(png)).convert("L")
    histogram = image.histogram()
    dominant = max(histogram) / sum(histogram)
    assert dominant < 0.97, f"the screenshot is {dominant:.0%} one shade: blank"
    assert len([count for count in histogram if count]) > 20


def test_injection_payloads_stay_text(chromium: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    delivery = _hostile_delivery(tmp_path / "delivery")
    page = tmp_path / "report.html"
    code, _, err = run_cli(["audit", str(delivery), "--trust-anchors", str(TEST_ROOT), "--no-trust-store",
                            "--format", "html", "-o", str(page)], capsys)
    assert code in (1, 3), err
    dom = _load(chromium, page)
    assert dom["bad"] == [] and dom["handlers"] == []
    assert all(src.startswith("data:image/") for src in dom["imgs"])
    assert dom["title"] == "provenance audit report"
    assert dom["cards"] == 2
    text = dom["text"]
    assert '"><svg onload=alert(1)>.jpg' in text  # file names, as text
    assert f"{PAYLOADS[1]}.jpg" in text
    for payload in (PAYLOADS[0], PAYLOADS[2], PAYLOADS[3]):  # claim generator, ingredient title, EXIF Software
        assert payload in text, payload
    _not_blank(chromium.get_screenshot_as_png())


def test_public_corpus_report_renders(chromium: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    saved, page = tmp_path / "audit.json", tmp_path / "report.html"
    args = ["audit", str(shared_path("fixtures", "public")), "--no-trust-store", "--format", "json",
            "--thumbnails", "-o", str(saved)]
    for name in SHARED_TRUST_FILES:
        args += ["--trust-anchors", str(shared_path("fixtures", "trust", name))]
    code, _, err = run_cli(args, capsys)
    assert code == 1, err
    code, _, err = run_cli(["report", str(saved), "-o", str(page)], capsys)
    assert code == 0, err
    dom = _load(chromium, page)
    images = json.loads(saved.read_text())["images"]
    assert dom["cards"] == len(images) >= 80
    assert dom["bad"] == [] and dom["handlers"] == []
    assert len(dom["imgs"]) >= 10  # manifest thumbnails, as data: URIs
    chromium.set_window_size(1280, 2000)
    _not_blank(chromium.get_screenshot_as_png())
    (tmp_path / "public-report.png").write_bytes(chromium.get_screenshot_as_png())
