import assert from "node:assert/strict";
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { DateTime } from "luxon";
import { eachDocument, planBuild } from "../src/pipeline/index.ts";
import { MANIFEST_FILE } from "../src/output/bookkeeping.ts";
import { renderManifest } from "../src/output/manifest.ts";
import { ROOT, runCli, snapshot, tempDir } from "./helpers/cli.ts";

const NOW = "2030-01-01T00:00:00Z";

function bytesOf(dir: string): Map<string, string> {
  return new Map([...snapshot(dir)].map(([path, { bytes }]) => [path, bytes]));
}

describe("same input, same bytes", () => {
  it("building twice changes nothing, not even file times", () => {
    const dir = tempDir();
    cpSync(join(ROOT, "content"), join(dir, "content"), { recursive: true });
    assert.equal(runCli(["build", "--now", NOW], dir).status, 0);
    const first = snapshot(join(dir, "dist"));
    const again = runCli(["build", "--now", NOW], dir);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /0 files written, \d+ unchanged/);
    assert.deepEqual(snapshot(join(dir, "dist")), first);
  });

  it("another folder, another machine time zone and locale, files created in reverse order", () => {
    const a = tempDir();
    cpSync(join(ROOT, "content"), join(a, "content"), { recursive: true });
    const b = tempDir("other-place-");
    mkdirSync(join(b, "nested/content"), { recursive: true });
    const copyReversed = (from: string, to: string): void => {
      mkdirSync(to, { recursive: true });
      for (const entry of readdirSync(from, { withFileTypes: true }).sort((x, y) => (x.name < y.name ? 1 : -1))) {
        if (entry.isDirectory()) copyReversed(join(from, entry.name), join(to, entry.name));
        else writeFileSync(join(to, entry.name), readFileSync(join(from, entry.name)));
      }
    };
    copyReversed(join(ROOT, "content"), join(b, "nested/content"));
    assert.equal(runCli(["build", "--now", NOW], a, { TZ: "UTC", LANG: "C" }).status, 0);
    const run = runCli(["build", "--now", NOW, "--content", "nested/content", "--out", "elsewhere/dist"], b, {
      TZ: "Pacific/Kiritimati",
      LANG: "tr_TR.UTF-8",
      LC_ALL: "tr_TR.UTF-8",
    });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(bytesOf(join(b, "elsewhere/dist")), bytesOf(join(a, "dist")));
  });

  it("SOURCE_DATE_EPOCH stands in for --now", () => {
    const dir = tempDir();
    mkdirSync(join(dir, "content"));
    writeFileSync(join(dir, "content/_index.md"), "---\ntitle: T\nurl: https://example.org/\n---\n");
    writeFileSync(join(dir, "content/past.md"), "---\ntitle: Past\ndate: 2020-01-01\n---\nOld.\n");
    writeFileSync(join(dir, "content/future.md"), "---\ntitle: Future\ndate: 2021-01-01\n---\nNew.\n");
    const epoch2020 = String(Date.UTC(2020, 6, 1) / 1000);
    assert.equal(runCli(["build"], dir, { SOURCE_DATE_EPOCH: epoch2020 }).status, 0);
    const titles = JSON.parse(readFileSync(join(dir, "dist/feed.json"), "utf8")).items.map((i: { title: string }) => i.title);
    assert.deepEqual(titles, ["Past"]);
  });

  it("the committed dist/ is what the sample content builds to", async () => {
    const planned = await planBuild({ contentDir: join(ROOT, "content"), outDir: join(ROOT, "dist"), now: DateTime.now() });
    assert.deepEqual(planned.problems, []);
    const built = new Map(planned.plan!.files.map((f) => [f.path, f.content]));
    // Beside the documents, the list of them that a build keeps (src/output/manifest.ts).
    built.set(MANIFEST_FILE, renderManifest(built.keys()));
    const committed = new Map([...snapshot(join(ROOT, "dist"))].map(([path]) => [path, readFileSync(join(ROOT, "dist", path), "utf8")]));
    assert.deepEqual(committed, built, "dist/ is stale: run npm run build and commit it");
  });

  it("eachDocument (what check uses) hands over the documents planBuild returns, in the same order, and keeps none", async () => {
    const options = { contentDir: join(ROOT, "content"), outDir: join(ROOT, "dist"), now: DateTime.fromISO(NOW) };
    const visited: { path: string; content: string }[] = [];
    const streamed = await eachDocument(options, async (path, content) => void visited.push({ path, content }));
    const planned = await planBuild(options);
    assert.deepEqual(streamed.problems, planned.problems);
    assert.deepEqual(streamed.plan!.files, []);
    assert.ok(visited.length > 10);
    assert.deepEqual(visited, planned.plan!.files);
  });
});

