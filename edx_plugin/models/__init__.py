"""Plugin models, one module per area; every model is imported here so Django finds it."""
from .core import *  # noqa: F401,F403
from .knowledge_contest import *  # noqa: F401,F403
from .party_class import *  # noqa: F401,F403
from .roster import *  # noqa: F401,F403
from .writing import *  # noqa: F401,F403
