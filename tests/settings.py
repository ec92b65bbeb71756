"""Test settings: the demo site's, with a throwaway SQLite file or MariaDB (DB=mysql)."""
import os

os.environ.setdefault("DEMO_DB", ":memory:")

from demo.settings import *  # noqa: E402,F401,F403  pylint: disable=wildcard-import,unused-wildcard-import,wrong-import-position

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests read a unit's blocks in the unit page; those about the MFE's frames ask for them (cookie
# demo_units=frame, ``browser.new_context(units="frame")``).
DEMO_UNITS = "inline"
