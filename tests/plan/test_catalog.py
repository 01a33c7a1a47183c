"""The catalog of transcribed plans, checked against hand-picked values and the source texts.

Two independent checks per value: the plan holds the figure read by hand from the source, and
the source text holds the figure the plan holds (at the place its ``source_ref`` names), so a
typo in either the YAML or this file fails.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache

import pytest

from reportgen.cli import run
from reportgen.plan import Indicator, Plan, catalog_files, list_plans
from reportgen.plan import load_plan as _load_plan
from tests.support.paths import CATALOG as REPO_PLANS
from tests.support.seeds import CATALOG_IDS, SEEDS, needs_seeds

load_plan = cache(_load_plan)  # plans are immutable; parse each catalog file once
CATALOG_PLANS = [load_plan(plan_id) for plan_id in CATALOG_IDS]


def source_text(plan: Plan) -> str:
    assert SEEDS is not None
    return (SEEDS / plan.source).read_text(encoding="utf-8")


def num(value: float) -> str:
    """A figure as the source writes it: 80 -> '80', 95.5 -> '95.5'."""
    return str(int(value)) if float(value).is_integer() else str(value)


# ---- the catalog -------------------------------------------------------------------------------


def test_plan_list_json_lists_the_four_plans(capsys):
    assert run(["plan", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [p["id"] for p in listed if p["id"] in CATALOG_IDS] == list(CATALOG_IDS)
    plans = {p.id: p for p in list_plans()}
    for entry in listed:
        plan = plans[entry["id"]]
        assert entry["indicators"] == len(plan.indicators) > 0
        assert entry["tasks"] == len(plan.tasks) > 0
        assert entry["years"] == f"{plan.start.year}—{plan.end.year}"


@pytest.mark.parametrize("plan_id", CATALOG_IDS)
def test_catalog_plan_validates(plan_id):
    files = catalog_files()
    assert files[plan_id].parent == REPO_PLANS
    plan = load_plan(plan_id)
    assert plan.id == plan_id
    assert [i.id for i in plan.indicators] == [
        f"{i.id[:2]}{n:02d}" for n, i in enumerate(plan.indicators, 1)
    ]
    assert [t.id for t in plan.tasks] == [f"T{n:02d}" for n in range(1, len(plan.tasks) + 1)]
    assert len({i.id[:2] for i in plan.indicators}) == 1


@needs_seeds
@pytest.mark.parametrize("plan_id", CATALOG_IDS)
def test_source_file_is_in_the_seed_index(plan_id):
    plan = load_plan(plan_id)
    assert (SEEDS / plan.source).is_file()
    assert f"| {plan.source} |" in (SEEDS / "INDEX.md").read_text(encoding="utf-8")


# ---- hand-picked samples -----------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    """A value read by hand from the source, and the source phrase that holds it.

    ``phrase`` is filled from the PLAN's values ({t2025} = target of 2025, {b} = baseline) and must
    occur in the source text.
    """

    plan_id: str
    indicator_id: str
    name: str
    unit: str
    targets: dict[int, float]
    phrase: str
    baseline: tuple[int, float] | None = None
    attribute: str = "预期性"
    category: str | None = None
    note_has: tuple[str, ...] = field(default=())


SAMPLES = [
    # 济南 专栏1 (tab-separated table rows in the source)
    Sample("jinan-2023-metrology", "JN03", "新建和升级社会公用计量标准", "项", {2023: 60, 2024: 80, 2025: 100},
           "支撑保障\t新建和升级社会公用计量标准（项）\t{t2023}\t{t2024}\t{t2025}\t预期性", category="支撑保障"),
    Sample("jinan-2023-metrology", "JN08", "引导培育诚信计量示范单位", "家", {2023: 200, 2024: 300, 2025: 400},
           "\t引导培育诚信计量示范单位（家）\t{t2023}\t{t2024}\t{t2025}\t预期性", category="法制监督"),
    Sample("jinan-2023-metrology", "JN02", "主导或参与制（修）订地方计量技术规范", "部", {2023: 9, 2024: 12, 2025: 15},
           "\t主导或参与制（修）订地方计量技术规范（部）\t{t2023}\t{t2024}\t{t2025}\t预期性", category="科技创新"),
    Sample("jinan-2023-metrology", "JN10", "先进制造业企业", "家", {2025: 200},
           "重点服务{t2025}家以上先进制造业企业", note_has=("以上",)),
    Sample("jinan-2023-metrology", "JN12", "具有核心竞争力的行业领军企业", "家", {2025: 5},
           "培育{t2025}家具有核心竞争力的行业领军企业"),
    # 舟山 计量发展主要目标表
    Sample("zhoushan-2023-metrology", "ZS09", "全市强检计量器具检定覆盖率", "%", {2025: 97},
           "9\t全市强检计量器具检定覆盖率（%）\t{b}\t{t2025}\t约束性", baseline=(2022, 94), attribute="约束性"),
    Sample("zhoushan-2023-metrology", "ZS02", "市级最高计量标准", "项", {2025: 80},
           "2\t市级最高计量标准(项)\t{b}\t{t2025}\t预期性", baseline=(2022, 78)),
    Sample("zhoushan-2023-metrology", "ZS01", "参与或主持制省部级计量科研项目", "项/年", {2025: 2},
           "1\t参与或主持制省部级计量科研项目(项/年)\t{b}\t{t2025}\t预期性", baseline=(2022, 1)),
    Sample("zhoushan-2023-metrology", "ZS05", "诚信计量示范单位", "家", {2025: 200},
           "5\t诚信计量示范单位（家）\t{b}\t{t2025}\t预期性", baseline=(2022, 100)),
    # 青岛 prose targets
    Sample("qingdao-2023-metrology", "QD01", "市级社会公用计量标准", "项", {2025: 350},
           "市级社会公用计量标准数量达到{t2025}项"),
    Sample("qingdao-2023-metrology", "QD02", "标准物质", "项", {2025: 10}, "研制标准物质{t2025}项"),
    Sample("qingdao-2023-metrology", "QD03", "计量器具国家型式评价实验室", "个", {2025: 8},
           "创建计量器具国家型式评价实验室{t2025}个"),
    Sample("qingdao-2023-metrology", "QD11", "诚信计量示范单位", "家", {2025: 350},
           "引导培育{t2025}家以上诚信计量示范单位", note_has=("300", "350", "以上")),
    # 山东 2016 and 2020 prose targets
    Sample("shandong-2013-metrology", "SD01", "省级社会公用计量标准", "项", {2016: 300, 2020: 320},
           "到2016年，省级社会公用计量标准数量达到{t2016}项，市级社会公用计量标准平均达到120项，"
           "县级社会公用计量标准平均达到25项。到2020年，省级社会公用计量标准数量达到{t2020}项"),
    Sample("shandong-2013-metrology", "SD02", "市级社会公用计量标准", "项", {2016: 120, 2020: 140},
           "市级社会公用计量标准平均达到{t2016}项，县级社会公用计量标准平均达到25项。到2020年，"
           "省级社会公用计量标准数量达到320项，市级社会公用计量标准平均达到{t2020}项", note_has=("平均",)),
    Sample("shandong-2013-metrology", "SD09", "量传溯源体系覆盖率", "%", {2020: 95}, "量传溯源体系覆盖率达到{t2020}%以上"),
    Sample("shandong-2013-metrology", "SD11", "定量包装商品净含量抽检合格率", "%", {2020: 90},
           "定量包装商品净含量抽检合格率达到{t2020}%以上"),
    Sample("shandong-2013-metrology", "SD13", "诚信计量示范单位", "家", {2020: 5000}, "诚信计量示范单位达到{t2020}家以上"),
]  # fmt: skip


def sample_id(sample: Sample) -> str:
    return f"{sample.plan_id.split('-')[0]}-{sample.indicator_id}"


@pytest.mark.parametrize("sample", SAMPLES, ids=sample_id)
def test_sample_matches_plan(sample):
    ind = load_plan(sample.plan_id).indicator(sample.indicator_id)
    assert ind.name == sample.name
    assert ind.unit == sample.unit
    assert ind.targets == sample.targets
    assert ind.attribute == sample.attribute
    assert ind.category == sample.category
    if sample.baseline is None:
        assert ind.baseline is None
    else:
        assert (ind.baseline.year, ind.baseline.value) == sample.baseline
    for word in sample.note_has:
        assert word in (ind.note or "")


@needs_seeds
@pytest.mark.parametrize("sample", SAMPLES, ids=sample_id)
def test_sample_matches_source(sample):
    plan = load_plan(sample.plan_id)
    ind = plan.indicator(sample.indicator_id)
    values = {f"t{y}": num(v) for y, v in ind.targets.items()}
    if ind.baseline:
        values["b"] = num(ind.baseline.value)
    phrase = sample.phrase.format(**values)
    assert phrase in source_text(plan)


def test_acceptance_values():
    """The issue's acceptance samples, straight from the plans."""
    jn = load_plan("jinan-2023-metrology").indicator("JN03")
    assert (jn.name, jn.targets) == ("新建和升级社会公用计量标准", {2023: 60, 2024: 80, 2025: 100})
    zs = load_plan("zhoushan-2023-metrology").indicator("ZS09")
    assert (zs.baseline.value, zs.targets[2025], zs.attribute) == (94, 97, "约束性")
    qd = load_plan("qingdao-2023-metrology").indicator("QD01")
    assert (qd.name, qd.targets) == ("市级社会公用计量标准", {2025: 350})
    sd = load_plan("shandong-2013-metrology").indicator("SD01")
    assert (sd.name, sd.targets) == ("省级社会公用计量标准", {2016: 300, 2020: 320})


