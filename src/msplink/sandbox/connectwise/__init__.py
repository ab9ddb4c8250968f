"""An in-memory ConnectWise Manage REST API 3.0 (``ConnectWiseSandbox``).

An independent implementation (stdlib, attrs/httpx and the sandbox framework only): API-key auth with
CW error bodies, ``/login/companyinfo``, the ``conditions`` grammar, child and custom-field conditions,
``orderBy``, ``fields``, navigable and forward-only paging with ``Link`` headers, ``/count``, writes with
validation, ``_info.lastUpdated``, 429s and signed callback deliveries.
"""

from msplink.sandbox.connectwise._sandbox import ApiMember, CallbackDeliveryRecord, ConnectWiseSandbox

__all__ = ["ApiMember", "CallbackDeliveryRecord", "ConnectWiseSandbox"]
