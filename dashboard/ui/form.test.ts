import { describe, expect, it } from 'vitest';
import { submitting } from './form.ts';

const button = () => ({ disabled: false }) as HTMLButtonElement;

describe('submitting', () => {
  it('keeps the buttons disabled while the action runs, and enables them after', async () => {
    const buttons = [button(), button()];
    const seen: boolean[] = [];
    await submitting([...buttons, null], async () => void seen.push(...buttons.map((b) => b.disabled)), () => {});
    expect(seen).toEqual([true, true]);
    expect(buttons.map((b) => b.disabled)).toEqual([false, false]);
  });

  it('gives a failure\'s message, the server\'s words, to fail', async () => {
    const failures: string[] = [];
    const save = button();
    await submitting([save], () => Promise.reject(new Error('themes.0.id: lower-case letters')), (message) => failures.push(message));
    expect(failures).toEqual(['themes.0.id: lower-case letters']);
    expect(save.disabled).toBe(false);
  });
});
