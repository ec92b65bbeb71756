"""The XLSX export of one live game (knowledge_contest): players in rank order with score and streak
bonus apart, and each question's answer distribution. Written through the core file service."""
from __future__ import annotations

from django.utils.translation import gettext as _

from ..core.xlsx import Sheet, workbook_bytes
from .leaderboards import person_name
from .live_scoring import PERSON_FIELDS, distribution
from .models import LiveGame, LivePlayer


def game_workbook(game: LiveGame) -> bytes:
    played = max(0, game.position + 1)
    maximum = float(game.rules.get("points", 1000)) * played

    def players():
        rows = (LivePlayer.objects.filter(game_id=game.pk).order_by("-total", "time_ms", "id")
                .values("score", "bonus", "total", "correct_count", "answered_count", "time_ms",
                        *PERSON_FIELDS))
        rank, previous = 0, None
        for position, row in enumerate(rows.iterator(chunk_size=2000), start=1):
            if (row["total"], row["time_ms"]) != previous:
                rank, previous = position, (row["total"], row["time_ms"])
            yield [rank, row["user__username"], person_name(row), row["organization__name"] or "", row["score"],
                   maximum, round(row["score"] * 100.0 / maximum, 1) if maximum else 0, row["bonus"], row["total"],
                   row["correct_count"], row["answered_count"], round(row["time_ms"] / 1000, 1)]

    def questions():
        for index, data in enumerate(game.questions[:played]):
            shown = distribution(game, index)
            counts = "; ".join(f"{key}: {count}" for key, count in zip(shown["keys"], shown["counts"]))
            yield [index + 1, data["stem"], "".join(data["answer"]) if data["qtype"] != "fill_blank" else
                   " / ".join(data["answer"]), shown["answered"], counts]

    return workbook_bytes([
        Sheet(_("Players"), [_("Rank"), _("Username"), _("Name"), _("Branch"), _("Score"), _("Maximum score"),
                             _("Percent"), _("Streak bonus"), _("Total"), _("Correct answers"), _("Answers"),
                             _("Time (seconds)")], players(), widths={3: 16, 4: 24}),
        Sheet(_("Questions"), [_("Number"), _("Question"), _("Correct answer"), _("Answers"), _("Distribution")],
              questions(), widths={2: 60, 5: 30}),
    ])
