import { formatProblem, type Problem } from "../problems.ts";

/** One line per problem: what logs, pipes and the existing tests read. */
export function renderPlain(problems: readonly Problem[]): string {
  return problems.map((p) => `${formatProblem(p)}\n`).join("");
}
