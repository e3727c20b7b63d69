"""The national template: section titles, table keys, labels and vintages.

Everything here is data. The interpreter matches a document against it; the
rules and the presenters use its keys and display labels.
"""

from __future__ import annotations

from dataclasses import dataclass

T2021 = 2021
T2019 = 2019

# --- Sections ---------------------------------------------------------------

SECTION_TITLES: tuple[str, ...] = (
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
)

# A heading is recognised by one of these cores once its numbering is removed;
# the longer alternates are the wordings older templates and agencies use.
SECTION_KEYWORDS: tuple[tuple[str, ...], ...] = (
    ("总体情况", "概述"),
    ("主动公开政府信息", "主动公开情况", "主动公开"),
    ("收到和处理政府信息公开申请", "依申请公开", "收到和处理"),
    ("行政复议", "行政诉讼"),
    ("存在的主要问题", "主要问题及改进", "存在问题"),
    ("其他需要报告", "其他需要说明", "其他事项"),
)

# --- Table 3: requests -------------------------------------------------------

COLS: tuple[str, ...] = ("natural", "commercial", "research", "social", "legal", "other", "total")
PART_COLS: tuple[str, ...] = COLS[:-1]

COL_LABELS: dict[str, str] = {
    "natural": "自然人",
    "commercial": "商业企业",
    "research": "科研机构",
    "social": "社会公益组织",
    "legal": "法律服务机构",
    "other": "其他",
    "total": "总计",
}

_HEAD_ROWS = ("received_new", "carried_over")
_DENIED = tuple(f"denied_{i}" for i in range(1, 9))
_UNABLE = tuple(f"unable_{i}" for i in range(1, 4))
_NOT_PROCESSED = tuple(f"not_processed_{i}" for i in range(1, 6))
_OTHER_2021 = ("other_1", "other_2", "other_3")
_TAIL_ROWS = ("results_total", "carried_forward")

OUTCOME_ROWS_2021: tuple[str, ...] = (
    "granted", "partial", *_DENIED, *_UNABLE, *_NOT_PROCESSED, *_OTHER_2021,
)
OUTCOME_ROWS_2019: tuple[str, ...] = (
    "granted", "partial", *_DENIED, *_UNABLE, *_NOT_PROCESSED, "other",
)

ROWS_2021: tuple[str, ...] = (*_HEAD_ROWS, *OUTCOME_ROWS_2021, *_TAIL_ROWS)
ROWS_2019: tuple[str, ...] = (*_HEAD_ROWS, *OUTCOME_ROWS_2019, *_TAIL_ROWS)


def rows_for(template: int) -> tuple[str, ...]:
    return ROWS_2019 if template == T2019 else ROWS_2021


def outcome_rows_for(template: int) -> tuple[str, ...]:
    return OUTCOME_ROWS_2019 if template == T2019 else OUTCOME_ROWS_2021


@dataclass(frozen=True)
class RowSpec:
    key: str
    label: str  # as the template prints it
    level: int  # indentation in the grid: 0 一/二/四, 1 （一）…, 2 1.…
    group: str | None  # 三's sub-group label this row sits under


