"""The Slack bot for real: the bolt app inside a live uvicorn, sent correctly signed Events
API, slash-command and interactivity payloads (the shapes of Slack's documentation) on
``/slack/events``, while a local HTTP server on loopback stands in for Slack's Web API and
for ``response_url``, and records every call. ``crossfoot slack`` (Socket Mode) is driven
the same way, through a local WebSocket server that speaks Slack's Socket Mode envelopes."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode

import httpx
import pytest

from .conftest import KEYS, LiveServer, start_crossfoot

pytestmark = pytest.mark.slow

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
BOT = "UBOT0001"


class FakeSlack:
    """Slack's Web API (``/api/METHOD``) and ``response_url`` (``/response/N``) on loopback."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.lock = threading.Lock()
        self.ts = 0
        self.socket_url = ""  # what apps.connections.open hands out (Socket Mode)
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length).decode()
                if "json" in (self.headers.get("content-type") or ""):
                    body = json.loads(raw) if raw else {}
                else:
                    body = {k: v[0] for k, v in parse_qs(raw).items()}
                path = self.path
                with fake.lock:
                    fake.ts += 1
                    ts = f"1700000100.{fake.ts:06d}"
                    if not path.endswith(("auth.test", "apps.connections.open")):
                        fake.calls.append((path, body))
                if path.endswith("apps.connections.open"):
                    reply: dict[str, Any] = {"ok": True, "url": fake.socket_url}
                elif path.endswith("auth.test"):
                    reply = {
                        "ok": True,
                        "user_id": BOT,
                        "bot_id": "B0001",
                        "team_id": "T0001",
                        "url": "https://example.slack.com/",
                    }
                elif path.startswith("/api/"):
                    reply = {"ok": True, "channel": body.get("channel"), "ts": ts}
                else:
                    reply = {"ok": True}
                data = json.dumps(reply).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait(self, count: int, timeout: float = 60) -> list[tuple[str, dict[str, Any]]]:
        deadline = time.time() + timeout
        while time.time() < deadline:
            with self.lock:
                if len(self.calls) >= count:
                    return list(self.calls)
            time.sleep(0.05)
        raise AssertionError(f"expected {count} calls to Slack, got {self.calls}")

    def take(self, count: int) -> list[tuple[str, dict[str, Any]]]:
        got = self.wait(count)
        time.sleep(0.5)  # and nothing more arrives
        with self.lock:
            calls, self.calls = list(self.calls), []
        assert len(calls) == count, calls
        return got


@pytest.fixture(scope="module")
def slack() -> Iterator[FakeSlack]:
    fake = FakeSlack()
    yield fake
    fake.server.shutdown()


@pytest.fixture(scope="module")
def server(live_server: LiveServer, slack: FakeSlack) -> str:
    return live_server(
        api_keys=KEYS,
        rate_limit_per_minute="0",
        slack_bot_token="xoxb-test-token",
        slack_signing_secret=SECRET,
        slack_api_url=f"{slack.url}/api/",
        # these tests are about the answers, not the "Working on it…" post of a slow one (its
        # own test sets 0): a loaded machine must not make an answer take over the default 1 s
        slack_working_after="600",
    )


def _signed(body: str, stamp: int | None = None, secret: str = SECRET) -> dict[str, str]:
    stamp = int(time.time()) if stamp is None else stamp
    digest = hmac.new(secret.encode(), f"v0:{stamp}:{body}".encode(), hashlib.sha256)
    return {
        "X-Slack-Request-Timestamp": str(stamp),
        "X-Slack-Signature": f"v0={digest.hexdigest()}",
    }


def _callback(event: dict[str, Any], event_id: str) -> dict[str, Any]:
    return {
        "token": "verification-token",
        "team_id": "T0001",
        "api_app_id": "A0001",
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": 1700000000,
        "authorizations": [
            {"enterprise_id": None, "team_id": "T0001", "user_id": BOT, "is_bot": True}
        ],
    }


