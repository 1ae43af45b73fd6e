import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import fc from "fast-check";
import { DateTime } from "luxon";
import MarkdownIt from "markdown-it";
import { planBuild } from "../src/pipeline/index.ts";
import { renderMarkdown, type RenderOptions } from "../src/markdown/render.ts";
import { EMPTY_CONTEXT, linkTargets, type TemplateContext } from "../src/markdown/templates/context.ts";
import { expandTemplates } from "../src/markdown/templates/expand.ts";
import { groupTemplateWarnings } from "../src/markdown/templates/group.ts";
import { formatProblem, warning, type Problem } from "../src/problems.ts";
import { project } from "./helpers/cli.ts";

const BASE = "https://example.org/blog/post/";
const CONTEXT: TemplateContext = {
  site: { title: "Signal <& Noise>", url: "https://example.org", baseurl: "/blog", repository: "me/site", params: { mastodon: "@me" }, author: { name: "Ann" } },
  page: { title: "This post", tags: ["a", "b"] },
  links: linkTargets([
    { path: "_posts/2016-03-10-easier.md", url: "https://example.org/blog/2016/easier/" },
    { path: "news/0.89/index.md", url: "https://example.org/blog/news/0.89/" },
  ]),
  shortcodes: { gh: '<a href="https://github.com/{0}">{0}</a>', note: '<aside title="{kind}">{inner}</aside>' },
};
const render = (markdown: string, options: Partial<RenderOptions> = {}) =>
  renderMarkdown(markdown, { file: "content/p.md", firstLine: 5, baseUrl: BASE, templates: CONTEXT, ...options });
const messages = (out: { problems: readonly Parameters<typeof formatProblem>[0][] }) => out.problems.map(formatProblem);

