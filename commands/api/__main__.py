"""`python -m commands.api`: serve the command API (SHOP_COMMAND_API_WORKERS processes)."""

import uvicorn

from commands.settings import CommandApiSettings
from infra.logs import configure_logging
from infra.settings import get_settings


def main() -> None:
    settings = get_settings()
    configure_logging("command-api")
    # Worker processes build the app themselves through the factory: each has its own
    # producer and reply reader, and a request never waits on another worker's GIL.
    uvicorn.run("commands.api.app:create_logged_app", factory=True, host="127.0.0.1",
                port=settings.command_api_port, workers=CommandApiSettings().workers,
                log_config=None, access_log=False)


if __name__ == "__main__":
    main()
