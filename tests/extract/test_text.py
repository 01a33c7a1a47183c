"""Source text: encodings, punctuation normalisation, lines broken inside sentences."""

from __future__ import annotations

import pytest

from reportgen.errors import PlanError
from reportgen.extract.text import decode, normalise, text_paragraphs
from tests.support.extract_support import HEAD
from tests.support.extract_support import extract_text as _extract
from tests.support.extract_support import targets as _targets


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig", "utf-8", "utf-16"])
def test_encodings_decode_to_the_same_plan(tmp_path, encoding):
    body = HEAD + "一、工作目标\n\n到2025年，建成标准实验室12个。\n"
    extraction = _extract(tmp_path, body, encoding=encoding)
    assert _targets(extraction) == {"建成标准实验室": {2025: 12}}
    assert extraction.plan.doc_number == "某政办发〔2023〕7号"


def test_full_width_digits_and_half_width_punctuation_are_normalised():
    assert normalise("到２０２５年,覆盖率达到９５％以上(含)") == "到2025年，覆盖率达到95%以上（含）"
    assert normalise("总数达到20,000项") == "总数达到20000项"
    assert (
        normalise("关于 《计量发展规划 (2021—2035年)》 的 方案")
        == "关于《计量发展规划（2021—2035年）》的方案"
    )


def test_lines_broken_inside_a_sentence_are_joined_and_page_numbers_dropped():
    text = "一、工作目标\n\n到2025年，全市新建计量标准\n\n- 3 -\n\n100项以上，覆盖率达到\n\n95%。\n（一）下一个标题\n"
    paras = text_paragraphs(text)
    assert [p.text for p in paras] == [
        "一、工作目标",
        "到2025年，全市新建计量标准100项以上，覆盖率达到95%。",
        "（一）下一个标题",
    ]
    assert [p.line for p in paras] == [1, 3, 10]


def test_binary_and_empty_content_is_refused():
    with pytest.raises(PlanError, match="不是文本"):
        decode(b"\x00\x01\x02PNG\x00\xff" * 50, "junk.bin")
    with pytest.raises(PlanError, match="文件为空"):
        decode(b"  \n\n ", "empty.txt")


def test_a_title_with_a_comma_is_not_joined_to_the_addressee_line():
    text = "某市人民政府关于加强计量、标准工作的实施意见\n各区县人民政府，市政府各部门：\n为加强计量工作，\n制定本意见。\n"
    assert [p.text for p in text_paragraphs(text)] == [
        "某市人民政府关于加强计量、标准工作的实施意见",
        "各区县人民政府，市政府各部门：",
        "为加强计量工作，制定本意见。",
    ]
