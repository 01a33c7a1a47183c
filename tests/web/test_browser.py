"""The whole office flow in a real browser (Playwright driving Debian's chromium).

round → templates → two returns (one wrong) through each department's link → the board shows
the error → fix → quarterly report downloaded and read with python-docx → archive → history.
A screenshot of every page is saved under tmp/artifacts/web/.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from docx import Document

from reportgen.locations import resource_path
from tests.support.round_builders import fill_return
from tests.support.web_builders import PERIOD, PLAN_ID, workspace
from tests.support.web_server import ARTIFACTS, CHROMIUM_ARGS, chromium, running

sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def browser():
    executable = chromium()
    if executable is None:
        pytest.skip("chromium is not installed (apt-get install chromium)")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable, args=[*CHROMIUM_ARGS, "--lang=zh-CN"]
        )
        yield launched
        launched.close()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")


def test_round_to_report_to_archive(browser, tmp_path):
    root = workspace(tmp_path / "ws")
    with running(root) as base:
        context = browser.new_context(
            viewport={"width": 1366, "height": 768}, accept_downloads=True, locale="zh-CN"
        )
        page = context.new_page()
        page.goto(f"{base}/plans")
        shot(page, "01-plans")
        page.get_by_label("实施方案原文").set_input_files(
            str(resource_path("sources", "zhoushan-2023-metrology-plan.txt"))
        )
        page.get_by_label("方案编号").fill("my-zhoushan")
        page.get_by_role("button", name="上传并提取").click()
        page.wait_for_url("**/plans/drafts/*")
        shot(page, "01b-plan-draft-review")
        page.get_by_role("button", name="校验并保存为方案").click()
        page.wait_for_url("**/plans/my-zhoushan")
        shot(page, "01c-plan")
        page.goto(f"{base}/login")
        shot(page, "01d-login")

        # 填报轮次: created from the keyboard alone
        page.goto(f"{base}/rounds")
        page.get_by_label("方案").select_option(PLAN_ID)
        page.get_by_label("方案").focus()
        page.keyboard.press("Tab")
        page.keyboard.type(PERIOD)
        page.keyboard.press("Tab")
        page.keyboard.press("Control+A")
        page.keyboard.type("5个工作日")
        shot(page, "02-rounds")
        page.keyboard.press("Enter")
        page.wait_for_url("**/rounds/*")
        board_url = page.url
        shot(page, "03-board")
        page.goto(board_url + "/progress")
        assert "暂无进度" in page.inner_text("main")
        shot(page, "03b-progress-before-returns")
        page.goto(board_url)

        with page.expect_download() as download:
            page.get_by_role("link", name="下载全部模板（zip）").click()
        bundle = tmp_path / "templates.zip"
        download.value.save_as(bundle)
        with zipfile.ZipFile(bundle) as templates:
            names = templates.namelist()
            templates.extractall(tmp_path / "templates")
        assert len(names) == 6

        def template_of(department: str) -> Path:
            return next((tmp_path / "templates").glob(f"*{department}*"))

        links = {
            row.locator("td").first.inner_text(): row.locator("input.link-box").input_value()
            for row in page.locator("#board tbody tr").all()
        }
        science = fill_return(template_of("市科技局"), {"P1": 96})
        market = fill_return(template_of("市市场监管局"), {"C1": 6, "L1": "四十三", "R1": 0.46})

        phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
        department = phone.new_page()
        for name, workbook in (("市科技局", science), ("市市场监管局", market)):
            department.goto(links[name])
            department.get_by_label("选择或拖入 Excel 填报表").set_input_files(str(workbook))
            department.get_by_role("button", name="上传并检查").click()
            department.wait_for_selector("#results")
        shot(department, "04-department-upload-error")
        assert "L1" in department.inner_text("#results")

        page.goto(board_url)
        assert page.locator("#board .badge", has_text="有错误").count() == 1
        assert page.locator("#board .badge", has_text="已报送").count() == 1
        shot(page, "05-board-one-error")

        fill_return(market, {"L1": 43})
        department.goto(links["市市场监管局"])
        department.get_by_label("选择或拖入 Excel 填报表").set_input_files(str(market))
        department.get_by_role("button", name="上传并检查").click()
        department.wait_for_selector("#results")
        assert "未发现错误" in department.inner_text("#results")
        shot(department, "06-department-fixed")
        page.goto(board_url)
        assert page.locator("#board .badge", has_text="有错误").count() == 0

        page.get_by_role("button", name="生成催报通知").click()
        page.wait_for_url("**/remind")
        shot(page, "07-remind")

        page.get_by_role("link", name="上传").click()
        shot(page, "08-clerk-upload")
        page.get_by_role("link", name="进度").click()
        page.wait_for_selector("svg")
        shot(page, "09-progress")

        page.get_by_role("link", name="生成报告").click()
        page.get_by_label("季度报告").check()
        shot(page, "10-report-form")
        page.get_by_role("button", name="生成").click()
        page.wait_for_selector("ul.downloads a", timeout=120_000)
        shot(page, "11-report-done")
        report_link = page.locator("ul.downloads a", has_text=".docx")
        with page.expect_download() as download:
            report_link.click()
        assert download.value.suggested_filename.endswith("季度进展报告.docx")
        report = tmp_path / "report.docx"
        download.value.save_as(report)
        text = "\n".join(p.text for p in Document(str(report)).paragraphs)
        assert "第二季度" in text
        assert page.locator("ul.downloads a", has_text="汇总.xlsx").count() == 1

        page.goto(board_url)
        page.get_by_role("button", name="归档本期").click()
        page.wait_for_url("**/archive?plan=*")
        page.get_by_label("指标历史").select_option("C1")
        page.get_by_role("button", name="查看").click()
        page.wait_for_selector("svg circle")
        shot(page, "12-archive-history")
        page.get_by_role("button", name="校验归档").click()
        assert "归档完整" in page.inner_text("main")
        shot(page, "13-verify")
        context.close()
        phone.close()
