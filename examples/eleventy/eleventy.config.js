export default function (eleventyConfig) {
  eleventyConfig.addPassthroughCopy("css");
  eleventyConfig.addGlobalData("layout", "base.njk");
  eleventyConfig.addCollection("posts", (api) => api.getFilteredByGlob("posts/*.md"));
}
export const config = { pathPrefix: "/blog/" };
