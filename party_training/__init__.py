"""Party-member and cadre education for Open edX."""

__version__ = "0.1.0"
