"""The Slack bot (slack-bolt): mentions and DMs answered in threads, the ``/crossfoot`` slash
command, and the buttons ("Show calculation", "Share to channel").

Every answer comes from the same ``Engine.answer`` as the API.  Slack wants an
acknowledgement within 3 seconds, so bolt acknowledges first and the answer is posted after
(a "Working on it…" message is posted, then updated, when an answer takes over a second).
A thread is a conversation: its state is kept in the store under the thread, so follow-ups
("and in 2006?") work on any replica.  Slack's retries of an event are answered once.
"""

from __future__ import annotations

import json
import logging
import math
import re
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol

from slack_bolt import App, BoltRequest, BoltResponse
from slack_sdk import WebClient
from slack_sdk.signature import SignatureVerifier

from ingest.numbers import scale_factor

from .settings import Settings

if TYPE_CHECKING:
    from ingest.store import Store
    from retrieval.answer import Answer, Conversation, Engine


class Service(Protocol):
    """What the bot needs of the service it answers through (``server.app.Service``): its
    engine and its store. A protocol, so this module does not import the app."""

    store: Store

    def engine(self) -> Engine: ...


log = logging.getLogger("crossfoot.slack")

SLACK_API = "https://slack.com/api/"
WORKING = "Working on it…"
SORRY = "Sorry, something went wrong while answering that. Please try again in a moment."
TEXT_LIMIT = 3000  # a section block's text
BLOCK_LIMIT = 50  # blocks in a message
CONTEXT_LIMIT = 10  # elements in a context block
PURGE_EVERY = 3600.0  # seconds between cleanups of old Slack state


# ---------------------------------------------------------------------------- Block Kit
def escape(text: str) -> str:
    """Slack's mrkdwn escaping: a question or a filing's text is never read as markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _split(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Text in pieces under ``limit``, broken at line ends or spaces where possible."""
    pieces = []
    while len(text) > limit:
        cut = max(text.rfind("\n", 0, limit), text.rfind(" ", 0, limit))
        cut = cut if cut > limit // 2 else limit
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    return [*pieces, text] if text else pieces


def _section(text: str) -> list[dict[str, Any]]:
    return [{"type": "section", "text": {"type": "mrkdwn", "text": part}} for part in _split(text)]


def citation_text(citation: dict[str, Any]) -> str:
    parts = [
        citation.get("document"),
        citation.get("table"),
        citation.get("row"),
        citation.get("column"),
    ]
    where = " · ".join(escape(str(p)) for p in parts if p)
    printed = escape(str(citation.get("as_printed") or "")).replace("`", "'")
    page = f" (page {citation['page']})" if citation.get("page") else ""
    scale = f" ({citation['scale']})" if citation.get("scale") else ""
    return f"{where}{page}: `{printed}`{scale}"


def confidence_percent(answer: dict[str, Any]) -> str | None:
    """An answered figure answer's ``confidence`` (0 to 1) as a percentage, "92%"; None when
    it has none (narrative answers, refusals, errors) or it is not a number.  Rounded half
    up, as the widget's ``Math.round`` does."""
    value = answer.get("confidence")
    if answer.get("status") != "answered" or isinstance(value, bool):
        return None
    if not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return f"{math.floor(min(max(float(value), 0.0), 1.0) * 100 + 0.5)}%"


def answer_blocks(
    answer: dict[str, Any], answer_id: str | None, share: bool = False
) -> list[dict[str, Any]]:
    """The Block Kit message for an answer object (FORMATS.md)."""
    blocks: list[dict[str, Any]] = []
    status = answer.get("status")
    text = escape(str(answer.get("answer") or ""))
    if status == "answered":
        value = answer.get("value")
        if value:
            blocks.append(
                {
                    "type": "header",
                    "text": {"type": "plain_text", "text": str(value["display"])[:150]},
                }
            )
        blocks.extend(_section(text))
        percent = confidence_percent(answer)
        if percent is not None:
            blocks.append(
                {
                    "type": "context",
                    "elements": [{"type": "mrkdwn", "text": escape(f"Confidence: {percent}")}],
                }
            )
    elif status == "needs_clarification":
        blocks.extend(_section(f":thinking_face: {text}"))
    else:
        blocks.extend(
            _section(
                f":information_source: {text}\n_crossfoot answers only from the ingested filings; "
                "try naming the line item and period as the filing prints them._"
            )
        )
    citations = [c for c in answer.get("citations") or [] if isinstance(c, dict)]
    if citations:
        elements: list[dict[str, Any]] = [{"type": "mrkdwn", "text": "*Sources*"}]
        for index, citation in enumerate(citations, 1):
            elements.append(
                {"type": "mrkdwn", "text": f"[{index}] {citation_text(citation)}"[:TEXT_LIMIT]}
            )
        for start in range(0, len(elements), CONTEXT_LIMIT):
            blocks.append({"type": "context", "elements": elements[start : start + CONTEXT_LIMIT]})
    buttons = []
    if answer.get("program") and answer_id:
        buttons.append(
            {
                "type": "button",
                "action_id": "crossfoot_calculation",
                "text": {"type": "plain_text", "text": "Show calculation"},
                "value": answer_id,
            }
        )
    if share and answer_id:
        buttons.append(
            {
                "type": "button",
                "action_id": "crossfoot_share",
                "text": {"type": "plain_text", "text": "Share to channel"},
                "style": "primary",
                "value": answer_id,
            }
        )
    if buttons:
        blocks.append({"type": "actions", "elements": buttons})
    if len(blocks) > BLOCK_LIMIT:
        blocks = [
            *blocks[: BLOCK_LIMIT - 1],
            *_section("_(the rest is cut: Slack shows 50 blocks)_"),
        ]
    return blocks


