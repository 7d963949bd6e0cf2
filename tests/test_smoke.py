import re

from tests.conftest import sign_in


def test_clerk_signs_in_and_opens_the_case_page(client, court):
    response = sign_in(client, "clerk@cir1.test")
    assert response.status_code == 302
    page = client.get(f"/cases/{court.rivera.id}")
    assert page.status_code == 200
    assert b"State v. Rivera" in page.data


def test_the_menu_marks_the_section_a_page_belongs_to(client, court):
    """A case's docket sheet is under Cases (marked as the section, not the page itself);
    the case list is the page; Search is its own item."""
    sign_in(client, "clerk@cir1.test")

    def marked(path: str) -> list[tuple[str, str]]:
        html = client.get(path).get_data(as_text=True)
        return re.findall(r'<a href="([^"]+)"\s+aria-current="(\w+)"', html)

    assert marked(f"/cases/{court.rivera.id}/docket") == [("/cases/", "true")]
    assert marked("/cases/") == [("/cases/", "page")]
    assert marked("/search") == [("/search", "page")]
