"""Plugin models, one module per area; every model is imported here so Django finds it."""
from .core import *  # noqa: F401,F403
