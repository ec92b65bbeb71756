"""Roster import (roster, 党员名册): organisations and members from XLSX and CSV, all or nothing."""
