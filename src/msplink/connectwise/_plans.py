"""Multi-call ConnectWise operations, written once as plans (``msplink._core._plan``).

Each plan is a generator of :class:`~msplink._core.Call` steps; ``SyncExecutor.run`` and
``AsyncExecutor.run`` drive it, so the sync and async clients share the logic and the twins are one line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from msplink._core import Plan
from msplink.connectwise import _calls as calls
from msplink.connectwise import conditions as cond
from msplink.connectwise import models as m
from msplink.errors import APIError

if TYPE_CHECKING:
    from msplink.connectwise._tenant import Tenant

__all__ = ["CALLBACKS", "company_info", "register_callback", "resolve_codebase"]

CALLBACKS = calls.Endpoint("/system/callbacks", m.Callback, m.CallbackUpdate)


def resolve_codebase(tenant: Tenant) -> Plan[None]:
    """Discover the tenant's codebase (``GET /login/companyinfo/{companyId}``) and adopt it.

    A 404 (an old on-premise server without companyinfo) means the ``v4_6_release/`` router. Any other
    failure, or an answer whose ``Codebase`` is not a codebase, is raised and nothing is adopted.
    """
    info: m.CompanyInfo | None
    try:
        info = yield tenant.info_call()
    except APIError as exc:
        if exc.status_code != 404:
            raise
        info = None
    if tenant.codebase is None:
        tenant.adopt(info)


def company_info(tenant: Tenant) -> Plan[m.CompanyInfo]:
    """Fetch the company info (``GET /login/companyinfo/{companyId}``), adopting its codebase if unset."""
    info: m.CompanyInfo = yield tenant.info_call()
    if tenant.codebase is None:
        tenant.adopt(info)
    return info


def register_callback(record: m.Callback) -> Plan[m.Callback]:
    """Look up a callback with the same url, type, level and objectId; create it only if none exists.

    ``GET /system/callbacks?conditions=...&pageSize=1`` then, when it is empty, ``POST /system/callbacks``
    (ConnectWise would answer 400 ``ObjectExists`` to a duplicate). Safe to run at every start-up.
    """
    match = (
        (cond.F("url") == record.url)
        & (cond.F("type") == record.type)
        & (cond.F("level") == record.level)
        & (cond.F("objectId") == record.object_id)
    )
    found = yield calls.list_call(CALLBACKS, None, cond.Query(conditions=match), page_size=1)
    if found.items:
        existing: m.Callback = found.items[0]
        return existing
    created: m.Callback = yield calls.create_call(CALLBACKS, None, record)
    return created