def _event(
    server: str, event: dict[str, Any], event_id: str, retry: int | None = None
) -> httpx.Response:
    body = json.dumps(_callback(event, event_id))
    headers = {"Content-Type": "application/json", **_signed(body)}
    if retry is not None:
        headers |= {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
    return httpx.post(f"{server}/slack/events", content=body, headers=headers, timeout=30)


def _mention(text: str, ts: str, thread_ts: str | None = None) -> dict[str, Any]:
    event = {
        "type": "app_mention",
        "user": "U0USER1",
        "text": f"<@{BOT}> {text}",
        "ts": ts,
        "channel": "C0CHAN1",
        "event_ts": ts,
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def _form(server: str, fields: dict[str, str], stamp: int | None = None) -> httpx.Response:
    body = urlencode(fields)
    headers = {"Content-Type": "application/x-www-form-urlencoded", **_signed(body, stamp)}
    return httpx.post(f"{server}/slack/events", content=body, headers=headers, timeout=30)


SOURCE_Q4_2007 = (
    "[1] juniper_8k_ex99-1_q4fy2007_earnings.txt · Juniper Networks, Inc. / Condensed "
    "Consolidated Statements of Operations / (in thousands, except per share amounts) / "
    "(unaudited) · Total net revenues · Three Months Ended December 31, 2007: `809,182` "
    "(thousands)"
)


def _confidence(percent: str) -> dict[str, Any]:
    """The context block under an answered figure answer: how sure the engine is."""
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": f"Confidence: {percent}"}]}


Q4_2007_BLOCKS = [
    {"type": "header", "text": {"type": "plain_text", "text": "$809.2 million"}},
    {
        "type": "section",
        "text": {"type": "mrkdwn", "text": "Total net revenues was $809.2 million in Q4 2007."},
    },
    _confidence("57%"),
    {
        "type": "context",
        "elements": [
            {"type": "mrkdwn", "text": "*Sources*"},
            {"type": "mrkdwn", "text": SOURCE_Q4_2007},
        ],
    },
]


NARRATIVE_BLOCKS = [
    {
        "type": "section",
        "text": {
            "type": "mrkdwn",
            "text": "Robyn Denholm: “Capital expenditures and depreciation during the fourth "
            "quarter of 2007 were $35.9 million and $28.4 million, respectively. "
            "Capital expenditures and depreciation during the twelve months of 2007 "
            "were $146.9 million and $101.8 million, respectively. \"Juniper's key "
            "operating metrics were all in line or ahead of expectations in the "
            'December quarter," said Robyn Denholm, Chief Financial Officer, Juniper '
            'Networks, Inc. "Strong revenue growth, good improvements in operating '
            "margin and record cash flow from operations were the highlights of the "
            "quarter. Our achievement of profitability in our SLT product group is "
            "also a key milestone for the company. We are on the right track and "
            "believe these results demonstrate our continuing commitment to financial "
            'and operational discipline."”',
        },
    },
    {
        "type": "context",
        "elements": [
            {"type": "mrkdwn", "text": "*Sources*"},
            {
                "type": "mrkdwn",
                "text": "[1] juniper_8k_ex99-1_q4fy2007_earnings.txt: `\"Juniper's key "
                "operating metrics were all in line or ahead of expectations in the "
                'December quarter," said Robyn Denholm, Chief Financial Officer, '
                'Juniper Networks, Inc. "Strong revenue growth, good improvements in '
                "operating margin and record cash flow from operations were the "
                "highlights of the quarter.`",
            },
        ],
    },
]
FOLLOW_UP_BLOCKS = [
    {"type": "header", "text": {"type": "plain_text", "text": "$595.8 million"}},
    {
        "type": "section",
        "text": {"type": "mrkdwn", "text": "Total net revenues was $595.8 million in Q4 2006."},
    },
    _confidence("47%"),
    {
        "type": "context",
        "elements": [
            {"type": "mrkdwn", "text": "*Sources*"},
            {
                "type": "mrkdwn",
                "text": "[1] juniper_8k_ex99-1_q4fy2007_earnings.txt · Juniper Networks, Inc. "
                "/ Condensed Consolidated Statements of Operations / (in thousands, "
                "except per share amounts) / (unaudited) · Total net revenues · Three "
                "Months Ended December 31, 2006: `595,830` (thousands)",
            },
        ],
    },
]


def test_mention_answers_in_a_thread_and_follow_ups_continue_it(
    server: str, slack: FakeSlack
) -> None:
    response = _event(
        server, _mention("What were total net revenues in Q4 2007?", "1700000000.000100"), "Ev0001"
    )
    assert response.status_code == 200
    [(path, message)] = slack.take(1)
    assert path == "/api/chat.postMessage"
    assert message["channel"] == "C0CHAN1"
    assert message["thread_ts"] == "1700000000.000100"
    assert message["text"] == "Total net revenues was $809.2 million in Q4 2007."
    assert message["blocks"] == Q4_2007_BLOCKS
    # a follow-up in the thread uses the earlier turn
    _event(
        server,
        _mention("And in Q4 2006?", "1700000000.000200", thread_ts="1700000000.000100"),
        "Ev0002",
    )
    [(path, follow)] = slack.take(1)
    assert path == "/api/chat.postMessage"
    assert follow["thread_ts"] == "1700000000.000100"
    assert follow["text"] == "Total net revenues was $595.8 million in Q4 2006."
    assert follow["blocks"] == FOLLOW_UP_BLOCKS


def _reply_in_channel(text: str, ts: str, thread_ts: str | None) -> dict[str, Any]:
    event = {
        "type": "message",
        "channel_type": "channel",
        "channel": "C0CHAN1",
        "user": "U0USER1",
        "text": text,
        "ts": ts,
        "event_ts": ts,
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def test_thread_replies_need_no_second_mention(server: str, slack: FakeSlack) -> None:
    first = _mention("What was service revenue in Q4 2007?", "1700000000.001100")
    _event(server, first, "Ev0011")
    [(_, answer)] = slack.take(1)
    assert answer["text"] == "Net revenues > Service was $140.4 million in Q4 2007."
    # a plain reply in that thread is a follow-up
    reply = _reply_in_channel("And in Q4 2006?", "1700000000.001200", "1700000000.001100")
    assert _event(server, reply, "Ev0012").status_code == 200
    [(path, follow)] = slack.take(1)
    assert path == "/api/chat.postMessage"
    assert follow["thread_ts"] == "1700000000.001100"
    assert follow["text"] == "Net revenues > Service was $112.7 million in Q4 2006."
    # a reply that mentions the bot arrives twice (app_mention and message): answered once
    both = "1700000000.001300"
    text = "what about product revenue in Q4 2006?"
    _event(server, _mention(text, both, thread_ts="1700000000.001100"), "Ev0013")
    _event(server, _reply_in_channel(f"<@{BOT}> {text}", both, "1700000000.001100"), "Ev0014")
    [(_, product)] = slack.take(1)
    assert product["text"] == "Net revenues > Product was $483.2 million in Q4 2006."
    # channel talk that is not in a thread the bot answered is left alone
    _event(server, _reply_in_channel("lunch?", "1700000000.001400", None), "Ev0015")
    _event(
        server,
        _reply_in_channel("And in Q4 2006?", "1700000000.001500", "1700000000.000999"),
        "Ev0016",
    )
    slack.take(0)


def test_computed_answer_has_a_calculation_button(server: str, slack: FakeSlack) -> None:
    _event(
        server,
        _mention(
            "By what percentage did total net revenues grow in Q4 2007 compared with Q4 2006?",
            "1700000000.000300",
        ),
        "Ev0003",
    )
    [(_, message)] = slack.take(1)
    blocks = message["blocks"]
    assert [b["type"] for b in blocks] == ["header", "section", "context", "context", "actions"]
    assert blocks[0]["text"]["text"] == "35.8%"
    assert blocks[2] == _confidence("81%")
    [button] = blocks[4]["elements"]
    assert button["action_id"] == "crossfoot_calculation"
    assert button["text"] == {"type": "plain_text", "text": "Show calculation"}
    assert re.fullmatch(r"[0-9a-f]{32}", button["value"])
    payload = {
        "type": "block_actions",
        "user": {"id": "U0USER1", "username": "analyst", "team_id": "T0001"},
        "api_app_id": "A0001",
        "token": "verification-token",
        "container": {
            "type": "message",
            "message_ts": "1700000100.000001",
            "channel_id": "C0CHAN1",
        },
        "trigger_id": "1.2.3",
        "team": {"id": "T0001", "domain": "example"},
        "channel": {"id": "C0CHAN1", "name": "finance"},
        "response_url": f"{slack.url}/response/calc",
        "actions": [
            {
                "action_id": "crossfoot_calculation",
                "block_id": "b1",
                "text": {"type": "plain_text", "text": "Show calculation"},
                "value": button["value"],
                "type": "button",
                "action_ts": "1700000101.000001",
            }
        ],
    }
    assert _form(server, {"payload": json.dumps(payload)}).status_code == 200
    [(path, shown)] = slack.take(1)
    assert path == "/response/calc"
    assert shown["response_type"] == "ephemeral"
    assert shown["replace_original"] is False
    assert shown["blocks"] == [
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "text": "*Calculation*\n`divide(subtract(809182000, 595830000), 595830000)`\n"
                "• 809,182,000 — juniper_8k_ex99-1_q4fy2007_earnings.txt · Juniper Networks, "
                "Inc. / Condensed Consolidated Statements of Operations / (in thousands, except "
                "per share amounts) / (unaudited) · Total net revenues · Three Months Ended "
                "December 31, 2007: `809,182` (thousands)\n"
                "• 595,830,000 — juniper_8k_ex99-1_q4fy2007_earnings.txt · Juniper Networks, "
                "Inc. / Condensed Consolidated Statements of Operations / (in thousands, except "
                "per share amounts) / (unaudited) · Total net revenues · Three Months Ended "
                "December 31, 2006: `595,830` (thousands)\n"
                "= *35.8%*",
            },
        }
    ]


def test_narrative_and_not_found_answers(server: str, slack: FakeSlack) -> None:
    _event(
        server,
        _mention(
            "Who is Juniper Networks' Chief Financial Officer according to the release?",
            "1700000000.000400",
        ),
        "Ev0004",
    )
    [(_, narrative)] = slack.take(1)
    assert narrative["blocks"] == NARRATIVE_BLOCKS
    _event(
        server,
        _mention("What were total net revenues in fiscal 2012?", "1700000000.000500"),
        "Ev0005",
    )
    [(_, missing)] = slack.take(1)
    assert missing["blocks"] == [
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "text": ":information_source: The filings have “Net revenues” for Q4 2007, Q4 "
                "2006, FY2007, FY2006, but nothing for fiscal 2012.\n_crossfoot answers only "
                "from the ingested filings; try naming the line item and period as the filing "
                "prints them._",
            },
        }
    ]


