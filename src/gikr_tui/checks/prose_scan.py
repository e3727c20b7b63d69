"""Reading the prose for what it states: table facts, years, "all answered".

Real prose is dense with numbers, and most of them are not the table's:
“全年新收政府信息公开申请1295件，办结1191件（含上年结转189件），占比17.46%，
比上年增加12件，其中8件申请人主动撤回”.  A number belongs to the phrase it
ends: a fact word (新收, 办结, 上年结转…), then only the words that may stand
between a fact and its count (政府信息公开申请, 共, 的…), then the number and
its unit (件).  Anything else between them — 比上年增加, 其中, 占, 结果维持 —
breaks the phrase, so percentages, changes, parts, dates and counts of other
things never attach to a fact.  Phrases that qualify the fact (延期答复,
上半年新收, 2022年新收, 较上年新收) are not the year's fact either.

Everything is compiled once; each section's text is scanned once per report
(`scan`, shared by the prose checks through `registry.derived`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from ..model import Passage, Report

# --- The facts --------------------------------------------------------------------

# fact -> the words that state it.  `accepted` (受理) is ambiguous: some
# reports mean 新收, some 新收 + 上年结转.
FACT_WORDS: dict[str, tuple[str, ...]] = {
    "received_new": ("新收到", "新收", "收到", "接到", "收悉"),
    "accepted": ("受理",),
    "carried_over": ("上年结转", "上年度结转", "上一年度结转", "上一年结转", "上年度转入", "上年转入"),
    "results_total": ("办结", "答复"),
    "carried_forward": ("结转下年度", "结转下一年度", "结转至下年度", "结转到下年度", "结转至下一年度",
                        "结转到下一年度", "转入下年度", "转入下一年度", "转至下年度"),
    "granted": ("予以公开", "同意公开"),
    "partial": ("部分公开",),
    "review": ("行政复议",),
    "litigation": ("行政诉讼",),
}
# Generic words that state the fact only when the phrase is about applications.
NEEDS_APPLICATION = frozenset({"收到", "接到", "收悉", "受理"})
WORD_FACT = {w: fact for fact, words in FACT_WORDS.items() for w in words}
_KEYS = "|".join(sorted(WORD_FACT, key=len, reverse=True))

# What may stand between a fact word and its number.
_FILL_TOKENS = (
    "政府信息公开", "政府信息", "信息公开", "依申请公开", "依申请", "公开申请", "申请", "案件", "案",
    "公民、法人或者其他组织", "公民、法人和其他组织", "公民、法人或其他组织", "公民", "法人", "其他组织",
    "提出的", "提出", "提交的", "提交", "递交", "的", "共计", "合计", "总计", "累计", "一共", "总共", "共", "计",
    "了", "为", "达到", "达", "到", "各类", "数量", "件数", "总数", "总量", "已", "继续办理", "继续", "办理", "处理",
    "事项", "相关", "有",
)
_FILL = "(?:" + "|".join(sorted(map(re.escape, _FILL_TOKENS), key=len, reverse=True)) + ")"
# Every repeat is bounded (a count has at most 9 digits): linear time on any line.
NUM = r"[0-9０-９]{1,3}(?:,[0-9０-９]{3}){1,3}|[0-9０-９]{1,9}|[零〇一二两三四五六七八九十百千万]{1,12}"
UNIT = "件|宗|起|例"
# a fact word, the filler, an optional colon, the number and its unit; every repeat bounded
FACT = re.compile(rf"(?P<key>{_KEYS})(?P<fill>{_FILL}{{0,12}}?)[:：]?\s{{0,3}}(?P<num>{NUM})\s{{0,3}}(?P<unit>{UNIT})")
_APPROX_AFTER = ("左右", "以上", "以下", "上下", "多")

# Words just before a fact word that make it a part or another period's figure.
_MODIFIERS = re.compile(
    r"(?:延期|逾期|超期|按时|按期|如期|当场|当面|网上|网络|线上|线下|书面|口头|信函|邮寄|电话|现场|"
    r"不|未|没有|尚未|无法|拟|将|平均|日均|月均|上半年|下半年|季度|本月|当月|去年|上年|上一年)\s{0,2}$"
)
# ... and anywhere earlier in the clause; a year earlier in the sentence.
_CLAUSE_CONTEXT = re.compile(r"上年|去年|上一年|同比|较|比|相比|半年|季度|月份")
_YEAR_MENTION = re.compile(r"((?:19|20)\d\d)\s{0,2}年")
_CITATION = re.compile(r"《[^》]*》|〔[^〕]*〕|\[[^\]]*\]")
_THIS_YEAR = re.compile(r"本年|今年|全年")
# who the words before a fact speak of: a whole region or all its departments (whose figures are
# not this agency's table), or the agency itself; the nearer one in the sentence decides
_SCOPE = re.compile(
    r"(?P<all>全(?:国|省|市|县|区|州|盟|旗|镇|乡|系统)|各(?:部门|单位|县|区|市|乡|镇|街道|地|级))"
    r"|(?P<own>本机关|本单位|本部门|本级|本局|本委|本办|我局|我委|我办|我厅|我院|我中心)"
)
_FULL_YEAR = re.compile(r"1\s{0,2}月\s{0,2}1\s{0,2}日.{0,6}?12\s{0,2}月\s{0,2}31\s{0,2}日")
_CLAUSE_BREAK = re.compile(r"[，,；;。！？!?：:（(【\[\n]")
# a fact word right after another one and a conjunction: a combined count (予以公开和部分公开共…)
_COMBINED = re.compile(rf"(?:{_KEYS})[的]?\s{{0,2}}(?:、|和|及|以及|与|或|或者)\s{{0,2}}$")

# “未发生…行政复议、行政诉讼案件” states 0 for both.
_ZERO_MID = (
    "因", "由于", "政府信息公开", "信息公开", "依申请公开", "工作", "申请", "引起", "引发", "导致", "产生", "而",
    "的", "一起", "一件", "任何", "相关", "被申请", "申请人", "提起", "被提起", "被", "涉及", "针对", "本机关",
    "本单位", "对本机关", "本部门", "本年度", "全年", "今年",
)
_ZERO_MID_RE = "(?:" + "|".join(sorted(map(re.escape, _ZERO_MID), key=len, reverse=True)) + r"|\s)"
ZERO = re.compile(
    rf"(?P<neg>未发生|没有发生|未出现|没有出现|未产生|没有产生|未收到|没有收到|未接到|未有|无)"
    rf"{_ZERO_MID_RE}{{0,8}}?"
    r"(?P<k1>行政复议|行政诉讼)(?:\s*(?:、|和|及|与|或|或者)\s*(?P<k2>行政复议|行政诉讼))?"
    r"(?:的?(?:案件|案|事项|情况|情形|事件|应诉|申请))?"
    r"(?=[，,。；;！!？?\s）)]|$)"
)
ZERO_APPLICATIONS = re.compile(
    r"(?:未|没有)(?P<verb>收到|接到|受理)(?:过)?(?:任何)?(?:公民、法人或其他组织|公民、法人和其他组织)?(?:提出的)?"
    r"(?:政府信息公开|依申请公开|信息公开)?申请(?=[，,。；;！!？?\s）)]|$)"
)
# “行政复议、行政诉讼均为0件” / “各1件” / “分别为1件、2件”
BOTH = re.compile(
    rf"(?P<k1>行政复议|行政诉讼)\s{{0,2}}(?:、|和|及|与)\s{{0,2}}(?P<k2>行政复议|行政诉讼)(?:的)?(?:案件)?(?:数量)?"
    rf"(?:(?:均为|都为|均是|均|各为|各)\s{{0,2}}(?P<each>{NUM})\s{{0,2}}(?:{UNIT})?"
    rf"|分别为\s{{0,2}}(?P<n1>{NUM})\s{{0,2}}(?:{UNIT})?\s{{0,2}}[、和,，]\s{{0,2}}(?P<n2>{NUM})\s{{0,2}}(?:{UNIT})?)"
)

# --- Years --------------------------------------------------------------------------------

# a sentence that opens with a year: “2022年，本机关…”, “（一）2022年度，…”.  A year is
# searched for first (cheap), then whether a sentence starts there.
_YEAR_AS_TIME = r"((?:19|20)\d\d)\s{0,2}年度?(?=\s{0,2}[，,、]|本|我|全|该|区|市|县|镇|乡)"
YEAR_AT = re.compile(_YEAR_AS_TIME)
# a year that opens a sentence as its time (“2022年，…”, “2022年本局…”), not a clause's (“2022年新收…”)
_OPENING_YEAR = re.compile(r"\s{0,4}(?:[（(][一二三四五六七八九十\d]{1,3}[)）]\s{0,4})?" + _YEAR_AS_TIME)
_OPENS = re.compile(r"(?:^|[。！？!?；;\n])\s{0,4}(?:[（(][一二三四五六七八九十\d]{1,3}[)）]\s{0,4})?$")
_PLAN = re.compile(r"将|计划|拟|力争|预计|打算|下一步|展望|要进一步")
_SPAN = re.compile(r"以来|至今|截至|截止|期间|相比|同比|同期")
_CITED = re.compile(r"《")
_ISSUED = re.compile(r"印发|发布|出台|颁布|公布|修订|施行")
# “本报告所列数据的统计期限自2022年1月1日起至2022年12月31日止”
PERIOD = re.compile(
    r"统计(?:期限|时限|时间|期间|区间|周期|范围)[^。]{0,12}?(?P<y1>(?:19|20)\d\d)\s{0,2}年\s{0,2}1\s{0,2}月\s{0,2}1\s{0,2}日"
    r"[^。]{0,8}?(?P<y2>(?:19|20)\d\d)\s{0,2}年\s{0,2}12\s{0,2}月\s{0,2}31\s{0,2}日"
)

# --- “Every application was answered” ---------------------------------------------------------

ALL_DONE = re.compile(
    r"(?P<words>(?:均已|均|全部|已全部|全部已|都已|都|均已经|全都|皆已|皆)\s{0,2}(?:按时|按期|依法|如期|在法定期限内)?\s{0,2}"
    r"(?:办结|办理完毕|处理完毕|答复完毕|办理完成|完成办理))"
)
_NOT_ALL = re.compile(r"(?:未|没有|尚未|不能|未能|难以)\s*$")
_SUBSET = re.compile(r"结转|其中|部分|已办结|办结的|复议|诉讼|留言|信访|咨询|建议|提案|投诉|热线")

_SENTENCE_END = re.compile(r"[。！？!?\n]")
_TERMINAL = "。！？!?；;：:"
_TITLE_ENDS = ("报告", "情况", "事项")  # a title or a heading line, never cut mid-sentence
_NUMBERED_START = re.compile(r"^\s*(?:[（(][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}[、.．]|\d{1,2}[、.．](?!\d)|第[一二三四五六七八九十]+[，,、])")

_CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNIT = {"十": 10, "百": 100, "千": 1000}


def cn_number(text: str) -> int | None:
    """一百零五 -> 105, 十二 -> 12, 两 -> 2; None for what is not a plain numeral."""
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _CN_DIGIT:
            if digit is not None and digit != 0:
                return None  # 一二: not a numeral
            digit = _CN_DIGIT[ch]
        elif ch in _CN_UNIT:
            section += (1 if digit is None else digit) * _CN_UNIT[ch]
            digit = None
        elif ch == "万":
            total += (section + (digit or 0)) * 10000
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)


def read_number(text: str) -> int | None:
    text = text.replace(",", "")
    if text.isdigit():
        return int(text)  # int() reads full-width digits too
    return cn_number(text)


# --- Where a match is -----------------------------------------------------------------------------


@dataclass(slots=True)
class Block:
    """A section's prose as one text, scanned once: paragraphs that continue a
    sentence (cut by a page break or a copy's line wrap) joined as they were
    written, others parted by a line break, table rows left out."""

    section: int | None
    text: str
    starts: list[int]  # where each paragraph begins in `text`
    paragraphs: list[int]  # their indexes in the section's body
    passages: list[Passage]
    region_is_own: bool = False  # a people's government's report: 全县's figures are its own
    _ends: list[int] | None = None  # where each sentence ends, found when first asked

    def where(self, offset: int) -> tuple[int, int, Passage]:
        """(index in the body, offset in that paragraph, the paragraph) of a position."""
        i = bisect_right(self.starts, offset) - 1
        return self.paragraphs[i], offset - self.starts[i], self.passages[i]

    def sentence(self, offset: int) -> tuple[int, int]:
        """The bounds of the sentence holding `offset`."""
        if self._ends is None:
            self._ends = [m.end() for m in _SENTENCE_END.finditer(self.text)]
        i = bisect_right(self._ends, offset)
        start = self._ends[i - 1] if i else 0
        end = self._ends[i] if i < len(self._ends) else len(self.text)
        while start < end and self.text[start].isspace():
            start += 1
        return start, end

    def clause_start(self, offset: int) -> int:
        start = 0
        lo = max(0, offset - 40)
        for m in _CLAUSE_BREAK.finditer(self.text, lo, offset):
            start = m.end()
        return max(start, lo)


def _joins(prev: str, nxt: str) -> bool:
    """Whether the next paragraph continues the previous one's sentence."""
    prev = prev.rstrip()
    return (
        bool(prev) and prev[-1] not in _TERMINAL and len(prev) >= 20
        and not prev.endswith(_TITLE_ENDS) and not _NUMBERED_START.match(nxt)
    )


def block_of(passages: list[Passage], section: int | None) -> Block | None:
    """A section's prose as one Block (None when it has none)."""
    pieces: list[str] = []
    starts: list[int] = []
    indexes: list[int] = []
    kept: list[Passage] = []
    length = 0
    previous: Passage | None = None
    for index, passage in enumerate(passages):
        if passage.row:
            previous = passage
            continue
        if kept and not (previous is kept[-1] and _joins(previous.text, passage.text)):
            pieces.append("\n")
            length += 1
        starts.append(length)
        indexes.append(index)
        kept.append(passage)
        pieces.append(passage.text)
        length += len(passage.text)
        previous = passage
    if not kept:
        return None
    return Block(section, "".join(pieces), starts, indexes, kept)


# --- What the scan finds ----------------------------------------------------------------------------


@dataclass(slots=True)
class Statement:
    """A place in the prose: its block and where in it."""

    block: Block
    start: int  # of the words that matter
    end: int


@dataclass(slots=True)
class Fact(Statement):
    fact: str = ""  # a key of FACT_WORDS
    value: int = 0
    phrase: str = ""  # the words as written, fact word to unit


@dataclass(slots=True)
class YearSaid(Statement):
    year: int = 0
    period: bool = False  # a statistics period (统计期限…), not a sentence's opening


@dataclass(slots=True)
class AllDone(Statement):
    words: str = ""


@dataclass(slots=True)
class Scan:
    facts: list[Fact] = field(default_factory=list)
    years: list[YearSaid] = field(default_factory=list)
    all_done: list[AllDone] = field(default_factory=list)


def _fact_at(block: Block, m: re.Match, year: int | None) -> Fact | None:
    """A FACT match as a statement, unless its context makes it a part, another period's or approximate."""
    text = block.text
    word = m.group("key")
    if word in NEEDS_APPLICATION and "申请" not in m.group("fill"):
        return None
    unit = m.group("unit")
    raw = m.group("num")
    if unit == "起" and raw == "一":
        return None  # 一起: “together”, as often as “one case”
    if text.startswith(_APPROX_AFTER, m.end()):
        return None
    start = m.start()
    if _MODIFIERS.search(text, max(0, start - 4), start):
        return None
    if _COMBINED.search(text, max(0, start - 14), start):
        return None
    if _other_time(block, start, year):
        return None
    value = read_number(raw)
    if value is None:
        return None
    return Fact(block, start, m.end(), WORD_FACT[word], value, m.group())


def _other_time(block: Block, start: int, year: int | None) -> bool:
    """The words before a fact speak of another period, or of others: 较上年, 上半年, 3月
    or 2022年 in its clause, a sentence that opens with another year (“2022年，…收到申请15件”),
    or one about a whole region (“全县共收到…”); a year inside a cited title (《2022年…要点》)
    does not count, and 本年, 今年, 全年 in the clause say it is this year's."""
    text = block.text
    clause = _CITATION.sub("", text[block.clause_start(start): start])
    if clause:
        if _CLAUSE_CONTEXT.search(clause):
            return True
        if "月" in clause and not _FULL_YEAR.search(clause):
            return True  # a month's figure, not the year's
        years = _YEAR_MENTION.findall(clause)
        if years:
            return year is None or int(years[-1]) != year
        if _THIS_YEAR.search(clause):
            return False
    sentence = block.sentence(start)[0]
    opening = _OPENING_YEAR.match(text, sentence, start)
    if opening is not None and (year is None or int(opening.group(1)) != year):
        return True
    return not block.region_is_own and _of_others(text, sentence, start)


def _of_others(text: str, start: int, end: int) -> bool:
    """The sentence, up to a fact, last names a whole region or all its departments
    (全县共收到…): their figures, not this agency's table."""
    last = None
    for last in _SCOPE.finditer(text, start, end):
        pass
    return last is not None and last.group("all") is not None


_GOVERNMENTS = ("人民政府", "政府")
_T4_FACT = {"行政复议": "review", "行政诉讼": "litigation"}


def scan_block(block: Block, year: int | None, out: Scan) -> None:
    text = block.text
    for m in FACT.finditer(text):
        found = _fact_at(block, m, year)
        if found is not None:
            out.facts.append(found)
    if "未" in text or "没有" in text or "无" in text:
        for m in ZERO.finditer(text):
            if _other_time(block, m.start(), year):
                continue
            for key in ("k1", "k2"):
                if m.group(key):
                    out.facts.append(Fact(block, m.start(), m.end(), _T4_FACT[m.group(key)], 0, m.group()))
        for m in ZERO_APPLICATIONS.finditer(text):
            if _other_time(block, m.start(), year):
                continue
            fact = "accepted" if m.group("verb") == "受理" else "received_new"
            out.facts.append(Fact(block, m.start(), m.end(), fact, 0, m.group()))
    for m in BOTH.finditer(text) if "行政复议" in text and "行政诉讼" in text else ():
        if _other_time(block, m.start(), year):
            continue
        each = m.group("each")
        values = (each, each) if each is not None else (m.group("n1"), m.group("n2"))
        for key, raw in zip(("k1", "k2"), values):
            value = read_number(raw)
            if value is not None:
                out.facts.append(Fact(block, m.start(), m.end(), _T4_FACT[m.group(key)], value, m.group()))
    if block.section is not None and "年" in text:
        for m in YEAR_AT.finditer(text):
            # `^` matches only at the block's start, `$` at the year: a sentence begins there
            if _OPENS.search(text, max(0, m.start() - 12), m.start()):
                out.years.append(YearSaid(block, m.start(), m.end(), int(m.group(1))))
    if "统计" in text:
        for m in PERIOD.finditer(text):
            for key in ("y1", "y2"):
                out.years.append(YearSaid(block, m.start(), m.end(), int(m.group(key)), period=True))
    if "办结" in text or "完毕" in text or "办理完成" in text or "完成办理" in text:
        for m in ALL_DONE.finditer(text):
            out.all_done.append(AllDone(block, m.start(), m.end(), m.group("words")))


def scan(report: Report) -> Scan:
    """Every statement the prose of one report makes, each section read once."""
    out = Scan()
    year = report.year
    # a people's government reports for its whole region (全市共受理… is its table); a
    # department's report (or one whose agency is not known) speaks of others when it says 全县
    own = bool(report.agency) and report.agency.endswith(_GOVERNMENTS)
    for passages, number in ((report.preamble, None), *((sec.body, sec.number) for sec in report.sections)):
        block = block_of(passages, number)
        if block is not None:
            block.region_is_own = own
            scan_block(block, year, out)
    return out


# --- Judging years and completeness claims ----------------------------------------------------------


def wrong_year(said: YearSaid, year: int) -> bool:
    """A sentence that dates the year's work to another year (not a plan, a
    span, a comparison with this year, or a cited document's date)."""
    if said.period:
        return said.year != year
    if said.year >= year:
        return False  # this year, or plans for the next
    start, end = said.block.sentence(said.start)
    sentence = said.block.text[start:end]
    if f"{year}年" in sentence or _PLAN.search(sentence) or _SPAN.search(sentence):
        return False
    first = _CLAUSE_BREAK.split(sentence[said.end - start:], 1)[0]
    rest = sentence[said.end - start:]
    if _CITED.search(rest) and _ISSUED.search(first + rest[:30]):
        return False
    return True


def claims_all_done(said: AllDone) -> bool:
    """`均已办结` about the year's applications, not a part of them."""
    text = said.block.text
    if _NOT_ALL.search(text, max(0, said.start - 3), said.start):
        return False
    start, _ = said.block.sentence(said.start)
    before = text[start: said.start]
    return "申请" in before and not _SUBSET.search(before)
