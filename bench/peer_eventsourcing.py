"""The peer: the `eventsourcing` library (PostgreSQL recorder) running our product workload.

Each command is one application method call that saves in one PostgreSQL transaction. The
workload is half creates, half price changes of the products just created (a read of the
aggregate, then a save), first from one thread, then from several, each thread owning its
products. Loading is timed on one aggregate of 10,000 events, with and without a snapshot.
"""

import statistics
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import psycopg
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event
from psycopg import sql
from psycopg.conninfo import make_conninfo

from bench.stats import Latencies

THREADS = 8
LOAD_EVENTS = 10_000
LOAD_REPEATS = 3


class ProductDiscontinuedError(Exception):
    pass


class Product(Aggregate):
    @staticmethod
    def create_id(product_id: str) -> uuid.UUID:
        # The natural key gives the aggregate id, as in the library's parking lot example.
        return uuid.uuid5(uuid.NAMESPACE_URL, f"/products/{product_id}")

    @event("Created")
    def __init__(self, product_id: str, name: str, description: str, category: str,
                 price: Decimal) -> None:
        self.product_id = product_id
        self.name = name
        self.description = description
        self.category = category
        self.price = price
        self.discontinued = False

    def change_price(self, price: Decimal) -> None:
        self._check_changeable()
        if price != self.price:
            self._price_changed(price, self.price)

    @event("PriceChanged")
    def _price_changed(self, price: Decimal, previous_price: Decimal) -> None:
        self.price = price

    def update_details(self, name: str, description: str, category: str) -> None:
        self._check_changeable()
        if (name, description, category) != (self.name, self.description, self.category):
            self._details_updated(name, description, category)

    @event("DetailsUpdated")
    def _details_updated(self, name: str, description: str, category: str) -> None:
        self.name, self.description, self.category = name, description, category

    @event("Discontinued")
    def discontinue(self) -> None:
        self.discontinued = True

    def _check_changeable(self) -> None:
        if self.discontinued:
            raise ProductDiscontinuedError(self.product_id)


class ProductCatalog(Application[uuid.UUID]):
    # Decimal needs no registration of ours: Application.register_transcodings already
    # registers the library's DecimalAsStr (with UUIDAsHex and DatetimeAsISO).
    is_snapshotting_enabled = True  # a snapshot store; snapshots are taken only on request

    def create_product(self, product_id: str, name: str, description: str, category: str,
                       price: Decimal) -> uuid.UUID:
        product = Product(product_id, name, description, category, price)
        self.save(product)
        return product.id

    def change_price(self, product_id: str, price: Decimal) -> None:
        product: Product = self.repository.get(Product.create_id(product_id))
        product.change_price(price)
        self.save(product)

    def get_product(self, product_id: str) -> Product:
        return self.repository.get(Product.create_id(product_id))


@dataclass(frozen=True)
class PeerResult:
    commands: int
    commands_per_second: float
    commands_per_second_concurrent: float
    p50_ms: float
    p99_ms: float
    load_10k_seconds: float
    load_10k_snapshot_seconds: float


def run_peer_benchmark(dsn_parts: dict[str, str], commands: int = 5000) -> PeerResult:
    """dsn_parts: host, port, user, password and dbname (an existing database to connect to)."""
    admin = {"host": dsn_parts["host"], "port": dsn_parts.get("port", "5432"),
             "user": dsn_parts["user"], "password": dsn_parts["password"],
             "dbname": dsn_parts.get("dbname", "postgres")}
    dbname = f"bench_peer_es_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(make_conninfo(**admin), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))
    try:
        catalog = ProductCatalog(env={
            "PERSISTENCE_MODULE": "eventsourcing.postgres", "POSTGRES_DBNAME": dbname,
            "POSTGRES_HOST": admin["host"], "POSTGRES_PORT": admin["port"],
            "POSTGRES_USER": admin["user"], "POSTGRES_PASSWORD": admin["password"],
            "POSTGRES_POOL_SIZE": str(THREADS), "POSTGRES_MAX_OVERFLOW": "0",
            "CREATE_TABLE": "y",
        })
        try:
            return _measure(catalog, commands)
        finally:
            catalog.close()
    finally:
        with psycopg.connect(make_conninfo(**admin), autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(dbname)))


def _measure(catalog: ProductCatalog, commands: int) -> PeerResult:
    sequential = _workload(catalog, "seq", commands)
    seconds: list[float] = []
    started = time.perf_counter()
    for command in sequential:
        began = time.perf_counter()
        command()
        seconds.append(time.perf_counter() - began)
    sequential_rate = len(sequential) / (time.perf_counter() - started)

    # Each thread gets whole products (creates before price changes) so none is shared.
    shares = [_workload(catalog, f"conc{t}", commands // THREADS) for t in range(THREADS)]
    started = time.perf_counter()
    with ThreadPoolExecutor(THREADS) as pool:
        for future in [pool.submit(_run_all, share) for share in shares]:
            future.result()
    concurrent_rate = sum(map(len, shares)) / (time.perf_counter() - started)

    product_id = _build_long_history(catalog)
    load = _median_seconds(lambda: catalog.get_product(product_id), LOAD_REPEATS)
    catalog.take_snapshot(Product.create_id(product_id))
    load_snapshot = _median_seconds(lambda: catalog.get_product(product_id), LOAD_REPEATS)
    latencies = Latencies(seconds)
    return PeerResult(len(sequential), sequential_rate, concurrent_rate, latencies.p50_ms,
                      latencies.p99_ms, load, load_snapshot)


def _workload(catalog: ProductCatalog, tag: str, commands: int) -> list[Callable[[], Any]]:
    ids = [f"{tag}-{n}" for n in range(commands // 2)]
    creates = [_bind(catalog.create_product, i, f"Product {i}", "A product for the benchmark",
                     "category-1", Decimal("19.90")) for i in ids]
    changes = [_bind(catalog.change_price, i, Decimal("17.50")) for i in ids]
    return creates + changes


def _bind(method: Callable[..., Any], *args: Any) -> Callable[[], Any]:
    return lambda: method(*args)


def _run_all(share: list[Callable[[], Any]]) -> None:
    for command in share:
        command()


def _build_long_history(catalog: ProductCatalog) -> str:
    """One product with LOAD_EVENTS events, saved in one transaction (the library saves all
    pending events of an aggregate at once)."""
    product = Product("long-history", "Long history", "Many price changes", "category-1",
                      Decimal("1.00"))
    for n in range(1, LOAD_EVENTS):
        product.change_price(Decimal(n) + Decimal("1.01"))
    catalog.save(product)
    assert catalog.get_product("long-history").version == LOAD_EVENTS
    return "long-history"


def _median_seconds(load: Callable[[], Any], repeats: int) -> float:
    timings = []
    for _ in range(repeats):
        began = time.perf_counter()
        load()
        timings.append(time.perf_counter() - began)
    return statistics.median(timings)


if __name__ == "__main__":
    parts = {"host": "127.0.0.1", "port": "5432", "user": "shop", "password": "shop", "dbname": "shop"}
    began_run = time.perf_counter()
    print(run_peer_benchmark(parts, commands=2000))
    print(f"run took {time.perf_counter() - began_run:.1f}s")
