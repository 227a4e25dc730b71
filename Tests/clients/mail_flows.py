"""Account emails through a real SMTP server: aiosmtpd on loopback with STARTTLS required and AUTH (LOGIN/PLAIN,
only over TLS), then with TLS from the first byte (smtps), then one that offers no STARTTLS (a downgrade), which
must get nothing. For each flow the message is read as a mail client would (multipart/alternative, text and HTML),
its link is followed over HTTP, and the result is checked through the API.

Usage: BIN=... CERT=cert.pem KEY=key.pem DATABASE_URL=... python mail_flows.py
"""

import email
import email.policy
import json
import os
import re
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

BIN, CERT, KEY = os.environ["BIN"], os.environ["CERT"], os.environ["KEY"]
SMTP_USER, SMTP_PASSWORD = "mailer@example.com", "s3cret:pass/word"
PASSWORD = "correct horse battery"


def check(condition, what):
    if not condition:
        print(f"FAIL  {what}", file=sys.stderr)
        sys.exit(1)
    print(f"  ok  {what}")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Mailbox:
    """Keeps every message the server accepted, with how the session looked when it arrived."""

    def __init__(self):
        self.messages, self.lock = [], threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages.append({
                "to": envelope.rcpt_tos, "from": envelope.mail_from, "tls": session.ssl is not None,
                "authenticated": session.authenticated, "message": email.message_from_bytes(envelope.content, policy=email.policy.default),
            })
        return "250 OK"

    def wait_for(self, address, count, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            with self.lock:
                found = [m for m in self.messages if address in m["to"]]
            if len(found) >= count:
                return found[count - 1]
            time.sleep(0.1)
        return None

    def count(self, address):
        with self.lock:
            return len([m for m in self.messages if address in m["to"]])


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = auth_data.login == SMTP_USER.encode() and auth_data.password == SMTP_PASSWORD.encode()
    return AuthResult(success=ok)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


opener = urllib.request.build_opener(NoRedirect)


# Each server run is a different client address (serve-api believes X-Forwarded-For from loopback): the mail routes'
# limit of 3 a minute per address, Better Auth's, would otherwise carry over from one run to the next.
client_address = ["10.0.0.1"]


def call(base, method, path, body=None, token=None):
    headers = {"content-type": "application/json", "x-forwarded-for": client_address[0]}
    if token:
        headers["authorization"] = f"Bearer {token}"
    request = urllib.request.Request(base + path, method=method, headers=headers, data=json.dumps(body).encode() if body is not None else None)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, dict(response.headers), json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        raw = error.read()
        return error.code, dict(error.headers), json.loads(raw) if raw.startswith(b"{") else None


class Server:
    """serve-api with the given mail settings; `log` is what it wrote."""

    def __init__(self, smtp_url, extra=None):
        self.port = free_port()
        client_address[0] = f"10.0.{self.port % 250}.{os.getpid() % 250}"
        self.base = f"http://127.0.0.1:{self.port}"
        self.logfile = tempfile.NamedTemporaryFile("w+", suffix=".log")
        environment = dict(os.environ, PORT=str(self.port), SMTP_URL=smtp_url, MAIL_FROM="Todo <noreply@example.com>",
                           SMTP_CA_FILE=CERT, BETTER_AUTH_URL=self.base, LOG_LEVEL="info", **(extra or {}))
        self.process = subprocess.Popen([BIN, "serve-api"], env=environment, stdout=self.logfile, stderr=subprocess.STDOUT)
        for _ in range(100):
            try:
                urllib.request.urlopen(self.base + "/health", timeout=1)
                return
            except Exception:
                time.sleep(0.1)
        raise SystemExit("serve-api did not start:\n" + self.log())

    def log(self):
        self.logfile.seek(0)
        return self.logfile.read()

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=20)


def link_in(message):
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    match = re.search(r"https?://\S+", text)
    check(match is not None and match.group(0) in html.replace("&amp;", "&"), "the text and the HTML body carry the same link")
    return match.group(0)


def follow(link):
    status, headers, _ = call("", "GET", link)
    return status, headers.get("Location") or headers.get("location")


def unique(name):
    return f"{name}-{os.getpid()}-{time.time_ns()}@example.com"


