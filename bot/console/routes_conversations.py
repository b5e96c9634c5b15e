"""The conversation list and one conversation's page: its transcript (masked unless revealed), tags,
notes, review mark, deletion."""

from __future__ import annotations

from sanic import Blueprint, response
from sanic.request import Request
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.console import auth, indexer, queries, reveals, verdicts
from bot.console.access import LoginRequired
from bot.console.audit_trail import audit
from bot.console.conversation_lookup import back_to, one_conversation
from bot.console.rendering import HEADERS, page
from bot.console.transcripts import screening_summary, transcript, votes
from bot.storage.models import Conversation, Note, Tag


def register(bp: Blueprint, login_required: LoginRequired) -> None:
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

    @bp.get("/c/<sender_id:str>")
    @login_required()
    @one_conversation
    async def conversation(request: Request, db: Session, staff: auth.CurrentStaff, row: Conversation):
        sender_id = row.sender_id
        reader = reveals.Reader(db, staff)
        events = reader.events(sender_id)
        audit(db, staff, "view_transcript", sender_id, reader.shown_as(sender_id))
        return page(
            "conversation.html",
            staff=staff,
            row=row,
            grant=reader.grant(sender_id),
            reveal_minutes=reveals.REVEAL_MINUTES,
            min_reason=reveals.MIN_REASON,
            transcript=transcript(events),
            summary=screening_summary(events),
            votes=votes(events),
            tags=[t for (t,) in db.execute(select(Tag.tag).where(Tag.sender_id == sender_id))],
            notes=db.execute(select(Note).where(Note.sender_id == sender_id).order_by(Note.id))
            .scalars()
            .all(),
            verdicts=verdicts.history(db, staff.clinic_id, sender_id),
            levels=verdicts.LEVELS,
        )

    @bp.post("/c/<sender_id:str>/tag")
    @login_required()
    @one_conversation
    async def tag(request: Request, db: Session, staff: auth.CurrentStaff, row: Conversation):
        sender_id = row.sender_id
        name = (request.form.get("tag") or "").strip().lower()[:64]
        if request.form.get("remove"):
            db.execute(delete(Tag).where(Tag.sender_id == sender_id, Tag.tag == name))
            audit(db, staff, "untag", sender_id, name)
        elif name and not db.execute(select(Tag).where(Tag.sender_id == sender_id, Tag.tag == name)).first():
            db.add(Tag(sender_id=sender_id, tag=name))
            audit(db, staff, "tag", sender_id, name)
        return back_to(sender_id)

    @bp.post("/c/<sender_id:str>/note")
    @login_required()
    @one_conversation
    async def note(request: Request, db: Session, staff: auth.CurrentStaff, row: Conversation):
        text = (request.form.get("text") or "").strip()[:4000]
        event_index = request.form.get("event_index")
        if text:
            db.add(
                Note(
                    sender_id=row.sender_id,
                    author=staff.email,
                    text=text,
                    created_at=auth.now(),
                    event_index=int(event_index) if (event_index or "").isdigit() else None,
                )
            )
            audit(db, staff, "flag_answer" if event_index else "note", row.sender_id, text[:200])
        return back_to(row.sender_id)

    @bp.post("/c/<sender_id:str>/reviewed")
    @login_required()
    @one_conversation
    async def reviewed(request: Request, db: Session, staff: auth.CurrentStaff, row: Conversation):
        row.reviewed = request.form.get("reviewed") == "1"
        audit(db, staff, "mark_reviewed" if row.reviewed else "mark_unreviewed", row.sender_id)
        return back_to(row.sender_id)

    @bp.post("/c/<sender_id:str>/delete")
    @login_required()
    @one_conversation
    async def delete_conversation(request: Request, db: Session, staff: auth.CurrentStaff, row: Conversation):
        indexer.forget(db, row.sender_id)
        audit(db, staff, "delete_conversation", row.sender_id)
        return response.redirect("/console", headers=HEADERS)
