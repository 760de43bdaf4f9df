"""sha256 of the embedded models at release; written by
kzcrisis.models.write_checksums (do not edit by hand).

A model file that differs from these is refused unless --trust-models:
checksums.sha256 beside the models proves integrity, this module authenticity.
"""
SHA256: dict[str, str] = {
    "ar_depparse.pt": "0f8510ea8371d0b09356f3d05dea16b440ee2b4cad7379e734c16f7a7f905b08",
    "ar_lemma.pt": "0f209c4628c9a8de218bb6fc1d82dd44ce090d1d10929623d91a1b0e732aba48",
    "ar_mwt.pt": "0f43f2e8fcfc477b7ab092f453c34a4f279c98b6b0232c76bf10e10355cced66",
    "ar_ner.pt": "d9d4328d073de1464837a90d7b8b52fecf61ffd0601bd37da67b9d261e7b4eae",
    "ar_pos.pt": "fbb258f30d1398545db726e75b646ef5d7faa5930cdea92000a80e37e96539f5",
    "ar_pretrain.pt": "265d44a002b2cb50d6ab071722ef2b4e15608eb20309c8c119e94fa5975c47da",
    "ar_tokenizer.pt": "206507ea43b87c0736527ed7228c46b00f6e36646f06508e46651d5ffad6dc54",
    "ar_word_freq.tsv": "60bb2edfe2740f98ce0fdeb31d2c23bbe2d125e74b48448c38ceaad82ef7f5ef",
}
