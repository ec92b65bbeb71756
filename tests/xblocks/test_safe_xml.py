"""OLX is parsed without entities, DTDs or network access: an author's file cannot read the
server's files or blow up memory."""
import pytest
from lxml import etree

from demo.models import CourseUnit, BlockState
from demo.olx import load_course
from party_training.xblocks.olx import SAFE_XML_PARSER, UnsafeXMLError, parse_olx

pytestmark = pytest.mark.django_db

EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE c [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<course org="X" course="Y" url_name="2026" display_name="&secret;">
  <chapter url_name="c" display_name="c"><sequential url_name="s"><vertical url_name="v" display_name="&secret;">
    <party_class url_name="pc" display_name="&secret;"/>
  </vertical></sequential></chapter>
</course>"""

LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<party_class url_name="lol" display_name="&lol3;"/>"""


def test_external_entities_are_refused_and_nothing_is_loaded(tmp_path):
    course = tmp_path / "course.xml"
    course.write_text(EXTERNAL, encoding="utf-8")
    with pytest.raises(UnsafeXMLError):
        load_course(course)
    assert not CourseUnit.objects.exists() and not BlockState.objects.exists()


def test_entity_declarations_are_refused():
    with pytest.raises(UnsafeXMLError):
        parse_olx(LAUGHS)


@pytest.mark.parametrize("olx", [LAUGHS.replace("DOCTYPE", "doctype"), "<!ENTITY x 'y'><a/>"])
def test_declarations_outside_a_doctype_are_not_xml(olx):
    with pytest.raises(etree.XMLSyntaxError):
        parse_olx(olx)


def test_the_parser_itself_reads_no_external_entity():
    with pytest.raises(etree.XMLSyntaxError):
        etree.fromstring(EXTERNAL.encode(), parser=SAFE_XML_PARSER)


def test_plain_olx_parses():
    assert parse_olx('<party_class url_name="ok" display_name="党课"/>').get("display_name") == "党课"


def test_uploaded_workbooks_are_read_through_defusedxml():
    from openpyxl.xml import DEFUSEDXML  # pylint: disable=import-outside-toplevel
    assert DEFUSEDXML


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_a_doctype_is_refused_whatever_the_encoding(encoding):
    # 400 bytes of UTF-16 once became a 100,000-character display name.
    declared = LAUGHS.replace('<?xml version="1.0"?>', f'<?xml version="1.0" encoding="{encoding.upper()}"?>')
    data = declared.encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be"):
        data = ("\ufeff" + declared).encode(encoding)
    with pytest.raises(UnsafeXMLError):
        parse_olx(data)


def test_olx_in_utf16_without_a_doctype_parses():
    node = parse_olx('<?xml version="1.0" encoding="UTF-16"?><party_class url_name="u" display_name="党课"/>'
                     .encode("utf-16"))
    assert node.get("display_name") == "党课"
