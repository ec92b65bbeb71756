"""Pages of the plugin. Each states its role check; rules come from the services."""
from django.contrib.auth.decorators import login_required
from django.utils import timezone

from .pages import render_page
from .services.hours import summary_for_user
from .models import MemberProfile


@login_required
def learning_file(request):
    """The signed-in learner's own learning file (role: any signed-in user, own data only)."""
    year = timezone.localdate().year
    profile = MemberProfile.objects.select_related("organization").filter(user=request.user).first()
    return render_page(request, "plugin/learning_file.html", {
        "summary": summary_for_user(request.user, year), "profile": profile,
    })
