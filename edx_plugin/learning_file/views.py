"""Pages of the plugin. Each states its role check; rules come from the services."""
from django.contrib.auth.decorators import login_required
from django.utils import timezone

from ..core.models import MemberProfile
from ..core.pages import render_page
from ..core.ledger import ledger_lines, summary_for_user
from ..core.organizations import ancestors

LEARNING_FILE_LINES = 100


@login_required
def learning_file(request):
    """The signed-in learner's own learning file (role: any signed-in user, own data only)."""
    year = timezone.localdate().year
    profile = (
        MemberProfile.objects.select_related("organization").prefetch_related("categories")
        .filter(user=request.user).first()
    )
    return render_page(request, "learning_file/learning_file.html", {
        "summary": summary_for_user(request.user, year, profile),
        "profile": profile,
        "categories": list(profile.categories.all()) if profile else [],
        # The member's place in the tree, committee first: "市委 › 机关党委 › 第一党支部".
        "organizations": ancestors(profile.organization) + [profile.organization] if profile else [],
        "lines": list(ledger_lines(request.user.pk, year)[:LEARNING_FILE_LINES]),
    })
