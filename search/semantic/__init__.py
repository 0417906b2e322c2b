"""Meaning-based retrieval: an embedding model behind a small interface, passage vectors
stored beside the embedded index, and their fusion with the lexical ranking (in Python, so
both engines get it). Search stays lexical-only when the model is off or missing."""
