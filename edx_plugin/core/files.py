"""Text of the CSV files centres upload (rosters, question banks), whatever Excel or WPS wrote."""
from __future__ import annotations

import codecs


def decode_text(data: bytes) -> str | None:
    """A BOM decides (UTF-8, or UTF-16 from Excel's "Unicode text"); otherwise strict UTF-8, then
    GB18030 (Excel's "CSV" in China). None when nothing decodes."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                          (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding)
            except UnicodeDecodeError:
                return None
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None
