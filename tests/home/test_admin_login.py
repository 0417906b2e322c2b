import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_the_demo_login_printed_by_make_run_opens_the_admin(client, capsys):
    call_command("ensure_demo_admin")
    printed = capsys.readouterr().out
    assert "admin / helpcenter-demo" in printed

    response = client.post(
        "/admin/login/", {"username": "admin", "password": "helpcenter-demo"}, follow=True
    )
    assert response.status_code == 200
    assert response.wsgi_request.user.is_superuser
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_running_it_twice_keeps_one_account(django_user_model):
    call_command("ensure_demo_admin")
    call_command("ensure_demo_admin")
    assert django_user_model.objects.filter(username="admin").count() == 1
