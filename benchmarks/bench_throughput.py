"""Benchmark: audit throughput against the floor, jobs scaling, exiftool, and peak memory by batch size.

    python benchmarks/bench_throughput.py [--count-2mp N] [--count-24mp N] [--count-png N] [--count-jobs N]
                                          [--rounds R] [--rss 100,1000,10000] [--rss-tiny 10000,100000] [--jobs N]
                                          [--skip ratio,jobs,exiftool,rss] [--work DIR] [--no-compile]

It builds its own signed corpus with the project's fixture code (``fixtures/make_fixtures.py``:
the throwaway test PKI, ``make_base_image``, ``sign_jpeg``) in a temporary folder:

- ``2mp``: 200 signed JPEGs of 1632x1224 pixels; ``24mp``: 200 signed JPEGs of 6000x4000 (the issue's
  own measurement used 200 of each); ``2mp-large``: 1,000 of the 2 MP files, for ``--jobs``;
- ``png``: unsigned 2 MP PNGs whose image data is split into 1 KiB IDAT chunks (about 3,000 chunks
  each), which take the structural check (no credentials to bind the bytes);
- a few distinct files per size, hard-linked up to the count (the reader re-reads every link).

Every command runs with compiled bytecode, as an installed wheel has (:func:`compiled_bytecode`;
``--no-compile`` keeps the shell's settings). Then, per size:

- **audit/floor CPU ratio.** The floor is what any honest audit must do per file: the C2PA reader's
  validation (same settings and trust anchors) plus one SHA-256, in a fresh Python process that imports
  only ``c2pa``. The audit is ``provenance audit FOLDER --format json`` in a fresh process (start-up
  imports included). Runs alternate A/B/A/B (``--rounds`` pairs) and the ratio uses the CPU time
  (user + system, the process and the workers it waited for, from ``wait4``) of the median run of
  each, never wall time: on a shared machine wall time measures the neighbours. The floor is also run
  with the glibc allocator settings the audit uses (``provenance._malloc``), and both ratios printed.
- **images/s with --jobs 1 and --jobs N** (wall time; N defaults to the number of cores) on the 200
  and the 1,000 2 MP files and on the 24 MP ones, and the same on a quarter of each folder: the
  difference is the speed-up per file with the fixed start-up (imports, spawning the workers) taken
  out; and, as a control, the floor in N concurrent processes on slices of the folder against one
  process (on a shared machine, the parallelism the neighbours leave: a --jobs speed-up cannot exceed it).
- **exiftool -json -r** on the same folders, when ``exiftool`` is installed (CPU and wall time).
- **peak RSS at 100, 1,000, 10,000 and 100,000 images** (hard links of one small signed JPEG up to
  10,000, ``--format json``; then of one 8x8 unsigned PNG at 10,000 and 100,000, ``jsonl`` and ``json``,
  so that the largest batch measures the pipeline's memory in minutes, not the reader's time): the
  largest single process, the sum over the process tree, and the tree's PSS (shared library pages
  counted once), all sampled every 50 ms from ``/proc`` (``ru_maxrss`` would count the parent's size
  at fork).

Targets (issue #12, on 2 cores): ratio <= 1.2 at 2 MP and 24 MP; --jobs 2 >= 1.8x --jobs 1; faster than
exiftool at 2 MP; peak RSS < 150 MB at 10,000 images and the same at 100,000. A benchmark, not a test:
nothing here asserts; it prints figures. Linux only (``/proc``, ``wait4``).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
PROVENANCE = [sys.executable, "-c", "import sys; from provenance._cli import main; sys.exit(main())"]

FLOOR_SCRIPT = r"""
import hashlib, io, os, sys
import c2pa
folder, anchors = sys.argv[1], open(sys.argv[2]).read()
types = {".jpg": "image/jpeg", ".png": "image/png"}
context = c2pa.Context.from_dict({"version": 1, "trust": {"verify_trust_list": True, "trust_anchors": anchors},
    "verify": {"remote_manifest_fetch": False, "ocsp_fetch": False, "verify_trust": True, "verify_after_reading": True}})
