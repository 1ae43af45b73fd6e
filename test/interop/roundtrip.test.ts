/**
 * Round trip with what Debian installs: every RSS and Atom feed read back by Python's feedparser
 * 6.0.10 (/usr/bin/python3, package python3-feedparser), and every Atom document validated
 * against RFC 4287's RELAX NG schema (test/schemas/atom.rnc) by jing. The suite is
 * test/helpers/roundtrip.ts; test/roundtrip.test.ts runs it with the JavaScript readers.
 */
import { roundTripSuite } from "../helpers/roundtrip.ts";

await roundTripSuite({ parsers: ["feedparser"], documentChecks: false, jing: true, relaxNg: false });
