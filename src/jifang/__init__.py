"""jifang (技防): China's public security technical prevention regulations as code."""

__version__ = "0.1.0"
