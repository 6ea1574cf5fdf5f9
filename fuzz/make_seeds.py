"""Make the fuzz seed corpus from the project's own fixture generators.

    python fuzz/make_seeds.py OUT_DIR        # writes OUT_DIR/<target>/<n>.bin for every target

Whole files come from ``fixtures/make_metadata_fixtures.py`` (every metadata fixture), from
``fixtures/make_hostile_fixtures.py`` (small forms of the hostile inputs) and from the sample delivery
``fixtures/make_fixtures.py`` made; the per-reader seeds (XMP packets, EXIF blocks, Photoshop image
resources) are cut out of those files by the readers' own container walk. Seeds over 256 KiB are left out
(libFuzzer's inputs stay small). Nothing is downloaded and nothing third-party is used.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "fixtures"))

import make_hostile_fixtures as hostile  # noqa: E402 - sibling generators, imported by path
import make_metadata_fixtures as metadata_fixtures  # noqa: E402

from provenance.evidence import metadata as metadata_module  # noqa: E402

MAX_SEED_BYTES = 256 * 1024


def whole_files() -> list[bytes]:
    """Every whole-file seed: metadata fixtures, small hostile inputs, the sample delivery."""
    files = [builder() for builder, _ in metadata_fixtures.FILES.values()]
    files += [hostile.deep_xmp_jpeg(depth=80), hostile.subifd_bomb_jpeg(), hostile.wide_xmp_packet(2000)]
    files += [path.read_bytes() for path in sorted((REPO / "fixtures" / "sample-delivery").glob("*.jpg"))]
    return [data for data in files if len(data) <= MAX_SEED_BYTES]


def seeds() -> dict[str, list[bytes]]:
    """Target name -> its seeds."""
    files = whole_files()
    parts: dict[str, list[bytes]] = {"xmp": [], "exif": [], "iptc": []}
    for data in files:
        found = metadata_module._Found()
        kind = metadata_module._container(data, None)
        found.log.guard("seed", lambda kind=kind, data=data, found=found: metadata_module._walk_container(kind, data, found))
        parts["xmp"] += [packet for packet, _ in found.xmp]
        parts["exif"] += [block for block, _ in found.exif]
        parts["iptc"] += [block for block, _ in found.irb] + [record for record, _ in found.iim]
    return {
        "metadata": files,
        "read": files,
        "png": [data for data in files if data.startswith(b"\x89PNG")],
        "bmff": [data for data in files if data[4:8] == b"ftyp"],
        **parts,
    }


def main(argv: list[str]) -> int:
    """Write the corpus into ``argv[0]`` (one folder per target, files named by content digest)."""
    if len(argv) != 1:
        print(__doc__)
        return 2
    out = Path(argv[0])
    for target, items in seeds().items():
        folder = out / target
        folder.mkdir(parents=True, exist_ok=True)
        for data in items:
            if data and len(data) <= MAX_SEED_BYTES:
                (folder / hashlib.sha256(data).hexdigest()[:16]).write_bytes(data)
        print(f"{target}: {len(list(folder.iterdir()))} seeds")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
