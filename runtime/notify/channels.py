"""Delivery channels: what an email, a signed webhook and a WeCom / DingTalk / Slack message
look like, and sending one of them once.

Everything here is plain values in, plain values out: rendering happens when a message is
queued (runtime.notify.outbox stores the result), sending when the outbox claims it. No database.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html as markup
import ipaddress
import json
import os
import smtplib
import socket
import ssl
import time
import urllib.parse
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

import certifi
import httpx

from platform_core.config import parse_networks

USER_AGENT = "Gongdan-Notifier"
SIGNATURE_HEADER = "X-Gongdan-Signature"

# --------------------------------------------------------------------------- texts

# What happened, per notification kind, in each locale. Kinds not listed fall back to the
# neutral "Notification" label; the caller's message always follows it.
KIND_LABELS: dict[str, dict[str, str]] = {
    "assigned": {"en": "Assigned to you", "zh-CN": "已分配给您"},
    "mentioned": {"en": "You were mentioned", "zh-CN": "有人提到了您"},
    "routed": {"en": "New ticket routed", "zh-CN": "新工单已分派"},
    "notice": {"en": "Ticket updated", "zh-CN": "工单有更新"},
    "received": {"en": "Request received", "zh-CN": "已收到您的请求"},
    "commented": {"en": "New comment", "zh-CN": "新评论"},
    "replied": {"en": "New reply", "zh-CN": "新回复"},
    "watched": {"en": "On a ticket you watch", "zh-CN": "您关注的工单"},
    "resolved": {"en": "Ticket resolved", "zh-CN": "工单已解决"},
    "sla_warning": {"en": "SLA due soon", "zh-CN": "SLA 即将到期"},
    "sla_breached": {"en": "SLA breached", "zh-CN": "SLA 已超时"},
    "escalated": {"en": "Ticket escalated", "zh-CN": "工单已升级"},
    "survey": {"en": "How did we do?", "zh-CN": "请评价我们的服务"},
    "survey_follow_up": {"en": "Survey follow-up", "zh-CN": "满意度回访"},
    "approval": {"en": "Awaiting your approval", "zh-CN": "待您审批"},
    "approval_warning": {"en": "Approval due soon", "zh-CN": "审批即将到期"},
    "approval_escalated": {"en": "Approval escalated to you", "zh-CN": "审批已升级给您"},
    "approval_done": {"en": "Approval decided", "zh-CN": "审批已有结果"},
    # the notify templates of the IT service-desk template
    "major_incident": {"en": "Major incident", "zh-CN": "重大事件"},
    "server_down": {"en": "Server down", "zh-CN": "服务器宕机"},
    "still_waiting": {"en": "We are waiting for your answer", "zh-CN": "我们在等待您的回复"},
    "confirm_resolution": {"en": "Please confirm the fix", "zh-CN": "请确认问题已解决"},
    "reopened": {"en": "Ticket reopened", "zh-CN": "工单已重新打开"},
    # an admin's "send a test" of a chat endpoint
    "test": {"en": "Test message", "zh-CN": "测试消息"},
    # the knowledge base: an article's review-by date has come (runtime.knowledge.reviews)
    "knowledge_review": {"en": "Article due for review", "zh-CN": "文章到期待复审"},
}
_FALLBACK_LABEL = {"en": "Notification", "zh-CN": "通知"}

# Everything else an email or a chat message says, per locale.
TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "greeting": "Hello {name},",
        "ticket": "Ticket",
        "status": "Status",
        "priority": "Priority",
        "team": "Team",
        "open": "Open it",
        "open_link": "Open it",
        "why": "You get this email because of your notification preferences in Gongdan: {url}",
        "colon": ": ",
    },
    "zh-CN": {
        "greeting": "{name}，您好：",  # noqa: RUF001  (Chinese punctuation is meant)
        "ticket": "工单",
        "status": "状态",
        "priority": "优先级",
        "team": "团队",
        "open": "查看工单",
        "open_link": "查看",
        "why": "您收到此邮件是因为您在 Gongdan 中的通知设置：{url}",  # noqa: RUF001
        "colon": "：",  # noqa: RUF001
    },
}


def locale_of(value: str | None) -> str:
    """One of the locales we have texts for (the user's, else English)."""
    return value if value in TEXTS else "en"


def kind_label(kind: str, locale: str) -> str:
    return KIND_LABELS.get(kind, _FALLBACK_LABEL)[locale_of(locale)]


def ticket_url(base_url: str, ticket_id: int) -> str:
    return f"{base_url.rstrip('/')}/tickets/{ticket_id}"


@dataclass(frozen=True)
class TicketFacts:
    """What a notification says about its ticket (taken when the message is queued)."""

    id: int
    number: str
    title: str
    status: str
    priority: str
    team: str | None
    url: str

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "number": self.number, "title": self.title, "status": self.status,
                "priority": self.priority, "team": self.team, "url": self.url}


