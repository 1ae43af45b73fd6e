// Stands in for js-yaml in the bundle (lib/, see the `prepack` script and docs/dependencies.md).
// gray-matter requires js-yaml (and, through it, esprima) as it loads, to offer as its default
// YAML engine; feedwright always hands gray-matter its own engines (src/content/front-matter.ts),
// so neither is ever called, and loading them cost every build some 40 ms.
"use strict";
const unused = () => {
  throw new Error("feedwright: js-yaml is not bundled; gray-matter must be given feedwright's own YAML engine");
};
module.exports = { safeLoad: unused, safeDump: unused, load: unused, dump: unused };
