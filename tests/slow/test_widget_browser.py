"""The widget in a real browser (Debian's Chromium driven by Playwright) against the real servers."""

import asyncio
import concurrent.futures
import re
import urllib.request

import pytest

from bot import PROJECT_ROOT

pytestmark = pytest.mark.slow
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture()
def page(browser, live_stack):
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto(f"http://127.0.0.1:{live_stack.web_port}/")
    yield page
    context.close()


def bot_messages(page):
    return page.locator("#screening-widget-host .msg.bot")


def wait_for_bot_text(page, pattern, timeout=30000):
    page.locator("#screening-widget-host .msg.bot", has_text=re.compile(pattern)).last.wait_for(
        timeout=timeout
    )


def click_reply(page, title):
    page.locator("#screening-widget-host .replies button:not([disabled])", has_text=title).first.click()


def open_widget(page, greeting="may I keep your answers"):
    """Open the widget with the page's first "Check if it suits you" button; wait for its greeting."""
    page.get_by_role("button", name="Check if it suits you").first.click()
    wait_for_bot_text(page, greeting)


def type_message(page, text):
    composer = page.locator("#screening-widget-host #chat-input")
    composer.fill(text)
    composer.press("Enter")


def type_answers(page, answers):
    """Type each answer and wait for the bot's next question: (text, pattern of the question) pairs."""
    for text, next_question in answers:
        type_message(page, text)
        wait_for_bot_text(page, next_question)


def test_keyboard_only_full_screening_by_buttons_ends_with_a_result_card(page):
    # Tab from the top of the page to the first "Check if it suits you" button and open with Enter.
    for _ in range(6):
        page.keyboard.press("Tab")
        if page.evaluate(
            "document.activeElement && document.activeElement.hasAttribute('data-open-screening')"
        ):
            break
    page.keyboard.press("Enter")
    focused = page.evaluate("document.querySelector('#screening-widget-host').shadowRoot.activeElement.id")
    assert focused == "chat-input"
    wait_for_bot_text(page, "may I keep your answers")
    # Keyboard through the quick replies: Shift+Tab walks back from the input to the buttons.
    active_text = "document.querySelector('#screening-widget-host').shadowRoot.activeElement.textContent"
    for _ in range(4):
        page.keyboard.press("Shift+Tab")
        if page.evaluate(active_text) == "Yes, that's fine":
            break
    assert page.evaluate(active_text) == "Yes, that's fine"
    page.keyboard.press("Enter")
    wait_for_bot_text(page, "describe your skin")
    for title, next_question in [
        ("Normal", "apply to you"),
        ("None of these", "cosmetic treatments"),
        ("No, none", "lifestyle"),
        ("None of these", "most like help"),
        ("A healthy glow", "Is that right"),
    ]:
        click_reply(page, title)
        wait_for_bot_text(page, next_question)
    click_reply(page, "Yes, that's right")
    card = page.locator("#screening-widget-host .result")
    card.wait_for(timeout=30000)
    assert "Likely suitable" in card.inner_text()
    assert card.locator("a.book").get_attribute("href").startswith("https://")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "desktop-result.png"))
    page.keyboard.press("Escape")
    assert (
        page.evaluate("document.querySelector('#screening-widget-host').shadowRoot.activeElement.className")
        == "launcher"
    )
    assert not page.errors
    assert "having trouble" not in page.locator("#screening-widget-host .log").inner_text()


def test_typed_screening_survives_a_reload_mid_way(page):
    open_widget(page)
    type_answers(
        page,
        [
            ("yes", "describe your skin"),
            ("oily, gets shiny by lunch", "apply to you"),
            ("I'm not pregnant and I take warfarin", "cosmetic treatments"),
        ],
    )
    page.reload()
    # The panel reopens with the conversation so far, and the same session carries on.
    wait_for_bot_text(page, "cosmetic treatments")
    type_answers(
        page, [("none", "lifestyle"), ("I smoke", "most like help"), ("my wrinkles", "Is that right")]
    )
    summary = bot_messages(page).last.inner_text()
    assert "blood thinners" in summary and "oily" in summary and "pregnan" not in summary
    click_reply(page, "Yes, that's right")
    card = page.locator("#screening-widget-host .result")
    card.wait_for(timeout=30000)
    assert "Check with your doctor first" in card.inner_text()
    assert "Smoking may limit results" in card.inner_text()
    # A copy for the practitioner, built in the browser from what the chat showed.
    with page.expect_download() as download:
        card.get_by_role("button", name="Save a copy for your consultation").click()
    summary = open(download.value.path(), encoding="utf-8").read()
    assert "Skin type: oily" in summary and "Blood thinners" in summary
    assert "Check with your doctor first" in summary and "not a medical assessment" in summary