# --------------------------------------------------------------------------- email


def render_email(*, kind: str, message: str, locale: str, name: str, ticket: TicketFacts | None,
                 base_url: str, link: str | None = None) -> dict[str, Any]:
    """Subject, plain text and HTML of a notification email in the recipient's language; one not about a ticket
    links to ``link`` (a same-site path) when it has one."""
    locale = locale_of(locale)
    text = TEXTS[locale]
    label = kind_label(kind, locale)
    colon = text["colon"]
    subject = f"[{ticket.number}] {label}{colon}{ticket.title}" if ticket else f"{label}{colon}{message}"
    subject = " ".join(subject.split())  # one line: a header may not hold line breaks
    profile = f"{base_url.rstrip('/')}/profile"
    lines = [text["greeting"].format(name=name), "", message, ""]
    rows: list[tuple[str, str]] = []
    if ticket:
        rows = [(text["ticket"], f"{ticket.number} — {ticket.title}"),
                (text["status"], ticket.status),
                (text["priority"], ticket.priority)]
        if ticket.team:
            rows.append((text["team"], ticket.team))
        rows.append((text["open"], ticket.url))
    elif link:
        rows = [(text["open_link"], f"{base_url.rstrip('/')}/{link.lstrip('/')}")]
    if rows:
        lines += [f"{key}{colon}{value}" for key, value in rows] + [""]
    lines += ["-- ", text["why"].format(url=profile)]
    escape = markup.escape
    html_rows = "".join(
        f"<tr><th align=\"left\" style=\"padding-right:12px\">{escape(key)}</th><td>"
        + (f"<a href=\"{escape(value)}\">{escape(value)}</a>" if key in (text["open"], text["open_link"])
           else escape(value))
        + "</td></tr>" for key, value in rows)
    html_body = (f"<!doctype html><html lang=\"{locale}\"><body>"
                 f"<p>{escape(text['greeting'].format(name=name))}</p><p>{escape(message)}</p>"
                 + (f"<table>{html_rows}</table>" if rows else "")
                 + f"<p style=\"color:#888;font-size:12px\">{escape(text['why'].format(url=profile))}</p>"
                 "</body></html>")
    return {"subject": subject[:250], "text": "\n".join(lines), "html": html_body, "locale": locale,
            "ticket_number": ticket.number if ticket else None}


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    username: str | None
    password: str | None
    starttls: bool
    ssl: bool
    sender: str
    timeout: float

    @classmethod
    def from_config(cls, config: Any) -> SmtpSettings:
        return cls(host=config["SMTP_HOST"], port=config["SMTP_PORT"], username=config.get("SMTP_USERNAME"),
                   password=config.get("SMTP_PASSWORD"), starttls=bool(config.get("SMTP_STARTTLS")),
                   ssl=bool(config.get("SMTP_SSL")), sender=config["SMTP_FROM"],
                   timeout=config["SMTP_TIMEOUT_SECONDS"])


@dataclass(frozen=True)
class Outcome:
    """The result of one attempt. ``permanent`` failures are not retried."""

    ok: bool
    response_code: int | None = None
    error: str | None = None
    permanent: bool = False


