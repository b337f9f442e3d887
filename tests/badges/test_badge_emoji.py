"""Names with emoji print with the emoji font, not as empty boxes."""

from __future__ import annotations

from tests.badges.pdf_checks import embedded_fonts
from tests.badges.test_badge_pdf import add_registration


def test_emoji_in_a_name_print_with_the_emoji_font(app, client, demo, tmp_path):
    token, _ = add_registration(app, demo, name="李雷 🎉", organisation="🚀 Rocket Labs",
                                email="li.lei@example.org")
    response = client.get(f"/registration/{token}/badge.pdf")
    assert response.status_code == 200
    fonts = embedded_fonts(response.data, tmp_path)
    assert any("Noto-Sans-CJK-SC" in font for font in fonts)
    assert any("NotoColorEmoji" in font.replace("-", "") for font in fonts), fonts
