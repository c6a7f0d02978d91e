"""The command API: validates requests, sends commands, answers with their outcome."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from prometheus_client import make_asgi_app

from commands.api.bus import CommandBus
from commands.api.errors import BodySizeLimit, install_error_handlers
from commands.api.replies import ReplyListener
from commands.api.routes import commands, products
from commands.settings import CommandApiSettings
from infra.bootstrap import build_codec
from infra.logs import configure_logging
from infra.settings import Settings, get_settings


def create_app(settings: Settings | None = None, api_settings: CommandApiSettings | None = None) -> FastAPI:
    settings = settings or get_settings()
    api_settings = api_settings or CommandApiSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        replies = ReplyListener(settings.kafka_bootstrap, api_settings.replies_lookback_seconds,
                                topic_prefix=settings.topic_prefix)
        replies.start()
        bus = CommandBus(settings.kafka_bootstrap, build_codec(settings), replies,
                         api_settings.reply_timeout_seconds, settings.topic_prefix)
        bus.start()
        app.state.replies, app.state.bus = replies, bus
        try:
            yield
        finally:
            bus.close()
            replies.stop()

    app = FastAPI(title="shop command API", lifespan=lifespan)
    install_error_handlers(app)
    app.include_router(products.router)
    app.include_router(commands.router)
    app.mount("/metrics", make_asgi_app())

    @app.get("/health", include_in_schema=False)
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    app.add_middleware(BodySizeLimit, max_bytes=api_settings.max_body_bytes)
    return app


def create_logged_app() -> FastAPI:
    """The app as a server process runs it, with its JSON logs (also in worker processes)."""
    configure_logging("command-api")
    return create_app()
