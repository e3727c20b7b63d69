"""How alike two texts are, and what changed between them.

The measure is the Indel similarity: 2 × (the longest common subsequence) /
(the two lengths together), the ratio difflib's SequenceMatcher aims at,
computed exactly by rapidfuzz.  difflib itself is no good here: on texts over
200 characters its autojunk heuristic drops the commonest characters, and in
Chinese prose 的、公、开、信、息 are exactly those, so its ratio falls far
below the truth; without autojunk it is quadratic and still only
approximates the common subsequence.  An edit measure also suits the
question better than shingle Jaccard: a section copied with a word changed
here and there stays near 100 %, where every changed character would cost a
shingle measure k shingles.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from rapidfuzz.distance import Indel

from ..i18n import N_

MEASURE = "indel"  # the word jsonl carries in a finding's `measure`
MEASURE_NAME = N_("indel similarity")  # what people read: the measure by name
THRESHOLD = 0.9  # repeated_text: this much the same or more
MIN_LENGTH = 100  # repeated_text: a section of at least this many characters (as written, spaces not counted)
# two paragraphs at least this alike are one paragraph changed, not one removed and one added
PARAGRAPH_CUTOFF = 0.5

_SPACE = re.compile(r"\s+")


def similarity(a: str, b: str) -> float:
    """The Indel similarity of two texts, 0..1 (two empty texts are the same)."""
    if not a and not b:
        return 1.0
    return Indel.normalized_similarity(a, b)


@dataclass(slots=True)
class Piece:
    kind: str  # equal | delete | insert
    text: str

    def to_json(self) -> dict:
        return {"kind": self.kind, "text": self.text}


@dataclass(slots=True)
class ParagraphChange:
    """One paragraph of the comparison: kept, removed, added, or changed (with what changed marked)."""

    op: str  # equal | delete | insert | replace
    a: str | None
    b: str | None
    pieces: list[Piece] = field(default_factory=list)  # replace: a → b character by character

    def to_json(self) -> dict:
        out: dict = {"op": self.op, "a": self.a, "b": self.b}
        if self.op == "replace":
            out["changes"] = [p.to_json() for p in self.pieces]
        return out


def char_diff(a: str, b: str) -> list[Piece]:
    """a → b as runs of kept, removed and added characters (removals before additions)."""
    pieces: list[Piece] = []

    def add(kind: str, text: str) -> None:
        if not text:
            return
        if pieces and pieces[-1].kind == kind:
            pieces[-1].text += text
        else:
            pieces.append(Piece(kind, text))

    pending_insert = ""
    for op in Indel.opcodes(a, b):
        if op.tag == "equal":
            add("insert", pending_insert)
            pending_insert = ""
            add("equal", a[op.src_start: op.src_end])
        elif op.tag == "delete":
            add("delete", a[op.src_start: op.src_end])
        else:
            # kept until the next kept run, so a changed word reads [-old-]{+new+}
            pending_insert += b[op.dest_start: op.dest_end]
    add("insert", pending_insert)
    return pieces


def _clean(paragraphs: list[str]) -> list[str]:
    return [t for t in (_SPACE.sub(" ", p).strip() for p in paragraphs) if t]


def paragraph_diff(a: list[str], b: list[str]) -> list[ParagraphChange]:
    """The paragraphs of a and b aligned: equal ones kept, the rest paired by similarity.

    Exact matches anchor the alignment (difflib over whole paragraphs); in
    each stretch between anchors the most alike pair of paragraphs is taken
    as one paragraph changed when it is at least PARAGRAPH_CUTOFF the same,
    and the stretches on either side of it are aligned the same way (how
    difflib's ndiff pairs lines).
    """
    a, b = _clean(a), _clean(b)
    out: list[ParagraphChange] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.extend(ParagraphChange("equal", a[i], b[j]) for i, j in zip(range(i1, i2), range(j1, j2)))
        else:
            _pair(a[i1:i2], b[j1:j2], out)
    return out


def _pair(a: list[str], b: list[str], out: list[ParagraphChange]) -> None:
    best, where = PARAGRAPH_CUTOFF, None
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            score = Indel.normalized_similarity(x, y, score_cutoff=best)
            if score > best or (where is None and score >= best):
                best, where = score, (i, j)
    if where is None:
        out.extend(ParagraphChange("delete", x, None) for x in a)
        out.extend(ParagraphChange("insert", None, y) for y in b)
        return
    i, j = where
    _pair(a[:i], b[:j], out)
    out.append(ParagraphChange("replace", a[i], b[j], char_diff(a[i], b[j])))
    _pair(a[i + 1:], b[j + 1:], out)
