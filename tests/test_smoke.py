from tests.conftest import sign_in


def test_clerk_signs_in_and_opens_the_case_page(client, court):
    response = sign_in(client, "clerk@cir1.test")
    assert response.status_code == 302
    page = client.get(f"/cases/{court.rivera.id}")
    assert page.status_code == 200
    assert b"State v. Rivera" in page.data
