import { SaxesParser } from "saxes";

/** Throws unless `xml` is well-formed XML 1.0 with well-formed namespaces (saxes, strict). */
export function assertWellFormed(xml: string, name: string): void {
  const parser = new SaxesParser({ xmlns: true });
  parser.on("error", (e) => {
    throw new Error(`${name} is not well-formed: ${e.message}`);
  });
  parser.write(xml).close();
}
