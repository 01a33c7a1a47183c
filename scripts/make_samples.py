"""Generate reportgen/data/samples/: three departments' filled 填报 workbooks for the 舟山 plan, 2024-Q2,
and the previous quarter's returns in reportgen/data/samples/2024-Q1/ (for 较上期 and history in the demo).

Run from the repository root: python scripts/make_samples.py
Each workbook is the `reportgen template` output for that department, filled in with openpyxl:
some indicators ahead, some on track, 社会公用计量标准 severely lagging, the 约束性 覆盖率 lagging,
注册计量师 left blank, and task progress written as a department would.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

from openpyxl.worksheet.worksheet import Worksheet

from reportgen.fileio import atomic_path
from reportgen.intake import make_template
from reportgen.intake.layout import (
    INDICATOR_COLUMNS,
    INDICATOR_SHEET,
    TASK_COLUMNS,
    TASK_EDITABLE,
    TASK_SHEET,
    cell_ref,
)
from reportgen.periods import parse_period
from reportgen.plan import Plan, load_plan

PLAN = "zhoushan-2023-metrology"
PERIOD = "2024-Q2"
OUT = Path(__file__).resolve().parents[1] / "reportgen" / "data" / "samples"
AS_OF = date(2024, 6, 30)

# department -> {indicator id: (完成值 or None, 填报说明)}
VALUES: dict[str, dict[str, tuple[float | None, str]]] = {
    "市市场监管局": {
        "ZS01": (1, "承担省重点研发计划计量类项目1项。"),
        "ZS02": (80, "新建社会公用计量标准2项，已提前完成规划目标。"),
        "ZS03": (0, "本年度拟新建项目尚在考核准备阶段，预计三季度提交考核。"),
        "ZS04": (2, "大宗商品储运产业计量测试中心已获省级批筹。"),
        "ZS05": (178, "2024年上半年新增培育诚信计量示范单位23家。"),
        "ZS06": (9, ""),
        "ZS07": (None, "注册计量师注册数据由省局统一核定，本期暂无最新数据。"),
        "ZS08": (5, "《油品储罐容量检定规程》已发布实施。"),
        "ZS09": (95.2, "海岛偏远地区部分在用计量器具尚未纳入强检，覆盖率提升较慢。"),
    },
    "市科技局": {},
    "市经信局": {},
}

# department -> {task id: (进展状态, 工作进展, 存在问题, 下步计划)}, the order of TASK_EDITABLE
TASKS: dict[str, dict[str, tuple[str, str, str, str]]] = {
    "市市场监管局": {
        "T01": (
            "推进中",
            "完成全市社会公用计量标准梳理，新建、更新计量标准2项，强制检定项目覆盖率稳步提高。",
            "绿色石化、新材料等领域计量标准建设资金投入不足。",
            "会同市发改委、市科技局争取专项资金，三季度启动2项新标准建设。",
        ),
        "T02": (
            "推进中",
            "市县两级计量技术机构统筹发展方案已印发，2个县级机构完成智慧检定改造。",
            "县级机构专业技术人员不足。",
            "开展县级计量机构等级争创行动，年底前完成1家机构等级评定。",
        ),
        "T03": (
            "推进中",
            "组织计量业务培训3期，培训计量人员260人次。",
            "注册计量师考试通过率偏低。",
            "联合市人社局开展考前辅导，推动职称与职业资格衔接。",
        ),
        "T04": (
            "推进中",
            "引导18家企业开展测量管理体系认证，推行企业计量能力自我声明。",
            "中小企业参与积极性不高。",
            "会同市经信局开展“计量服务进企业”活动。",
        ),
        "T05": (
            "推进中",
            "大宗商品储运产业计量测试中心获省级批筹，实验室改造已完成60%。",
            "关键计量设备采购周期较长。",
            "年底前完成设备安装调试，申请省级验收。",
        ),
        "T06": (
            "推进中",
            "完成船舶修造业计量测试服务需求调研，走访企业15家。",
            "",
            "建立船舶修造业计量测试服务目录。",
        ),
        "T07": (
            "推进中",
            "开展重点排放单位碳计量审查12家，启动生态碳汇计量监测试点。",
            "碳计量技术力量薄弱。",
            "完成低碳计量示范试点方案编制。",
        ),
        "T08": (
            "推进中",
            "完成医疗卫生、交通领域在用计量器具专项检查，检查器具1260台件。",
            "",
            "下半年开展农机装备、涉农物资计量服务专项行动。",
        ),
        "T09": (
            "推进中",
            "查处计量违法案件21起，罚没款38.6万元。",
            "作弊计量器具隐蔽性强，发现难度大。",
            "联合市公安局开展加油机作弊专项整治。",
        ),
        "T10": (
            "已完成",
            "集贸市场、加油站等八类重点民生领域在用计量器具专项治理已全部完成。",
            "",
            "巩固治理成果，开展“回头看”。",
        ),
        "T11": (
            "滞后",
            "充电桩检定新模式试点方案已起草，尚未启动实施。",
            "智能计量器具实时监控平台建设资金未落实。",
            "争取将平台建设纳入2025年数字政府项目。",
        ),
        "T12": (
            "推进中",
            "推进3项社会公用计量标准智能化改造，开展在线远程计量技术研究。",
            "",
            "会同市科技局申报计量关键共性技术攻关项目。",
        ),
        "T13": (
            "推进中",
            "新增诚信计量示范单位23家，推行经营者诚信计量自我承诺。",
            "",
            "完善诚信计量信息公开机制。",
        ),
        "T14": (
            "未启动",
            "",
            "区域交流合作机制尚在协商。",
            "三季度与宁波、嘉兴签订计量区域合作协议。",
        ),
    },
    "市科技局": {
        "T01": ("推进中", "支持计量标准相关科研项目立项2项。", "", "继续加大科研投入。"),
        "T03": (
            "推进中",
            "将计量领域高层次人才纳入市级人才计划支持范围。",
            "",
            "开展计量人才专项引进。",
        ),
        "T05": ("推进中", "安排产业计量测试中心科研经费120万元。", "", "跟踪经费使用绩效。"),
        "T12": (
            "推进中",
            "在市级科技计划中设立计量测试技术攻关方向。",
            "申报项目数量偏少。",
            "加强项目宣传和组织申报。",
        ),
    },
    "市经信局": {
        "T04": (
            "推进中",
            "将测量管理体系建设纳入企业技术改造评价指标。",
            "",
            "组织企业计量管理培训。",
        ),
        "T06": (
            "推进中",
            "在制造业计量能力提升工程中遴选试点企业8家。",
            "",
            "推动计量服务与先进制造深度融合。",
        ),
        "T14": ("未启动", "", "", "配合市市场监管局推进区域计量合作。"),
    },
}


# The previous quarter: lower figures, fewer task reports.
VALUES_Q1: dict[str, dict[str, tuple[float | None, str]]] = {
    "市市场监管局": {
        "ZS01": (0, "省重点研发计划计量类项目正在评审。"),
        "ZS02": (79, "新建社会公用计量标准1项。"),
        "ZS03": (0, "本年度新建项目正在筹备。"),
        "ZS04": (1, "大宗商品储运产业计量测试中心申报材料已报省局。"),
        "ZS05": (165, "一季度新增诚信计量示范单位10家。"),
        "ZS06": (9, ""),
        "ZS07": (42, ""),
        "ZS08": (4, "《油品储罐容量检定规程》已完成征求意见。"),
        "ZS09": (94.8, ""),
    },
    "市科技局": {},
}
TASKS_Q1: dict[str, dict[str, tuple[str, str, str, str]]] = {
    "市市场监管局": {
        "T01": ("推进中", "启动全市社会公用计量标准梳理。", "", "二季度新建、更新计量标准2项。"),
        "T11": (
            "滞后",
            "充电桩检定新模式试点方案正在起草。",
            "试点单位尚未确定。",
            "二季度确定试点单位。",
        ),
    },
    "市科技局": {},
}
# period -> (values, tasks, as-of date of the figures, reporting deadline)
PERIODS = {
    PERIOD: (VALUES, TASKS, AS_OF, date(2024, 7, 5)),
    "2024-Q1": (VALUES_Q1, TASKS_Q1, date(2024, 3, 31), date(2024, 4, 5)),
}


@cache
def _plan() -> Plan:
    """The 舟山 plan, loaded once for all samples."""
    return load_plan(PLAN)


def make_sample(department: str, out: Path, period_key: str = PERIOD) -> Path:
    """The department's template for ``period_key``, filled in, written atomically to ``out``."""
    values, tasks, as_of, deadline = PERIODS[period_key]
    book = make_template(_plan(), parse_period(period_key), department, deadline)
    _fill_values(book[INDICATOR_SHEET], values[department], as_of)
    _fill_tasks(book[TASK_SHEET], tasks[department])
    with atomic_path(out) as tmp:
        book.save(tmp)
    return out


