import { compareText, type Problem } from "../../problems.ts";

/**
 * One warning per kind of template code for the whole build, at its first file and line, with
 * how many places and files have it: an old site repeats the same `{% include %}` or shortcode in
 * every post, and one line per occurrence would bury the warnings that matter. Problems without
 * a group pass through as they are, in their order; each group takes the place of its first.
 */
export function groupTemplateWarnings(problems: readonly Problem[]): Problem[] {
  const groups = new Map<string, Problem[]>();
  for (const problem of problems) {
    if (problem.group === undefined) continue;
    const members = groups.get(problem.group);
    if (members === undefined) groups.set(problem.group, [problem]);
    else members.push(problem);
  }
  if (groups.size === 0) return [...problems];
  const out: Problem[] = [];
  for (const problem of problems) {
    if (problem.group === undefined) {
      out.push(problem);
      continue;
    }
    const members = groups.get(problem.group);
    // Emitted at the group's first member in the input; later members are folded into it.
    if (members === undefined || members[0] !== problem) continue;
    out.push(summary(members));
  }
  return out;
}

function summary(members: readonly Problem[]): Problem {
  const first = members.reduce((a, b) => (compareText(b.file, a.file) < 0 || (b.file === a.file && (b.line ?? 0) < (a.line ?? 0)) ? b : a));
  if (members.length === 1) return first;
  const files = new Set(members.map((p) => p.file)).size;
  const where = files === 1 ? `${members.length} times in this file` : `${members.length} times in ${files} files`;
  return { ...first, message: `${first.message} (${where}; this is the first)` };
}
