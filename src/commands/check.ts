import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { eachDocument } from "../build.ts";
import { shownPath } from "../content/read.ts";
import { guardIds } from "../guard/index.ts";
import { listTree } from "../output/tree.ts";
import { hasErrors, sortProblems } from "../problems.ts";
import { diffFile, differenceProblems, type FileDifference } from "../report/diff.ts";
import { renderJson, reportProblems } from "../report/index.ts";
import { COMMON, flag, type Args, type Command } from "./args.ts";
import { buildOptions, GUARD_OPTIONS, guardFor, WORK_OPTIONS } from "./build.ts";
import { EXIT, type Io } from "./io.ts";

export const checkCommand: Command = {
  name: "check",
  summary: "check the content and that the committed output folder is what a build makes; writes nothing",
  positionals: { name: "", min: 0, max: 0 },
  options: { ...COMMON, ...GUARD_OPTIONS, ...WORK_OPTIONS },
  run: runCheck,
};

/**
 * What a pull-request job runs: the whole build without writing, the id-drift guard, then a
 * comparison with the output folder, if there is one (sites that publish from CI do not commit
 * it). Documents are compared one at a time as they are rendered, so memory stays bounded.
 */
export async function runCheck(args: Args, io: Io): Promise<number> {
  const options = buildOptions(args, io.env);
  const json = flag(args, "json");
  const existing = await listTree(options.outDir);
  const differences: FileDifference[] = [];
  const built = new Set<string>();
  const planned = await eachDocument(options, async (path, content) => {
    built.add(path);
    if (existing === undefined) return;
    const old = existing.has(path) ? await readFile(join(options.outDir, path), "utf8") : undefined;
    const difference = diffFile(path, content, old);
    if (difference !== undefined) differences.push(difference);
  });
  if (planned.plan !== undefined && existing !== undefined) {
    for (const path of existing) if (!built.has(path)) differences.push({ path, kind: "extra" });
  }
  differences.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const guard = guardFor(args, options);
  const plan = planned.plan;
  const guarded = plan === undefined || guard === undefined ? [] : await guardIds(guard, { articles: plan.articles, siteFile: plan.siteFile, siteUrl: plan.site.url });
  const outShown = shownPath(options.outDir);
  const problems = sortProblems([...planned.problems, ...guarded, ...differenceProblems(outShown, differences)]);
  const passed = planned.plan !== undefined && !hasErrors(problems);
  if (json) {
    io.stdout(renderJson("check", passed, problems, planned.plan, { compared: planned.plan !== undefined && existing !== undefined, differences }));
    return passed ? EXIT.ok : EXIT.failed;
  }
  reportProblems(problems, io);
  if (!passed) {
    const errors = problems.filter((p) => p.severity === "error").length - differences.length;
    const parts = [
      ...(errors > 0 ? [`${errors} error${errors === 1 ? "" : "s"}`] : []),
      ...(differences.length > 0 ? [`${outShown}/ is out of date (${differences.length} file${differences.length === 1 ? "" : "s"} differ${differences.length === 1 ? "s" : ""}): run feedwright build and commit it`] : []),
    ];
    io.stderr(`feedwright: check failed: ${parts.join("; ")}\n`);
    return EXIT.failed;
  }
  const { counts } = planned.plan;
  const compared = existing === undefined ? `${outShown}/ not found, so not compared` : `${outShown}/ is up to date`;
  io.stdout(`feedwright: check passed: ${counts.articles} articles read (${counts.drafts} drafts, ${counts.scheduled} scheduled), ${counts.items} items per feed, ${compared}\n`);
  return EXIT.ok;
}
