"""sha256 of the embedded models at release; written by
kzcrisis.models.write_checksums (do not edit by hand).

A model file that differs from these is refused unless --trust-models:
checksums.sha256 beside the models proves integrity, this module authenticity.
"""
SHA256: dict[str, str] = {
    "ar_mwt.pt": "b31f362148a3d27ce5ff5a3b84f5cbe74ebb56b9f9a74a770a8054e61a248c50",
    "ar_ner.pt": "f55ae0a59f5cbb239233fe1a439be6396a4e8406f48e97066139443fed32fb6d",
    "ar_pretrain.pt": "5286552fc957b1d91a70aa450bded7bd727599431ef1c4b9f71cb8cba3a00f51",
    "ar_tokenizer.pt": "b51c5c22e8cc985af3890d26f3ddac790113ab2530374b191721a29f2bbf7715",
}