def build_email(smtp: SmtpSettings, to: str, payload: dict[str, Any], delivery_id: str) -> EmailMessage:
    email = EmailMessage()
    email["Subject"] = payload["subject"]
    email["From"] = smtp.sender
    email["To"] = to
    email["Date"] = formatdate(localtime=False)
    domain = smtp.sender.rpartition("@")[2] or "gongdan.local"
    email["Message-ID"] = make_msgid(idstring=delivery_id.replace("-", ""), domain=domain)
    email["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies to us
    email["X-Gongdan-Delivery"] = delivery_id
    if payload.get("ticket_number"):
        email["X-Gongdan-Ticket"] = payload["ticket_number"]
    email.set_content(payload["text"])
    if payload.get("html"):
        email.add_alternative(payload["html"], subtype="html")
    email["Content-Language"] = payload.get("locale", "en")  # after the content, which resets Content-* headers
    return email


def send_email(smtp: SmtpSettings, to: str, payload: dict[str, Any], delivery_id: str) -> Outcome:
    """Hand one email to the SMTP server. 5xx answers are permanent; the rest is retried."""
    email = build_email(smtp, to, payload, delivery_id)
    try:
        client_class = smtplib.SMTP_SSL if smtp.ssl else smtplib.SMTP
        with client_class(smtp.host, smtp.port, timeout=smtp.timeout) as client:
            if smtp.starttls and not smtp.ssl:
                client.starttls()
            if smtp.username:
                client.login(smtp.username, smtp.password or "")
            refused = client.send_message(email)
    except smtplib.SMTPRecipientsRefused as error:
        code, reply = next(iter(error.recipients.values()))
        return Outcome(False, code, f"SMTP refused {to}: {code} {_text(reply)}", permanent=code >= 500)
    except smtplib.SMTPResponseException as error:
        return Outcome(False, error.smtp_code, f"SMTP {error.smtp_code} {_text(error.smtp_error)}",
                       permanent=error.smtp_code >= 500)
    except (smtplib.SMTPException, OSError) as error:
        return Outcome(False, None, f"SMTP {smtp.host}:{smtp.port}: {type(error).__name__}: {error}")
    if refused:
        return Outcome(False, None, f"SMTP refused {', '.join(refused)}")
    return Outcome(True, 250)


def _text(reply: Any) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)


# --------------------------------------------------------------------------- webhooks


