"""`provenance inspect FILE`: the manifest store as a readable tree (or JSON)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ..inspect import inspect_file
from ..policy import load_policy
from ._app import audit_options, build_trust, cli, emit, format_options, guard_output, trust_files
from ._render import dumps, printable

_DECISION_MARK = {"allowed": "allowed", "forbidden": "FORBIDDEN", "review": "REVIEW", None: "note"}


def _text(value: Any) -> str:
    return printable("" if value is None else str(value))


def _findings(items: list[dict[str, Any]], pad: str) -> list[str]:
    lines = []
    for finding in items:
        rule = f" [{finding['rule']}]" if finding.get("rule") else ""
        lines.append(f"{pad}-> {_DECISION_MARK.get(finding.get('decision'), 'note')}{rule}: {_text(finding['message'])}")
    return lines


def _manifest_lines(node: dict[str, Any], pad: str) -> list[str]:
    signer = node["signer"]
    who = " ".join(_text(part) for part in (signer["common_name"], f"({signer['issuer']})" if signer["issuer"] else None)
                   if part) or "unknown signer"
    lines = [f"{pad}manifest {_text(node['label'])} (depth {node['depth']})",
             f"{pad}  claim generator: {_text(node['claim_generator'] or 'not recorded')}",
             f"{pad}  signer: {who}" + (f", signed {_text(signer['time'])}" if signer["time"] else "")
             + (f", {_text(signer['algorithm'])}" if signer["algorithm"] else "")]
    if node["actions"]:
        lines.append(f"{pad}  actions:")
    for action in node["actions"]:
        extra = [f"{key.replace('_', ' ')} {_text(action[key])}" for key in
                 ("software_agent", "digital_source_type") if action.get(key)]
        lines.append(f"{pad}    #{action['index']} {_text(action['action'])}" + (f" ({'; '.join(extra)})" if extra else ""))
        lines.extend(_findings(action["findings"], pad + "       "))
    if node["assertions"]:
        lines.append(f"{pad}  assertions: " + ", ".join(f"{_text(a['label'])} [{a['kind']}]" for a in node["assertions"]))
    lines.extend(_findings(node["findings"], pad + "  "))
    for item in node["ingredients"]:
        title = _text(item["title"] or "(untitled)")
        lines.append(f"{pad}  ingredient {title!s}: {_text(item['relationship'] or 'relationship not recorded')}")
        lines.extend(_findings(item["findings"], pad + "     "))
        for status in item["recorded_status"]:
            lines.append(f"{pad}     recorded at import: {_text(status['code'])} ({status['kind']})")
        if item["manifest"] is not None:
            lines.extend(_manifest_lines(item["manifest"], pad + "    "))
        elif item["expanded_above"]:
            lines.append(f"{pad}    (its manifest is shown above)")
        elif item.get("beyond_depth_cap"):
            lines.append(f"{pad}    (its manifest lies deeper than the tree is nested; its findings are listed at the end)")
        else:
            lines.append(f"{pad}    (no Content Credentials of its own)")
    return lines


def _scope(status: dict[str, Any]) -> str:
    """Whose result a store-level status code is: the active manifest's needs no label; an ingredient's
    (a delta computed now, or a status its writer recorded at import) names the ingredient."""
    scope = status.get("scope")
    if scope in (None, "active"):
        return ""
    where = "recorded in ingredient" if scope == "recorded" else "ingredient"
    return f" ({where} {_text(status['ingredient'])})" if status.get("ingredient") else f" ({where})"


def render_inspection(tree: dict[str, Any]) -> str:
    """The ``provenance.inspect/v1`` tree as indented text for people."""
    credentials = tree["credentials"]
    lines = [f"{_text(tree['path'])}: {_text(tree['media_type'] or 'unknown type')}, "
             f"{tree['size'] if tree['size'] is not None else '?'} bytes, sha256 {tree['sha256'] or '-'}"]
    if tree["error"]:
        lines.append(f"  cannot read: {_text(tree['error'])}")
    presence = credentials["presence"]
    if presence == "absent":
        lines.append("  no Content Credentials: the file carries no C2PA manifest store")
    else:
        lines.append(f"  Content Credentials: {presence}; validation state {credentials['validation_state'] or '-'}; "
                     f"{credentials['manifest_count']} manifest(s) in the store")
    if credentials["reader_error"]:
        lines.append(f"  reader: {_text(credentials['reader_error'])}")
    for status in credentials["status_codes"]:
        if status["kind"] != "success":
            lines.append(f"  {status['kind']}{_scope(status)}: {_text(status['code'])}" +
                         (f" ({_text(status['explanation'])})" if status["explanation"] else ""))
    if tree["manifest"] is not None:
        lines.append("  active manifest:")
        lines.extend(_manifest_lines(tree["manifest"], "    "))
    if tree["metadata"]:
        lines.append("  metadata:")
    for signal in tree["metadata"]:
        lines.append(f"    {_text(signal['field'])} = {_text(signal['value'][:200])!s}")
        lines.extend(_findings(signal["findings"], "       "))
    lines.extend(_findings(tree["findings"], "  "))
    verdict = tree["verdict"]
    lines.append(f"  verdict: {verdict['status']}" + (f" ({', '.join(verdict['reasons'])})" if verdict["reasons"] else ""))
    for warning in verdict["warnings"]:
        lines.append(f"  warning: {_text(warning)}")
    return "\n".join(lines) + "\n"


@cli.command("inspect", epilog="Exit codes: 0 the tree was shown, with or without credentials, also for a file "
             "that could not be read (a pipe, a device, an empty or truncated file: its `error` says why and its "
             "verdict is indeterminate); 2 usage error (no such file, a folder); 4 failure while running.")
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False))
@audit_options
@format_options
def inspect_command(path: Path, policy_path: Path | None, output_format: str, output: Path | None) -> int:
    """Show the manifest store of one file as a tree: manifests, actions with the policy's decision,
    ingredients nested with their relationship, assertions, validation codes and metadata signals."""
    if not path.exists() and not path.is_symlink():
        raise click.BadParameter(f"no such file: {path}", param_hint="PATH")
    policy = load_policy(policy_path)
    trust = build_trust()
    guard_output(output, (path, policy_path, *trust_files()), what="the inspection")
    tree = inspect_file(path, policy=policy, trust=trust)
    emit(dumps(tree) if output_format == "json" else render_inspection(tree), output,
         protect=(path, policy_path, *trust_files()))
    return 0
