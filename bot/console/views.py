"""The staff console's pages (Sanic blueprint under /console): server-rendered, escaped, audited.

Every page needs a session; every form post needs the session's CSRF token; every query is limited
to the staff member's clinic, and a conversation of another clinic is "not found", never "forbidden"
(so ids cannot be probed).
"""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
import json
import secrets
from functools import wraps
from pathlib import Path
from typing import Any, Callable, Dict, List

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sanic import Blueprint, response
from sanic.request import Request
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.channels.input_policy import client_address
from bot.console import auth, charts, indexer, queries
from bot.console.db import session_factory
from bot.knowledge import label
from bot.screening.facts import VISITOR_SLOTS
from bot.storage.models import AuditEntry, Conversation, Note, Staff, Tag

HERE = Path(__file__).resolve().parent
TEMPLATES = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]))
TEMPLATES.filters["label"] = lambda value, kind="outcome": label(kind, value) if value else "—"
TEMPLATES.filters["when"] = lambda ts: dt.datetime.fromtimestamp(ts, dt.timezone.utc).strftime(
    "%Y-%m-%d %H:%M"
)
COOKIE = "console_session"
LOGIN_CSRF_COOKIE = "console_login_csrf"
HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; "
    "script-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
}
EXPORT_LIMIT = 100_000


def page(template: str, status: int = 200, **context: Any) -> response.HTTPResponse:
    return response.html(TEMPLATES.get_template(template).render(**context), status=status, headers=HEADERS)


def audit(db: Session, staff: auth.CurrentStaff, action: str, target: str = "", detail: str = "") -> None:
    db.add(
        AuditEntry(
            at=auth.now(),
            actor=staff.email,
            clinic_id=staff.clinic_id,
            action=action,
            target=target[:255],
            detail=detail[:2000],
        )
    )


