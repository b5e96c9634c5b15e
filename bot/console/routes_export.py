"""Downloads: one conversation as JSON, and the filtered conversation list as CSV or JSON. The visitor's
words are masked in every download, except in the conversations the staff member holds a live reveal on."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from sanic import Blueprint, response
from sanic.request import Request
from sqlalchemy.orm import Session

from bot.console import auth, queries, reveals
from bot.console.access import LoginRequired
from bot.console.audit_trail import audit
from bot.console.conversation_lookup import one_conversation
from bot.console.exports import csv_safe, export_record
from bot.console.rendering import HEADERS
from bot.storage.models import Conversation

EXPORT_LIMIT = 100_000


def register(bp: Blueprint, login_required: LoginRequired) -> None:
    @bp.get("/c/<sender_id:str>/export.json")
    @login_required()
    @one_conversation
    async def export_one(request: Request, db: Session, staff: auth.CurrentStaff, row: Conversation):
        reader = reveals.Reader(db, staff)
        audit(db, staff, "export_transcript", row.sender_id, reader.shown_as(row.sender_id))
        body = json.dumps(
            {
                "sender_id": row.sender_id,
                "redacted": not reader.revealed(row.sender_id),
                "events": reader.events(row.sender_id),
            },
            indent=1,
        )
        return response.raw(
            body.encode(),
            content_type="application/json",
            headers={
                **HEADERS,
                "Content-Disposition": f'attachment; filename="conversation-{row.sender_id[:40]}.json"',
            },
        )

    @bp.get("/export.csv")
    @login_required()
    async def export_csv(request: Request, db: Session, staff: auth.CurrentStaff):
        return export_filtered_list(request, db, staff, "csv")

    @bp.get("/export.json")
    @login_required()
    async def export_json(request: Request, db: Session, staff: auth.CurrentStaff):
        return export_filtered_list(request, db, staff, "json")


def export_filtered_list(
    request: Request, db: Session, staff: auth.CurrentStaff, fmt: str
) -> response.HTTPResponse:
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
    revealed = 0
    if request.args.get("transcripts") == "1" and fmt == "json":
        reader = reveals.Reader(db, staff)
        reader.load(r["sender_id"] for r in records)
        for record in records:
            record["redacted"] = not reader.revealed(record["sender_id"])
            record["events"] = reader.events(record["sender_id"])
            revealed += not record["redacted"]
    detail = json.dumps(filters.as_args())
    audit(db, staff, "export", fmt, f"{detail}; {revealed} raw (revealed)" if revealed else detail)
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
