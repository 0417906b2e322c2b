from django.db import models


class KeptQueryVector(models.Model):
    """A query's embedding, shared by every process and server of the site: a new query is
    embedded once, not once per worker, and stays embedded across restarts. Lives with the
    insights (search/db_router.py); search/query_vectors.py decides what is kept."""

    # A keyed hash of the model's name and the query (the query itself is not kept).
    key = models.CharField(max_length=64, primary_key=True)
    vector = models.BinaryField()  # float32, the model's dimension
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "kept query vector"

    def __str__(self):
        return self.key
