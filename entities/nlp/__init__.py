"""Natural-language processing for Vigie: text in, spans, dates and events out.

Pure Python: nothing here imports Django, so the pipeline can be imported,
tested and benchmarked on its own.
"""

from entities.nlp.pipeline import PIPELINE_VERSION, extract_many, iter_extract
from entities.nlp.types import ExtractionResult

__all__ = ["PIPELINE_VERSION", "ExtractionResult", "extract_many", "iter_extract"]