for name in sorted(os.listdir(folder)):
    with open(os.path.join(folder, name), "rb") as handle:
        data = handle.read()
    hashlib.sha256(data).hexdigest()
    try:
        with c2pa.Reader(types[os.path.splitext(name)[1]], io.BytesIO(data), context=context) as reader:
            reader.json()
    except c2pa.C2paError.ManifestNotFound:
        pass
"""


def _fixtures() -> Any:
    """``fixtures/make_fixtures.py`` (a script, not a package), imported from its folder."""
    folder = str(REPO / "fixtures")
    if folder not in sys.path:
        sys.path.insert(0, folder)
    import make_fixtures

    return make_fixtures


def _link_up(folder: Path, sources: list[Path], count: int, suffix: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        os.link(sources[index % len(sources)], folder / f"{index:06d}{suffix}")


def _photo_like(mf: Any, seed: int, size: tuple[int, int]) -> Any:
    """The fixture picture with sensor-like noise, so that files have a photograph's size (a flat
    gradient compresses to a tenth of a real photo's bytes, which would flatter hashing)."""
    from PIL import Image

    noise = Image.effect_noise(size, 48).convert("RGB")
    return Image.blend(mf.make_base_image(seed, size), noise, 0.35)


def _signed_jpegs(mf: Any, pki: Any, size: tuple[int, int], distinct: int, out: Path) -> list[Path]:
    signer = mf.make_signer(pki)
    paths = []
    for seed in range(distinct):
        jpeg = mf.encode_jpeg(_photo_like(mf, seed, size))
        signed = mf.sign_jpeg(jpeg, mf.manifest_definition(f"bench {seed}", [mf._created_capture()]), signer)
        path = out / f"src-{size[0]}x{size[1]}-{seed}.jpg"
        path.write_bytes(signed)
        paths.append(path)
    return paths


def _chunk(kind: bytes, data: bytes) -> bytes:
    return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")


