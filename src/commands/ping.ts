import { defaultCacheDir } from "../cache/folder.ts";
import { loadRecord, ping } from "../websub/ping.ts";
import { text, type Args } from "./args.ts";
import { EXIT, type Io } from "./io.ts";

export async function runPing(args: Args, io: Io): Promise<number> {
  const outDir = text(args, "out") ?? "dist";
  const record = await loadRecord(defaultCacheDir(process.cwd(), io.env), outDir);
  if (record === undefined) {
    io.stderr(`feedwright: ping: no build of ${outDir}/ with a hub setting is on record (the record lives in the build cache; build without --no-cache first)\n`);
    return EXIT.failed;
  }
  if (record.topics.length === 0) {
    io.stdout(`feedwright: ping: the last build changed no feed; nothing to tell ${record.hub}\n`);
    return EXIT.ok;
  }
  const results = await ping(record);
  for (const r of results) (r.ok ? io.stdout : io.stderr)(`${r.ok ? "pinged" : "failed"} ${r.topic} (${r.detail})\n`);
  const failed = results.filter((r) => !r.ok).length;
  io[failed === 0 ? "stdout" : "stderr"](`feedwright: ping: ${results.length - failed} of ${results.length} feeds announced to ${record.hub}\n`);
  return failed === 0 ? EXIT.ok : EXIT.failed;
}
