// Pieces shared by the dashboard's forms (themes, trying a page, a segment): a labelled field, the
// line that shows the server's refusal as it words it, and a submission that keeps its buttons
// disabled while the API answers, so a double click does not save twice.

import { h } from './render.ts';

/** A control with its visible label: the label element wraps it, which also names it for screen readers. */
export function field(label: string, control: HTMLElement, { wide = false }: { wide?: boolean } = {}): HTMLLabelElement {
  return h('label', { class: wide ? 'field wide' : 'field' }, h('span', null, label), control);
}

export interface FormMessage {
  element: HTMLElement;
  /** Shows the text, or hides the line when there is none. */
  show(text?: string): void;
}

export function formMessage(testId: string): FormMessage {
  const element = h('p', { class: 'form-message', role: 'alert', 'data-testid': testId, hidden: true });
  return {
    element,
    show(text) {
      element.textContent = text ?? '';
      element.hidden = !text;
    },
  };
}

/** Runs `action` with `buttons` disabled; a failure's message (the API's own) goes to `fail`. */
export async function submitting(buttons: readonly (HTMLButtonElement | null)[], action: () => Promise<void>, fail: (message: string) => void): Promise<void> {
  for (const button of buttons) if (button) button.disabled = true;
  try {
    await action();
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  } finally {
    for (const button of buttons) if (button) button.disabled = false;
  }
}
