"""Concurrent command load through the real HTTP API, recording what was acknowledged."""

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import httpx

from tests.commands.factories import product_body


@dataclass
class Acknowledged:
    created: dict[str, str] = field(default_factory=dict)  # idempotency key -> product id
    pending: dict[str, str] = field(default_factory=dict)  # key -> command id (202)
    failed: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def count(self) -> int:
        return len(self.created) + len(self.pending)


def create_products(base_url: str, keys: list[str], workers: int = 8,
                    after_each: Callable[[Acknowledged], None] | None = None) -> Acknowledged:
    done = Acknowledged()

    def one(key: str, client: httpx.Client) -> None:
        try:
            response = client.post("/api/products", json=product_body(name=f"Product {key}"),
                                   headers={"Idempotency-Key": key})
        except httpx.HTTPError as error:
            with done.lock:
                done.failed.append(f"{key}: {error}")
            return
        with done.lock:
            if response.status_code in (200, 201):
                done.created[key] = response.json()["productId"]
            elif response.status_code == 202:
                done.pending[key] = response.json()["commandId"]
            else:
                done.failed.append(f"{key}: {response.status_code} {response.text}")
        if after_each is not None:
            after_each(done)

    clients = [httpx.Client(base_url=base_url, timeout=60) for _ in range(workers)]
    try:
        with ThreadPoolExecutor(workers) as pool:
            for index, key in enumerate(keys):
                pool.submit(one, key, clients[index % workers])
    finally:
        for client in clients:
            client.close()
    return done
