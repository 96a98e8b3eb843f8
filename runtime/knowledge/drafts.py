"""Ticket -> article: a draft built from a resolved or closed ticket, with the spans of personal data to redact;
and the ``create_article_draft`` action of transitions and automations.

What goes into the draft: the fields the definition's ``knowledge.article`` section names (symptom, diagnosis,
resolution, root cause, each a JSON pointer into the ticket's data), else the title, the description and the
resolution (the ``resolution`` field, else the last public staff comment); then the public conversation. Internal
comments are left out unless the caller names them. The tags are the values of ``tags_from``'s fields, each as
its option's label in the draft's language (runtime.knowledge.ticket_tags).

The draft's language (headings, option labels, tags): for "Turn into an article", the caller's (their profile,
else Accept-Language); for the action, which nobody calls, the assignee's (the draft's owner, who reviews it),
else the requester's, else the definition's ``locale`` (``action_locale``).

Personal data (``redactions``): e-mail addresses, phone numbers (Chinese mobiles 1[3-9]xxxxxxxxx, +country and
0xx-xxxxxxx numbers), the names of the requester, the assignee and the comments' authors, and the values of the
definition's ``access.personal_fields``. Offsets count characters (code points) of the body. People save the
draft only after redacting what they choose (the editor replaces each span with its placeholder); the action,
which nobody reviews before it is stored, redacts all of them itself.
"""


from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from platform_core.auth.models import User
from platform_core.errors import Conflict, Forbidden, ValidationFailed
from runtime.knowledge import services, ticket_tags
from runtime.knowledge.models import KnowledgeCategory
from runtime.knowledge.texts import say
from runtime.rules.cache import compiled_for, labels_for
from runtime.rules.i18n import LOCALES, document_locale, normalize_locale
from runtime.tickets import access
from runtime.tickets.history import record_event
from runtime.tickets.models import Ticket, TicketComment

DONE = ("resolved", "closed")
SECTIONS = ("symptom", "diagnosis", "resolution", "root_cause")
PLACEHOLDERS = {
    "email": {"en": "[email]", "zh-CN": "[邮箱]"},
    "phone": {"en": "[phone]", "zh-CN": "[电话]"},
    "name": {"en": "[name]", "zh-CN": "[姓名]"},
    "personal": {"en": "[personal data]", "zh-CN": "[个人信息]"},
}
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_PHONES = (
    re.compile(r"(?<![\d+])(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d{4}){2}(?!\d)"),  # Chinese mobile, 138 1234 5678 too
    re.compile(r"(?<![\w+])\+\d{1,3}(?:[\s-]?\d){7,13}(?!\d)"),  # +44 20 7946 0958
    re.compile(r"(?<![\w-])0\d{2,3}-\d{7,8}(?!\d)"),  # 021-12345678
)
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'.-]*")


def _definition(ticket: Ticket) -> dict[str, Any]:
    document = compiled_for(ticket.type_version).document
    return document if isinstance(document, dict) else {}


def _shown(ticket: Ticket, name: str, locale: str) -> str:
    """A field's value as a reader of ``locale`` reads it (option labels), '' when unset."""
    value = ticket.data.get(name)
    if value in (None, "", []):
        return ""
    try:
        return labels_for(ticket.type_version, locale).value(name, value)
    except Exception:  # a value the labels cannot read (an old version's shape): as stored
        return str(value)


def _title(ticket: Ticket, name: str, locale: str) -> str:
    try:
        return labels_for(ticket.type_version, locale).field_title(name)
    except Exception:
        return name


def _comments(session: Session, ticket: Ticket, include_ids: list[int], locale: str) -> list[TicketComment]:
    rows = list(session.scalars(select(TicketComment).where(TicketComment.ticket_id == ticket.id)
                                .order_by(TicketComment.created_at, TicketComment.id)))
    known = {c.id for c in rows}
    problems = [{"path": f"/include_comment_ids/{i}", "location": "json",
                 "message": say("draft.unknown_comment", locale, id=cid)}
                for i, cid in enumerate(include_ids) if cid not in known]
    if problems:
        raise ValidationFailed(problems[0]["message"], details=problems)
    wanted = set(include_ids)
    return [c for c in rows if not c.internal or c.id in wanted]


def _is_staff_author(ticket: Ticket, comment: TicketComment) -> bool:
    return comment.author_id is not None and comment.author_id != ticket.requester_id


