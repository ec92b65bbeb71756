"""The menu as one learner sees it (menu_selection): options recommended for their member category
first, seats left, their picks and places on waiting lists, planned hours against the rule, what
keeps them from confirming, and (preference mode) their ranking and, once published, their seats.
A bounded number of queries whatever the menu size."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .menus import topic_label
from .models import Menu, MenuOption, MenuPick, MenuSelection, PickStatus
from .picks import categories_of, take_promotion_notices
from .rankings import ranking_of
from .selection_rules import ACTIVE, confirm_problems, is_preference, may_take, overlaps, seated_hours, window
from .waiting_list import waiting_places


@dataclass
class OptionView:
    option: MenuOption
    topic: str
    recommended: bool
    allowed: bool
    status: str = ""
    place: int | None = None
    clash: str = ""
    rank: int | None = None

    @property
    def seats_left(self) -> int | None:
        o = self.option
        return None if o.capacity is None else max(o.capacity - o.taken, 0)


@dataclass
class LearnerMenu:
    menu: Menu
    window: str
    options: list[OptionView]
    seated_hours: Decimal = Decimal(0)
    elective_hours: Decimal = Decimal(0)
    seated: int = 0
    active: int = 0
    confirmed: bool = False
    problems: list[str] = field(default_factory=list)
    promoted: list[str] = field(default_factory=list)
    ranking: list[str] = field(default_factory=list)
    published: bool = False

    @property
    def preference(self) -> bool:
        return is_preference(self.menu)

    @property
    def ranked_options(self) -> list[OptionView]:
        """The learner's ranking, best first."""
        return sorted((v for v in self.options if v.rank), key=lambda v: v.rank)

    @property
    def hours_percent(self) -> int:
        need = Decimal(str(self.menu.rules.get("min_elective_hours", 0)))
        return 100 if not need else min(100, int(self.elective_hours * 100 / need))


def learner_menu(menu: Menu, user) -> LearnerMenu:
    options = list(menu.options.filter(active=True).order_by("position"))
    if user is None:
        views = [OptionView(o, topic_label(o.topic), False, True) for o in options]
        return LearnerMenu(menu, window(menu), views)
    categories = set(categories_of(user))
    mine = {p.option_id: p for p in MenuPick.objects.filter(menu=menu, user=user, status__in=ACTIVE)
            .select_related("option")}
    places = waiting_places([pk for pk, p in mine.items() if p.status == PickStatus.WAITING], user)
    ranking = ranking_of(menu, user) if is_preference(menu) else []
    seated = [p for p in mine.values() if p.status == PickStatus.SEATED]
    views = []
    for o in options:
        pick = mine.get(o.pk)
        view = OptionView(o, topic_label(o.topic), bool(set(o.recommended_for) & categories), may_take(o, categories),
                          status=pick.status if pick else "", place=places.get(o.pk),
                          rank=ranking.index(o.key) + 1 if o.key in ranking else None)
        if menu.rules.get("no_overlap") and not pick:
            view.clash = next((p.option.title for p in mine.values() if overlaps(p.option, o)), "")
        views.append(view)
    # Recommended for the learner's category first, the author's order otherwise (a stable sort).
    views.sort(key=lambda v: not v.recommended)
    state = LearnerMenu(menu, window(menu), views, seated_hours(seated), seated_hours(seated, elective_only=True),
                        len(seated), len(mine), ranking=ranking, published=bool(menu.published_id))
    if not is_preference(menu):
        state.problems = confirm_problems(menu, options, seated, categories)
        state.confirmed = MenuSelection.objects.filter(menu=menu, user=user).exists() and not state.problems
    state.promoted = take_promotion_notices(menu, user) if mine else []
    return state
