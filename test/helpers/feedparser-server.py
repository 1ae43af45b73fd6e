"""Reads feeds with Python's feedparser (Debian's python3-feedparser 6.0.10), one request per line.

Run by FeedparserProcess (test/helpers/parsers.ts) for the round-trip and fuzz tests, with
Debian's python3, not the pyenv python3 on PATH:

    /usr/bin/python3 -I feedparser-server.py [--sanitize-html]

Each stdin line is a JSON list of documents (their text); each stdout line is a JSON list, in the
same order, of what feedparser read from them:

    {"bozo": false, "bozoException": null, "encodingOverridden": false, "version": "rss20",
     "title": ..., "shownTitle": ..., "link": ...,
     "items": [{"id", "link", "title", "shownTitle", "summary", "contentHtml", "published",
                "updated", "authors": [{"name", "email"}], "tags", "image" (when there is one)}]}

One long-lived process serves a whole test file: starting Python per feed would cost more than
the parsing.

--sanitize-html is feedparser's default, and what a reader built on it shows: what it takes for
HTML is sanitised, and the HTML it keeps re-serialised. Without it, the characters come back as
written. Relative URIs are never resolved: a relative URL left in our output must stay visible.

Dates are milliseconds since the epoch (UTC), or null. Only what feedparser itself put in an
entry is reported: its FeedParserDict falls back from `updated` to `published` on lookup, so
values are read from the underlying dict.

feedparser 6.0.10 reads RSS and Atom only (JSON Feed support came later): give it XML.
"""
import calendar
import html
import json
import re
import sys

import feedparser

HTML_TYPES = ("text/html", "application/xhtml+xml")
TAG = re.compile(r"<[^>]*>")


def get(d, key):
    """d[key] as feedparser stored it, without FeedParserDict's fallbacks; None when absent."""
    return dict.get(d, key)


def ms(parsed):
    return None if parsed is None else calendar.timegm(parsed) * 1000


def as_text(value, detail):
    """Where feedparser says a value is HTML (its *_detail "type"), the text a reader shows: the
    tags dropped, the references decoded. Otherwise the value as it is."""
    if value is not None and detail.get("type") in HTML_TYPES:
        return html.unescape(TAG.sub("", value))
    return value


def text(d, key, declared):
    """The text a reader shows: where the feed declares it markup (Atom's type="html"), decoded.

    RSS 2.0 never says whether a title is text or HTML; feedparser guesses from what it sees and
    hands back the characters as written, which is what is reported here (declared=False).
    """
    value = get(d, key)
    return as_text(value, get(d, key + "_detail") or {}) if declared else value


def shown(d, key):
    """The text a reader built on feedparser shows: read as HTML wherever feedparser says it is,
    declared or guessed (an RSS title holding a closing tag or an entity reference)."""
    detail = get(d, key + "_detail")
    return None if detail is None else as_text(detail.get("value"), detail)


def image_of(entry):
    # `enclosures` is computed by FeedParserDict from the rel="enclosure" links (Atom links, RSS
    # <enclosure>): read it through the dict's lookup.
    for enclosure in entry.get("enclosures", []):
        if str(enclosure.get("type", "")).startswith("image/"):
            return enclosure.get("href")
    for media in get(entry, "media_content") or []:
        if media.get("medium") == "image" or str(media.get("type", "")).startswith("image/"):
            return media.get("url")
    return None


def item(entry, declared):
    content = get(entry, "content") or []
    normal = {
        "id": get(entry, "id"),
        "link": get(entry, "link"),
        "title": text(entry, "title", declared),
        "shownTitle": shown(entry, "title"),
        "summary": shown(entry, "summary"),
        "contentHtml": content[0].get("value") if content else None,
        "published": ms(get(entry, "published_parsed")),
        "updated": ms(get(entry, "updated_parsed")),
        "authors": [{"name": a.get("name"), "email": a.get("email")} for a in get(entry, "authors") or []],
        "tags": [t.get("term") for t in get(entry, "tags") or []],
    }
    image = image_of(entry)
    if image is not None:
        normal["image"] = image
    return normal


def read(doc, sanitize_html):
    d = feedparser.parse(doc, sanitize_html=sanitize_html, resolve_relative_uris=False)
    declared = str(d.get("version", "")).startswith("atom")
    bozo = bool(d.get("bozo"))
    exception = d.get("bozo_exception")
    return {
        "bozo": bozo,
        "bozoException": repr(exception) if bozo else None,
        "encodingOverridden": isinstance(exception, feedparser.CharacterEncodingOverride),
        "version": d.get("version"),
        "title": text(d.feed, "title", declared),
        "shownTitle": shown(d.feed, "title"),
        "link": get(d.feed, "link"),
        "items": [item(e, declared) for e in d.entries],
    }


def main(args):
    if args not in ([], ["--sanitize-html"]):
        print("usage: feedparser-server.py [--sanitize-html]", file=sys.stderr)
        return 2
    sanitize_html = args == ["--sanitize-html"]
    # Bytes in (JSON is UTF-8 whatever the locale), ASCII out (json.dumps escapes the rest).
    for line in sys.stdin.buffer:
        docs = json.loads(line)
        sys.stdout.write(json.dumps([read(doc, sanitize_html) for doc in docs]) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