def _body(session: Session, ticket: Ticket, comments: list[TicketComment], locale: str) -> tuple[str, list[str]]:
    """The draft's Markdown and its tags."""
    document = _definition(ticket)
    mapping = (document.get("knowledge") or {}).get("article") if isinstance(document.get("knowledge"), dict) else None
    parts: list[str] = []
    if isinstance(mapping, dict) and any(mapping.get(key) for key in SECTIONS):
        for key in SECTIONS:
            pointer = mapping.get(key)
            if isinstance(pointer, str) and pointer.startswith("/"):
                text = _shown(ticket, ticket_tags.field_name(pointer), locale)
                if text:
                    parts.append(f"## {say(f'draft.section.{key}', locale)}\n\n{text}")
    else:
        description = _shown(ticket, "description", locale)
        if description:
            parts.append(f"## {say('draft.section.symptom', locale)}\n\n{description}")
        resolution = _shown(ticket, "resolution", locale)
        if not resolution:
            staff = [c for c in comments if _is_staff_author(ticket, c) and not c.internal]
            resolution = staff[-1].body if staff else ""
        if resolution:
            parts.append(f"## {say('draft.section.resolution', locale)}\n\n{resolution}")
        for name in ("root_cause", "diagnosis"):
            text = _shown(ticket, name, locale)
            if text:
                parts.append(f"## {_title(ticket, name, locale)}\n\n{text}")
    if comments:
        lines = []
        for comment in comments:
            who = say("draft.agent" if _is_staff_author(ticket, comment) else
                      "draft.requester" if comment.author_id == ticket.requester_id else "draft.system", locale)
            mark = f" ({say('draft.internal', locale)})" if comment.internal else ""
            text = comment.body.strip().replace("\n", "\n  ")
            lines.append(f"- **{who}**{mark}: {text}")
        parts.append(f"## {say('draft.section.conversation', locale)}\n\n" + "\n".join(lines))
    return "\n\n".join(parts) + ("\n" if parts else ""), ticket_tags.draft_tags(ticket, locale)


# --------------------------------------------------------------------------- personal data


def _names(session: Session, ticket: Ticket, comments: list[TicketComment]) -> list[str]:
    people: list[User | None] = [ticket.requester, ticket.assignee, *(c.author for c in comments)]
    names: list[str] = []
    for person in people:
        if person is None or not (person.name or "").strip():
            continue
        full = person.name.strip()
        names.append(full)
        words = _LATIN_WORD.findall(full)
        if len(words) > 1:  # "Rita Chen": "Rita" and "Chen" alone too
            names.extend(w for w in words if len(w) >= 3)
    return sorted(set(names), key=len, reverse=True)


def _literal(name: str) -> re.Pattern[str]:
    escaped = re.escape(name)
    if _LATIN_WORD.fullmatch(name.replace(" ", "")) or name.isascii():
        return re.compile(rf"(?<![\w]){escaped}(?![\w])", re.IGNORECASE)
    return re.compile(escaped)


def find_personal_data(text: str, *, names: list[str], personal: list[str], locale: str) -> list[dict[str, Any]]:
    """Spans of ``text`` to redact, in order, none overlapping: {start, end, kind, text, placeholder}."""
    found: list[tuple[int, int, str]] = []
    found += [(m.start(), m.end(), "email") for m in _EMAIL.finditer(text)]
    for pattern in _PHONES:
        found += [(m.start(), m.end(), "phone") for m in pattern.finditer(text)]
    for value in sorted({v.strip() for v in personal if len(v.strip()) >= 2}, key=len, reverse=True):
        found += [(m.start(), m.end(), "personal") for m in _literal(value).finditer(text)]
    for name in names:
        if len(name) >= 2:
            found += [(m.start(), m.end(), "name") for m in _literal(name).finditer(text)]
    found.sort(key=lambda span: (span[0], -(span[1] - span[0])))
    spans: list[dict[str, Any]] = []
    end = -1
    for start, stop, kind in found:
        if start < end:
            continue  # inside a longer or earlier span
        spans.append({"start": start, "end": stop, "kind": kind, "text": text[start:stop],
                      "placeholder": PLACEHOLDERS[kind]["zh-CN" if locale == "zh-CN" else "en"]})
        end = stop
    return spans


def redact(text: str, spans: list[dict[str, Any]]) -> str:
    """``text`` with every span replaced by its placeholder (spans in order, not overlapping)."""
    out, at = [], 0
    for span in spans:
        out.append(text[at:span["start"]])
        out.append(span["placeholder"])
        at = span["end"]
    out.append(text[at:])
    return "".join(out)


def _personal_values(ticket: Ticket) -> list[str]:
    names = (_definition(ticket).get("access") or {}).get("personal_fields") or []
    values: list[str] = []
    for name in names:
        value = ticket.data.get(name)
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, (str, int, float)) and not isinstance(item, bool) and str(item).strip():
                values.append(str(item))
    return values


