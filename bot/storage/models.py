"""The project's own tables (beside Rasa's `events`): staff, sessions, the conversation index, review
work (tags, notes, flags) and the audit log. Created and changed only by Alembic migrations."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import declarative_base

Base = declarative_base()


def conversation_ref(primary_key: bool = False) -> Column:
    """`sender_id`: the conversation a row belongs to, deleted with it. Indexed, or the row's own key."""
    options = {"primary_key": True} if primary_key else {"nullable": False, "index": True}
    return Column(String(255), ForeignKey("console_conversations.sender_id", ondelete="CASCADE"), **options)


def staff_ref() -> Column:
    """`staff_id`: the staff member a row belongs to, deleted with them."""
    return Column(Integer, ForeignKey("console_staff.id", ondelete="CASCADE"), nullable=False, index=True)


class FollowUp:
    """How staff followed an item up (a safety-queue item, a callback request): who claimed it, who
    resolved it, with what action and note. Declarative copies these columns into each table."""

    claimed_by = Column(String(255))
    claimed_at = Column(DateTime)
    resolved_by = Column(String(255))
    resolved_at = Column(DateTime, index=True)
    action = Column(String(32))
    note = Column(Text)


class Staff(Base):
    __tablename__ = "console_staff"
    id = Column(Integer, primary_key=True)
    email = Column(String(255), nullable=False, unique=True)
    password_hash = Column(String(255), nullable=False)
    role = Column(String(20), nullable=False)  # admin | reviewer | clinician
    clinic_id = Column(String(64), nullable=False, index=True)
    failed_logins = Column(Integer, nullable=False, default=0)
    locked_until = Column(DateTime, nullable=True)
    active = Column(Boolean, nullable=False, default=True)
    created_at = Column(DateTime, nullable=False)


class LoginSession(Base):
    __tablename__ = "console_sessions"
    token_hash = Column(String(64), primary_key=True)  # sha256 of the cookie value: a stolen table is useless
    staff_id = staff_ref()
    csrf_token = Column(String(64), nullable=False)
    created_at = Column(DateTime, nullable=False)
    last_seen = Column(DateTime, nullable=False)


class Conversation(Base):
    """One row per visitor conversation, summarised from Rasa's events for fast filtering."""

    __tablename__ = "console_conversations"
    sender_id = Column(String(255), primary_key=True)
    clinic_id = Column(String(64), nullable=False)
    started_at = Column(Float, nullable=False, index=True)
    last_at = Column(Float, nullable=False)
    channel = Column(String(32))
    consent = Column(Boolean)
    outcome = Column(String(40))
    rules_version = Column(String(64))  # of the screening rules that gave the outcome (from its payload)
    red_flag = Column(Boolean, nullable=False, default=False)
    red_flags = Column(Text, nullable=False, default="")  # " code1 code2 ": the red-flag codes seen
    user_messages = Column(Integer, nullable=False, default=0)
    first_question = Column(Text)
    intents = Column(Text, nullable=False, default="")  # " intent1 intent2 " for a LIKE filter
    slot_values = Column(Text, nullable=False, default="")  # " slot=value " pairs, same idea
    low_confidence = Column(Boolean, nullable=False, default=False)
    fallback = Column(Boolean, nullable=False, default=False)
    furthest_step = Column(String(32))  # for the drop-out funnel
    text = Column(Text, nullable=False, default="")  # everything the visitor typed, for search
    reviewed = Column(Boolean, nullable=False, default=False)
    last_event_id = Column(Integer, nullable=False, default=0)
    # The console's pages start from one clinic (migration 0011; on SQLite also (clinic_id, slot_values)
    # and (clinic_id, text)): per filter, then the list's order, so counts and pages read indexes only.
    __table_args__ = (
        Index("ix_console_conversations_clinic_started_sender", "clinic_id", "started_at", "sender_id"),
        *(
            Index(f"ix_console_conversations_clinic_{name}", "clinic_id", name, "started_at", "sender_id")
            for name in ("outcome", "red_flag", "reviewed", "low_confidence", "fallback")
        ),
        Index(
            "ix_console_conversations_clinic_summary",
            "clinic_id",
            "started_at",
            "outcome",
            "fallback",
            "furthest_step",
            "intents",
        ),
    )


class Tag(Base):
    __tablename__ = "console_tags"
    id = Column(Integer, primary_key=True)
    sender_id = conversation_ref()
    tag = Column(String(64), nullable=False, index=True)
    __table_args__ = (UniqueConstraint("sender_id", "tag"),)


class Note(Base):
    __tablename__ = "console_notes"
    id = Column(Integer, primary_key=True)
    sender_id = conversation_ref()
    author = Column(String(255), nullable=False)
    text = Column(Text, nullable=False)
    event_index = Column(Integer)  # set when the note flags one bot answer as wrong
    created_at = Column(DateTime, nullable=False)


class SafetyQueueItem(FollowUp, Base):
    """A conversation staff must follow up (a red flag, urgent care or medical clearance), and how
    that follow-up went. Written by the indexer (bot/console/safety_queue.py), worked in the console."""

    __tablename__ = "console_safety_queue"
    sender_id = conversation_ref(primary_key=True)
    clinic_id = Column(String(64), nullable=False, index=True)
    # The item's id outside the console (notifications, links): random, since the sender id is the key
    # to the visitor's conversation and must never leave the console.
    ref = Column(String(32), unique=True)
    level = Column(String(16), nullable=False)  # self_harm | red_flag | clearance
    due_at = Column(Float, nullable=False)  # epoch seconds, like the conversation's last_at
    # The console header's open and overdue counts (migration 0011).
    __table_args__ = (
        Index("ix_console_safety_queue_clinic_open", "clinic_id", "resolved_at", "due_at"),
        # The dashboard's count of untouched items by level, from the index alone (migration 0012).
        Index("ix_console_safety_queue_clinic_review", "clinic_id", "claimed_at", "resolved_at", "level"),
    )


