"""The collections the ConnectWise sandbox serves: paths, required fields, references, datetime fields,
callback types.

Sources: REFERENCE.md §10 (paths, required fields), the OpenAPI document of ConnectWise's "Manage Public
Endpoints" as the ai-connor/connectwise OpenAPI Generator output shows it (2025.1: the child paths
``/service/tickets/{parentId}/notes``, ``/service/tickets/{parentId}/timeentries`` (``TimeEntryReference``
items), ``/project/tickets``, ``/project/projects/{parentId}/phases``; the ``time.Time`` fields of each
model, which are ``format: date-time`` in the spec and refused as ``UnsupportedFormat`` when not
``yyyy-MM-ddTHH:mm:ssZ``, REFERENCE.md §7).
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

__all__ = ["COLLECTIONS", "Collection"]


@attrs.frozen(kw_only=True)
class Collection:
    """One REST collection of the sandbox.

    Attributes:
        name: Internal key (``companies``).
        entity: Model name in ``ENTITY_FIELDS`` (``Company``).
        path: Path under ``/{codebase}/apis/3.0`` (``/company/companies/{parent}/sites`` for children).
        label: Name used in error messages (``company``).
        parent: Parent collection of a child collection.
        parent_field: Field of a child record pointing at its parent (a reference or an id field).
        parent_as_id: Whether ``parent_field`` holds a bare id instead of a reference.
        required: Fields required on POST/PUT.
        refs: Reference fields checked against another collection.
        unique: A field whose value must be unique (case-insensitive).
        callback_type: The callback ``type`` that receives its changes.
        arrays: Array fields (``childConditions`` targets).
        datetimes: Fields typed ``date-time`` in the spec: written as ``yyyy-MM-ddTHH:mm:ssZ`` or refused.
        sequence: The id sequence the collection draws from (project tickets share the tickets').
        forward_only: Whether ``pagination-type: forward-only`` is honoured (REFERENCE.md §4.2).
        view: A read-only view over another collection (``GET`` list and ``/count`` only).
        not_found: The name a 404 ``NotFound`` message gives a missing record (REFERENCE.md §3.2:
            "Service Ticket 404 not found", "company 404 not found", "Contact 123 not found").
    """

    name: str
    entity: str
    path: str
    label: str
    parent: str | None = None
    parent_field: str | None = None
    parent_as_id: bool = False
    required: tuple[str, ...] = ()
    refs: Mapping[str, str] = attrs.field(factory=dict)
    unique: str | None = None
    callback_type: str | None = None
    arrays: tuple[str, ...] = ("customFields",)
    datetimes: tuple[str, ...] = ()
    sequence: str | None = None
    forward_only: bool = True
    view: bool = False
    not_found: str | None = None


COLLECTIONS: tuple[Collection, ...] = (
    Collection(
        name="companies",
        entity="Company",
        path="/company/companies",
        label="company",
        required=("identifier", "name"),
        refs={
            "billingTerms": "billingTerms",
            "taxCode": "taxCodes",
            "parentCompany": "companies",
            "billToCompany": "companies",
            "defaultContact": "contacts",
            "billingContact": "contacts",
            "territoryManager": "members",
        },
        unique="identifier",
        callback_type="company",
        arrays=("customFields", "types", "integratorTags"),
        datetimes=("dateAcquired", "dateDeleted"),
        not_found="company",
    ),
    Collection(
        name="sites",
        entity="CompanySite",
        path="/company/companies/{parent}/sites",
        label="site",
        parent="companies",
        parent_field="company",
        required=("name",),
        refs={"taxCode": "taxCodes"},
        callback_type="site",
    ),
    Collection(
        name="contacts",
        entity="Contact",
        path="/company/contacts",
        label="contact",
        required=("firstName",),
        refs={"company": "companies"},
        callback_type="contact",
        arrays=("customFields", "communicationItems", "types"),
        not_found="Contact",
    ),
    Collection(
        name="communications",
        entity="CommunicationItem",
        path="/company/contacts/{parent}/communications",
        label="communication",
        parent="contacts",
        required=("type", "value"),
    ),
    Collection(
        name="agreements",
        entity="Agreement",
        path="/finance/agreements",
        label="agreement",
        required=("name", "type", "company", "contact"),
        refs={
            "company": "companies",
            "contact": "contacts",
            "billingTerms": "billingTerms",
            "taxCode": "taxCodes",
            "billToCompany": "companies",
            "billToContact": "contacts",
            "parentAgreement": "agreements",
        },
        callback_type="agreement",
        datetimes=("startDate", "endDate", "dateCancelled", "billStartDate"),
    ),
    Collection(
        name="additions",
        entity="AgreementAddition",
        path="/finance/agreements/{parent}/additions",
        label="addition",
        parent="agreements",
        parent_field="agreementId",
        parent_as_id=True,
        required=("product", "billCustomer"),
        refs={"product": "catalog"},
        datetimes=("effectiveDate", "cancelledDate"),
    ),
    Collection(
        name="invoices",
        entity="Invoice",
        path="/finance/invoices",
        label="invoice",
        required=("type", "company"),
        refs={
            "company": "companies",
            "billToCompany": "companies",
            "billingTerms": "billingTerms",
            "taxCode": "taxCodes",
            "agreement": "agreements",
        },
        unique="invoiceNumber",
        callback_type="invoice",
        datetimes=("date", "dueDate"),
    ),
    Collection(
        name="payments",
        entity="InvoicePayment",
        path="/finance/invoices/{parent}/payments",
        label="payment",
        parent="invoices",
        parent_field="invoice",
        required=("amount",),
        datetimes=("paymentDate", "paymentSyncDate"),
    ),
    Collection(
        name="billingTerms",
        entity="BillingTerm",
        path="/finance/billingTerms",
        label="billingTerms",
        required=("name", "dueDays"),
        unique="name",
    ),
    Collection(
        name="taxCodes",
        entity="TaxCode",
        path="/finance/taxCodes",
        label="taxCode",
        required=("identifier", "description", "invoiceCaption", "effectiveDate"),
        unique="identifier",
        datetimes=("effectiveDate", "cancelDate"),
    ),
    Collection(
        name="timeEntries",
        entity="TimeEntry",
        path="/time/entries",
        label="timeEntry",
        required=("timeStart",),
        refs={
            "company": "companies",
            "member": "members",
            "agreement": "agreements",
            "project": "projects",
        },
        callback_type="time",
        datetimes=("timeStart", "timeEnd", "dateEntered"),
    ),
    Collection(
        name="tickets",
        entity="Ticket",
        path="/service/tickets",
        label="ticket",
        required=("summary", "company"),
        refs={
            "company": "companies",
            "contact": "contacts",
            "board": "boards",
            "priority": "priorities",
            "agreement": "agreements",
            "owner": "members",
        },
        callback_type="ticket",
        datetimes=("requiredDate", "estimatedStartDate"),
        not_found="Service Ticket",
    ),
    Collection(
        name="boards",
        entity="Board",
        path="/service/boards",
        label="board",
        required=("name",),
        unique="name",
    ),
    Collection(
        name="statuses",
        entity="BoardStatus",
        path="/service/boards/{parent}/statuses",
        label="status",
        parent="boards",
        parent_field="board",
        required=("name",),
    ),
    Collection(
        name="priorities",
        entity="Priority",
        path="/service/priorities",
        label="priority",
        required=("name",),
    ),
    Collection(
        name="projects",
        entity="Project",
        path="/project/projects",
        label="project",
        required=("name", "company", "board", "billingMethod", "estimatedStart", "estimatedEnd"),
        refs={"company": "companies", "board": "boards", "manager": "members", "contact": "contacts"},
        callback_type="project",
        datetimes=(
            "actualEnd",
            "actualStart",
            "estimatedEnd",
            "estimatedStart",
            "scheduledEnd",
            "scheduledStart",
            "billingStartDate",
        ),
    ),
    Collection(
        name="purchaseOrders",
        entity="PurchaseOrder",
        path="/procurement/purchaseorders",
        label="purchaseOrder",
        required=("vendorCompany", "status", "terms"),
        refs={"vendorCompany": "companies", "customerCompany": "companies", "terms": "billingTerms"},
        unique="poNumber",
        callback_type="purchaseorder",
        datetimes=("dateClosed", "poDate", "shipmentDate", "vendorInvoiceDate"),
    ),
    Collection(
        name="lineItems",
        entity="PurchaseOrderLineItem",
        path="/procurement/purchaseorders/{parent}/lineitems",
        label="lineItem",
        parent="purchaseOrders",
        parent_field="purchaseOrderId",
        parent_as_id=True,
        required=("lineNumber", "description", "quantity"),
        refs={"product": "catalog"},
        datetimes=(
            "dateCanceled",
            "dateCanceledUtc",
            "expectedShipDate",
            "shipDate",
            "dateReceived",
            "expectedArrivalDate",
        ),
    ),
    Collection(
        name="catalog",
        entity="CatalogItem",
        path="/procurement/catalog",
        label="catalogItem",
        required=("identifier", "description", "customerDescription"),
        refs={"vendor": "companies"},
        unique="identifier",
        callback_type="productcatalog",
    ),
    Collection(
        name="products",
        entity="ProductItem",
        path="/procurement/products",
        label="product",
        required=("catalogItem", "billableOption"),
        refs={
            "catalogItem": "catalog",
            "company": "companies",
            "agreement": "agreements",
            "ticket": "tickets",
        },
        datetimes=("cancelledDate", "purchaseDate"),
    ),
    Collection(
        name="opportunities",
        entity="Opportunity",
        path="/sales/opportunities",
        label="opportunity",
        required=("name", "company"),
        refs={
            "company": "companies",
            "contact": "contacts",
            "primarySalesRep": "members",
            "secondarySalesRep": "members",
        },
        callback_type="opportunity",
        datetimes=("expectedCloseDate", "pipelineChangeDate", "dateBecameLead", "closedDate"),
    ),
    Collection(
        name="members",
        entity="Member",
        path="/system/members",
        label="member",
        required=("identifier", "firstName"),
        unique="identifier",
        callback_type="member",
        datetimes=("inactiveDate", "hireDate"),
    ),
    Collection(
        name="callbacks",
        entity="Callback",
        path="/system/callbacks",
        label="callback",
        required=("url", "objectId", "type", "level"),
    ),
    Collection(
        name="ticketNotes",
        entity="ServiceNote",
        path="/service/tickets/{parent}/notes",
        label="serviceNote",
        parent="tickets",
        parent_field="ticketId",
        parent_as_id=True,
        required=("text",),
        refs={"member": "members", "contact": "contacts"},
    ),
    Collection(
        name="projectTickets",
        entity="ProjectTicket",
        path="/project/tickets",
        label="ticket",
        required=("summary", "phase"),
        refs={
            "company": "companies",
            "contact": "contacts",
            "board": "boards",
            "priority": "priorities",
            "agreement": "agreements",
            "owner": "members",
            "project": "projects",
        },
        callback_type="ticket",
        datetimes=("requiredDate", "estimatedStartDate", "scheduleStartDate", "scheduleEndDate"),
        sequence="tickets",
        not_found="Project Ticket",
    ),
    Collection(
        name="projectTicketNotes",
        entity="ServiceNote",
        path="/project/tickets/{parent}/notes",
        label="serviceNote",
        parent="projectTickets",
        parent_field="ticketId",
        parent_as_id=True,
        required=("text",),
        refs={"member": "members", "contact": "contacts"},
    ),
    Collection(
        name="phases",
        entity="ProjectPhase",
        path="/project/projects/{parent}/phases",
        label="projectPhase",
        parent="projects",
        parent_field="projectId",
        parent_as_id=True,
        required=("description",),
        refs={"agreement": "agreements", "board": "boards"},
        datetimes=("deadlineDate", "billingStartDate"),
    ),
    Collection(
        name="ticketTime",
        entity="TimeEntryReference",
        path="/service/tickets/{parent}/timeentries",
        label="timeEntry",
        parent="tickets",
        view=True,
    ),
    Collection(
        name="projectTicketTime",
        entity="TimeEntryReference",
        path="/project/tickets/{parent}/timeentries",
        label="timeEntry",
        parent="projectTickets",
        view=True,
    ),
)
