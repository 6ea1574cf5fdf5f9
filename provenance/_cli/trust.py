"""`provenance trust update | add | remove | show`: the local trust store."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from ..errors import TrustListShrinkError, TrustListUnusableError
from ..truststore import (
    ALLOWED,
    ANCHORS,
    DEFAULT_TIMEOUT,
    EKU_CONFIG,
    PINNED,
    Change,
    ChangeWhy,
    TrustStore,
    TrustStoreError,
    check_pin,
    check_update,
    fixed_list,
    plan_pin,
    plan_update,
)
from ._advice import render_advice
from ._app import cli

_EPILOG = ("Exit codes: 0 done; 2 usage error (bad file, bad name, a file holding a private key, an update "
           "from a file that would drop stored anchors without --replace); 4 failure "
           "while running (download failed, cannot write the store, store location not a folder). Store folder: $PROVENANCE_TRUST_STORE, "
           "else the platform's user data folder + /trust.")

_UNIT: dict[str, tuple[str, str]] = {ANCHORS: ("anchor", "anchors"), ALLOWED: ("allowed certificate", "allowed certificates"),
         EKU_CONFIG: ("EKU OID", "EKU OIDs")}


def _count(role: str, number: int) -> str:
    singular, plural = _UNIT.get(role, ("entry", "entries"))
    return f"{number} {singular if number == 1 else plural}"


def _now() -> datetime:
    return datetime.now(UTC)


def _listing(items: tuple[str, ...], limit: int = 8) -> str:
    shown = "; ".join(items[:limit])
    return shown + (f"; (+{len(items) - limit} more)" if len(items) > limit else "")


_WHY_REMOVED = {
    ChangeWhy.PUBLISHED: "the publisher dropped them from the list at its published address",
    ChangeWhy.REPLACED: "--replace: the file given does not have them",
}


def _change_lines(change: Change) -> list[str]:
    head = f"{change.name} ({change.kind}): {_count(change.role, change.count)} from {change.source}"
    lines = [head]
    if change.new:
        lines.append("  new in the store")
    elif change.unchanged:
        lines.append("  unchanged (same SHA-256)")
    else:
        if change.added:
            lines.append(f"  + {len(change.added)} added: {_listing(change.added)}")
        if change.removed:
            why = _WHY_REMOVED.get(change.why, "")
            lines.append(f"  - {len(change.removed)} removed ({why}): {_listing(change.removed)}")
        if not change.added and not change.removed:
            lines.append("  same entries, new bytes")
    if change.expired:
        lines.append(f"  ! {len(change.expired)} expired (kept: they still verify files signed while valid): "
                     f"{_listing(change.expired, 3)}")
    if change.not_ca:
        lines.append(f"  ! {len(change.not_ca)} not a CA (no signer can chain to it): {_listing(change.not_ca)}")
    return lines


def _report_changes(changes: list[Change], store: TrustStore, output_format: str, at: datetime) -> None:
    if output_format == "json":
        click.echo(json.dumps({"store": str(store.path), "fetched_at": at.isoformat().replace("+00:00", "Z"),
                               "lists": [change.to_dict() for change in changes]}, indent=2))
        return
    for change in changes:
        for line in _change_lines(change):
            click.echo(line)
    click.echo(f"stored in {store.path} ({at:%Y-%m-%d %H:%M} UTC)")


@cli.group("trust", epilog=_EPILOG)
def trust_group() -> None:
    """Keep the trust lists and your own roots in a dated, offline trust store.

    audit, certify, stamp, inspect and verify --reaudit use the store by
    default, plus any files given with --trust-anchors, --tsa-anchors,
    --trust-config or --allowed-list (--no-trust-store to leave the store out).
    Only `trust update` uses the network, and only when run.
    """


@trust_group.command("update", epilog=_EPILOG)
@click.option("--legacy", is_flag=True,
              help="Also the frozen interim trust list (Verify site): anchors, allowed list, EKU configuration. "
                   "With --from: the PEM of CA certificates given is the interim anchors.")
@click.option("--tsa", is_flag=True,
              help="With --from: the PEM of CA certificates given is the timestamp-authority list.")
@click.option("--from", "sources", multiple=True, metavar="FILE_OR_URL",
              help="Take lists from these files or https/http/file addresses instead of the published ones "
                   "(repeatable; each recognised by content: CA certificates, end-entity certificates or "
                   "SHA-256 lines = allowed list, OID lines = EKU configuration).")
@click.option("--replace", is_flag=True,
              help="With --from: allow the file to drop anchors the stored list has (refused otherwise).")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=DEFAULT_TIMEOUT, show_default=True,
              help="Seconds to wait for a server.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def update_command(legacy: bool, tsa: bool, sources: tuple[str, ...], replace: bool, timeout: float,
                   output_format: str) -> int:
    """Fetch the C2PA trust list and timestamp-authority list (with --legacy also the interim list).

    \b
    provenance trust update                     # official + TSA lists, published addresses
    provenance trust update --legacy            # ... and the interim list
    provenance trust update --from C2PA-TRUST-LIST.pem
    provenance trust update --tsa --from C2PA-TSA-TRUST-LIST.pem
    provenance trust update --legacy --from anchors.pem --from allowed.pem --from store.cfg

    Every list is downloaded and checked before anything is written; a failed
    or partial download leaves the store as it was. A file given with --from
    that would drop anchors of the stored list is refused unless --replace.
    """
    store = TrustStore()
    store.check_location()  # before any download
    pending = plan_update(list(sources), legacy=legacy, tsa=tsa, timeout=timeout)
    try:
        check_update(store, pending, replace=replace)
    except TrustListShrinkError as error:
        click.echo(f"provenance: error: {error.message}", err=True)
        click.echo(f"hint: {render_advice(error.advice)}", err=True)
        return 2
    at = _now()
    changes = store.put(pending, at=at)
    _report_changes(changes, store, output_format, at)
    return 0


@trust_group.command("add", epilog=_EPILOG)
@click.argument("pem", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--name", help="Name in the store (default: the file name). Lower-case letters, digits, . _ -")
@click.option("--replace", is_flag=True, help="Replace a pinned list of the same name.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def add_command(pem: Path, name: str | None, replace: bool, output_format: str) -> int:
    """Pin your own root CA (the studio CA that signs your delivered copies).

    Every certificate in PEM must be a CA: pin the root (or intermediate)
    that issued your signing certificate, not the signing certificate.
    A file holding a private key is refused: only the certificate is needed.
    """
    store = TrustStore()
    store.check_location()
    pending = plan_pin(pem, name)
    for duplicate in check_pin(store, pending, replace=replace):
        click.echo(f"provenance: warning: {duplicate.subject} is already pinned as {duplicate.other!r}; it is now "
                   f"pinned as {pending.name!r} too (`provenance trust remove {duplicate.other}` if one name is "
                   "enough)", err=True)
    at = _now()
    changes = store.put([pending], at=at)
    _report_changes(changes, store, output_format, at)
    return 0


@trust_group.command("remove", epilog=_EPILOG)
@click.argument("name")
def remove_command(name: str) -> int:
    """Remove a list from the store (a pinned root, or a published list)."""
    store = TrustStore()
    entry = store.remove(name)
    click.echo(f"removed {entry.name} ({entry.kind}, {_count(entry.role, entry.count)}) from {store.path}")
    return 0


def _source_note(name: str, kind: str, source: str) -> str:
    spec = fixed_list(name)
    if spec is not None and source != spec.url:
        return " (stored from a file or address given with --from, not the published address)"
    return ""


def _anchor_rows(store: TrustStore, at: datetime) -> tuple[list[dict[str, Any]], list[str]]:
    lists: list[dict[str, Any]] = []
    problems: list[str] = []
    for entry in store.lists():
        item: dict[str, Any] = {**entry.to_dict(), "age_days": entry.age_days(at), "purpose": entry.kind.purpose}
        try:
            parsed = store.read(entry)
        except TrustStoreError as error:
            problems.append(error.message)
            item["problem"] = error.message
            if isinstance(error, TrustListUnusableError):
                item["advice"] = error.advice.to_dict()
                item["hint"] = render_advice(error.advice)
            lists.append(item)
            continue
        item["anchors"] = [
            {"subject": a.subject, "not_after": a.not_after.isoformat().replace("+00:00", "Z"),
             "expired": a.not_after < at, "sha256": a.fingerprint, "der_sha256": a.fingerprint,
             "list_sha256": entry.sha256}
            for a in parsed.anchors
        ]
        if parsed.hashes:
            item["hashes"] = list(parsed.hashes)
        if parsed.oids:
            item["oids"] = list(parsed.oids)
        lists.append(item)
    return lists, problems


def _show_item(item: dict[str, Any]) -> None:
    verb = "pinned" if item["kind"] == PINNED else "fetched"
    click.echo("")
    click.echo(f"{item['name']} ({item['kind']}): {_count(item['role'], item['count'])}, {verb} "
               f"{item['fetched_at'][:10]} ({item['age_days']} days ago) from {item['source']}"
               + _source_note(item["name"], item["kind"], item["source"]))
    click.echo(f"  for: {item['purpose']}")
    click.echo(f"  list file sha256 {item['sha256']}")
    if "problem" in item:
        click.echo(f"  ! not used: {item['problem']}")
        if "hint" in item:
            click.echo(f"  hint: {item['hint']}")
        return
    for anchor in item["anchors"]:
        flag = "  EXPIRED" if anchor["expired"] else ""
        click.echo(f"  {anchor['not_after'][:10]}  {anchor['subject']}{flag}")
        click.echo(f"              DER sha256 {anchor['der_sha256']}  (list file sha256 {anchor['list_sha256'][:16]}...)")
    for oid in item.get("oids", []):
        click.echo(f"  {oid}")
    if item.get("hashes"):
        click.echo(f"  {len(item['hashes'])} certificate hashes (base64 SHA-256)")


@trust_group.command("show", epilog=_EPILOG)
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def show_command(output_format: str) -> int:
    """Every list and anchor in the store: subject, expiry, DER fingerprint, list digest, source and age."""
    store = TrustStore()
    at = _now()
    lists, _problems = _anchor_rows(store, at)
    if output_format == "json":
        click.echo(json.dumps({"store": str(store.path), "lists": lists}, indent=2))
        return 0
    click.echo(f"trust store: {store.path}")
    if not lists:
        click.echo("it is empty: nothing is trusted. Run `provenance trust update` (the C2PA trust lists) "
                   "or `provenance trust add YOUR-ROOT.pem` (your studio's CA).")
        return 0
    for item in lists:
        _show_item(item)
    return 0
