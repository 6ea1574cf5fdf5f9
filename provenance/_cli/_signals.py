"""SIGINT and SIGTERM while a command reads or writes images: one handler for `audit` and `stamp`."""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["stop_on_signals"]


@contextmanager
def stop_on_signals(*, interrupt: bool) -> Iterator[threading.Event]:
    """While the block runs, SIGINT and SIGTERM (Ctrl-C, ``kill``, a job scheduler, ``docker stop``)
    set the event yielded; with ``interrupt`` they also raise KeyboardInterrupt where the signal lands.

    The event is what a command checks between images: raised inside c2pa-python's stream callbacks
    (an image read or signed in this process), a KeyboardInterrupt is lost (ctypes prints and ignores
    it) and the run would go on. With ``interrupt``, the traceback ctypes would print for it is left
    out (``sys.unraisablehook``): the command says once that it stopped. Python's default for SIGTERM
    ends the process at once, leaving temporary files and worker processes behind. A SIGINT ignored
    when the command started (``nohup``, a background job) stays ignored. Outside the main thread
    (an embedding host) the handlers are left alone and the event is never set.
    """
    received = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield received
        return

    def handle(_signum: int, _frame: object) -> None:
        received.set()
        if interrupt:
            raise KeyboardInterrupt

    numbers = [signal.SIGTERM] + ([signal.SIGINT] if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN else [])
    previous = {number: signal.signal(number, handle) for number in numbers}
    previous_hook = sys.unraisablehook

    def quiet_interrupts(unraisable: Any) -> None:
        if isinstance(unraisable.exc_value, KeyboardInterrupt) and received.is_set():
            return
        previous_hook(unraisable)

    if interrupt:
        sys.unraisablehook = quiet_interrupts
    try:
        yield received
    finally:
        sys.unraisablehook = previous_hook
        for number, handler in previous.items():
            signal.signal(number, handler)
