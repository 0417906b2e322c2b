"""Uploaded files answer hostile requests with 416 or 404, never a server error."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

pytestmark = pytest.mark.django_db


@pytest.fixture
def media_file():
    name = default_storage.save("videos/clip.mp4", ContentFile(b"x" * 1000))
    yield f"/media/{name}"
    default_storage.delete(name)


@pytest.mark.parametrize(
    "header",
    [
        "bytes=" + "9" * 4301 + "-",
        "bytes=" + "1" * 5000 + "-" + "2" * 5000,
        "bytes=1000-",
        "bytes=99999999999999999999-",
        "bytes=500-100",
    ],
)
def test_an_impossible_range_is_416(client, media_file, header):
    response = client.get(media_file, HTTP_RANGE=header)
    assert response.status_code == 416
    assert response["Content-Range"] == "bytes */1000"


@pytest.mark.parametrize(
    ("header", "content_range", "length"),
    [
        ("bytes=0-" + "9" * 5000, "bytes 0-999/1000", 1000),
        ("bytes=-" + "9" * 5000, "bytes 0-999/1000", 1000),
        ("bytes=990-", "bytes 990-999/1000", 10),
    ],
)
def test_a_range_running_past_the_end_gives_what_there_is(
    client, media_file, header, content_range, length
):
    response = client.get(media_file, HTTP_RANGE=header)
    assert response.status_code == 206
    assert response["Content-Range"] == content_range
    assert len(response.content) == length


@pytest.mark.parametrize(
    "path",
    [
        "/media/" + "a" * 256,
        "/media/videos/" + "b" * 300 + ".mp4",
        "/media/" + "/".join(["c" * 255] * 20),
        "/media/" + "é" * 200,
        "/media/videos/%00clip.mp4",
        "/media/../config/settings/base.py",
    ],
)
def test_a_path_that_cannot_be_a_file_is_404(client, media_file, path):
    # Some 404s first try the same path under the language prefix, which is a 404 too.
    assert client.get(path, follow=True).status_code == 404
    assert client.get(path, HTTP_RANGE="bytes=0-10", follow=True).status_code == 404
