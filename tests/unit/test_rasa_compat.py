"""The patches in bot/rasa_compat.py that are not covered elsewhere: the action endpoint's kept session."""

import asyncio

from aiohttp import web
from rasa.utils.endpoints import EndpointConfig

from bot import rasa_compat  # noqa: F401  (applies the patches)


def test_an_endpoint_keeps_one_open_session_per_event_loop():
    endpoint = EndpointConfig("http://127.0.0.1:1/webhook")

    async def twice():
        async with endpoint.session() as first:
            pass
        async with endpoint.session() as second:
            pass
        return first, second

    first, second = asyncio.run(twice())
    assert first is second and not first.closed  # `async with` no longer closes it
    other, _ = asyncio.run(twice())
    assert other is not first  # a new event loop gets its own


def test_requests_through_the_kept_session_reuse_one_connection():
    peers = []

    async def handler(request):
        peers.append(request.transport.get_extra_info("peername"))
        return web.json_response({"ok": True})

    async def scenario():
        app = web.Application()
        app.router.add_post("/webhook", handler)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]
        endpoint = EndpointConfig(f"http://127.0.0.1:{port}/webhook")
        answers = [await endpoint.request(json={"n": n}) for n in range(3)]
        await runner.cleanup()
        return answers

    answers = asyncio.run(scenario())
    assert answers == [{"ok": True}] * 3
    assert len(set(peers)) == 1  # one client port: the connection was kept, not opened three times
