/** What a file-system error code means, in words a site owner reads in one go. */
const MEANING: Readonly<Record<string, string>> = {
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "the file system is read-only",
  ENOSPC: "no space left on the device",
  EDQUOT: "disk quota exceeded",
  ENOTDIR: "a part of the path is a file, not a folder",
  EISDIR: "it is a folder",
  ELOOP: "too many levels of symbolic links",
  EIO: "input/output error",
};

/**
 * Why a file-system call failed: its meaning and code (`permission denied (EACCES)`), with the
 * path when `withPath`; `meanings` adds or replaces meanings for one caller's context. An error
 * without a known code keeps its own message (Node's names the code and the path).
 */
export function fsReason(e: unknown, options: { readonly withPath?: boolean; readonly meanings?: Readonly<Record<string, string>> } = {}): string {
  if (!(e instanceof Error)) return String(e);
  const { code, path } = e as NodeJS.ErrnoException;
  const meaning = code === undefined ? undefined : (options.meanings?.[code] ?? MEANING[code]);
  if (meaning === undefined) return e.message;
  return `${meaning} (${code}${options.withPath === true && path !== undefined ? `, ${path}` : ""})`;
}
