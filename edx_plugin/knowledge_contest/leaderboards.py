"""Leaderboards of a knowledge contest (knowledge_contest): learners ranked by their counted
result, and branches ranked by the average or total of their members' results.

Ranks read only ``ContestResult`` and the per-score counts, so the learner's own rank costs the
same at 100 participants as at 100,000.
"""
from __future__ import annotations

from django.core.cache import cache
from django.db.models import Avg, Count, Q, Sum
from django.utils.translation import gettext as _

from ..core.models import MemberProfile, Organization
from .models import ContestResult, ContestScoreCount

BRANCH_CACHE_SECONDS = 30


def person_name(row: dict) -> str:
    """A participant's name from a values() row: the member's full name, else the account's name."""
    full = row.get("user__party_profile__full_name") or f"{row['user__last_name']}{row['user__first_name']}"
    return full.strip() or row["user__username"]


def leaderboard(usage_id: str, user_id: int | None, top_n: int = 20, anonymous: bool = False) -> dict:
    """Top ``top_n`` results and the caller's own rank. Ties on score go to the faster learner; equal
    score and time share a rank. Four queries: the top N (a range of the index on (usage_id, total
    desc, duration)), my result, the per-score counts, and the faster learners with my score."""
    rows = list(
        ContestResult.objects.filter(usage_id=usage_id).order_by("-total", "duration_ms", "id").values(
            "user_id", "total", "max_score", "duration_ms", "user__username", "user__first_name",
            "user__last_name", "user__party_profile__full_name", "organization__name",
        )[:top_n]
    )
    top, rank, previous = [], 0, None
    for position, row in enumerate(rows, start=1):
        key = (row["total"], row["duration_ms"])
        if key != previous:
            rank, previous = position, key
        mine = row["user_id"] == user_id
        top.append({
            "rank": rank, "me": mine, "total": row["total"], "max_score": row["max_score"],
            "duration_seconds": round(row["duration_ms"] / 1000),
            "name": _("You") if anonymous and mine else (_("Participant") if anonymous else person_name(row)),
            "branch": row["organization__name"] or "",
        })
    own = ContestResult.objects.filter(usage_id=usage_id, user_id=user_id).values(
        "total", "duration_ms", "max_score").first() if user_id is not None else None
    # Results with a higher score, from the per-score counts; then equal scores that were faster,
    # a short range of the rank index.
    counts = ContestScoreCount.objects.filter(usage_id=usage_id).aggregate(
        participants=Sum("count"), ahead=Sum("count", filter=Q(total__gt=own["total"]) if own else Q(pk__in=[])))
    me = None
    if own:
        faster = ContestResult.objects.filter(usage_id=usage_id, total=own["total"],
                                              duration_ms__lt=own["duration_ms"]).count()
        me = {"rank": (counts["ahead"] or 0) + faster + 1, "total": own["total"], "max_score": own["max_score"],
              "duration_seconds": round(own["duration_ms"] / 1000)}
    return {"top": top, "me": me, "participants": counts["participants"] or 0, "anonymous": anonymous}


# --- branches -----------------------------------------------------------------------------------
def _branch_cache_key(usage_id: str) -> str:
    return f"party_contest_branches:{usage_id}"


def forget_branch_standings(usage_id: str) -> None:
    """Drop the cached branch standings (after results were removed)."""
    cache.delete(_branch_cache_key(usage_id))


def branch_standings(usage_id: str) -> list[dict]:
    """Every branch's participants, total and average score (cached briefly: one grouped scan)."""
    key = _branch_cache_key(usage_id)
    standings = cache.get(key)
    if standings is None:
        groups = list(ContestResult.objects.filter(usage_id=usage_id, organization__isnull=False)
                      .values("organization_id").annotate(n=Count("id"), sum=Sum("total"), avg=Avg("total")))
        names = dict(Organization.objects.filter(id__in=[g["organization_id"] for g in groups])
                     .values_list("id", "name"))
        standings = [{"organization_id": g["organization_id"], "name": names.get(g["organization_id"], ""),
                      "participants": g["n"], "sum": round(float(g["sum"] or 0), 2),
                      "average": round(float(g["avg"] or 0), 2)} for g in groups]
        cache.set(key, standings, BRANCH_CACHE_SECONDS)
    return standings


def branch_leaderboard(usage_id: str, mode: str, user_id: int | None, top_n: int = 20) -> dict:
    """Branches ranked by the average or the total of their members' counted scores."""
    metric = "average" if mode == "average" else "sum"
    ordered = sorted(branch_standings(usage_id), key=lambda b: (-b[metric], -b["participants"], b["name"]))
    my_org = (MemberProfile.objects.filter(user_id=user_id).values_list("organization_id", flat=True).first()
              if user_id is not None else None)
    rows, rank, previous, mine = [], 0, None, None
    for position, branch in enumerate(ordered, start=1):
        if branch[metric] != previous:
            rank, previous = position, branch[metric]
        row = {"rank": rank, "name": branch["name"], "participants": branch["participants"],
               "score": branch[metric], "me": branch["organization_id"] == my_org}
        if row["me"]:
            mine = row
        if position <= top_n:
            rows.append(row)
    return {"mode": metric, "top": rows, "me": mine}
