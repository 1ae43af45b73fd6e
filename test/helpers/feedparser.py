"""Reads feeds with Python's feedparser (Debian's python3-feedparser 6.0.10: run it with
/usr/bin/python3, not the pyenv python3 on PATH) and prints what it read as normalised JSON.

Usage: /usr/bin/python3 feedparser.py FILE [FILE ...]

Prints one JSON object for one file, a JSON list of objects (same order) for several:

    {"bozo": false, "bozo_exception": null, "version": "rss20",
     "title": ..., "link": ...,
     "items": [{"id", "link", "title", "summary", "contentHtml", "published", "updated",
                "authors", "tags", "image"}]}

Dates are milliseconds since the epoch (UTC), or null. Text fields are plain text: where
feedparser says a value is HTML (its *_detail "type"), the tags are dropped and the entities
decoded, which is what a reader shows; where it says text/plain the value is kept as it is.

Only what feedparser itself put in an entry is reported: its FeedParserDict falls back from
`updated` to `published` on lookup, so keys are tested on the underlying dict.

feedparser 6.0.10 reads RSS and Atom only (JSON Feed support came later): give it XML files.
"""
import calendar
import html
import json
import os
import re
import sys

# This file is named feedparser.py: keep its own folder off the path, or `import feedparser`
# would import this script instead of the library.
_here = os.path.dirname(os.path.abspath(__file__))
sys.path = [p for p in sys.path if os.path.abspath(p or os.curdir) != _here]
import feedparser  # noqa: E402

HTML_TYPES = ("text/html", "application/xhtml+xml")
TAG = re.compile(r"<[^>]*>")


def has(d, key):
    return dict.__contains__(d, key)


def ms(parsed):
    return None if parsed is None else calendar.timegm(parsed) * 1000


def text_of(detail):
    if detail is None:
        return None
    value = detail.get("value")
    if value is None:
        return None
    if detail.get("type") in HTML_TYPES:
        return html.unescape(TAG.sub("", value))
    return value


def image_of(entry):
    # `enclosures` is computed by FeedParserDict from the rel="enclosure" links (Atom links, RSS
    # <enclosure>): read it through the dict's lookup.
    for enclosure in entry.get("enclosures", []):
        if str(enclosure.get("type", "")).startswith("image/"):
            return enclosure.get("href")
    for media in entry["media_content"] if has(entry, "media_content") else []:
        if media.get("medium") == "image" or str(media.get("type", "")).startswith("image/"):
            return media.get("url")
    return None


def item(entry):
    content = entry["content"] if has(entry, "content") else []
    normal = {
        "id": entry["id"] if has(entry, "id") else None,
        "link": entry["link"] if has(entry, "link") else None,
        "title": text_of(entry["title_detail"]) if has(entry, "title_detail") else None,
        "summary": text_of(entry["summary_detail"]) if has(entry, "summary_detail") else None,
        "contentHtml": content[0].get("value") if content else None,
        "published": ms(entry["published_parsed"]) if has(entry, "published_parsed") else None,
        "updated": ms(entry["updated_parsed"]) if has(entry, "updated_parsed") else None,
        "authors": [a.get("name") for a in entry["authors"]] if has(entry, "authors") else [],
        "tags": [t.get("term") for t in entry["tags"]] if has(entry, "tags") else [],
    }
    image = image_of(entry)
    if image is not None:
        normal["image"] = image
    return normal


def read(path):
    # resolve_relative_uris=False: a relative URL left in our output must stay visible, not be
    # resolved against the file's path.
    d = feedparser.parse(path, resolve_relative_uris=False)
    feed = d.feed
    return {
        "bozo": bool(d.get("bozo")),
        "bozo_exception": repr(d.get("bozo_exception")) if d.get("bozo") else None,
        "version": d.get("version"),
        "title": text_of(feed["title_detail"]) if has(feed, "title_detail") else None,
        "link": feed["link"] if has(feed, "link") else None,
        "items": [item(e) for e in d.entries],
    }


def main(paths):
    if not paths:
        print("usage: feedparser.py FILE [FILE ...]", file=sys.stderr)
        return 2
    results = [read(p) for p in paths]
    sys.stdout.reconfigure(encoding="utf-8")
    json.dump(results[0] if len(results) == 1 else results, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
