def connect():
    """Connected in a later step: keeps the index in step with publishing."""