@pytest.mark.parametrize(
    ("plan_id", "task_id", "title", "lead", "cooperating"),
    [
        ("zhoushan-2023-metrology", "T07", "支撑美丽舟山建设", ["市市场监管局"],
         ["市发改委", "市资源规划局", "市生态环境局", "市水利局"]),
        ("zhoushan-2023-metrology", "T02", "加强计量技术机构建设", ["市市场监管局"], []),
        ("jinan-2023-metrology", "T08", "服务大众健康与安全", ["市市场监管局"],
         ["市卫生健康委", "市教育局", "市体育局", "市交通运输局", "市公安局"]),
        ("jinan-2023-metrology", "T11", "完善量值溯源体系", ["市市场监管局"], ["市政府有关部门"]),
        ("qingdao-2023-metrology", "T16", "加强民生计量监督管理", ["市市场监管局"],
         ["市政府有关部门", "国网青岛供电公司"]),
        ("shandong-2013-metrology", "T16", "加强计量人才队伍建设", [], []),
    ],
)  # fmt: skip
def test_task_samples(plan_id, task_id, title, lead, cooperating):
    task = next(t for t in load_plan(plan_id).tasks if t.id == task_id)
    assert (task.title, task.lead, task.cooperating) == (title, lead, cooperating)


@pytest.mark.parametrize(
    ("plan_id", "indicators", "tasks"),
    [
        ("jinan-2023-metrology", 12, 21),
        ("qingdao-2023-metrology", 11, 18),
        ("shandong-2013-metrology", 21, 16),
        ("zhoushan-2023-metrology", 9, 14),
    ],
)
def test_catalog_counts(plan_id, indicators, tasks):
    plan = load_plan(plan_id)
    assert (len(plan.indicators), len(plan.tasks)) == (indicators, tasks)