def test_direct_message_and_retries_answer_once(server: str, slack: FakeSlack) -> None:
    dm = {
        "type": "message",
        "channel_type": "im",
        "channel": "D0DM0001",
        "user": "U0USER1",
        "text": "What was product revenue in Q4 2007?",
        "ts": "1700000000.000600",
        "event_ts": "1700000000.000600",
    }
    assert _event(server, dm, "Ev0006").status_code == 200
    assert _event(server, dm, "Ev0006", retry=1).status_code == 200
    assert _event(server, dm, "Ev0006", retry=2).status_code == 200
    [(path, message)] = slack.take(1)
    assert path == "/api/chat.postMessage"
    assert message["channel"] == "D0DM0001"
    assert message["thread_ts"] == "1700000000.000600"
    assert message["blocks"][0]["text"]["text"] == "$668.7 million"
    # the bot's own messages are not answered
    own = {**dm, "ts": "1700000000.000700", "bot_id": "B0001", "user": BOT}
    assert _event(server, own, "Ev0007").status_code == 200
    slack.take(0)


def _command(text: str, response_url: str) -> dict[str, str]:
    """A ``/crossfoot`` slash command's fields."""
    return {
        "token": "verification-token",
        "team_id": "T0001",
        "team_domain": "example",
        "channel_id": "C0CHAN1",
        "channel_name": "finance",
        "user_id": "U0USER1",
        "user_name": "analyst",
        "command": "/crossfoot",
        "text": text,
        "api_app_id": "A0001",
        "response_url": response_url,
        "trigger_id": "13345224609.738474920.8088930838d88f008e0",
    }


