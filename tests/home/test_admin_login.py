import pytest

from demo.users import ensure_admin, ensure_role_users


@pytest.mark.django_db
def test_the_demo_admin_login_opens_the_admin(client):
    username, password, created = ensure_admin()
    assert (username, password, created) == ("admin", "helpcenter-demo", True)

    response = client.post(
        "/admin/login/", {"username": "admin", "password": "helpcenter-demo"}, follow=True
    )
    assert response.status_code == 200
    assert response.wsgi_request.user.is_superuser
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_running_it_twice_keeps_one_account(django_user_model):
    ensure_admin()
    assert ensure_admin()[2] is False
    assert django_user_model.objects.filter(username="admin").count() == 1


@pytest.mark.django_db
def test_demo_users_exist_once_per_role_and_can_log_in(client):
    ensure_role_users()
    assert not any(created for *_rest, created in ensure_role_users())
    for username in ("editor", "reviewer", "searchmanager"):
        client.logout()
        response = client.post(
            "/admin/login/", {"username": username, "password": "helpcenter-demo"}, follow=True
        )
        assert response.wsgi_request.user.username == username
        assert client.get("/admin/").status_code == 200
