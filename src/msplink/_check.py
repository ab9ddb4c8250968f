"""``msplink.check(client)`` and ``python -m msplink check``: try credentials, say exactly what is wrong.

Each check makes the cheapest real calls that tell the common mistakes apart:

* ConnectWise: ``GET /login/companyinfo/{companyId}`` (no auth: is the site right, does it know
  the company id?), then ``GET /system/info`` (the call the ConnectWiseManageAPI PowerShell module
  validates a connection with: are the keys and the clientId accepted?).
* QuickBooks: ``GET /v3/company/{realm}/companyinfo/{realm}`` (refreshes the token first when it
  has expired: is the grant alive, are the client id and secret right, is the token for this
  realm?). When the realm is refused, the same read on the other environment's host (production
  vs sandbox company) tells a wrong environment from a wrong realm.
* Salesforce: the token request and ``GET /services/oauth2/userinfo`` (not counted against the
  org's API requests: consumer key, pre-authorization, login URL, run-as user), then
  ``GET /services/data`` (does the org serve the pinned API version?).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from msplink.errors import (
    APIError,
    AuthenticationError,
    ConfigurationError,
    MsplinkError,
    NotFoundError,
    PermissionDeniedError,
    ReauthorizationRequiredError,
    TransportError,
)

__all__ = ["PLATFORMS", "CheckResult", "check", "check_from_env"]

PLATFORMS = ("connectwise", "quickbooks", "salesforce")

_ENV_PREFIXES = {"connectwise": "MSPLINK_CW_", "quickbooks": "MSPLINK_QBO_", "salesforce": "MSPLINK_SF_"}


@attrs.frozen(kw_only=True)
class CheckResult:
    """What a credentials check found.

    Attributes:
        platform: ``connectwise``, ``quickbooks`` or ``salesforce``.
        ok: Whether the credentials work.
        verdict: A short code: ``ok``, ``missing_settings``, ``unreachable``, ``wrong_site``,
            ``wrong_company_id``, ``bad_keys``, ``bad_client_id``, ``permission_denied``,
            ``grant_expired``, ``bad_client_secret``, ``wrong_realm``, ``wrong_environment``,
            ``bad_consumer_key``, ``not_preauthorized``, ``wrong_login_url``, ``no_run_as_user``,
            ``unsupported_api_version`` or ``error``.
        message: One line saying what works or what is wrong.
        hint: What to do about it, when something is wrong.
        facts: What the check learnt (company, codebase, realm, user, instance ...), never secrets.
        api_calls: Requests the check sent through the client.
    """

    platform: str
    ok: bool
    verdict: str
    message: str
    hint: str | None = None
    facts: Mapping[str, str] = attrs.field(factory=dict)
    api_calls: int = 0

    def __str__(self) -> str:
        mark = "OK  " if self.ok else "FAIL"
        lines = [f"{mark} {self.platform}: {self.message}"]
        lines.extend(f"     {key}: {value}" for key, value in self.facts.items())
        if self.hint:
            lines.append(f"     what to do: {self.hint}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        import html

        rows = "".join(
            f"<tr><th style='text-align:left'>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>"
            for k, v in {**self.facts, **({"what to do": self.hint} if self.hint else {})}.items()
        )
        colour = "green" if self.ok else "crimson"
        head = f"<b style='color:{colour}'>{'OK' if self.ok else 'FAIL'}</b> {html.escape(self.platform)}"
        return f"<p>{head}: {html.escape(self.message)}</p><table>{rows}</table>"


def _failure(platform: str, verdict: str, exc: MsplinkError, calls: int, **facts: str) -> CheckResult:
    message = str(exc.args[0]) if exc.args else type(exc).__name__
    if exc.hint:
        message = message.split(" -- hint: ", 1)[0]
    return CheckResult(
        platform=platform,
        ok=False,
        verdict=verdict,
        message=f"{type(exc).__name__}: {message}",
        hint=exc.hint,
        facts=facts,
        api_calls=calls,
    )


# ------------------------------------------------------------------------------------------ ConnectWise


def _check_connectwise(cw: Any) -> CheckResult:
    counter = cw.api_calls
    start = counter.total
    tenant = cw._executor.tenant
    facts = {"site": tenant.host, "company id": tenant.company_id}
    try:
        info = cw.company_info()
    except NotFoundError as exc:
        return _failure("connectwise", "wrong_company_id", exc, counter.total - start, **facts)
    except TransportError as exc:
        return _failure("connectwise", "unreachable", exc, counter.total - start, **facts)
    except APIError as exc:
        verdict = "wrong_site" if exc.status_code in {404, 405} or not exc.errors else "error"
        return _failure("connectwise", verdict, exc, counter.total - start, **facts)
    facts["codebase"] = str(cw.codebase)
    facts["cloud"] = "yes" if info.is_cloud else "no"
    try:
        cw.request("GET", "/system/info")
    except AuthenticationError as exc:
        text = " ".join(d.message for d in exc.errors).lower()
        verdict = "bad_client_id" if "clientid" in text else "bad_keys"
        return _failure("connectwise", verdict, exc, counter.total - start, **facts)
    except PermissionDeniedError as exc:
        return _failure("connectwise", "permission_denied", exc, counter.total - start, **facts)
    except MsplinkError as exc:
        return _failure("connectwise", "error", exc, counter.total - start, **facts)
    return CheckResult(
        platform="connectwise",
        ok=True,
        verdict="ok",
        message=f"the keys and clientId work for company {tenant.company_id!r} at {tenant.host}",
        facts=facts,
        api_calls=counter.total - start,
    )


# ------------------------------------------------------------------------------------------- QuickBooks


def _other_environment(qbo: Any) -> Any:
    """The same client on the other environment's host (sharing the auth and the HTTP client)."""
    from msplink.quickbooks import QuickBooksClient, QuickBooksEnvironment

    config = qbo._config
    other = (
        QuickBooksEnvironment.PRODUCTION
        if config.environment is QuickBooksEnvironment.SANDBOX
        else QuickBooksEnvironment.SANDBOX
    )
    return other, QuickBooksClient(
        realm_id=config.realm_id,
        auth=config.auth,
        environment=other,
        http_client=qbo._executor.http_client,
        retry=qbo._executor.retry,
        sleep=qbo._executor.sleep,
    )


