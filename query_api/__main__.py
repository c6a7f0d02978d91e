"""`python -m query_api`: serve the query API on 127.0.0.1:SHOP_QUERY_API_PORT (8001)."""

import uvicorn

from infra.logs import configure_logging
from infra.settings import get_settings
from query_api.app import create_app


def main() -> None:
    settings = get_settings()
    configure_logging("query-api")
    uvicorn.run(create_app(settings), host="127.0.0.1", port=settings.query_api_port,
                log_config=None, access_log=False)


if __name__ == "__main__":
    main()