# ---- every value against the source --------------------------------------------------------------

LEVELS = (r"[一二三四五六七八九十]+、", r"[（(][一二三四五六七八九十]+[）)]", r"\d+\.")
LINE_START = r"(?m)^[ \t\u3000]*"
REF = re.compile(r"([一二三四五六七八九十]+、)?(（[一二三四五六七八九十]+）)?(\d+\.)?")


def section(text: str, ref: str) -> str:
    """The text of the section a source_ref such as '一、（二）2.' names, up to the next sibling."""
    match = REF.fullmatch(ref)
    assert match and any(match.groups()), f"unrecognised source_ref {ref!r}"
    start, level = 0, -1
    for level_n, part in enumerate(match.groups()):
        if part is None:
            continue
        pattern = re.escape(part).replace("（", "[（(]").replace("）", "[）)]")
        found = re.compile(LINE_START + pattern).search(text, start)
        assert found, f"section {ref!r}: {part} not found"
        start, level = found.end(), level_n
    ends = [re.compile(LINE_START + LEVELS[n]).search(text, start) for n in range(level + 1)]
    end = min((m.start() for m in ends if m), default=len(text))
    return text[start:end]


def table_rows(text: str) -> tuple[list[int], list[list[str]]]:
    """The indicator table of a source: target years from the header, and the data rows.

    The 类别 column (济南) carries down: a blank cell continues the category above.
    """
    lines = [line.split("\t") for line in text.splitlines() if line.count("\t") >= 3]
    header = next(cells for cells in lines if any(re.fullmatch(r"\d{4}年", c) for c in cells))
    years = [int(c[:4]) for c in header if re.fullmatch(r"\d{4}年", c)]
    rows, category = [], ""
    for cells in lines[lines.index(header) + 1 :]:
        if cells[0] and not cells[0].isdigit():
            category = cells[0]
        rows.append([category, *cells[1:]] if not cells[0].isdigit() else cells)
    return years, rows


