/**
 * The one normalisation applied to text fields before any format sees them, so all three formats
 * carry the same strings: line breaks become `\n`, and characters XML 1.0 cannot carry at all
 * (C0 controls other than tab and newline, lone surrogates, U+FFFE and U+FFFF; XML 1.0 §2.2) are
 * removed.
 */
export function cleanText(text: string): string {
  return text.replace(/\r\n?/g, "\n").replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "");
}
