"""Field names of each ConnectWise entity, kept in ``_fields.json`` (from the 2025.16 objects schema), for ``conditions`` checks.

Nested collections the objects schema lacks (ticket notes, project phases) and project tickets take their
fields from the models ConnectWise's OpenAPI document generates (ai-connor/connectwise, the OpenAPI
Generator output of "Connectwise Manage Public Endpoints" 2025.1: ``ServiceNote``, ``ProjectPhase``,
``ProjectTicket``).
"""

from __future__ import annotations

import json
from pathlib import Path

__all__ = ["ENTITY_FIELDS"]

ENTITY_FIELDS: dict[str, frozenset[str]] = {
    name: frozenset(fields)
    for name, fields in json.loads(
        (Path(__file__).with_name("_fields.json")).read_text(encoding="utf-8")
    ).items()
}
"""Entity name -> the field names its records carry (``conditions`` and ``fields=`` are checked against them)."""