describe("Jekyll (Liquid)", () => {
  it("{% raw %} shows its content as written", () => {
    const out = render("Write {% raw %}{{ page.title }} and {% if x %}{% endraw %} in a layout.\n");
    assert.equal(out.html, "<p>Write {{ page.title }} and {% if x %} in a layout.</p>\n");
    assert.deepEqual(out.problems, []);
  });

  it("{% raw %} around a fenced block", () => {
    const out = render("{% raw %}\n```liquid\n{{ site.title }}\n```\n{% endraw %}\n");
    assert.equal(out.html, '<pre><code class="language-liquid">{{ site.title }}\n</code></pre>\n');
  });

  it("{% highlight %} is a code block with its language, indentation kept", () => {
    const out = render("Config:\n\n{% highlight yaml linenos %}\nsite:\n  title: x\n    deep: `y`\n{% endhighlight %}\n\nAfter.\n");
    assert.equal(out.html, '<p>Config:</p>\n<pre><code class="language-yaml">site:\n  title: x\n    deep: `y`\n</code></pre>\n<p>After.</p>\n');
  });

  it("{% highlight %} inside a list item stays in it", () => {
    const out = render("1. Step:\n\n   {% highlight sh %}\n   npm ci\n   {% endhighlight %}\n2. Next\n");
    assert.match(out.html, /<li>\n<p>Step:<\/p>\n<pre><code class="language-sh">npm ci\n<\/code><\/pre>\n<\/li>\n<li>\n<p>Next<\/p>/);
  });

  it("{% link %} and {% post_url %} are the URL of that article", () => {
    const out = render("[a]({% link _posts/2016-03-10-easier.md %}) [b]({% post_url 2016-03-10-easier %}) [c]({% post_url /2016-03-10-easier %})\n");
    assert.equal((out.html.match(/href="https:\/\/example\.org\/blog\/2016\/easier\/"/g) ?? []).length, 3);
    assert.deepEqual(out.problems, []);
  });

  it("contentPath: a Jekyll {% link %} path from the site's root finds the post; a Hugo ref, from the content folder, is read as written", () => {
    const within = { ...CONTEXT, contentPath: ["news"] };
    const liquid = renderMarkdown("[a]({% link news/_posts/2016-03-10-easier.md %})\n", { file: "content/p.md", firstLine: 5, baseUrl: BASE, templates: within });
    assert.match(liquid.html, /href="https:\/\/example\.org\/blog\/2016\/easier\/"/);
    // content/foo.md and content/news/foo.md: ref "news/foo.md" is the second, whatever contentPath says (found by a review).
    const links = linkTargets([
      { path: "foo.md", url: "https://example.org/blog/rootfoo/" },
      { path: "news/foo.md", url: "https://example.org/blog/news/foo/" },
    ]);
    const hugo = renderMarkdown('[b]({{< ref "news/foo.md" >}})\n', { file: "content/p.md", firstLine: 5, baseUrl: BASE, templates: { ...within, links, engine: "hugo" } });
    assert.match(hugo.html, /href="https:\/\/example\.org\/blog\/news\/foo\/"/);
  });

  it("a link to no article is a warning with its line, and says so in place", () => {
    const out = render("Intro.\n\nSee {% post_url 2001-01-01-gone %}.\n");
    assert.deepEqual(messages(out), [`content/p.md:7 warning: body: {% post_url 2001-01-01-gone %}: no article at "2001-01-01-gone"`]);
    assert.equal(out.html, "<p>Intro.</p>\n<p>See [unknown link: 2001-01-01-gone].</p>\n");
  });

  it("{{ site.X }} and {{ page.X }}, escaped, with URL filters", () => {
    const out = render('{{ site.title }} by {{ site.author.name }} ({{ site.repository }}, {{ site.params.mastodon }}) on {{ page.title }} ![x]({{ "/img/a.png" | relative_url }}) {{ site.url }}{{ site.baseurl }} {{ "/x" | absolute_url }} {{ page.tags }}\n');
    assert.equal(
      out.html,
      '<p>Signal &lt;&amp; Noise&gt; by Ann (me/site, @me) on This post <img src="https://example.org/blog/img/a.png" alt="x"> <a href="https://example.org/blog">https://example.org/blog</a> <a href="https://example.org/blog/x">https://example.org/blog/x</a> a, b</p>\n',
    );
    assert.deepEqual(out.problems, []);
  });

  it("date filters write the date in the site's zone, as Jekyll's do; a directive or value they cannot read leaves the filter out, with a warning", () => {
    const dated = (markdown: string) =>
      renderMarkdown(markdown, { file: "content/p.md", firstLine: 5, baseUrl: BASE, templates: { ...CONTEXT, site: { ...CONTEXT.site, timezone: "Europe/Berlin" }, page: { ...CONTEXT.page, date: "2024-05-02T00:30:00.000+02:00", updated: "2024-12-07 09:05", moved: "2024-01-06T04:00:00Z" } } });
    const out = dated('{{ page.date | date: "%B %-d, %Y" }}; {{ page.date | date: "%a %e %b %y, %H:%M %P (%z) %j %-j %^a %%" }}; {{ page.updated | date: "%F %T" }}; {{ page.date | date_to_string }}; {{ page.date | date_to_long_string }}; {{ page.date | date_to_xmlschema }}; {{ page.date | date_to_rfc822 }}\n');
    assert.equal(out.html, "<p>May 2, 2024; Thu  2 May 24, 00:30 am (+0200) 123 123 THU %; 2024-12-07 09:05:00; 02 May 2024; 02 May 2024; 2024-05-02T00:30:00+02:00; Thu, 02 May 2024 00:30:00 +0200</p>\n");
    assert.deepEqual(out.problems, []);
    // A time written with its own offset keeps it, as Liquid's date does (found by a review);
    // Jekyll's date_to_* filters write it in the site's zone; no value is nothing, as Jekyll writes.
    assert.equal(dated('{{ page.moved | date: "%Y-%m-%d %H:%M %z" }} {{ page.moved | date_to_rfc822 }}\n').html, "<p>2024-01-06 04:00 +0000 Sat, 06 Jan 2024 05:00:00 +0100</p>\n");
    const none = dated('[{{ page.nothing | date: "%Y" }}]\n');
    assert.equal(none.html, "<p>[]</p>\n");
    assert.equal(messages(none).filter((m) => m.includes("date:")).length, 0);
    const unknown = dated('{{ page.date | date: "%Z" }} {{ "now" | date: "%Y" }} {{ page.date | date_to_string: "ordinal", "US" }}\n');
    assert.deepEqual(messages(unknown), [
      'content/p.md:5 warning: body: Liquid {{ … | date: "%Z" }} on "2024-05-02T00:30:00.000+02:00": the format or the date is not supported; the date is shown as written',
      'content/p.md:5 warning: body: Liquid {{ … | date: "%Y" }} on "now": the format or the date is not supported; the date is shown as written',
      'content/p.md:5 warning: body: Liquid {{ … | date_to_string: "ordinal", "US" }} on "2024-05-02T00:30:00.000+02:00": the format or the date is not supported; the date is shown as written',
    ]);
  });

  it("url_encode and urlencode encode a URL as one part of another (as Liquid and Nunjucks do); uri_escape keeps its slashes", () => {
    const out = render('<img src="https://shot.example/{{ "https://a.example/p?q=1&r=a b" | urlencode }}/og/"> {{ "a b/c@d" | url_encode }} {{ "https://a.example/a b" | uri_escape }}\n');
    assert.equal(out.html, '<p><img src="https://shot.example/https%3A%2F%2Fa.example%2Fp%3Fq%3D1%26r%3Da%20b/og/" /> a+b%2Fc%40d <a href="https://a.example/a%20b">https://a.example/a b</a></p>\n');
    assert.deepEqual(out.problems, []);
  });

  it("{% comment %} is left out", () => {
    assert.equal(render("A {% comment %}not for readers{% endcomment %}B\n").html, "<p>A B</p>\n");
  });

  it("anything else is a warning naming the line, and a visible note, never the raw tag", () => {
    const out = render("One.\n\n{% include figure.html src=x %}\n\n{% if site.x %}Kept{% endif %} {{ post.title | upcase }} {{ site.nope }}\n");
    assert.deepEqual(messages(out), [
      `content/p.md:7 warning: body: Liquid tag {% include %} is not supported: the article shows "[unsupported Liquid tag: include]" in its place`,
      `content/p.md:9 warning: body: Liquid tag {% if %} is not supported: the article shows "[unsupported Liquid tag: if]" in its place`,
      `content/p.md:9 warning: body: Liquid value {{ post.title | upcase }} is not supported: the article shows "[unsupported Liquid value]" in its place; neither the site settings nor the article's front matter have "post.title"`,
      `content/p.md:9 warning: body: {{ site.nope }} has no value: the site settings and the article have no such key`,
    ]);
    assert.equal(out.html, "<p>One.</p>\n<p>[unsupported Liquid tag: include]</p>\n<p>[unsupported Liquid tag: if]Kept [unsupported Liquid value]</p>\n");
  });
});