def calculation_blocks(answer: dict[str, Any]) -> list[dict[str, Any]]:
    """The program with each operand and the cell it came from."""
    program = str(answer.get("program") or "")
    lines = [f"*Calculation*\n`{escape(program)}`"]
    citations = [c for c in answer.get("citations") or [] if isinstance(c, dict)]
    seen: list[str] = []
    for operand in re.findall(r"(?<![\w.])-?\d+(?:\.\d+)?(?![\w.])", program):
        if operand in seen:
            continue
        seen.append(operand)
        source = next((c for c in citations if _operand_of(c) == operand), None)
        where = f" — {citation_text(source)}" if source else ""
        lines.append(f"• {_grouped(operand)}{where}")
    value = answer.get("value")
    if value:
        lines.append(f"= *{escape(str(value['display']))}*")
    return _section("\n".join(lines))


def _grouped(number: str) -> str:
    whole, dot, fraction = number.partition(".")
    sign = "-" if whole.startswith("-") else ""
    return f"{sign}{int(whole.lstrip('-') or 0):,}{dot}{fraction}"


def _operand_of(citation: dict[str, Any]) -> str | None:
    """The operand a cited figure becomes: "809,182" in thousands is 809182000."""
    printed = str(citation.get("as_printed") or "")
    match = re.search(r"\d[\d,]*(?:\.\d+)?", printed)
    if not match:
        return None
    number = Decimal(match.group(0).replace(",", ""))
    number *= scale_factor(str(citation.get("scale") or ""))
    if "(" in printed and ")" in printed:
        number = -number
    text = format(number.normalize(), "f")
    return text


def fallback_text(answer: dict[str, Any]) -> str:
    """The notification text (Slack shows it where blocks cannot be)."""
    return str(answer.get("answer") or "")[:TEXT_LIMIT]


