"""Make the English catalogue an identity translation: po_english.py FILE.

English is the source language, so every msgstr is its msgid (and msgstr[1] the
msgid_plural); fuzzy flags and previous-msgid comments left by makemessages go away.
"""

import re
import sys
from pathlib import Path


def _string(block: str, keyword: str) -> str | None:
    match = re.search(rf'^{keyword} ((?:".*"\n?)+)', block + "\n", re.MULTILINE)
    return match.group(1).rstrip("\n") if match else None


def main() -> None:
    path = Path(sys.argv[1])
    blocks = path.read_text(encoding="utf-8").split("\n\n")
    out = [blocks[0].replace('"Language: \\n"', '"Language: en\\n"')]
    for block in blocks[1:]:
        lines = [ln for ln in block.split("\n") if not ln.startswith("#|") and ln != "#, fuzzy"]
        lines = [re.sub(r"^#, fuzzy, ", "#, ", ln) for ln in lines]
        block = "\n".join(lines)
        msgid, plural = _string(block, "msgid"), _string(block, "msgid_plural")
        head = block[: re.search(r"^msgstr", block, re.MULTILINE).start()]
        body = f"msgstr[0] {msgid}\nmsgstr[1] {plural}" if plural else f"msgstr {msgid}"
        out.append(head + body)
    path.write_text("\n\n".join(out).rstrip("\n") + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
