"""Allocation runs of a preference menu (menu_selection): run (inline, or a background job with
progress above ``MENU_ALLOCATION_SYNC_LEARNERS`` learners), see the result, adjust by hand with a
recorded reason, publish (the allocated seats become the learners' picks, once)."""
from __future__ import annotations

import secrets
import time
from collections import Counter

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..core import jobs
from ..core.conf import setting
from ..core.models import MemberCategory
from .allocation import AllocationProblem, allocate, choice_histogram, unfilled_penalty
from .errors import MenuError
from .models import Menu, MenuAllocation, MenuMove, MenuOption, MenuPick, MenuRanking, PickStatus
from .selection_rules import OVER, is_preference, may_take, overlaps, window

SEED_MAX = 2**31 - 1


def start_allocation(menu: Menu, user, seed: int | None = None) -> MenuAllocation:
    """Create the run; small menus are allocated at once, larger ones by a background job."""
    if not is_preference(menu):
        raise MenuError(_("Only a preference menu is allocated."))
    if menu.published_id:
        raise MenuError(_("An allocation of this menu is already published."), status=409)
    if seed is not None and not 0 <= seed <= SEED_MAX:
        raise MenuError(_("The seed must be a whole number from 0 to %(max)d.") % {"max": SEED_MAX})
    learners = MenuRanking.objects.filter(menu=menu).values("user_id").distinct().count()
    job = MenuAllocation.objects.create(menu=menu, requested_by=user, total=3, language=translation.get_language() or "",
                                        seed=secrets.randbelow(SEED_MAX) if seed is None else seed)
    if learners > setting("MENU_ALLOCATION_SYNC_LEARNERS"):
        jobs.enqueue(job)
    else:
        jobs.run(job._meta.label_lower, job.pk)
        job.refresh_from_db()
    return job


def build_problem(menu: Menu, seed: int) -> tuple[AllocationProblem, dict[int, str]]:
    """The rankings as the solver takes them (options a learner may no longer take left out), and
    why a learner's ranking became empty."""
    options = {o.pk: o for o in menu.options.filter(active=True)}
    restricted = any(o.restricted_to for o in options.values())
    categories: dict[int, set[str]] = {}
    if restricted:
        for user_id, code in MemberCategory.objects.filter(members__user__in=MenuRanking.objects.filter(
                menu=menu).values("user_id")).values_list("members__user_id", "code"):
            categories.setdefault(user_id, set()).add(code)
    rankings: dict[int, list[str]] = {}
    emptied: dict[int, str] = {}
    for user_id, option_id in MenuRanking.objects.filter(menu=menu).order_by("user_id", "rank").values_list(
            "user_id", "option_id"):
        rankings.setdefault(user_id, [])
        option = options.get(option_id)
        if option is not None and may_take(option, categories.get(user_id, ())):
            rankings[user_id].append(option.key)
    for user_id, keys in rankings.items():
        if not keys:
            emptied[user_id] = "not_open"
    clashes = []
    if menu.rules.get("no_overlap"):
        values = list(options.values())
        clashes = [(a.key, b.key) for i, a in enumerate(values) for b in values[i + 1:] if overlaps(a, b)]
    problem = AllocationProblem(rankings=rankings, capacity={o.key: o.capacity for o in options.values()},
                                picks=max(1, menu.rules.get("max_picks", 1)), clashes=clashes, seed=seed)
    return problem, emptied


def run_job(job: MenuAllocation, progress) -> dict:
    """The job kind's work: allocate, and keep the result and its figures on the row."""
    progress(0, 3)
    problem, emptied = build_problem(job.menu, job.seed)
    progress(1, 3)
    started = time.perf_counter()
    result = allocate(problem)
    seconds = time.perf_counter() - started
    progress(2, 3)
    histogram = choice_histogram(problem, result.assigned)
    nothing = {str(uid): emptied.get(uid, "full") for uid, keys in result.assigned.items() if not keys}
    summary = {
        "learners": len(problem.rankings), "seats": result.seats, "rank_sum": result.rank_sum,
        "unfilled": result.unfilled, "objective": result.objective(unfilled_penalty(problem)),
        "lp_value": result.lp_value, "seconds": round(seconds, 4), "solver": result.solver,
        "histogram": {str(k): v for k, v in histogram.items()}, "nothing": nothing,
    }
    progress(3, 3)
    return {"result": {str(uid): keys for uid, keys in result.assigned.items()}, "summary": summary}


def latest_allocation(menu: Menu) -> MenuAllocation | None:
    return MenuAllocation.objects.filter(menu=menu).order_by("-pk").first()


def allocation_in(menu: Menu, pk: int) -> MenuAllocation:
    job = MenuAllocation.objects.filter(menu=menu, pk=pk).first()
    if job is None:
        raise MenuError(_("There is no such allocation."), status=404)
    return job


def histogram_rows(job: MenuAllocation) -> list[dict]:
    """Seats by choice (1st, 2nd, …) and learners who got nothing, with the share for a bar chart."""
    counts = {int(k): v for k, v in (job.summary.get("histogram") or {}).items()}
    total = max(sum(counts.values()), 1)
    rows = []
    for choice, count in sorted(counts.items(), key=lambda item: (item[0] == 0, item[0])):
        label = _("Nothing") if choice == 0 else _("Choice %(n)d") % {"n": choice}
        rows.append({"label": label, "count": count, "percent": round(100 * count / total)})
    return rows


