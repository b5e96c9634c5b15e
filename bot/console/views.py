"""The staff console's pages (Sanic blueprint under /console): server-rendered, escaped, audited.

Every page needs a session; every form post needs the session's CSRF token; every query is limited
to the staff member's clinic, and a conversation of another clinic is "not found", never "forbidden"
(so ids cannot be probed). Visitor text reaches pages and downloads only through reveals.Reader:
masked, unless the staff member holds a live reveal of that conversation. The pages themselves are in
the routes_* modules; this one assembles them.
"""

from __future__ import annotations

from sanic import Blueprint

from bot.console import (
    routes_admin,
    routes_auth,
    routes_conversations,
    routes_dashboard,
    routes_export,
    routes_inbox,
    routes_queue,
    routes_reveals,
    routes_verdicts,
)
from bot.console.access import login_guard
from bot.console.db import session_factory


def console_blueprint(db_url: str = "") -> Blueprint:
    # One blueprint named "console", so every endpoint keeps its name (console.<handler>).
    bp = Blueprint("console", url_prefix="/console")
    sessions = session_factory(db_url)
    login_required = login_guard(sessions)
    routes_auth.register(bp, sessions, login_required)
    routes_conversations.register(bp, login_required)
    routes_export.register(bp, login_required)
    routes_dashboard.register(bp, login_required)
    routes_admin.register(bp, login_required)
    routes_queue.register(bp, login_required)
    routes_verdicts.register(bp, login_required)
    routes_inbox.register(bp, login_required)
    routes_reveals.register(bp, login_required)
    return bp
