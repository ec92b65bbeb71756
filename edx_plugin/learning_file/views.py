"""Pages of the learning file (learning_file). Each states its role check; the content comes from
``learning_file.file``."""
from django.contrib.auth.decorators import login_required
from django.utils import timezone

from ..core.pages import render_page
from .file import learning_file as build_learning_file


@login_required
def learning_file(request):
    """The signed-in learner's own learning file (role: any signed-in user, own data only)."""
    file = build_learning_file(request.user, timezone.localdate().year)
    return render_page(request, "learning_file/learning_file.html", {
        "file": file, "summary": file.summary, "profile": file.profile, "categories": file.categories,
        "organizations": file.organizations, "lines": file.lines, "sections": file.sections,
    })
