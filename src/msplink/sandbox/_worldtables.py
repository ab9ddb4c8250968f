"""The setup tables every seeded world shares: the MSP's people, billing terms, tax codes, catalog,
work types, agreement types, priorities, ticket statuses, and the words its customers' names are made of.

The ``mapped`` flags say what the world's mapping config covers; the rest is deliberately unmapped.
"""

from __future__ import annotations

from decimal import Decimal

import attrs

__all__ = [
    "ACCOUNT_MANAGERS",
    "AGREEMENT_TYPES",
    "BILLING_TERMS",
    "CATALOG",
    "CATALOG_BY_SKU",
    "CITIES",
    "CW",
    "CYCLES",
    "CYCLE_MONTHS",
    "CYCLE_ROTATION",
    "FIRST_NAMES",
    "INDUSTRY_WORDS",
    "ISSUES",
    "LAST_NAMES",
    "MEMBERS",
    "PLACES",
    "PRIORITIES",
    "PRODUCT_CLASSES",
    "QBO",
    "SF",
    "STREETS",
    "SUFFIXES",
    "SYSTEMS",
    "TAILS",
    "TAX_CODES",
    "TECHNICIANS",
    "TICKET_STATUSES",
    "TITLES",
    "TRADES",
    "WORK_TYPES",
    "CatalogEntry",
    "Member",
]

CW, QBO, SF = "connectwise", "quickbooks", "salesforce"
SYSTEMS = (CW, QBO, SF)


@attrs.frozen
class Member:
    """A person at the MSP: a CW member, possibly an SF user and a QBO employee."""

    identifier: str
    first: str
    last: str
    title: str
    in_cw: bool = True
    sf_user: bool = False
    qbo_employee: bool = False


MEMBERS: tuple[Member, ...] = (
    Member("amorgan", "Alex", "Morgan", "Account Manager", sf_user=True),
    Member("bchen", "Bea", "Chen", "Account Manager", sf_user=True),
    Member("cdiaz", "Carlos", "Díaz", "Service Technician", qbo_employee=True),
    Member("dpatel", "Devi", "Patel", "Service Technician", qbo_employee=True),
    Member("eokafor", "Emeka", "Okafor", "Senior Engineer", qbo_employee=True),
    Member("fnovak", "Fiona", "Novak", "Service Technician"),  # no QBO employee: deliberately unmapped
    Member("gsilva", "Gabriel", "Silva", "Sales Development Rep", in_cw=False, sf_user=True),  # SF only
)
ACCOUNT_MANAGERS = ("amorgan", "bchen")
TECHNICIANS = ("cdiaz", "dpatel", "eokafor", "fnovak")

BILLING_TERMS: tuple[tuple[str, int, str | None], ...] = (
    ("Net 30 days", 30, "Net 30"),
    ("Net 15 days", 15, "Net 15"),
    ("Due on receipt", 0, "Due on receipt"),
    ("Net 45 days", 45, None),  # no QBO term: deliberately unmapped
)
"""CW billing terms: name, due days, the QBO term it maps to."""

TAX_CODES: tuple[tuple[str, str, Decimal, str | None], ...] = (
    ("TAX", "Sales tax", Decimal("8.25"), "TAX"),
    ("NONTAX", "Non-taxable", Decimal("0"), "NON"),
    ("OOS", "Out of state", Decimal("0"), None),  # deliberately unmapped
)
"""CW tax codes: identifier, description, rate, the QBO tax code it maps to."""


@attrs.frozen
class CatalogEntry:
    """A CW catalog item and whether the admin mapped it to its own QBO item."""

    sku: str
    description: str
    product_class: str
    price: Decimal
    cost: Decimal
    recurring: bool
    mapped: bool


