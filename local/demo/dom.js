/**
 * Rendering without HTML strings: every value reaches the page as a text node or an
 * attribute value, never parsed as HTML, so data from the API (a session's user agent,
 * an email) cannot inject markup or script (OWASP ASVS 5.3.3).
 */

export const byId = (id) => {
  const node = document.getElementById(id);
  if (!node) throw new Error(`the page has no #${id}`);
  return node;
};

/** Attributes `el` may set: none of them can run script. */
const SAFE_ATTRIBUTES = new Set(["class", "type", "title", "datetime", "data-sid"]);

/**
 * A new element with attributes and children; strings become text nodes.
 * @param {string} tag
 * @param {Record<string, string>} attributes
 * @param {...(Node|string)} children
 */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (!SAFE_ATTRIBUTES.has(name)) throw new Error(`el(): attribute ${name} is not allowed`);
    node.setAttribute(name, String(value));
  }
  node.append(...children.map((child) => (typeof child === "string" ? document.createTextNode(child) : child)));
  return node;
}

/** Replaces a node's content with text. */
export function setText(node, text) {
  node.textContent = text ?? "";
}

/** Replaces a node's children. */
export function replaceChildren(node, ...children) {
  node.replaceChildren(...children);
}

/** The trimmed value of a form field by name (passwords are not trimmed: spaces count). */
export function field(form, name) {
  const input = form.elements.namedItem(name);
  if (!input) throw new Error(`#${form.id} has no field ${name}`);
  return input.type === "password" ? input.value : input.value.trim();
}
