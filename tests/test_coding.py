"""The coding workflow on a real analysis (Stanza's embedded models, the real actor base):
export a sheet, two coders who disagree on purpose fill it, import, agreement, comparison
with human codes; bad sheets give one-line errors; spreadsheet cells are neutralised."""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

import kzcrisis as kz
from kzcrisis import schemas
from kzcrisis.coding import CODES, neutralise_cell
from kzcrisis.errors import KzError

# Invented sentences in the styles of several outlets (none from the seed article).
CORPUS = [
    ("agency_rus", "قال المتحدث باسم الكرملين دميتري بيسكوف إن روسيا مستعدة لإرسال قوات "
                   "إضافية إلى كازاخستان."),
    ("un_daily", "دعت الأمم المتحدة جميع الأطراف في كازاخستان إلى ضبط النفس والحوار."),
    ("wire_us", "قالت وزارة الخارجية الأمريكية إن لديها تساؤلات حول شرعية نشر هذه القوات. "
                "وفرضت الولايات المتحدة عقوبات على كازاخستان."),
    ("state_tv", "وأرسلت بيلاروسيا سرية من المظليين إلى ألماتي."),
]


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    pd.DataFrame({"doc_id": [d for d, _ in CORPUS], "text": [t for _, t in CORPUS]}).to_csv(
        folder / "corpus.csv", index=False)
    return kz.analyze(folder / "corpus.csv", cache="off")


def fill(sheet: pd.DataFrame, coder: str, overrides: dict[str, str]) -> pd.DataFrame:
    """A coder who agrees with the rules ("none" where they coded nothing) except on the
    items in ``overrides`` (item_id -> code)."""
    filled = sheet.copy()
    filled["code"] = [overrides.get(i, a or "none")
                      for i, a in zip(filled["item_id"], filled["auto_label"], strict=True)]
    filled["coder"] = coder
    return filled


def item(sheet: pd.DataFrame, group: str, target: str) -> list[str]:
    return sheet.loc[(sheet["group"] == group) & (sheet["target"] == target)
                     & (sheet["auto_label"] != ""), "item_id"].tolist()


def test_sheet_has_one_row_per_statement_and_target(results):
    sheet = kz.coding_sheet(results)
    assert list(sheet.columns) == schemas.CODING_SHEET
    assert len(sheet) == 2 * len(results.statements)
    assert sheet["code"].eq("").all() and sheet["note"].eq("").all()
    coded = sheet[sheet["auto_label"] != ""]
    assert len(coded) == len(results.stance)
    # each row shows its sentence, speaker and evidence
    row = coded[coded["group"] == "UN"].iloc[0]
    assert "ضبط النفس" in row["sentence"] and row["speaker"] and "restraint" in row["evidence"]