def test_slash_command_is_ephemeral_with_a_share_button(server: str, slack: FakeSlack) -> None:
    fields = _command("What were total net revenues in Q4 2007?", f"{slack.url}/response/cmd")
    response = _form(server, fields)
    assert response.status_code == 200
    [(path, reply)] = slack.take(1)
    assert path == "/response/cmd"
    assert reply["response_type"] == "ephemeral"
    assert reply["text"] == "Total net revenues was $809.2 million in Q4 2007."
    assert [b["type"] for b in reply["blocks"]] == [
        "header",
        "section",
        "context",
        "context",
        "actions",
    ]
    assert reply["blocks"][2] == _confidence("57%")
    [share] = reply["blocks"][4]["elements"]
    assert share["action_id"] == "crossfoot_share"
    assert share["text"] == {"type": "plain_text", "text": "Share to channel"}
    payload = {
        "type": "block_actions",
        "user": {"id": "U0USER1", "username": "analyst", "team_id": "T0001"},
        "api_app_id": "A0001",
        "token": "verification-token",
        "container": {"type": "message", "message_ts": "1700000100.000009", "is_ephemeral": True},
        "trigger_id": "1.2.4",
        "team": {"id": "T0001", "domain": "example"},
        "channel": {"id": "C0CHAN1", "name": "finance"},
        "response_url": f"{slack.url}/response/share",
        "actions": [
            {
                "action_id": "crossfoot_share",
                "block_id": "b2",
                "value": share["value"],
                "type": "button",
                "action_ts": "1700000101.000002",
            }
        ],
    }
    assert _form(server, {"payload": json.dumps(payload)}).status_code == 200
    calls = slack.take(2)
    posted = next(body for path, body in calls if path == "/api/chat.postMessage")
    assert posted["channel"] == "C0CHAN1"
    assert posted["blocks"][0]["text"]["text"] == (
        "<@U0USER1> asked: _What were total net revenues in Q4 2007?_"
    )
    assert posted["blocks"][1:] == Q4_2007_BLOCKS
    deleted = next(body for path, body in calls if path == "/response/share")
    assert deleted["delete_original"] is True


