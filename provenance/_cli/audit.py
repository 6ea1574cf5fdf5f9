"""`provenance audit PATH...`"""

from __future__ import annotations

import codecs
import io
import json
import os
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any, TextIO

import click

from .._io import open_atomic
from ..audit import FileId, InputWalk, evaluation_time, iter_verdicts, report_header
from ..policy import load_policy
from ..report import ReportHeader, ReportWriter, exit_code_for_counts
from ..verdict import ImageVerdict
from ._app import audit_options, build_trust, cli, format_options, guard_output, to_stdout, trust_files
from ._options import jobs_options, worker_settings
from ._render import text_lines
from ._signals import stop_on_signals
from ._spool import VerdictSpool

_CAPS_HELP = ("Caps per file in a worker: --timeout seconds of wall time, --max-memory MiB of address space "
              "(plus four times the file's size). A file over a cap is reported unreadable.")


@contextmanager
def _destination(output: Path | None, protected: tuple[Path | None, ...]) -> Iterator[tuple[TextIO, FileId | None]]:
    """Standard output, or a file written atomically (replaced only once the report is complete);
    with the ``(st_dev, st_ino)`` of the temporary file being written, which a walk must leave out.

    Standard output set to ASCII (``PYTHONIOENCODING=ascii``, a console that says so) is written as
    UTF-8 meanwhile, as ``click.echo`` did: the page's own characters (``·``) could not be written."""
    if to_stdout(output):
        stream = sys.stdout
        ascii_only = codecs.lookup(getattr(stream, "encoding", None) or "ascii").name == "ascii"
        if not (ascii_only and isinstance(stream, io.TextIOWrapper)):
            yield stream, None
            return
        previous = stream.encoding
        stream.reconfigure(encoding="utf-8")
        try:
            yield stream, None
        finally:
            stream.flush()
            stream.reconfigure(encoding=previous)
        return
    assert output is not None
    with open_atomic(output, protect=[p for p in protected if p is not None]) as raw:
        info = os.fstat(raw.fileno())
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        yield text, (info.st_dev, info.st_ino)
        text.flush()
        text.detach()


def _text_report(verdicts: Iterable[ImageVerdict], inputs: InputWalk, output: Path | None,
                 protected: tuple[Path | None, ...], header: Callable[[Sequence[ImageVerdict]], ReportHeader],
                 verbose: bool) -> tuple[dict[str, int], int]:
    """Write the text report with memory flat in the number of images; return (counts, images).

    The verdicts are spooled to a temporary file (:class:`._spool.VerdictSpool`) until the last one,
    which fixes the status column's width and the summary; then the lines are written one by one."""
    with VerdictSpool() as spool:
        for verdict in verdicts:
            spool.add(verdict)
        info = header(spool.untrusted)
        lines = text_lines(spool, width=spool.width, skipped=inputs.skipped, counts=spool.counts,
                           policy=info.policy, trust=info.trust, verbose=verbose)
        with _destination(output, protected) as (stream, _writing):
            for line in lines:
                stream.write(line + "\n")
        return spool.counts, spool.images


_IMAGE_LINE = '{"record": "image"'


def _html_report(verdicts: Iterable[ImageVerdict], inputs: InputWalk, output: Path | None,
                 protected: tuple[Path | None, ...],
                 header: Callable[[Sequence[ImageVerdict]], ReportHeader]) -> tuple[dict[str, int], int]:
    """Write the HTML page with memory flat in the number of images; return (counts, images).

    The verdicts are spooled as JSON lines (:class:`~provenance.report.ReportWriter`, thumbnails and
    all) to a temporary file; once the counts the top of the page shows are known, the page is
    written card by card from it."""
    from ._html import write_html

    with tempfile.TemporaryFile("w+", encoding="utf-8", errors="surrogateescape") as spool:
        writer = ReportWriter(spool, "jsonl", header, inputs.skipped)
        for verdict in verdicts:
            writer.add(verdict)
        counts, images = writer.finish(), writer.images
        spool.seek(0)
        head: dict[str, Any] = {}
        skipped = []
        for line in spool:  # the skipped files and the summary follow the images
            if line.startswith(_IMAGE_LINE):
                continue  # not parsed here (the record check below would tell it apart too)
            record = json.loads(line)
            if record["record"] == "skipped":
                skipped.append({"path": record["path"], "why": record["why"]})
            elif record["record"] == "summary":
                head = record
        summary = head.pop("summary")
        head.pop("record")
        spool.seek(0)
        cards = (record for record in map(json.loads, spool) if record.pop("record") == "image")
        with _destination(output, protected) as (stream, _writing):
            write_html(stream, {**head, "skipped": skipped}, cards, summary)
    return counts, images


def _stop_when_interrupted(verdicts: Iterable[ImageVerdict], received: threading.Event) -> Iterator[ImageVerdict]:
    """``verdicts`` until a signal was received: the image read while it arrived is never reported
    (its read may have been cut short), the run stops with KeyboardInterrupt."""
    for verdict in verdicts:
        if received.is_set():
            raise KeyboardInterrupt
        yield verdict
    if received.is_set():
        raise KeyboardInterrupt