def test_round_trip_two_coders_who_disagree(results, tmp_path):
    sheet = kz.coding_sheet(results, tmp_path / "sheet")  # both CSV and XLSX
    assert (tmp_path / "sheet.csv").is_file() and (tmp_path / "sheet.xlsx").is_file()
    us = item(sheet, "USA", "intervention")
    un = item(sheet, "UN", "intervention")
    assert len(us) == 2 and len(un) == 1  # a questioning statement and a sanction act
    # coder a agrees with the rules; coder b reads the US as cautious and the UN as neutral
    a = fill(pd.read_excel(tmp_path / "sheet.xlsx", dtype=str, keep_default_na=False), "a", {})
    b = fill(pd.read_csv(tmp_path / "sheet.csv", dtype=str, keep_default_na=False,
                         encoding="utf-8-sig"), "b", {us[0]: "caution", us[1]: "caution",
                                                      un[0]: "neutral"})
    a.to_excel(tmp_path / "a.xlsx", index=False)
    b.to_csv(tmp_path / "b.csv", index=False)
    codes = kz.read_codes([tmp_path / "a.xlsx", tmp_path / "b.csv"], results)
    assert list(codes.columns) == schemas.CODES
    assert len(codes) == 2 * len(sheet) and set(codes["coder"]) == {"a", "b"}

    ag = kz.agreement(codes)
    s = ag.summary.set_index(["coder_a", "coder_b"])
    n = len(sheet)
    assert s.loc[("a", "b"), "n_items"] == n
    assert s.loc[("a", "b"), "percent_agreement"] == round((n - 3) / n, 3)
    assert s.loc[("a", "auto"), "cohen_kappa"] == 1.0
    # kappa by its definition, from the two codings
    la, lb = list(a["code"]), list(b["code"])
    po = np.mean([x == y for x, y in zip(la, lb, strict=True)])
    pe = sum(la.count(c) / n * lb.count(c) / n for c in CODES)
    assert s.loc[("a", "b"), "cohen_kappa"] == pytest.approx((po - pe) / (1 - pe), abs=1e-3)
    assert s.loc[("a", "b"), "cohen_kappa"] == s.loc[("b", "auto"), "cohen_kappa"]
    assert 0 < s.loc[("ALL", ""), "krippendorff_alpha"] < 1
    m = ag.matrix("a", "b")
    assert m.loc["oppose", "caution"] == 2 and m.loc["caution", "neutral"] == 1
    assert int(m.to_numpy().sum()) == n

    # comparison with coder b's codes: the US turns cautious, both statements checked
    cmp_b = kz.compare_stance(results, groups=None, codes=codes[codes["coder"] == "b"])
    us_row = cmp_b[(cmp_b["doc_id"] == "ALL") & (cmp_b["group"] == "USA")
                   & (cmp_b["target"] == "intervention")].iloc[0]
    assert us_row["label"] == "caution" and us_row["n_checked"] == 2
    assert us_row["evidence"].count("human: caution (b)") == 2
    auto = kz.compare_stance(results, groups=None)
    assert auto["n_checked"].eq(0).all()
    auto_us = auto[(auto["doc_id"] == "ALL") & (auto["group"] == "USA")
                   & (auto["target"] == "intervention")].iloc[0]
    assert auto_us["label"] == "oppose"
    # both coders: a tie per item goes to the label that agrees with the rules
    both = kz.compare_stance(results, groups=None, codes=codes)
    both_us = both[(both["doc_id"] == "ALL") & (both["group"] == "USA")
                   & (both["target"] == "intervention")].iloc[0]
    assert both_us["label"] == "oppose" and both_us["n_checked"] == 2


def test_a_coder_can_add_a_target_the_rules_missed(results, tmp_path):
    sheet = kz.coding_sheet(results)
    missed = sheet[(sheet["group"] == "BLR") & (sheet["target"] == "protesters")]
    assert missed["auto_label"].tolist() == [""]
    filled = sheet.copy()
    filled.loc[missed.index, "code"] = "oppose"
    filled.to_csv(tmp_path / "c.csv", index=False)
    codes = kz.read_codes(tmp_path / "c.csv", results)
    assert len(codes) == 1 and codes["coder"].tolist() == ["c"]  # the file's name
    cmp_ = kz.compare_stance(results, groups=None, codes=codes)
    row = cmp_[(cmp_["doc_id"] == "ALL") & (cmp_["group"] == "BLR")
               & (cmp_["target"] == "protesters")].iloc[0]
    assert row["label"] == "oppose" and row["n_checked"] == 1 and row["certainty"] == "single"


def _bad(sheet: pd.DataFrame, how: str) -> pd.DataFrame:
    s = fill(sheet, "x", {})
    if how == "label":
        s.loc[3, "code"] = "suport"
    elif how == "statement":
        s.loc[3, "statement_id"] = "no_such_doc:s999"
    elif how == "check":
        s.loc[3, "check"] = "0000000000"
    elif how == "target":
        s.loc[3, "target"] = "government"
    elif how == "duplicate":
        s = pd.concat([s, s.iloc[[3]]], ignore_index=True)
    return s


@pytest.mark.parametrize("how, message", [
    ("label", "row 5, column code: 'suport' is not one of support, caution, oppose"),
    ("statement", "row 5, column statement_id: 'no_such_doc:s999' matches no statement"),
    ("check", "row 5, column check: statement"),
    ("target", "row 5, column target: 'government'"),
    ("duplicate", "already coded"),
])
def test_bad_sheets_give_one_line_errors(results, tmp_path, how, message):
    path = tmp_path / f"bad_{how}.csv"
    _bad(kz.coding_sheet(results), how).to_csv(path, index=False)
    with pytest.raises(KzError) as err:
        kz.read_codes(path, results)
    text = str(err.value)
    assert message in text and str(path) in text and "\n" not in text


