"""ASGI entry point for uvicorn: `uvicorn scpvn.asgi:application`.

Django answers HTTP as under gunicorn (`wsgi.py`); WebSocket connections are the EPCIS 2.0
query subscriptions (`trace/sockets.py`: GET /epcis/queries/{name}/events with Upgrade),
the one thing a WSGI server cannot hold open. The lifespan messages start nothing up front
(the Redis listener starts with the first socket) and stop it at shutdown.
"""

import os

from django.core.asgi import get_asgi_application

from scpvn.core.startup import freeze_loaded_objects

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scpvn.settings")
django_application = get_asgi_application()

from scpvn.trace import sockets  # noqa: E402 (needs the apps loaded above)

freeze_loaded_objects()


async def _lifespan(receive, send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await sockets.HUB.stop()
            await send({"type": "lifespan.shutdown.complete"})
            return


async def application(scope, receive, send) -> None:
    if scope["type"] == "websocket":
        await sockets.serve(scope, receive, send)
    elif scope["type"] == "lifespan":
        await _lifespan(receive, send)
    else:
        await django_application(scope, receive, send)
