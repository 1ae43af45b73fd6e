import { z } from "zod";

export interface Person {
  readonly name: string;
  readonly email?: string;
  readonly url?: string;
}

const EMAIL = /^[^\s@<>()]+@[^\s@<>()]+\.[^\s@<>()]+$/;

/** `Name`, `Name <email>`, or a map with name, email and url: how front matter names a person. */
export const personSchema = z.union([
  z
    .string()
    .trim()
    .min(1, "expected a name")
    .transform((text, ctx): Person => {
      const match = /^(.*?)\s*<([^<>]*)>$/.exec(text);
      if (match === null) return { name: text };
      const [, name = "", email = ""] = match;
      if (!EMAIL.test(email)) ctx.addIssue({ code: "custom", message: `expected "Name <email>" with a valid email` });
      return name === "" ? { name: email, email } : { name, email };
    }),
  z
    .object(
      {
        name: z.string().trim().min(1, "expected a name"),
        email: z.string().trim().regex(EMAIL, "expected an email address like ada@example.org").optional(),
        url: z.url({ protocol: /^https?$/, error: "expected an absolute http(s) URL" }).optional(),
      },
      { error: `expected a name, "Name <email>", or a map with name, email and url` },
    )
    .strict(),
], { error: `expected a name, "Name <email>", or a map with name, email and url` });
