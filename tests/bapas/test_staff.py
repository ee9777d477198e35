"""Staff management by the Admin (Tata Usaha) of an office."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from bapas.models import Role, User
from tests.factories import ClientFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Sementara-Bapas-77"


def create_data(**overrides):
    data = {
        "username": "pk3.tng",
        "first_name": "Dewi",
        "last_name": "Lestari",
        "email": "dewi@example.go.id",
        "role": Role.PK,
        "nip": "199001012015012001",
        "rank": "MUDA",
        "position_title": "PK Muda",
        "phone": "0812",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    data.update(overrides)
    return data


def with_token(client, data):
    """Add the one-time token of a fresh render of the create form, as a browser would."""
    page = client.get(reverse("bapas:staff_create")).content.decode()
    token = re.search(r'name="_submit_once" value="([^"]+)"', page).group(1)
    return {**data, "_submit_once": token}


def edit_data(user, **overrides):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "role": user.role,
        "nip": user.nip,
        "rank": user.rank,
        "position_title": user.position_title,
        "phone": user.phone,
        "is_active": "on" if user.is_active else "",
    }
    data.update(overrides)
    return data


# --- list ---------------------------------------------------------------------------------------


def test_admin_lists_own_office_only(login, admin_a, alice, bob):
    response = login(admin_a).get(reverse("bapas:staff_list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Alice Wulandari" in body
    assert "Bob Hutapea" not in body


def test_list_shows_active_caseload_and_filters(login, admin_a, alice, paula, office_a):
    ClientFactory.create_batch(3, office=office_a, officer=alice)
    client = login(admin_a)
    response = client.get(reverse("bapas:staff_list"), {"q": "alice"})
    members = list(response.context["page"].object_list)
    assert [m.username for m in members] == ["alice"]
    assert members[0].active_caseload == 3
    response = client.get(reverse("bapas:staff_list"), {"role": Role.ADMIN})
    assert [m.username for m in response.context["page"].object_list] == ["admin_a"]


def test_list_empty_state(login, admin_a):
    response = login(admin_a).get(reverse("bapas:staff_list"), {"q": "nobody-has-this-name"})
    assert "Tidak ada staf yang cocok" in response.content.decode()


@pytest.mark.parametrize("size", [3, 30])
def test_list_query_count_does_not_grow(login, admin_a, office_a, size, django_assert_max_num_queries):
    for _ in range(size):
        pk = UserFactory(office=office_a, role=Role.PK)
        ClientFactory.create_batch(2, office=office_a, officer=pk)
    client = login(admin_a)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("bapas:staff_list"), {"status": "all"})
    assert len(response.context["page"].object_list) == size + 1


@pytest.mark.parametrize("name", ["bapas:staff_list", "bapas:staff_create"])
def test_non_admins_get_403(login, name, alice, kasi_a, kabapas_a, kasubsi_a, rita):
    for user in (alice, kasi_a, kabapas_a, kasubsi_a, rita):
        assert login(user).get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", ["bapas:staff_list", "bapas:staff_create"])
def test_anonymous_is_sent_to_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_wrong_methods_get_405(login, admin_a, alice):
    client = login(admin_a)
    assert client.put(reverse("bapas:staff_list")).status_code == 405
    assert client.delete(reverse("bapas:staff_create")).status_code == 405
    assert client.get(reverse("bapas:staff_deactivate", args=[alice.pk])).status_code == 405
    assert client.put(reverse("bapas:staff_edit", args=[alice.pk])).status_code == 405
    assert client.delete(reverse("bapas:staff_password_reset", args=[alice.pk])).status_code == 405


@pytest.mark.parametrize("name", ["bapas:staff_edit", "bapas:staff_password_reset"])
def test_other_office_gets_404_and_non_admin_403(login, name, admin_b, alice, kasi_a):
    url = reverse(name, args=[alice.pk])
    assert login(admin_b).get(url).status_code == 404
    assert login(admin_b).post(url, {}).status_code == 404
    assert login(kasi_a).get(url).status_code == 403
    assert login(alice).get(url).status_code == 403


def test_deactivate_other_office_404_non_admin_403(login, admin_b, kasi_a, alice):
    url = reverse("bapas:staff_deactivate", args=[alice.pk])
    assert login(admin_b).post(url).status_code == 404
    assert login(kasi_a).post(url).status_code == 403
    alice.refresh_from_db()
    assert alice.is_active


# --- create -------------------------------------------------------------------------------------


def test_admin_creates_staff_member_of_own_office(login, admin_a, office_a):
    client = login(admin_a)
    response = client.post(reverse("bapas:staff_create"), with_token(client, create_data()))
    assert response.status_code == 302
    user = User.objects.get(username="pk3.tng")
    assert user.office == office_a
    assert user.role == Role.PK
    assert user.check_password(NEW_PASSWORD)
    record = user.history.get()
    assert record.history_type == "+"
    assert record.history_user == admin_a
    assert record.ip_address == "127.0.0.1"
    signed_in = Client().post(reverse("login"), {"username": "pk3.tng", "password": NEW_PASSWORD})
    assert signed_in.status_code == 302


def test_regional_role_is_refused(login, admin_a):
    client = login(admin_a)
    response = client.post(reverse("bapas:staff_create"), with_token(client, create_data(role=Role.REGIONAL)))
    assert response.status_code == 200
    assert "role" in response.context["form"].errors
    assert not User.objects.filter(username="pk3.tng").exists()


@pytest.mark.parametrize(
    ("password", "expected"),
    [("12345", "terlalu pendek"), ("password123", "terlalu umum"), ("pk3.tng2026", "terlalu mirip")],
)
def test_password_validators_apply_on_create(login, admin_a, password, expected):
    client = login(admin_a)
    data = create_data(password1=password, password2=password)
    response = client.post(reverse("bapas:staff_create"), with_token(client, data))
    assert response.status_code == 200
    assert expected in response.content.decode().lower()
    assert not User.objects.filter(username="pk3.tng").exists()
    # the input is kept: the user fixes only the password
    assert response.context["form"]["first_name"].value() == "Dewi"


def test_username_taken_ignoring_case(login, admin_a, alice):
    client = login(admin_a)
    response = client.post(reverse("bapas:staff_create"), with_token(client, create_data(username="ALICE")))
    assert response.status_code == 200
    assert "username" in response.context["form"].errors
    assert User.objects.filter(username__iexact="alice").count() == 1


def test_invalid_nip_gets_indonesian_error(login, admin_a):
    client = login(admin_a)
    response = client.post(reverse("bapas:staff_create"), with_token(client, create_data(nip="12ab")))
    assert "NIP harus 18 digit" in response.content.decode()


def test_double_submission_creates_one_account(login, admin_a):
    client = login(admin_a)
    data = with_token(client, create_data())
    first = client.post(reverse("bapas:staff_create"), data)
    second = client.post(reverse("bapas:staff_create"), data)
    assert first.status_code == 302
    user = User.objects.get(username="pk3.tng")
    assert second.status_code == 302
    assert second["Location"] == reverse("bapas:staff_edit", args=[user.pk])
    assert User.objects.filter(username="pk3.tng").count() == 1


def test_create_without_token_keeps_input(login, admin_a):
    response = login(admin_a).post(reverse("bapas:staff_create"), create_data())
    assert response.status_code == 200
    assert not User.objects.filter(username="pk3.tng").exists()
    assert response.context["form"]["last_name"].value() == "Lestari"
    assert "tidak dapat diverifikasi" in response.content.decode()


# --- edit ---------------------------------------------------------------------------------------


def test_admin_edits_role_and_history_records_it(login, admin_a, alice):
    client = login(admin_a)
    response = client.post(
        reverse("bapas:staff_edit", args=[alice.pk]), edit_data(alice, role=Role.KASUBSI, phone="0813")
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.role == Role.KASUBSI
    latest = alice.history.first()
    assert latest.history_user == admin_a
    page = client.get(reverse("bapas:staff_edit", args=[alice.pk])).content.decode()
    assert "Riwayat perubahan" in page
    assert "Kasubsi Bimker" in page
    changed = {c.field for c in latest.diff_against(latest.prev_record).changes}
    assert changed == {"role", "phone"}


def test_admin_cannot_change_own_role_or_deactivate_self(login, admin_a):
    client = login(admin_a)
    client.post(reverse("bapas:staff_edit", args=[admin_a.pk]), edit_data(admin_a, role=Role.PK, is_active=""))
    admin_a.refresh_from_db()
    assert admin_a.role == Role.ADMIN
    assert admin_a.is_active
    response = client.post(reverse("bapas:staff_deactivate", args=[admin_a.pk]), follow=True)
    assert "tidak dapat menonaktifkan akun Anda sendiri" in response.content.decode()
    admin_a.refresh_from_db()
    assert admin_a.is_active


def test_superuser_accounts_are_read_only_here(login, admin_a, office_a):
    boss = UserFactory(username="root", office=office_a, role=Role.ADMIN, is_superuser=True, is_staff=True)
    client = login(admin_a)
    assert client.get(reverse("bapas:staff_edit", args=[boss.pk])).status_code == 200
    assert client.post(reverse("bapas:staff_edit", args=[boss.pk]), edit_data(boss, phone="1")).status_code == 403
    assert client.get(reverse("bapas:staff_password_reset", args=[boss.pk])).status_code == 403
    assert client.post(reverse("bapas:staff_deactivate", args=[boss.pk])).status_code == 403


# --- deactivate ---------------------------------------------------------------------------------


def test_deactivation_ends_sessions_and_warns_about_caseload(login, admin_a, alice, office_a):
    ClientFactory.create_batch(2, office=office_a, officer=alice)
    alice_client = Client()
    alice_client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    assert alice_client.get(reverse("password_change")).status_code == 200
    response = login(admin_a).post(reverse("bapas:staff_deactivate", args=[alice.pk]), follow=True)
    body = response.content.decode()
    assert "2 klien aktif" in body
    alice.refresh_from_db()
    assert not alice.is_active
    assert alice.history.filter(history_change_reason="Deactivated by admin", history_user=admin_a).exists()
    assert alice_client.get(reverse("password_change")).status_code == 302
    refused = Client().post(reverse("login"), {"username": "alice", "password": "test-pass-2026!"})
    assert refused.status_code == 200
    assert "_auth_user_id" not in refused.wsgi_request.session


# --- password reset -----------------------------------------------------------------------------


def test_password_reset_sets_password_ends_sessions_and_unlocks(login, admin_a, alice, password):
    from axes.models import AccessAttempt

    locked = Client()
    for _ in range(5):
        locked.post(reverse("login"), {"username": "alice", "password": "wrong"}, REMOTE_ADDR="10.1.1.1")
    assert AccessAttempt.objects.filter(username="alice").exists()
    alice_client = Client()
    alice_client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    response = login(admin_a).post(
        reverse("bapas:staff_password_reset", args=[alice.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    assert not AccessAttempt.objects.filter(username="alice").exists()
    assert alice_client.get(reverse("password_change")).status_code == 302
    signed_in = locked.post(reverse("login"), {"username": "alice", "password": NEW_PASSWORD}, REMOTE_ADDR="10.1.1.1")
    assert signed_in.status_code == 302
    assert alice.history.filter(history_change_reason="Password reset by admin", history_user=admin_a).exists()


def test_password_reset_refuses_weak_password(login, admin_a, alice, password):
    response = login(admin_a).post(
        reverse("bapas:staff_password_reset", args=[alice.pk]), {"password1": "alice", "password2": "alice"}
    )
    assert response.status_code == 200
    alice.refresh_from_db()
    assert alice.check_password(password)


def test_password_reset_can_remove_lost_authenticator(login, admin_a, alice):
    TOTPDevice.objects.create(user=alice, name="phone", confirmed=True)
    login(admin_a).post(
        reverse("bapas:staff_password_reset", args=[alice.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "remove_two_factor": "on"},
    )
    assert not TOTPDevice.objects.filter(user=alice).exists()


def test_staff_navigation_only_for_admins(login, admin_a, kasi_a):
    admin_nav = [i["name"] for i in login(admin_a).get(reverse("bapas:staff_list")).context["nav_items"]]
    assert "bapas:staff_list" in admin_nav
    assert "bapas:access_log" not in admin_nav
    kasi_nav = [i["name"] for i in login(kasi_a).get(reverse("bapas:access_log")).context["nav_items"]]
    assert "bapas:access_log" in kasi_nav
    assert "bapas:staff_list" not in kasi_nav


@pytest.mark.parametrize("changes", [1, 40])
def test_edit_page_query_count_does_not_grow_with_history(
    login, admin_a, alice, changes, django_assert_max_num_queries
):
    for number in range(changes):
        alice.phone = f"0812{number:04d}"
        alice.save()
    client = login(admin_a)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("bapas:staff_edit", args=[alice.pk]))
    assert len(response.context["history"]) == min(changes + 1, 20)


def test_username_help_is_proper_indonesian(login, admin_a):
    html = login(admin_a).get(reverse("bapas:staff_create")).content.decode()
    assert "Paling banyak 150 karakter" in html
    assert "atau sedikit" not in html
