"""The characters every output escapes instead of printing: one definition for text, HTML and names.

A terminal or a browser acts on them or shows nothing for them, so a file name or a manifest field
holding one could make a line say what it does not: C0 and C1 controls (U+009B is a CSI in some
terminals), line and paragraph separators, bidirectional embeddings, overrides, isolates and marks
(a name "photo\\u202egpj.exe" is shown reversed: Unicode TR #9, "Trojan Source" CVE-2021-42574), and
the characters that render as nothing (zero-width space, non-joiner and joiner, word joiner and the
invisible operators, the byte order mark, the soft hyphen, the Mongolian vowel separator), so that
"a.jpg" and "a\\u200b.jpg" never print alike (Unicode TR #36, "Unicode Security Considerations",
section 2.4, Visual Spoofing).
"""

from __future__ import annotations

__all__ = ["INVISIBLE_CLASS"]

INVISIBLE_CLASS = ("\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028\u2029\u202a-\u202e"
                   "\u2060-\u2064\u2066-\u2069\ufeff")
"""The characters above, as the inside of a regular-expression character class (``[...]``)."""
