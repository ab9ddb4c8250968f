"""Structure hooks compiled once per class and specialised per field type: the parsing hot path.

cattrs' generated hooks are general: every ``X | None`` field goes through the generic optional hook,
detailed validation wraps each field, and a vendor wrapper copies each nested object to set ``raw``.
:class:`FastStructurer` compiles, once per class, one plain Python function that reads each wire key
with ``dict.get`` and converts the value inline when it has the type the wire normally carries
(``str`` for a string field, ``int``, ``bool``, a finite ``Decimal``, a non-empty ``str`` for a
datetime or date, a ``dict`` for a nested model, a ``list`` for a tuple). Any other value goes to the
vendor's reference hook for that field's type (the cattrs hook the old path used), so lenient
conversions (``"12"`` for an int, ``""`` for a CW datetime) keep exactly their old result. Missing
fields cost one ``dict.get``: the instance starts from a copy of the class's defaults and only
present fields are written, so a projected payload costs what its size allows.

Validation is not detailed on this path. When the compiled function fails, :meth:`FastStructurer.structure`
parses the payload again with the reference converter (detailed validation on), which raises the
error naming the field path; the error reaches callers as :class:`ParseError` (a ``ValueError``;
executors turn it into an ``APIError`` coded ``malformed_response`` naming the path).

Instances of dict-backed attrs classes (``slots=False``) are built by assigning their ``__dict__``
(no ``__init__`` call, so the ``raw`` payload is kept without copying); slotted classes or classes
with validators, converters or ``__attrs_post_init__`` go through their normal constructor.
"""

from __future__ import annotations

import itertools
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

import attrs
import cattrs

from msplink._core._converter import parse_date, parse_datetime

__all__ = ["FastStructurer", "FieldPlan", "ParseError", "Planner"]

T = TypeVar("T")

_MISSING = object()
_EXACT = (str, int, bool)
_COUNTER = itertools.count()


class ParseError(ValueError):
    """A wire payload that does not fit its model; ``path`` names the first bad field (``Company.id``).

    The message lists every bad field path and what was expected, never the values (they may be
    personal data).
    """

    def __init__(self, message: str, *, path: str) -> None:
        super().__init__(message)
        self.path = path


@attrs.frozen
class FieldPlan:
    """How one attribute is read from the wire.

    Attributes:
        name: The attribute.
        wire: Its key in the payload; ``None`` leaves the attribute at its default.
        container: Read ``wire`` inside this top-level key's object instead (CW lifts
            ``_info.lastUpdated`` onto ``last_updated``).
        raw: The attribute receives the payload itself (``model.raw``), never a copy.
        compute: The attribute receives ``compute(payload)`` (Salesforce ``custom`` fields).
    """

    name: str
    wire: str | None
    container: str | None = None
    raw: bool = False
    compute: Callable[[Mapping[str, Any]], Any] | None = None


Planner = Callable[[type[Any]], Sequence[FieldPlan]]
"""A vendor's rule: the :class:`FieldPlan` of every attribute of a model class."""


def _strip_optional(tp: Any) -> tuple[Any, bool]:
    origin = typing.get_origin(tp)
    if origin is typing.Union or origin is types.UnionType:
        args = typing.get_args(tp)
        inner = [a for a in args if a is not type(None)]
        if len(inner) == 1 and len(args) == 2:
            return inner[0], True
    return tp, False


def _is_any_mapping(tp: Any) -> bool:
    origin = typing.get_origin(tp)
    if origin not in (Mapping, dict):
        return False
    args = typing.get_args(tp)
    return len(args) == 2 and args[0] is str and args[1] is Any


