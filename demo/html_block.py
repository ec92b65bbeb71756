"""The LMS's HTML component, reduced to what the demo course needs (sanitized on output)."""
import nh3
from lxml import etree
from web_fragments.fragment import Fragment
from xblock.core import XBlock
from xblock.fields import Scope, String


class DemoHtmlBlock(XBlock):
    display_name = String(default="HTML", scope=Scope.settings)
    data = String(default="", scope=Scope.content)

    @classmethod
    def parse_xml(cls, node, runtime, keys):
        block = runtime.construct_xblock_from_class(cls, keys)
        block.display_name = node.get("display_name", "HTML")
        inner = (node.text or "") + "".join(
            etree.tostring(child, encoding="unicode") for child in node
        )
        block.data = inner.strip()
        return block

    def student_view(self, context=None):
        return Fragment(f'<div class="demo-html">{nh3.clean(self.data)}</div>')
