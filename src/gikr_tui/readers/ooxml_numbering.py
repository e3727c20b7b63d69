"""Word's automatic list numbering, computed the way Word displays it.

Headings numbered by a list (`一、总体情况` where `一、` comes from
numbering.xml) hold only their title in the paragraph text.  Reports are
matched against the template's numbered headings, so the number is computed
here and put back in front of the text.

Counters belong to the abstract list, as in Word: a second `w:num` instance of
the same list continues its count (headings pasted from another document
often reference one) unless a `w:startOverride` restarts it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

_CN = "一二三四五六七八九"
_CN_LEGAL = "壹贰叁肆伍陆柒捌玖"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_DIZHI = "子丑寅卯辰巳午未申酉戌亥"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
          (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def _chinese(n: int, digits: str = _CN, ten: str = "十") -> str:
    if n <= 0 or n >= 100:
        return str(n)
    tens, ones = divmod(n, 10)
    out = ""
    if tens:
        out = (digits[tens - 1] if tens > 1 else "") + ten
    if ones:
        out += digits[ones - 1]
    return out


def _letters(n: int) -> str:
    # Word repeats the letter: a … z, aa … zz
    if n <= 0:
        return str(n)
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _roman(n: int) -> str:
    out = ""
    for value, glyph in _ROMAN:
        while n >= value:
            out += glyph
            n -= value
    return out


def format_number(n: int, fmt: str) -> str:
    if fmt.endswith(("Counting", "CountingThousand")):
        # chinese-, taiwanese-, japanese-, koreanCounting(Thousand): LibreOffice
        # writes Word's chineseCounting back as taiwaneseCountingThousand
        return _chinese(n)
    if fmt == "ideographDigital":
        return "".join("〇一二三四五六七八九"[int(d)] for d in str(n))
    if fmt == "chineseLegalSimplified":
        return _chinese(n, _CN_LEGAL, "拾")
    if fmt == "ideographTraditional":
        return _TIANGAN[(n - 1) % 10] if n > 0 else str(n)
    if fmt == "ideographZodiac":
        return _DIZHI[(n - 1) % 12] if n > 0 else str(n)
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return _CIRCLED[n - 1] if 0 < n <= len(_CIRCLED) else str(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "decimalFullWidth" or fmt == "decimalFullWidth2":
        return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt in ("bullet", "none"):
        return ""
    return str(n)  # decimal and every format without a Chinese reading


@dataclass(slots=True)
class Level:
    start: int = 1
    fmt: str = "decimal"
    text: str | None = None  # lvlText, e.g. "%1、"; None: no number shown
    restart: int | None = None  # lvlRestart: reset when this (1-based) level advances
    legal: bool = False  # isLgl: every %n shown as decimal
    style: str | None = None  # pStyle this level is attached to


@dataclass(slots=True)
class Numbering:
    """numbering.xml and the paragraph styles that carry numbering."""

    abstract: dict[str, dict[int, Level]] = field(default_factory=dict)
    nums: dict[str, tuple[str, dict[int, Level], dict[int, int]]] = field(default_factory=dict)
    style_num: dict[str, tuple[str, int | None]] = field(default_factory=dict)
    style_level: dict[str, int] = field(default_factory=dict)  # heading level from the style
    counters: dict[str, list[int]] = field(default_factory=dict)  # per abstractNumId
    started: set[str] = field(default_factory=set)  # numIds already used

    def levels(self, num_id: str) -> dict[int, Level] | None:
        entry = self.nums.get(num_id)
        if entry is None:
            return None
        abstract_id, overrides, _ = entry
        base = self.abstract.get(abstract_id)
        if base is None:
            return None
        if overrides:
            merged = dict(base)
            merged.update(overrides)
            return merged
        return base

    def label(self, num_id: str, ilvl: int | None, style: str | None = None) -> str:
        """The number a paragraph shows, advancing the list's counters."""
        levels = self.levels(num_id)
        if not levels:
            return ""
        if ilvl is None:
            ilvl = next((i for i, lv in levels.items() if style and lv.style == style), 0)
        ilvl = max(0, min(ilvl, 8))
        level = levels.get(ilvl)
        if level is None or level.text is None:
            return ""
        abstract_id, _, starts = self.nums[num_id]
        counters = self.counters.get(abstract_id)
        if counters is None:
            counters = [(starts.get(i, levels[i].start if i in levels else 1)) - 1 for i in range(9)]
            self.counters[abstract_id] = counters
        elif num_id not in self.started:
            # a second instance of a list continues its count unless it restarts a level
            for i, start in starts.items():
                if 0 <= i < 9:
                    counters[i] = start - 1
        self.started.add(num_id)
        counters[ilvl] += 1
        for deeper in range(ilvl + 1, 9):
            lv = levels.get(deeper)
            if lv is None or lv.restart is None or lv.restart > ilvl:
                counters[deeper] = (lv.start if lv else 1) - 1
        if level.fmt in ("bullet", "none"):
            return ""
        out = level.text
        for i in range(ilvl + 1):
            token = f"%{i + 1}"
            if token in out:
                lv = levels.get(i) or Level()
                n = max(counters[i], lv.start) if i < ilvl else counters[i]
                out = out.replace(token, format_number(n, "decimal" if level.legal else lv.fmt))
        return out


