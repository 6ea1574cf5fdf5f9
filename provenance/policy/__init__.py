"""Policy as data, and the pure evaluation that turns classified evidence into a verdict.

- :mod:`._loader`: reading and validating policy files (:func:`load_policy`,
  :func:`parse_policy`, :func:`default_policy`, the :class:`Policy` record).
- :mod:`._evaluate`: :func:`evaluate`, pure (no I/O, no clock).
"""

from __future__ import annotations

from ._evaluate import evaluate
from ._loader import Policy, Rule, TrustRequirement, default_policy, load_policy, parse_policy

__all__ = ["Policy", "Rule", "TrustRequirement", "default_policy", "evaluate", "load_policy", "parse_policy"]