class CallbackRequest(FollowUp, Base):
    """A consenting visitor's request to be called back: their phone number or email, kept only to
    contact them and erased with their conversation; a safety-queue item of its own (level "callback").
    Written by the web app's POST /callback (bot/console/callbacks.py), never through Rasa."""

    __tablename__ = "console_callback_requests"
    id = Column(Integer, primary_key=True)
    ref = Column(String(32), nullable=False, unique=True)
    # No foreign key: the request may come before the indexer has indexed the conversation.
    sender_id = Column(String(255), nullable=False, index=True)
    clinic_id = Column(String(64), nullable=False, index=True)
    contact_kind = Column(String(8), nullable=False)  # phone | email
    contact = Column(String(254), nullable=False)
    preferred_time = Column(String(16))  # morning | afternoon | evening; None: any time
    consented_at = Column(Float, nullable=False)  # the visitor ticked the box (epoch seconds)
    created_at = Column(Float, nullable=False)
    due_at = Column(Float, nullable=False)
    __table_args__ = (
        Index("ix_console_callback_requests_clinic_open", "clinic_id", "resolved_at", "due_at"),
    )

    level = "callback"  # its place in the safety queue's ranking


class Notification(Base):
    """One email or webhook POST about one queue item ("new" or "due_soon"), recorded before it is sent
    so that each is sent once; a failed one is retried on a later indexing cycle. Holds no visitor data:
    the item's ref, level and due-by (bot/console/notifications.py)."""

    __tablename__ = "console_notifications"
    id = Column(Integer, primary_key=True)
    clinic_id = Column(String(64), nullable=False, index=True)
    sender_id = Column(String(255), nullable=False, index=True)  # for erasure; never sent
    item_ref = Column(String(32), nullable=False)
    kind = Column(String(16), nullable=False)  # new | due_soon
    level = Column(String(16), nullable=False)
    channel = Column(String(16), nullable=False)  # email | webhook
    due_at = Column(Float, nullable=False)
    created_at = Column(Float, nullable=False)
    status = Column(String(16), nullable=False, index=True)  # pending | sent | dropped
    attempts = Column(Integer, nullable=False, default=0)
    next_attempt_at = Column(Float, nullable=False)
    sent_at = Column(Float)
    last_error = Column(String(300))
    __table_args__ = (UniqueConstraint("item_ref", "kind", "level", "channel"),)


class Verdict(Base):
    """The outcome a clinician would have given a conversation, and why; the latest one per
    conversation counts. The bot's outcome and rules version are kept as they were when recorded."""

    __tablename__ = "console_verdicts"
    id = Column(Integer, primary_key=True)
    sender_id = conversation_ref()
    clinic_id = Column(String(64), nullable=False, index=True)
    staff = Column(String(255), nullable=False)  # the staff member's email
    staff_role = Column(String(20), nullable=False)  # admin | reviewer | clinician
    outcome = Column(String(40), nullable=False)
    reason = Column(Text, nullable=False)
    bot_outcome = Column(String(40))
    rules_version = Column(String(64))
    created_at = Column(DateTime, nullable=False)


class NluLabel(Base):
    """A reviewer's label for one unclear visitor message (the unclear messages inbox): the intent it
    should have had and the example text with entity annotations inline, as Rasa's NLU data writes
    them. One label per message (the stored event's id); labelling again replaces it."""

    __tablename__ = "console_nlu_labels"
    id = Column(Integer, primary_key=True)
    event_id = Column(Integer, nullable=False, unique=True)  # Rasa's events.id of the user message
    sender_id = conversation_ref()
    clinic_id = Column(String(64), nullable=False, index=True)
    intent = Column(String(100), nullable=False)
    example = Column(Text, nullable=False)  # the message, with `[text](entity)` annotations
    staff = Column(String(255), nullable=False)
    created_at = Column(DateTime, nullable=False)


class RevealGrant(Base):
    """One staff member's time-limited permission to read one conversation's raw text (the console
    masks it otherwise), with the reason they gave. Live while `expires_at` is in the future; ended
    early by setting it to the moment of ending. Audited when given and when ended."""

    __tablename__ = "console_reveal_grants"
    id = Column(Integer, primary_key=True)
    sender_id = conversation_ref()
    clinic_id = Column(String(64), nullable=False, index=True)
    staff_id = staff_ref()
    staff = Column(String(255), nullable=False)  # the staff member's email, as the audit log names them
    reason = Column(Text, nullable=False)
    created_at = Column(DateTime, nullable=False)
    expires_at = Column(DateTime, nullable=False, index=True)


class AuditEntry(Base):
    __tablename__ = "console_audit"
    id = Column(Integer, primary_key=True)
    at = Column(DateTime, nullable=False, index=True)
    actor = Column(String(255), nullable=False)
    clinic_id = Column(String(64), nullable=False, index=True)
    action = Column(String(64), nullable=False)
    target = Column(String(255))
    detail = Column(Text)