def starttls_flows(tls_context):
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port, tls_context=tls_context, require_starttls=True,
                            authenticator=authenticator, auth_require_tls=True)
    controller.start()
    quoted = urllib.parse.quote(SMTP_USER, safe="") + ":" + urllib.parse.quote(SMTP_PASSWORD, safe="")
    server = Server(f"smtp://{quoted}@localhost:{port}", {"REQUIRE_EMAIL_VERIFICATION": "1"})
    try:
        print("STARTTLS and AUTH, verification required")
        address = unique("vera")
        status, headers, body = call(server.base, "POST", "/api/auth/sign-up/email",
                                     {"name": "Vera", "email": address, "password": PASSWORD, "callbackURL": "/?verified=1"})
        check(status == 200 and body["token"] is None and "Set-Cookie" not in headers, "sign-up starts no session before verification")
        status, _, body = call(server.base, "POST", "/api/auth/sign-in/email", {"email": address, "password": PASSWORD})
        check(status == 403 and body["code"] == "EMAIL_NOT_VERIFIED", "sign-in waits: 403 EMAIL_NOT_VERIFIED")
        mail = mailbox.wait_for(address, 1)
        check(mail is not None, "the verification email arrived")
        check(mail["tls"] and mail["authenticated"], "it came over STARTTLS, after AUTH")
        message = mail["message"]
        check(message["From"] == "Todo <noreply@example.com>" and mail["from"] == "noreply@example.com", "From header and envelope sender")
        check(message.get_content_type() == "multipart/alternative", "text and HTML alternatives")
        check("Verify" in message["Subject"], f"subject: {message['Subject']}")
        link = link_in(message)
        check(link.startswith(server.base + "/api/auth/verify-email?token="), "the link points at the public URL")
        check(link not in server.log(), "the link is not in the server's log when mail goes out")
        status, location = follow(link)
        check(status == 302 and location == "/?verified=1", f"following it redirects to the callback ({status} {location})")
        status, _, body = call(server.base, "POST", "/api/auth/sign-in/email", {"email": address, "password": PASSWORD})
        check(status == 200 and body["user"]["emailVerified"] is True, "then sign-in works and the email is verified")
        token = body["token"]

        print("password reset")
        status, _, body = call(server.base, "POST", "/api/auth/request-password-reset", {"email": address, "redirectTo": "/reset-password"})
        check(status == 200 and body["status"] is True, "request-password-reset answers")
        link = link_in(mailbox.wait_for(address, 3)["message"])  # sign-up and the refused sign-in sent one each
        status, location = follow(link)
        check(status == 302 and location.startswith("/reset-password?token="), f"the link leads to the reset page ({location})")
        reset = urllib.parse.parse_qs(urllib.parse.urlparse(location).query)["token"][0]
        status, _, _ = call(server.base, "POST", "/api/auth/reset-password", {"token": reset, "newPassword": "battery staple horse"})
        check(status == 200, "reset-password with the token")
        status, _, body = call(server.base, "POST", "/api/auth/reset-password", {"token": reset, "newPassword": "another horse!"})
        check(status == 400 and body["code"] == "INVALID_TOKEN", "the token works once")
        check(call(server.base, "GET", "/api/auth/get-session", token=token)[2] is None, "the reset ended the old session")
        status, _, body = call(server.base, "POST", "/api/auth/sign-in/email", {"email": address, "password": "battery staple horse"})
        check(status == 200, "the new password signs in")
        token = body["token"]

        nobody = unique("nobody")
        status, _, body = call(server.base, "POST", "/api/auth/request-password-reset", {"email": nobody})
        check(status == 200 and body["status"] is True, "an unknown email gets the same answer")

        print("email change")
        moved = unique("moved")
        status, _, _ = call(server.base, "POST", "/api/auth/change-email", {"newEmail": moved, "callbackURL": "/"}, token=token)
        check(status == 200, "change-email answers")
        mail = mailbox.wait_for(moved, 1)
        check(mail is not None, "the confirmation goes to the new address")
        status, location = follow(link_in(mail["message"]))
        check(status == 302 and location == "/", "following it changes the email")
        status, _, body = call(server.base, "POST", "/api/auth/sign-in/email", {"email": moved, "password": "battery staple horse"})
        check(status == 200 and body["user"]["email"] == moved, "the new address signs in")
        time.sleep(1)
        check(mailbox.count(nobody) == 0, "nothing was sent to the unknown address")
    finally:
        server.stop()
        controller.stop()


def implicit_tls_flow(tls_context):
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port, ssl_context=tls_context, authenticator=authenticator,
                            auth_require_tls=False)
    controller.start()
    quoted = urllib.parse.quote(SMTP_USER, safe="") + ":" + urllib.parse.quote(SMTP_PASSWORD, safe="")
    server = Server(f"smtps://{quoted}@localhost:{port}")
    try:
        print("smtps (TLS from the first byte)")
        address = unique("tls")
        status, _, body = call(server.base, "POST", "/api/auth/sign-up/email", {"name": "Tess", "email": address, "password": PASSWORD})
        check(status == 200 and body["token"], "sign-up signs in when verification is not required")
        mail = mailbox.wait_for(address, 1)
        check(mail is not None and mail["authenticated"], "a verification email still goes out, authenticated")
        status, _, body = call(server.base, "POST", "/api/auth/request-password-reset", {"email": address})
        check(status == 200, f"request-password-reset answers ({status} {body})")
        mail = mailbox.wait_for(address, 2)
        check(mail is not None and "reset" in mail["message"]["Subject"].lower(), "the reset email arrived over smtps")
    finally:
        server.stop()
        controller.stop()


def downgrade_refused():
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)  # no STARTTLS offered
    controller.start()
    server = Server(f"smtp://user:password@localhost:{port}")
    try:
        print("a server without STARTTLS gets nothing")
        address = unique("plain")
        call(server.base, "POST", "/api/auth/sign-up/email", {"name": "Pat", "email": address, "password": PASSWORD})
        call(server.base, "POST", "/api/auth/request-password-reset", {"email": address})
        deadline = time.time() + 20
        while time.time() < deadline and "offers no STARTTLS" not in server.log():
            time.sleep(0.2)
        check("offers no STARTTLS" in server.log(), "the server says why it sent nothing")
        check(mailbox.count(address) == 0, "no message (and no password) went over the plain connection")
        check("password" not in [line for line in server.log().splitlines() if "STARTTLS" in line][0].split("error", 1)[-1],
              "the log line does not carry the SMTP password")
    finally:
        server.stop()
        controller.stop()


if __name__ == "__main__":
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(CERT, KEY)
    starttls_flows(context)
    implicit_tls_flow(context)
    downgrade_refused()
    print("mail flows: all passed")