CATALOG: tuple[CatalogEntry, ...] = (
    CatalogEntry(
        "MS-DEVICE", "Managed services - per device", "Agreement", Decimal("45.00"), Decimal("0"), True, True
    ),
    CatalogEntry(
        "MS-USER", "Managed services - per user", "Agreement", Decimal("95.00"), Decimal("0"), True, True
    ),
    CatalogEntry(
        "M365-BP",
        "Microsoft 365 Business Premium",
        "Agreement",
        Decimal("22.00"),
        Decimal("17.60"),
        True,
        True,
    ),
    CatalogEntry(
        "BACKUP-TB", "Cloud backup per TB", "Agreement", Decimal("29.50"), Decimal("12.00"), True, True
    ),
    CatalogEntry(
        "EDR-AGENT", "Endpoint detection agent", "Agreement", Decimal("6.50"), Decimal("3.10"), True, True
    ),
    CatalogEntry(
        "FW-SUB", "Firewall subscription", "Agreement", Decimal("39.99"), Decimal("20.00"), True, False
    ),
    CatalogEntry(
        "LAPTOP-STD", "Business laptop", "NonInventory", Decimal("1249.00"), Decimal("980.00"), False, True
    ),
    CatalogEntry(
        "SWITCH-24",
        "24-port managed switch",
        "NonInventory",
        Decimal("649.00"),
        Decimal("455.00"),
        False,
        True,
    ),
    CatalogEntry(
        "DOCK-USBC", "USB-C dock", "NonInventory", Decimal("189.00"), Decimal("120.00"), False, False
    ),
    CatalogEntry("ONSITE-HR", "Onsite support hour", "Service", Decimal("150.00"), Decimal("0"), False, True),
    CatalogEntry(
        "PROJECT-HR", "Project labour hour", "Service", Decimal("135.00"), Decimal("0"), False, True
    ),
    CatalogEntry(
        "SETUP-KIT", "New-hire setup kit", "Bundle", Decimal("299.00"), Decimal("150.00"), False, False
    ),
)
"""The catalog. Unmapped SKUs fall back to their product class's item; class ``Bundle`` is unmapped too
(it falls back to ``default_item``)."""
CATALOG_BY_SKU = {c.sku: c for c in CATALOG}
PRODUCT_CLASSES = ("Agreement", "Service", "NonInventory")
"""Product classes mapped to QBO items and accounts (``Bundle`` deliberately is not)."""

WORK_TYPES: tuple[tuple[str, Decimal, bool], ...] = (
    ("Remote Support", Decimal("125.00"), True),
    ("Onsite Support", Decimal("150.00"), True),
    ("Project Work", Decimal("135.00"), True),
    ("Admin", Decimal("0.00"), False),  # non-billable, no QBO item: deliberately unmapped
)
"""CW work types: name, hourly rate, whether a QBO service item is mapped."""

CYCLES = ("Monthly", "Quarterly", "Yearly", "One-Time")
CYCLE_ROTATION = ("Monthly", "Quarterly", "Monthly", "Yearly", "Monthly", "One-Time", "Monthly", "Monthly")
CYCLE_MONTHS = {"Monthly": 1, "Quarterly": 3, "Yearly": 12, "One-Time": 1}
AGREEMENT_TYPES = ("Managed Services", "Backup", "Security", "Project")
PRIORITIES = ("Priority 1 - Emergency", "Priority 2 - High", "Priority 3 - Medium", "Priority 4 - Low")
TICKET_STATUSES = ("New", "In Progress", "Waiting on Client", "Escalated", "Closed")

