"""Reads feeds with Python's feedparser (Debian's python3-feedparser), one request per line.

Each stdin line is a JSON list of documents (strings); each stdout line is a JSON list of what
feedparser read from them, reduced to the fields the fuzz test compares. One long-lived process
serves a whole test file: starting Python per feed would cost more than the parsing.
"""
import calendar
import html
import json
import re
import sys

import feedparser


def when(parsed):
    return None if parsed is None else calendar.timegm(parsed) * 1000


TAG = re.compile(r"<[^>]*>")


def text(d, key, declared):
    """The text a reader shows: where the feed declares it markup (Atom's type="html"), decoded.

    RSS 2.0 never says whether a title is text or HTML; feedparser guesses from what it sees and
    hands back the characters as written (sanitize_html=False), which is what is compared.
    """
    value = d.get(key)
    detail = d.get(key + "_detail") or {}
    if declared and value is not None and detail.get("type") in ("text/html", "application/xhtml+xml"):
        return html.unescape(TAG.sub("", value))
    return value


def person(p):
    return {"name": p.get("name"), "email": p.get("email")}


def read(doc):
    d = feedparser.parse(doc, sanitize_html=False, resolve_relative_uris=False)
    declared = str(d.get("version", "")).startswith("atom")
    return {
        "bozo": bool(d.get("bozo")) and not isinstance(d.get("bozo_exception"), feedparser.CharacterEncodingOverride),
        "bozo_exception": repr(d.get("bozo_exception")) if d.get("bozo") else None,
        "version": d.get("version"),
        "title": text(d.feed, "title", declared),
        "entries": [
            {
                "id": e.get("id"),
                "title": text(e, "title", declared),
                "link": e.get("link"),
                "published": when(e.get("published_parsed")),
                "updated": when(e.get("updated_parsed")),
                "authors": [person(a) for a in e.get("authors", [])],
                "tags": [t.get("term") for t in e.get("tags", [])],
            }
            for e in d.entries
        ],
    }


for line in sys.stdin:
    docs = json.loads(line)
    sys.stdout.write(json.dumps([read(doc) for doc in docs]) + "\n")
    sys.stdout.flush()
