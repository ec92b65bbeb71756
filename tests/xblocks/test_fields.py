"""``xblocks.fields.IsoDateTime`` reads every value exactly as XBlock's DateTime does (its fast path
only takes the form DateTime writes), and the blocks' date fields use it."""
import datetime
import random

import pytz
from xblock.fields import DateTime

from party_training.xblocks.fields import IsoDateTime
from party_training.xblocks.knowledge_contest import KnowledgeContestBlock
from party_training.xblocks.party_class import PartyClassBlock


def test_same_values_as_xblock_datetime():
    xblock, ours = DateTime(), IsoDateTime()
    rng = random.Random(16)
    samples = ["2026-12-01T10:15:00.000000", "2026-12-01T10:15:00", "2026-12-01T10:15:00+08:00",
               "2026-12-01T10:15:00.123456-05:30", "2026-12-01", "2026-12-01T10:15", "", None,
               "2026-12-01 10:15:00", "Dec 1 2026 10:15", 3600, datetime.datetime(2026, 1, 1, 8, tzinfo=pytz.utc),
               datetime.datetime(2026, 1, 1, 8)]
    samples += [xblock.to_json(datetime.datetime(2000, 1, 1, tzinfo=pytz.utc) + datetime.timedelta(
        seconds=rng.randint(0, 10 ** 9), microseconds=rng.randint(0, 999_999))) for _ in range(500)]
    for value in samples:
        theirs, mine = xblock.from_json(value), ours.from_json(value)
        assert mine == theirs and type(mine) is type(theirs), value
        assert getattr(mine, "tzinfo", None) is getattr(theirs, "tzinfo", None), value
        if isinstance(mine, datetime.datetime):
            assert ours.to_json(mine) == xblock.to_json(theirs)


def test_blocks_date_fields_are_iso_datetimes():
    for block, names in ((PartyClassBlock, ("session_start", "session_end", "online_signin_start")),
                         (KnowledgeContestBlock, ("window_start", "window_end"))):
        for name in names:
            assert isinstance(block.fields[name], IsoDateTime) and isinstance(block.fields[name], DateTime)