describe("front-matter values (page.X, Eleventy's bare names)", () => {
  const page = { title: "Beta <1>", external_url: "https://github.com/11ty/eleventy/releases/tag/v3.0.0?a=1&b=2", newstitle: "News", weight: 3, nested: { key: "deep" } };
  const withPage = (markdown: string, engine?: TemplateContext["engine"]) => render(markdown, { templates: { ...CONTEXT, page, ...(engine === undefined ? {} : { engine }) } });

  it("{{ page.X }} and a bare {{ X }} read the article's front matter, escaped as Liquid would", () => {
    const out = withPage("{{ page.newstitle }} / {{ newstitle }} / {{ title }} / {{ page.weight }} / {{ nested.key }} / [notes]({{ external_url }}) {{ external_url | urlencode }}\n");
    assert.equal(
      out.html,
      '<p>News / News / Beta &lt;1&gt; / 3 / deep / <a href="https://github.com/11ty/eleventy/releases/tag/v3.0.0?a=1&amp;b=2">notes</a> https%3A%2F%2Fgithub.com%2F11ty%2Feleventy%2Freleases%2Ftag%2Fv3.0.0%3Fa%3D1%26b%3D2</p>\n',
    );
    assert.deepEqual(out.problems, []);
  });

  it("a bare name the front matter lacks is read from the site settings (Eleventy's global data)", () => {
    assert.equal(withPage("{{ repository }} {{ params.mastodon }}\n").html, "<p>me/site @me</p>\n");
  });

  it("through a build: the article's own front matter, never another's", async () => {
    const dir = project(
      {
        "a.md": "---\ntitle: A\ndate: 2024-01-01\nexternal_url: https://a.example/\nnewstitle: Alpha\n---\n[{{ newstitle }}]({{ external_url }}) {{ page.newstitle }}\n",
        "b.md": "---\ntitle: B\ndate: 2024-01-02\n---\n{{ page.newstitle }}{{ newstitle | upcase }}\n",
      },
      `---\ntitle: T\nurl: https://example.org/\n---\n`,
    );
    const result = await planBuild({ contentDir: join(dir, "content"), outDir: join(dir, "dist"), now: DateTime.fromISO("2030-01-01T00:00:00Z") });
    assert.ok(result.plan !== undefined, JSON.stringify(result.problems));
    const json = JSON.parse(result.plan.files.find((f) => f.path === "feed.json")!.content) as { items: { title: string; content_html: string }[] };
    assert.equal(json.items.find((i) => i.title === "A")!.content_html, '<p><a href="https://a.example/">Alpha</a> Alpha</p>\n');
    assert.equal(json.items.find((i) => i.title === "B")!.content_html, "<p>[unsupported Liquid value]</p>\n");
  });
});

