"""The trust flags every command that audits takes, defined once.

``@trust_options`` adds ``--trust-anchors``, ``--tsa-anchors``, ``--trust-config``, ``--allowed-list``
and ``--no-trust-store`` to a command. None reaches the command function as a parameter: they are kept
on the click context, and :func:`build_trust` and :func:`trust_files` read them there, so a command
(audit, certify, verify --reaudit, and later stamp and inspect) needs one decorator and one call.

The flags have the same power as the store: each file goes through the same rules as a stored list of
its role (:func:`provenance.truststore.given_config`), so the same files give the same verdicts
whether they are stored or given here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ..advice import Advice, AdviceCode
from ..trust import TrustConfig

if TYPE_CHECKING:
    from .._pool import Caps

__all__ = [
    "TrustFlags", "build_trust", "jobs_options", "trust_files", "trust_flags", "trust_options", "worker_settings",
]

F = TypeVar("F", bound=Callable[..., Any])

_KEY = "provenance.trust_flags"


@dataclass
class TrustFlags:
    """The trust flags given to one command."""

    anchors: tuple[Path, ...] = ()
    tsa_anchors: tuple[Path, ...] = ()
    trust_config: tuple[Path, ...] = ()
    allowed_list: tuple[Path, ...] = ()
    no_trust_store: bool = False
    given: set[str] = field(default_factory=set)
    """Names of the flags that were given on the command line."""

    def files(self) -> tuple[Path, ...]:
        """Every file the flags name (inputs that no output may replace)."""
        return (*self.anchors, *self.tsa_anchors, *self.trust_config, *self.allowed_list)


def trust_flags() -> TrustFlags:
    """The current command's trust flags (empty outside a command)."""
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return TrustFlags()
    flags = ctx.meta.get(_KEY)
    if not isinstance(flags, TrustFlags):
        flags = TrustFlags()
        ctx.meta[_KEY] = flags
    return flags


def _remember(attribute: str, flag: str) -> Callable[[click.Context, click.Parameter, Any], Any]:
    def callback(_ctx: click.Context, _param: click.Parameter, value: Any) -> Any:
        flags = trust_flags()
        setattr(flags, attribute, tuple(value) if isinstance(value, tuple) else bool(value))
        if value:
            flags.given.add(flag)
        return value
    return callback


_FILE = click.Path(dir_okay=False, path_type=Path)
_FLAGS: tuple[tuple[str, str, str], ...] = (
    ("--trust-anchors", "anchors",
     "PEM file of signer trust anchors (repeatable), in addition to the trust store; signers under them may "
     "carry the C2PA signer EKUs (as under the official list)."),
    ("--tsa-anchors", "tsa_anchors",
     "PEM file of timestamp-authority anchors (repeatable); recorded, never trusted as signer anchors."),
    ("--trust-config", "trust_config",
     "EKU configuration file (OIDs one per line, like the interim list's store.cfg; repeatable): extra "
     "extended key usages a signer may carry."),
    ("--allowed-list", "allowed_list",
     "Allowed list (repeatable): end-entity PEM certificates or base64 SHA-256 lines trusted directly."),
)


def trust_options(function: F) -> F:
    """Add the trust flags to a click command (see the module docstring)."""
    function = click.option(
        "--no-trust-store", is_flag=True, expose_value=False, callback=_remember("no_trust_store", "--no-trust-store"),
        help="Do not use the local trust store; trust only the files given with the trust flags.",
    )(function)
    for flag, attribute, text in reversed(_FLAGS):
        function = click.option(flag, multiple=True, type=_FILE, expose_value=False,
                                callback=_remember(attribute, flag), help=text)(function)
    return function


def trust_files() -> tuple[Path, ...]:
    """Every file the current command's trust flags name."""
    return trust_flags().files()


def build_trust(*, use_store: bool | None = None) -> TrustConfig:
    """The trust configuration for the current command: the trust store plus the flags' files.

    Args:
        use_store: whether to add the local trust store (``provenance trust``);
            ``None`` follows the command's --no-trust-store flag (default: use it).
    Returns:
        The store's lists (with their fetch dates, EKU configurations, allowed list and
        timestamp-authority list) merged with the files' lists. An empty store adds a
        warning (and advice) when files were given; with nothing trusted at all the audit warns.
    Raises:
        TrustAnchorError: a file is unreadable or not such a list (exit 2).
        TrustStoreError: the store's index is damaged (exit 4).
    """
    flags = trust_flags()
    if flags.tsa_anchors or flags.trust_config or flags.allowed_list:
        from ..truststore.config import given_config

        given = given_config(anchors=flags.anchors, tsa_anchors=flags.tsa_anchors, trust_config=flags.trust_config,
                             allowed_list=flags.allowed_list)
    else:
        # given_config with anchor files only, without importing the trust store (start-up time).
        given = TrustConfig.from_pem_files(flags.anchors)
    if use_store is None:
        use_store = not flags.no_trust_store
    if not use_store:
        return given
    from ..truststore import TrustStore

    store = TrustStore()
    stored = store.trust_config()
    if not stored.anchors and not stored.allowed and (given.anchors or given.allowed):
        stored = stored.merged(TrustConfig(
            warnings=(f"the trust store ({store.path}) is empty: only the files given with the trust flags "
                      "are trusted",),
            advice=(Advice(AdviceCode.EMPTY_STORE),),
        ))
    return stored.merged(given)


def jobs_options(function: F) -> F:
    """--jobs, --timeout and --max-memory (the supervised worker pool, :mod:`provenance._pool`), for any
    command that audits a batch. They reach the command as ``jobs``, ``timeout`` and ``max_memory``;
    :func:`worker_settings` turns them into the pool's arguments."""
    function = click.option(
        "--max-memory", "max_memory", type=click.IntRange(min=256), default=2048, show_default=True,
        help="Per-worker memory cap in MiB (address space, plus four times the file's size).",
    )(function)
    function = click.option(
        "--timeout", type=click.FloatRange(min=1.0), default=300.0, show_default=True,
        help="Per-file time cap in a worker, in seconds.",
    )(function)
    function = click.option(
        "--jobs", "-j", type=click.IntRange(min=0), default=None,
        help="Worker processes (default: the number of cores). A single image is audited without a pool; "
             "0 audits in this process (fastest start, but no per-file caps: a native abort ends the run).",
    )(function)
    return function


def worker_settings(jobs: int | None, timeout: float, max_memory: int) -> tuple[int | None, Caps]:
    """``(workers, caps)`` for :func:`provenance.audit.iter_verdicts`: ``None`` workers means in this process."""
    from .._pool import Caps, default_jobs

    return (default_jobs() if jobs is None else (jobs or None)), Caps(timeout=timeout, memory_mb=max_memory)
