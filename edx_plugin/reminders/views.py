"""Pages of reminders (reminders): a signed-in user's reminder settings (opt out, opt back in) and the
digests they got; for site admins, the last digests sent (the demo sends to the console).

Roles: ``reminders`` any signed-in user, own data only; ``sent`` site admins (403 otherwise)."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ..core.pages import render_page
from ..core.permissions import is_site_admin
from .models import ReminderDigest, ReminderOptOut

SHOWN = 50


@login_required
@require_http_methods(["GET", "POST"])
def reminders(request):
    if request.method == "POST":
        if request.POST.get("receive") == "no":
            try:
                ReminderOptOut.objects.get_or_create(user=request.user)
            except IntegrityError:
                pass  # a second tab opted out at the same moment
        else:
            ReminderOptOut.objects.filter(user=request.user).delete()
        return redirect("party_training:reminders")
    return render_page(request, "reminders/reminders.html", {
        "opted_out": ReminderOptOut.objects.filter(user=request.user).exists(),
        "digests": list(ReminderDigest.objects.filter(user=request.user)[:SHOWN]),
    })


@login_required
@require_GET
def sent(request):
    if not is_site_admin(request.user):
        return render_page(request, "core/forbidden.html",
                           {"text": _("Only site admins can see the digests sent.")}, status=403)
    return render_page(request, "reminders/sent.html", {
        "digests": list(ReminderDigest.objects.select_related("user")[:SHOWN]), "shown": SHOWN})