@cli.command("audit", epilog="Exit codes: 0 all compliant; 1 any non-compliant; 3 any indeterminate "
             "and none non-compliant; 2 usage error; 4 failure while running. " + _CAPS_HELP)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@audit_options
@(lambda function: format_options(function, ("text", "json", "jsonl", "html")))
@click.option("--thumbnails", is_flag=True,
              help="Keep each manifest's own thumbnail in a JSON report (for `provenance report`); on for html.")
@click.option("-v", "--verbose", is_flag=True, help="Text: show the validation state, warnings and origin of every image.")
@jobs_options
@click.option("--dask-scheduler", "dask_scheduler", metavar="ADDRESS",
              help="Audit on this Dask cluster (tcp://host:8786); needs the [dask] extra and paths the workers can read.")
def audit_command(paths: tuple[Path, ...], policy_path: Path | None, output_format: str, output: Path | None,
                  thumbnails: bool, verbose: bool, jobs: int | None, timeout: float, max_memory: int,
                  dask_scheduler: str | None) -> int:
    """Audit images (files or folders, recursive) and give each a verdict.

    Every format is streamed (memory flat in the number of images): json and jsonl as the images are
    audited; text and html from verdicts spooled to a temporary file, once the last is in.
    """
    # Standard output closed by its reader (`| head`) is exit 4, for every command (`_app._LazyGroup.invoke`).
    with stop_on_signals(interrupt=True) as received:
        return _audit(paths, policy_path, output_format, output, thumbnails, verbose, jobs, timeout, max_memory,
                      dask_scheduler, received)


def _warn_local_only_flags() -> None:
    """Say so when --jobs, --timeout or --max-memory was given with --dask-scheduler: a cluster's own
    limits apply there (docs/scale.md), and a cap the user asked for must not pass for one in force."""
    ctx = click.get_current_context()
    given = [f"--{name.replace('_', '-')}" for name in ("jobs", "timeout", "max_memory")
             if ctx.get_parameter_source(name) is click.core.ParameterSource.COMMANDLINE]
    if given:
        click.echo(f"warning: {', '.join(given)} {'does' if len(given) == 1 else 'do'} not apply on a Dask cluster: "
                   "the cluster's own workers and limits do (the nanny's --memory-limit; no time limit per task; "
                   "docs/scale.md)", err=True)


def _audit(paths: tuple[Path, ...], policy_path: Path | None, output_format: str, output: Path | None,
           thumbnails: bool, verbose: bool, jobs: int | None, timeout: float, max_memory: int,
           dask_scheduler: str | None, received: threading.Event) -> int:
    from .._malloc import keep_freed_memory

    keep_freed_memory()  # this process audits too (one image, --jobs 0)
    policy = load_policy(policy_path)
    trust = build_trust()
    # The images are found as they are audited (memory flat in their number): the walk itself refuses
    # an image that is the output file; the named paths and the other inputs are checked now.
    inputs = InputWalk(paths, output=None if to_stdout(output) else output)
    protected = (*paths, policy_path, *trust_files())
    guard_output(output, protected)
    thumbnails = thumbnails or output_format == "html"
    at = evaluation_time(None)
    # A progress bar only when the report goes to a file and a person watches stderr; its length
    # comes from a first walk that only counts.
    length = sum(1 for _ in InputWalk(paths)) if not to_stdout(output) and sys.stderr.isatty() else 0
    bar_context = (click.progressbar(length=length, label="Auditing", file=sys.stderr)
                   if length > 1 else nullcontext(None))
    with bar_context as bar:
        progress = (lambda _path: bar.update(1)) if bar is not None else None
        if dask_scheduler is not None:
            from ..distributed import connect, iter_cluster_verdicts

            _warn_local_only_flags()
            client = connect(dask_scheduler)
            verdicts = iter_cluster_verdicts(inputs, client, policy=policy, trust=trust, progress=progress,
                                             thumbnails=thumbnails)
        else:
            client = nullcontext(None)
            workers, caps = worker_settings(jobs, timeout, max_memory)
            verdicts = iter_verdicts(inputs, policy=policy, trust=trust, jobs=workers, progress=progress,
                                     caps=caps, thumbnails=thumbnails)
        verdicts = _stop_when_interrupted(verdicts, received)
        with client:
            if output_format in ("json", "jsonl"):
                with _destination(output, protected) as (stream, writing):
                    if writing is not None:
                        inputs.leave_out.add(writing)  # the report's temporary file, in a walked folder
                    writer = ReportWriter(stream, output_format,
                                          lambda untrusted: report_header(policy, trust, at, untrusted), inputs.skipped)
                    for verdict in verdicts:
                        writer.add(verdict)
                    counts, images = writer.finish(), writer.images
            elif output_format == "html":
                counts, images = _html_report(verdicts, inputs, output, protected,
                                              lambda untrusted: report_header(policy, trust, at, untrusted))
            else:
                counts, images = _text_report(verdicts, inputs, output, protected,
                                              lambda untrusted: report_header(policy, trust, at, untrusted), verbose)
    if not to_stdout(output):
        click.echo(f"wrote {output}: {images} images, {counts['compliant']} compliant, "
                   f"{counts['non_compliant']} non-compliant, {counts['indeterminate']} indeterminate", err=True)
    return exit_code_for_counts(counts)
