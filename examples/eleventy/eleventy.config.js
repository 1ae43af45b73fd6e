export default function (eleventyConfig) {
  eleventyConfig.addPassthroughCopy("css");
}
export const config = { pathPrefix: "/blog/" };
