"""Salesforce: typed sync and async clients, OAuth strategies, SOQL builder, Collections, Bulk 2.0.

Example:
    >>> from msplink.salesforce import SalesforceClient, JWTBearerAuth, soql
    >>> client = SalesforceClient(auth=JWTBearerAuth(client_id=..., username=..., private_key=...))
    >>> for account in client.accounts.query(soql.F("Industry") == "Technology"):
    ...     print(account.name, account["CW_Company_Id__c"])
"""

from msplink.salesforce import models, outbound, soql
from msplink.salesforce._auth import (
    DEFAULT_LOGIN_URL,
    AccessTokenAuth,
    ClientCredentialsAuth,
    FileTokenStore,
    JWTBearerAuth,
    MemoryTokenStore,
    RefreshTokenAuth,
    SalesforceAuth,
    Token,
    TokenStore,
)
from msplink.salesforce._client import (
    DEFAULT_API_VERSION,
    DEFAULT_BULK_THRESHOLD,
    AsyncBulk,
    AsyncCollections,
    AsyncComposite,
    AsyncSalesforceClient,
    AsyncSObjects,
    Bulk,
    Collections,
    Composite,
    SalesforceClient,
    SObjects,
)
from msplink.salesforce._platform import MultipleMatchesError
from msplink.salesforce.models import (
    Account,
    Case,
    CompositeSubrequest,
    CompositeSubresponse,
    Contact,
    Contract,
    IngestResult,
    JobInfo,
    Lead,
    LimitInfo,
    Limits,
    Opportunity,
    RecordError,
    SaveResult,
    SObjectDescribe,
    Task,
    User,
)

__all__ = [
    "AccessTokenAuth",
    "Account",
    "AsyncBulk",
    "AsyncCollections",
    "AsyncComposite",
    "AsyncSObjects",
    "AsyncSalesforceClient",
    "Bulk",
    "Case",
    "ClientCredentialsAuth",
    "Collections",
    "Composite",
    "CompositeSubrequest",
    "CompositeSubresponse",
    "Contact",
    "Contract",
    "DEFAULT_API_VERSION",
    "DEFAULT_BULK_THRESHOLD",
    "DEFAULT_LOGIN_URL",
    "FileTokenStore",
    "IngestResult",
    "JWTBearerAuth",
    "JobInfo",
    "Lead",
    "LimitInfo",
    "Limits",
    "MemoryTokenStore",
    "MultipleMatchesError",
    "Opportunity",
    "RecordError",
    "RefreshTokenAuth",
    "SObjectDescribe",
    "SObjects",
    "SalesforceAuth",
    "SalesforceClient",
    "SaveResult",
    "Task",
    "Token",
    "TokenStore",
    "User",
    "models",
    "outbound",
    "soql",
]
