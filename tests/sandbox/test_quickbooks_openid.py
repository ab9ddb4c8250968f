"""Intuit's OpenID Connect surface on the QBO sandbox: discovery, JWKS, ID tokens, userinfo.

Ground truth: ``shared/apis/quickbooks/samples/oauth-discovery-document.json`` (Intuit's published discovery
document), REFERENCE.md §1 and §3, and intuitlib (intuit/oauth-pythonclient @ 6cb7c29): ``config.py`` fetches
``https://developer.intuit.com/.well-known/openid_configuration/`` (trailing slash), ``client.py`` reads
``authorization_endpoint``, ``token_endpoint``, ``revocation_endpoint``, ``issuer``, ``jwks_uri`` and
``userinfo_endpoint`` at construction, and ``utils.validate_id_token`` checks ``iss``, ``aud[0]``, ``exp``
and the RS256 signature against the JWKS.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import jwt
import pytest

from msplink.sandbox.quickbooks import QuickBooksSandbox
from msplink.testing import FakeClock

SAMPLE = next(
    (
        parent / "shared" / "apis" / "quickbooks" / "samples" / "oauth-discovery-document.json"
        for parent in Path(__file__).resolve().parents
        if (parent / "shared" / "apis" / "quickbooks" / "samples").is_dir()
    ),
    Path(__file__).resolve().parents[1] / "quickbooks" / "samples" / "oauth-discovery-document.json",
)
PATHS = (
    "/.well-known/openid_configuration/",
    "/.well-known/openid_configuration",
    "/.well-known/openid_sandbox_configuration/",
    "/.well-known/openid_sandbox_configuration",
)


@pytest.fixture
def sandbox() -> QuickBooksSandbox:
    clock = FakeClock()
    return QuickBooksSandbox(clock=clock, sleep=clock.sleep)


def test_discovery_has_intuits_keys_at_every_path_and_names_the_request_host(
    sandbox: QuickBooksSandbox,
) -> None:
    sample = json.loads(SAMPLE.read_text(encoding="utf-8"))
    with httpx.Client(transport=sandbox.transport(), base_url="https://qbo.sandbox.test:8443") as client:
        docs = [client.get(path) for path in PATHS]
    assert [d.status_code for d in docs] == [200, 200, 200, 200]
    doc = docs[0].json()
    assert all(d.json() == doc for d in docs)
    assert set(doc) == set(sample)
    for key in (
        "response_types_supported",
        "subject_types_supported",
        "id_token_signing_alg_values_supported",
    ):
        assert doc[key] == sample[key]
    assert sorted(doc["scopes_supported"]) == sorted(sample["scopes_supported"])
    assert sorted(doc["claims_supported"]) == sorted(sample["claims_supported"])
    assert doc["token_endpoint_auth_methods_supported"] == sample["token_endpoint_auth_methods_supported"]
    endpoints = {k: v for k, v in doc.items() if k == "issuer" or k.endswith(("_endpoint", "_uri"))}
    assert sorted(endpoints) == [
        "authorization_endpoint",
        "issuer",
        "jwks_uri",
        "revocation_endpoint",
        "token_endpoint",
        "userinfo_endpoint",
    ]
    assert all(v.startswith("https://qbo.sandbox.test:8443/") for v in endpoints.values())
    # The paths are Intuit's, so clients that hard-code them (REFERENCE §1) reach the same handlers.
    assert urlsplit(doc["token_endpoint"]).path == urlsplit(sample["token_endpoint"]).path
    assert urlsplit(doc["revocation_endpoint"]).path == urlsplit(sample["revocation_endpoint"]).path
    assert urlsplit(doc["userinfo_endpoint"]).path == urlsplit(sample["userinfo_endpoint"]).path
    assert urlsplit(doc["jwks_uri"]).path == urlsplit(sample["jwks_uri"]).path
    assert urlsplit(doc["authorization_endpoint"]).path == urlsplit(sample["authorization_endpoint"]).path


def _follow_discovery(
    client: httpx.Client, sandbox: QuickBooksSandbox, scope: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """What intuitlib does: read discovery, send the user to authorize, exchange the code."""
    doc = client.get("/.well-known/openid_sandbox_configuration/").json()
    consent = client.get(
        doc["authorization_endpoint"],
        params={
            "client_id": sandbox.client_id,
            "response_type": "code",
            "scope": scope,
            "redirect_uri": sandbox.redirect_uri,
            "state": "csrf-1",
        },
    )
    assert consent.status_code == 302
    callback = parse_qs(urlsplit(consent.headers["location"]).query)
    assert callback["state"] == ["csrf-1"] and callback["realmId"] == [sandbox.realm_id]
    tokens = client.post(
        doc["token_endpoint"],
        data={
            "grant_type": "authorization_code",
            "code": callback["code"][0],
            "redirect_uri": sandbox.redirect_uri,
        },
        auth=(sandbox.client_id, "sandbox-secret"),
    )
    assert tokens.status_code == 200
    return doc, tokens.json()


def test_openid_code_exchange_returns_an_id_token_verifiable_with_the_jwks(
    sandbox: QuickBooksSandbox,
) -> None:
    with httpx.Client(transport=sandbox.transport(), base_url="https://sandbox.local") as client:
        doc, tokens = _follow_discovery(
            client, sandbox, "com.intuit.quickbooks.accounting openid email profile"
        )
        keys = client.get(doc["jwks_uri"]).json()
        assert sandbox.count("GET", r"^/op/v1/jwks$", status=200) == 1
    header = jwt.get_unverified_header(tokens["id_token"])
    assert header["alg"] == "RS256"
    key = jwt.PyJWKSet.from_dict(keys)[header["kid"]].key
    claims = jwt.decode(tokens["id_token"], key, algorithms=["RS256"], audience=sandbox.client_id)
    # intuitlib's checks: iss equals the discovery issuer, aud is a list led by the client id, exp in the future.
    assert claims["iss"] == doc["issuer"] == "https://sandbox.local/op/v1"
    assert claims["aud"] == [sandbox.client_id]
    assert claims["realmid"] == sandbox.realm_id
    assert claims["exp"] - claims["iat"] == 3600
    assert set(claims) == {"sub", "aud", "realmid", "auth_time", "iss", "exp", "iat"}
    tampered = tokens["id_token"][:-4] + ("AAAA" if not tokens["id_token"].endswith("AAAA") else "BBBB")
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(tampered, key, algorithms=["RS256"], audience=sandbox.client_id)


def test_accounting_only_consent_gets_no_id_token_and_no_userinfo(sandbox: QuickBooksSandbox) -> None:
    with httpx.Client(transport=sandbox.transport(), base_url="https://sandbox.local") as client:
        doc, tokens = _follow_discovery(client, sandbox, "com.intuit.quickbooks.accounting")
        assert "id_token" not in tokens
        info = client.get(
            doc["userinfo_endpoint"], headers={"Authorization": f"Bearer {tokens['access_token']}"}
        )
        assert info.status_code == 403 and info.json() == {"error": "insufficient_scope"}
        refreshed = client.post(
            doc["token_endpoint"],
            data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]},
            auth=(sandbox.client_id, "sandbox-secret"),
        ).json()
        assert "id_token" not in refreshed


def test_userinfo_answers_the_claims_the_scopes_grant(sandbox: QuickBooksSandbox) -> None:
    with httpx.Client(transport=sandbox.transport(), base_url="https://sandbox.local") as client:
        doc, tokens = _follow_discovery(client, sandbox, "openid email")
        bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
        narrow = client.get(doc["userinfo_endpoint"], headers=bearer).json()
        assert narrow == {"sub": sandbox.user["sub"], "email": sandbox.user["email"], "emailVerified": True}
        assert client.get(doc["userinfo_endpoint"]).status_code == 401
        assert (
            client.get(doc["userinfo_endpoint"], headers={"Authorization": "Bearer nope"}).status_code == 401
        )
        wide = client.get(
            doc["userinfo_endpoint"],
            headers={"Authorization": f"Bearer {sandbox.credentials()['access_token']}"},
        ).json()
    assert set(wide) == {
        "sub",
        "email",
        "emailVerified",
        "givenName",
        "familyName",
        "phoneNumber",
        "phoneNumberVerified",
        "address",
    }
    assert set(wide["address"]) == {"streetAddress", "locality", "region", "postalCode", "country"}


def test_discovery_over_asgi_names_the_scheme_and_host_the_client_used(sandbox: QuickBooksSandbox) -> None:
    async def fetch(base: str, headers: dict[str, str] | None = None) -> dict[str, Any]:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=sandbox), base_url=base) as client:
            response = await client.get("/.well-known/openid_configuration/", headers=headers)
            return dict(response.json())

    plain = asyncio.run(fetch("http://127.0.0.1:8080"))
    assert plain["token_endpoint"] == "http://127.0.0.1:8080/oauth2/v1/tokens/bearer"
    proxied = asyncio.run(
        fetch("http://127.0.0.1:8080", {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "qbo.example"})
    )
    assert proxied["jwks_uri"] == "https://qbo.example/op/v1/jwks"
