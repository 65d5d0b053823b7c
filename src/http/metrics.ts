import type { ServiceDeps } from '../services/deps';

/** Counters kept as plain numbers on the hot path; formatted only when scraped. */
export class Metrics {
  checksAllowed = 0;
  checksDenied = 0;
  changesApplied = 0;

  countDecision(allowed: boolean): void {
    if (allowed) this.checksAllowed += 1;
    else this.checksDenied += 1;
  }

  countDecisions(results: { allowed: boolean }[]): void {
    for (const r of results) {
      if (r.allowed) this.checksAllowed += 1;
      else this.checksDenied += 1;
    }
  }

  render(deps: ServiceDeps | undefined): string {
    const lines = [
      '# HELP realmgate_checks_total Decisions answered, by outcome.',
      '# TYPE realmgate_checks_total counter',
      `realmgate_checks_total{allowed="true"} ${this.checksAllowed}`,
      `realmgate_checks_total{allowed="false"} ${this.checksDenied}`,
      '# HELP realmgate_changes_applied_total Changes applied to the in-memory policy.',
      '# TYPE realmgate_changes_applied_total counter',
      `realmgate_changes_applied_total ${this.changesApplied}`,
      '# HELP realmgate_ready Whether the policy is loaded.',
      '# TYPE realmgate_ready gauge',
      `realmgate_ready ${deps ? 1 : 0}`,
    ];
    if (deps) {
      let memberships = 0;
      for (const realm of deps.state.realms.values()) memberships += realm.membershipCount;
      lines.push(
        '# HELP realmgate_revision The revision of the in-memory policy.',
        '# TYPE realmgate_revision gauge',
        `realmgate_revision ${deps.state.revision}`,
        '# HELP realmgate_realms Realms held in memory.',
        '# TYPE realmgate_realms gauge',
        `realmgate_realms ${deps.state.realms.size}`,
        '# HELP realmgate_memberships Memberships held in memory.',
        '# TYPE realmgate_memberships gauge',
        `realmgate_memberships ${memberships}`,
      );
    }
    return `${lines.join('\n')}\n`;
  }
}
