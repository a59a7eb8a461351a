// The only way the dashboard creates elements. Everything shown comes from tracked
// pages and is untrusted, so:
// - children that are strings become text nodes, never markup;
// - attributes go through setAttribute after assertSafeAttribute: no inline handlers
//   (functions are attached with addEventListener instead), no style or srcdoc, and
//   URL-bearing attributes only take in-page "#..." links, so data can never become a
//   javascript: URL.
// This module, not each view, is where innerHTML is kept out of the codebase.

export type Child = Node | string | number | null | undefined | false | readonly Child[];
type AttrValue = string | number | boolean | null | undefined;
type Listener = (event: Event) => void;
export type Attrs = Record<string, AttrValue | Listener>;

const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'xlink:href', 'poster', 'data', 'background', 'ping']);
const FORBIDDEN_ATTRIBUTES = new Set(['style', 'srcdoc', 'srcset']);
const NAME_PATTERN = /^[a-z][a-z0-9-]*(:[a-z][a-z0-9-]*)?$/i;

/** Throws when an attribute could run script or load something; pure so it can be tested alone. */
export function assertSafeAttribute(name: string, value: string): void {
  const lower = name.toLowerCase();
  if (!NAME_PATTERN.test(name)) throw new Error(`unsafe attribute name: ${name}`);
  if (lower.startsWith('on')) throw new Error(`inline handler ${name}: pass a function instead`);
  if (FORBIDDEN_ATTRIBUTES.has(lower)) throw new Error(`attribute ${name} is not allowed`);
  if (URL_ATTRIBUTES.has(lower) && !value.startsWith('#')) {
    throw new Error(`attribute ${name} only takes in-page links ("#..."), got ${JSON.stringify(value)}`);
  }
}

function applyAttrs(element: Element, attrs: Attrs | null | undefined): void {
  if (!attrs) return;
  for (const [name, value] of Object.entries(attrs)) {
    if (typeof value === 'function') {
      if (!name.startsWith('on')) throw new Error(`listener ${name} must be named on<event>`);
      element.addEventListener(name.slice(2).toLowerCase(), value);
      continue;
    }
    if (value === null || value === undefined || value === false) continue;
    const text = value === true ? '' : String(value);
    assertSafeAttribute(name, text);
    element.setAttribute(name, text);
  }
}

function appendChildren(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) appendChildren(parent, child);
    else if (typeof child === 'string' || typeof child === 'number') parent.appendChild(document.createTextNode(String(child)));
    else parent.appendChild(child as Node);
  }
}

/** h('td', { class: 'num' }, '42') → <td class="num">42</td>. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  applyAttrs(element, attrs);
  appendChildren(element, children);
  return element;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** The same builder for SVG elements, which need their namespace. */
export function s<K extends keyof SVGElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG_NS, tag) as SVGElementTagNameMap[K];
  applyAttrs(element, attrs);
  appendChildren(element, children);
  return element;
}

/** Replaces everything inside `parent`. */
export function mount(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  appendChildren(parent, children);
}