def canonical_json(body: dict[str, Any]) -> bytes:
    """The exact bytes sent (and signed): compact UTF-8 JSON, keys sorted."""
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def sign_body(secret: str, body: bytes) -> str:
    """``sha256=<hex>``: HMAC-SHA256 of the raw request body with the shared secret."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def webhook_headers(*, body: bytes, secret: str | None, delivery_id: str, event: str, attempt: int,
                    timestamp: int) -> dict[str, str]:
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT,
               "X-Gongdan-Delivery": delivery_id, "X-Gongdan-Event": event,
               "X-Gongdan-Timestamp": str(timestamp), "X-Gongdan-Attempt": str(attempt)}
    if secret:
        headers[SIGNATURE_HEADER] = sign_body(secret, body)
    return headers


def dingtalk_signed_url(url: str, secret: str, timestamp_ms: int) -> str:
    """DingTalk's "加签" scheme: HMAC-SHA256 over "<timestamp>\\n<secret>" keyed with the secret,
    Base64, URL-encoded, added as ``timestamp`` and ``sign`` query parameters."""
    to_sign = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), to_sign, hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    return f"{url}{'&' if '?' in url else '?'}timestamp={timestamp_ms}&sign={sign}"


@dataclass(frozen=True)
class HttpSettings:
    """How webhook and chat-app calls are made: their timeout, the networks they may reach
    besides public ones (GONGDAN_OUTBOUND_ALLOW) and extra CAs they trust (GONGDAN_OUTBOUND_CA_BUNDLE)."""

    timeout: float = 10
    allow: str | None = None
    ca_bundle: str | None = None

    @classmethod
    def from_config(cls, config: Any) -> HttpSettings:
        return cls(timeout=config["WEBHOOK_TIMEOUT_SECONDS"], allow=config.get("OUTBOUND_ALLOW"),
                   ca_bundle=config.get("OUTBOUND_CA_BUNDLE"))


_http: tuple[int, HttpSettings, httpx.Client] | None = None


def _http_client(settings: HttpSettings) -> httpx.Client:
    """One pooled client per process (building one loads the CA bundle: ~20 ms), made on first use.

    Keyed by process id, so a forked worker never shares its parent's connections.
    """
    global _http
    if _http is None or _http[0] != os.getpid() or _http[1] != settings:
        verify: ssl.SSLContext | bool = True
        if settings.ca_bundle:  # the public CAs and the operator's own
            verify = ssl.create_default_context(cafile=certifi.where())
            verify.load_verify_locations(cafile=settings.ca_bundle)
        _http = (os.getpid(), settings, httpx.Client(timeout=settings.timeout, follow_redirects=False,
                                                     trust_env=False, verify=verify))
    return _http[2]


# --------------------------------------------------------------------------- where calls may go
#
# Webhook and chat-app addresses come from ticket-type definitions and admins, so a call could
# be aimed at the server's own network: a database, a cloud metadata service (169.254.169.254),
# an admin console on localhost. Calls go only to public addresses unless the operator allows
# a network (GONGDAN_OUTBOUND_ALLOW). The name is resolved once and the call made to the very
# address that was checked, so a DNS answer that changes in between (rebinding) cannot move it.


class BlockedDestination(ValueError):
    """The address may not be called; the message says why and how an operator can allow it."""


def _callable(address: ipaddress.IPv4Address | ipaddress.IPv6Address,
              allowed: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    if any(address in network for network in allowed):
        return True
    return address.is_global and not address.is_multicast


def pin(url: str, allowed_spec: str | None) -> tuple[httpx.URL, dict[str, str], dict[str, Any]]:
    """Resolve and check the address a call to ``url`` would reach.

    Of the addresses a name resolves to, the first that may be called is used (so an answer that
    mixes a public address with a private one cannot steer the call to the private one).
    Returns the URL with its host replaced by that IP address, the headers that keep the
    call addressed to the original name (``Host``) and the request extensions that make TLS
    verify the certificate for that name (``sni_hostname``). Raises BlockedDestination when an
    address is not public and not allowed, OSError when the name does not resolve.
    """
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as error:
        raise BlockedDestination(f"{url!r} is not a valid URL: {error}") from None
    if parsed.scheme not in ("http", "https") or not parsed.raw_host:
        raise BlockedDestination(f"Only http and https URLs with a host can be called, not {redact_url(url)!r}.")
    host = parsed.raw_host.decode("ascii")
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    try:
        addresses = [ipaddress.ip_address(host)]
        literal = True
    except ValueError:
        literal = False
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        addresses = list(dict.fromkeys(ipaddress.ip_address(info[4][0].split("%")[0]) for info in found))
    allowed = parse_networks(allowed_spec)  # parsed once per setting (cached)
    callable_ = [address for address in addresses if _callable(address, allowed)]
    if not callable_:
        where = f"{addresses[0]} is" if literal else f"{host} resolves to {addresses[0]}, which is"
        raise BlockedDestination(
            f"{where} not a public address. Calls go only to public addresses unless an operator allows "
            f"the network with GONGDAN_OUTBOUND_ALLOW (such as {addresses[0]}/{addresses[0].max_prefixlen}).")
    headers = {"Host": parsed.netloc.decode("ascii")}
    extensions: dict[str, Any] = {}
    if parsed.scheme == "https" and not literal:
        extensions["sni_hostname"] = host  # the certificate is checked for the name, not the address
        headers["Connection"] = "close"  # a pooled TLS connection is keyed by address: never share it across names
    return parsed.copy_with(host=str(callable_[0])), headers, extensions


def post_json(url: str, body: bytes, headers: dict[str, str], settings: HttpSettings, *, chat: bool = False) -> Outcome:
    """POST the body to a public address (or one the settings allow); 2xx is success (and, for
    WeCom and DingTalk, errcode 0 in the answer). A refused address is a permanent failure:
    retrying cannot help until an operator allows it (then replay)."""
    try:
        pinned, pinned_headers, extensions = pin(url, settings.allow)
    except BlockedDestination as error:
        return Outcome(False, None, str(error)[:2000], permanent=True)
    except OSError as error:
        return Outcome(False, None, f"Cannot resolve the host of {redact_url(url)}: {error}"[:2000])
    try:
        response = _http_client(settings).post(pinned, content=body, headers={**headers, **pinned_headers},
                                              extensions=extensions)
    except (httpx.HTTPError, httpx.InvalidURL, OSError) as error:
        return Outcome(False, None, f"{type(error).__name__}: {error or 'no answer'}"[:2000])
    if not 200 <= response.status_code < 300:
        return Outcome(False, response.status_code, f"HTTP {response.status_code}: {response.text[:500]}")
    if chat:
        try:
            answer = response.json()
        except ValueError:
            answer = None
        if isinstance(answer, dict) and answer.get("errcode") not in (None, 0):
            return Outcome(False, response.status_code,
                           f"errcode {answer.get('errcode')}: {answer.get('errmsg', '')}"[:2000])
    return Outcome(True, response.status_code)


def redact_url(url: str) -> str:
    """A URL fit to show in lists: query values (chat bots' keys and tokens) cut to their last 4 characters."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:  # not readable as a URL (the API refuses such URLs; an older row may hold one)
        return url.split("?", 1)[0] + ("?***" if "?" in url else "")
    if not parts.query:
        return url
    query = [(key, "***" + value[-4:] if len(value) > 8 else "***") for key, value
             in urllib.parse.parse_qsl(parts.query, keep_blank_values=True)]
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query, safe="*")))