def _check_quickbooks(qbo: Any) -> CheckResult:
    counter = qbo.api_calls
    start = counter.total
    config = qbo._config
    facts = {"realm id": config.realm_id, "environment": config.environment.value}
    try:
        info = qbo.company_info.get()
    except ReauthorizationRequiredError as exc:
        return _failure("quickbooks", "grant_expired", exc, counter.total - start, **facts)
    except AuthenticationError as exc:
        if "invalid_client" in exc.codes:
            return _failure("quickbooks", "bad_client_secret", exc, counter.total - start, **facts)
        return _environment_or_realm(qbo, exc, counter.total - start, facts)
    except PermissionDeniedError as exc:
        return _environment_or_realm(qbo, exc, counter.total - start, facts)
    except TransportError as exc:
        return _failure("quickbooks", "unreachable", exc, counter.total - start, **facts)
    except MsplinkError as exc:
        return _failure("quickbooks", "error", exc, counter.total - start, **facts)
    facts["company"] = str(info.company_name or info.legal_name or "")
    return CheckResult(
        platform="quickbooks",
        ok=True,
        verdict="ok",
        message=f"the grant works for realm {config.realm_id} ({config.environment.value})",
        facts=facts,
        api_calls=counter.total - start,
    )


def _environment_or_realm(qbo: Any, exc: APIError, calls: int, facts: dict[str, str]) -> CheckResult:
    other, probe = _other_environment(qbo)
    try:
        probe.company_info.get()
    except MsplinkError:
        return _failure("quickbooks", "wrong_realm", exc, calls + probe.api_calls.total, **facts)
    calls += probe.api_calls.total
    kind = "an Intuit sandbox company" if other.value == "sandbox" else "a real (production) company"
    return CheckResult(
        platform="quickbooks",
        ok=False,
        verdict="wrong_environment",
        message=(
            f"realm {qbo.realm_id} is {kind}: the {facts['environment']} host refused it and the "
            f"{other.value} host answered"
        ),
        hint=f"use environment=QuickBooksEnvironment.{other.name} (MSPLINK_QBO_ENVIRONMENT={other.value})",
        facts=facts,
        api_calls=calls,
    )


# ------------------------------------------------------------------------------------------- Salesforce


_SF_TOKEN_VERDICTS = (
    ("invalid_client_id", None, "bad_consumer_key"),
    ("invalid_client", None, "bad_consumer_key"),
    (None, "approved", "not_preauthorized"),
    (None, "audience", "wrong_login_url"),
    (None, "not supported on this domain", "wrong_login_url"),
    (None, "no client credentials user", "no_run_as_user"),
    ("invalid_grant", None, "grant_expired"),
)


def _sf_verdict(exc: APIError) -> str:
    text = " ".join(d.message for d in exc.errors).lower()
    for code, words, verdict in _SF_TOKEN_VERDICTS:
        if (code is None or code in exc.codes) and (words is None or words in text):
            return verdict
    if exc.path == "/services/oauth2/token" and (exc.status_code in {404, 405} or not exc.codes):
        return "wrong_login_url"
    return "error"


