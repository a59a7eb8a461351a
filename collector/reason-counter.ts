/** Counts rejected or dropped requests by reason since start, for the operator's `GET /api/ingest`. */
export class ReasonCounter {
  readonly #counts = new Map<string, number>();

  count(reason: string, by = 1): void {
    this.#counts.set(reason, (this.#counts.get(reason) ?? 0) + by);
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.#counts].sort(([a], [b]) => a.localeCompare(b)));
  }
}
