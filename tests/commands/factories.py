"""Small builders of valid requests."""

import uuid
from typing import Any


def product_body(**overrides: Any) -> dict[str, Any]:
    return {"name": "Running Shoes", "description": "Light trail runners", "category": "shoes",
            "price": "89.90", **overrides}


def unique_key() -> str:
    return uuid.uuid4().hex
