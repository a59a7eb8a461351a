// The form that defines a segment: a theme and how sustained the interest must be, with optional
// filters. "Preview size" asks the server who would be in it now; Save creates the segment (or
// updates the one being edited). The server checks the ranges and says what is wrong, as shown.

import type { ApiClient } from './api.ts';
import { formatNumber } from './format.ts';
import { field, formMessage, submitting } from './form.ts';
import { h, mount } from './render.ts';
import { splitList } from './theme-editor.ts';
import type { Segment, SegmentDefinition, SegmentMember, Theme, TraitValue } from './types.ts';

/** What the form holds: text, as typed. */
export interface SegmentFields {
  name: string;
  themeId: string;
  minDays: string;
  windowDays: string;
  minInterest: string;
  seenWithinDays: string;
  /** Comma-separated ISO codes. */
  countries: string;
  /** Comma-separated: desktop, mobile, tablet... */
  deviceTypes: string;
  /** One key=value a line; a key given twice matches either value. */
  traits: string;
}

/** The API's defaults, shown in a new form. */
export const DEFAULT_FIELDS: SegmentFields = {
  name: '',
  themeId: '',
  minDays: '3',
  windowDays: '30',
  minInterest: '1',
  seenWithinDays: '14',
  countries: '',
  deviceTypes: '',
  traits: '',
};

const NUMBERS = [
  ['minDays', 'Min days'],
  ['windowDays', 'Window (days)'],
  ['minInterest', 'Min interest'],
  ['seenWithinDays', 'Seen within (days)'],
] as const;

/** The definition the API takes, or the first thing in the fields that cannot be one; ranges are the server's to check. */
export function readSegmentFields(fields: SegmentFields): { definition: SegmentDefinition } | { error: string } {
  const numbers: Partial<Record<(typeof NUMBERS)[number][0], number>> = {};
  for (const [key, label] of NUMBERS) {
    const value = fields[key].trim() === '' ? Number.NaN : Number(fields[key]);
    if (!Number.isFinite(value)) return { error: `${label}: a number` };
    numbers[key] = value;
  }
  const traits: Record<string, TraitValue | TraitValue[]> = {};
  const lines = fields.traits.split('\n');
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;
    const at = line.indexOf('=');
    const key = line.slice(0, at).trim();
    if (at === -1 || key === '') return { error: `Traits, line ${index + 1}: write key=value` };
    const value = line.slice(at + 1).trim();
    const previous = traits[key];
    traits[key] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
  }
  const countries = splitList(fields.countries).map((code) => code.toUpperCase());
  const deviceTypes = splitList(fields.deviceTypes).map((type) => type.toLowerCase());
  return {
    definition: {
      name: fields.name.trim(),
      themeId: fields.themeId,
      minDays: numbers.minDays!,
      windowDays: numbers.windowDays!,
      minInterest: numbers.minInterest!,
      seenWithinDays: numbers.seenWithinDays!,
      ...(Object.keys(traits).length > 0 ? { traits } : {}),
      ...(countries.length > 0 ? { countries } : {}),
      ...(deviceTypes.length > 0 ? { deviceTypes } : {}),
    },
  };
}

/** A saved definition back into the form, to edit it. */
export function segmentFieldsOf(definition: SegmentDefinition): SegmentFields {
  return {
    name: definition.name,
    themeId: definition.themeId,
    minDays: String(definition.minDays),
    windowDays: String(definition.windowDays),
    minInterest: String(definition.minInterest),
    seenWithinDays: String(definition.seenWithinDays),
    countries: definition.countries?.join(', ') ?? '',
    deviceTypes: definition.deviceTypes?.join(', ') ?? '',
    traits: Object.entries(definition.traits ?? {})
      .flatMap(([key, value]) => (Array.isArray(value) ? value : [value]).map((one) => `${key}=${one}`))
      .join('\n'),
  };
}

export interface SegmentFormOptions {
  site: string;
  themes: readonly Theme[];
  /** The segment being edited; a new one when absent. */
  editing?: Segment;
  api: Pick<ApiClient, 'previewSegment' | 'createSegment' | 'updateSegment'>;
  /** Renders members (the preview's sample). */
  membersTable: (members: readonly SegmentMember[], testId: string) => Element;
  onSaved: (segment: Segment) => void;
  onCancel?: () => void;
}