def parse_numbering(root, W: str, num: Numbering | None = None) -> Numbering:
    """`root` is numbering.xml's parsed element; `W` the main namespace in braces."""
    num = num if num is not None else Numbering()
    if root is None:
        return num
    for an in root.iterchildren(W + "abstractNum"):
        aid = an.get(W + "abstractNumId")
        if aid is not None:
            num.abstract[aid] = {lv_i: lv for lv_i, lv in (_level(el, W) for el in an.iterchildren(W + "lvl"))}
    for n in root.iterchildren(W + "num"):
        nid = n.get(W + "numId")
        ref = n.find(W + "abstractNumId")
        if nid is None or ref is None:
            continue
        overrides: dict[int, Level] = {}
        starts: dict[int, int] = {}
        for ov in n.iterchildren(W + "lvlOverride"):
            i = _int(ov.get(W + "ilvl"), 0)
            so = ov.find(W + "startOverride")
            if so is not None:
                starts[i] = _int(so.get(W + "val"), 1)
            lvl = ov.find(W + "lvl")
            if lvl is not None:
                overrides[i] = _level(lvl, W)[1]
        num.nums[nid] = (ref.get(W + "val") or "", overrides, starts)
    return num


def _level(el, W: str) -> tuple[int, Level]:
    lv = Level()
    i = _int(el.get(W + "ilvl"), 0)
    for child in el:
        tag = child.tag
        val = child.get(W + "val")
        if tag == W + "start":
            lv.start = _int(val, 1)
        elif tag == W + "numFmt":
            lv.fmt = val or "decimal"
        elif tag == W + "lvlText":
            lv.text = val if val is not None else ""
        elif tag == W + "lvlRestart":
            lv.restart = _int(val, 0)
        elif tag == W + "isLgl":
            lv.legal = val not in ("0", "false", "off")
        elif tag == W + "pStyle":
            lv.style = val
    return i, lv


def parse_styles(roots, W: str, num: Numbering) -> None:
    """Record which paragraph styles carry numbering or a heading level."""
    based: dict[str, str] = {}
    own_num: dict[str, tuple[str, int | None]] = {}
    own_level: dict[str, int] = {}
    for st in (st for root in roots for st in root.iterchildren(W + "style")):
        if st.get(W + "type") != "paragraph":
            continue
        sid = st.get(W + "styleId")
        if not sid:
            continue
        b = st.find(W + "basedOn")
        if b is not None and b.get(W + "val"):
            based[sid] = b.get(W + "val")
        name = st.find(W + "name")
        lname = (name.get(W + "val") or "").lower() if name is not None else ""
        if lname.startswith("heading ") and lname[8:].isdigit():
            own_level[sid] = int(lname[8:])
        ppr = st.find(W + "pPr")
        if ppr is None:
            continue
        ol = ppr.find(W + "outlineLvl")
        if ol is not None and sid not in own_level:
            value = _int(ol.get(W + "val"), 9)
            if value < 9:
                own_level[sid] = value + 1
        np_ = ppr.find(W + "numPr")
        if np_ is not None:
            nid = np_.find(W + "numId")
            il = np_.find(W + "ilvl")
            if nid is not None:
                own_num[sid] = (nid.get(W + "val") or "0", _int(il.get(W + "val"), 0) if il is not None else None)
    for sid in set(based) | set(own_num) | set(own_level):
        seen = set()
        cur: str | None = sid
        found_num = found_level = False
        while cur is not None and cur not in seen:
            seen.add(cur)
            if not found_num and cur in own_num:
                num.style_num[sid] = own_num[cur]
                found_num = True
            if not found_level and cur in own_level:
                num.style_level[sid] = own_level[cur]
                found_level = True
            cur = based.get(cur)


# Word's and python-docx's styles.xml run to 350 KB of style definitions a
# report never uses, and parsing all of it costs 5–7 ms; above this size only
# the styles the body names (and the ones they are based on) are parsed.
_FULL_PARSE_BYTES = 64 * 1024


def style_roots(data: bytes, used: set[str], W: str, parse):
    """Parsed elements holding at least the `used` paragraph styles' definitions.

    `parse(bytes)` parses one XML document.  Large files are cut into the used
    <w:style> elements under a copy of the root's start tag (which carries the
    namespace declarations); a file written with other prefixes is parsed whole.
    """
    if len(data) <= _FULL_PARSE_BYTES:
        return [parse(data)]
    head = data.find(b"<w:styles")
    head_end = data.find(b">", head) if head >= 0 else -1
    if head < 0 or head_end < 0 or data[head_end - 1: head_end] == b"/":
        return [parse(data)]
    wrapper = data[head: head_end + 1]
    fragments: list[bytes] = []
    done: set[str] = set()
    todo = set(used)
    roots = []
    for _ in range(12):  # basedOn chains are short; this bounds a cycle
        todo -= done
        if not todo:
            break
        fragments = []
        for sid in todo:
            done.add(sid)
            frag = _style_fragment(data, sid)
            if frag is not None:
                fragments.append(frag)
        if not fragments:
            break
        root = parse(wrapper + b"".join(fragments) + b"</w:styles>")
        roots.append(root)
        todo = set()
        for st in root.iterchildren(W + "style"):
            b = st.find(W + "basedOn")
            if b is not None and b.get(W + "val"):
                todo.add(b.get(W + "val"))
    return roots


def _style_fragment(data: bytes, sid: str) -> bytes | None:
    raw = sid.encode("utf-8", "replace")
    for quote in (b'"', b"'"):
        pos = data.find(b"w:styleId=" + quote + raw + quote)
        if pos >= 0:
            break
    else:
        return None
    start = data.rfind(b"<w:style ", 0, pos)
    tag_end = data.find(b">", pos)
    if start < 0 or tag_end < 0:
        return None
    if data[tag_end - 1: tag_end] == b"/":
        return data[start: tag_end + 1]
    end = data.find(b"</w:style>", tag_end)
    if end < 0:
        return None
    return data[start: end + len(b"</w:style>")]


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default
