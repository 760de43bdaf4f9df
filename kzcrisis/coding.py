"""The researcher's coding workflow: export a sheet, code by hand, read it back, measure
agreement, compare stance with the human codes.

Political claims analysis codes claims by hand with a codebook (docs/codebook.md) and checks
reliability between coders; the automatic coding pre-fills and scales. So:

1. :func:`coding_sheet` writes one row per statement and target (CSV and/or XLSX): the
   sentence, the speaker, the automatic label and evidence, an empty ``code`` and ``note``
   column and a ``coder`` column, plus the ids that match a row back (``item_id``,
   ``statement_id``, ``doc_id``, ``target``) and ``check``, a digest of the statement's
   content, which tells when a sheet belongs to another run (statement ids are positional).
2. Coders fill ``code`` with ``support``, ``caution``, ``oppose``, ``neutral`` or ``none``
   (the statement does not speak to this target), or leave it empty (not checked).
3. :func:`read_codes` reads one or more filled sheets with one-line errors (file, row,
   column): unknown codes, rows that match no statement, a coder in two files, an item
   coded twice by one coder.
4. :func:`agreement` gives Cohen's kappa for each pair, Krippendorff's alpha (nominal) for
   any number of coders, and confusion matrices, between coders and between each coder and
   the automatic codes.
5. ``kz.compare_stance(results, codes=codes)`` uses the human codes where present.

``kzcrisis code export|import`` does the same from the shell.

Example::

    >>> sheet = coding_sheet(results, "codes/coder_a.xlsx")        # doctest: +SKIP
    >>> codes = read_codes(["codes/coder_a.xlsx", "codes/coder_b.xlsx"], results)
    >>> agreement(codes).summary                                    # doctest: +SKIP
"""
from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd

from . import schemas
from .errors import KzError
from .human_codes import human_labels, require_codes  # noqa: F401 (kz.human_labels)
from .io_safety import FORMULA_START, neutralise_cell  # noqa: F401 (kz.neutralise_cell)
from .stance import LABELS, TARGETS, cohen_kappa

__all__ = ["CODES", "Agreement", "agreement", "coding_sheet", "human_labels", "load_results",
           "neutralise_cell", "read_codes"]

#: What a coder may write in the ``code`` column (empty: not checked).
CODES = (*LABELS, "none")
AUTO = "auto"
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_SHEET_NAME = "coding"
# column widths of the XLSX sheet (characters), for reading Arabic sentences comfortably
_WIDTHS = {"sentence": 70, "content": 50, "evidence": 45, "speaker": 22, "note": 30,
           "code": 10, "coder": 10, "auto_label": 10, "item_id": 24, "statement_id": 22}