def console_blueprint(db_url: str = "") -> Blueprint:
    bp = Blueprint("console", url_prefix="/console")
    Sessions = session_factory(db_url)
    throttle = auth.LoginThrottle()

    def set_cookie(resp: response.HTTPResponse, request: Request, name: str, value: str) -> None:
        resp.cookies[name] = value
        attributes = {"httponly": True, "samesite": "Strict", "path": "/console"}
        if request.scheme == "https":
            # Only when true: Sanic 21 writes "Secure=False", which clients read as Secure.
            attributes["secure"] = True
        resp.cookies[name].update(attributes)

    def login_required(admin: bool = False) -> Callable:
        def decorate(handler: Callable) -> Callable:
            @wraps(handler)
            async def wrapper(request: Request, *args: Any, **kwargs: Any):
                with Sessions() as db:
                    staff = auth.current_staff(db, request.cookies.get(COOKIE))
                    db.commit()
                    if staff is None:
                        return response.redirect("/console/login", headers=HEADERS)
                    if admin and not staff.is_admin:
                        return page(
                            "error.html", status=403, staff=staff, message="Only admins can open this page."
                        )
                    if request.method == "POST" and not auth.csrf_ok(
                        staff.csrf_token, request.form.get("csrf")
                    ):
                        return page(
                            "error.html",
                            status=403,
                            staff=staff,
                            message="This form has expired. Go back, reload the page and try again.",
                        )
                    result = await handler(request, db, staff, *args, **kwargs)
                    db.commit()
                    return result

            return wrapper

        return decorate

    def conversation_or_none(db: Session, staff: auth.CurrentStaff, sender_id: str) -> Conversation | None:
        return db.execute(
            select(Conversation).where(
                Conversation.sender_id == sender_id, Conversation.clinic_id == staff.clinic_id
            )
        ).scalar_one_or_none()

    def not_found(staff: auth.CurrentStaff) -> response.HTTPResponse:
        return page("error.html", status=404, staff=staff, message="There is no such conversation.")

    # ---- login / logout
    @bp.get("/login")
    async def login_form(request: Request):
        token = secrets.token_urlsafe(24)
        resp = page("login.html", csrf=token, error=None)
        set_cookie(resp, request, LOGIN_CSRF_COOKIE, token)
        return resp

    @bp.post("/login")
    async def login(request: Request):
        form = request.form
        if not auth.csrf_ok(request.cookies.get(LOGIN_CSRF_COOKIE, ""), form.get("csrf")):
            return page(
                "login.html", status=403, csrf="", error="The form expired. Reload the page and try again."
            )
        email = (form.get("email") or "")[:255]
        address = client_address(request.ip or "", request.headers.get("x-forwarded-for"))
        failed_page = page(
            "login.html",
            status=401,
            csrf=request.cookies.get(LOGIN_CSRF_COOKIE, ""),
            error="Wrong email or password, or the account is locked for a while.",
        )
        if throttle.blocked(address):
            await asyncio.sleep(1.0)
            return failed_page

        def check() -> str | None:
            # argon2 takes tens of milliseconds of CPU: off the event loop that also serves the widget.
            with Sessions() as db:
                staff = auth.authenticate(db, email, form.get("password") or "")
                if staff is None:
                    db.add(
                        AuditEntry(at=auth.now(), actor=email or "?", clinic_id="-", action="login_failed")
                    )
                    db.commit()
                    return None
                token = auth.start_session(db, staff)
                db.add(
                    AuditEntry(at=auth.now(), actor=staff.email, clinic_id=staff.clinic_id, action="login")
                )
                db.commit()
                return token

        token = await asyncio.get_running_loop().run_in_executor(None, check)
        if token is None:
            await asyncio.sleep(throttle.failed(address))
            return failed_page
        throttle.succeeded(address)
        resp = response.redirect("/console", headers=HEADERS)
        set_cookie(resp, request, COOKIE, token)
        del resp.cookies[LOGIN_CSRF_COOKIE]
        return resp

    @bp.post("/logout")
    @login_required()
    async def logout(request: Request, db: Session, staff: auth.CurrentStaff):
        auth.end_session(db, request.cookies.get(COOKIE))
        audit(db, staff, "logout")
        resp = response.redirect("/console/login", headers=HEADERS)
        del resp.cookies[COOKIE]
        return resp

    # ---- the list
    @bp.get("/")
    @login_required()
    async def conversation_list(request: Request, db: Session, staff: auth.CurrentStaff):
        filters = queries.Filters.from_args(request.args)
        rows, total = queries.page_of(db, staff.clinic_id, filters)
        return page(
            "list.html",
            staff=staff,
            rows=rows,
            total=total,
            filters=filters,
            tags=queries.tags_for(db, [r.sender_id for r in rows]),
            outcomes=queries.OUTCOMES,
            pages=(total + queries.PER_PAGE - 1) // queries.PER_PAGE,
        )

    # ---- one conversation
    @bp.get("/c/<sender_id:str>")
    @login_required()
    async def conversation(request: Request, db: Session, staff: auth.CurrentStaff, sender_id: str):
        row = conversation_or_none(db, staff, sender_id)
        if row is None:
            return not_found(staff)
        events = indexer.load_events(db, sender_id)
        audit(db, staff, "view_transcript", sender_id)
        return page(
            "conversation.html",
            staff=staff,
            row=row,
            transcript=transcript(events),
            summary=screening_summary(events),
            votes=votes(events),
            tags=[t for (t,) in db.execute(select(Tag.tag).where(Tag.sender_id == sender_id))],
            notes=db.execute(select(Note).where(Note.sender_id == sender_id).order_by(Note.id))
            .scalars()
            .all(),
        )

    @bp.post("/c/<sender_id:str>/tag")
    @login_required()
    async def tag(request: Request, db: Session, staff: auth.CurrentStaff, sender_id: str):
        if conversation_or_none(db, staff, sender_id) is None:
            return not_found(staff)
        name = (request.form.get("tag") or "").strip().lower()[:64]
        if request.form.get("remove"):
            db.execute(delete(Tag).where(Tag.sender_id == sender_id, Tag.tag == name))
            audit(db, staff, "untag", sender_id, name)
        elif name and not db.execute(select(Tag).where(Tag.sender_id == sender_id, Tag.tag == name)).first():
            db.add(Tag(sender_id=sender_id, tag=name))
            audit(db, staff, "tag", sender_id, name)
        return response.redirect(f"/console/c/{sender_id}", headers=HEADERS)

    @bp.post("/c/<sender_id:str>/note")
    @login_required()
    async def note(request: Request, db: Session, staff: auth.CurrentStaff, sender_id: str):
        if conversation_or_none(db, staff, sender_id) is None:
            return not_found(staff)
        text = (request.form.get("text") or "").strip()[:4000]
        event_index = request.form.get("event_index")
        if text:
            db.add(
                Note(
                    sender_id=sender_id,
                    author=staff.email,
                    text=text,
                    created_at=auth.now(),
                    event_index=int(event_index) if (event_index or "").isdigit() else None,
                )
            )
            audit(db, staff, "flag_answer" if event_index else "note", sender_id, text[:200])
        return response.redirect(f"/console/c/{sender_id}", headers=HEADERS)

    @bp.post("/c/<sender_id:str>/reviewed")
    @login_required()
    async def reviewed(request: Request, db: Session, staff: auth.CurrentStaff, sender_id: str):
        row = conversation_or_none(db, staff, sender_id)
        if row is None:
            return not_found(staff)
        row.reviewed = request.form.get("reviewed") == "1"
        audit(db, staff, "mark_reviewed" if row.reviewed else "mark_unreviewed", sender_id)
        return response.redirect(f"/console/c/{sender_id}", headers=HEADERS)

    @bp.post("/c/<sender_id:str>/delete")
    @login_required()
    async def delete_conversation(request: Request, db: Session, staff: auth.CurrentStaff, sender_id: str):
        if conversation_or_none(db, staff, sender_id) is None:
            return not_found(staff)
        indexer.forget(db, sender_id)
        audit(db, staff, "delete_conversation", sender_id)
        return response.redirect("/console", headers=HEADERS)

    @bp.get("/c/<sender_id:str>/export.json")
    @login_required()
    async def export_one(request: Request, db: Session, staff: auth.CurrentStaff, sender_id: str):
        if conversation_or_none(db, staff, sender_id) is None:
            return not_found(staff)
        audit(db, staff, "export_transcript", sender_id)
        body = json.dumps({"sender_id": sender_id, "events": indexer.load_events(db, sender_id)}, indent=1)
        return response.raw(
            body.encode(),
            content_type="application/json",
            headers={
                **HEADERS,
                "Content-Disposition": f'attachment; filename="conversation-{sender_id[:40]}.json"',
            },
        )

    # ---- exports of the filtered list
    @bp.get("/export.csv")
    @login_required()
    async def export_csv(request: Request, db: Session, staff: auth.CurrentStaff):
        return export(request, db, staff, "csv")

    @bp.get("/export.json")
    @login_required()
    async def export_json(request: Request, db: Session, staff: auth.CurrentStaff):
        return export(request, db, staff, "json")

    def export(request: Request, db: Session, staff: auth.CurrentStaff, fmt: str) -> response.HTTPResponse:
        filters = queries.Filters.from_args(request.args)
        rows = (
            db.execute(
                queries.filtered(staff.clinic_id, filters)
                .order_by(Conversation.started_at.desc())
                .limit(EXPORT_LIMIT)
            )
            .scalars()
            .all()
        )
        tags = queries.tags_for(db, [r.sender_id for r in rows])
        records = [export_record(r, tags.get(r.sender_id, [])) for r in rows]
        if request.args.get("transcripts") == "1" and fmt == "json":
            for record in records:
                record["events"] = indexer.load_events(db, record["sender_id"])
        audit(db, staff, "export", fmt, json.dumps(filters.as_args()))
        stamp = dt.date.today().isoformat()
        if fmt == "json":
            return response.raw(
                json.dumps(records, indent=1).encode(),
                content_type="application/json",
                headers={
                    **HEADERS,
                    "Content-Disposition": f'attachment; filename="conversations-{stamp}.json"',
                },
            )
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(records[0]) if records else ["sender_id"])
        writer.writeheader()
        for record in records:
            writer.writerow({k: csv_safe(v) for k, v in record.items()})
        return response.raw(
            out.getvalue().encode(),
            content_type="text/csv; charset=utf-8",
            headers={**HEADERS, "Content-Disposition": f'attachment; filename="conversations-{stamp}.csv"'},
        )

    # ---- the clinic at a glance
    @bp.get("/dashboard")
    @login_required()
    async def dashboard(request: Request, db: Session, staff: auth.CurrentStaff):
        data = queries.dashboard(db, staff.clinic_id)
        return page(
            "dashboard.html",
            staff=staff,
            data=data,
            per_day=charts.column_chart(data["per_day"], "Conversations per day"),
            outcomes=charts.bar_chart([(label("outcome", o), n) for o, n in data["outcomes"]], "Outcome mix"),
            questions=charts.bar_chart(
                data["questions"] or [("no questions yet", 0)], "Questions asked most"
            ),
            funnel=charts.bar_chart(
                [(s.replace("_", " "), n) for s, n in data["funnel"]], "How far visitors got"
            ),
        )

    # ---- admin
    @bp.get("/audit")
    @login_required(admin=True)
    async def audit_log(request: Request, db: Session, staff: auth.CurrentStaff):
        entries = (
            db.execute(
                select(AuditEntry)
                .where(AuditEntry.clinic_id.in_([staff.clinic_id, "-"]))
                .order_by(AuditEntry.id.desc())
                .limit(500)
            )
            .scalars()
            .all()
        )
        return page("audit.html", staff=staff, entries=entries)

    @bp.route("/staff", methods=["GET", "POST"])
    @login_required(admin=True)
    async def staff_accounts(request: Request, db: Session, staff: auth.CurrentStaff):
        message = None
        if request.method == "POST":
            try:
                created = auth.create_staff(
                    db,
                    request.form.get("email") or "",
                    request.form.get("password") or "",
                    request.form.get("role") or "reviewer",
                    staff.clinic_id,
                )
                audit(db, staff, "create_staff", created.email, created.role)
                message = f"Account created for {created.email}."
            except auth.AccountError as error:
                message = str(error)
        people = db.execute(
            select(Staff).where(Staff.clinic_id == staff.clinic_id).order_by(Staff.email)
        ).scalars()
        return page("staff.html", staff=staff, people=list(people), message=message, roles=auth.ROLES)

    return bp


