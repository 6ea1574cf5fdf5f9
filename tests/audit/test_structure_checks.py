"""The floor (#12.1): no pixel decode when the hard binding validates, a bounded structural walk otherwise.

Every file here is generated (Pillow, or the sample delivery); none is copied from elsewhere.
"""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import SAMPLE_DELIVERY
from PIL import Image, features

from provenance import TrustConfig, audit
from provenance.evidence import read_evidence
from provenance.evidence._structure import MAX_DECLARED_PIXELS, structure_problem


def _encode(fmt: str, **params: object) -> bytes:
    out = io.BytesIO()
    Image.effect_noise((48, 32), 40).convert("RGB").save(out, fmt, **params)
    return out.getvalue()


FORMATS = {
    "image/jpeg": lambda: _encode("JPEG"),
    "image/jpeg-progressive": lambda: _encode("JPEG", progressive=True),
    "image/png": lambda: _encode("PNG"),
    "image/gif": lambda: _encode("GIF"),
    "image/webp": lambda: _encode("WEBP", lossless=True),
    "image/webp-lossy": lambda: _encode("WEBP", quality=80),
    "image/tiff": lambda: _encode("TIFF"),
}
if features.check("avif"):
    FORMATS["image/avif"] = lambda: _encode("AVIF")


def _type(key: str) -> str:
    return key.split("-")[0]


