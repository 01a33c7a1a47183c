"""Indicator tables: text tables (tab/space), header detection, categories, .docx tables."""

from __future__ import annotations

from docx import Document

from reportgen.extract import extract_plan
from tests.support.extract_support import HEAD
from tests.support.extract_support import extract_text as _extract
from tests.support.extract_support import messages as _messages


def test_tab_table_with_baseline_year_units_and_attribute(tmp_path):
    body = HEAD + (
        "一、工作目标\n\n到2025年，体系初步建立。\n\n主要指标\t\t\t\t\n"
        "序号\t指标名称\t2022年\t2025年\t属性\n"
        "1\t参与科研项目(项/年)\t1\t2\t预期性\n"
        "2\t最高计量标准（项）\t78\t80\t预期性\n\n"
        "3\t检定覆盖率（%）\t94\t97\t约束性\n"
    )
    plan = _extract(tmp_path, body).plan
    first, second, third = plan.indicators
    assert (first.name, first.unit, first.method) == ("参与科研项目", "项/年", "annual")
    assert first.baseline is not None and (first.baseline.year, first.baseline.value) == (2022, 1)
    assert second.targets == {2025: 80} and second.unit == "项"
    assert (third.unit, third.attribute, third.method) == ("%", "约束性", "level")
    assert third.source_ref == "表 主要指标 第3行"
    assert (plan.start.year, plan.end.year) == (2023, 2025)


def test_multi_row_categories_and_yearly_targets(tmp_path):
    body = HEAD + (
        "一、发展目标\n\n专栏1 主要指标\n"
        "类别\t主要指标\t2023年\t2024年\t2025年\t属性\n"
        "科技创新\t科研项目（项）\t9\t12\t15\t预期性\n"
        "\t技术规范（部）\t9\t—\t15\t预期性\n"
        "法制监督\t建标覆盖率（%）\t80\t85\t90\t预期性\n"
    )
    plan = _extract(tmp_path, body).plan
    assert [(i.name, i.category) for i in plan.indicators] == [
        ("科研项目", "科技创新"),
        ("技术规范", "科技创新"),
        ("建标覆盖率", "法制监督"),
    ]
    assert plan.indicators[1].targets == {2023: 9, 2025: 15}
    assert plan.indicators[0].source_ref == "专栏1 第1行"


def test_space_separated_table_with_blank_category_cell(tmp_path):
    body = HEAD + (
        "一、主要目标\n\n"
        "类别    指标    单位    2025年目标\n"
        "创新    新建实验室    个    3\n"
        "    培育测试中心    家    4\n"
    )
    plan = _extract(tmp_path, body).plan
    assert [(i.name, i.category, i.unit, i.targets) for i in plan.indicators] == [
        ("新建实验室", "创新", "个", {2025: 3}),
        ("培育测试中心", "创新", "家", {2025: 4}),
    ]


def test_target_column_without_year_takes_the_goal_year_with_a_warning(tmp_path):
    body = HEAD + (
        "一、主要目标\n\n到2025年，全面提升。\n\n指标\t基期值\t目标值\n合格率（%）\t90\t≥95\n"
    )
    extraction = _extract(tmp_path, body)
    indicator = extraction.plan.indicators[0]
    assert indicator.targets == {2025: 95} and indicator.baseline is None
    assert "按正文目标取 2025 年" in _messages(extraction)
    assert "没有写年份" in _messages(extraction)  # the 基期值 column has no year either
    assert "≥95" in (indicator.note or "")


def test_docx_with_a_real_table_and_paragraphs(tmp_path):
    document = Document()
    for text in [
        "某市人民政府文件",
        "某政发〔2024〕3号",
        "某市质量提升行动方案（2024—2026年）",
        "一、主要目标",
    ]:
        document.add_paragraph(text)
    document.add_paragraph("到2026年，新建标准化试点20个以上。")
    table = document.add_table(rows=4, cols=4)
    rows = [
        ("类别", "指标名称", "2023年", "2026年"),
        ("质量", "产品抽检合格率（%）", "96", "98"),
        ("", "品牌企业（家）", "10", "30"),
        ("标准", "制定地方标准（项）", "5", "25"),
    ]
    for row, values in zip(table.rows, rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    document.add_paragraph("二、重点任务")
    document.add_paragraph(
        "（一）提升产品质量。开展质量提升行动。（市市场监管局牵头，市工信局配合）"
    )
    path = tmp_path / "方案.docx"
    document.save(str(path))

    extraction = extract_plan(path)
    plan = extraction.plan
    assert plan.id == "plan-draft" and plan.title == "某市质量提升行动方案（2024—2026年）"
    assert (plan.start.year, plan.end.year) == (2024, 2026)
    by_name = {i.name: i for i in plan.indicators}
    assert by_name["产品抽检合格率"].baseline.value == 96
    assert by_name["品牌企业"].category == "质量"
    assert by_name["制定地方标准"].targets == {2026: 25}
    assert by_name["新建标准化试点"].targets == {2026: 20}
    assert plan.tasks[0].lead == ["市市场监管局"] and plan.tasks[0].cooperating == ["市工信局"]
    assert extraction.line_unit == "段"
    assert {i.kind for i in extraction.items if i.id.startswith("I")} == {"table", "prose"}