ROW_REF = re.compile(r"(?:表 计量发展主要目标|专栏1) 第(\d+)行")


def table_indicators() -> list[tuple[str, Indicator]]:
    return [
        (p.id, i) for p in CATALOG_PLANS for i in p.indicators if ROW_REF.fullmatch(i.source_ref)
    ]


@needs_seeds
@pytest.mark.parametrize(("plan_id", "ind"), table_indicators(), ids=lambda x: getattr(x, "id", x))
def test_table_row_matches_source(plan_id, ind):
    """Name, unit, years, baseline, targets, 属性 and 类别 equal the table row source_ref names."""
    plan = load_plan(plan_id)
    years, rows = table_rows(source_text(plan))
    row = rows[int(ROW_REF.fullmatch(ind.source_ref).group(1)) - 1]
    label = re.fullmatch(r"(.+)[（(]([^（()）]+)[）)]", row[1])  # unit: the last brackets
    assert (ind.name, ind.unit) == label.groups()
    assert ind.attribute == row[-1]
    values = [float(c) for c in row[2:-1]]
    if ind.baseline:  # 舟山: first year column is the baseline
        assert (ind.baseline.year, ind.baseline.value) == (years[0], values[0])
        years, values = years[1:], values[1:]
    assert ind.targets == dict(zip(years, values, strict=True))
    if plan_id.startswith("jinan"):
        assert ind.category == row[0]


@needs_seeds
@pytest.mark.parametrize("plan_id", ["jinan-2023-metrology", "zhoushan-2023-metrology"])
def test_every_table_row_is_transcribed(plan_id):
    plan = load_plan(plan_id)
    _, rows = table_rows(source_text(plan))
    refs = {i.source_ref for i in plan.indicators if ROW_REF.fullmatch(i.source_ref)}
    assert len(refs) == len(rows) == (8 if plan_id.startswith("jinan") else 9)


def prose_indicators() -> list[tuple[str, Indicator]]:
    return [
        (p.id, i)
        for p in CATALOG_PLANS
        for i in p.indicators
        if not ROW_REF.fullmatch(i.source_ref)
    ]


def figure_positions(text: str, ind: Indicator, year: int, value: float) -> list[int]:
    """Where ``value`` and its unit are written right next to the name (no other figure between)."""
    name = ind.name
    gap = rf"(?:[^\d\n]|{year}年){{0,30}}"
    figure = rf"(?<![\d.]){re.escape(num(value))}(?={re.escape(ind.unit)})"
    after = re.finditer(rf"{re.escape(name)}{gap}({figure})", text)
    before = re.finditer(rf"({figure})[^\d\n]{{0,12}}{re.escape(name)}", text)
    return [m.start(1) for m in [*after, *before]]


@needs_seeds
@pytest.mark.parametrize(("plan_id", "ind"), prose_indicators(), ids=lambda x: getattr(x, "id", x))
def test_prose_target_is_in_its_section(plan_id, ind):
    """Each target figure stands next to the indicator name inside the section source_ref names;
    with several target years, the year written last before the figure is the target year."""
    text = section(source_text(load_plan(plan_id)), ind.source_ref)
    for year, value in ind.targets.items():
        positions = figure_positions(text, ind, year, value)
        assert positions, f"{ind.id}: {num(value)} not next to {ind.name} in {ind.source_ref}"
        if len(ind.targets) > 1:
            years = [re.findall(r"(\d{4})年", text[:pos])[-1] for pos in positions]
            assert str(year) in years, f"{ind.id}: {num(value)} is not under {year}年"


def all_tasks() -> list[tuple[str, object]]:
    return [(p.id, t) for p in CATALOG_PLANS for t in p.tasks]


@needs_seeds
@pytest.mark.parametrize(("plan_id", "task"), all_tasks(), ids=lambda x: getattr(x, "id", x))
def test_task_matches_its_section(plan_id, task):
    """The section source_ref names starts with the task title and names its departments in the
    order lead, cooperating, at its end."""
    text = section(source_text(load_plan(plan_id)), task.source_ref).strip()
    text = re.split(r"\n\s*专栏", text)[0]  # a 专栏 box after the task is not part of it
    assert text.startswith(task.title), f"{task.id}: section starts {text[:20]!r}"
    departments = [*task.lead, *task.cooperating]
    clause = re.findall(r"[（(]([^（()）]*)[）)]", text)[-1] if departments else ""
    positions = [clause.find(d) for d in departments]
    assert -1 not in positions, f"{task.id}: {departments} not all in {clause!r}"
    assert positions == sorted(positions)