class _Emitter:
    """Builds the source of one class's hook and the namespace it runs in."""

    def __init__(self, owner: FastStructurer, cls: type[Any]) -> None:
        self.owner = owner
        self.cls = cls
        self.ns: dict[str, Any] = {
            "_cls": cls,
            "_new": object.__new__,
            "_set": object.__setattr__,
            "_M": _MISSING,
            "_Dec": Decimal,
            "_str": str,
            "_int": int,
            "_bool": bool,
            "_dict": dict,
            "_list": list,
            "_tuple": tuple,
            "_map": map,
            "_slow": owner.reference_hook(cls),
            "_E": {},
        }
        self.lines: list[str] = []

    def name(self, prefix: str, value: Any) -> str:
        key = f"_{prefix}{len(self.ns)}"
        self.ns[key] = value
        return key

    def fallback(self, tp: Any, var: str = "v") -> str:
        """A call of the reference hook of ``tp`` on ``var``."""
        hook = self.owner.reference.get_structure_hook(tp)
        return f"{self.name('fb', hook)}({var}, {self.name('t', tp)})"

    def convert(self, var: str, tp: Any, fallback: str) -> str:
        """An expression converting ``var`` (not ``None``) to ``tp``, with ``fallback`` for odd values."""
        if tp is Any:
            return var
        for exact in _EXACT:
            if tp is exact:
                return f"{var} if {var}.__class__ is _{exact.__name__} else {fallback}"
        if tp is Decimal:
            return f"{var} if ({var}.__class__ is _Dec and {var}.is_finite()) else {fallback}"
        parser = self.owner.string_parsers.get(tp)
        if parser is not None:
            return f"{self.name('p', parser)}({var}) if ({var}.__class__ is _str and {var}) else {fallback}"
        if _is_any_mapping(tp):
            return f"{var} if {var}.__class__ is _dict else {fallback}"
        if isinstance(tp, type) and self.owner.is_model(tp):
            return f"{self.name('s', self.owner.hook(tp))}({var}) if {var}.__class__ is _dict else {fallback}"
        if typing.get_origin(tp) is tuple:
            args = typing.get_args(tp)
            if len(args) == 2 and args[1] is Ellipsis:
                item = args[0]
                if item is Any:
                    return f"_tuple({var}) if {var}.__class__ is _list else {fallback}"
                if isinstance(item, type) and self.owner.is_model(item):
                    # each item's hook checks it is an object (else the reference path decides)
                    items = self.name("s", self.owner.hook(item))
                    return f"_tuple(_map({items}, {var})) if {var}.__class__ is _list else {fallback}"
                inner = self.convert("e", item, self.fallback(item, "e"))
                return f"_tuple([{inner} for e in {var}]) if {var}.__class__ is _list else {fallback}"
        return fallback

    def field(self, plan: FieldPlan, attribute: attrs.Attribute[Any], source: str) -> None:
        tp, optional = _strip_optional(attribute.type)
        fallback = self.fallback(attribute.type)
        default = attribute.default
        none_is_default = default is None and (optional or tp is Any)
        key = repr(plan.wire)
        out = f"d[{plan.name!r}]"
        if none_is_default:
            self.lines += [f"    v = {source}({key})", "    if v is not None:"]
            self.lines.append(f"        {out} = {self.convert('v', tp, fallback)}")
            return
        self.lines += [f"    v = {source}({key}, _M)", "    if v is not _M:"]
        if optional:
            self.lines.append(f"        {out} = None if v is None else ({self.convert('v', tp, fallback)})")
        else:
            self.lines.append(f"        {out} = {self.convert('v', tp, fallback)}")
        if default is attrs.NOTHING:
            self.lines += ["    else:", "        raise KeyError(" + key + ")"]

    def build(self) -> Callable[[Any], Any]:
        cls = self.cls
        fields = {a.name: a for a in attrs.fields(cls)}
        plans = self.owner.planner(cls)
        defaults: dict[str, Any] = {}
        factories: list[tuple[str, Any]] = []
        by_init = bool(getattr(cls, "__attrs_post_init__", None)) or any(
            a.validator is not None or a.converter is not None or not a.init for a in fields.values()
        )
        for attribute in fields.values():
            if isinstance(attribute.default, attrs.Factory):  # type: ignore[arg-type]
                if attribute.default.takes_self:
                    by_init = True
                factories.append((attribute.name, attribute.default.factory))
            elif attribute.default is not attrs.NOTHING:
                defaults[attribute.name] = attribute.default
        self.ns["_D"] = defaults
        self.lines = [
            "def hook(data):",
            "    if data.__class__ is not _dict:",
            "        return _slow(data, _cls)",
            "    g = data.get",
            "    d = _D.copy()",
        ]
        containers: dict[str, str] = {}
        for plan in plans:
            attribute = fields[plan.name]
            if plan.raw:
                self.lines.append(f"    d[{plan.name!r}] = data")
            elif plan.compute is not None:
                self.lines.append(f"    d[{plan.name!r}] = {self.name('c', plan.compute)}(data)")
            elif plan.wire is None:
                continue
            elif plan.container is None:
                self.field(plan, attribute, "g")
            else:
                getter = containers.get(plan.container)
                if getter is None:
                    var = f"c{len(containers)}"
                    getter = containers[plan.container] = f"{var}g"
                    self.lines += [
                        f"    {var} = g({plan.container!r})",
                        f"    if {var} is None:",
                        f"        {getter} = _E.get",
                        f"    elif {var}.__class__ is _dict:",
                        f"        {getter} = {var}.get",
                        "    else:",
                        "        return _slow(data, _cls)",
                    ]
                self.field(plan, attribute, getter)
        planned = {p.name for p in plans if p.raw or p.compute is not None}
        for name, factory in factories:
            if name not in planned:
                self.lines.insert(5, f"    d[{name!r}] = {self.name('f', factory)}()")
        slotted = any("__slots__" in vars(k) for k in cls.__mro__ if k is not object)
        if by_init:
            aliases = {a.name: a.alias for a in fields.values()}
            self.ns["_A"] = aliases
            self.lines.append("    return _cls(**{_A[k]: v for k, v in d.items()})")
        elif slotted:
            self.lines += [
                "    o = _new(_cls)",
                "    for k, v in d.items():",
                "        _set(o, k, v)",
                "    return o",
            ]
        else:
            self.lines += ["    o = _new(_cls)", "    _set(o, '__dict__', d)", "    return o"]
        source = "\n".join(self.lines) + "\n"
        filename = f"<msplink hook {cls.__module__}.{cls.__qualname__} #{next(_COUNTER)}>"
        exec(compile(source, filename, "exec"), self.ns)  # noqa: S102 - source built from class annotations only
        hook: Callable[[Any], Any] = self.ns["hook"]
        hook.__doc__ = source  # the generated source, for debugging (``help(hook)``)
        return hook


