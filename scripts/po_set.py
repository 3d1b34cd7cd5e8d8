"""Set translations in a .po file and clear their fuzzy flags: po_set.py FILE 'msgid=msgstr'..."""

import re
import sys
from pathlib import Path


def main() -> None:
    path = Path(sys.argv[1])
    pairs = dict(arg.split("=", 1) for arg in sys.argv[2:])
    blocks = path.read_text(encoding="utf-8").split("\n\n")
    for i, block in enumerate(blocks):
        match = re.search(r'^msgid "(.*)"$', block, re.MULTILINE)
        if not match or match.group(1) not in pairs:
            continue
        lines = [ln for ln in block.split("\n") if not ln.startswith("#|") and ln != "#, fuzzy"]
        lines = [re.sub(r"^#, fuzzy, ", "#, ", ln) for ln in lines]
        text = "\n".join(lines)
        text = re.sub(r'^msgstr ".*"$', f'msgstr "{pairs[match.group(1)]}"', text, flags=re.M)
        blocks[i] = text
    path.write_text("\n\n".join(blocks), encoding="utf-8")


if __name__ == "__main__":
    main()
