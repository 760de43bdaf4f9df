"""``python -m kzcrisis.codebook --check|--write`` (:func:`kzcrisis.codebook.docs.main`)."""
import sys

from .docs import main

sys.exit(main())
