/**
 * The names feedwright keeps its bookkeeping under in an output folder's top level, never output:
 * apart from the manifest's schema (manifest.ts), so that a build with nothing to do can look for
 * them without loading a validator.
 */
export const MANIFEST_FILE = ".feedwright-manifest.json";
export const STAGING_DIR = ".feedwright-staging";
export const LOCK_FILE = ".feedwright-lock";

export function isBookkeeping(name: string): boolean {
  return name === MANIFEST_FILE || name === STAGING_DIR || name === LOCK_FILE;
}
