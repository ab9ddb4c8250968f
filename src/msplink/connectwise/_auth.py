"""ConnectWise API-key authentication: Basic ``companyId+publicKey:privateKey`` plus the ``clientId`` header."""

from __future__ import annotations

import base64
from collections.abc import Generator

import httpx

from msplink._core import Secret
from msplink.errors import ConfigurationError

__all__ = ["ConnectWiseAuth"]


class ConnectWiseAuth(httpx.Auth):
    """Adds ``Authorization: Basic base64(company+public:private)`` and ``clientId`` to every request.

    Args:
        company_id: The company id typed on the PSA login screen (``training``).
        public_key: The API member's public key.
        private_key: The API member's private key (kept in a :class:`~msplink._core.Secret`).
        client_id: The integration's clientId GUID (developer.connectwise.com/ClientID).

    Raises:
        ConfigurationError: A value is missing.
    """

    def __init__(self, *, company_id: str, public_key: str, private_key: str, client_id: str) -> None:
        for name, value in {
            "company_id": company_id,
            "public_key": public_key,
            "private_key": private_key,
            "client_id": client_id,
        }.items():
            if not isinstance(value, str) or not value.strip():
                raise ConfigurationError(f"connectwise: {name} is required")
        self.company_id = company_id
        self.public_key = public_key
        self._private_key = Secret(private_key)
        self._client_id = Secret(client_id)

    def _header(self) -> str:
        token = f"{self.company_id}+{self.public_key}:{self._private_key.get()}".encode()
        return "Basic " + base64.b64encode(token).decode("ascii")

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Add the headers (no refresh step: API keys do not expire)."""
        request.headers["Authorization"] = self._header()
        request.headers["clientId"] = self._client_id.get()
        yield request

    def __repr__(self) -> str:
        return (
            f"ConnectWiseAuth(company_id={self.company_id!r}, public_key=***, private_key=***, client_id=***)"
        )
