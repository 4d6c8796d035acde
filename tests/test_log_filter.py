"""The secret status link never ends up in a log line or an error report."""
import logging

from portal.log_filter import mask


def test_mask_hides_the_token_and_keeps_the_rest():
    line = '127.0.0.1 - - "GET /s/X3vo3ACJnQ0bEjYV-SYpdOn_QRfPY-Rq/contact HTTP/1.1" 200 -'
    assert mask(line) == '127.0.0.1 - - "GET /s/[secret]/contact HTTP/1.1" 200 -'


def test_an_error_on_a_status_page_is_logged_without_the_token(app, client, create_complaint, caplog, monkeypatch):
    _complaint, token = create_complaint()
    from portal.public import views

    def broken(*args, **kwargs):
        raise RuntimeError(f"boom while showing /s/{token}")

    monkeypatch.setattr(views, "_status_page", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    with caplog.at_level(logging.ERROR):
        response = client.get(f"/s/{token}")
    assert response.status_code == 500
    logged = caplog.text + "".join(r.exc_text or "" for r in caplog.records)
    assert "boom" in logged, "the error is still reported"
    assert token not in logged
