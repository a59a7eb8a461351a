// The controls above every view: the site's pages (Overview, Themes, Segments), site picker
// and period picker (two dates and presets). They are built once and updated in place on each navigation, so a date being typed
// keeps its focus; every change is a new fragment, hence a history entry.

import { PRESETS, isDay, lastDays, matchingPreset, type Period } from './period.ts';
import { assertSafeAttribute, h } from './render.ts';
import type { View } from './route.ts';
import type { Site } from './types.ts';

const TABS: readonly { view: View | undefined; label: string }[] = [
  { view: undefined, label: 'Overview' },
  { view: 'themes', label: 'Themes' },
  { view: 'segments', label: 'Segments' },
];

export interface HeaderState {
  sites: readonly Site[];
  site: string;
  period: Period;
  today: string;
  /** The site's time zone: presets end on its today. */
  timeZone: string;
  /** The page shown (a journey keeps the one it was opened from). */
  view: View | undefined;
  /** The in-page link ("#...") to a page of this site and period. */
  viewLink: (view: View | undefined) => string;
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
  const tabs = TABS.map((tab) => h('a', { class: 'tab', 'data-testid': `tab-${tab.view ?? 'overview'}`, href: '#' }, tab.label));
  const nav = h('nav', { class: 'tabs', 'aria-label': 'Pages' }, tabs);
  const element = h('header', { class: 'topbar' }, h('div', { class: 'topbar-inner' }, h('h1', { class: 'brand' }, 'Waymark'), nav, controls));

  return {
    element,
    update({ sites, site, period, today, timeZone: siteTimeZone, view, viewLink }) {
      timeZone = siteTimeZone;
      TABS.forEach((tab, index) => {
        const href = viewLink(tab.view);
        // Set in place rather than built by h(), so checked here as h() would.
        assertSafeAttribute('href', href);
        tabs[index]!.setAttribute('href', href);
        if (tab.view === view) tabs[index]!.setAttribute('aria-current', 'page');
        else tabs[index]!.removeAttribute('aria-current');
      });
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
      nav.hidden = !visible;
    },
  };
}
