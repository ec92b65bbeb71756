"""What menu-based selection (menu_selection) contributes to what gathers from every area: course
staff find the menus among the course's staff tools, the learning file lists the member's picks,
and allocation runs are a background job kind. Hours are not a source here: they are credited by
the activities inside the options' units as they are completed."""
from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..core.registry import ExportKind, JobKind, LearningFileSection, StaffTool
from .allocation_runs import run_job
from .exports import export_sample
from .menus import topic_label
from .models import Menu, MenuAllocation, MenuPick, PickStatus


def picks_of_the_year(user, year: int) -> tuple[list, list[list]]:
    """The member's seats and waiting places in menus created or changed in ``year`` (one query)."""
    picks = (MenuPick.objects.filter(user=user, status__in=(PickStatus.SEATED, PickStatus.WAITING),
                                     updated__year=year).select_related("menu", "option").order_by("menu__title",
                                                                                                   "option__position"))
    columns = [_("Menu"), _("Option"), _("Topic"), _("Credit hours"), _("Status")]
    rows = [[p.menu.title, p.option.title, topic_label(p.option.topic), f"{p.option.hours.normalize():f}",
             PickStatus(p.status).label] for p in picks]
    return columns, rows


def menus_in_course(course_id: str) -> int:
    return Menu.objects.filter(course_id=course_id).count()


def register(registry) -> None:
    registry.add_learning_file_section(LearningFileSection(
        key="menu_selection", title=_("Electives chosen from menus"), rows=picks_of_the_year, order=40))
    registry.add_staff_tool(StaffTool(
        key="menu_selection", label=_("Menu selection"),
        url=lambda course_id: reverse("party_training:menu_course", kwargs={"course_id": course_id}),
        count=menus_in_course, order=40, count_label=_("Menus")))
    registry.add_job_kind(JobKind(model=MenuAllocation, run=run_job))
    registry.add_export(ExportKind(key="menu_selection", label=_("Menu selection"), sample=export_sample))
