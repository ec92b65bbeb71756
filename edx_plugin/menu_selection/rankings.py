"""Preference mode of a menu (menu_selection): learners rank the options they may take; seats are
allocated when the window closes (``allocation_runs``)."""
from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .errors import MenuError
from .models import Menu, MenuRanking
from .picks import categories_of
from .selection_rules import is_preference, may_take, require_open


def save_ranking(menu: Menu, user, keys) -> list[str]:
    """Replace the learner's ranking with ``keys`` (best first). Refused as a whole: an option ranked
    twice, an unknown option, one the learner may not take, too many, or outside the window."""
    if not is_preference(menu):
        raise MenuError(_("This menu is first come, first served: pick options instead of ranking them."))
    require_open(menu)
    if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
        raise MenuError(_("The ranking must be a list of options."))
    if not keys:
        raise MenuError(_("Rank at least one option."))
    if len(set(keys)) != len(keys):
        raise MenuError(_("An option is ranked twice: rank each option once."))
    limit = menu.rules.get("rank_count", 3)
    if len(keys) > limit:
        raise MenuError(ngettext("Rank at most %(max)d option.", "Rank at most %(max)d options.", limit) % {"max": limit})
    options = {o.key: o for o in menu.options.filter(active=True)}
    unknown = [k for k in keys if k not in options]
    if unknown:
        raise MenuError(_("There is no such option in this menu."), status=404)
    categories = categories_of(user)
    refused = [options[k].title for k in keys if not may_take(options[k], categories)]
    if refused:
        raise MenuError(_("“%(title)s” is not open to your member category.") % {"title": refused[0]}, status=403)
    with transaction.atomic():
        MenuRanking.objects.filter(menu=menu, user=user).delete()
        MenuRanking.objects.bulk_create([MenuRanking(menu=menu, user=user, option=options[k], rank=rank)
                                         for rank, k in enumerate(keys, start=1)])
    return keys


def ranking_of(menu: Menu, user) -> list[str]:
    return list(MenuRanking.objects.filter(menu=menu, user=user).order_by("rank").values_list("option__key", flat=True))
