// A safe Markdown subset rendered straight to DOM nodes: paragraphs, line breaks, lists, **bold**, *italic*,
// `code`, fenced code blocks and http(s) links. No HTML from the text is ever interpreted.
import { h } from "./dom.js";

export function renderMarkdown(text) {
  const fragment = document.createDocumentFragment();
  const lines = String(text ?? "").replace(/\r\n?/g, "\n").split("\n");
  let index = 0;
  while (index < lines.length) {
    const line = lines[index];
    if (line.startsWith("```")) {
      const code = [];
      index += 1;
      while (index < lines.length && !lines[index].startsWith("```")) code.push(lines[index++]);
      index += 1;
      fragment.append(h("pre", {}, h("code", {}, code.join("\n"))));
      continue;
    }
    const bullet = /^\s*(?:[-*•]|\d+[.)])\s+/;
    if (bullet.test(line)) {
      const ordered = /^\s*\d+[.)]\s+/.test(line);
      const list = h(ordered ? "ol" : "ul");
      while (index < lines.length && bullet.test(lines[index])) {
        list.append(h("li", {}, inline(lines[index].replace(bullet, ""))));
        index += 1;
      }
      fragment.append(list);
      continue;
    }
    if (line.trim() === "") { index += 1; continue; }
    const paragraph = [];
    while (index < lines.length && lines[index].trim() !== "" && !lines[index].startsWith("```") && !bullet.test(lines[index])) {
      paragraph.push(lines[index++]);
    }
    const p = h("p");
    paragraph.forEach((text, position) => {
      if (position > 0) p.append(h("br"));
      p.append(inline(text));
    });
    fragment.append(p);
  }
  return fragment;
}

/** Inline spans: code first (its content is literal), then links, bold and italic. */
function inline(text) {
  const fragment = document.createDocumentFragment();
  const pattern = /(`[^`]+`)|\[([^\]]+)\]\((https?:\/\/[^\s)]+)\)|\*\*([^*]+)\*\*|\*([^*\s][^*]*)\*/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    fragment.append(text.slice(last, match.index));
    if (match[1]) fragment.append(h("code", {}, match[1].slice(1, -1)));
    else if (match[2]) fragment.append(h("a", { href: match[3], rel: "noopener noreferrer", target: "_blank" }, match[2]));
    else if (match[4]) fragment.append(h("strong", {}, match[4]));
    else if (match[5]) fragment.append(h("em", {}, match[5]));
    last = match.index + match[0].length;
  }
  fragment.append(text.slice(last));
  return fragment;
}