# --------------------------------------------------------------------------- chat apps


def _facts_line(ticket: TicketFacts, locale: str) -> str:
    text = TEXTS[locale]
    parts = [f"{text['status']}{text['colon']}{ticket.status}", f"{text['priority']}{text['colon']}{ticket.priority}"]
    if ticket.team:
        parts.append(f"{text['team']}{text['colon']}{ticket.team}")
    return " · ".join(parts)


def _slack_escape(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render_chat(platform: str, *, kind: str, message: str, ticket: TicketFacts | None, locale: str) -> dict[str, Any]:
    """The JSON body WeCom group bots, DingTalk robots, Slack incoming webhooks or a plain webhook accept."""
    locale = locale_of(locale)
    label = kind_label(kind, locale)
    colon = TEXTS[locale]["colon"]
    if platform == "webhook":
        return {"event": "notification", "kind": kind, "label": label, "message": message,
                "ticket": ticket.as_dict() if ticket else None}
    if platform == "slack":
        if ticket is None:
            return {"text": f"{label}{colon}{message}",
                    "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": _slack_escape(f"*{label}*\n{message}")}}]}
        headline = f"*<{ticket.url}|{_slack_escape(ticket.number)}>* {_slack_escape(ticket.title)}"
        return {"text": f"[{ticket.number}] {label}{colon}{message}",
                "blocks": [
                    {"type": "section", "text": {"type": "mrkdwn",
                                                 "text": f"{headline}\n*{_slack_escape(label)}*{colon}{_slack_escape(message)}"}},
                    {"type": "context", "elements": [{"type": "mrkdwn", "text": _slack_escape(_facts_line(ticket, locale))}]},
                ]}
    message = " ".join(message.split())  # the quote line must stay one line
    if ticket is None:
        body = f"**{label}**\n> {message}"
        title = label
    else:
        body = (f"**[{ticket.number}]({ticket.url}) {ticket.title}**\n"
                f"> {label}{colon}{message}\n> {_facts_line(ticket, locale)}")
        title = f"[{ticket.number}] {label}"
    if platform == "wecom":
        return {"msgtype": "markdown", "markdown": {"content": body[:4000]}}
    if platform == "dingtalk":
        return {"msgtype": "markdown", "markdown": {"title": title[:100], "text": body[:5000]}}
    raise ValueError(f"unknown chat platform {platform!r}")


def send_chat(platform: str, url: str, body: dict[str, Any], *, secret: str | None, delivery_id: str, event: str,
              attempt: int, settings: HttpSettings) -> Outcome:
    raw = canonical_json(body)
    now = time.time()
    if platform == "webhook":
        headers = webhook_headers(body=raw, secret=secret, delivery_id=delivery_id, event=event, attempt=attempt,
                                  timestamp=int(now))
        return post_json(url, raw, headers, settings)
    if platform == "dingtalk" and secret:
        url = dingtalk_signed_url(url, secret, int(now * 1000))
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT}
    return post_json(url, raw, headers, settings, chat=platform in ("wecom", "dingtalk"))