def test_forged_stale_and_malformed_requests_post_nothing(server: str, slack: FakeSlack) -> None:
    body = json.dumps(
        {
            "type": "event_callback",
            "team_id": "T0001",
            "event_id": "Ev0099",
            "event": _mention("What were total net revenues in Q4 2007?", "1700000000.000900"),
        }
    )
    forged = {"Content-Type": "application/json", **_signed(body, secret="not-the-secret")}
    response = httpx.post(f"{server}/slack/events", content=body, headers=forged)
    assert response.status_code == 401
    stale = {"Content-Type": "application/json", **_signed(body, int(time.time()) - 6 * 60)}
    response = httpx.post(f"{server}/slack/events", content=body, headers=stale)
    assert response.status_code == 401
    unsigned = httpx.post(
        f"{server}/slack/events", content=body, headers={"Content-Type": "application/json"}
    )
    assert unsigned.status_code == 401
    for garbage, kind in (
        ("{not json", "application/json"),
        ('["a list"]', "application/json"),
        ("payload=%7Bbroken", "application/x-www-form-urlencoded"),
        ("just=fields", "application/x-www-form-urlencoded"),
    ):
        headers = {"Content-Type": kind, **_signed(garbage)}
        response = httpx.post(f"{server}/slack/events", content=garbage, headers=headers)
        assert response.status_code == 400, garbage
    slack.take(0)