def test_markup_in_bot_text_is_shown_as_text(browser, live_stack):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(f"http://127.0.0.1:{live_stack.web_port}/?clinic=hostile")
    open_widget(page, "onerror")
    greeting = bot_messages(page).first
    assert "<script>" in greeting.inner_text() and "<img" in greeting.inner_text()
    assert greeting.locator("img, script").count() == 0
    assert page.evaluate("window.__pwned === undefined")
    context.close()


def test_phone_and_desktop_layouts_are_saved_as_artifacts(browser, live_stack):
    ARTIFACTS.mkdir(exist_ok=True)
    for name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        context = browser.new_context(viewport=viewport, is_mobile=name == "phone")
        page = context.new_page()
        page.goto(f"http://127.0.0.1:{live_stack.web_port}/")
        page.screenshot(path=str(ARTIFACTS / f"{name}-page.png"))
        open_widget(page)
        click_reply(page, "Yes, that's fine")
        wait_for_bot_text(page, "describe your skin")
        page.screenshot(path=str(ARTIFACTS / f"{name}-widget.png"))
        box = page.locator("#screening-widget-host .panel").bounding_box()
        if name == "phone":
            assert box["width"] == viewport["width"]  # full screen on a phone
        else:
            assert box["width"] < 500  # a panel on a desktop
        context.close()
    assert (ARTIFACTS / "phone-widget.png").stat().st_size > 10_000


def test_widget_script_is_small_and_served_gzipped(live_stack):
    request = urllib.request.Request(
        f"http://127.0.0.1:{live_stack.web_port}/widget.js", headers={"Accept-Encoding": "gzip"}
    )
    with urllib.request.urlopen(request) as response:
        assert response.headers["Content-Encoding"] == "gzip"
        assert len(response.read()) < 40 * 1024


# ---- the socket.io channel itself, with a Python client
def socket_exchange(port, origin, messages, wait_for, headers=None):
    import socketio

    async def run():
        received, confirmed = [], asyncio.Event()
        done = asyncio.Event()
        client = socketio.AsyncClient(reconnection=False)
        state = {}

        @client.on("session_confirm")
        async def on_confirm(session_id):
            state["session"] = session_id
            confirmed.set()

        @client.on("bot_uttered")
        async def on_bot(message):
            received.append(message)
            if wait_for(received):
                done.set()

        await client.connect(
            f"http://127.0.0.1:{port}", headers={"Origin": origin, **(headers or {})}, transports=["polling"]
        )
        await client.emit("session_request", {"session_id": None})
        await asyncio.wait_for(confirmed.wait(), 10)
        for text in messages:
            await client.emit(
                "user_uttered",
                {"message": text, "session_id": state["session"], "metadata": {"clinic": "demo"}},
            )
        await asyncio.wait_for(done.wait(), 30)
        await client.disconnect()
        return received

    # Playwright's sync API owns this thread's event loop: run the client in a thread of its own.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, run()).result()


def test_socket_channel_delivers_replies_and_custom_payloads(live_stack):
    origin = f"http://127.0.0.1:{live_stack.web_port}"
    received = socket_exchange(
        live_stack.rasa_port,
        origin,
        ["my face is drooping on one side"],
        lambda got: any("custom" in m for m in got),
    )
    custom = [m["custom"] for m in received if "custom" in m][0]
    assert custom["type"] == "screening_result" and custom["outcome"] == "seek_urgent_care"


def test_socket_channel_caps_long_messages(live_stack):
    origin = f"http://127.0.0.1:{live_stack.web_port}"
    received = socket_exchange(live_stack.rasa_port, origin, ["a" * 5000], lambda got: bool(got))
    assert "a bit long" in received[0]["text"]


def test_socket_channel_refuses_other_origins(live_stack):
    import socketio

    with pytest.raises(socketio.exceptions.ConnectionError):
        socket_exchange(live_stack.rasa_port, "https://evil.example", ["hi"], lambda got: bool(got))


def test_the_pages_have_an_icon_not_a_404(live_stack):
    with urllib.request.urlopen(f"http://127.0.0.1:{live_stack.web_port}/favicon.ico") as answer:
        assert answer.status == 200 and answer.headers["Content-Type"] == "image/svg+xml"
        assert answer.read().startswith(b"<svg")
