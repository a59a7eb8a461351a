// The controls above every view: site picker and period picker (two dates and presets).
// They are built once and updated in place on each navigation, so a date being typed
// keeps its focus; every change is a new fragment, hence a history entry.

import { PRESETS, isDay, lastDays, matchingPreset, type Period } from './period.ts';
import { h } from './render.ts';
import type { Site } from './types.ts';

export interface HeaderState {
  sites: readonly Site[];
  site: string;
  period: Period;
  today: string;
  /** The site's time zone: presets end on its today. */
  timeZone: string;
}

export interface HeaderOptions {
  onSiteChange: (site: string) => void;
  onPeriodChange: (period: Period) => void;
  now: () => Date;
}

export interface Header {
  element: HTMLElement;
  update(state: HeaderState): void;
  /** Hides the controls (no token, or no site yet) but keeps the title. */
  setControlsVisible(visible: boolean): void;
}

export function createHeader({ onSiteChange, onPeriodChange, now }: HeaderOptions): Header {
  const sitePicker = h('select', { 'data-testid': 'site-picker', id: 'site-picker', onchange: () => onSiteChange(sitePicker.value) });
  const from = h('input', { type: 'date', 'data-testid': 'period-from', 'aria-label': 'From', required: true });
  const to = h('input', { type: 'date', 'data-testid': 'period-to', 'aria-label': 'To', required: true });

  // Keep the range ordered: moving one end past the other drags the other along.
  from.addEventListener('change', () => {
    if (!isDay(from.value)) return;
    onPeriodChange({ from: from.value, to: isDay(to.value) && to.value >= from.value ? to.value : from.value });
  });
  to.addEventListener('change', () => {
    if (!isDay(to.value)) return;
    onPeriodChange({ from: isDay(from.value) && from.value <= to.value ? from.value : to.value, to: to.value });
  });

  let timeZone = 'UTC';
  const presetButtons = PRESETS.map((preset) =>
    h('button', { type: 'button', class: 'preset', 'data-testid': `preset-${preset.id}`, 'data-preset': preset.id, onclick: () => onPeriodChange(lastDays(preset.days, now(), timeZone)) }, preset.label),
  );

  const controls = h(
    'div',
    { class: 'controls' },
    h('label', { class: 'control' }, h('span', null, 'Site'), sitePicker),
    h('div', { class: 'control period' }, h('span', null, 'Period'), from, h('span', { class: 'dash' }, '–'), to, h('div', { class: 'presets', role: 'group', 'aria-label': 'Period presets' }, presetButtons)),
  );
  const element = h('header', { class: 'topbar' }, h('div', { class: 'topbar-inner' }, h('h1', { class: 'brand' }, 'Waymark'), controls));

  return {
    element,
    update({ sites, site, period, today, timeZone: siteTimeZone }) {
      timeZone = siteTimeZone;
      const domains = sites.map((item) => item.domain);
      // A linked site that the list does not know still shows, so the picker tells the truth.
      if (!domains.includes(site)) domains.push(site);
      sitePicker.replaceChildren(...domains.map((domain) => h('option', { value: domain }, domain)));
      sitePicker.value = site;

      for (const input of [from, to]) input.max = today;
      if (from.value !== period.from) from.value = period.from;
      if (to.value !== period.to) to.value = period.to;

      const active = matchingPreset(period, now(), timeZone)?.id;
      for (const button of presetButtons) button.setAttribute('aria-pressed', String(button.dataset.preset === active));
    },
    setControlsVisible(visible) {
      controls.hidden = !visible;
    },
  };
}