# ---------------------------------------------------------------------------- the bot
class Bot:
    """Answers for Slack, over the HTTP service's ``Service`` (its engine and store)."""

    def __init__(self, settings: Settings, service: Callable[[], Service]) -> None:
        self.settings = settings
        self.service = service
        self.seen: OrderedDict[str, None] = OrderedDict()
        self.seen_lock = threading.Lock()
        self.purged_at = 0.0
        client = WebClient(
            token=settings.slack_bot_token, base_url=settings.slack_api_url or SLACK_API
        )
        # ``dispatch`` checks every HTTP request's signature once, before bolt sees it; Socket
        # Mode requests are not signed
        self.verifier = (
            SignatureVerifier(settings.slack_signing_secret)
            if settings.slack_signing_secret
            else None
        )
        self.app = App(
            signing_secret=settings.slack_signing_secret or "unused-in-socket-mode",
            client=client,
            token_verification_enabled=False,
            request_verification_enabled=False,
            logger=log,
        )
        self.app.event("app_mention")(self.on_mention)
        self.app.event("message")(self.on_message)
        self.app.command("/crossfoot")(self.on_command)
        self.app.action("crossfoot_calculation")(self.on_calculation)
        self.app.action("crossfoot_share")(self.on_share)

    # -- retries
    def first_time(self, body: dict[str, Any]) -> bool:
        """False for a message already taken: Slack retries an event it thinks was missed
        (``X-Slack-Retry-Num``), and a mention inside a thread the bot follows arrives twice,
        as ``app_mention`` and as ``message``. One answer per message, on every replica."""
        event = body.get("event") or {}
        if event.get("channel") and event.get("ts"):
            key = f"{_team(body, event)}:{event['channel']}:{event['ts']}"
        elif body.get("event_id"):
            key = str(body["event_id"])
        else:
            return True
        with self.seen_lock:
            if key in self.seen:
                return False
            self.seen[key] = None
            while len(self.seen) > 10_000:
                self.seen.popitem(last=False)
        store = self.service().store
        state = f"slack-event:{key}"
        if store.get_state(state) is not None:
            return False
        store.put_state(state, {"event_id": body.get("event_id"), "message": key})
        if time.time() - self.purged_at > PURGE_EVERY:
            self.purged_at = time.time()
            threading.Thread(target=self.purge, daemon=True).start()
        return True

    def purge(self, now: float | None = None) -> dict[str, int]:
        """Delete what the bot no longer needs: messages seen over a day ago (Slack retries
        within minutes), and threads and saved answers older than ``slack_keep_days``."""
        now = time.time() if now is None else now
        store = self.service().store
        keep = self.settings.slack_keep_days * 86_400
        try:
            gone = {
                "slack-event": store.purge_state("slack-event", now - 86_400),
                "slack-thread": store.purge_state("slack-thread", now - keep),
                "slack-answer": store.purge_state("slack-answer", now - keep),
            }
        except Exception:  # cleanup must never break answering
            log.exception("purging old Slack state failed")
            return {}
        if any(gone.values()):
            log.info("purged old Slack state: %s", gone)
        return gone

    # -- answering
    def engine(self) -> Engine:
        return self.service().engine()

    def _conversation(self, key: str) -> Conversation:
        from retrieval.answer import Conversation

        saved = self.service().store.get_state(key)
        return Conversation.from_json(saved) if saved else Conversation(id=key)

    def ask(self, question: str, conversation_key: str | None) -> tuple[dict[str, Any], str]:
        """The answer object and the id it is kept under (for the buttons)."""
        from retrieval.answer import Filters

        store = self.service().store
        conversation = self._conversation(conversation_key) if conversation_key else None
        result: Answer = self.engine().answer(question, Filters(), conversation)
        if conversation is not None and conversation_key:
            store.put_state(conversation_key, conversation.to_json())
        answer = result.to_json()
        answer["conversation_id"] = None
        answer_id = uuid.uuid4().hex
        store.put_state(f"slack-answer:{answer_id}", answer)
        return answer, answer_id

    def answer_in_thread(
        self, client: WebClient, channel: str, thread_ts: str, question: str, team: str
    ) -> None:
        """Post the answer in the thread; after a second without one, post "Working on it…"
        and update it when the answer is ready."""
        done = threading.Event()
        outcome: dict[str, Any] = {}

        def work() -> None:
            try:
                outcome["answer"] = self.ask(question, _thread_key(team, channel, thread_ts))
            except Exception:
                log.exception("answering %r in %s failed", question[:200], channel)
            finally:
                done.set()

        threading.Thread(target=work, daemon=True).start()
        placeholder = None
        if not done.wait(self.settings.slack_working_after):
            posted = client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=WORKING)
            placeholder = posted.get("ts")
            done.wait()
        if "answer" in outcome:
            answer, answer_id = outcome["answer"]
            text, blocks = fallback_text(answer), answer_blocks(answer, answer_id)
        else:
            text, blocks = SORRY, _section(SORRY)
        if placeholder:
            client.chat_update(channel=channel, ts=placeholder, text=text, blocks=blocks)
        else:
            client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=text, blocks=blocks)

    # -- listeners
    def on_mention(self, body: dict[str, Any], event: dict[str, Any], client: WebClient) -> None:
        if not self.first_time(body):
            return
        self._reply(client, body, event, _question(event))

    def on_message(self, body: dict[str, Any], event: dict[str, Any], client: WebClient) -> None:
        """Direct messages, and replies in a channel thread the bot has answered in (so a
        follow-up needs no second mention); other channel messages are not the bot's."""
        if event.get("subtype") or event.get("bot_id"):
            return
        if event.get("channel_type") != "im" and not self._following(body, event):
            return
        if not self.first_time(body):
            return
        self._reply(client, body, event, _question(event))

    def _following(self, body: dict[str, Any], event: dict[str, Any]) -> bool:
        thread_ts = event.get("thread_ts")
        if not thread_ts or thread_ts == event.get("ts"):
            return False
        key = _thread_key(_team(body, event), str(event.get("channel")), str(thread_ts))
        return self.service().store.get_state(key) is not None

    def _reply(
        self, client: WebClient, body: dict[str, Any], event: dict[str, Any], question: str
    ) -> None:
        channel = str(event.get("channel"))
        thread_ts = str(event.get("thread_ts") or event.get("ts"))
        team = _team(body, event)
        if not question:
            client.chat_postMessage(
                channel=channel,
                thread_ts=thread_ts,
                text="Ask me about the ingested filings, e.g. “What were total net revenues in "
                "Q4 2007?”",
            )
            return
        try:
            self.answer_in_thread(client, channel, thread_ts, question, team)
        except Exception:
            log.exception("posting an answer in %s failed", channel)

    def on_command(
        self, ack: Callable[..., None], command: dict[str, Any], respond: Callable[..., Any]
    ) -> None:
        ack()
        question = str(command.get("text") or "").strip()
        if not question:
            respond(
                response_type="ephemeral",
                text="Usage: /crossfoot QUESTION, e.g. /crossfoot What were total net revenues "
                "in Q4 2007?",
            )
            return
        try:
            answer, answer_id = self.ask(question, None)
        except Exception:
            log.exception("answering the slash command %r failed", question[:200])
            respond(response_type="ephemeral", text=SORRY)
            return
        respond(
            response_type="ephemeral",
            text=fallback_text(answer),
            blocks=answer_blocks(answer, answer_id, share=True),
        )

    def _saved(self, answer_id: str) -> dict[str, Any] | None:
        if not re.fullmatch(r"[0-9a-f]{32}", answer_id):
            return None
        return self.service().store.get_state(f"slack-answer:{answer_id}")

    def on_calculation(
        self, ack: Callable[..., None], body: dict[str, Any], respond: Callable[..., Any]
    ) -> None:
        ack()
        answer_id = str(body["actions"][0].get("value") or "")
        answer = self._saved(answer_id)
        if answer is None or not answer.get("program"):
            respond(
                response_type="ephemeral",
                replace_original=False,
                text="That calculation is no longer available; ask again.",
            )
            return
        respond(
            response_type="ephemeral",
            replace_original=False,
            text=f"Calculation: {answer['program']}",
            blocks=calculation_blocks(answer),
        )

    def on_share(
        self,
        ack: Callable[..., None],
        body: dict[str, Any],
        client: WebClient,
        respond: Callable[..., Any],
    ) -> None:
        ack()
        answer_id = str(body["actions"][0].get("value") or "")
        answer = self._saved(answer_id)
        channel = (body.get("channel") or {}).get("id")
        if answer is None or not channel:
            respond(
                response_type="ephemeral",
                replace_original=False,
                text="That answer is no longer available; ask again.",
            )
            return
        user = (body.get("user") or {}).get("id")
        question = escape(str(answer.get("question") or ""))
        asked = f"<@{user}> asked: _{question}_" if user else f"_{question}_"
        client.chat_postMessage(
            channel=channel,
            text=fallback_text(answer),
            blocks=[*_section(asked), *answer_blocks(answer, answer_id)],
        )
        respond(delete_original=True)

    # -- HTTP
    def dispatch(self, body: str, query: dict[str, str], headers: dict[str, str]) -> BoltResponse:
        """One request to ``/slack/events`` (verified by bolt: a bad signature or a timestamp
        over five minutes old gets 401).  A payload that is not Slack's gets 400."""
        if self.verifier is None or not self.verifier.is_valid_request(body, headers):
            return BoltResponse(status=401, body="invalid or stale Slack signature")
        if not _well_formed(body, headers):
            return BoltResponse(status=400, body="malformed Slack payload")
        sent: dict[str, str | Sequence[str]] = dict(headers)
        return self.app.dispatch(BoltRequest(body=body, query=query, headers=sent))


def _team(body: dict[str, Any], event: dict[str, Any]) -> str:
    return str(body.get("team_id") or event.get("team") or "")


def _thread_key(team: str, channel: str, thread_ts: str) -> str:
    """Where a thread's conversation is kept in the store."""
    return f"slack-thread:{team}:{channel}:{thread_ts}"


def _question(event: dict[str, Any]) -> str:
    """The message's text without mentions (``<@U123>`` or ``<@U123|name>``)."""
    return re.sub(r"<@[A-Z0-9]+(?:\|[^>]*)?>", " ", str(event.get("text") or "")).strip()


def _well_formed(body: str, headers: dict[str, str]) -> bool:
    from urllib.parse import parse_qs

    kind = headers.get("content-type", "")
    try:
        if "application/json" in kind:
            data = json.loads(body)
            return isinstance(data, dict) and isinstance(data.get("type"), str)
        form = parse_qs(body, strict_parsing=True)
        if "payload" in form:
            payload = json.loads(form["payload"][0])
            return isinstance(payload, dict) and isinstance(payload.get("type"), str)
        return "command" in form
    except (ValueError, TypeError):
        return False