def _fill_values(
    sheet: Worksheet, values: dict[str, tuple[float | None, str]], as_of: date
) -> None:
    columns = INDICATOR_COLUMNS
    for row in range(1, sheet.max_row):  # zero-based rows below the header
        entry = values.get(sheet[cell_ref(row, columns["指标编号"])].value)
        if entry is None:
            continue
        value, remark = entry
        sheet[cell_ref(row, columns["完成值"])] = value
        sheet[cell_ref(row, columns["数据截至日期"])] = as_of if value is not None else None
        sheet[cell_ref(row, columns["填报说明"])] = remark or None


def _fill_tasks(sheet: Worksheet, tasks: dict[str, tuple[str, str, str, str]]) -> None:
    for row in range(1, sheet.max_row):  # zero-based rows below the header
        entry = tasks.get(sheet[cell_ref(row, TASK_COLUMNS["任务编号"])].value)
        if entry is None:
            continue
        for header, text in zip(TASK_EDITABLE, entry, strict=True):
            sheet[cell_ref(row, TASK_COLUMNS[header])] = text or None


def main() -> None:
    for period_key, (values, *_) in PERIODS.items():
        folder = OUT if period_key == PERIOD else OUT / period_key
        for department in values:
            print(make_sample(department, folder / f"填报_{department}.xlsx", period_key))


if __name__ == "__main__":
    main()