describe("Eleventy shortcodes", () => {
  it("videos become links, indieweblink a link (or its text), image an img; the site's pattern wins", () => {
    const out = render('{% youtubeEmbed "7U-1WnXpAnc" %}\n\nBy {% indieweblink "Carie Fisher", "https://cariefisher.com/" %}, {% indieweblink "Henri" %} and {% indieweblink "Discord", "/discord/" %}.\n\n{% image "cat.jpg", "A cat" %} {% gh "bep" %}\n');
    assert.equal(
      out.html,
      [
        '<p><a href="https://www.youtube.com/watch?v=7U-1WnXpAnc">Video on YouTube (7U-1WnXpAnc)</a></p>',
        '<p>By <a href="https://cariefisher.com/">Carie Fisher</a>, Henri and <a href="https://example.org/discord/">Discord</a>.</p>',
        '<p><img src="https://example.org/blog/post/cat.jpg" alt="A cat" /> <a href="https://github.com/bep">bep</a></p>',
        "",
      ].join("\n"),
    );
    assert.deepEqual(out.problems, []);
  });

  it("a paired shortcode mapped with {inner} takes its content, as Markdown; one mapped to nothing leaves nothing", () => {
    const out = render('{% callout "info", "md" %}Be *kind*, [see](/survey/){% endcallout %}\n\n[{% indieavatar "https://vite.dev/" %}Vite](/docs/){% include "balloon.svg" %}\n', {
      templates: { ...CONTEXT, shortcodes: { callout: "<aside><b>{0}</b> {inner}</aside>", indieavatar: "", include: "" } },
    });
    assert.equal(out.html, '<aside><b>info</b> Be <em>kind</em>, <a href="https://example.org/survey/">see</a></aside>\n<p><a href="https://example.org/docs/">Vite</a></p>\n');
    assert.deepEqual(out.problems, []);
  });

  it("any other is one note and a warning that says how to map it; its code never runs", () => {
    const out = render('{% getScreenshotHtml "Title", "https://a.example/" %}\n');
    assert.deepEqual(messages(out), [
      `content/p.md:5 warning: body: shortcode {% getScreenshotHtml %} is not supported: the article shows "[unsupported shortcode: getScreenshotHtml]" in its place; map it to HTML in the site settings (shortcodes:), or to an empty pattern to leave it out`,
    ]);
    assert.equal(out.html, "<p>[unsupported shortcode: getScreenshotHtml]</p>\n");
  });

  it("a loop is one note, its template left out; assign and set write nothing, a literal they set is its value", () => {
    const out = render('{% for p in list %}\n- {{ p.title }} {% for t in p.tags %}{{ t }}{% endfor %}\n{% endfor %}\nAfter. {% assign n = 3 %}{% set who = "Ann" %}{{ n }} {{ who }}\n\n{% highlight "js" %}\nlet a;\n{% endhighlight %}\n');
    assert.equal(out.html, '<p>[unsupported Liquid tag: for]\nAfter. 3 Ann</p>\n<pre><code class="language-js">let a;\n</code></pre>\n');
    assert.deepEqual(messages(out), [`content/p.md:5 warning: body: Liquid tag {% for %} is not supported (a loop: its content is left out too): the article shows "[unsupported Liquid tag: for]" in its place`]);
  });
});

