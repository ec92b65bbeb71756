#!/usr/bin/env python
"""Write the platform pins as a pip constraints file (pip refuses extras in constraints)."""
import re
import sys
from pathlib import Path

source, target = Path(sys.argv[1]), Path(sys.argv[2])
lines = []
for line in source.read_text(encoding="utf-8").splitlines():
    line = line.split("#", 1)[0].strip()
    if line and not line.startswith("-"):
        lines.append(re.sub(r"\[[^\]]*\]", "", line))
target.write_text("\n".join(lines) + "\n", encoding="utf-8")