def _check_salesforce(sf: Any) -> CheckResult:
    counter = sf.api_calls
    start = counter.total
    auth = sf.auth
    facts = {"auth": type(auth).__name__, "api version": sf.api_version}
    login_url = getattr(auth, "login_url", None)
    if login_url:
        facts["login url"] = login_url
    try:
        user = sf.request("GET", "/services/oauth2/userinfo").json()
        versions = sf.request("GET", "/services/data").json()
    except TransportError as exc:
        return _failure("salesforce", "unreachable", exc, counter.total - start, **facts)
    except APIError as exc:
        return _failure("salesforce", _sf_verdict(exc), exc, counter.total - start, **facts)
    except MsplinkError as exc:
        return _failure("salesforce", "error", exc, counter.total - start, **facts)
    facts["instance"] = str(getattr(auth, "instance_url", "") or "")
    if isinstance(user, dict):
        facts["user"] = str(user.get("preferred_username") or user.get("user_id") or "")
        facts["org id"] = str(user.get("organization_id") or "")
    served = (
        [str(v.get("version")) for v in versions if isinstance(v, dict)] if isinstance(versions, list) else []
    )
    if served and sf.api_version not in served:
        return CheckResult(
            platform="salesforce",
            ok=False,
            verdict="unsupported_api_version",
            message=f"the org does not serve API version {sf.api_version} (newest: {served[-1]})",
            hint=f"pass api_version='{served[-1]}' (MSPLINK_SF_API_VERSION) or an older version it serves",
            facts=facts,
            api_calls=counter.total - start,
        )
    return CheckResult(
        platform="salesforce",
        ok=True,
        verdict="ok",
        message=f"authenticated as {facts.get('user') or 'the integration user'}",
        facts=facts,
        api_calls=counter.total - start,
    )


# ----------------------------------------------------------------------------------------------- entry


def check(client: object) -> CheckResult:
    """Try a client's credentials with the cheapest real calls and say exactly what is wrong.

    Args:
        client: A ``ConnectWiseClient``, ``QuickBooksClient`` or ``SalesforceClient`` (sync).

    Returns:
        The :class:`CheckResult` (``str()`` it for a report; ``result.ok`` for a yes/no).

    Raises:
        ConfigurationError: ``client`` is not one of the three sync clients.
    """
    from msplink.connectwise import ConnectWiseClient
    from msplink.quickbooks import QuickBooksClient
    from msplink.salesforce import SalesforceClient

    checks: dict[type, Callable[[Any], CheckResult]] = {
        ConnectWiseClient: _check_connectwise,
        QuickBooksClient: _check_quickbooks,
        SalesforceClient: _check_salesforce,
    }
    for cls, run in checks.items():
        if isinstance(client, cls):
            return run(client)
    raise ConfigurationError(
        f"check() takes a ConnectWiseClient, QuickBooksClient or SalesforceClient, not {type(client).__name__}"
    )


def configured(platform: str, environ: Mapping[str, str]) -> bool:
    """Tell whether any ``MSPLINK_<vendor>_*`` variable is set for ``platform``."""
    prefix = _ENV_PREFIXES[platform]
    return any(key.startswith(prefix) and value for key, value in environ.items())


def check_from_env(platform: str, environ: Mapping[str, str] | None = None, **options: Any) -> CheckResult:
    """Build ``platform``'s client with ``from_env()`` and :func:`check` it.

    Args:
        platform: ``connectwise``, ``quickbooks`` or ``salesforce``.
        environ: The variables (default ``os.environ``).
        **options: Client constructor options (``transport=`` ...).

    Returns:
        The result; a missing or malformed setting is the ``missing_settings`` verdict.
    """
    env = os.environ if environ is None else environ
    if platform not in PLATFORMS:
        raise ConfigurationError(f"unknown platform {platform!r} (one of {', '.join(PLATFORMS)})")
    try:
        if platform == "connectwise":
            from msplink.connectwise import ConnectWiseClient

            client: Any = ConnectWiseClient.from_env(env, **options)
        elif platform == "quickbooks":
            from msplink.quickbooks import QuickBooksClient

            client = QuickBooksClient.from_env(env, **options)
        else:
            from msplink.salesforce import SalesforceClient

            client = SalesforceClient.from_env(env, **options)
    except (ConfigurationError, OSError) as exc:
        guide = f"docs/{platform}-credentials.md"
        hint = getattr(exc, "hint", None) or f"set the {_ENV_PREFIXES[platform]}* variables (see {guide})"
        message = str(exc).split(" -- hint: ", 1)[0]
        if isinstance(exc, OSError):
            message = f"{type(exc).__name__}: {exc.strerror or exc} ({exc.filename})"
        return CheckResult(
            platform=platform, ok=False, verdict="missing_settings", message=message, hint=hint
        )
    with client:
        return check(client)
