import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";

/** Where the build cache lives by default: beside the project's dependencies, as other tools do. */
export function defaultCacheDir(cwd: string, env: NodeJS.ProcessEnv): string {
  if (env.FEEDWRIGHT_CACHE_DIR) return resolve(cwd, env.FEEDWRIGHT_CACHE_DIR);
  if (existsSync(join(cwd, "node_modules"))) return join(cwd, "node_modules", ".cache", "feedwright");
  return join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "feedwright");
}
