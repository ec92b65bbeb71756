"""The edx-ace message types of reminders (reminders); their templates are
``templates/party_training/edx_ace/<name>/email/``."""
from edx_ace.message import MessageType


class LearnerDigest(MessageType):
    APP_LABEL = "party_training"
    NAME = "learnerdigest"


class AdminDigest(MessageType):
    APP_LABEL = "party_training"
    NAME = "admindigest"
