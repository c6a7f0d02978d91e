"""A small demo catalog, loaded through the real command API (so it is in the log)."""

import httpx

DEMO_PRODUCTS = [
    ("Running Shoes", "Light trail runners with a grippy sole", "shoes", "89.90"),
    ("Leather Boots", "Waterproof winter boots", "shoes", "149.00"),
    ("Wool Socks", "Merino socks, pack of three", "clothing", "19.50"),
    ("Cotton T-Shirt", "Plain tee, organic cotton", "clothing", "15.00"),
    ("Rain Jacket", "Packable shell with taped seams", "clothing", "120.00"),
    ("Espresso Cup", "Porcelain, 80 ml", "kitchen", "7.25"),
    ("Chef Knife", "20 cm, stainless steel", "kitchen", "64.00"),
    ("Yoga Mat", "Non-slip, 6 mm", "sports", "35.00"),
    ("Water Bottle", "Insulated, 750 ml", "sports", "24.90"),
    ("Desk Lamp", "LED, dimmable", "home", "42.00"),
]


def load_demo_catalog(command_api: str) -> str:
    created = 0
    with httpx.Client(base_url=command_api, timeout=30) as client:
        for name, description, category, price in DEMO_PRODUCTS:
            # The Idempotency-Key makes a second `make run` a no-op rather than a duplicate catalog.
            response = client.post(
                "/api/products",
                json={"name": name, "description": description, "category": category, "price": price},
                headers={"Idempotency-Key": f"demo:{name}"},
            )
            response.raise_for_status()
            created += response.status_code == 201
    return f"demo catalog: {created} product(s) created, {len(DEMO_PRODUCTS) - created} already there"
