import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { planBuild } from "../build.ts";
import { shownPath } from "../content/read.ts";
import { guardIds } from "../guard/index.ts";
import { hasErrors, sortProblems } from "../problems.ts";
import { diffOutput, differenceProblems, type FileDifference } from "../report/diff.ts";
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
 * What a pull-request job runs: the whole build in memory, the id-drift guard, then a comparison
 * with the output folder, if there is one (sites that publish from CI do not commit it).
 */
export async function runCheck(args: Args, io: Io): Promise<number> {
  const options = buildOptions(args, io.env);
  const json = flag(args, "json");
  const planned = await planBuild(options);
  const guard = guardFor(args, options);
  const plan = planned.plan;
  const guarded = plan === undefined || guard === undefined ? [] : await guardIds(guard, { articles: plan.articles, siteFile: plan.siteFile, siteUrl: plan.site.url });
  const existing = planned.plan === undefined ? undefined : await readTree(options.outDir);
  const differences: FileDifference[] =
    planned.plan === undefined || existing === undefined ? [] : diffOutput(new Map(planned.plan.files.map((f) => [f.path, f.content])), existing);
  const outShown = shownPath(options.outDir);
  const problems = sortProblems([...planned.problems, ...guarded, ...differenceProblems(outShown, differences)]);
  const passed = planned.plan !== undefined && !hasErrors(problems);
  if (json) {
    io.stdout(renderJson("check", passed, problems, planned.plan, { compared: existing !== undefined, differences }));
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

/** Every file under `dir` by its `/`-separated path; undefined when `dir` does not exist. */
async function readTree(dir: string): Promise<Map<string, string> | undefined> {
  const files = new Map<string, string>();
  const walk = async (sub: string): Promise<boolean> => {
    let entries;
    try {
      entries = await readdir(join(dir, sub), { withFileTypes: true });
    } catch {
      return false;
    }
    for (const entry of entries) {
      const path = sub === "" ? entry.name : `${sub}/${entry.name}`;
      if (entry.isDirectory()) await walk(path);
      else files.set(path, await readFile(join(dir, path), "utf8"));
    }
    return true;
  };
  return (await walk("")) ? files : undefined;
}