describe("template code inside a URL", () => {
  it("resolved, it is the URL; else the link is left out and its text stays, an image becomes its alt text", () => {
    const out = render('[home]({{ site.url }}/a) [b]({{ site.nope }}/x) [c]({% post_url gone %}) [d]({{< nope >}}) <a href="{% include x.html %}">e</a> <img src="{% link nope %}" alt="Pic"> ![f]({{ post.image }})\n\n[ref]: {{ site.missing }}/z\n');
    assert.equal(out.html, '<p><a href="https://example.org/a">home</a> <a>b</a> <a>c</a> <a>d</a> <a>e</a> Pic f</p>\n');
    // The excerpt is the text markdown-it sees: raw HTML (the img) is not part of it.
    assert.equal(out.excerpt, "home b c d e f");
    assert.deepEqual(messages(out), [
      "content/p.md:5 warning: body: {{ site.nope }} has no value (the site settings and the article have no such key): it is inside a URL, so the link is left out and its text stays",
      'content/p.md:5 warning: body: {% post_url gone %}: no article at "gone"; the link is left out, its text stays',
      'content/p.md:5 warning: body: shortcode nope is not supported: it is inside a URL, so the link is left out and its text stays; map it to HTML in the site settings (shortcodes:)',
      'content/p.md:5 warning: body: Liquid tag {% include %} is not supported: it is inside a URL, so the link is left out and its text stays',
      'content/p.md:5 warning: body: {% link nope %}: no article at "nope"; the link is left out, its text stays',
      'content/p.md:5 warning: body: Liquid value {{ post.image }} is not supported: it is inside a URL, so the link is left out and its text stays; neither the site settings nor the article\'s front matter have "post.image"',
      "content/p.md:7 warning: body: {{ site.missing }} has no value (the site settings and the article have no such key): it is inside a URL, so the link is left out and its text stays",
    ]);
  });

  // Found by fuzzing: text that holds a marker's character, percent-encoded, just before the marker.
  it("a marker after its own character, encoded, in text that was no link after all", () => {
    assert.equal(render("[a](%EE%80%80{{< nope >}}\n").html, "<p>[a](%EE%80%80[unsupported shortcode: nope]</p>\n");
  });

  it("property: no marker, note or template code ever ends up in an attribute", () => {
    const construct = fc.constantFrom("{{ site.nope }}", "{{ post.x }}", "{% include x %}", "{% link nope %}", "{{< nope >}}", "{{< youtube abc >}}", "{{ site.url }}", "{{ .Title }}", "{% gh \"x\" %}");
    const piece = fc.oneof(construct, fc.constantFrom("[t](", ")", "![i](", "<a href=\"", "<img src=\"", '" alt="x">', "\">t</a>", "/p", "?q=1", " ", "\n\n", "[r]: ", "text"));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 10 }), (pieces) => {
        const out = render(pieces.join(""));
        const attributes = [...out.html.matchAll(/<[a-z][\w-]*(\s[^<>]*)?>/g)].flatMap((tag) => [...(tag[1] ?? "").matchAll(/\s[\w-]+="([^"]*)"/g)].map((m) => m[1]!));
        for (const value of attributes) assert.doesNotMatch(value, /%EE%80|\uE000|%5Bun|\[un|\{\{|\{%|%7B%7B|%7B%25/i, out.html);
        assert.doesNotMatch(out.html + out.excerpt, /\uE000|%EE%80%80/);
      }),
      { numRuns: 300 },
    );
  });
});

describe("which braces are template code (the templates setting)", () => {
  const md = "{{ site.title }} {{ name }} {{ .Title }} {% include x %} {{< youtube abc >}}\n";
  const as = (engine: TemplateContext["engine"]) => render(md, { templates: { ...CONTEXT, engine } });

  it("auto: shortcodes, tags and surely-Liquid values; {{ name }} nothing gives a value and Go's {{ .Title }} stay text", () => {
    const out = as("auto");
    assert.equal(out.html, '<p>Signal &lt;&amp; Noise&gt; {{ name }} {{ .Title }} [unsupported Liquid tag: include] <a href="https://www.youtube.com/watch?v=abc">Video on YouTube (abc)</a></p>\n');
    assert.equal(out.problems.length, 1);
  });

  it("liquid: every {{ }} and {% %} is Liquid, shortcodes are text", () => {
    const out = as("liquid");
    assert.equal(out.html, "<p>Signal &lt;&amp; Noise&gt; [unsupported Liquid value] [unsupported Liquid value] [unsupported Liquid tag: include] [unsupported Liquid value]</p>\n");
  });

  it("hugo: shortcodes only, {{ }} and {% %} shown as Hugo shows them in content", () => {
    const out = as("hugo");
    assert.equal(out.html, '<p>{{ site.title }} {{ name }} {{ .Title }} {% include x %} <a href="https://www.youtube.com/watch?v=abc">Video on YouTube (abc)</a></p>\n');
    assert.deepEqual(out.problems, []);
  });

  it("none: nothing is touched", () => {
    const out = as("none");
    assert.equal(out.html, "<p>{{ site.title }} {{ name }} {{ .Title }} {% include x %} {{&lt; youtube abc &gt;}}</p>\n");
    assert.deepEqual(out.problems, []);
  });

  it("auto, through a build: a post in Jekyll's _posts/ is Liquid throughout; elsewhere {{ name }} stays text", async () => {
    const body = "{{ post.title }} and {{< gh x >}}\n";
    const dir = project({ "_posts/2024-01-01-a.md": `---\ntitle: A\n---\n${body}`, "b.md": `---\ntitle: B\ndate: 2024-01-02\n---\n${body}` }, `---\ntitle: T\nurl: https://example.org/\n---\n`);
    const result = await planBuild({ contentDir: join(dir, "content"), outDir: join(dir, "dist"), now: DateTime.fromISO("2030-01-01T00:00:00Z") });
    assert.ok(result.plan !== undefined, JSON.stringify(result.problems));
    const json = JSON.parse(result.plan.files.find((f) => f.path === "feed.json")!.content) as { items: { title: string; content_html: string }[] };
    assert.equal(json.items.find((i) => i.title === "A")!.content_html, "<p>[unsupported Liquid value] and [unsupported Liquid value]</p>\n");
    assert.equal(json.items.find((i) => i.title === "B")!.content_html, "<p>{{ post.title }} and [unsupported shortcode: gh]</p>\n");
  });

  it("property (auto): prose braces that are no Liquid name are never eaten", () => {
    const word = fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/).filter((w) => !Object.hasOwn(CONTEXT.page, w) && !Object.hasOwn(CONTEXT.site, w) && w !== "site" && w !== "page");
    const braces = fc.oneof(
      word.map((w) => `{{ ${w} }}`),
      word.map((w) => `{{${w}}}`),
      word.map((w) => `{{ .${w} }}`),
      word.map((w) => `{{#${w}}}`),
      word.map((w) => `{{/${w}}}`),
      // Not "{%" or a quoted literal: `{% name %}` and `{{ "x" }}` are template code by the rule.
      fc.constantFrom("{{", "}}", "%}", "{{ }}", "{{ . }}", "{ {", "50%", "{{ a + b }}", "{{ -1 - 2 }}"),
    );
    const prose = fc.string({ maxLength: 10 }).map((s) => s.replace(/[{}%`<>&\\[\]()*_~!#|]/g, "").replace(/\n/g, " "));
    const parser = new MarkdownIt();
    fc.assert(
      fc.property(fc.array(fc.oneof(braces, prose), { maxLength: 12 }), (pieces) => {
        const text = pieces.join(" ");
        const out = expandTemplates(text, parser, { file: "p.md", firstLine: 1, baseUrl: BASE, context: CONTEXT, clean: (h) => h });
        assert.equal(out.markdown, text);
        assert.deepEqual(out.problems, []);
      }),
      { numRuns: 400 },
    );
  });
});

describe("one warning per kind of template code for the whole build", () => {
  const w = (file: string, line: number, message: string, group?: string): Problem => ({ ...warning(file, line, "body", message), ...(group === undefined ? {} : { group }) });

  it("grouped at the first file and line with the count; ungrouped problems pass as they are", () => {
    const problems = [w("b.md", 3, "tag x", "t:x"), w("a.md", 9, "other"), w("a.md", 7, "tag x", "t:x"), w("a.md", 8, "tag x", "t:x"), w("c.md", 1, "tag y", "t:y")];
    assert.deepEqual(groupTemplateWarnings(problems).map(formatProblem), ["a.md:7 warning: body: tag x (3 times in 2 files; this is the first)", "a.md:9 warning: body: other", "c.md:1 warning: body: tag y"]);
    assert.deepEqual(groupTemplateWarnings([w("a.md", 1, "m", "g"), w("a.md", 4, "m", "g")]).map(formatProblem), ["a.md:1 warning: body: m (2 times in this file; this is the first)"]);
  });

  // With archives off, articles are rendered only when a document shows them (src/pipeline/prepare.ts): grouped there too.
  for (const archives of [true, false]) {
    it(`through a build: an include in every post is one warning (archives: ${archives})`, async () => {
      const post = (n: number) => `---\ntitle: P${n}\ndate: 2024-01-0${n}\n---\nText.\n\n{% include note.html %}\n\n{% include note.html %}\n`;
      const dir = project({ "a.md": post(1), "b.md": post(2), "c.md": post(3) }, `---\ntitle: T\nurl: https://example.org/\narchives: ${archives}\n---\n`);
      const result = await planBuild({ contentDir: join(dir, "content"), outDir: join(dir, "dist"), now: DateTime.fromISO("2030-01-01T00:00:00Z") });
      const shown = result.problems.map(formatProblem).filter((m) => m.includes("body:"));
      assert.equal(shown.length, 1, shown.join("\n"));
      assert.match(shown[0]!, /content\/a\.md:7 warning: body: Liquid tag \{% include %\} is not supported: .* \(6 times in 3 files; this is the first\)$/);
    });
  }
});

describe("Hugo shortcodes", () => {
  it("figure's caption and attr are Markdown, as Hugo renders them (markdownify); its title is text", () => {
    const out = render('{{< figure src="c.png" alt="C" title="A *title*" caption="A **bold** caption with [a link](/x)" attr="By *Ann*" attrlink="https://ann.example/" >}}\n');
    assert.equal(out.html, '<figure><img src="https://example.org/blog/post/c.png" alt="C" title="A *title*" /><figcaption><h4>A *title*</h4><p>A <strong>bold</strong> caption with <a href="https://example.org/x">a link</a> <a href="https://ann.example/">By <em>Ann</em></a></p></figcaption></figure>\n');
    assert.deepEqual(out.problems, []);
  });

  it("figure, with its caption", () => {
    const out = render('{{< figure src="chart.png" alt="A chart" caption="Sales" link="big.png" >}}\n');
    assert.equal(out.html, '<figure><a href="https://example.org/blog/post/big.png"><img src="https://example.org/blog/post/chart.png" alt="A chart" /></a><figcaption><p>Sales</p></figcaption></figure>\n');
  });

  it("ref and relref are the URL of that article", () => {
    const out = render('[a]({{< ref "news/0.89/index.md" >}}) [b]({{< relref "/news/0.89" >}}) [c]({{< ref "0.89" >}})\n');
    assert.equal((out.html.match(/href="https:\/\/example\.org\/blog\/news\/0\.89\/"/g) ?? []).length, 3);
    assert.deepEqual(out.problems, []);
  });

  it("highlight is a code block", () => {
    const out = render('{{< highlight go "linenos=table" >}}\nfunc main() {}\n{{< / highlight >}}\n');
    assert.equal(out.html, '<pre><code class="language-go">func main() {}\n</code></pre>\n');
  });

  it("youtube, vimeo, gist and x become links, never frames or scripts", () => {
    const out = render('{{< youtube w7Ft2ymGmfc >}}\n\n{{< youtube id="w7Ft2ymGmfc" title="A talk" >}}\n\n{{< vimeo 146022717 >}}\n\n{{< gist spf13 7896402 "img.html" >}}\n\n{{< x user="SanDiegoZoo" id="1453110110599868418" >}}\n\n{{< tweet 1453110110599868418 >}}\n');
    assert.equal(
      out.html,
      [
        '<p><a href="https://www.youtube.com/watch?v=w7Ft2ymGmfc">Video on YouTube (w7Ft2ymGmfc)</a></p>',
        '<p><a href="https://www.youtube.com/watch?v=w7Ft2ymGmfc">A talk</a></p>',
        '<p><a href="https://vimeo.com/146022717">Video on Vimeo (146022717)</a></p>',
        '<p><a href="https://gist.github.com/spf13/7896402#file-img-html">https://gist.github.com/spf13/7896402#file-img-html</a></p>',
        '<p><a href="https://x.com/SanDiegoZoo/status/1453110110599868418">Post by @SanDiegoZoo on X: https://x.com/SanDiegoZoo/status/1453110110599868418</a></p>',
        '<p><a href="https://x.com/i/status/1453110110599868418">Post on X: https://x.com/i/status/1453110110599868418</a></p>',
        "",
      ].join("\n"),
    );
    assert.deepEqual(out.problems, []);
  });

  // Tried: with link fragments wrapped in <p> and no restoreFragmentText, the paragraph nested a
  // <p> and the excerpt held private-use placeholder characters.
  it("inside a sentence: no nested paragraph, and the excerpt reads as text", () => {
    const out = render('Thanks {{< gh "bep" >}} for {{< youtube abc >}}.\n');
    assert.equal(out.html, '<p>Thanks <a href="https://github.com/bep">bep</a> for <a href="https://www.youtube.com/watch?v=abc">Video on YouTube (abc)</a>.</p>\n');
    assert.equal(out.excerpt, "Thanks bep for Video on YouTube (abc).");
  });

  it("param reads the article, then the site", () => {
    assert.equal(render('{{< param "title" >}} / {{< param mastodon >}}\n').html, "<p>This post / @me</p>\n");
  });

  it("site-defined shortcodes fill their pattern, values escaped, the result sanitised", () => {
    const out = render('Thanks {{< gh "@bep" >}} and {{< gh "<script>alert(1)</script>" >}}.\n\n{{% note kind="tip" %}}Be *kind*{{% /note %}}\n', {
      templates: { ...CONTEXT, shortcodes: { ...CONTEXT.shortcodes, evil: '<img src=x onerror="alert({0})">' } },
    });
    assert.match(out.html, /Thanks <a href="https:\/\/github\.com\/@bep">@bep<\/a> and <a href="https:\/\/github\.com\/%3Cscript%3Ealert\(1\)%3C\/script%3E">&lt;script&gt;alert\(1\)&lt;\/script&gt;<\/a>\./);
    // Hugo renders a {{% %}} shortcode's content as Markdown, a {{< >}} one's as it is.
    assert.match(out.html, /<aside>Be <em>kind<\/em><\/aside>/);
    assert.match(render("{{< note >}}Be *kind*{{< /note >}}\n").html, /<aside>Be \*kind\*<\/aside>/);
    const evil = render("{{< evil 1 >}}\n", { templates: { ...CONTEXT, shortcodes: { evil: '<img src=x onerror="alert({0})">' } } });
    assert.doesNotMatch(evil.html, /onerror|alert/);
  });

  it("an unknown shortcode is a warning and a visible note; its inner text stays", () => {
    const out = render("Intro.\n\n{{< tabs file=\"hugo\" >}}\nbaseURL: x\n{{< /tabs >}}\n");
    assert.deepEqual(messages(out), [
      `content/p.md:7 warning: body: shortcode tabs is not supported: the article shows "[unsupported shortcode: tabs]" in its place; map it to HTML in the site settings (shortcodes:)`,
    ]);
    assert.equal(out.html, "<p>Intro.</p>\n<p>[unsupported shortcode: tabs]\nbaseURL: x</p>\n");
  });

  // Hugo's documentation theme's code-toggle: 342 uses in gohugoio/hugoDocs, its content settings
  // (Go template code among them) that were flattened into a paragraph.
  it("code-toggle is a code block in its format, template code inside kept", () => {
    const out = render("{{< code-toggle file=hugo >}}\ntitle = '{{ .Date }}'\n[params]\n{{< /code-toggle >}}\n\n{{< code-toggle >}}\na:\n  b: 1\n{{< /code-toggle >}}\n");
    assert.equal(out.html, "<pre><code class=\"language-toml\">title = '{{ .Date }}'\n[params]\n</code></pre>\n<pre><code class=\"language-yaml\">a:\n  b: 1\n</code></pre>\n");
    assert.deepEqual(out.problems, []);
  });

  it("{{</* name */>}} shows the shortcode as written", () => {
    assert.equal(render("Write {{</* gh \"x\" */>}} in a post.\n").html, '<p>Write {{&lt; gh "x" &gt;}} in a post.</p>\n');
  });
});

describe("code keeps template code as written", () => {
  it("fenced, indented and inline code, in lists and quotes too", () => {
    const md = [
      "Use `{% raw %}` and ``{{< gh x >}}``.",
      "",
      "```liquid",
      "{% for p in site.posts %}{{ p.title }}{% endfor %}",
      "```",
      "",
      "    {{< youtube x >}}",
      "",
      "- item",
      "",
      "  ~~~",
      "  {{% note %}}",
      "  ~~~",
      "> ```",
      "> {{ site.title }}",
      "> ```",
      "",
    ].join("\n");
    const out = render(md);
    assert.deepEqual(out.problems, []);
    assert.equal(expandTemplates(md, new MarkdownIt(), { file: "p.md", firstLine: 1, baseUrl: BASE, context: CONTEXT, clean: (h) => h }).markdown, md);
    for (const code of ["{% raw %}", "{{&lt; gh x &gt;}}", "{% for p in site.posts %}{{ p.title }}{% endfor %}", "{{&lt; youtube x &gt;}}", "{{% note %}}", "{{ site.title }}"]) assert.ok(out.html.includes(code), code);
  });

  // Text without template code outside code must come out byte for byte as it went in.
  it("property: Markdown with template code only inside code is left as it is", () => {
    const template = fc.constantFrom("{% raw %}", "{{ site.title }}", "{{< gh x >}}", "{{% note %}}", "{%", "{{", "}}", "%}");
    const plain = fc.string({ maxLength: 12 }).map((s) => s.replace(/[{`~]/g, "").replace(/\n/g, " "));
    const piece = fc.oneof(
      plain,
      fc.constantFrom("\n", "\n\n", "- ", "> ", "1. ", "*", "_", "[", "](", ")", "<div>", "</div>", "\\"),
      fc.tuple(template, plain).map(([t, p]) => `\`${p}${t}\``),
      fc.tuple(template, plain).map(([t, p]) => `\n\n\`\`\`\n${p}${t}\n\`\`\`\n\n`),
      fc.tuple(template, plain).map(([t, p]) => `\n\n    ${p}${t}\n\n`),
    );
    const parser = new MarkdownIt();
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 15 }), (pieces) => {
        const md = pieces.join("");
        const out = expandTemplates(md, parser, { file: "p.md", firstLine: 1, baseUrl: BASE, context: EMPTY_CONTEXT, clean: (h) => h });
        // Only where markdown-it agrees every template piece is code does the property apply.
        const text = parser.parse(md, {}).filter((t) => t.type === "inline").flatMap((t) => t.children ?? []).filter((c) => c.type === "text").map((c) => c.content).join("");
        fc.pre(!/\{[{%]/.test(text));
        assert.equal(out.markdown, md);
        assert.deepEqual(out.problems, []);
      }),
      { numRuns: 400 },
    );
  });

  it("property: template code outside code never reaches the reader raw", () => {
    const construct = fc.constantFrom("{% include x.html %}", "{{ site.title }}", "{{ page.nope | upcase }}", "{{< gh \"a\" >}}", "{{< nope 1 >}}", "{{% nope %}}", "{{< /nope >}}", "{% if a %}", "{% endif %}", "{% link _posts/2016-03-10-easier.md %}", "{{< youtube abc >}}", "{{< figure src=\"a.png\" >}}", "{% highlight js %}x{% endhighlight %}");
    const piece = fc.oneof(construct, fc.constantFrom("\n\n", "text ", "- ", "> ", "*", "[x](", ")", "<div>", "</div>"));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const html = render(pieces.join("")).html.replace(/<code[^>]*>[\s\S]*?<\/code>/g, "");
        assert.doesNotMatch(html, /\{%|\{\{&lt;|\{\{<|\{\{%|\{\{ ?(site|page)/);
      }),
      { numRuns: 300 },
    );
  });
});

describe("template code through the whole build", () => {
  it("{% post_url %} to another article, {{ site.X }} from _index.md, and a site shortcode", async () => {
    const dir = project(
      {
        "_posts/2016-03-10-easier.md": "---\ntitle: Easier\ndate: 2016-03-10\n---\nEasier.\n",
        "later.md": '---\ntitle: Later\ndate: 2016-04-01\n---\nSee [the last post]({% post_url 2016-03-10-easier %}) on {{ site.repository }}, thanks {{< gh "bep" >}}.\n',
      },
      `---\ntitle: T\nurl: https://example.org/blog/\nparams:\n  x: 1\nshortcodes:\n  gh: '<a href="https://github.com/{0}">{0}</a>'\nrepository: me/site\n---\n`,
    );
    const result = await planBuild({ contentDir: join(dir, "content"), outDir: join(dir, "dist"), now: DateTime.fromISO("2030-01-01T00:00:00Z") });
    assert.ok(result.plan !== undefined, JSON.stringify(result.problems));
    const json = JSON.parse(result.plan.files.find((f) => f.path === "feed.json")!.content) as { items: { title: string; url: string; content_html: string }[] };
    const easier = json.items.find((i) => i.title === "Easier")!;
    const later = json.items.find((i) => i.title === "Later")!;
    assert.equal(later.content_html, `<p>See <a href="${easier.url}">the last post</a> on me/site, thanks <a href="https://github.com/bep">bep</a>.</p>\n`);
  });
});