@pytest.mark.parametrize("key", sorted(FORMATS))
def test_whole_files_pass_and_every_truncation_is_caught(key: str) -> None:
    data = FORMATS[key]()
    assert structure_problem(data, _type(key)) is None
    for cut in range(1, 10):
        problem = structure_problem(data[: len(data) * cut // 10], _type(key))
        assert problem is not None, (key, cut)
    assert structure_problem(data[:-1], _type(key)) is not None


def test_png_crc_damage_is_named() -> None:
    data = bytearray(FORMATS["image/png"]())
    data[50] ^= 0xFF  # inside the first IDAT's data
    problem = structure_problem(bytes(data), "image/png")
    assert problem is not None and "CRC" in problem and "does not decode" in problem


def test_truncated_unsigned_files_are_unreadable(tmp_path: Path) -> None:
    for key, make in FORMATS.items():
        ext = _type(key).split("/")[1].replace("jpeg", "jpg")
        data = make()
        (tmp_path / f"{key.replace('/', '_')}.{ext}").write_bytes(data[: len(data) * 2 // 3])
    report = audit([tmp_path])
    assert len(report.images) == len(FORMATS)
    for image in report.images:
        assert [r.value for r in image.reasons] == ["unreadable"], (image.path, image.reasons)
        assert image.error is not None and ("truncated" in image.error or "does not decode" in image.error)


def test_no_structural_walk_when_the_hard_binding_validates(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def spy(data: bytes, media_type: str) -> str | None:
        calls.append(media_type)
        return None

    monkeypatch.setattr("provenance.evidence.structure_problem", spy)
    trust = TrustConfig()
    read_evidence(SAMPLE_DELIVERY / "01-capture-edited.jpg", trust)
    assert calls == []  # dataHash matched: every byte is the signer's
    read_evidence(SAMPLE_DELIVERY / "05-tampered.jpg", trust)  # dataHash mismatch
    read_evidence(SAMPLE_DELIVERY / "04-no-credentials.jpg", trust)
    assert calls == ["image/jpeg", "image/jpeg"]


def test_no_pixel_is_decoded_on_the_audit_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from PIL import ImageFile

    for key, make in FORMATS.items():
        ext = _type(key).split("/")[1].replace("jpeg", "jpg")
        (tmp_path / f"{key.replace('/', '_')}.{ext}").write_bytes(make())
    loads: list[str] = []
    original = ImageFile.ImageFile.load

    def counting(self: ImageFile.ImageFile) -> object:
        loads.append(str(self.format))
        return original(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", counting)
    report = audit([tmp_path, SAMPLE_DELIVERY])
    assert len(report.images) == len(FORMATS) + 6
    assert not any(image.error for image in report.images), [image.error for image in report.images]
    assert loads == []


def _vp8l_declaring(width: int, height: int) -> bytes:
    """A small lossless WebP whose header declares ``width`` x ``height`` (the #9 shape: 3 KB, 9000x9000)."""
    data = bytearray(_encode("WEBP", lossless=True))
    assert data[12:16] == b"VP8L"
    bits = (width - 1) | ((height - 1) << 14) | (int.from_bytes(data[21:25], "little") & ~((1 << 28) - 1))
    data[21:25] = bits.to_bytes(4, "little")
    return bytes(data)


def test_webp_declaring_9000x9000_is_not_decoded_and_memory_stays_small(tmp_path: Path) -> None:
    path = tmp_path / "huge.webp"
    path.write_bytes(_vp8l_declaring(9000, 9000))
    assert MAX_DECLARED_PIXELS > 9000 * 9000  # under the cap: walked, never decoded
    code = textwrap.dedent(f"""
        from provenance import audit
        report = audit([{str(path)!r}])
        print(report.images[0].status.value, ",".join(r.value for r in report.images[0].reasons))
        print([line for line in open("/proc/self/status") if line.startswith("VmHWM")][0].split()[1])
    """)
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout.split("\n")
    assert out[0].startswith("indeterminate")
    peak_kb = int(out[1])
    assert peak_kb < 250 * 1024, f"peak RSS {peak_kb} kB: the 81 MP image must not be decoded (1.3 GB before)"


def test_declared_pixels_over_the_cap_are_reported_not_decoded() -> None:
    problem = structure_problem(_vp8l_declaring(16384, 16384), "image/webp")
    assert problem is not None and "more pixels than it is safe to decode" in problem


@pytest.mark.skipif(not features.check("avif"), reason="this Pillow cannot write AVIF")
def test_one_byte_damaged_avif_never_raises(tmp_path: Path) -> None:
    data = FORMATS["image/avif"]()
    for index, position in enumerate(range(0, len(data), max(1, len(data) // 60))):
        damaged = bytearray(data)
        damaged[position] ^= 0x55
        (tmp_path / f"{index:03d}.avif").write_bytes(bytes(damaged))
    report = audit([tmp_path])  # never raises out of the reader
    assert report.images and all(image.status.value == "indeterminate" for image in report.images)
    from provenance._cli import main

    assert main(["audit", str(tmp_path), "--no-trust-store"]) == 3  # never exit 4


def test_jpeg_fill_bytes_and_restart_markers_are_allowed() -> None:
    out = io.BytesIO()
    Image.effect_noise((64, 64), 40).convert("RGB").save(out, "JPEG", restart_marker_blocks=1)
    assert structure_problem(out.getvalue(), "image/jpeg") is None
    data = out.getvalue()
    padded = data[:-2] + b"\xff\xff\xff\xd9"
    assert structure_problem(padded, "image/jpeg") is None


def _tiff_sharing_one_strip_array(directories: int, strips: int) -> bytes:
    """A TIFF whose ``directories`` IFDs all point their strip and tile offsets and byte counts at one
    array of ``strips`` LONGs (4 x ``strips`` bytes in the file, read once per directory and tag)."""
    import struct

    ifd_size = 2 + 12 * 6 + 4
    array = 8 + directories * ifd_size
    body = b""
    for number in range(directories):
        following = 8 + (number + 1) * ifd_size if number + 1 < directories else 0
        entries = [(256, 4, 1, 10), (257, 4, 1, 10), (273, 4, strips, array), (279, 4, strips, array),
                   (324, 4, strips, array), (325, 4, strips, array)]
        body += struct.pack("<H", 6) + b"".join(struct.pack("<HHII", *e) for e in entries) + struct.pack("<I", following)
    return b"II*\x00" + struct.pack("<I", 8) + body + bytes(4 * strips)


def test_tiff_directories_sharing_a_huge_strip_array_are_capped_in_all() -> None:
    import time

    from provenance.evidence._structure import MAX_PARTS

    started = time.process_time()
    problem = structure_problem(_tiff_sharing_one_strip_array(256, MAX_PARTS // 2 + 1), "image/tiff")
    assert time.process_time() - started < 5  # was 1 s per directory: over four minutes for this 2 MB file
    assert problem is not None and "TIFF entry with" in problem
    assert structure_problem(_tiff_sharing_one_strip_array(1, 1000), "image/tiff") is None  # within the caps


def test_overlapping_tiff_directories_are_capped_in_entries(monkeypatch: pytest.MonkeyPatch) -> None:
    import provenance.evidence._structure as structure

    monkeypatch.setattr(structure, "MAX_PARTS", 6 * 3)  # three directories of six entries fit, four do not
    assert structure_problem(_tiff_sharing_one_strip_array(3, 2), "image/tiff") is None
    assert "more than 18 TIFF directory entries" in str(structure_problem(_tiff_sharing_one_strip_array(4, 2),
                                                                            "image/tiff"))


def test_gif_sub_blocks_are_capped_in_all(monkeypatch: pytest.MonkeyPatch) -> None:
    import provenance.evidence._structure as structure

    gif = FORMATS["image/gif"]()
    assert structure_problem(gif, "image/gif") is None
    monkeypatch.setattr(structure, "MAX_GIF_SUB_BLOCKS", 2)
    assert "GIF data sub-blocks" in str(structure_problem(gif, "image/gif"))


@pytest.mark.parametrize("lossless", [True, False])
def test_webp_whose_first_chunk_is_damaged_is_not_whole(lossless: bool) -> None:
    data = _encode("WEBP", lossless=lossless, exif=b"Exif\x00\x00MM\x00*\x00\x00\x00\x08\x00\x00")  # VP8X first
    assert data[12:16] == b"VP8X" and structure_problem(data, "image/webp") is None
    damaged = data[:12] + b"VP8Y" + data[16:]  # one byte: an unknown first chunk, the image chunk still later
    assert "does not start with a VP8, VP8L or VP8X chunk" in str(structure_problem(damaged, "image/webp"))
