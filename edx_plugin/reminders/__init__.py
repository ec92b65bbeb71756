"""Reminders (reminders): the regular digests to learners behind their yearly requirement and to
organisation admins, sent through edx-ace."""
