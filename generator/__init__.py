"""Synthetic source folders for the Pingdingshan full-employment-community evaluation.

``generate_city(out_dir, year=..., scale=..., seed=..., encoding=..., defects=...)`` writes every
table of the data contract for a believable city: real township units, invented communities
whose quality differs for concrete reasons, and a controlled number of planted defects.
"""

from generator.city import generate_city
from generator.defects import DefectRates
from generator.summary import GenerationSummary

__all__ = ["DefectRates", "GenerationSummary", "generate_city"]
