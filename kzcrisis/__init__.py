"""kzcrisis: Arabic news coverage of the January 2022 Kazakhstan crisis."""
__version__ = "0.1.0"
