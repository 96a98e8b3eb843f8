"""The API's documentation page runs under a Content-Security-Policy and cannot be framed (issue 13)."""

from __future__ import annotations

from playwright.sync_api import expect


def test_the_api_docs_page_works_under_its_content_security_policy(page, live_server):
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text else None)
    response = page.goto(f"{live_server}/api/v1/docs")
    assert response is not None and response.status == 200
    policy = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "script-src 'self' 'sha256-" in policy
    assert "unsafe-eval" not in policy and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    assert response.headers["x-frame-options"] == "DENY"
    expect(page.locator(".swagger-ui .opblock-tag").first).to_be_visible()
    # every capability's tag is drawn (folded: with ~150 operations drawn at once Swagger UI stopped early)
    tags = page.locator(".swagger-ui .opblock-tag")
    for name in ("identity", "tickets", "designer", "knowledge", "templates"):
        expect(tags.filter(has_text=name).first).to_be_visible()
    page.locator(".swagger-ui .opblock-tag[data-tag='tickets']").click()
    expect(page.get_by_text("/api/v1/tickets/{ticket_id}", exact=True).first).to_be_attached()
    assert violations == []
