/** The app's own data: orders per org, in memory. Realmgate knows nothing of them. */
export interface Order {
  id: number;
  item: string;
  quantity: number;
  createdBy: string;
}

export class OrderBook {
  private readonly byOrg = new Map<string, Order[]>();
  private nextId = 1;

  list(org: string): Order[] {
    return this.byOrg.get(org) ?? [];
  }

  add(org: string, order: Omit<Order, 'id'>): Order {
    const created = { id: this.nextId++, ...order };
    this.byOrg.set(org, [...this.list(org), created]);
    return created;
  }

  remove(org: string, id: number): boolean {
    const before = this.list(org);
    const after = before.filter((o) => o.id !== id);
    this.byOrg.set(org, after);
    return after.length !== before.length;
  }
}
