"""The benchmarks' second reference (only with DEMO_BENCH=1): a block whose one handler does what the
bare view does (one INSERT), reached as every block's action is: the handler URL, the runtime, the
block and the read of its fields. Its throughput against the bare view's is the runtime's own share
of any action, paid before the action's own work (``tests/benchmarks/load_harness.bare_handler``)."""
from xblock.core import XBlock
from xblock.fields import Scope, String

from .models import BlockEvent

BLOCK_TYPE = "bench_floor"


class BenchFloorBlock(XBlock):
    display_name = String(default="bench", scope=Scope.settings)

    @XBlock.json_handler
    def insert(self, data, suffix=""):  # pylint: disable=unused-argument
        # The field read every action makes (one query: the block's authored rows and the user's state),
        # then the bare view's very row.
        BlockEvent.objects.create(user=self.runtime.django_user, usage_id=self.display_name, event_type="bench",
                                  data={})
        return {"saved": True}