def test_url_verification(server: str) -> None:
    body = json.dumps(
        {
            "token": "x",
            "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
            "type": "url_verification",
        }
    )
    response = httpx.post(
        f"{server}/slack/events",
        content=body,
        headers={"Content-Type": "application/json", **_signed(body)},
    )
    assert response.status_code == 200
    assert response.json() == {"challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}


def test_slow_answers_post_working_then_update(live_server: LiveServer, slack: FakeSlack) -> None:
    url = live_server(
        api_keys=KEYS,
        slack_bot_token="xoxb-test-token",
        slack_signing_secret=SECRET,
        slack_api_url=f"{slack.url}/api/",
        slack_working_after="0",
    )
    _event(url, _mention("What were total net revenues in Q4 2007?", "1700000001.000100"), "Ev1001")
    calls = slack.take(2)
    assert calls[0] == (
        "/api/chat.postMessage",
        {
            "channel": "C0CHAN1",
            "thread_ts": "1700000001.000100",
            "text": "Working on it…",
            "team_id": "T0001",
        },
    )
    path, update = calls[1]
    assert path == "/api/chat.update"
    assert update["channel"] == "C0CHAN1"
    assert re.fullmatch(r"1700000100\.\d{6}", update["ts"])
    assert update["text"] == "Total net revenues was $809.2 million in Q4 2007."
    assert update["blocks"][0]["text"]["text"] == "$809.2 million"


def test_manifest_asks_for_exactly_what_the_bot_uses() -> None:
    import yaml

    from .conftest import ROOT

    manifest = yaml.safe_load((ROOT / "server" / "slack_manifest.yml").read_text())
    assert manifest["oauth_config"]["scopes"] == {
        "bot": [
            "app_mentions:read",
            "channels:history",
            "chat:write",
            "commands",
            "groups:history",
            "im:history",
        ]
    }
    settings = manifest["settings"]
    assert settings["event_subscriptions"]["bot_events"] == [
        "app_mention",
        "message.channels",
        "message.groups",
        "message.im",
    ]
    assert settings["event_subscriptions"]["request_url"] == "https://HOST/slack/events"
    assert settings["interactivity"] == {
        "is_enabled": True,
        "request_url": "https://HOST/slack/events",
    }
    [command] = manifest["features"]["slash_commands"]
    assert command["command"] == "/crossfoot"
    assert command["url"] == "https://HOST/slack/events"
    assert manifest["features"]["app_home"]["messages_tab_read_only_enabled"] is False


def test_long_answers_are_split_within_slack_limits_and_escaped() -> None:
    from server.slack import answer_blocks

    words = "Revenue <b>rose</b> & margins held. " * 200  # 7,200 characters
    citation = {
        "document": "a.txt",
        "table": None,
        "row": "Revenue",
        "column": "2023",
        "as_printed": "1,234",
        "scale": None,
        "page": 3,
    }
    answer = {
        "status": "answered",
        "answer": words,
        "value": None,
        "program": "add(1, 2)",
        "citations": [citation] * 25,
    }
    blocks = answer_blocks(answer, "0" * 32)
    sections = [b for b in blocks if b["type"] == "section"]
    assert [len(b["text"]["text"]) <= 3000 for b in sections] == [True] * 4  # 10,000 escaped
    joined = " ".join(b["text"]["text"] for b in sections)
    assert "<b>" not in joined
    assert joined.count("&lt;b&gt;rose&lt;/b&gt; &amp; margins") == 200
    contexts = [b for b in blocks if b["type"] == "context"]
    assert [len(b["elements"]) for b in contexts] == [10, 10, 6]  # "Sources" + 25
    assert contexts[0]["elements"][1]["text"] == "[1] a.txt · Revenue · 2023 (page 3): `1,234`"
    assert blocks[-1]["type"] == "actions"
    assert len(blocks) <= 50


def test_confidence_only_for_answered_figure_answers_and_escaped() -> None:
    """ "Confidence: N%" (rounded half up, as the widget rounds) under an answered answer
    whose confidence is a number; nothing for refusals, narrative answers (null) or a field
    that is not a number."""
    from server.slack import answer_blocks, confidence_percent

    def answer(status: str, confidence: Any) -> dict[str, Any]:
        return {
            "status": status,
            "answer": "Revenue was <b>$1.0 million</b> & more.",
            "value": {"number": "1000000", "unit": "USD", "display": "$1.0 million"},
            "program": None,
            "citations": [],
            "confidence": confidence,
        }

    assert answer_blocks(answer("answered", 0.925), None) == [
        {"type": "header", "text": {"type": "plain_text", "text": "$1.0 million"}},
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "text": "Revenue was &lt;b&gt;$1.0 million&lt;/b&gt; &amp; more.",
            },
        },
        _confidence("93%"),
    ]
    shown = {
        value: confidence_percent(answer("answered", value))
        for value in (0.881, 0.5, 0.004, 0.005, 1, 0, 1.7, -0.2)
    }
    assert shown == {
        0.881: "88%",
        0.5: "50%",
        0.004: "0%",
        0.005: "1%",
        1: "100%",
        0: "0%",
        1.7: "100%",
        -0.2: "0%",
    }
    for status, value in (
        ("answered", None),
        ("answered", "0.9"),
        ("answered", "<!channel>"),
        ("answered", True),
        ("answered", float("nan")),
        ("not_found", 0.42),
        ("needs_clarification", 0.7),
    ):
        blocks = answer_blocks(answer(status, value), None)
        assert "Confidence" not in json.dumps(blocks), (status, value)
    unversioned = answer("answered", None)
    del unversioned["confidence"]  # an answer saved before the field existed
    assert [b["type"] for b in answer_blocks(unversioned, None)] == ["header", "section"]


