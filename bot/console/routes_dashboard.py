"""The dashboard: the clinic's conversations at a glance, as charts."""

from __future__ import annotations

from sanic import Blueprint
from sanic.request import Request
from sqlalchemy.orm import Session

from bot.console import auth, charts, queries
from bot.console.access import LoginRequired
from bot.console.rendering import page
from bot.console.review_times import review_times
from bot.knowledge import label


def register(bp: Blueprint, login_required: LoginRequired) -> None:
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
            reviews=review_times(db, staff.clinic_id),
        )
