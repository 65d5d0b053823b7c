import type { Scope } from '@realmgate/client';
import { Link } from '../route';
import { can, type Session } from '../session';
import { Explain } from './Explain';
import { Live } from './Live';
import { Matrix } from './Matrix';
import { Memberships } from './Memberships';
import { Orgs } from './Orgs';
import { Roles } from './Roles';
import { Users } from './Users';
import { Webhooks } from './Webhooks';

export interface RealmProps {
  session: Session;
  realm: string;
}

const TABS: { id: string; label: string; needs: Scope; view: (p: RealmProps) => preact.JSX.Element }[] = [
  { id: 'orgs', label: 'Orgs', needs: 'read', view: Orgs },
  { id: 'users', label: 'Users', needs: 'read', view: Users },
  { id: 'roles', label: 'Roles', needs: 'read', view: Roles },
  { id: 'memberships', label: 'Memberships', needs: 'read', view: Memberships },
  { id: 'matrix', label: 'Matrix', needs: 'read', view: Matrix },
  { id: 'explain', label: 'Explain', needs: 'check', view: Explain },
  { id: 'live', label: 'Live', needs: 'read', view: Live },
  { id: 'webhooks', label: 'Webhooks', needs: 'admin', view: Webhooks },
];

/** One realm, one view at a time; the views the token cannot use are not offered. */
export function RealmView({ session, realm, tab }: RealmProps & { tab: string }) {
  const tabs = TABS.filter((t) => can(session.reach, t.needs, realm));
  const current = tabs.find((t) => t.id === tab) ?? tabs[0];
  return (
    <>
      <nav class="crumbs" aria-label="Breadcrumb">
        <Link to={{}}>Realms</Link> <span aria-hidden="true">/</span> <span>{realm}</span>
      </nav>
      <h1>Realm {realm}</h1>
      <nav class="tabs" aria-label="Realm views">
        {tabs.map((t) => (
          <Link key={t.id} to={{ realm, tab: t.id }} current={t === current}>
            {t.label}
          </Link>
        ))}
      </nav>
      {current ? <current.view session={session} realm={realm} /> : <p role="alert">This token cannot act in realm {realm}.</p>}
    </>
  );
}