export function segmentForm({ site, themes, editing, api, membersTable, onSaved, onCancel }: SegmentFormOptions): HTMLElement {
  const start = editing ? segmentFieldsOf(editing.definition) : { ...DEFAULT_FIELDS, themeId: themes[0]?.id ?? '' };
  const input = (key: keyof SegmentFields, attrs: Record<string, string | number | boolean>) => h('input', { value: start[key], 'data-testid': `segment-${key}`, ...attrs });
  const inputs = {
    name: input('name', { type: 'text', required: true, maxlength: 100 }),
    themeId: h('select', { required: true, 'data-testid': 'segment-themeId' }, themes.map((theme) => h('option', { value: theme.id }, theme.name))),
    minDays: input('minDays', { type: 'number', min: 1, max: 366, step: 1 }),
    windowDays: input('windowDays', { type: 'number', min: 1, max: 366, step: 1 }),
    minInterest: input('minInterest', { type: 'number', min: 0, step: 'any' }),
    seenWithinDays: input('seenWithinDays', { type: 'number', min: 1, max: 3660, step: 1 }),
    countries: input('countries', { type: 'text', placeholder: 'FR, BE' }),
    deviceTypes: input('deviceTypes', { type: 'text', placeholder: 'desktop, mobile' }),
    traits: h('textarea', { rows: 3, placeholder: 'plan=pro\nplan=team', spellcheck: 'false', 'data-testid': 'segment-traits' }, start.traits),
  };
  inputs.themeId.value = start.themeId;
  const read = (): SegmentFields => Object.fromEntries(Object.entries(inputs).map(([key, element]) => [key, element.value])) as unknown as SegmentFields;

  const message = formMessage('segment-error');
  const preview = h('div', { class: 'segment-preview', 'data-testid': 'segment-preview', 'aria-live': 'polite' });
  const buttons = [
    h('button', { type: 'button', 'data-testid': 'segment-preview-button', onclick: () => void run('preview') }, 'Preview size'),
    h('button', { type: 'submit', 'data-testid': 'segment-save' }, editing ? 'Save changes' : 'Save segment'),
    onCancel ? h('button', { type: 'button', onclick: onCancel }, 'Cancel') : null,
  ];

  async function run(action: 'preview' | 'save') {
    // The browser's own checks (required fields, number ranges) first, as a submit would run them.
    if (!form.reportValidity()) return;
    const checked = readSegmentFields(read());
    message.show('error' in checked ? checked.error : undefined);
    if ('error' in checked) return;
    await submitting(
      buttons,
      async () => {
        if (action === 'save') {
          onSaved(editing ? await api.updateSegment(site, editing.id, checked.definition) : await api.createSegment(site, checked.definition));
          return;
        }
        const found = await api.previewSegment(site, checked.definition);
        mount(
          preview,
          h('p', null, h('strong', { 'data-testid': 'preview-size' }, `${formatNumber(found.size)} ${found.size === 1 ? 'member' : 'members'}`), ` now, ${formatNumber(found.people)} of them identified people.`),
          found.size > found.sample.length ? h('p', { class: 'muted' }, `A sample of ${formatNumber(found.sample.length)}:`) : null,
          found.sample.length > 0 ? membersTable(found.sample, 'preview-members') : null,
        );
      },
      message.show,
    );
  }

  const form = h(
    'form',
    {
      class: 'card editor segment-form',
      'data-testid': 'segment-form',
      'aria-label': editing ? `Edit segment ${editing.definition.name}` : 'New segment',
      onsubmit: (event) => {
        event.preventDefault();
        void run('save');
      },
    },
    h('h2', null, editing ? 'Edit segment' : 'New segment'),
    h('p', { class: 'muted' }, 'People and visitors active on a theme on at least “min days” distinct days of the last “window” days, with at least “min interest” (engaged minutes weighted by how much each page is about the theme) and seen recently.'),
    h('div', { class: 'fields' }, field('Name', inputs.name), field('Theme', inputs.themeId)),
    h('div', { class: 'fields' }, NUMBERS.map(([key, label]) => field(label, inputs[key]))),
    h('div', { class: 'fields' }, field('Countries (optional)', inputs.countries), field('Device types (optional)', inputs.deviceTypes)),
    field('Traits (optional, people only): key=value, one a line', inputs.traits, { wide: true }),
    message.element,
    h('div', { class: 'form-actions' }, buttons),
    preview,
  );
  return form;
}