PLACES = (
    "Harbor", "Summit", "Cedar", "Maple", "Granite", "Pioneer", "Beacon", "Willow", "Sterling", "Lakeside",
    "Riverbend", "Oakridge", "Bluebird", "Redwood", "Silverline", "Northgate", "Eastside", "Westfield",
    "Southport", "Hilltop", "Brookside", "Clearwater", "Stonebridge", "Highland", "Meadowbrook", "Ironwood",
    "Fairview", "Kingsley", "Prairie", "Coastal", "Evergreen", "Sunrise", "Timberline", "Copper", "Aspen",
    "Crescent", "Liberty", "Heritage", "Union", "Franklin", "Madison", "Lincoln", "Hamilton", "Clayton",
    "Bayview", "Seaside", "Parkway", "Pinecrest", "Old Town", "Mission", "Canyon", "Valley", "Metro",
    "Capital", "Keystone", "Frontier", "Atlas", "O'Malley", "St. Mary's", "Blue Ridge",
)  # fmt: skip
TRADES = (
    "Dental", "Dental Group", "Family Medicine", "Veterinary Clinic", "Law Group", "Legal", "Accounting",
    "CPA", "Realty", "Property Management", "Insurance", "Financial", "Logistics", "Freight",
    "Manufacturing", "Machine Works", "Construction", "Builders", "Roofing", "Plumbing", "Electric",
    "Heating & Air", "Auto Repair", "Motors", "Foods", "Bakery", "Brewing", "Coffee", "Hotel", "Fitness",
    "Physical Therapy", "Chiropractic", "Pharmacy", "Optometry", "Architects", "Engineering", "Design",
    "Marketing", "Printing", "Academy", "Landscaping", "Storage", "Farms", "Sales & Service",
    "Tax & Bookkeeping", "Bed & Breakfast", "Arts and Crafts", "Surveying",
)  # fmt: skip
TAILS = ("Partners", "Associates", "Group", "Services", "Solutions", "Center", "Studio", "Works")
SUFFIXES = ("Inc.", "LLC", "Ltd", "", "Corp.", "LLC", "Inc.")
INDUSTRY_WORDS = {
    "Dental": "Healthcare", "Medicine": "Healthcare", "Clinic": "Healthcare", "Therapy": "Healthcare",
    "Chiropractic": "Healthcare", "Pharmacy": "Healthcare", "Optometry": "Healthcare", "Law": "Finance",
    "Legal": "Finance", "Accounting": "Finance", "CPA": "Finance", "Insurance": "Finance",
    "Financial": "Finance", "Tax": "Finance", "Manufacturing": "Manufacturing", "Machine": "Manufacturing",
    "Construction": "Construction", "Builders": "Construction", "Roofing": "Construction",
    "Plumbing": "Construction", "Electric": "Construction", "Heating": "Construction",
    "Academy": "Education", "Farms": "Agriculture", "Engineering": "Technology", "Design": "Technology",
}  # fmt: skip
FIRST_NAMES = (
    "Ann", "Ben", "Chloé", "Dev", "Eva", "Farid", "Grace", "Hiro", "Ines", "Jon", "Kai", "Lena", "Mo",
    "Noor", "Olga", "Paul", "Quinn", "Rosa", "Sam", "Tara", "Uma", "Victor", "Wen", "Yusuf", "Zoe",
)  # fmt: skip
LAST_NAMES = (
    "Smith", "Nguyen", "García", "Okafor", "Müller", "Kowalski", "O'Brien", "Patel", "Rossi", "Tanaka",
    "Johnson", "Lee", "Brown", "Khan", "Silva", "Cohen", "Ivanova", "Dubois", "Larsen", "Murphy",
)  # fmt: skip
TITLES = ("Office Manager", "Owner", "Practice Manager", "Controller", "IT Coordinator", "CFO", "Director")
CITIES = (
    ("Austin", "TX", "787"), ("Denver", "CO", "802"), ("Boston", "MA", "021"), ("Seattle", "WA", "981"),
    ("Chicago", "IL", "606"), ("Atlanta", "GA", "303"), ("Phoenix", "AZ", "850"), ("Portland", "OR", "972"),
)  # fmt: skip
STREETS = ("Main St", "Oak Ave", "Market St", "2nd St", "Park Blvd", "Elm St", "Lake Dr", "Commerce Way")
ISSUES = (
    "Printer offline", "VPN drops every hour", "New hire laptop setup", "Mailbox over quota",
    "Server disk almost full", "Firewall firmware update", "Backup job failed", "Wi-Fi dead zone upstairs",
    "Phishing e-mail reported", "Shared drive permissions", "Line-of-business app crashes", "Ransomware alert",
)  # fmt: skip
