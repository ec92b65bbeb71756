"""The live mode of the knowledge contest block (现场知识竞赛): the handlers of the host (course staff:
open a game, the projector page, its state, the buttons, the export) and of the players (state,
join, answer). Plain XBlock handlers, so the LMS serves a game with no extra server process; the
rules are in ``edx_plugin.knowledge_contest.live_games`` and its neighbours.

Clients poll the state handlers with the ETag of their last answer (``If-None-Match`` or ``since``)
and get an empty 304 while the game has not moved: one query of the block's own. The phones poll the
plugin's state view instead (``poll_url`` in the state), which needs no course, block or session.
"""
from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from webob import Response

from party_training.edx_plugin.core.js_catalog import js_catalog
from party_training.edx_plugin.core.sign_in_code import qr_svg
from party_training.edx_plugin.knowledge_contest import live_exports, live_games, live_payloads, titles
from party_training.resources import read_static, render_template

from .mixins import HandlerError, json_handler, json_response, page_handler


def _int(value, message: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise HandlerError(message) from None


def _not_modified(tag: str) -> Response:
    response = Response(status=304)
    response.headers["ETag"] = tag
    response.headers["Cache-Control"] = "no-cache"
    return response


def _json_with_etag(payload: dict) -> Response:
    response = json_response(payload)
    response.headers["ETag"] = payload["etag"]
    response.headers["Cache-Control"] = "no-cache"
    return response


class LiveGameMixin:
    """Handlers of a contest block's live games."""

    def _live_game_id(self, data) -> int:
        return _int(data.get("game"), _("The request is missing the game."))

    def _live_game(self, game_id: int):
        game = live_games.LiveGame.objects.filter(pk=game_id, usage_id=self.usage_id_str).first()
        if game is None:
            raise HandlerError(_("This game does not exist."), 404)
        return game

    def _join_url(self, request_host: str, pin: str | None) -> str:
        try:
            path = reverse("party_training:contest_join")
        except NoReverseMatch:
            return ""
        return f"{request_host}{path}?pin={pin}" if pin else f"{request_host}{path}"

    def live_summary(self) -> dict | None:
        """The block's open game for its page (one query), or None."""
        game = live_games.current_game(self.usage_id_str)
        return {"game": game.pk, "pin": game.pin} if game else None

    # --- players ---------------------------------------------------------------------------------
    @page_handler(role="learner")
    def live_state(self, request, suffix=""):
        """The game as the learner sees it; 304 when the ETag they send is still current."""
        since = request.headers.get("If-None-Match") or request.GET.get("since", "")
        now = timezone.now()
        try:
            game_id = int(request.GET.get("game", ""))
        except ValueError:
            game = live_games.current_game(self.usage_id_str)
            if game is None:
                return json_response({"game": None})
        else:
            if since:
                tag = live_games.poll_etag(self.usage_id_str, game_id, now)
                if tag is None:
                    return json_response({"error": _("This game does not exist.")}, 404)
                if tag == since:
                    return _not_modified(tag)
            game = live_games.LiveGame.objects.filter(pk=game_id, usage_id=self.usage_id_str).first()
            if game is None:
                return json_response({"error": _("This game does not exist.")}, 404)
        user_id = self.current_user_id()
        state = live_payloads.player_state(game, user_id, now)
        if state["phase"] == "ended":
            self._publish_pending_grade(user_id)
        return _json_with_etag(state)

    @json_handler(role="learner")
    def live_join(self, data, suffix=""):
        game = self._live_game(self._live_game_id(data))
        live_games.join_game(game.pk, self.current_user_id(), self.student_id())
        return live_payloads.player_state(game, self.current_user_id())

    @json_handler(role="learner")
    def live_answer(self, data, suffix=""):
        position = data.get("position")
        return live_games.answer(self.usage_id_str, self._live_game_id(data), self.current_user_id(),
                                 position, data.get("response"))

    # --- the host --------------------------------------------------------------------------------
    @json_handler(role="staff")
    def live_open(self, data, suffix=""):
        if not self.config().draw_rules:
            raise HandlerError(_("The contest has no questions yet."), 409)
        options = live_games.parse_options(data)
        titles.remember_title(self.usage_id_str, self.course_id_str, self.display_name)
        game = live_games.open_game(self.config(), self.current_user_id(), self.display_name, options)
        return {"game": game.pk, "pin": game.pin,
                "projector": self.runtime.handler_url(self, "live_projector") + f"?game={game.pk}"}

    @json_handler(role="staff")
    def live_control(self, data, suffix=""):
        game = live_games.control(self.usage_id_str, self._live_game_id(data), str(data.get("action", "")))
        return live_payloads.host_state(game)

    @page_handler(role="staff")
    def live_host_state(self, request, suffix=""):
        try:
            game = self._live_game(_int(request.GET.get("game"), _("The request is missing the game.")))
        except HandlerError as exc:
            return json_response({"error": exc.message}, exc.status)
        state = live_payloads.host_state(game)
        state["join_url"] = self._join_url(request.host_url, game.pin)
        state["qr_svg"] = qr_svg(state["join_url"], "kc-game-qr-svg") if game.pin and state["join_url"] else ""
        return _json_with_etag(state)

    @page_handler(role="staff")
    def live_projector(self, request, suffix=""):
        """The page the host projects: PIN and QR code, who joined, each question with its countdown,
        the answer distribution, the correct answer, the leaderboards and the podium; with the buttons."""
        try:
            game = self._live_game(_int(request.GET.get("game"), _("The request is missing the game.")))
        except HandlerError as exc:
            return json_response({"error": exc.message}, exc.status)
        urls = {"state": self.runtime.handler_url(self, "live_host_state") + f"?game={game.pk}",
                "control": self.runtime.handler_url(self, "live_control"),
                "export": self.runtime.handler_url(self, "live_export") + f"?game={game.pk}"}
        page = render_template("knowledge_contest/game_projector.html", {
            "title": self.display_name, "game": game, "urls": urls,
            "css": read_static("css", "core.css") + read_static("css", "knowledge_contest_game.css"),
            "js": read_static("js", "knowledge_contest_game_host.js"),
            "echarts": read_static("vendor", "echarts", "echarts.min.js"),
            "i18n": js_catalog("knowledge_contest_game_host.js"),
            "lang": (get_language() or "zh-cn").replace("_", "-"),
        })
        return Response(body=page.encode("utf-8"), content_type="text/html", charset="utf-8")

    @page_handler(role="staff")
    def live_export(self, request, suffix=""):
        try:
            game = self._live_game(_int(request.GET.get("game"), _("The request is missing the game.")))
        except HandlerError as exc:
            return json_response({"error": exc.message}, exc.status)
        stamp = timezone.localtime(game.created).strftime("%Y%m%d-%H%M")
        response = Response(body=live_exports.game_workbook(game),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response.headers["Content-Disposition"] = f'attachment; filename="live-game-{stamp}.xlsx"'
        return response


__all__ = ["LiveGameMixin"]
