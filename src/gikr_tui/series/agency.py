"""Which reports are one agency's: names as the reports state them, compared with care.

Names are compared after NFKC (full-width forms) with every space removed.
A name that is another with its parent region in front (淮安市洪泽区人民政府
and 洪泽区人民政府) is the same agency, provided the shorter one still starts
with a region of its own: 司法局 is not 淮安市司法局.  A short name that
several unrelated longer names extend (鼓楼区人民政府 under two cities) is
ambiguous: it joins none of them, and the caller says so.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# A region: a few characters ending in an administrative suffix.  Not across
# 人民/政府/局/委员会/办公 (an agency's words), and not a word that merely ends
# in 乡 or 镇 (城乡, 城镇: 住房和城乡建设局 names no township).
_SUFFIXES = "特别行政区|自治区|自治州|自治县|自治旗|地区|新区|街道|省|市|县|区|旗|盟|镇|乡"
_REGION = re.compile(rf"(?:(?!人民|政府|局|委员会|办公)\S){{1,10}}?(?:{_SUFFIXES})")
_NOT_REGION_END = ("城乡", "城镇")
_SPACE = re.compile(r"\s+")


def normalise(name: str) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", name))


@dataclass(frozen=True, slots=True)
class Name:
    regions: tuple[str, ...]  # the leading regions, outermost first
    rest: str  # the agency itself: 人民政府, 司法局 …

    def extends(self, other: "Name") -> bool:
        """This name is `other` with one or more parent regions in front."""
        return (
            len(other.regions) >= 1
            and len(self.regions) > len(other.regions)
            and self.rest == other.rest
            and self.regions[-len(other.regions):] == other.regions
        )


def parse(normalised: str) -> Name:
    regions: list[str] = []
    rest = normalised
    while rest:
        m = _REGION.match(rest)
        if m is None or m.group().endswith(_NOT_REGION_END):
            break
        regions.append(m.group())
        rest = rest[m.end():]
    return Name(tuple(regions), rest)


def related(a: Name, b: Name) -> bool:
    return a == b or a.extends(b) or b.extends(a)


def group(names: set[str] | list[str]) -> tuple[dict[str, str], list[tuple[str, list[str]]]]:
    """Normalised names → the agency each belongs to (the longest name of its group).

    Also the ambiguous names, each with the longer names it could belong to;
    they are left out of the mapping.
    """
    parsed = {n: parse(n) for n in set(names)}
    parent: dict[str, str] = {n: n for n in parsed}

    def find(n: str) -> str:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    # index by the agency part and the innermost region: only those can relate
    buckets: dict[tuple[str, str], list[str]] = {}
    for n, p in parsed.items():
        if p.regions:
            buckets.setdefault((p.rest, p.regions[-1]), []).append(n)
    ambiguous: list[tuple[str, list[str]]] = []
    for members in buckets.values():
        if len(members) < 2:
            continue
        for n in members:
            longer = sorted(m for m in members if parsed[m].extends(parsed[n]))
            if not longer:
                continue
            if all(related(parsed[x], parsed[y]) for i, x in enumerate(longer) for y in longer[i + 1:]):
                for m in longer:
                    parent[find(m)] = find(n)
            else:
                ambiguous.append((n, longer))
    blocked = {n for n, _ in ambiguous}
    members_of: dict[str, list[str]] = {}
    for n in parsed:
        if n not in blocked:
            members_of.setdefault(find(n), []).append(n)
    mapping: dict[str, str] = {}
    for members in members_of.values():
        canonical = max(members, key=lambda m: (len(m), m))
        for m in members:
            mapping[m] = canonical
    return mapping, sorted(ambiguous)
