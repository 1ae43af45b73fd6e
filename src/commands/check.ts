import { appendFile, readFile } from "node:fs/promises";
import { join } from "node:path";
import { eachDocument, type BuildOptions, type Plan } from "../pipeline/index.ts";
import { shownPath } from "../content/read.ts";
import { guardIds, type GuardOptions } from "../guard/index.ts";
import { isBookkeeping, MANIFEST_FILE } from "../output/bookkeeping.ts";
import { readManifest, renderManifest } from "../output/manifest.ts";
import { listTree, readRegular } from "../output/tree.ts";
import { formatProblem, hasErrors, sortProblems, warning, type Problem } from "../problems.ts";
import { diffFile, differenceProblems, type FileDifference } from "../report/diff.ts";
import { inGithubActions } from "../report/github.ts";
import { renderJson, reportProblems, thrownProblems } from "../report/index.ts";
import { articleLines, blameDifferences, changedKeys, placeIdProblems, renderSummary, type ArticleLines } from "../report/pull-request.ts";
import { fsReason } from "../fs-errors.ts";
import { flag, UsageError, type Args } from "./args.ts";
import { buildOptions, guardFor, guardInput } from "./build.ts";
import { EXIT, type Io } from "./io.ts";

/**
 * What a pull-request job runs: the whole build without writing, the id-drift guard, then a
 * comparison with the output folder, if there is one (sites that publish from CI do not commit
 * it). Documents are compared one at a time as they are rendered, so memory stays bounded.
 */
export interface CheckOutcome {
  readonly passed: boolean;
  readonly problems: readonly Problem[];
  readonly plan: Plan | undefined;
  /** Whether there was an output folder to compare with. */
  readonly compared: boolean;
  readonly differences: readonly FileDifference[];
}

/** The check itself, printing nothing: what `runCheck` reports and the package's `check()` returns. */
export async function checkSite(options: BuildOptions, guard: GuardOptions | undefined): Promise<CheckOutcome> {
  // Only feedwright's files are compared: the ones a build writes and the ones its manifest lists.
  // Others in the folder (a site generator's) are not its business. Nothing is followed or
  // opened that is not a regular file (a link could point anywhere; a FIFO would block).
  const existing = await listTree(options.outDir, isBookkeeping);
  const manifest = existing === undefined ? undefined : await readManifest(options.outDir);
  const read = async (path: string): Promise<string | undefined> => {
    if (!existing?.has(path)) return undefined;
    const file = await readRegular(join(options.outDir, path));
    return file.kind === "file" ? file.bytes.toString("utf8") : file.kind === "missing" ? undefined : `(${file.what})`;
  };
  const differences: FileDifference[] = [];
  const built = new Set<string>();
  const planned = await eachDocument(options, async (path, content) => {
    built.add(path);
    if (existing === undefined) return;
    const difference = diffFile(path, content, await read(path));
    if (difference !== undefined) differences.push(difference);
  });
  if (planned.plan !== undefined && existing !== undefined) {
    if (manifest?.kind === "ok") for (const path of manifest.files) if (!built.has(path) && existing.has(path)) differences.push({ path, kind: "extra" });
    const difference = diffFile(MANIFEST_FILE, renderManifest(built), manifest?.kind === "ok" ? manifest.text : undefined);
    if (difference !== undefined) differences.push(difference);
  }
  differences.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const plan = planned.plan;
  const guarded = plan === undefined || guard === undefined ? [] : await guardIds(guard, guardInput(plan, options));
  const outShown = shownPath(options.outDir);
  const problems = sortProblems([...planned.problems, ...guarded, ...differenceProblems(outShown, differences)]);
  const passed = planned.plan !== undefined && !hasErrors(problems);
  return { passed, problems, plan, compared: existing !== undefined, differences };
}

