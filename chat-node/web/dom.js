/**
 * Builds DOM elements. Text always goes in through textContent or text nodes, never as markup, so whatever
 * people type is shown as typed and never runs.
 */
export function el(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  const { className, text, attrs, data, hidden } = props;
  if (className) {
    element.className = className;
  }
  if (text !== undefined) {
    element.textContent = text;
  }
  for (const [name, value] of Object.entries(attrs ?? {})) {
    element.setAttribute(name, value);
  }
  for (const [name, value] of Object.entries(data ?? {})) {
    element.dataset[name] = value;
  }
  if (hidden) {
    element.hidden = true;
  }
  for (const child of children) {
    element.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return element;
}

/** The element with this id; the page's markup guarantees it exists. */
export function byId(id) {
  return document.getElementById(id);
}