describe("dates", () => {
  it("an offset with seconds (Monrovia, 1971: -0:44:30) is written in UTC, never rounded to a wrong instant", async () => {
    const { parseDate, rfc3339, rfc822 } = await import("../src/content/dates.ts");
    const parsed = parseDate("1971-01-01", "Africa/Monrovia");
    assert.ok(parsed.ok);
    assert.equal(parsed.value.toMillis(), Date.UTC(1971, 0, 1, 0, 44, 30));
    assert.equal(rfc3339(parsed.value), "1971-01-01T00:44:30Z");
    assert.equal(Date.parse(rfc822(parsed.value)), Date.UTC(1971, 0, 1, 0, 44, 30));
  });

  it("2023-02-30 is refused, and a wall time a daylight-saving jump skips is named", async () => {
    const { parseDate } = await import("../src/content/dates.ts");
    assert.equal(parseDate("2023-02-30", "UTC").ok, false);
    const skipped = parseDate("2023-03-26 02:30", "Europe/Berlin");
    assert.ok(!skipped.ok && /does not exist in Europe\/Berlin/.test(skipped.reason));
  });

  it("a wall time the clocks pass twice is the first of the two, whatever the season the build runs in", async () => {
    const { parseDate, rfc3339 } = await import("../src/content/dates.ts");
    const { Settings } = await import("luxon");
    const real = Settings.now;
    try {
      // luxon's fromISO read it by the offset in force when the build ran: +02:00 in July, +01:00 in December.
      for (const now of [Date.UTC(2026, 6, 1), Date.UTC(2026, 11, 1)]) {
        Settings.now = () => now;
        const twice = parseDate("2024-10-27 02:30", "Europe/Berlin");
        assert.ok(twice.ok);
        assert.equal(rfc3339(twice.value), "2024-10-27T02:30:00+02:00");
        const half = parseDate("1982-03-07 01:45", "Australia/Lord_Howe");
        assert.ok(half.ok);
        assert.equal(rfc3339(half.value), "1982-03-07T01:45:00+11:30");
      }
    } finally {
      Settings.now = real;
    }
  });

  it("around every clock change of four zones, 2000-2025: each quarter hour read as the earliest instant that shows it (a lookup per instant)", async () => {
    const { parseDate } = await import("../src/content/dates.ts");
    const { DateTime, IANAZone } = await import("luxon");
    const DAY = 86_400_000;
    let checked = 0;
    for (const name of ["Europe/Berlin", "Asia/Tehran", "Australia/Lord_Howe", "America/Sao_Paulo"]) {
      const zone = IANAZone.create(name);
      // Looked up per exact instant (memoised only as such: the instants tried repeat across wall times).
      const looked = new Map<number, number>();
      const offset = (ts: number): number => {
        let found = looked.get(ts);
        if (found === undefined) looked.set(ts, (found = zone.offset(ts)));
        return found;
      };
      for (let day = Date.UTC(2000, 0, 1) / DAY; day < Date.UTC(2026, 0, 1) / DAY; day++) {
        if (zone.offset(day * DAY) === zone.offset((day + 1) * DAY)) continue;
        for (let quarter = -8; quarter < 104; quarter++) {
          const wall = day * DAY + quarter * 900_000;
          const text = DateTime.fromMillis(wall, { zone: "UTC" }).toFormat("yyyy-MM-dd HH:mm");
          // Independently: every instant within 15 hours whose wall time in the zone is this one.
          const shows: number[] = [];
          for (let ts = wall - 15 * 3_600_000; ts <= wall + 15 * 3_600_000; ts += 900_000) if (ts + offset(ts) * 60_000 === wall) shows.push(ts);
          const parsed = parseDate(text, name);
          checked++;
          if (shows.length === 0) assert.ok(!parsed.ok && /does not exist/.test(parsed.reason), `${name} ${text}: skipped, yet read`);
          else {
            assert.ok(parsed.ok, `${name} ${text}: ${parsed.ok ? "" : parsed.reason}`);
            assert.equal(parsed.value.toMillis(), Math.min(...shows), `${name} ${text}`);
          }
        }
      }
    }
    assert.ok(checked > 10_000, `only ${checked} wall times checked`);
  });

  it("a zone that moved across the date line, and a day whose midnight is skipped", async () => {
    const { parseDate, rfc3339 } = await import("../src/content/dates.ts");
    // Apia was UTC-11 until 2010-09-26 00:00, then -10 (and +13 from 2011-12-31): luxon, guessing
    // from today's +13, called 01:00 that morning skipped.
    const apia = parseDate("2010-09-26 01:00", "Pacific/Apia");
    assert.ok(apia.ok, apia.ok ? "" : apia.reason);
    assert.equal(rfc3339(apia.value), "2010-09-26T01:00:00-10:00");
    assert.equal(parseDate("2010-09-26 00:30", "Pacific/Apia").ok, false);
    // São Paulo went from 00:00 to 01:00 on 2018-11-04: a date alone starts when the day does.
    const day = parseDate("2018-11-04", "America/Sao_Paulo");
    assert.ok(day.ok);
    assert.equal(rfc3339(day.value), "2018-11-04T01:00:00-02:00");
  });
});
