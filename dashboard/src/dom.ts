/**
 * Building DOM without a framework: `h` makes an element from a tag, attributes (functions under
 * `on…` become listeners) and children; `s` does the same in the SVG namespace.
 *
 * @module
 */

/** What may be a child: nodes, text, numbers, nothing, or lists of them. */
export type Child = Node | string | number | null | undefined | false | Child[];
/** Attributes: text, numbers and booleans; `on…` listeners. */
export type Attrs = Record<string, string | number | boolean | null | undefined | ((e: Event) => void)>;

function fill(el: Element, attrs: Attrs | null, children: Child[]): void {
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (typeof value === "function") el.addEventListener(name.slice(2), value);
    else if (value === true) el.setAttribute(name, "");
    else if (value !== false && value !== null && value !== undefined) el.setAttribute(name, String(value));
  }
  const add = (c: Child): void => {
    if (Array.isArray(c)) c.forEach(add);
    else if (c instanceof Node) el.append(c);
    else if (c !== null && c !== undefined && c !== false && c !== "") el.append(String(c));
  };
  children.forEach(add);
}

/**
 * An HTML element.
 *
 * @example
 * h("button", { type: "button", onclick: () => go() }, "Roll back")
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs | null = null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  fill(el, attrs, children);
  return el;
}

/**
 * An SVG element.
 *
 * @example
 * s("line", { x1: 0, x2: 10, y1: 0, y2: 0 })
 */
export function s(tag: string, attrs: Attrs | null = null, ...children: Child[]): SVGElement {
  const el = document.createElementNS("http://www.w3.org/2000/svg", tag);
  fill(el, attrs, children);
  return el as SVGElement;
}

/**
 * A table whose wide content scrolls on its own (focusable, so a keyboard can scroll it). On a
 * phone its rows stack as cards, each cell labelled with its column (`stack: false` keeps it a
 * scrolling table, for the comparisons whose bars read across).
 *
 * @example
 * table("Variants", ["variant", "subjects"], rows)
 */
export function table(caption: string, head: string[], rows: Child[][], attrs: Attrs = {}, stack = true): HTMLElement {
  const cell = (c: Child, i: number) => (i === 0 ? h("th", { scope: "row" }, c) : h("td", { "data-label": head[i] || null }, c));
  return h(
    "div",
    { class: "scroll", tabindex: 0, role: "region", "aria-label": caption },
    h("table", { ...attrs, class: stack ? "stack" : null }, h("caption", null, caption), h("thead", null, h("tr", null, head.map((c) => h("th", { scope: "col" }, c)))), h("tbody", null, rows.map((r) => h("tr", null, r.map(cell))))),
  );
}

/**
 * A number cell's content: the text shown, with the exact value in `data-value`.
 *
 * @example
 * num(0.1234, pct) // <span data-value="0.1234">12.3%</span>
 */
export function num(value: number | null | undefined, format: (n: number) => string): HTMLElement {
  if (value === null || value === undefined || !Number.isFinite(value)) return h("span", { "data-value": "", class: "none" }, "—");
  return h("span", { "data-value": String(value) }, format(value));
}
