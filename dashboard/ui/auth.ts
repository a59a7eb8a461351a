// The admin token. The server prints /dashboard#token=... at start: a fragment never
// reaches the server, so the token stays out of access logs and Referer headers. We
// move it to sessionStorage (gone when the tab closes) and out of the address bar, so
// it is not bookmarked, shared in a screenshot or left in history.

import { extractToken } from './route.ts';
import { h } from './render.ts';

const STORAGE_KEY = 'waymark_token';

export interface TokenStore {
  get(): string | undefined;
  set(token: string): void;
  clear(): void;
}

export function createTokenStore(storage: Storage | undefined = globalThis.sessionStorage): TokenStore {
  // Storage can throw (disabled or sandboxed); then the token lives only in memory
  // for this page, which still works until a reload.
  let memory: string | undefined;
  return {
    get() {
      try {
        return storage?.getItem(STORAGE_KEY) ?? memory;
      } catch {
        return memory;
      }
    },
    set(token) {
      memory = token;
      try {
        storage?.setItem(STORAGE_KEY, token);
      } catch {
        // kept in memory above
      }
    },
    clear() {
      memory = undefined;
      try {
        storage?.removeItem(STORAGE_KEY);
      } catch {
        // nothing stored to remove
      }
    },
  };
}

/** Moves a #token=... from the address bar into the store, keeping the rest of the fragment. */
export function adoptTokenFromAddress(store: TokenStore): void {
  const { token, rest } = extractToken(location.hash);
  if (!token) return;
  store.set(token);
  // replaceState, not location.hash: no history entry that still holds the token.
  history.replaceState(history.state, '', `${location.pathname}${location.search}${rest}`);
}

export function tokenForm({ message, onSubmit }: { message?: string; onSubmit: (token: string) => void }): HTMLElement {
  const input = h('input', {
    type: 'password',
    name: 'token',
    id: 'token-input',
    autocomplete: 'off',
    spellcheck: 'false',
    required: true,
    'data-testid': 'token-input',
  });
  const form = h(
    'form',
    {
      class: 'card token-form',
      'data-testid': 'token-form',
      onsubmit: (event) => {
        event.preventDefault();
        const token = input.value.trim();
        if (token) onSubmit(token);
      },
    },
    h('h2', null, 'Sign in'),
    h('p', { class: 'muted' }, 'Enter the admin token that the Waymark server printed when it started.'),
    message ? h('p', { class: 'form-message', role: 'alert', 'data-testid': 'token-message' }, message) : null,
    h('label', { for: 'token-input' }, 'Admin token'),
    h('div', { class: 'row' }, input, h('button', { type: 'submit', 'data-testid': 'token-submit' }, 'Open dashboard')),
  );
  queueMicrotask(() => input.focus());
  return form;
}
