from reportgen.errors import Problem
from reportgen.intake.notices import GROUP_MIN, GROUP_SHOWN, grouped_notices, kind_of
from reportgen.intake.validate import plausibility_problems
from tests.support.intake_builders import small_plan


def reverse(row: int) -> Problem:
    text = f"指标 R{row}（能耗）是逆向指标（越低越好），本期 0.6吨 已高于基期值 0.5吨，请核实。"
    return Problem(f"a.xlsx 指标填报!H{row}", text)


def test_a_repeated_kind_prints_once_with_its_count_and_first_cells():
    many = [reverse(row) for row in range(2, 2 + 1250)]
    lone, last = Problem("b.xlsx", "缺少填报说明。"), Problem("c.xlsx", "另一条。")
    lines = grouped_notices([lone, *many, last])
    assert len(lines) == 3 and lines[0] == str(lone) and lines[2] == str(last)
    cells = "；".join(f"a.xlsx 指标填报!H{row}" for row in range(2, 2 + GROUP_SHOWN))
    assert lines[1].startswith(f"逆向指标高于基期值，共 1250 处，如 {cells} 等，请核实。")
    assert f"H{2 + GROUP_SHOWN}" not in lines[1]


def test_a_few_of_a_kind_and_other_problems_stay_one_per_line():
    few = [reverse(row) for row in range(2, 1 + GROUP_MIN)]
    plain = [Problem(f"x{n}.xlsx", "同一句话。") for n in range(GROUP_MIN + 2)]
    assert grouped_notices([*few, *plain]) == [str(p) for p in [*few, *plain]]


def test_every_plausibility_warning_has_a_kind():
    indicators = {i.id: i for i in small_plan().indicators}
    messages = [
        *plausibility_problems(1, indicators["C1"], 10, 5),  # a cumulative total fell
        *plausibility_problems(0.6, indicators["R1"], 0.4, None),  # reverse, above its baseline
        *plausibility_problems(451, indicators["L1"], 45, None),  # more than 10x the target
    ]
    kinds = [kind_of(Problem("", m)) for m in messages]
    assert kinds == ["累计值低于上期归档值", "逆向指标高于基期值", "完成值远超目标"]
