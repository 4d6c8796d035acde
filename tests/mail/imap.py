"""A real IMAP server on loopback: Debian's Dovecot, started by the tests with a configuration of
their own in a temporary folder (IMAPS with a certificate made for it, one mailbox, passwords from a
file), so `flask portal fetch-mail` reads mail exactly as it does from an organisation's server."""
from __future__ import annotations

import shutil
import ssl
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from tests.mail import HOST, free_port

USER, PASSWORD = "klacht", "dovecot-test-password"

CONFIG = """
protocols = imap
listen = {host}
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
ssl = required
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
disable_plaintext_auth = yes
auth_mechanisms = plain
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid=nobody gid=nogroup home={root}/home/%u
}}
mail_location = maildir:~/Maildir
first_valid_uid = 1
service imap-login {{
  chroot =
  inet_listener imap {{
    port = 0
  }}
  inet_listener imaps {{
    port = {port}
  }}
}}
service anvil {{
  chroot =
}}
"""


def available() -> bool:
    return shutil.which("dovecot") is not None and shutil.which("openssl") is not None


@contextmanager
def dovecot():
    """Start Dovecot in a folder of its own; yields the settings the portal reads the mailbox with.

    Not in pytest's temporary folder: Dovecot's own users (dovecot, nobody) must be able to reach
    the password file and the mailbox, and pytest's folders are for root only."""
    root = Path(tempfile.mkdtemp(prefix="gehoord-dovecot-"))
    root.chmod(0o755)
    try:
        with _running(root) as settings:
            yield settings
    finally:
        shutil.rmtree(root, ignore_errors=True)


@contextmanager
def _running(root: Path):
    for folder in ("run", "state", "home"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", f"/CN={HOST}",
                    "-addext", f"subjectAltName=IP:{HOST}", "-keyout", str(root / "key.pem"),
                    "-out", str(root / "cert.pem")], check=True, capture_output=True)
    (root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
    shutil.chown(root / "home", "nobody", "nogroup")
    port = free_port()
    config = root / "dovecot.conf"
    config.write_text(CONFIG.format(host=HOST, root=root, port=port))
    subprocess.run(["dovecot", "-c", str(config)], check=True)
    try:
        _wait_for(port, root / "cert.pem")
        yield {"IMAP_HOST": HOST, "IMAP_PORT": port, "IMAP_USER": USER, "IMAP_PASSWORD": PASSWORD,
               "IMAP_FOLDER": "INBOX", "IMAP_DONE_FOLDER": "Gehoord-verwerkt", "IMAP_CA_FILE": str(root / "cert.pem")}
    finally:
        subprocess.run(["dovecot", "-c", str(config), "stop"], check=False)


def _wait_for(port: int, ca_file: Path) -> None:
    import socket

    for _ in range(100):
        try:
            with socket.create_connection((HOST, port), timeout=1) as raw:
                with ssl.create_default_context(cafile=str(ca_file)).wrap_socket(raw, server_hostname=HOST):
                    return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("Dovecot did not start (see dovecot.log)")


def mailbox(settings: dict):
    from imap_tools import MailBox

    context = ssl.create_default_context(cafile=settings["IMAP_CA_FILE"])
    return MailBox(settings["IMAP_HOST"], settings["IMAP_PORT"], ssl_context=context).login(
        settings["IMAP_USER"], settings["IMAP_PASSWORD"])
