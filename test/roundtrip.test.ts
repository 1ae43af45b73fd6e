/**
 * Round trip with what npm installs: every feed read back by @rowanmanning/feed-parser and
 * feedsmith, and every document checked itself (saxes, the JSON Feed 1.1 schema, RFC 4287's
 * RELAX NG schema with libxml2, the URLs in the content, RSS guids). The suite is
 * test/helpers/roundtrip.ts; test/interop/roundtrip.test.ts runs it with Python's feedparser and
 * jing.
 */
import { roundTripSuite } from "./helpers/roundtrip.ts";

await roundTripSuite({ parsers: ["rowanmanning", "feedsmith"], documentChecks: true, jing: false, relaxNg: true });