REASONS = {
    "full": lambda: _("Every option they ranked was full."),
    "not_open": lambda: _("None of the options they ranked is open to their member category."),
}


def adjust(job: MenuAllocation, user_id: int, to_key: str, reason: str, by) -> None:
    """Give a learner another option (or none: ``to_key`` "") before publishing, with a reason."""
    reason = (reason or "").strip()
    if not reason:
        raise MenuError(_("Give a reason for the change."))
    with transaction.atomic():
        job = MenuAllocation.objects.select_for_update().get(pk=job.pk)
        if job.published_at or job.status != MenuAllocation.Status.DONE:
            raise MenuError(_("Only a finished, unpublished allocation can be adjusted."), status=409)
        if str(user_id) not in job.result:
            raise MenuError(_("This learner took no part in the allocation."), status=404)
        options = {o.key: o for o in job.menu.options.filter(active=True)}
        if to_key and to_key not in options:
            raise MenuError(_("There is no such option in this menu."), status=404)
        before = job.result[str(user_id)]
        if to_key:
            cap = options[to_key].capacity
            used = sum(to_key in keys for keys in job.result.values())
            if to_key not in before and cap is not None and used >= cap:
                raise MenuError(_("“%(title)s” is full.") % {"title": options[to_key].title}, status=409)
        job.result[str(user_id)] = [to_key] if to_key else []
        job.save(update_fields=["result"])
        MenuMove.objects.create(menu=job.menu, user_id=user_id, allocation=job, reason=reason[:500], moved_by=by,
                                from_option=options.get(before[0]) if before else None,
                                to_option=options.get(to_key))


def publish(job: MenuAllocation) -> int:
    """The allocated seats become seated picks (once per menu); returns the seats given."""
    with transaction.atomic():
        menu = Menu.objects.select_for_update().get(pk=job.menu_id)
        job = MenuAllocation.objects.select_for_update().get(pk=job.pk)
        if menu.published_id or job.published_at:
            raise MenuError(_("An allocation of this menu is already published."), status=409)
        if job.status != MenuAllocation.Status.DONE:
            raise MenuError(_("The allocation has not finished."), status=409)
        if window(menu) != OVER:  # learners could still change the rankings it was computed from
            raise MenuError(_("Learners can still rank: close the menu (or wait until the window closes) "
                              "before publishing."), status=409)
        options = {o.key: o for o in menu.options.filter(active=True)}
        picks = [MenuPick(menu=menu, option=options[key], user_id=int(uid), status=PickStatus.SEATED)
                 for uid, keys in job.result.items() for key in keys if key in options]
        MenuPick.objects.bulk_create(picks, batch_size=1000)
        for key, count in Counter(p.option.key for p in picks).items():
            MenuOption.objects.filter(pk=options[key].pk).update(taken=count)
        now = timezone.now()
        job.published_at = now
        job.save(update_fields=["published_at"])
        menu.published = job
        menu.save(update_fields=["published", "updated"])
    return len(picks)


LEARNERS_PER_PAGE = 100


def result_tables(menu: Menu, job: MenuAllocation, page=1) -> dict:
    """What the result page shows: seats by choice (chart and table), seats per option, who got
    nothing and why, and one page of the learners' allocations (bounded queries whatever the page:
    options, users, rankings)."""
    options = {o.key: o for o in menu.options.filter(active=True)}
    used = Counter(key for keys in job.result.values() for key in keys)
    per_option = [{"option": o, "given": used.get(key, 0), "capacity": o.capacity} for key, o in options.items()]
    nothing_ids = [int(uid) for uid in (job.summary.get("nothing") or {})]
    learner_page = Paginator(sorted(int(uid) for uid in job.result), LEARNERS_PER_PAGE).get_page(page)
    shown_ids = list(learner_page.object_list)
    users = get_user_model().objects.filter(pk__in=set(nothing_ids) | set(shown_ids)).select_related(
        "party_profile__organization")
    names = {u.pk: _learner_label(u) for u in users}
    ranks: dict[int, list[str]] = {}
    for user_id, key in MenuRanking.objects.filter(menu=menu, user_id__in=shown_ids).order_by(
            "user_id", "rank").values_list("user_id", "option__key"):
        ranks.setdefault(user_id, []).append(key)
    title = {key: o.title for key, o in options.items()}
    learners = [{"user_id": uid, "name": names.get(uid, str(uid)),
                 "got": [title.get(k, k) for k in job.result[str(uid)]],
                 "ranked": [title.get(k, k) for k in ranks.get(uid, [])]} for uid in shown_ids]
    nothing = [{"user_id": uid, "name": names.get(uid, str(uid)), "reason": REASONS[job.summary["nothing"][str(uid)]]()}
               for uid in nothing_ids]
    return {"histogram": histogram_rows(job), "per_option": per_option, "nothing": nothing, "learners": learners,
            "learner_page": learner_page, "option_choices": list(options.values())}


def _learner_label(user) -> str:
    profile = getattr(user, "party_profile", None)
    name = (profile.full_name if profile else "") or user.get_username()
    return f"{name} ({profile.organization.name})" if profile else name
