// A minimal DOM for component tests under Vitest's node environment: just what Preact's renderer
// uses (create, insert, remove, attributes, properties, listeners) plus bubbling events and a few
// queries. It keeps the web app free of a jsdom dependency; browser behaviour proper is covered
// by tests/browser against a real Chromium.

type Listener = (event: FakeEvent) => void;

export class FakeNode {
  parentNode: FakeElement | null = null;
  childNodes: FakeNode[] = [];
  constructor(readonly nodeType: number) {}

  get firstChild(): FakeNode | null {
    return this.childNodes[0] ?? null;
  }
  get nextSibling(): FakeNode | null {
    const siblings = this.parentNode?.childNodes;
    if (!siblings) return null;
    return siblings[siblings.indexOf(this) + 1] ?? null;
  }
  get textContent(): string {
    return this.childNodes.map((c) => c.textContent).join('');
  }
  insertBefore(node: FakeNode, before: FakeNode | null): FakeNode {
    node.remove();
    const at = before ? this.childNodes.indexOf(before) : -1;
    if (at < 0) this.childNodes.push(node);
    else this.childNodes.splice(at, 0, node);
    node.parentNode = this as unknown as FakeElement;
    return node;
  }
  appendChild(node: FakeNode): FakeNode {
    return this.insertBefore(node, null);
  }
  removeChild(node: FakeNode): FakeNode {
    const at = this.childNodes.indexOf(node);
    if (at >= 0) this.childNodes.splice(at, 1);
    node.parentNode = null;
    return node;
  }
  remove(): void {
    this.parentNode?.removeChild(this);
  }
  contains(node: FakeNode | null): boolean {
    for (let n = node; n; n = n.parentNode) if (n === this) return true;
    return false;
  }
}

export class FakeText extends FakeNode {
  constructor(public data: string) {
    super(3);
  }
  override get textContent(): string {
    return this.data;
  }
}

export interface FakeEvent {
  type: string;
  target: FakeElement;
  currentTarget: FakeElement | null;
  defaultPrevented: boolean;
  preventDefault(): void;
  stopPropagation(): void;
  [key: string]: unknown;
}

export class FakeElement extends FakeNode {
  readonly attributes = new Map<string, string>();
  readonly style: Record<string, unknown> = {
    setProperty(this: Record<string, unknown>, k: string, v: string) {
      this[k] = v;
    },
  };
  private readonly listeners = new Map<string, Set<Listener>>();
  // Properties Preact assigns directly (`name in dom`) rather than as attributes.
  value = '';
  checked = false;
  onclick = null;
  oninput = null;
  onchange = null;
  onsubmit = null;
  onkeydown = null;
  onfocus = null;
  onblur = null;

  constructor(
    readonly localName: string,
    readonly namespaceURI: string | null,
  ) {
    super(1);
  }
  get tagName(): string {
    return this.localName.toUpperCase();
  }
  setAttribute(name: string, value: unknown): void {
    this.attributes.set(name, String(value));
  }
  getAttribute(name: string): string | null {
    return this.attributes.get(name) ?? null;
  }
  hasAttribute(name: string): boolean {
    return this.attributes.has(name);
  }
  removeAttribute(name: string): void {
    this.attributes.delete(name);
  }
  addEventListener(type: string, listener: Listener): void {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)?.add(listener);
  }
  removeEventListener(type: string, listener: Listener): void {
    this.listeners.get(type)?.delete(listener);
  }
  /** Bubbles from this element up; returns false when a handler prevented the default. */
  dispatch(type: string, extra: Record<string, unknown> = {}): boolean {
    let stopped = false;
    const event: FakeEvent = {
      type,
      target: this,
      currentTarget: null,
      defaultPrevented: false,
      button: 0,
      preventDefault() {
        event.defaultPrevented = true;
      },
      stopPropagation() {
        stopped = true;
      },
      ...extra,
    };
    for (let el: FakeElement | null = this; el && !stopped; el = el.parentNode) {
      event.currentTarget = el;
      for (const l of [...(el.listeners.get(type) ?? [])]) l.call(el, event);
    }
    return !event.defaultPrevented;
  }
  focus(): void {}
}

export function installDom(): { body: FakeElement } {
  const body = new FakeElement('body', null);
  const doc = {
    body,
    title: '',
    createElement: (name: string) => new FakeElement(name, null),
    createElementNS: (ns: string | null, name: string) => new FakeElement(name, ns),
    createTextNode: (data: string) => new FakeText(String(data)),
    getElementById: (id: string) => find(body, (e) => e.getAttribute('id') === id)[0] ?? null,
  };
  Object.assign(globalThis, { document: doc });
  return { body };
}

export function container(): FakeElement {
  const root = new FakeElement('div', null);
  (globalThis as unknown as { document: { body: FakeElement } }).document.body.appendChild(root);
  return root;
}

// --- queries and interactions ------------------------------------------------------------------

export function find(root: FakeNode, match: (e: FakeElement) => boolean): FakeElement[] {
  const out: FakeElement[] = [];
  const walk = (n: FakeNode) => {
    if (n instanceof FakeElement && match(n)) out.push(n);
    n.childNodes.forEach(walk);
  };
  root.childNodes.forEach(walk);
  return out;
}

export const byTestId = (root: FakeNode, id: string) => find(root, (e) => e.getAttribute('data-testid') === id);

export function oneByTestId(root: FakeNode, id: string): FakeElement {
  const found = byTestId(root, id);
  if (found.length !== 1) throw new Error(`expected one [data-testid=${id}], found ${found.length}`);
  return found[0] as FakeElement;
}

/** The button (or link) whose text is exactly `text`. */
export function byText(root: FakeNode, tag: string, text: string): FakeElement {
  const found = find(root, (e) => e.localName === tag && e.textContent.trim() === text);
  if (!found[0]) throw new Error(`no <${tag}> with text "${text}"`);
  return found[0];
}

export function labelled(root: FakeNode, label: string): FakeElement {
  const forLabel = find(root, (e) => e.localName === 'label' && e.textContent.trim().startsWith(label))[0];
  const id = forLabel?.getAttribute('for');
  const control = id ? find(root, (e) => e.getAttribute('id') === id)[0] : undefined;
  if (!control) throw new Error(`no control labelled "${label}"`);
  return control;
}

export function typeInto(el: FakeElement, value: string): void {
  el.value = value;
  el.dispatch('input');
}

export function setChecked(el: FakeElement, checked: boolean): void {
  el.checked = checked;
  el.dispatch('change');
}
