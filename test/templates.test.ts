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
import { formatProblem } from "../src/problems.ts";
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

  it("a link to no article is a warning with its line, and says so in place", () => {
    const out = render("Intro.\n\n[a]({% post_url 2001-01-01-gone %})\n");
    assert.deepEqual(messages(out), [`content/p.md:7 warning: body: {% post_url 2001-01-01-gone %}: no article at "2001-01-01-gone"`]);
    assert.doesNotMatch(out.html, /\{%/);
    assert.match(out.html, /\[unknown link: 2001-01-01-gone\]/);
  });

  it("{{ site.X }} and {{ page.X }}, escaped, with URL filters", () => {
    const out = render('{{ site.title }} by {{ site.author.name }} ({{ site.repository }}, {{ site.params.mastodon }}) on {{ page.title }} ![x]({{ "/img/a.png" | relative_url }}) {{ site.url }}{{ site.baseurl }} {{ "/x" | absolute_url }} {{ page.tags }}\n');
    assert.equal(
      out.html,
      '<p>Signal &lt;&amp; Noise&gt; by Ann (me/site, @me) on This post <img src="https://example.org/blog/img/a.png" alt="x"> <a href="https://example.org/blog">https://example.org/blog</a> <a href="https://example.org/blog/x">https://example.org/blog/x</a> a, b</p>\n',
    );
    assert.deepEqual(out.problems, []);
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
    const out = render("One.\n\n{% include figure.html src=x %}\n\n{% if site.x %}Kept{% endif %} {{ post.title }} {{ site.nope }}\n");
    assert.deepEqual(messages(out), [
      `content/p.md:7 warning: body: Liquid tag {% include %} is not supported: the article shows "[unsupported Liquid tag: include]" in its place`,
      `content/p.md:9 warning: body: Liquid tag {% if %} is not supported: the article shows "[unsupported Liquid tag: if]" in its place`,
      `content/p.md:9 warning: body: Liquid value {{ post.title }} is not supported: the article shows "[unsupported Liquid value]" in its place`,
      `content/p.md:9 warning: body: {{ site.nope }} has no value: the site settings and the article have no such key`,
    ]);
    assert.equal(out.html, "<p>One.</p>\n<p>[unsupported Liquid tag: include]</p>\n<p>[unsupported Liquid tag: if]Kept [unsupported Liquid value]</p>\n");
  });
});

describe("Hugo shortcodes", () => {
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
    assert.match(out.html, /<aside>Be \*kind\*<\/aside>/);
    const evil = render("{{< evil 1 >}}\n", { templates: { ...CONTEXT, shortcodes: { evil: '<img src=x onerror="alert({0})">' } } });
    assert.doesNotMatch(evil.html, /onerror|alert/);
  });

  it("an unknown shortcode is a warning and a visible note; its inner text stays", () => {
    const out = render("Intro.\n\n{{< code-toggle file=\"hugo\" >}}\nbaseURL: x\n{{< /code-toggle >}}\n");
    assert.deepEqual(messages(out), [
      `content/p.md:7 warning: body: shortcode code-toggle is not supported: the article shows "[unsupported shortcode: code-toggle]" in its place; map it to HTML in the site settings (shortcodes:)`,
    ]);
    assert.equal(out.html, "<p>Intro.</p>\n<p>[unsupported shortcode: code-toggle]\nbaseURL: x</p>\n");
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
