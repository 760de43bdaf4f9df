"""Declared column schemas of every table kzcrisis writes (docs/ARCHITECTURE.md)."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

DOCUMENTS = ["doc_id", "title", "outlet", "date", "url", "language", "source_path",
             "encoding", "sha256", "text_raw"]
DOCUMENTS_TABLE = ["doc_id", "title", "outlet", "date", "url", "language", "encoding",
                   "sha256", "n_chars", "n_chars_clean", "quality_flags"]
CLEANING_LOG = ["doc_id", "rule", "raw_start", "raw_end", "removed", "replacement"]
SENTENCES = ["doc_id", "sent_id", "start_char", "end_char", "text"]
TOKENS = ["doc_id", "sent_id", "token_id", "text", "start_char", "end_char", "words"]
ENTITIES = ["doc_id", "sent_id", "ent_id", "text", "type", "start_char", "end_char"]
#: one row per syntactic word; word_id/head are CoNLL-U ids within the sentence (head 0 =
#: root, -1 = no parse); offsets are those of the word's token
WORDS = ["doc_id", "sent_id", "token_id", "word_id", "text", "lemma", "upos", "feats", "head",
         "deprel", "start_char", "end_char"]
MENTIONS = ["doc_id", "sent_id", "actor_id", "group", "surface", "start_char", "end_char",
            "raw_start", "raw_end", "method"]
ACTORS = ["actor_id", "name_en", "name_ar", "group", "wikidata", "n_mentions", "first_sent"]
COOCCURRENCE = ["actor_a", "actor_b", "weight"]
CANDIDATES = ["doc_id", "sent_id", "text", "type", "start_char", "end_char", "raw_start",
              "raw_end"]
STATEMENTS = ["statement_id", "doc_id", "sent_id", "speaker_actor_id", "group", "speaker_text",
              "cue", "cue_lemma", "kind", "content", "start_char", "end_char", "raw_start",
              "raw_end", "channel", "addressee", "speaker_start", "speaker_end", "speaker_type",
              "speaker_rule", "link_rule", "is_headline"]
STANCE = ["statement_id", "doc_id", "group", "target", "label", "score", "evidence"]
STANCE_COMPARISON = ["doc_id", "group", "target", "label", "score", "ci_low", "ci_high",
                     "n_statements", "n_checked", "certainty", "evidence"]
#: The sheet human coders fill (kzcrisis.coding): one row per statement and target.
CODING_SHEET = ["item_id", "statement_id", "doc_id", "sent_id", "group", "speaker", "kind",
                "target", "sentence", "content", "auto_label", "auto_score", "evidence",
                "code", "note", "coder", "check"]
#: Filled sheets read back (kz.read_codes): one row per coded item and coder.
CODES = ["statement_id", "doc_id", "group", "target", "coder", "code", "note", "auto_label",
         "auto_score", "source", "row"]
FRAMING = ["doc_id", "speaker_group", "term_id", "term_class", "target", "n"]
#: Column types shared by every table: these are integers (nullable), these floats, the
#: rest text ("" when missing).
INT_COLUMNS = frozenset({"sent_id", "token_id", "ent_id", "word_id", "head", "start_char", "end_char",
                         "raw_start", "raw_end", "n_mentions", "weight", "n_statements", "n",
                         "speaker_start", "speaker_end", "is_headline",
                         "n_checked",
                         "n_chars", "n_chars_clean"})
FLOAT_COLUMNS = frozenset({"score", "ci_low", "ci_high"})

#: What each column means, one entry per column name, shared by every table that has the
#: column (``doc_id`` means the same everywhere). A new table's columns get their entries
#: here; tests/test_datapackage.py checks that every declared column has one.
COLUMN_DESCRIPTIONS: dict[str, str] = {
    "doc_id": "Document id: the file stem, the doc_id column of a table input, or "
              "FILE-N for its N-th row",
    "title": "Article title (from metadata)",
    "outlet": "News outlet that published the article (from metadata)",
    "date": "Publication date, YYYY-MM-DD (or YYYY-MM, YYYY); offices resolve to their "
            "holder on this date",
    "url": "Address the article was published at (from metadata)",
    "language": "Language code from metadata (e.g. ar)",
    "source_path": "File (and line or row) the document was read from",
    "encoding": "Text encoding the input file was decoded from (utf-8, cp1256 ...)",
    "sha256": "SHA-256 of the document text as UTF-8 (the same for a Windows-1256 copy)",
    "text_raw": "The document text as read, before cleaning",
    "n_chars": "Length of the raw text",
    "n_chars_clean": "Length of the cleaned text (docs.text_clean)",
    "quality_flags": "Semicolon-separated quality flags (empty, non_arabic, mixed_script, "
                     "visual_order); "
                     "flagged documents are still analysed",
    "rule": "Cleaning rule that changed the text (see kz.rules_table())",
    "removed": "Raw text the rule removed or replaced",
    "replacement": "Text put in its place (empty when removed)",
    "sent_id": "Sentence number within the document (0-based, from Stanza)",
    "start_char": "Start offset in the cleaned text (docs.text_clean)",
    "end_char": "End offset (exclusive) in the cleaned text",
    "raw_start": "Start offset in the raw text (docs.text_raw)",
    "raw_end": "End offset (exclusive) in the raw text",
    "text": "The text of the row's span",
    "token_id": "Token number within the sentence (0-based)",
    "words": "Syntactic words of the token after clitic splitting, joined with |",
    "ent_id": "Entity number within the document (0-based)",
    "type": "Named-entity type from Stanza's NER (PER, LOC, ORG, MISC)",
    "actor_id": "Actor id in the actor dictionary (resources/actors.csv), or a derived "
                "OWNER_SLOT body",
    "group": "Speaker group the actor belongs to (a state, organisation or bloc id such as "
             "RUS, UN, CSTO); empty when the actor has none",
    "surface": "The mention as written in the cleaned text",
    "method": "Rule that produced the mention: dictionary, ner, role or apposition",
    "name_en": "Actor name in English",
    "name_ar": "Actor name in Arabic",
    "wikidata": "Wikidata QID of the actor (empty when unknown)",
    "n_mentions": "Mentions of the actor in the corpus",
    "first_sent": "sent_id of the actor's first mention",
    "actor_a": "First actor_id of the pair (alphabetically)",
    "actor_b": "Second actor_id of the pair",
    "weight": "Sentences naming both actors",
    "statement_id": "Statement id (doc_id:sNNN), unique in the corpus",
    "speaker_actor_id": "actor_id of the speaker; empty when the speaker is not in the "
                        "dictionary (an unknown speaker: see candidates.csv)",
    "speaker_text": "The speaker as written",
    "cue": "Reporting verb or phrase as written (قال, أكد, أعلن ...)",
    "cue_lemma": "Verb lemma of the cue in the cue lexicon (resources/cues_lemma.csv), or the "
                 "source marker (بحسب ...)",
    "kind": "Statement type: direct (quoted), indirect (reported) or action",
    "content": "What was said: the reported content in the cleaned text",
    "channel": "Channel the statement was made through (a statement, an agency, a call "
               "...), as written, when the text names one",
    "addressee": "Whom the statement was addressed to, when the text names it",
    "target": "What the stance is about: intervention (the CSTO deployment) or protesters",
    "label": "Stance label: support, caution, oppose or neutral",
    "score": "Stance score from -1 (opposes) to +1 (supports)",
    "evidence": "The stance cues matched, with their weights and matched text",
    "n_statements": "Statements the row averages",
    "speaker_group": "Group of the speaker whose statement contains the term, or NARRATOR "
                     "for the outlet's own text",
    "term_id": "Framing term id in the framing lexicon (resources/framing_terms.csv)",
    "term_class": "How the term frames its target (criminalising, armed, neutral, "
                  "sympathetic; legitimising, critical)",
    "n": "Occurrences of the term",
    "word_id": "Word number within the sentence (CoNLL-U id: 1, 2, ...)",
    "lemma": "Lemma of the word, without diacritics (Stanza lemmatizer)",
    "upos": "Universal part-of-speech tag (NOUN, VERB, PROPN ...)",
    "feats": "Universal morphological features (Gender=Fem|Number=Sing ...)",
    "head": "word_id of the word this word depends on (0: the root; -1: no parser in the "
            "model set)",
    "deprel": "Universal dependency relation to the head (nsubj, obj, ccomp ...)",
    "speaker_start": "Start offset of the speaker phrase in the cleaned text (empty when "
                     "there is none)",
    "speaker_end": "End offset (exclusive) of the speaker phrase in the cleaned text",
    "speaker_type": "NER type of the speaker phrase (PER, ORG ...), when Stanza tagged it",
    "speaker_rule": "Rule that found the speaker: subject, vso, kana, topic, relay, conj, "
                    "participle, relative, continuation, passive, marker; surface:... when "
                    "the model set has no parser",
    "link_rule": "How the speaker was linked to an actor: inside (a mention in the phrase), "
                 "phrase, nisba, office, inherited, none",
    "is_headline": "1 when the statement's sentence is a headline line of the page",
    "ci_low": "Lower end of the bootstrap interval of the mean score (empty for a single "
              "statement)",
    "ci_high": "Upper end of the bootstrap interval of the mean score",
    "n_checked": "Statements of the row whose stance a human coder checked",
    "certainty": "single (one statement), firm (the interval stays in the label's range) or "
                 "wide",
    "item_id": "Coding item id (statement_id|target), the key a filled sheet is read by",
    "speaker": "The speaker as the coder sees it (speaker_text, else the actor's name)",
    "sentence": "The sentence (or sentences) the statement spans, for the coder to read",
    "auto_label": "The label the rules gave (support, caution, oppose, neutral; empty when "
                  "they coded none)",
    "auto_score": "The score the rules gave, -1 to +1",
    "code": "The human coder's label (support, caution, oppose, neutral, or none)",
    "note": "The coder's note",
    "coder": "Who coded the row",
    "check": "Digest of the statement's content: a sheet from another run is refused",
    "source": "The filled sheet a code was read from",
    "row": "Row of that sheet",
}
#: Where a column means something narrower in one table: (table, column) -> description.
TABLE_COLUMN_DESCRIPTIONS: dict[tuple[str, str], str] = {
    ("sentences", "text"): "The sentence",
    ("tokens", "text"): "The token as written",
    ("words", "text"): "The syntactic word (a clitic split off its token is its own word)",
    ("words", "start_char"): "Start offset of the word's token in the cleaned text",
    ("words", "end_char"): "End offset (exclusive) of the word's token",
    ("entities", "text"): "The entity as written",
    ("candidates", "text"): "A named entity that matched no actor: a candidate for the "
                            "dictionary",
    ("candidates", "type"): "Named-entity type from Stanza's NER (PER, LOC, ORG, MISC)",
    ("stance_comparison", "doc_id"): "Document id, or ALL for the whole corpus",
    ("stance_comparison", "group"): "Speaker group, or UNRESOLVED for statements whose "
                                    "speaker has no group",
    ("stance_comparison", "label"): "Label of the mean score (support, caution, oppose, "
                                    "neutral)",
    ("stance_comparison", "score"): "Mean stance score of the statements, -1 to +1",
    ("stance_comparison", "evidence"): "Each statement's id, label, score and evidence, "
                                       "separated by |",
}
#: Units of measure, for the columns that have one.
COLUMN_UNITS: dict[str, str] = {
    **dict.fromkeys(["start_char", "end_char", "raw_start", "raw_end", "n_chars",
                     "n_chars_clean", "speaker_start", "speaker_end"],
                    "characters (Unicode code points)"),
    "n_mentions": "mentions", "weight": "sentences", "n_statements": "statements",
    "n": "occurrences", "score": "stance score, -1 to +1 (dimensionless)",
}
@dataclass(frozen=True)
class Table:
    """One written table: its columns in order, whether it is computed per document (and
    streamed chunk by chunk, and cached per document) or reduced over the whole corpus, and
    what one row holds. Column types follow the column names (:func:`column_type`).

    >>> TABLES["cooccurrence"].scope, TABLES["cooccurrence"].dtypes["weight"]
    ('corpus', 'integer')
    """

    name: str
    columns: list[str]
    scope: str  # "document" or "corpus"
    description: str
    #: an NLP-stage table, cached per cleaned text in the annotation layer (cache.py)
    annotation: bool = False

    @property
    def dtypes(self) -> dict[str, str]:
        """Column -> Table Schema type (integer, number, string)."""
        return {c: column_type(c) for c in self.columns}


#: THE table registry, in the order tables are written (tables/NAME.csv, parquet/NAME/, the
#: manifest's counts, datapackage.json). Pipeline, cache, writers and the data dictionary
#: all read it: a new table is one row here (its columns' descriptions go in
#: COLUMN_DESCRIPTIONS), plus the stage that computes it.
TABLES: dict[str, Table] = {t.name: t for t in (
    Table("documents", DOCUMENTS_TABLE, "document", "One row per analysed document: metadata, checksum, lengths, quality flags; extra metadata columns of the input follow the declared ones"),
    Table("cleaning_log", CLEANING_LOG, "document", "One row per change cleaning made to a raw text, with its raw offsets"),
    Table("sentences", SENTENCES, "document", "One row per sentence (Stanza)", annotation=True),
    Table("tokens", TOKENS, "document", "One row per token, with its syntactic words after clitic splitting", annotation=True),
    Table("words", WORDS, "document", "One row per syntactic word: lemma, UPOS, features, head and relation", annotation=True),
    Table("entities", ENTITIES, "document", "One row per named entity (Stanza NER)", annotation=True),
    Table("mentions", MENTIONS, "document", "One row per actor mention, with the rule that found it"),
    Table("actors", ACTORS, "corpus", "One row per actor mentioned in the corpus"),
    Table("cooccurrence", COOCCURRENCE, "corpus", "One row per pair of actors named in the same sentence"),
    Table("candidates", CANDIDATES, "document", "Named entities that matched no actor: candidates for the dictionary"),
    Table("statements", STATEMENTS, "document", "One row per attributed statement: speaker, cue, content"),
    Table("stance", STANCE, "document", "One row per statement and target: coded stance with its evidence"),
    Table("stance_comparison", STANCE_COMPARISON, "corpus", "Mean stance per document (and ALL) per speaker group and target"),
    Table("framing", FRAMING, "document", "Framing-term counts per document, speaker group and term"),
)}
#: The registry's views, by name: the order tables are written in, the per-document tables
#: (computed chunk by chunk) and the corpus-level ones (reduced at the end), each -> columns.
TABLE_ORDER: list[str] = list(TABLES)
PER_DOC: dict[str, list[str]] = {n: t.columns for n, t in TABLES.items() if t.scope == "document"}
CORPUS: dict[str, list[str]] = {n: t.columns for n, t in TABLES.items() if t.scope == "corpus"}
ANNOTATION: dict[str, list[str]] = {n: t.columns for n, t in TABLES.items() if t.annotation}
#: What each written table holds, one row per ...
TABLE_DESCRIPTIONS: dict[str, str] = {n: t.description for n, t in TABLES.items()}


def describe(column: str, table: str | None = None) -> str:
    """What ``column`` means (in ``table``, where it means something narrower there).

    >>> describe("score"), describe("doc_id", "stance_comparison")
    ('Stance score from -1 (opposes) to +1 (supports)', 'Document id, or ALL for the whole corpus')
    """
    if table is not None and (table, column) in TABLE_COLUMN_DESCRIPTIONS:
        return TABLE_COLUMN_DESCRIPTIONS[(table, column)]
    return COLUMN_DESCRIPTIONS.get(column, "")


def column_type(column: str) -> str:
    """The Table Schema type of a column: integer, number or string.

    >>> column_type("start_char"), column_type("score"), column_type("surface")
    ('integer', 'number', 'string')
    """
    if column in INT_COLUMNS:
        return "integer"
    return "number" if column in FLOAT_COLUMNS else "string"


def declared_tables() -> dict[str, list[str]]:
    """Every column list declared in this module, by its name (``DOCUMENTS``, ...).

    >>> declared_tables()["COOCCURRENCE"]
    ['actor_a', 'actor_b', 'weight']
    """
    return {name: value for name, value in globals().items()
            if name.isupper() and name != "TABLE_ORDER" and isinstance(value, list)
            and all(isinstance(c, str) for c in value)}


def data_package(tables: dict[str, list[str]] | None = None,
                 extra: dict[str, list[str]] | None = None) -> dict:
    """A Frictionless Data Package describing ``tables/NAME.csv`` for each table.

    ``tables`` maps a table name to its declared columns (every registered table, in
    :data:`TABLES` order, by default); ``extra`` the input's extra
    metadata columns a table carries after them (documents). Every field has its type,
    description and, where it has one, unit. Written as ``OUT/datapackage.json``.

    >>> pkg = data_package({"cooccurrence": COOCCURRENCE})
    >>> pkg["resources"][0]["schema"]["fields"][2]
    {'name': 'weight', 'type': 'integer', 'description': 'Sentences naming both actors', 'unit': 'sentences'}
    """
    resources = []
    if tables is None:
        tables = {name: t.columns for name, t in TABLES.items()}
    for name, columns in tables.items():
        fields = []
        for col in columns:
            f = {"name": col, "type": column_type(col), "description": describe(col, name)}
            if col in COLUMN_UNITS:
                f["unit"] = COLUMN_UNITS[col]
            fields.append(f)
        for col in (extra or {}).get(name, []):
            fields.append({"name": col, "type": "string",
                           "description": "Extra metadata column of the input, as given"})
        resources.append({
            "name": name, "path": f"tables/{name}.csv", "profile": "tabular-data-resource",
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "description": TABLE_DESCRIPTIONS.get(name, ""),
            "schema": {"fields": fields, "missingValues": [""]},
        })
    return {
        "name": "kzcrisis-tables", "profile": "tabular-data-package",
        "title": "kzcrisis analysis tables",
        "description": "Tables of one kzcrisis run (manifest.json says on what input, with "
                       "which code and models). Offsets index docs.text_clean (start_char, "
                       "end_char) or the raw text (raw_start, raw_end); empty cells are "
                       "missing values. parquet/NAME/ holds the same tables.",
        "resources": resources,
    }


def empty(columns: list[str]) -> pd.DataFrame:
    """An empty table with the declared columns.

    >>> list(empty(COOCCURRENCE).columns)
    ['actor_a', 'actor_b', 'weight']
    """
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


def conform(df: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Return df with exactly the declared columns in order; fails loudly on a missing one."""
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"table lacks declared columns {missing}")
    return df.loc[:, columns].reset_index(drop=True)


def typed(table: pd.DataFrame, columns: list[str] | str) -> pd.DataFrame:
    """``table`` conformed to its schema with stable dtypes: exactly the declared columns in
    order (:func:`conform`), integer columns as nullable ``Int64``, float columns as they
    are, text columns as objects with "" for a missing value, so that CSVs and Parquet files
    are byte-identical however the table was built. ``columns`` is a column list or the name
    of a registered table. The one place column types are enforced.

    >>> t = typed(pd.DataFrame({"actor_a": ["RUS"], "actor_b": [None], "weight": [2.0]}),
    ...           "cooccurrence")
    >>> t.dtypes.astype(str).tolist(), t.loc[0, "actor_b"]
    (['object', 'object', 'Int64'], '')
    """
    if isinstance(columns, str):
        columns = TABLES[columns].columns
    table = conform(table, columns) if len(table.columns) else empty(columns)
    for col in columns:
        values = table[col]
        if col in INT_COLUMNS:
            if values.dtype != "Int64":
                table[col] = pd.array(pd.to_numeric(values), dtype="Int64")
        elif values.dtype != float:
            if values.dtype != object:
                values = values.astype(object)
            table[col] = values.where(values.notna(), "") if values.hasnans else values
    return table
