"""Camera scanning: Chromium's fake camera shows a badge QR code; the page reads it
(jsQR where there is no BarcodeDetector, as in headless Linux Chromium) and admits."""

from __future__ import annotations

import re

import pytest
import qrcode
from PIL import Image
from playwright.sync_api import expect

from tests.browser import CHROMIUM, CHROMIUM_ARGS, wait_until
from tests.e2e.test_checkin_scanner import make_badge, open_scanner

pytestmark = pytest.mark.browser

WIDTH, HEIGHT = 640, 480
SCAN_API = "/api/v1/checkin"

# When the page reads a camera frame's pixels (jsQR decodes from a canvas; headless
# Chromium has no BarcodeDetector): the proof that it looked at the badge again.
COUNT_FRAMES_READ = """
window.framesRead = [];
const getImageData = CanvasRenderingContext2D.prototype.getImageData;
CanvasRenderingContext2D.prototype.getImageData = function (...args) {
  window.framesRead.push(performance.now());
  return getImageData.apply(this, args);
};
"""


def write_y4m(path, code: str, frames: int = 5) -> None:
    """A grey-scale Y4M video of the badge QR code (what --use-file-for-fake-video-capture plays)."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=4, border=4)
    qr.add_data(code)
    picture = qr.make_image(fill_color="black", back_color="white").get_image().convert("L")
    frame = Image.new("L", (WIDTH, HEIGHT), 255)
    frame.paste(picture, ((WIDTH - picture.width) // 2, (HEIGHT - picture.height) // 2))
    luma = frame.tobytes()
    chroma = bytes([128]) * (WIDTH * HEIGHT // 4)
    with open(path, "wb") as fh:
        fh.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F5:1 Ip A1:1 C420jpeg\n".encode())
        fh.writelines(b"FRAME\n" + luma + chroma + chroma for _ in range(frames))


def test_camera_reads_a_badge_and_admits(chromium, live_server, app, demo, staff, tmp_path):
    _, code = make_badge(app, demo, name="Camera Person")
    video = tmp_path / "badge.y4m"
    write_y4m(video, code)
    browser = chromium.browser_type.launch(
        executable_path=str(CHROMIUM),
        args=[*CHROMIUM_ARGS, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
              f"--use-file-for-fake-video-capture={video}"],
    )
    try:
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
        context.grant_permissions(["camera"], origin=live_server)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.add_init_script(COUNT_FRAMES_READ)
        scans_sent = []

        def record_scan(request) -> None:
            if request.method == "POST" and request.url.endswith(SCAN_API):
                scans_sent.append(request.post_data_json["code"])

        page.on("request", record_scan)
        open_scanner(page, live_server, staff)
        page.click("#camera-toggle")
        result = page.locator("#scan-result")
        expect(result).to_have_class(re.compile(r"\bresult-ok\b"))
        expect(result).to_contain_text("Camera Person")
        # Normal mode: the badge stays in front of the camera, and once the page reads
        # frames again after its pause it sees the same code, which it does not send again.
        admitted_at = page.evaluate("performance.now()")
        wait_until(page, "since => window.framesRead.filter(t => t > since).length >= 3",
                   arg=admitted_at)
        assert scans_sent == [code]
        expect(page.locator("#scan-history li")).to_have_count(1)
    finally:
        browser.close()
