"""``python -m msplink.sandbox serve <platform>`` serves each sandbox over a real socket."""

from __future__ import annotations

import socket
import subprocess
import sys
import time

import httpx
import pytest

from msplink.sandbox import PLATFORMS, ConnectWiseSandbox, QuickBooksSandbox, SalesforceSandbox, load_sandbox
from msplink.sandbox.__main__ import main


def test_registry_names_the_three_sandboxes() -> None:
    assert load_sandbox("connectwise") is ConnectWiseSandbox
    assert load_sandbox("quickbooks") is QuickBooksSandbox
    assert load_sandbox("salesforce") is SalesforceSandbox
    assert sorted(PLATFORMS) == ["connectwise", "quickbooks", "salesforce"]
    with pytest.raises(KeyError):
        load_sandbox("netsuite")


def test_unknown_platform_is_refused_by_the_command_line() -> None:
    with pytest.raises(SystemExit) as info:
        main(["serve", "netsuite"])
    assert info.value.code == 2


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_connectwise_over_http() -> None:
    pytest.importorskip("uvicorn")
    port = _free_port()
    process = subprocess.Popen(  # noqa: S603 - our own module
        [sys.executable, "-m", "msplink.sandbox", "serve", "connectwise", "--port", str(port), "--size", "5"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        url = f"http://127.0.0.1:{port}/login/companyinfo/msplink"
        deadline = time.monotonic() + 30
        response = None
        while time.monotonic() < deadline:
            try:
                response = httpx.get(url, headers={"Host": "api-na.myconnectwise.net"}, timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        assert response is not None, "the server did not start in 30 s"
        assert response.status_code == 200
        assert response.json()["CompanyName"]
    finally:
        process.terminate()
        try:
            process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