def _restore_cell(value: Any) -> Any:
    """Undo :func:`neutralise_cell` on a cell read back."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(
            FORMULA_START):
        return value[1:]
    return value


def _check_digest(statement_id: str, content: str) -> str:
    return hashlib.sha256(f"{statement_id}\x1f{content}".encode()).hexdigest()[:10]


# --------------------------------------------------------------------------- results


def load_results(path: str | Path) -> SimpleNamespace:
    """The statements, stance and sentences tables of an output folder of ``kzcrisis
    analyze`` (``DIR/tables/*.csv``), for :func:`coding_sheet` and :func:`read_codes`."""
    tables = Path(path) / "tables"
    out = {}
    for name in ("statements", "stance", "sentences"):
        p = tables / f"{name}.csv"
        if not p.is_file():
            raise KzError(f"{p}: not found; give the output folder of `kzcrisis analyze`")
        try:
            out[name] = pd.read_csv(p, dtype=str, keep_default_na=False, encoding="utf-8")
        except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as err:
            raise KzError(f"{p}: unreadable table ({err})") from None
    out["stance"]["score"] = pd.to_numeric(out["stance"]["score"], errors="coerce")
    return SimpleNamespace(**out)


def _tables(results: Any) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame | None]:
    if isinstance(results, (str, Path)):
        results = load_results(results)
    statements = getattr(results, "statements", None)
    stance = getattr(results, "stance", None)
    if not isinstance(statements, pd.DataFrame) or not isinstance(stance, pd.DataFrame):
        raise KzError("expected the results of kz.analyze (or an output folder of "
                      "`kzcrisis analyze`), with statements and stance tables")
    try:
        sentences = results.sentences
    except AttributeError:
        sentences = None
    return statements, stance, sentences if isinstance(sentences, pd.DataFrame) else None


def _sentence_text(statements: pd.DataFrame, sentences: pd.DataFrame | None) -> list[str]:
    """The sentence(s) each statement stands in (a statement split by a line break shows
    every sentence it spans)."""
    if sentences is None or not len(sentences):
        return [str(c) for c in statements["content"]]
    by_doc: dict[str, dict[str, tuple[int, int, str]]] = {}
    for r in sentences.itertuples(index=False):
        by_doc.setdefault(str(r.doc_id), {})[str(r.sent_id)] = (
            int(r.start_char), int(r.end_char), str(r.text))
    out = []
    for r in statements.itertuples(index=False):
        s, e = int(r.start_char), int(r.end_char)
        sents = by_doc.get(str(r.doc_id), {})
        spans = {x for x in sents.values() if x[0] < e and s < x[1]}
        if str(r.sent_id) in sents:  # the cue's sentence (a quotation may start later)
            spans.add(sents[str(r.sent_id)])
        out.append(" ".join(x[2] for x in sorted(spans)) or str(r.content))
    return out


# --------------------------------------------------------------------------- export


def coding_sheet(results: Any, path: str | Path | None = None, *,
                 targets: Sequence[str] = TARGETS, all_targets: bool = True) -> pd.DataFrame:
    """The coding sheet (``schemas.CODING_SHEET``) of an analysis, written to ``path``.

    One row per statement and target (``all_targets=False``: only the targets the rules
    coded). ``path`` ending in ``.csv`` writes CSV (UTF-8 with BOM, so Excel shows the
    Arabic), ``.xlsx`` a workbook with a drop-down list in ``code``; a path without either
    suffix writes both (``PATH.csv`` and ``PATH.xlsx``). Text cells that a spreadsheet would
    run as a formula are neutralised (:func:`neutralise_cell`). Byte-identical on reruns.

    ``kz.coding_sheet(kz.analyze("my_articles/"), "codes/sheet.xlsx")``

    >>> kz.coding_sheet(kz.analyze("data/raw"), "codes/sheet.xlsx")  # doctest: +SKIP
    """
    statements, stance, sentences = _tables(results)
    bad = [t for t in targets if t not in TARGETS]
    if bad:
        raise KzError(f"coding_sheet: unknown target(s) {bad}; use {TARGETS}")
    auto = {(str(r.statement_id), str(r.target)): r for r in stance.itertuples(index=False)}
    sentence = _sentence_text(statements, sentences)
    rows = []
    for r, sent in zip(statements.itertuples(index=False), sentence, strict=True):
        sid = str(r.statement_id)
        for t in targets:
            a = auto.get((sid, t))
            if a is None and not all_targets:
                continue
            speaker = str(r.speaker_text or "") or str(r.speaker_actor_id or "")
            rows.append({
                "item_id": f"{sid}|{t}", "statement_id": sid, "doc_id": str(r.doc_id),
                "sent_id": "" if pd.isna(r.sent_id) else str(r.sent_id),
                "group": str(r.group or ""), "speaker": speaker, "kind": str(r.kind or ""),
                "target": t, "sentence": sent, "content": str(r.content or ""),
                "auto_label": "" if a is None else str(a.label),
                "auto_score": np.nan if a is None else float(a.score),
                "evidence": "" if a is None else str(a.evidence),
                "code": "", "note": "", "coder": "",
                "check": _check_digest(sid, str(r.content or ""))})
    sheet = pd.DataFrame(rows, columns=schemas.CODING_SHEET)
    if path is not None:
        _write_sheet(sheet, Path(path))
    return sheet


def _write_sheet(sheet: pd.DataFrame, path: Path) -> list[Path]:
    suffix = path.suffix.lower()
    targets = [path] if suffix in (".csv", ".xlsx") else [path.with_name(path.name + ".csv"),
                                                          path.with_name(path.name + ".xlsx")]
    try:
        targets[0].parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise KzError(f"{targets[0].parent}: cannot create folder ({err.strerror})") from None
    safe = sheet.copy()
    for col in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[col]):
            safe[col] = safe[col].astype(object).map(neutralise_cell)
    for p in targets:
        data = _xlsx_bytes(safe) if p.suffix.lower() == ".xlsx" else _csv_bytes(safe)
        tmp = p.with_name(f".{p.name}.tmp")
        try:
            tmp.write_bytes(data)
            tmp.replace(p)
        except OSError as err:
            raise KzError(f"{p}: cannot write ({err.strerror})") from None
    return targets


def _csv_bytes(sheet: pd.DataFrame) -> bytes:
    buf = io.StringIO()
    sheet.to_csv(buf, index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _xlsx_bytes(sheet: pd.DataFrame) -> bytes:
    """The sheet as an XLSX workbook, with fixed timestamps so reruns are byte-identical."""
    import datetime

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.writer.excel import ExcelWriter

    wb = Workbook()
    ws = wb.active
    ws.title = _SHEET_NAME
    ws.append(list(sheet.columns))
    for row in sheet.itertuples(index=False):
        ws.append([None if isinstance(v, float) and np.isnan(v) else v for v in row])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    wrap = Alignment(wrap_text=True, vertical="top")
    for i, col in enumerate(sheet.columns, start=1):
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = _WIDTHS.get(col, 12)
        if col in ("sentence", "content", "evidence", "note"):
            for cell in ws[letter][1:]:
                cell.alignment = wrap
    if len(sheet):
        code_col = get_column_letter(list(sheet.columns).index("code") + 1)
        dv = DataValidation(type="list", formula1='"' + ",".join(CODES) + '"',
                            allow_blank=True, showErrorMessage=True,
                            error=f"Use one of {', '.join(CODES)} or leave empty")
        dv.add(f"{code_col}2:{code_col}{len(sheet) + 1}")
        ws.add_data_validation(dv)
    fixed = datetime.datetime(2022, 1, 1)
    wb.properties.created = wb.properties.modified = fixed
    wb.properties.creator = "kzcrisis"
    raw = io.BytesIO()
    archive = zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED)
    ExcelWriter(wb, archive).save()  # closes the archive
    # openpyxl stamps every zip member with the current time: rewrite with a fixed one
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed_info = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            fixed_info.compress_type = zipfile.ZIP_DEFLATED
            fixed_info.external_attr = info.external_attr
            dst.writestr(fixed_info, src.read(info.filename))
    return out.getvalue()


# --------------------------------------------------------------------------- import


def _read_sheet(path: Path) -> list[dict[str, str]]:
    """Rows of one filled sheet (CSV or XLSX) as text dicts; one-line errors."""
    if not path.is_file():
        raise KzError(f"{path}: no such coding sheet")
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        try:
            wb = load_workbook(path, read_only=True, data_only=True)
        except Exception as err:  # noqa: BLE001 - openpyxl raises many kinds; one line
            raise KzError(f"{path}: not a readable XLSX workbook ({type(err).__name__}); "
                          "save it again from the spreadsheet program") from None
        ws = wb[_SHEET_NAME] if _SHEET_NAME in wb.sheetnames else wb.worksheets[0]
        values = list(ws.iter_rows(values_only=True))
        wb.close()
        header = [str(h or "").strip() for h in (values[0] if values else [])]
        rows = []
        for vals in values[1:]:
            cells = ["" if v is None else str(v) for v in vals]
            rows.append(dict(zip(header, cells + [""] * (len(header) - len(cells)),
                                 strict=False)))
        return rows
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise KzError(f"{path}: not UTF-8; save the sheet as 'CSV UTF-8' or as XLSX") \
            from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        rows = [dict(r) for r in reader]
    except csv.Error as err:
        raise KzError(f"{path}: unreadable CSV ({err})") from None
    if None in (reader.fieldnames or []):
        raise KzError(f"{path}: a header cell is empty")
    for i, r in enumerate(rows, start=2):
        if None in r:
            raise KzError(f"{path}: row {i}: more cells than columns")
    return [{k: "" if v is None else v for k, v in r.items()} for r in rows]


def read_codes(paths: str | Path | Iterable[str | Path], results: Any = None,  # noqa: C901 (a listed exception)
               coder: str | Sequence[str] | None = None) -> pd.DataFrame:
    """Filled coding sheets read back and checked (``schemas.CODES``): one row per coded
    item and coder; rows with an empty ``code`` (not checked) are left out.

    The coder is the sheet's ``coder`` column, else ``coder`` (one name per path), else the
    file's stem. With ``results`` (of ``kz.analyze`` or an output folder), every row must
    match a statement of that run (id and content ``check``). Errors are one line naming
    the file, the row (as the spreadsheet numbers it) and the column:
    ``coder_b.csv: row 7, column code: 'suport' is not one of support, caution, oppose,
    neutral, none (leave it empty if not checked)``.

    >>> codes = kz.read_codes(["codes/amal.xlsx", "codes/omar.xlsx"], results)  # doctest: +SKIP
    """
    plist = [Path(paths)] if isinstance(paths, (str, Path)) else [Path(p) for p in paths]
    if not plist:
        raise KzError("read_codes: no coding sheets given")
    names = [coder] if isinstance(coder, str) else list(coder) if coder is not None else None
    if names is not None and len(names) != len(plist):
        raise KzError(f"read_codes: {len(names)} coder name(s) for {len(plist)} sheet(s)")
    known = None
    if results is not None:
        statements, _, _ = _tables(results)
        known = {str(r.statement_id): _check_digest(str(r.statement_id), str(r.content or ""))
                 for r in statements.itertuples(index=False)}
    out, coder_file, seen = [], {}, {}
    need = ["statement_id", "target", "code"]
    for k, path in enumerate(plist):
        if path.resolve() in {p.resolve() for p in plist[:k]}:
            raise KzError(f"{path}: sheet given twice; give each coder's sheet once")
        rows = _read_sheet(path)
        header = set(rows[0]) if rows else set()
        missing = [c for c in need if rows and c not in header]
        if missing:
            raise KzError(f"{path}: missing column(s) {missing}; export a sheet with "
                          "kz.coding_sheet or `kzcrisis code export`")
        default_coder = names[k] if names is not None else path.stem
        file_coders = set()
        for i, raw in enumerate(rows, start=2):
            r = {c: str(_restore_cell(v)).strip() for c, v in raw.items() if c}
            code = r.get("code", "").lower()
            if not code:
                continue
            where = f"{path}: row {i}"
            if code not in CODES:
                raise KzError(f"{where}, column code: {r.get('code')!r} is not one of "
                              f"{', '.join(CODES)} (leave it empty if not checked)")
            sid, target = r.get("statement_id", ""), r.get("target", "")
            if target not in TARGETS:
                raise KzError(f"{where}, column target: {target!r} is not one of "
                              f"{', '.join(TARGETS)}")
            if not sid:
                raise KzError(f"{where}, column statement_id: empty; the row matches no "
                              "statement")
            if known is not None:
                if sid not in known:
                    raise KzError(f"{where}, column statement_id: {sid!r} matches no "
                                  "statement of these results; export the sheet again from "
                                  "the same analysis")
                if r.get("check") and r["check"] != known[sid]:
                    raise KzError(f"{where}, column check: statement {sid!r} has other "
                                  "content in these results (the sheet is from another run); "
                                  "export the sheet again")
            who = r.get("coder") or default_coder
            if who == AUTO:
                raise KzError(f"{where}, column coder: {AUTO!r} is reserved for the "
                              "automatic codes; use another name")
            if who in coder_file and coder_file[who] != path:
                raise KzError(f"{where}, column coder: coder {who!r} also coded "
                              f"{coder_file[who]}; each coder fills one sheet (rename one)")
            file_coders.add(who)
            item = (who, sid, target)
            if item in seen:
                raise KzError(f"{where}: coder {who!r} already coded {sid} / {target} in "
                              f"row {seen[item]}; keep one row per statement and target")
            seen[item] = i
            score = pd.to_numeric(r.get("auto_score", ""), errors="coerce")
            out.append({"statement_id": sid, "doc_id": r.get("doc_id", ""),
                        "group": r.get("group", ""), "target": target, "coder": who,
                        "code": code, "note": r.get("note", ""),
                        "auto_label": r.get("auto_label", "") or "none",
                        "auto_score": float(score), "source": str(path), "row": i})
        for who in file_coders:
            coder_file[who] = path
    codes = pd.DataFrame(out, columns=schemas.CODES)
    codes["row"] = codes["row"].astype("Int64")
    return codes


# --------------------------------------------------------------------------- agreement


@dataclass
class Agreement:
    """Agreement between coders and with the automatic codes.

    ``summary``: one row per pair (``coder_a``, ``coder_b``; ``auto`` = the rules) with the
    items both coded, percent agreement, Cohen's kappa and Krippendorff's alpha, and rows
    ``ALL`` (every human coder) and ``ALL+auto`` with Krippendorff's alpha over any number of
    coders. ``confusion``: long form (coder_a, coder_b, label_a, label_b, n).
    """

    summary: pd.DataFrame
    confusion: pd.DataFrame

    def matrix(self, coder_a: str, coder_b: str = AUTO) -> pd.DataFrame:
        """The confusion matrix of two coders (rows: ``coder_a``'s labels)."""
        sub = self.confusion[(self.confusion["coder_a"] == coder_a)
                             & (self.confusion["coder_b"] == coder_b)]
        if sub.empty:
            raise KzError(f"no pair {coder_a!r} / {coder_b!r}; pairs: " + ", ".join(
                sorted({f"{a}/{b}" for a, b in zip(self.confusion["coder_a"],
                                                   self.confusion["coder_b"],
                                                   strict=True)})))
        m = sub.pivot(index="label_a", columns="label_b", values="n")
        m = m.reindex(index=list(CODES), columns=list(CODES), fill_value=0).fillna(0)
        m.index.name, m.columns.name = coder_a, coder_b
        return m.astype(int)


def _alpha(data: np.ndarray) -> float:
    import krippendorff

    present = data[~np.isnan(data)]
    pairable = (np.sum(~np.isnan(data), axis=0) >= 2).any()
    if len(np.unique(present)) < 2 or not pairable:
        return float("nan")
    return float(round(krippendorff.alpha(reliability_data=data,
                                          level_of_measurement="nominal"), 3))


def agreement(codes: pd.DataFrame, auto: bool = True) -> Agreement:
    """Cohen's kappa (each pair), Krippendorff's alpha (any number of coders, nominal, from
    the ``krippendorff`` package) and confusion matrices over the items (statement, target)
    of ``codes`` (:func:`read_codes`), between the coders and, with ``auto``, between each
    coder and the automatic codes (an item the rules did not code counts as ``none``).

    ``agreement(read_codes(["a.csv", "b.csv"])).summary``

    >>> kz.agreement(codes).summary  # doctest: +SKIP
    """
    require_codes(codes)
    if not len(codes):
        raise KzError("agreement: no coded rows (fill the code column of the sheets)")
    wide = codes.pivot_table(index=["statement_id", "target"], columns="coder", values="code",
                             aggfunc="first")
    coders = sorted(wide.columns)
    auto_col = codes.groupby(["statement_id", "target"])["auto_label"].first()
    if auto:
        wide[AUTO] = auto_col.reindex(wide.index)
    pairs = [(a, b) for i, a in enumerate(coders) for b in coders[i + 1:]]
    if auto:
        pairs += [(c, AUTO) for c in coders]
    cat = {c: i for i, c in enumerate(CODES)}
    rows, conf = [], []
    for a, b in pairs:
        both = wide[[a, b]].dropna()
        n = len(both)
        la, lb = list(both[a]), list(both[b])
        kappa = float(round(cohen_kappa(la, lb), 3)) if n else float("nan")
        data = np.array([[cat[x] for x in la], [cat[x] for x in lb]], dtype=float)
        rows.append({"coder_a": a, "coder_b": b, "n_items": n,
                     "percent_agreement": float(round(np.mean(np.array(la) == np.array(lb)),
                                                      3)) if n else float("nan"),
                     "cohen_kappa": kappa,
                     "krippendorff_alpha": _alpha(data) if n else float("nan")})
        counts = Counter(zip(la, lb, strict=True))
        conf += [{"coder_a": a, "coder_b": b, "label_a": x, "label_b": y,
                  "n": counts.get((x, y), 0)} for x in CODES for y in CODES]
    for name, cols in (("ALL", coders), ("ALL+auto", [*coders, AUTO] if auto else None)):
        if cols is None or len(cols) < 2:
            continue
        data = np.array([[cat.get(v, np.nan) if isinstance(v, str) else np.nan
                          for v in wide[c]] for c in cols], dtype=float)
        n = int((np.sum(~np.isnan(data), axis=0) >= 2).sum())
        rows.append({"coder_a": name, "coder_b": "", "n_items": n,
                     "percent_agreement": float("nan"), "cohen_kappa": float("nan"),
                     "krippendorff_alpha": _alpha(data)})
    summary = pd.DataFrame(rows, columns=["coder_a", "coder_b", "n_items", "percent_agreement",
                                          "cohen_kappa", "krippendorff_alpha"])
    confusion = pd.DataFrame(conf, columns=["coder_a", "coder_b", "label_a", "label_b", "n"])
    return Agreement(summary, confusion)


# --------------------------------------------------------------------------- command line


def run_code_command(args: Any) -> list[str]:
    """``kzcrisis code export|import`` (see kzcrisis.cli); returns the lines to print."""
    if args.code_command == "export":
        sheet = coding_sheet(args.results, args.out, all_targets=not args.coded_only)
        out = Path(args.out)
        written = [out] if out.suffix.lower() in (".csv", ".xlsx") else [
            out.with_name(out.name + ".csv"), out.with_name(out.name + ".xlsx")]
        return [f"kzcrisis: coding sheet with {len(sheet)} row(s) "
                f"({sheet['statement_id'].nunique()} statement(s)) written to "
                + ", ".join(map(str, written)),
                "kzcrisis: fill the code column (" + ", ".join(CODES) + "; empty = not "
                "checked) and the coder column, then run `kzcrisis code import`"]
    from .io import writable_dir, write_csv
    from .stance import compare_stance

    results = load_results(args.results)
    codes = read_codes(args.sheets, results)
    out = writable_dir(Path(args.out))
    write_csv(codes, out / "codes.csv")
    lines = [f"kzcrisis: {len(codes)} code(s) by {codes['coder'].nunique()} coder(s) from "
             f"{len(args.sheets)} sheet(s)"]
    if len(codes):
        ag = agreement(codes)
        write_csv(ag.summary, out / "agreement.csv")
        write_csv(ag.confusion, out / "confusion.csv")
        for r in ag.summary.itertuples(index=False):
            pair = r.coder_a if not r.coder_b else f"{r.coder_a} vs {r.coder_b}"
            lines.append(f"  {pair}: {r.n_items} item(s), kappa {r.cohen_kappa:.3f}, "
                         f"alpha {r.krippendorff_alpha:.3f}")
    comparison = compare_stance(results, groups=None, codes=codes)
    write_csv(comparison, out / "stance_comparison_coded.csv")
    lines.append(f"kzcrisis: codes.csv, agreement.csv, confusion.csv, "
                 f"stance_comparison_coded.csv written to {out}")
    return lines
