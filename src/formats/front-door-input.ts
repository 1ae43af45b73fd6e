/** What the front door page (dist/index.html) shows: plain data, filled in by pipeline/front-door-input.ts. */
export interface FrontDoorInput {
  readonly site: {
    readonly title: string;
    readonly description: string;
    readonly url: string;
    readonly language: string | undefined;
  };
  /** Every subscription feed (site, sections, tags), site feed first. */
  readonly feeds: readonly FrontDoorFeed[];
  /** Newest first, at most the site's limit. */
  readonly latest: readonly FrontDoorArticle[];
  /** Absolute URL of dist/feeds.opml. */
  readonly opmlUrl: string;
}

export interface FrontDoorFeed {
  readonly title: string;
  readonly kind: "site" | "section" | "tag";
  /** One entry per format: name ("RSS", "Atom", "JSON Feed"), media type, absolute URL. */
  readonly formats: readonly { readonly label: string; readonly mediaType: string; readonly url: string }[];
}

export interface FrontDoorArticle {
  readonly title: string;
  readonly url: string;
  /** RFC 3339 with offset, e.g. 2023-04-12T09:30:00+02:00. */
  readonly date: string;
  /** Human date in the site's zone and language, e.g. "12 April 2023". */
  readonly dateText: string;
  readonly summary: string;
}