def test_an_error_reaches_the_user_as_one_short_sentence(store_copy: Any) -> None:
    """A thread whose saved state is unreadable makes answering fail: the user gets one
    friendly sentence in the thread, the details go to the log."""
    from fastapi.testclient import TestClient

    from ingest.store import Store
    from server.app import create_app
    from server.settings import Settings

    fake = FakeSlack()
    Store.open(data_dir=store_copy).put_state(
        "slack-thread:T0001:C0CHAN1:1700000002.000100", {"periods": "not a list of periods"}
    )
    settings = Settings(
        data_dir=store_copy,
        slack_bot_token="xoxb-test-token",
        slack_signing_secret=SECRET,
        slack_api_url=f"{fake.url}/api/",
    )
    with TestClient(create_app(settings)) as client:
        while client.get("/readyz").status_code != 200:
            time.sleep(0.1)
        body = json.dumps(
            {
                "type": "event_callback",
                "team_id": "T0001",
                "event_id": "Ev2001",
                "event": _mention(
                    "And in Q4 2006?", "1700000002.000200", thread_ts="1700000002.000100"
                ),
            }
        )
        response = client.post(
            "/slack/events",
            content=body,
            headers={"Content-Type": "application/json", **_signed(body)},
        )
        assert response.status_code == 200
        [(path, message)] = fake.take(1)
    fake.server.shutdown()
    assert path == "/api/chat.postMessage"
    assert message["thread_ts"] == "1700000002.000100"
    assert message["text"] == (
        "Sorry, something went wrong while answering that. Please try again in a moment."
    )
    assert "Traceback" not in json.dumps(message)


class FakeSocketMode:
    """Slack's Socket Mode WebSocket on loopback: says ``hello`` to the app that connects,
    sends it envelopes and records the acknowledgements it sends back."""

    def __init__(self) -> None:
        from websockets.sync.server import ServerConnection, serve

        self.acks: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        self.connected = threading.Event()
        self.connection: ServerConnection | None = None
        fake = self

        def handler(connection: ServerConnection) -> None:
            fake.connection = connection
            connection.send(
                json.dumps(
                    {
                        "type": "hello",
                        "num_connections": 1,
                        "debug_info": {"host": "applink-local", "build_number": 1},
                        "connection_info": {"app_id": "A0001"},
                    }
                )
            )
            fake.connected.set()
            for message in connection:
                with fake.lock:
                    fake.acks.append(json.loads(message))

        self.server = serve(handler, "127.0.0.1", 0)
        self.url = f"ws://127.0.0.1:{self.server.socket.getsockname()[1]}/link/?ticket=local"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def send(self, envelope_id: str, kind: str, payload: dict[str, Any], **extra: Any) -> None:
        assert self.connection is not None
        envelope = {"envelope_id": envelope_id, "type": kind, "payload": payload, **extra}
        self.connection.send(json.dumps(envelope))
        deadline = time.time() + 30
        while time.time() < deadline:
            with self.lock:
                if any(ack.get("envelope_id") == envelope_id for ack in self.acks):
                    return
            time.sleep(0.05)
        raise AssertionError(f"envelope {envelope_id} was not acknowledged: {self.acks}")