# --------------------------------------------------------------------------- the draft


def build(session: Session, ticket: Ticket, include_ids: list[int], locale: str) -> dict[str, Any]:
    """The draft of ``ticket`` in ``locale``, with the spans to redact in its title and body."""
    comments = _comments(session, ticket, include_ids, locale)
    body, tags = _body(session, ticket, comments, locale)
    names = _names(session, ticket, comments)
    personal = _personal_values(ticket)
    title = ticket.title or ticket.number
    return {
        "locale": locale, "title": title, "body": body, "tags": tags, "ticket_types": [ticket.ticket_type.key],
        "source_ticket_id": ticket.id,
        "source_ticket": {"id": ticket.id, "number": ticket.number, "title": ticket.title},
        "comment_ids": [c.id for c in comments],
        "title_redactions": find_personal_data(title, names=names, personal=personal, locale=locale),
        "redactions": find_personal_data(body, names=names, personal=personal, locale=locale),
    }


def draft_for_ticket(session: Session, user: User, ticket_id: int, include_ids: list[int],
                     locale: str | None) -> dict[str, Any]:
    """POST /tickets/<id>/article-draft: staff working a resolved or closed ticket get its draft (nothing is
    saved: the article is written when they save it, after redacting)."""
    ticket = access.get_visible_ticket(session, user, ticket_id)
    if not user.has_role("admin", "agent", "designer") or not access.is_staff_for(session, user, ticket):
        raise Forbidden(say("draft.staff_only", locale))
    if ticket.status_category not in DONE:
        raise Conflict(say("draft.not_done", locale, number=ticket.number))
    article_locale = locale if locale in LOCALES else "en"
    return build(session, ticket, include_ids, article_locale)


# --------------------------------------------------------------------------- the action


def action_locale(ticket: Ticket) -> str:
    """The language of the action's draft, which nobody asks for: the language of whoever will review it — the
    ticket's assignee (the draft's owner), else its requester (their profile's ``locale``) — else the language the
    definition is written in (its ``locale``), else English."""
    for person in (ticket.assignee, ticket.requester):
        found = normalize_locale(person.locale) if person is not None else None
        if found:
            return found
    written = document_locale(_definition(ticket))
    return written if written in LOCALES else "en"


def _marker(ticket: Ticket, origin: str) -> str:
    return f"draft of ticket {ticket.id} by {origin}"[:500]


def _category_id(session: Session, name: str | None) -> int | None:
    if not name:
        return None
    for category in session.scalars(select(KnowledgeCategory).order_by(KnowledgeCategory.id)):
        names = {category.name, *((v or {}).get("name") for v in (category.i18n or {}).values())}
        if name in names:
            return category.id
    return None


def create_article_draft_action(session: Session, user: Any, ticket: Ticket, action: dict[str, Any], origin: str,
                                now: datetime) -> list[str]:
    """The ``create_article_draft`` action (registered in runtime.tickets.hooks.ACTIONS): a draft article from the
    ticket, personal data redacted, linked to it; once per ticket and rule (a re-run finds it by its marker)."""
    marker = _marker(ticket, origin)
    if services.seeded_articles(session, [marker]):
        return []
    locale = action_locale(ticket)
    draft = build(session, ticket, [], locale)
    title = redact(draft["title"], draft["title_redactions"])[:300]
    body = redact(draft["body"], draft["redactions"])
    problems: list[str] = []
    category_id = _category_id(session, action.get("category"))
    if action.get("category") and category_id is None:
        problems.append(f"create_article_draft: no knowledge category named {action['category']!r}")
    tags = list(dict.fromkeys([*draft["tags"], *(action.get("tags") or [])]))[:30]
    actor_id = user.id if isinstance(user, User) else None
    article = services.seed_article(session, {
        "locale": locale, "texts": {locale: {"title": title, "body": body}}, "tags": tags, "category_id": category_id,
        "visibility": action.get("visibility") or "staff", "owner_id": ticket.assignee_id,
        "ticket_types": [ticket.ticket_type.key], "source_ticket_id": ticket.id}, marker=marker, actor_id=actor_id,
        status="draft")
    record_event(session, ticket, "article_drafted", actor_id=actor_id, internal=True,
                 details={"article_id": article.id, "origin": origin})
    if problems:
        record_event(session, ticket, "action_failed", actor_id=actor_id, internal=True,
                     details={"origin": origin, "action": "create_article_draft", "error": problems[0]})
    return problems
