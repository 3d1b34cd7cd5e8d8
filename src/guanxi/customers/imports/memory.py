"""The import's in-memory blocking index: which records hold a key, compactly.

A bulk load keeps every row of the run (and the few customers stored before it) in
memory for matching, a million records and four or five keys each. So the index holds
a key's hash, not the key (a collision only adds a candidate, which scoring then turns
down), and the refs of the records holding it, not the records: `rows` has each
record's latest version (a matched customer's grows as rows add to it).
"""

from guanxi.customers.matching.engine import BLOCK_CAP, Features


class KeyIndex:
    """Refs by hashed blocking key; the records themselves are in `rows`."""

    def __init__(self, rows: dict[int, Features]) -> None:
        self.rows = rows
        # hash → one ref (most keys), or a list of refs; a list longer than BLOCK_CAP
        # marks a key that says nothing (a switchboard number) and grows no further.
        self.refs: dict[int, int | list[int]] = {}

    def add(self, record: Features) -> None:
        refs, ref = self.refs, record.ref
        for key in record.block_keys():
            h = hash(key)
            held = refs.get(h)
            if held is None:
                refs[h] = ref
            elif type(held) is int:
                if held != ref:
                    refs[h] = [held, ref]
            elif len(held) <= BLOCK_CAP and ref not in held:
                held.append(ref)

    def candidates(self, record: Features) -> dict[int, Features]:
        """Records sharing a key with `record` (keys held by too many are ignored)."""
        found: dict[int, Features] = {}
        refs, rows, own = self.refs, self.rows, record.ref
        for key in record.block_keys():
            held = refs.get(hash(key))
            if held is None:
                continue
            if type(held) is int:
                if held != own:
                    found[held] = rows[held]
            elif len(held) <= BLOCK_CAP:
                for ref in held:
                    if ref != own:
                        found[ref] = rows[ref]
        return found
