"""The Textual inspector `gikr [PATH]` opens.  Only this package imports Textual."""
