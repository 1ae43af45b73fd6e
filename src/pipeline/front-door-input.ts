import { DateTime } from "luxon";
import { rfc3339 } from "../content/dates.ts";
import type { Channel } from "../feeds/build-feeds.ts";
import type { FormatName, FormatUrls } from "../feeds/model.ts";
import type { FrontDoorInput } from "../formats/front-door-input.ts";
import { FORMATS } from "../formats/index.ts";
import type { Site } from "../site/settings.ts";
import { OPML_FILE } from "./types.ts";

const FORMAT_LABELS: Record<FormatName, string> = { rss: "RSS", atom: "Atom", json: "JSON Feed" };

/** What dist/index.html shows: every subscription feed, and the site feed's items. */
export function frontDoorInput(site: Site, channels: readonly Channel[], urls: (folder: string) => FormatUrls): FrontDoorInput {
  return {
    site: { title: site.title, description: site.description, url: site.url, language: site.language },
    feeds: channels.map((c) => ({
      title: c.title,
      kind: c.kind,
      formats: FORMATS.filter((f) => site.formats.includes(f.name)).map((f) => ({ label: FORMAT_LABELS[f.name], mediaType: f.mediaType, url: urls(c.folder)[f.name] })),
    })),
    latest: channels[0]!.items.slice(0, site.limit).map((item) => ({
      title: item.title,
      url: item.url,
      date: rfc3339(item.published),
      dateText: item.published.setLocale(site.language ?? "en").toLocaleString(DateTime.DATE_FULL),
      summary: item.summary,
    })),
    opmlUrl: new URL(OPML_FILE, site.feedsUrl).href,
  };
}
