"""Natural-language processing for Vigie: text in, spans, dates and events out.

Pure Python: nothing here imports Django, so the pipeline can be imported,
tested and benchmarked on its own.
"""

from entities.nlp.pipeline import ExtractionResult, extract_many

__all__ = ["ExtractionResult", "extract_many"]
