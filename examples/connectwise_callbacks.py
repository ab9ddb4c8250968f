"""Register a ConnectWise callback and verify the signed deliveries it produces.

Runs against the in-process sandbox (its receiver stands in for your web endpoint) unless
``MSPLINK_CW_*`` credentials are set, in which case it only registers the callback.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from msplink.connectwise import CallbackVerificationError, CallbackVerifier, ConnectWiseClient
from msplink.connectwise import models as m
from msplink.sandbox.connectwise import ConnectWiseSandbox

HOOK_URL = "https://hooks.example.com/connectwise?recordId="


def main() -> None:
    """Register (look-up-before-create), make a change, verify each delivery's signature."""
    if os.environ.get("MSPLINK_CW_PRIVATE_KEY"):
        with ConnectWiseClient.from_env() as cw:
            entry = cw.callbacks.register(url=HOOK_URL, type="company")
            print("registered callback", entry.id)
        return
    sandbox = ConnectWiseSandbox()
    verifier = CallbackVerifier(
        allowed_hosts={sandbox.site}, company_id=sandbox.company_id, transport=sandbox.transport()
    )

    def receive(body: bytes, headers: Mapping[str, str]) -> int:
        try:
            delivery = verifier.verify(body, headers)
        except CallbackVerificationError as exc:
            print("rejected:", exc)
            return 403
        print(f"verified {delivery.action} {delivery.type} #{delivery.id}")
        return 200

    sandbox.register_receiver("https://hooks.example.com/", receive)
    with ConnectWiseClient(**sandbox.credentials(), transport=sandbox.transport()) as cw:
        cw.callbacks.register(url=HOOK_URL, type="company", self_suppressed=False)
        company = cw.companies.create(m.Company(identifier="HOOKDEMO", name="Hook Demo"))
        if company.id is None:
            raise SystemExit("the API returned no id")
        cw.companies.update(company.id, m.CompanyUpdate(website="www.example.com"))
    tampered = sandbox.deliveries[-1]
    receive(tampered.body.replace(b"Hook Demo", b"Hook Demo!"), tampered.headers)


if __name__ == "__main__":
    main()
