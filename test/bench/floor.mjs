// The read-only floor: lists the content folder and reads every .md file, one at a time, and
// does nothing else. Plain JavaScript run by plain `node` (no tsx), so it is the cost of starting
// Node and reading the bytes, nothing more.
//
//   node test/bench/floor.mjs DIR
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

const root = process.argv[2];
if (root === undefined) {
  process.stderr.write("usage: floor.mjs DIR\n");
  process.exit(2);
}

let files = 0;
let bytes = 0;
async function walk(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) await walk(full);
    else if (entry.name.endsWith(".md")) {
      const text = await readFile(full, "utf8");
      files += 1;
      bytes += text.length;
    }
  }
}
await walk(root);
process.stdout.write(`floor: ${files} files, ${bytes} characters\n`);