ROW_SPECS: dict[str, RowSpec] = {
    s.key: s
    for s in (
        RowSpec("received_new", "一、本年新收政府信息公开申请数量", 0, None),
        RowSpec("carried_over", "二、上年结转政府信息公开申请数量", 0, None),
        RowSpec("granted", "（一）予以公开", 1, None),
        RowSpec("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 1, None),
        RowSpec("denied_1", "1.属于国家秘密", 2, "（三）不予公开"),
        RowSpec("denied_2", "2.其他法律行政法规禁止公开", 2, "（三）不予公开"),
        RowSpec("denied_3", "3.危及“三安全一稳定”", 2, "（三）不予公开"),
        RowSpec("denied_4", "4.保护第三方合法权益", 2, "（三）不予公开"),
        RowSpec("denied_5", "5.属于三类内部事务信息", 2, "（三）不予公开"),
        RowSpec("denied_6", "6.属于四类过程性信息", 2, "（三）不予公开"),
        RowSpec("denied_7", "7.属于行政执法案卷", 2, "（三）不予公开"),
        RowSpec("denied_8", "8.属于行政查询事项", 2, "（三）不予公开"),
        RowSpec("unable_1", "1.本机关不掌握相关政府信息", 2, "（四）无法提供"),
        RowSpec("unable_2", "2.没有现成信息需要另行制作", 2, "（四）无法提供"),
        RowSpec("unable_3", "3.补正后申请内容仍不明确", 2, "（四）无法提供"),
        RowSpec("not_processed_1", "1.信访举报投诉类申请", 2, "（五）不予处理"),
        RowSpec("not_processed_2", "2.重复申请", 2, "（五）不予处理"),
        RowSpec("not_processed_3", "3.要求提供公开出版物", 2, "（五）不予处理"),
        RowSpec("not_processed_4", "4.无正当理由大量反复申请", 2, "（五）不予处理"),
        RowSpec("not_processed_5", "5.要求行政机关确认或重新出具已获取信息", 2, "（五）不予处理"),
        RowSpec(
            "other_1",
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            2,
            "（六）其他处理",
        ),
        RowSpec(
            "other_2",
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            2,
            "（六）其他处理",
        ),
        RowSpec("other_3", "3.其他", 2, "（六）其他处理"),
        RowSpec("other", "（六）其他处理", 1, None),
        RowSpec("results_total", "（七）总计", 1, None),
        RowSpec("carried_forward", "四、结转下年度继续办理", 0, None),
    )
}

GROUP_LABELS: dict[str, str] = {
    "denied": "（三）不予公开",
    "unable": "（四）无法提供",
    "not_processed": "（五）不予处理",
    "other": "（六）其他处理",
}

# Keywords that identify a row from its (normalised) label.  Order matters:
# the first row whose keyword occurs wins, so specific wordings come first.
ROW_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("received_new", ("本年新收",)),
    ("carried_over", ("上年结转",)),
    ("carried_forward", ("结转下年度", "转下年度")),
    ("partial", ("部分公开",)),
    ("granted", ("予以公开",)),
    ("denied_1", ("国家秘密",)),
    ("denied_2", ("禁止公开",)),
    ("denied_3", ("三安全一稳定", "危及")),
    ("denied_4", ("第三方合法权益", "保护第三方")),
    ("denied_5", ("内部事务",)),
    ("denied_6", ("过程性信息",)),
    ("denied_7", ("行政执法案卷", "执法案卷")),
    ("denied_8", ("行政查询事项", "查询事项")),
    ("unable_1", ("不掌握",)),
    ("unable_2", ("另行制作", "没有现成信息")),
    ("unable_3", ("补正后", "仍不明确")),
    ("not_processed_1", ("信访举报", "举报投诉")),
    ("not_processed_2", ("重复申请",)),
    ("not_processed_3", ("公开出版物",)),
    ("not_processed_4", ("大量反复",)),
    ("not_processed_5", ("确认或重新出具", "重新出具")),
    ("other_1", ("逾期不补正", "不补正")),
    ("other_2", ("收费通知", "缴纳费用")),
    ("results_total", ("总计",)),
)

# Other wordings of a row's label that a damaged label is compared with
# (besides the template's own), numbering left off.
ROW_WORDINGS: dict[str, tuple[str, ...]] = {
    "partial": ("部分公开",),
    "denied_2": ("其他法律法规禁止公开",),
}

GROUP_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("denied", "不予公开"),
    ("unable", "无法提供"),
    ("not_processed", "不予处理"),
    ("other", "其他处理"),
)

# --- Table 4: review and litigation --------------------------------------------

