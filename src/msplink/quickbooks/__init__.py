"""QuickBooks Online Accounting API v3: typed sync and async clients, OAuth 2.0, query builder, webhooks.

```python
from msplink.quickbooks import QuickBooksClient, QuickBooksOAuth2, FileTokenStore
from msplink.quickbooks import query as q

auth = QuickBooksOAuth2(client_id=..., client_secret=..., store=FileTokenStore("qbo-tokens.json"))
with QuickBooksClient(realm_id="9130...", auth=auth) as qbo:
    for customer in qbo.customers.list(where=q.field("Balance") > 0, order_by="DisplayName"):
        print(customer.display_name)
```
"""

from msplink.quickbooks import models, query, webhooks
from msplink.quickbooks._auth import (
    FileTokenStore,
    MemoryTokenStore,
    OAuthToken,
    QuickBooksOAuth2,
    StaticBearer,
    TokenStore,
)
from msplink.quickbooks._changes import CDCResult
from msplink.quickbooks._client import AsyncQuickBooksClient, QuickBooksClient, QuickBooksEnvironment
from msplink.quickbooks._errors import (
    AmountMismatchError,
    DuplicateDocNumberError,
    DuplicateNameError,
    StaleObjectError,
)
from msplink.quickbooks._operations import BatchItemResult, BatchOperation
from msplink.quickbooks.webhooks import WebhookEvent, WebhookSignatureError

__all__ = [
    "AmountMismatchError",
    "AsyncQuickBooksClient",
    "BatchItemResult",
    "BatchOperation",
    "CDCResult",
    "DuplicateDocNumberError",
    "DuplicateNameError",
    "FileTokenStore",
    "MemoryTokenStore",
    "OAuthToken",
    "QuickBooksClient",
    "QuickBooksEnvironment",
    "QuickBooksOAuth2",
    "StaleObjectError",
    "StaticBearer",
    "TokenStore",
    "WebhookEvent",
    "WebhookSignatureError",
    "models",
    "query",
    "webhooks",
]
