import { defineCollection, z } from "astro:content";
import { glob } from "astro/loaders";

// The posts feedwright reads too; its settings file (_index.md) is no post.
const blog = defineCollection({
  loader: glob({ base: "./src/content/blog", pattern: "[^_]*.md" }),
  schema: z.object({ title: z.string(), date: z.coerce.date(), tags: z.array(z.string()).default([]) }),
});

export const collections = { blog };
