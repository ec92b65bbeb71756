"""Plugin models, one module per area; every model is imported here so Django finds it."""
from .case_discussion.models import *  # noqa: F401,F403
from .core.models import *  # noqa: F401,F403
from .knowledge_contest.models import *  # noqa: F401,F403
from .menu_selection.models import *  # noqa: F401,F403
from .party_class.models import *  # noqa: F401,F403
from .roster.models import *  # noqa: F401,F403
from .rotation.models import *  # noqa: F401,F403
from .writing_assignment.models import *  # noqa: F401,F403
from .compliance.models import *  # noqa: F401,F403
from .learning_file.models import *  # noqa: F401,F403
from .reminders.models import *  # noqa: F401,F403
