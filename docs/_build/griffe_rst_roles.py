"""A griffe extension for the API reference: Sphinx roles in docstrings become cross-references.

msplink's docstrings name other objects the Sphinx way (``:class:`Paginator```,
``:meth:`~msplink.RetryPolicy.none```). mkdocstrings renders Markdown, where those roles would
show raw; this extension rewrites each one into an optional autorefs link
(``<autoref identifier="msplink.Paginator" optional><code>Paginator</code></autoref>``): a link when
the target is on a page of the reference, plain code when it is not (a private helper), never a
broken link or a build warning. reST literal-block markers (``::``) are dropped (the indented block
after them is already code in Markdown).
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_LONE_LITERAL = re.compile(r"^[ \t]*::[ \t]*\n", re.MULTILINE)
_TRAILING_LITERAL = re.compile(r"(\S)::[ \t]*$", re.MULTILINE)
_ROLE = re.compile(r":(?:py:)?(?:class|meth|func|mod|attr|data|exc|obj|const):`(?P<target>[^`]+)`")


def _resolve(obj: griffe.Object, name: str) -> str:
    """The full path ``name`` refers to, seen from ``obj`` (its scopes, then its module's imports)."""
    name = name.lstrip(".")
    if name.startswith("msplink"):
        return name
    head, _, rest = name.partition(".")
    scope: griffe.Object | None = obj
    while scope is not None:
        members = getattr(scope, "members", {})
        if head in members:
            return f"{scope.path}.{name}"
        imports = getattr(scope, "imports", {})
        if head in imports:
            return imports[head] + (f".{rest}" if rest else "")
        scope = scope.parent
    return name


def convert(text: str, obj: griffe.Object) -> str:
    """Rewrite every Sphinx role in ``text`` into an optional autorefs link."""

    def replace(match: re.Match[str]) -> str:
        target = match["target"].strip()
        explicit = re.fullmatch(r"(?P<title>.+?)\s*<(?P<path>[^>]+)>", target)
        if explicit:
            title, path = explicit["title"], explicit["path"]
        elif target.startswith("~"):
            path = target[1:]
            title = path.rsplit(".", 1)[-1]
        else:
            path = title = target
        identifier = _resolve(obj, path.lstrip("~"))
        return f'<autoref identifier="{identifier}" optional><code>{title}</code></autoref>'

    text = _ROLE.sub(replace, text)
    # reST literal-block markers: a lone "::" line goes, "Example::" becomes "Example:".
    text = _LONE_LITERAL.sub("", text)
    return _TRAILING_LITERAL.sub(r"\1:", text)


class RstRoles(griffe.Extension):
    """Convert Sphinx roles in every docstring once the package is loaded."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        self._walk(pkg, set())

    def _walk(self, obj: griffe.Object, seen: set[str]) -> None:
        if obj.path in seen:
            return
        seen.add(obj.path)
        if obj.docstring is not None:
            obj.docstring.value = convert(obj.docstring.value, obj)
        for member in obj.members.values():
            if not member.is_alias:
                self._walk(member, seen)  # type: ignore[arg-type]
