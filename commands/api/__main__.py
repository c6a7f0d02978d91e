"""`python -m commands.api`: serve the command API."""

import uvicorn

from commands.api.app import create_app
from infra.logs import configure_logging
from infra.settings import get_settings


def main() -> None:
    settings = get_settings()
    configure_logging("command-api")
    uvicorn.run(create_app(settings), host="127.0.0.1", port=settings.command_api_port,
                log_config=None, access_log=False)


if __name__ == "__main__":
    main()