T4_GROUPS: tuple[str, ...] = ("review", "litigation_direct", "litigation_after_review")
T4_FIELDS: tuple[str, ...] = ("upheld", "corrected", "other", "pending", "total")
T4_PART_FIELDS: tuple[str, ...] = T4_FIELDS[:-1]
T4_GROUP_LABELS: dict[str, str] = {
    "review": "行政复议",
    "litigation_direct": "行政诉讼·未经复议直接起诉",
    "litigation_after_review": "行政诉讼·复议后起诉",
}
T4_FIELD_LABELS: dict[str, str] = {
    "upheld": "结果维持",
    "corrected": "结果纠正",
    "other": "其他结果",
    "pending": "尚未审结",
    "total": "总计",
}

# --- Table 2: active disclosure ------------------------------------------------

# Row key -> label keywords (normalised), checked in order.
T2_ROWS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("normative_documents", ("规范性文件",)),
    ("regulations", ("规章",)),
    ("licensing", ("行政许可",)),
    ("other_services", ("其他对外管理服务事项", "对外管理服务")),
    ("punishment", ("行政处罚",)),
    ("enforcement", ("行政强制",)),
    ("fees", ("行政事业性收费",)),
    ("procurement", ("政府集中采购", "集中采购")),
)

# Column header keyword -> field key.
T2_HEADER_FIELDS: tuple[tuple[str, str], ...] = (
    ("本年制发件数", "issued"),
    ("本年废止件数", "repealed"),
    ("现行有效件数", "in_force"),
    ("本年新制作数量", "new_made"),
    ("本年新公开数量", "new_published"),
    ("对外公开总数量", "total_published"),
    ("上一年项目数量", "previous_count"),
    ("增/减", "change"),
    ("增减", "change"),
    ("处理决定数量", "decisions"),
    ("本年收费金额", "amount"),
    ("采购项目数量", "projects"),
    ("采购总金额", "amount"),
)

# The columns each row has when no header row says otherwise.
T2_DEFAULT_FIELDS: dict[int, dict[str, tuple[str, ...]]] = {
    T2021: {
        "regulations": ("issued", "repealed", "in_force"),
        "normative_documents": ("issued", "repealed", "in_force"),
        "licensing": ("decisions",),
        "punishment": ("decisions",),
        "enforcement": ("decisions",),
        "fees": ("amount",),
    },
    T2019: {
        "regulations": ("new_made", "new_published", "total_published"),
        "normative_documents": ("new_made", "new_published", "total_published"),
        "licensing": ("previous_count", "change", "decisions"),
        "other_services": ("previous_count", "change", "decisions"),
        "punishment": ("previous_count", "change", "decisions"),
        "enforcement": ("previous_count", "change", "decisions"),
        "fees": ("previous_count", "change"),
        "procurement": ("projects", "amount"),
    },
}

T2_2019_MARKERS = ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "采购项目数量")
T2_2021_MARKERS = ("本年制发件数", "本年废止件数", "现行有效件数")

# Display labels of table 2's rows and columns (findings name cells with them).
T2_ROW_LABELS: dict[str, str] = {
    "regulations": "规章",
    "normative_documents": "行政规范性文件",
    "licensing": "行政许可",
    "other_services": "其他对外管理服务事项",
    "punishment": "行政处罚",
    "enforcement": "行政强制",
    "fees": "行政事业性收费",
    "procurement": "政府集中采购",
}
T2_FIELD_LABELS: dict[str, str] = {
    "issued": "本年制发件数",
    "repealed": "本年废止件数",
    "in_force": "现行有效件数",
    "new_made": "本年新制作数量",
    "new_published": "本年新公开数量",
    "total_published": "对外公开总数量",
    "previous_count": "上一年项目数量",
    "change": "本年增/减",
    "decisions": "处理决定数量",
    "projects": "采购项目数量",
    "amount": "金额",
}
# Table 2's columns that are not counts: money, and 2019's 本年增/减 (may be negative).
T2_NOT_COUNTS = frozenset({"amount", "change"})
