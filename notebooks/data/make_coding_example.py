"""Rebuild the filled example sheets of notebook 07 from coding_key.csv.

The codes in coding_key.csv are two readers' judgements of the statements of
coding_corpus.csv (texts written for the example, no real article). The sheets are a
fresh `kz.coding_sheet` export with the `code`, `note` and `coder` columns filled from the
key, so they match the statement ids and content checks of the current analysis. Run it
after a change to statement attribution, from the repository root:

    python notebooks/data/make_coding_example.py

An item of the key that the new export lacks is an error: check the key by hand then.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

import kzcrisis as kz

HERE = Path(__file__).resolve().parent


def main() -> int:
    results = kz.analyze(HERE / "coding_corpus.csv", cache="off")
    sheet = kz.coding_sheet(results)
    key = pd.read_csv(HERE / "coding_key.csv", dtype=str, keep_default_na=False)
    missing = sorted(set(key["item_id"]) - set(sheet["item_id"]))
    if missing:
        print(f"coding_key.csv: items {missing} are not in the new export; recode them",
              file=sys.stderr)
        return 1
    codes = key.set_index("item_id")
    for coder in ("amal", "omar"):
        filled = sheet.copy()
        filled["code"] = filled["item_id"].map(codes[coder]).fillna("")
        filled["note"] = [n if (coder == "amal" and not n.startswith("omar:"))
                          or (coder == "omar" and n.startswith("omar:")) else ""
                          for n in filled["item_id"].map(codes["note"]).fillna("")]
        filled["coder"] = coder
        filled.to_csv(HERE / f"coding_{coder}.csv", index=False, lineterminator="\n",
                      encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
