"""Declared column schemas of every table kzcrisis writes (docs/ARCHITECTURE.md)."""
from __future__ import annotations

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


def empty(columns: list[str]) -> pd.DataFrame:
    """An empty table with the declared columns."""
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


def conform(df: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Return df with exactly the declared columns in order; fails loudly on a missing one."""
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"table lacks declared columns {missing}")
    return df.loc[:, columns].reset_index(drop=True)
