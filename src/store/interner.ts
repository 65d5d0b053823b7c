/**
 * One string object per distinct value while loading: database rows bring every user id, org,
 * role, domain and tag as a fresh copy, many thousand times over at scale. Used for one load and
 * dropped with it.
 */
export class Interner {
  private readonly seen = new Map<string, string>();

  get = (value: string): string => {
    const known = this.seen.get(value);
    if (known !== undefined) return known;
    this.seen.set(value, value);
    return value;
  };

  all = (values: string[]): string[] => values.map(this.get);
}