export async function runCheck(args: Args, io: Io): Promise<number> {
  const json = flag(args, "json");
  let options: BuildOptions;
  let outcome: CheckOutcome;
  try {
    options = buildOptions(args, io.env);
    outcome = await checkSite(options, guardFor(args, options, io.env));
  } catch (e) {
    if (!json) throw e;
    // --json prints its one document whatever happened.
    io.stdout(renderJson("check", false, thrownProblems(e), undefined, { compared: false, differences: [] }));
    return e instanceof UsageError ? EXIT.usage : EXIT.failed;
  }
  const { passed, problems, plan, compared, differences } = outcome;
  const outShown = shownPath(options.outDir);
  const github = inGithubActions(io.env);
  // On a pull request: each stale item blamed on its article, and a table in the job summary.
  const stale = new Set(differenceProblems(outShown, differences).map(formatProblem));
  const others = problems.filter((p) => !stale.has(formatProblem(p)));
  const summaryFile = io.env.GITHUB_STEP_SUMMARY;
  if (github && summaryFile !== undefined && summaryFile !== "") {
    const summary = renderSummary({ passed, outShown, compared: plan !== undefined && compared, counts: plan?.counts, differences, problems: others });
    try {
      await appendFile(summaryFile, summary);
    } catch (e) {
      others.push(warning(summaryFile, undefined, undefined, `the job summary was not written: ${fsReason(e)}`));
      io.stderr(`${formatProblem(others.at(-1)!)}\n`);
    }
  }
  if (json) {
    io.stdout(renderJson("check", passed, problems, plan, { compared: plan !== undefined && compared, differences }));
    return passed ? EXIT.ok : EXIT.failed;
  }
  let annotations = problems;
  if (github && plan !== undefined) {
    // Each stale article and each id change at the line of the field that changed.
    const linesOf = await readLines(plan.articles, differences, others);
    const keys = changedKeys(differences, plan.articles);
    annotations = sortProblems(placeIdProblems([...others, ...blameDifferences(outShown, differences, plan.articles, linesOf)], linesOf, (file) => keys.get(file)));
  }
  reportProblems(problems, io, annotations);
  if (!passed || plan === undefined) {
    const errors = problems.filter((p) => p.severity === "error").length - differences.length;
    const parts = [
      ...(errors > 0 ? [`${errors} error${errors === 1 ? "" : "s"}`] : []),
      ...(differences.length > 0 ? [`${outShown}/ is out of date (${differences.length} file${differences.length === 1 ? "" : "s"} differ${differences.length === 1 ? "s" : ""}): run feedwright build and commit it`] : []),
    ];
    io.stderr(`feedwright: check failed: ${parts.join("; ")}\n`);
    return EXIT.failed;
  }
  const { counts } = plan;
  const against = compared ? `${outShown}/ is up to date` : `${outShown}/ not found, so not compared`;
  io.stdout(`feedwright: check passed: ${counts.articles} articles read (${counts.drafts} drafts, ${counts.scheduled} scheduled), ${counts.items} items per feed, ${against}\n`);
  return EXIT.ok;
}

/** The lines of each stale article and of each article the id guard names, read again from its file (an unreadable one gets no line). */
async function readLines(articles: readonly { readonly file: string; readonly id: string }[], differences: readonly FileDifference[], problems: readonly Problem[]): Promise<(file: string) => ArticleLines | undefined> {
  const ids = new Set(differences.flatMap((d) => [...(d.items?.added ?? []), ...(d.items?.changed ?? [])]));
  const files = new Set([...articles.filter((a) => ids.has(a.id)).map((a) => a.file), ...problems.filter((p) => p.field === "id" && p.line === undefined).map((p) => p.file)]);
  const known = new Set(articles.map((a) => a.file));
  const lines = new Map<string, ArticleLines>();
  await Promise.all(
    [...files].filter((file) => known.has(file)).map(async (file) => {
      try {
        lines.set(file, articleLines(file, await readFile(file, "utf8")));
      } catch {
        // The annotation still names the file.
      }
    }),
  );
  return (file) => lines.get(file);
}
