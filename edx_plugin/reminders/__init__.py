"""Reminders (reminders)."""
