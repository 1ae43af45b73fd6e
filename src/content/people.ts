import * as z from "zod";
import { httpUrl } from "../site/urls.ts";
import { trimSpace } from "./text.ts";

export interface Person {
  readonly name: string;
  readonly email?: string;
  readonly url?: string;
}

// No spaces, no <>() (they delimit it in "Name <email>" and RSS's "email (name)"), and none of
// the characters XML 1.0 cannot carry: an email is written into every feed as it is.
const EMAIL = /^[^\s@<>()\u0000-\u001f\u007f\ufffe\uffff\ud800-\udfff]+@[^\s@<>()\u0000-\u001f\u007f\ufffe\uffff\ud800-\udfff]+\.[^\s@<>()\u0000-\u001f\u007f\ufffe\uffff\ud800-\udfff]+$/;

/** `Name`, `Name <email>`, or a map with name, email and url: how front matter names a person. */
export const personSchema = z.union([
  z
    .string()
    .overwrite(trimSpace)
    .min(1, "expected a name")
    .transform((text, ctx): Person => {
      // s: a name may hold a line break (YAML "a\nb"); without it "Name <email>" was all name.
      const match = /^(.*?)\s*<([^<>]*)>$/s.exec(text);
      if (match === null) return { name: text };
      const [, name = "", email = ""] = match;
      if (!EMAIL.test(email)) ctx.addIssue({ code: "custom", message: `expected "Name <email>" with a valid email` });
      return name === "" ? { name: email, email } : { name, email };
    }),
  z
    .object(
      {
        name: z.string().overwrite(trimSpace).min(1, "expected a name"),
        email: z.string().trim().regex(EMAIL, "expected an email address like ada@example.org").optional(),
        url: httpUrl("an absolute http(s) URL").optional(),
      },
      { error: `expected a name, "Name <email>", or a map with name, email and url` },
    )
    .strict(),
], { error: `expected a name, "Name <email>", or a map with name, email and url` });