def many_chunk_png(image: Any, chunk_size: int = 1024) -> bytes:
    """A PNG of ``image`` whose zlib stream is split into IDAT chunks of ``chunk_size`` bytes."""
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=1)
    data, pos, header, idat = buffer.getvalue(), 8, b"", bytearray()
    while pos < len(data):
        length = int.from_bytes(data[pos:pos + 4], "big")
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = _chunk(kind, body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    chunks = b"".join(_chunk(b"IDAT", bytes(idat[i:i + chunk_size])) for i in range(0, len(idat), chunk_size))
    return b"\x89PNG\r\n\x1a\n" + header + chunks + _chunk(b"IEND", b"")


def build_corpus(work: Path, counts: dict[str, int]) -> tuple[Path, dict[str, Path]]:
    """Write the test root and one folder per size under ``work``; return (root PEM path, folders)."""
    mf = _fixtures()
    pki = mf.generate_pki()
    root = work / "root-ca.pem"
    root.write_text(pki.root_pem)
    sources = work / "sources"
    sources.mkdir()
    folders: dict[str, Path] = {}
    plan = {"2mp": ((1632, 1224), 8), "24mp": ((6000, 4000), 3)}
    for name, (size, distinct) in plan.items():
        large = counts.get("2mp-large", 0) if name == "2mp" else 0
        if counts.get(name) or large:
            srcs = _signed_jpegs(mf, pki, size, min(distinct, max(counts.get(name, 0), large)), sources)
            if counts.get(name):
                _link_up(work / name, srcs, counts[name], ".jpg")
                folders[name] = work / name
            if large:
                _link_up(work / "2mp-large", srcs, large, ".jpg")
                folders["2mp-large"] = work / "2mp-large"
    if counts.get("png"):
        pngs = []
        for seed in range(3):
            path = sources / f"src-many-chunk-{seed}.png"
            path.write_bytes(many_chunk_png(_photo_like(mf, seed, (1632, 1224))))
            pngs.append(path)
        _link_up(work / "png", pngs, counts["png"], ".png")
        folders["png"] = work / "png"
    small = _signed_jpegs(mf, pki, mf.IMAGE_SIZE, 1, sources)
    folders["small"] = small[0]
    return root, folders


class _TreeSampler(threading.Thread):
    """Samples the summed RSS (kB) of a process and its descendants every 50 ms."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.largest, self.pss, self.stop = pid, 0, 0, 0, threading.Event()

    def _tree(self) -> tuple[int, int, int]:
        parents: dict[int, int] = {}
        rss: dict[int, int] = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/status") as handle:
                    fields = dict(line.split(":", 1) for line in handle if ":" in line)
            except OSError:
                continue
            parents[int(entry)] = int(fields.get("PPid", "0").strip())
            rss[int(entry)] = int(fields.get("VmRSS", "0 kB").split()[0]) if "VmRSS" in fields else 0
        members, frontier = {self.pid}, [self.pid]
        while frontier:
            parent = frontier.pop()
            for child, ppid in parents.items():
                if ppid == parent and child not in members:
                    members.add(child)
                    frontier.append(child)
        sizes = [rss.get(pid, 0) for pid in members]
        return sum(sizes), max(sizes), sum(self._pss(pid) for pid in members)

    @staticmethod
    def _pss(pid: int) -> int:
        """Proportional set size (kB): shared library pages counted once across the tree."""
        try:
            with open(f"/proc/{pid}/smaps_rollup") as handle:
                for line in handle:
                    if line.startswith("Pss:"):
                        return int(line.split()[1])
        except OSError:
            pass
        return 0

    def run(self) -> None:
        while not self.stop.wait(0.05):
            total, largest, pss = self._tree()
            self.peak, self.largest, self.pss = max(self.peak, total), max(self.largest, largest), max(self.pss, pss)


TUNED_MALLOC = {"MALLOC_MMAP_THRESHOLD_": str(64 * 1024 * 1024), "MALLOC_TRIM_THRESHOLD_": str(128 * 1024 * 1024)}
"""glibc tunables equal to what ``provenance._malloc`` sets: the floor with the same allocator settings."""


BASE_ENV = dict(os.environ)
"""The environment of every measured run: set by :func:`compiled_bytecode`."""


def compiled_bytecode(work: Path) -> None:
    """Run every command with compiled bytecode, as an installed wheel has (pip compiles it at install).

    A shell that sets ``PYTHONDONTWRITEBYTECODE`` (as this machine's does) would otherwise make every
    run of an editable install compile the project's ~100 modules again: about 0.1 s of CPU per run,
    which no installed copy pays. The bytecode goes to a cache under ``work`` (``PYTHONPYCACHEPREFIX``),
    never into the source tree; the floor and the audit run in the same environment.
    """
    BASE_ENV.pop("PYTHONDONTWRITEBYTECODE", None)
    BASE_ENV["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "provenance")], env=BASE_ENV, check=True)


def run(cmd: list[str], *, sample: bool = False, env: dict[str, str] | None = None,
        expect_images: int | None = None) -> dict[str, float]:
    """Run ``cmd``; return wall s, CPU s (user+sys incl. waited-for children), RSS.

    ``expect_images``: ``cmd`` is an audit printing a JSON (or JSON-lines) report, which must count that
    many images, every one of them read (none ``unreadable``): a run that audited nothing or failed
    every file is an error, never a fast figure. The report is written to a temporary file and
    checked after the run (outside the time measured)."""
    start = time.perf_counter()
    report = tempfile.TemporaryFile() if expect_images is not None else None  # noqa: SIM115 - closed below
    process = subprocess.Popen(cmd, stdout=report if report is not None else subprocess.DEVNULL, stderr=subprocess.PIPE,
                               env={**BASE_ENV, **(env or {})})
    sampler = _TreeSampler(process.pid) if sample else None
    if sampler:
        sampler.start()
    assert process.stderr is not None
    err = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    if sampler:
        sampler.stop.set()
        sampler.join()
    code = process.returncode
    if code not in (0, 1, 3):
        raise SystemExit(f"{' '.join(cmd)} exited {code}: {err.decode(errors='replace')[-600:]}")
    if report is not None:
        _check_report(report, cmd, expect_images)
    # ru_maxrss is not used: on Linux a child's maxrss starts at its parent's RSS at fork time.
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
            "largest_mb": (sampler.largest / 1024) if sampler else 0.0, "tree_mb": (sampler.peak / 1024) if sampler else 0.0,
            "pss_mb": (sampler.pss / 1024) if sampler else 0.0}


def _check_report(report: Any, cmd: list[str], expect_images: int | None) -> None:
    with report:
        report.seek(0)
        text = report.read().decode("utf-8", "replace")
    if "--format" in cmd and cmd[cmd.index("--format") + 1] == "jsonl":
        records = [json.loads(line) for line in text.splitlines() if line.strip()]
        summary = records[-1]["summary"]
        unreadable = sum(1 for r in records if r.get("record") == "image" and "unreadable" in r.get("reasons", ()))
    else:
        data = json.loads(text)
        summary = data["summary"]
        unreadable = sum(1 for image in data["images"] if "unreadable" in image.get("reasons", ()))
    if summary["images"] != expect_images or unreadable:
        raise SystemExit(f"{' '.join(cmd)}: the report counts {summary['images']} images ({unreadable} unreadable), "
                         f"expected {expect_images}, all read")


def audit_cmd(folder: Path, root: Path, *, jobs: int | None, fmt: str = "json") -> list[str]:
    cmd = [*PROVENANCE, "audit", str(folder), "--no-trust-store", "--trust-anchors", str(root), "--format", fmt]
    return cmd + (["--jobs", str(jobs)] if jobs is not None else [])


def has_jobs_flag() -> bool:
    out = subprocess.run([*PROVENANCE, "audit", "--help"], capture_output=True, text=True, env=BASE_ENV).stdout
    return "--jobs" in out


def ratio(folders: dict[str, Path], root: Path, rounds: int, jobs_flag: bool) -> None:
    print("\n## audit / floor CPU ratio (alternating floor / audit runs; median of each)")
    print("(audit in one process: --jobs 0; with one supervised worker: --jobs 1, its start-up included)")
    for name in ("2mp", "24mp", "png"):
        if name not in folders:
            continue
        folder = folders[name]
        count = len(os.listdir(folder))
        runs: dict[str, list[float]] = {"floor": [], "tuned floor": [], "one process": [], "one worker": []}
        for _ in range(rounds):
            runs["floor"].append(run([sys.executable, "-c", FLOOR_SCRIPT, str(folder), str(root)])["cpu"])
            runs["tuned floor"].append(run([sys.executable, "-c", FLOOR_SCRIPT, str(folder), str(root)],
                                           env=TUNED_MALLOC)["cpu"])
            runs["one process"].append(run(audit_cmd(folder, root, jobs=0 if jobs_flag else None),
                                           expect_images=count)["cpu"])
            if jobs_flag:
                runs["one worker"].append(run(audit_cmd(folder, root, jobs=1), expect_images=count)["cpu"])
        f, t = statistics.median(runs["floor"]), statistics.median(runs["tuned floor"])
        line = f"{name:>5}: {count} images  floor {f:.2f} s CPU (tuned malloc {t:.2f})"
        for label in ("one process", "one worker"):
            if runs[label]:
                a = statistics.median(runs[label])
                line += f"  audit ({label}) {a:.2f} s CPU, ratio {a / f:.2f} (to the tuned floor {a / t:.2f})"
        print(line, flush=True)
        print("       runs: " + "; ".join(f"{k} " + ", ".join(f"{x:.2f}" for x in v) for k, v in runs.items() if v))


def jobs(folders: dict[str, Path], root: Path, rounds: int, n: int, jobs_flag: bool) -> None:
    print(f"\n## images/s, --jobs 1 and --jobs {n} (wall time, best of {rounds})")
    if not jobs_flag:
        print("(this build has no --jobs flag: one process only)")
    for name in ("2mp", "2mp-large", "24mp"):
        if name not in folders:
            continue
        count = len(os.listdir(folders[name]))
        # A quarter of the batch too: the difference of the two runs is the per-file rate without the
        # fixed start-up (the command's imports, spawning and preparing the workers), which at 100
        # images is a third of the wall time and does not shrink with more workers.
        quarter = folders[name].with_name(f"{name}-quarter")
        if not quarter.exists():
            quarter.mkdir()
            for entry in sorted(os.listdir(folders[name]))[:max(1, count // 4)]:
                os.link(folders[name] / entry, quarter / entry)
        small = len(os.listdir(quarter))
        options = (1, n) if jobs_flag else (None,)
        walls: dict[int | None, list[float]] = {o: [] for o in options}
        quarter_walls: dict[int | None, list[float]] = {o: [] for o in options}
        for _ in range(rounds):
            for option in options:
                walls[option].append(run(audit_cmd(folders[name], root, jobs=option), expect_images=count)["wall"])
                quarter_walls[option].append(run(audit_cmd(quarter, root, jobs=option), expect_images=small)["wall"])
        best = {o: min(w) for o, w in walls.items()}
        marginal = {o: best[o] - min(quarter_walls[o]) for o in options}
        line = "  ".join(f"jobs {o or 1}: {count / w:.1f} images/s ({w:.2f} s; {small} images {min(quarter_walls[o]):.2f} s)"
                         for o, w in best.items())
        if jobs_flag:
            line += (f"  speed-up {best[1] / best[n]:.2f}x; per file, start-up excluded "
                     f"({count - small} images more) {per_file_speedup(marginal[1], marginal[n])}")
        print(f"{name:>5}: {line}", flush=True)
        if jobs_flag and n > 1:
            print(f"       control: the floor's own speed-up in {n} processes over one: "
                  f"{floor_parallelism(folders[name], root, rounds, n):.2f}x (what this machine gives {n} processes now; "
                  f"below 1: they ran slower)", flush=True)


def per_file_speedup(one: float, many: float) -> str:
    """``one / many``, the marginal wall times of the extra files; none when the whole batch ran no slower
    than its quarter (start-up and noise larger than the extra files' work: a division by ~0 printed 51905786x)."""
    if one <= 0 or many <= 0:
        return "not measurable (a whole batch ran no slower than its quarter: noise; use more images)"
    return f"{one / many:.2f}x"


def floor_parallelism(folder: Path, root: Path, rounds: int, n: int) -> float:
    """Wall time of the floor over ``folder`` in one process / in ``n`` concurrent processes on slices."""
    names = sorted(os.listdir(folder))
    parts = []
    for part in range(n):
        slice_folder = folder.with_name(f"{folder.name}-part{part}")
        if not slice_folder.exists():
            slice_folder.mkdir()
            for entry in names[part::n]:
                os.link(folder / entry, slice_folder / entry)
        parts.append(slice_folder)
    serial, parallel = [], []
    for _ in range(rounds):
        serial.append(run([sys.executable, "-c", FLOOR_SCRIPT, str(folder), str(root)])["wall"])
        start = time.perf_counter()
        processes = [subprocess.Popen([sys.executable, "-c", FLOOR_SCRIPT, str(p), str(root)], env=BASE_ENV)
                     for p in parts]
        for process in processes:
            process.wait()
        parallel.append(time.perf_counter() - start)
    return min(serial) / min(parallel)


def exiftool(folders: dict[str, Path], root: Path, rounds: int, jobs_flag: bool, n: int) -> None:
    print("\n## exiftool -json -r on the same folders (median of rounds)")
    tool = shutil.which("exiftool")
    if tool is None:
        print("exiftool is not installed: skipped (apt-get install libimage-exiftool-perl)")
        return
    for name in ("2mp", "24mp"):
        if name not in folders:
            continue
        ex = [run([tool, "-json", "-r", "-q", str(folders[name])]) for _ in range(rounds)]
        count = len(os.listdir(folders[name]))
        au = [run(audit_cmd(folders[name], root, jobs=0 if jobs_flag else None), expect_images=count)
              for _ in range(rounds)]
        au_n = [run(audit_cmd(folders[name], root, jobs=n), expect_images=count) for _ in range(rounds)] if jobs_flag else []
        med = {k: statistics.median(r[k] for r in ex) for k in ("cpu", "wall")}
        amed = {k: statistics.median(r[k] for r in au) for k in ("cpu", "wall")}
        line = (f"{name:>5}: exiftool {med['cpu']:.2f} s CPU / {med['wall']:.2f} s wall; audit (one process) "
                f"{amed['cpu']:.2f} s CPU / {amed['wall']:.2f} s wall; CPU ratio audit/exiftool {amed['cpu'] / med['cpu']:.2f}")
        if au_n:
            line += f"; audit --jobs {n} wall {statistics.median(r['wall'] for r in au_n):.2f} s"
        print(line, flush=True)


def _tiny_pngs(work: Path) -> list[Path]:
    """Four 8x8 unsigned PNGs: the largest batches measure the pipeline's memory, not the reader's time.
    (Four, because ext4 allows 65,000 hard links to one file.)"""
    from PIL import Image

    paths = []
    for index in range(4):
        path = work / "sources" / f"tiny-{index}.png"
        Image.new("RGB", (8, 8), (90, 120, 150 + index)).save(path)
        paths.append(path)
    return paths


def rss(work: Path, small: Path, root: Path, sizes: list[int], tiny_sizes: list[int], jobs_flag: bool, n: int) -> None:
    print("\n## peak RSS by batch size (hard links of one small signed JPEG; then of one 8x8 unsigned PNG)")
    plan = [(count, [small], ".jpg", ("json",)) for count in sizes]
    plan += [(count, _tiny_pngs(work), ".png", ("jsonl", "json")) for count in tiny_sizes]
    for count, sources, suffix, formats in plan:
        folder = work / f"rss-{count}{suffix}"
        _link_up(folder, sources, count, suffix)
        for fmt in formats if jobs_flag else ("json",):
            result = run(audit_cmd(folder, root, jobs=n if jobs_flag else None, fmt=fmt), sample=True,
                         expect_images=count)
            print(f"{count:>7} {suffix[1:]} --format {fmt:<5}: largest process {result['largest_mb']:.0f} MB, "
                  f"process tree RSS {result['tree_mb']:.0f} MB (PSS {result['pss_mb']:.0f} MB), "
                  f"wall {result['wall']:.1f} s, CPU {result['cpu']:.1f} s", flush=True)
        shutil.rmtree(folder)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--count-2mp", type=int, default=200)
    parser.add_argument("--count-24mp", type=int, default=200)
    parser.add_argument("--count-jobs", type=int, default=1000,
                        help="2 MP images of the larger --jobs batch (where the fixed start-up matters less)")
    parser.add_argument("--count-png", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--rss", default="100,1000,10000", help="batch sizes of signed JPEGs for peak RSS")
    parser.add_argument("--rss-tiny", default="10000,100000", help="batch sizes of tiny unsigned PNGs for peak RSS")
    parser.add_argument("--skip", default="", help="comma-separated: ratio,jobs,exiftool,rss")
    parser.add_argument("--work", type=Path, help="build the corpus here (default: a temporary folder)")
    parser.add_argument("--no-compile", action="store_true",
                        help="keep the shell's bytecode settings (with PYTHONDONTWRITEBYTECODE, every run compiles)")
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    load = os.getloadavg()
    print(f"# bench_throughput: {os.cpu_count()} cores, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    with tempfile.TemporaryDirectory(prefix="bench-throughput-", dir=args.work) as tmp:
        work = Path(tmp)
        started = time.perf_counter()
        if not args.no_compile:
            compiled_bytecode(work)
        root, folders = build_corpus(work, {"2mp": args.count_2mp, "2mp-large": args.count_jobs,
                                            "24mp": args.count_24mp, "png": args.count_png})
        print(f"corpus built in {time.perf_counter() - started:.1f} s in {work}")
        jobs_flag = has_jobs_flag()
        if "ratio" not in skip:
            ratio(folders, root, args.rounds, jobs_flag)
        if "jobs" not in skip:
            jobs(folders, root, args.rounds, args.jobs, jobs_flag)
        if "exiftool" not in skip:
            exiftool(folders, root, args.rounds, jobs_flag, args.jobs)
        if "rss" not in skip:
            rss(work, folders["small"], root, [int(x) for x in args.rss.split(",") if x],
                [int(x) for x in args.rss_tiny.split(",") if x], jobs_flag, args.jobs)
    load = os.getloadavg()
    print(f"\nload average at the end {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
