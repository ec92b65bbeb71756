"""The poll token of a live game's player (knowledge_contest, 现场知识竞赛): a signed "player P of game G"
that the phones put in the address of their state polls, so a poll needs neither the session nor the
user row.

Why a token, and why it is safe enough. 300 phones poll every two seconds; with the session, a poll that
ends in 304 costs three queries (the session, the user, the game), two of them only to learn who asks.
The token is issued only inside the state that the signed-in player's own requests receive (join, state,
poll), signed with the site's ``SECRET_KEY`` (Django's ``TimestampSigner``, HMAC-SHA256, its own salt),
so nobody can make one for another player or another game. It lets its bearer do exactly one thing:
read that game's state as that player, which is what the projector shows the whole room plus the
player's own answer, score and rank. It cannot answer, join or act (those stay session- and
CSRF-protected handlers), it is refused for any other game, it expires after ``MAX_AGE`` (a game lasts
minutes), and deleting the player row revokes it (the poll's one query finds no player). The risk
accepted: an address copied out of the phone (or an access log) shows that player's score in that game
until it expires.
"""
from __future__ import annotations

from django.core import signing

SALT = "party_training.knowledge_contest.live_poll"
MAX_AGE = 12 * 3600  # seconds: longer than any game, short enough that an old address stops working


def poll_token(game_id: int, player_id: int) -> str:
    return signing.TimestampSigner(salt=SALT).sign(f"{game_id}.{player_id}")


def player_of_token(token: str, game_id: int) -> int | None:
    """The player the token names, if it is genuine, unexpired and for this game (no database)."""
    try:
        value = signing.TimestampSigner(salt=SALT).unsign(token, max_age=MAX_AGE)
    except signing.BadSignature:  # also SignatureExpired
        return None
    game, _dot, player = value.partition(".")
    if game != str(game_id) or not player.isdigit():
        return None
    return int(player)
