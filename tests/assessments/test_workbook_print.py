"""The compliance workbooks print on A4 landscape, one page across: converted with LibreOffice, read with poppler.

Given the demo county (兰山区, 11 townships) and the whole demo city (156
townships), when their workbooks are converted to PDF by `libreoffice
--headless --convert-to pdf`, then every page is A4 landscape and repeats the title
(print titles), so a page says what it is. The detail table (78 columns) prints
a block of columns per dimension (方面), each on pages of its own with the name
columns repeated: its pages are (pages down) × (blocks), every one names the
township column and its block's dimension, and its text is at least 6 pt on
paper (fitting all 78 columns to one width printed it at about 2 pt). The
summary and the findings take the pages their rows need and no more.

Skipped, saying why, where LibreOffice or poppler-utils is not installed.
"""
import math
import os
import re
import shutil
import subprocess

import pytest

from assessments import exports, oversight
from assessments.reports import compliance_report
from offices.models import City, County
from tests.factories.demo import build_demo_city

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
POPPLER = shutil.which("pdfinfo") and shutil.which("pdftotext")

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not SOFFICE, reason="LibreOffice (soffice) is not installed: apt-get install -y libreoffice-calc"),
    pytest.mark.skipif(not POPPLER, reason="pdfinfo/pdftotext are not installed: apt-get install -y poppler-utils"),
]

YEAR = 2025
A4_LANDSCAPE = (841.89, 595.28)  # points
TITLES = {exports.DETAIL_SHEET: "乡镇民政办规范化建设达标情况表",
          exports.SUMMARY_SHEET: "乡镇民政办规范化建设达标情况分县汇总表",
          exports.FINDINGS_SHEET: "乡镇民政办规范化建设整改清单"}


def printed(report, tmp_path, name):
    """The workbook of `report` as a PDF, by LibreOffice with a profile of its own (parallel runs do not clash)."""
    workbook = tmp_path / f"{name}.xlsx"
    exports.write_workbook(report, workbook)
    profile = tmp_path / f"lo-{os.getpid()}"
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(workbook)], check=True, capture_output=True, timeout=600)
    return tmp_path / f"{name}.pdf"


def page_sizes(pdf):
    count = int(re.search(r"^Pages:\s+(\d+)", run("pdfinfo", str(pdf)), re.M).group(1))
    sizes = re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", run("pdfinfo", "-f", "1", "-l", str(count),
                                                                          str(pdf)), re.M)
    return [(float(width), float(height)) for width, height in sizes]


def page_texts(pdf, pages):
    """Each page's text without white space (a header split over cells reads as one word)."""
    return [re.sub(r"\s+", "", run("pdftotext", "-f", str(n), "-l", str(n), "-layout", str(pdf), "-"))
            for n in range(1, pages + 1)]


def run(*command):
    return subprocess.run(command, check=True, capture_output=True, text=True, timeout=120).stdout


def sheet_pages(texts):
    """{sheet: [page numbers]}, told by the title every page repeats."""
    pages = {name: [] for name in TITLES}
    for number, text in enumerate(texts, start=1):
        names = [name for name, title in TITLES.items() if title in text]
        assert len(names) == 1, f"page {number} does not say which table it belongs to"
        pages[names[0]].append(number)
    return pages


def check_print(report, pdf):
    """Assert the print of `report`'s workbook; return {sheet: pages} to record."""
    sizes = page_sizes(pdf)
    for width, height in sizes:
        assert (width, height) == pytest.approx(A4_LANDSCAPE, abs=1), "every page is A4 landscape"
    texts = page_texts(pdf, len(sizes))
    pages = sheet_pages(texts)
    assert pages[exports.SUMMARY_SHEET] and pages[exports.FINDINGS_SHEET]

    numbers = pages[exports.DETAIL_SHEET]
    detail = [texts[n - 1] for n in numbers]
    dimensions = [str(dimension.label) for dimension, _rules in report.columns]
    # A page per block and as many pages down as the rows need: block after block, each down its pages.
    down, rest = divmod(len(detail), len(dimensions))
    assert down >= 1 and rest == 0, f"{len(detail)} pages for {len(dimensions)} blocks"
    for index, text in enumerate(detail):
        dimension = dimensions[index // down]
        assert "序号" in text and "乡镇（街道）" in text, f"page {numbers[index]}: the name columns repeat"
        assert dimension in text, f"page {numbers[index]} belongs to the block of {dimension}"
        others = [other for other in dimensions if other != dimension and other not in dimension]
        assert not any(other in text for other in others), f"page {numbers[index]}: one block to a page"
    names = [card.township.name for card in report.iter_cards()]
    first_block = "".join(detail[:down])
    assert all(name in first_block for name in names)
    on_first = sum(1 for name in names if name in detail[0])
    assert on_first >= min(len(names), 20), "the rows fit many to a page"
    assert down <= math.ceil(len(names) / on_first) + 1
    assert "合计" in detail[down - 1] and "合计" in detail[-1]
    first_county = next(iter(report.iter_cards())).township.county.name  # the first row of page 1
    size = text_size(pdf, numbers[0], first_county)
    assert size >= 6, f"the detail prints at {size:.1f} pt"
    assert len(pages[exports.SUMMARY_SHEET]) == 1  # a city's counties: one page

    findings = sum(1 for _finding in report.findings())
    assert len(pages[exports.FINDINGS_SHEET]) <= math.ceil(findings / 5), "several findings to a page"
    return {name: len(numbers) for name, numbers in pages.items()}, down, size


def text_size(pdf, page, word):
    """The body font size on paper (pt) of page `page`: the width of a CJK `word` (one em a character)."""
    boxes = re.findall(r'xMin="([\d.]+)"[^>]*xMax="([\d.]+)"[^>]*>([^<]+)</word>',
                       run("pdftotext", "-f", str(page), "-l", str(page), "-bbox", str(pdf), "-"))
    widths = [float(right) - float(left) for left, right, text in boxes if text == word]
    assert widths, f"{word} is not on page {page}"
    return min(widths) / len(word)


def test_the_demo_county_prints_its_detail_a_block_of_columns_to_a_page(tmp_path, record_property):
    build_demo_city(counties=1)
    county = County.objects.get(code="371302000000")
    report = compliance_report(oversight.scope_for(None, county=county), YEAR)
    assert 10 <= report.totals.townships <= 12
    pages, down, size = check_print(report, printed(report, tmp_path, "county"))
    record_property("pages", pages)
    print(f"兰山区 {report.totals.townships} townships: pages per sheet {pages}, {down} down, text {size:.1f} pt")
    assert down == 1  # 11 townships: one page down per block


def test_the_demo_city_prints_its_detail_a_block_of_columns_to_a_page(tmp_path, record_property):
    build_demo_city(counties=13)
    report = compliance_report(oversight.scope_for(None, city=City.objects.get()), YEAR)
    assert report.totals.townships == 156
    pages, down, size = check_print(report, printed(report, tmp_path, "city"))
    record_property("pages", pages)
    print(f"临沂市 {report.totals.townships} townships: pages per sheet {pages}, {down} down, text {size:.1f} pt")
    assert down <= 6