def csv_safe(value: Any) -> Any:
    """Spreadsheet apps run cells that start with = + - @ as formulas: quote them."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def export_record(row: Conversation, tags: List[str]) -> Dict[str, Any]:
    return {
        "sender_id": row.sender_id,
        "clinic": row.clinic_id,
        "started_at": dt.datetime.fromtimestamp(row.started_at, dt.timezone.utc).isoformat(),
        "duration_s": round(row.last_at - row.started_at),
        "channel": row.channel,
        "consent": row.consent,
        "outcome": row.outcome,
        "red_flag": row.red_flag,
        "reviewed": row.reviewed,
        "messages": row.user_messages,
        "first_question": row.first_question,
        "tags": " ".join(sorted(tags)),
    }


def transcript(events: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The messages, in order, with what the NLU made of each visitor message."""
    items = []
    for index, event in enumerate(events):
        kind = event.get("event")
        if kind == "user":
            parse = event.get("parse_data") or {}
            intent = parse.get("intent") or {}
            items.append(
                {
                    "index": index,
                    "from": "visitor",
                    "text": event.get("text") or "",
                    "at": event.get("timestamp"),
                    "intent": intent.get("full_retrieval_intent_name") or intent.get("name"),
                    "confidence": intent.get("confidence"),
                    "entities": [
                        (e.get("entity"), e.get("value"), e.get("role")) for e in parse.get("entities") or []
                    ],
                }
            )
        elif kind == "bot":
            data = event.get("data") or {}
            items.append(
                {
                    "index": index,
                    "from": "bot",
                    "text": event.get("text") or "",
                    "at": event.get("timestamp"),
                    "buttons": [b.get("title") for b in data.get("buttons") or []],
                    "custom": data.get("custom"),
                }
            )
    return items


def screening_summary(events: List[Dict[str, Any]]) -> Dict[str, Any]:
    slots: Dict[str, Any] = {}
    payload = None
    for event in events:
        if event.get("event") == "slot":
            slots[event.get("name")] = event.get("value")
        elif (
            event.get("event") == "bot"
            and ((event.get("data") or {}).get("custom") or {}).get("type") == "screening_result"
        ):
            payload = event["data"]["custom"]
    return {"slots": {k: slots.get(k) for k in VISITOR_SLOTS}, "payload": payload}


def votes(events: List[Dict[str, Any]]) -> List[str]:
    found: List[str] = []
    for event in events:
        if event.get("event") == "slot" and event.get("name") == "answer_feedback":
            found = list(event.get("value") or [])
    return found
