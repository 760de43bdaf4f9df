"""Check data/gold/statements_styles.csv against its coding rules (data/gold/README.md).

Run by hand after editing the gold; nothing else imports it:

    python data/gold/check_gold.py [path/to/statements_styles.csv]

It exits 1 and prints one line per problem (item, row, what is wrong), else prints the counts.
Only the standard library is used, so it runs without the package installed.
"""
from __future__ import annotations

import csv
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESOURCES = HERE.parent.parent / "kzcrisis" / "resources"

COLUMNS = ["item_id", "style", "pattern", "text", "speaker_text", "group", "cue", "cue_lemma",
           "kind", "content", "note"]
STYLES = {"agency_afp", "agency_reuters", "agency_anadolu", "state_rt", "state_tass",
          "state_xinhua", "state_sputnik", "state_kazinform", "gulf_paper", "levant_paper",
          "broadcaster", "opinion", "scraped_page"}
PATTERNS = {"vso", "svo", "passive", "pluperfect", "participle", "continuation", "quote_multi",
            "topic", "relative", "relay", "source_marker", "negated", "action", "headline",
            "non_statement"}
KINDS = {"direct", "indirect", "action", "none"}
# patterns whose speaker is inherited from an earlier phrase of the same item
INHERITED = {"participle", "continuation"}
# ISO 3166-1 alpha-3 (officially assigned codes)
ISO3 = set("""
ABW AFG AGO AIA ALA ALB AND ARE ARG ARM ASM ATA ATF ATG AUS AUT AZE BDI BEL BEN BES BFA BGD
BGR BHR BHS BIH BLM BLR BLZ BMU BOL BRA BRB BRN BTN BVT BWA CAF CAN CCK CHE CHL CHN CIV CMR
COD COG COK COL COM CPV CRI CUB CUW CXR CYM CYP CZE DEU DJI DMA DNK DOM DZA ECU EGY ERI ESH
ESP EST ETH FIN FJI FLK FRA FRO FSM GAB GBR GEO GGY GHA GIB GIN GLP GMB GNB GNQ GRC GRD GRL
GTM GUF GUM GUY HKG HMD HND HRV HTI HUN IDN IMN IND IOT IRL IRN IRQ ISL ISR ITA JAM JEY JOR
JPN KAZ KEN KGZ KHM KIR KNA KOR KWT LAO LBN LBR LBY LCA LIE LKA LSO LTU LUX LVA MAC MAF MAR
MCO MDA MDG MDV MEX MHL MKD MLI MLT MMR MNE MNG MNP MOZ MRT MSR MTQ MUS MWI MYS MYT NAM NCL
NER NFK NGA NIC NIU NLD NOR NPL NRU NZL OMN PAK PAN PCN PER PHL PLW PNG POL PRI PRK PRT PRY
PSE PYF QAT REU ROU RUS RWA SAU SDN SEN SGP SGS SHN SJM SLB SLE SLV SMR SOM SPM SRB SSD STP
SUR SVK SVN SWE SWZ SXM SYC SYR TCA TCD TGO THA TJK TKL TKM TLS TON TTO TUN TUR TUV TWN TZA
UGA UKR UMI URY USA UZB VAT VCT VEN VGB VIR VNM VUT WLF WSM YEM ZAF ZMB ZWE
""".split())
GROUPS = ISO3 | {"UN", "EU", "CSTO", "NATO", "OSCE", "SCO", "PROTESTERS", "MEDIA"}
QUOTES = [("«", "»"), ("“", "”"), ('"', '"')]


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames != COLUMNS:
            sys.exit(f"{path}: header must be {','.join(COLUMNS)}")
        return list(reader)


def _cue_lemmas() -> set[str]:
    """Verb lemmas of cues_lemma.csv and source-marker words of grammar.csv."""
    with (RESOURCES / "cues_lemma.csv").open(encoding="utf-8", newline="") as f:
        verbs = {row["verb"] for row in csv.DictReader(f)}
    with (RESOURCES / "grammar.csv").open(encoding="utf-8", newline="") as f:
        markers = {row["word"] for row in csv.DictReader(f) if row["class"] == "source_marker"}
    return verbs | markers


def check_row(row: dict[str, str], lemmas: set[str]) -> list[str]:
    """Problems of one row (an empty list when it follows the rules)."""
    text, kind, pattern = row["text"], row["kind"], row["pattern"]
    out = []
    if row["style"] not in STYLES:
        out.append(f"style {row['style']!r} not in {sorted(STYLES)}")
    if pattern not in PATTERNS:
        out.append(f"pattern {pattern!r} not in {sorted(PATTERNS)}")
    if kind not in KINDS:
        out.append(f"kind {kind!r} not in {sorted(KINDS)}")
    for col in ("speaker_text", "cue", "content"):
        if row[col] and row[col] not in text:
            out.append(f"{col} {row[col]!r} is not a substring of text")
    if row["group"] and row["group"] not in GROUPS:
        out.append(f"group {row['group']!r} is not ISO 3166 alpha-3 or an allowed organisation")
    if kind == "none":
        if any(row[c] for c in ("speaker_text", "group", "cue", "cue_lemma", "content")):
            out.append("kind none must have empty speaker_text, group, cue, cue_lemma, content")
        if pattern != "non_statement" or not row["note"]:
            out.append("kind none needs pattern non_statement and a note saying why")
        return out
    if not row["cue"] or not row["content"]:
        out.append("a statement needs a cue and a content")
    if row["cue_lemma"] not in lemmas:
        out.append(f"cue_lemma {row['cue_lemma']!r} is neither a verb of cues_lemma.csv nor a "
                   "source_marker of grammar.csv")
    if row["group"] and not row["speaker_text"]:
        out.append("a group without a speaker_text")
    if not row["speaker_text"] and pattern != "passive":
        out.append("speaker_text may be empty only for an agentless passive")
    if pattern in INHERITED and row["speaker_text"] and row["cue"] in text:
        if text.find(row["speaker_text"]) > text.find(row["cue"]):
            out.append("an inherited speaker must occur before the cue")
    if kind == "direct" and not any(f"{a}{row['content']}{b}" in text for a, b in QUOTES):
        out.append("direct content must be the whole text between quotation marks")
    return out


def main(argv: list[str]) -> int:
    """Check the file; print problems or the counts."""
    path = Path(argv[1]) if len(argv) > 1 else HERE / "statements_styles.csv"
    rows = _read(path)
    lemmas = _cue_lemmas()
    problems = []
    first: dict[str, dict[str, str]] = {}
    for n, row in enumerate(rows, start=2):
        where = f"{path.name}:{n} ({row['item_id']})"
        head = first.setdefault(row["item_id"], row)
        if (head["text"], head["style"]) != (row["text"], row["style"]):
            problems.append(f"{where}: text and style must be the same on every row of an item")
        problems += [f"{where}: {p}" for p in check_row(row, lemmas)]
    if problems:
        print("\n".join(problems))
        return 1
    statements = [r for r in rows if r["kind"] != "none"]
    print(f"{path.name}: {len(first)} items, {len(statements)} statements, "
          f"{len(rows) - len(statements)} non-statements")
    for name in ("pattern", "kind", "group", "style"):
        counts = Counter(r[name] or "(empty)" for r in rows)
        print(f"  {name}: " + ", ".join(f"{k} {v}" for k, v in counts.most_common()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
