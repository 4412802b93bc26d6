"""Pieces of a case file shared by the registry path (facts.build_case) and the synthetic
province's templates; free of Django, so the Parquet-only generator can use them."""

from __future__ import annotations

from typing import Any


def place_facts(subject: str, p: Any) -> dict[str, Any]:
    """A place of the case file, from a registry place (or anything with its attributes)."""
    place = {
        "id": subject,
        "name": p.name,
        "categories": list(p.categories),
        "public_area": p.public_area,
        "anti_terror_target": p.anti_terror_target,
        "police_key_place": p.police_key_place,
        "new_construction": p.new_construction,
    }
    if p.central_urban is not None:
        place["central_urban"] = p.central_urban
    return place
