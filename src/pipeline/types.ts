import type { DateTime } from "luxon";
import type { LeftOutDraft } from "../content/article.ts";
import type { OutputFile, PublishReport } from "../output/publish.ts";
import type { Problem } from "../problems.ts";
import type { Site } from "../site/settings.ts";

export interface BuildOptions {
  readonly contentDir: string;
  readonly outDir: string;
  /** Replaces the site's `url` for one run (deploy previews). */
  readonly siteUrl?: string;
  /** Articles dated after this are left out. */
  readonly now: DateTime;
  /** Drafts are published too (a preview). */
  readonly drafts?: boolean;
  /** Overrides the site's `maxFileBytes` setting. */
  readonly maxFileBytes?: number;
  /** Build cache folder; without one, nothing outlives the run. */
  readonly cacheDir?: string;
  /**
   * Whether the cache keeps a record of this build, so that the next build of the same output
   * folder can find it has nothing to do (src/cache/last-build.ts). Default: kept; `serve`, whose
   * every preview is a new folder, keeps none.
   */
  readonly keepRecord?: boolean;
  /** Worker threads rendering item fragments (RSS items, Atom entries, JSON Feed items); by default some when there are many documents, else none. */
  readonly threads?: number;
  /** Told how far the build is, often: a terminal shows it, nothing else needs it. */
  readonly progress?: (progress: Progress) => void;
  /** Aborted on Ctrl-C or SIGTERM: the build stops, publishing nothing (src/output/publish.ts). */
  readonly signal?: AbortSignal;
  /** A test hook, handed to publish(): called just before each change to the output folder (src/output/publish.ts). */
  readonly beforeChange?: () => void;
}

/** How far a build is. */
export interface Progress {
  readonly read: number;
  readonly articles: number;
  readonly rendered: number;
  readonly written: number;
  readonly documents: number;
}

export interface Counts {
  readonly articles: number;
  readonly published: number;
  readonly drafts: number;
  readonly scheduled: number;
  /** Items in the site's subscription feed. */
  readonly items: number;
  /** Subscription feeds: the site's, each section's, each tag's. */
  readonly feeds: number;
  /** Documents written per build: every format of every feed and archive page, and the OPML. */
  readonly documents: number;
  /** Articles whose Markdown was rendered in this run (the rest came from the cache). */
  readonly rendered: number;
}

/** One article as the build saw it: what the id-drift guard and reports need. */
export interface ArticleSummary {
  readonly file: string;
  readonly path: string;
  readonly id: string;
  readonly url: string;
  readonly title: string;
  /** Its date, in ms since the epoch: what the id guard matches items by, beside the title. */
  readonly dateMs: number;
  readonly published: boolean;
  /** Not a draft, and dated after now: it joins the feeds later. */
  readonly scheduled: boolean;
}

/**
 * A draft left out because its other fields have problems (each reported as a warning): counted
 * as a draft, and to the id guard a withdrawal, as any draft is; its id pinned if `_ids.yaml` pins it.
 */
export interface LeftOut extends LeftOutDraft {
  readonly file: string;
  readonly path: string;
}

/** One folder of documents: a subscription feed or an archive page, and what it holds. */
export interface DocumentSummary {
  /** Folder under the output folder: `""` for the site feed. */
  readonly folder: string;
  readonly files: readonly string[];
  readonly items: number;
}

export interface Plan {
  readonly site: Site;
  /** Every folder of documents, in the order they are written. */
  readonly feeds: readonly DocumentSummary[];
  /** Where the site settings were read (`content/_index.md`). */
  readonly siteFile: string;
  readonly files: readonly OutputFile[];
  readonly counts: Counts;
  readonly articles: readonly ArticleSummary[];
  /** Drafts left out for their problems: not in `articles`, counted among the drafts. */
  readonly leftOut: readonly LeftOut[];
}

export type PlanResult = { readonly plan: Plan | undefined; readonly problems: readonly Problem[] };

export type BuildResult = PlanResult & { readonly report: PublishReport | undefined };

export const OPML_FILE = "feeds.opml";

export const FRONT_DOOR_FILE = "index.html";