def test_socket_mode_answers_mentions_follow_ups_and_slash_commands(store_copy: Path) -> None:
    """``crossfoot slack`` as a user runs it, connected to a local Socket Mode server."""
    slack, socket = FakeSlack(), FakeSocketMode()
    slack.socket_url = socket.url
    env = {k: v for k, v in os.environ.items() if not k.startswith("CROSSFOOT_")} | {
        "CROSSFOOT_DATA_DIR": str(store_copy),
        "CROSSFOOT_SLACK_BOT_TOKEN": "xoxb-test-token",
        "CROSSFOOT_SLACK_APP_TOKEN": "xapp-1-test-token",
        "CROSSFOOT_SLACK_API_URL": f"{slack.url}/api/",
        "HF_HUB_OFFLINE": "1",
    }
    process = start_crossfoot("slack", env=env)
    try:
        assert socket.connected.wait(180), "crossfoot slack never connected"
        question = _mention("What were total net revenues in Q4 2007?", "1700000000.000100")
        socket.send("env-1", "events_api", _callback(question, "Ev0101"), retry_attempt=0)
        [(path, message)] = slack.take(1)
        assert path == "/api/chat.postMessage"
        assert message["channel"] == "C0CHAN1"
        assert message["thread_ts"] == "1700000000.000100"
        assert message["blocks"] == Q4_2007_BLOCKS
        # Slack redelivers the same event: acknowledged, not answered again
        socket.send(
            "env-2",
            "events_api",
            _callback(question, "Ev0101"),
            retry_attempt=1,
            retry_reason="timeout",
        )
        slack.take(0)
        follow = _mention("And in Q4 2006?", "1700000000.000200", thread_ts="1700000000.000100")
        socket.send("env-3", "events_api", _callback(follow, "Ev0102"), retry_attempt=0)
        [(_, answer)] = slack.take(1)
        assert answer["thread_ts"] == "1700000000.000100"
        assert answer["blocks"] == FOLLOW_UP_BLOCKS
        command = _command("What was product revenue in Q4 2007?", f"{slack.url}/response/socket")
        socket.send("env-4", "slash_commands", command, accepts_response_payload=True)
        [(path, reply)] = slack.take(1)
        assert path == "/response/socket"
        assert reply["response_type"] == "ephemeral"
        assert reply["blocks"][0]["text"]["text"] == "$668.7 million"
        assert [ack["envelope_id"] for ack in socket.acks] == ["env-1", "env-2", "env-3", "env-4"]
    finally:
        process.send_signal(signal.SIGINT)
        try:
            _, stderr = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGUSR1)
            time.sleep(3)
            process.kill()
            _, stderr = process.communicate()
            # the process printed every thread's stack (faulthandler on SIGUSR1): say why
            raise AssertionError(
                "crossfoot slack still running 30 s after SIGINT:\n" + stderr
            ) from None
        finally:
            process.kill()
            socket.server.shutdown()
            slack.server.shutdown()
    assert process.returncode == 0, stderr
    assert "Traceback" not in stderr
    assert "connecting to Slack over Socket Mode" in stderr
    assert stderr.rstrip().endswith("crossfoot: stopped")


def test_old_slack_state_is_purged(store_copy: Path) -> None:
    """Seen messages go after a day; threads and saved answers after CROSSFOOT_SLACK_KEEP_DAYS;
    conversations and jobs of the HTTP API are not the bot's to delete."""
    from ingest.store import Store
    from server.app import Service
    from server.settings import Settings
    from server.slack import Bot

    settings = Settings(data_dir=store_copy, slack_bot_token="xoxb-test", slack_keep_days=30)
    service = Service(settings)
    bot = Bot(settings, lambda: service)
    store = Store.open(data_dir=store_copy)
    for key in (
        "slack-event:T0001:C0CHAN1:1700000000.000100",
        "slack-event:T0001:C0CHAN1:1700000000.000200",
        "slack-thread:T0001:C0CHAN1:1700000000.000100",
        "slack-answer:0123456789abcdef0123456789abcdef",
        "job:abc",
    ):
        store.put_state(key, {"key": key})
    now = time.time()
    assert bot.purge(now) == {"slack-event": 0, "slack-thread": 0, "slack-answer": 0}
    assert bot.purge(now + 2 * 86_400) == {"slack-event": 2, "slack-thread": 0, "slack-answer": 0}
    assert store.get_state("slack-thread:T0001:C0CHAN1:1700000000.000100") is not None
    assert bot.purge(now + 31 * 86_400) == {"slack-event": 0, "slack-thread": 1, "slack-answer": 1}
    assert store.get_state("slack-thread:T0001:C0CHAN1:1700000000.000100") is None
    assert store.get_state("slack-answer:0123456789abcdef0123456789abcdef") is None
    assert store.get_state("job:abc") == {"key": "job:abc"}
