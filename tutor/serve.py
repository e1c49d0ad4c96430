"""`aisec serve`: the TUI in a web browser, through textual-serve.

Each browser session starts ``python -m tutor tui`` as a subprocess on this
machine, so serving means running learners' code here: loopback by default.
The page textual-serve renders would also load a font from Google's servers;
we strip that link so that opening the course sends nothing to third parties.
"""

from __future__ import annotations

import re
from typing import Any

from aiohttp import web
from textual_serve.server import Server

# <link rel="stylesheet" href="https://fonts.googleapis.com/..."/> (spread over lines)
THIRD_PARTY_FONT = re.compile(r"<link\b[^>]*fonts\.googleapis\.com[^>]*>", re.S)


@web.middleware
async def _local_only(request: web.Request, handler: Any) -> web.StreamResponse:
    response = await handler(request)
    if isinstance(response, web.Response) and response.content_type == "text/html":
        response.text = THIRD_PARTY_FONT.sub("", response.text or "")
        response.headers["Referrer-Policy"] = "no-referrer"
    return response


class LocalServer(Server):
    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(_local_only)
        return app


def serve(command: str, host: str, port: int) -> None:
    LocalServer(command, host=host, port=port, title="aisec-tutor").serve()
