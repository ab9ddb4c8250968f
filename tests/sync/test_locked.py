"""``Flow.locked``: a target record the hook names (a paid invoice) is left as it is, and the reason is
reported, whether the record is linked already, newly matched, or its source is deleted."""

from __future__ import annotations

from typing import Any

from msplink.models import Customer, ExternalRef
from msplink.sync import Action, Owner, by_name
from msplink.sync._plan import Current, Incoming, Spec, plan_records
from msplink.sync._values import field_values, value_hash

FIELDS = frozenset({"name", "email", "notes"})


def spec(**kw: Any) -> Spec:
    base: dict[str, Any] = {
        "flow": "f",
        "source": ("a", "customer"),
        "target": ("b", "customer"),
        "rules": (by_name(),),
        "owner": lambda path: Owner.SOURCE,
        "fields": FIELDS,
    }
    return Spec(**{**base, **kw})


def paid(source: Any, target: Customer) -> str | None:
    return "paid" if target.notes == "paid" else None


def record(system: str, rid: str, **fields: Any) -> Customer:
    return Customer(refs=ExternalRef(system, "customer", rid, "1"), **{"name": "Acme", **fields})


def incoming(source: Customer, target: str | None = None) -> Incoming:
    ref = next(iter(source.refs))
    linked = ExternalRef("b", "customer", target) if target else None
    return Incoming(ref=ref, record=source, target=linked, entity="e-1" if target else None)


def current(target: Customer) -> Current:
    return Current(ref=next(iter(target.refs)), record=target)


def test_a_locked_linked_target_is_skipped_with_the_hook_s_reason_and_nothing_recorded_as_synced() -> None:
    source, target = record("a", "1", email="new@acme.example"), record("b", "9", notes="paid")
    (item,) = plan_records(spec(locked=paid), [incoming(source, "9")], {"9": current(target)}, {})
    assert (item.action, item.reason, item.changes, item.pure) == (Action.SKIP, "paid", (), False)
    assert "email" not in item.target_hashes  # the difference stays a difference
    assert item.target_hashes["name"] == value_hash(field_values(target)["name"])


def test_an_unlocked_target_is_updated_as_usual() -> None:
    source, target = record("a", "1", email="new@acme.example"), record("b", "9", notes="open")
    (item,) = plan_records(spec(locked=paid), [incoming(source, "9")], {"9": current(target)}, {})
    assert item.action is Action.UPDATE
    assert [c.path for c in item.changes] == ["email", "notes"]


def test_a_new_match_to_a_locked_target_is_linked_not_written() -> None:
    source, target = record("a", "1", email="new@acme.example"), record("b", "9", notes="paid")
    (item,) = plan_records(spec(locked=paid), [incoming(source)], {"9": current(target)}, {})
    assert (item.action, item.reason, item.link, item.rule) == (Action.LINK, "paid", True, "by_name(name)")


def test_a_locked_target_without_differences_is_unchanged() -> None:
    source, target = record("a", "1", notes="paid"), record("b", "9", notes="paid")
    (item,) = plan_records(spec(locked=paid), [incoming(source, "9")], {"9": current(target)}, {})
    assert (item.action, item.reason) == (Action.SKIP, "unchanged")


def test_a_locked_target_of_a_deleted_source_is_not_deleted() -> None:
    from msplink.sync import Guards

    target = record("b", "9", notes="paid")
    gone = Incoming(
        ref=ExternalRef("a", "customer", "1", "deleted"), deleted=True,
        target=ExternalRef("b", "customer", "9"), entity="e-1",
    )  # fmt: skip
    deleting = spec(locked=paid, guards=Guards(allow_delete=True))
    (item,) = plan_records(deleting, [gone], {"9": current(target)}, {})
    assert (item.action, item.reason) == (Action.SKIP, "paid")
    (item,) = plan_records(spec(guards=Guards(allow_delete=True)), [gone], {"9": current(target)}, {})
    assert item.action is Action.DELETE
