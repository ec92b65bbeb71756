"""Signal receivers. openedx-events receivers are connected only when the library is present."""
