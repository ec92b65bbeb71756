"""Admin of the plugin: core's models, then each area's (the roster area adds its import pages
to the organisation admin)."""
from .case_discussion import admin as case_discussion_admin  # noqa: F401  pylint: disable=unused-import
from .core import admin as core_admin  # noqa: F401  pylint: disable=unused-import
from .knowledge_contest import admin as knowledge_contest_admin  # noqa: F401  pylint: disable=unused-import
from .learning_file import admin as learning_file_admin  # noqa: F401  pylint: disable=unused-import
from .menu_selection import admin as menu_selection_admin  # noqa: F401  pylint: disable=unused-import
from .party_class import admin as party_class_admin  # noqa: F401  pylint: disable=unused-import
from .reminders import admin as reminders_admin  # noqa: F401  pylint: disable=unused-import
from .roster import admin as roster_admin  # noqa: F401  pylint: disable=unused-import
from .rotation import admin as rotation_admin  # noqa: F401  pylint: disable=unused-import
from .writing_assignment import admin as writing_assignment_admin  # noqa: F401  pylint: disable=unused-import