def test_one_coder_in_two_sheets_is_an_error(results, tmp_path):
    sheet = kz.coding_sheet(results)
    fill(sheet, "ana", {}).to_csv(tmp_path / "first.csv", index=False)
    fill(sheet, "ana", {}).to_csv(tmp_path / "second.csv", index=False)
    with pytest.raises(KzError, match=r"second\.csv: row 2, column coder: coder 'ana' also "
                                      r"coded .*first\.csv"):
        kz.read_codes([tmp_path / "first.csv", tmp_path / "second.csv"], results)
    with pytest.raises(KzError, match="given twice"):
        kz.read_codes([tmp_path / "first.csv", tmp_path / "first.csv"])


@pytest.mark.parametrize("cell, safe", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
    ("+1", "'+1"),
    ("-1+2", "'-1+2"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\tcmd", "'\tcmd"),
    ("قال إن =", "قال إن ="),
    ("", ""),
    (-0.5, -0.5),
])
def test_neutralise_cell(cell, safe):
    assert neutralise_cell(cell) == safe


def test_formula_cells_are_neutralised_in_both_formats_and_read_back(results, tmp_path):
    statements = results.statements.copy()
    statements.loc[0, "speaker_text"] = "=cmd|' /C calc'!A0"
    fake = SimpleNamespace(statements=statements, stance=results.stance,
                           sentences=results.sentences)
    kz.coding_sheet(fake, tmp_path / "s")
    assert "'=cmd|" in (tmp_path / "s.csv").read_text(encoding="utf-8-sig")
    from openpyxl import load_workbook

    ws = load_workbook(tmp_path / "s.xlsx").active
    col = schemas.CODING_SHEET.index("speaker") + 1
    cell = ws.cell(row=2, column=col)
    assert cell.value == "'=cmd|' /C calc'!A0" and cell.data_type == "s"


def test_sheets_are_byte_identical_on_rerun(results, tmp_path):
    kz.coding_sheet(results, tmp_path / "one")
    kz.coding_sheet(results, tmp_path / "two")
    for suffix in (".csv", ".xlsx"):
        one = hashlib.sha256((tmp_path / f"one{suffix}").read_bytes()).hexdigest()
        two = hashlib.sha256((tmp_path / f"two{suffix}").read_bytes()).hexdigest()
        assert one == two


def run_cli(*args: str) -> subprocess.CompletedProcess:
    exe = shutil.which("kzcrisis", path=os.path.dirname(sys.executable))
    cmd = [exe] if exe else [sys.executable, "-m", "kzcrisis"]
    return subprocess.run([*cmd, *args], capture_output=True, text=True, timeout=300)


def test_cli_code_export_and_import(results, tmp_path):
    results.write(tmp_path / "run")
    proc = run_cli("code", "export", str(tmp_path / "run"), "--out", str(tmp_path / "s.csv"))
    assert proc.returncode == 0, proc.stderr
    assert "coding sheet with" in proc.stdout
    sheet = pd.read_csv(tmp_path / "s.csv", dtype=str, keep_default_na=False,
                        encoding="utf-8-sig")
    us = item(sheet, "USA", "intervention")
    fill(sheet, "a", {}).to_csv(tmp_path / "a.csv", index=False)
    fill(sheet, "b", dict.fromkeys(us, "caution")).to_csv(tmp_path / "b.csv", index=False)
    proc = run_cli("code", "import", str(tmp_path / "a.csv"), str(tmp_path / "b.csv"),
                   "--results", str(tmp_path / "run"), "--out", str(tmp_path / "coded"))
    assert proc.returncode == 0, proc.stderr
    assert "a vs b:" in proc.stdout
    ag = pd.read_csv(tmp_path / "coded" / "agreement.csv")
    assert ag.loc[(ag.coder_a == "a") & (ag.coder_b == "auto"), "cohen_kappa"].item() == 1.0
    cmp_ = pd.read_csv(tmp_path / "coded" / "stance_comparison_coded.csv")
    assert list(cmp_.columns) == schemas.STANCE_COMPARISON
    assert (cmp_["n_checked"] > 0).all()
    # a bad sheet: one line on stderr, exit status 2, no traceback
    bad = _bad(sheet, "label")
    bad.to_csv(tmp_path / "bad.csv", index=False)
    proc = run_cli("code", "import", str(tmp_path / "bad.csv"), "--results",
                   str(tmp_path / "run"), "--out", str(tmp_path / "coded2"))
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "bad.csv: row 5, column code" in proc.stderr