class FastStructurer:
    """Compiles and caches one specialised structure function per model class of a vendor.

    Args:
        reference: The vendor's cattrs converter (detailed validation on): the fallback for values of
            unusual types and the source of typed errors with field paths.
        is_model: Tells the vendor's model classes (nested ones get their own compiled hooks).
        planner: The :class:`FieldPlan` of each attribute of a model class (wire names, lifting).
        string_parsers: Parsers that give exactly the reference hook's result for a non-empty string
            (``{datetime: parse_datetime, date: parse_date}`` unless a vendor says otherwise).
    """

    def __init__(
        self,
        reference: cattrs.Converter,
        *,
        is_model: Callable[[type[Any]], bool],
        planner: Planner,
        string_parsers: Mapping[Any, Callable[[str], Any]] | None = None,
    ) -> None:
        self.reference = reference
        self.is_model = is_model
        self.planner = planner
        self.string_parsers: Mapping[Any, Callable[[str], Any]] = (
            {datetime: parse_datetime, date: parse_date} if string_parsers is None else string_parsers
        )
        self._hooks: dict[type[Any], Callable[[Any], Any]] = {}

    def reference_hook(self, cls: type[Any]) -> Callable[[Any, type[Any]], Any]:
        """The reference (cattrs) hook of ``cls``, then the plan's ``raw`` and ``compute`` attributes
        (which a vendor's cattrs hook may leave at their defaults)."""
        hook: Callable[[Any, type[Any]], Any] = self.reference.get_structure_hook(cls)
        extras = [p for p in self.planner(cls) if p.raw or p.compute is not None]
        if not extras:
            return hook

        def finished(data: Any, target: type[Any]) -> Any:
            result = hook(data, target)
            for plan in extras:
                value = data if plan.raw else plan.compute(data)  # type: ignore[misc]
                object.__setattr__(result, plan.name, value)
            return result

        return finished

    def hook(self, cls: type[T]) -> Callable[[Any], T]:
        """The compiled structure function of ``cls`` (compiled on first use; no error translation)."""
        found = self._hooks.get(cls)
        if found is None:
            self._hooks[cls] = self.lazy_hook(cls)  # a class that nests itself finds a trampoline
            attrs.resolve_types(cls)  # type: ignore[type-var]
            found = _Emitter(self, cls).build()
            self._hooks[cls] = found
        return found

    def lazy_hook(self, cls: type[Any]) -> Callable[[Any], Any]:
        """The hook of ``cls`` if compiled, else a function that compiles it on its first call."""
        found = self._hooks.get(cls)
        if found is not None:
            return found

        def trampoline(data: Any) -> Any:
            return self.hook(cls)(data)

        return trampoline

    def structure(self, data: Any, cls: type[T]) -> T:
        """Parse ``data`` into ``cls`` on the fast path; on failure, raise the reference path's error.

        Raises:
            ParseError: A field does not fit its type (the message names every bad field path).
            TypeError: ``data`` is not a JSON object (as the reference hook says).
        """
        hook = self._hooks.get(cls) or self.hook(cls)
        try:
            result: T = hook(data)
        except Exception:
            return self.diagnose(data, cls)
        return result

    def structure_each(self, items: Sequence[Any], cls: type[T]) -> list[T]:
        """Parse a list of payloads (one hook look-up for the page)."""
        hook = self._hooks.get(cls) or self.hook(cls)
        try:
            return [hook(item) for item in items]
        except Exception:
            return [self.structure(item, cls) for item in items]

    def diagnose(self, data: Any, cls: type[T]) -> T:
        """Structure ``data`` with the reference converter, turning its validation error into a
        :class:`ParseError` naming the field paths.

        Raises:
            ParseError: A field does not fit its type.
        """
        try:
            result: T = self.reference_hook(cls)(data, cls)
        except cattrs.BaseValidationError as exc:
            problems = cattrs.transform_error(exc, path=cls.__name__)
            first = problems[0].rpartition(" @ ")[2] if problems else cls.__name__
            raise ParseError("; ".join(problems), path=first) from exc
        return result
