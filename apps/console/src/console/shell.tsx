// The console's frame: who is signed in, the organization they act in, the navigation, and the page.
import { useGatehouse, useOrganization, useSession, useSignOut } from '@gatehouse/client/react';
import { OrganizationSwitcher } from '@gatehouse/react';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { Link, navigate } from '../router.tsx';
import { Alert, Field, formErrorOf, formValues, Loading, Page } from '../ui.tsx';
import { consolePages } from './pages.tsx';

export function ConsoleShell({ path }: { path: string }) {
  const session = useSession();
  const { organization } = useOrganization();
  const { signOut } = useSignOut();
  const [menuOpen, setMenuOpen] = useState(false);

  useEffect(() => {
    if (session.status === 'signedOut') {
      navigate(`/sign-in?next=${encodeURIComponent(window.location.pathname + window.location.search)}`, {
        replace: true,
      });
    }
  }, [session.status]);
  if (session.status !== 'signedIn' || !session.user) return <Loading />;

  const sub = path.replace(/^\/console\/?/, '');
  const pages = consolePages.filter((p) => !p.platform || session.user?.platform);
  const page = pages.find((p) => p.path === sub);
  return (
    <div className="console">
      <a className="skip" href="#content">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/console" className="brand">
          Gatehouse
        </Link>
        <OrganizationSwitcher />
        <button
          type="button"
          className="menu-toggle"
          aria-expanded={menuOpen}
          aria-controls="nav"
          onClick={() => setMenuOpen(!menuOpen)}
        >
          Menu
        </button>
        <span className="whoami muted">{session.user.email}</span>
        <button type="button" onClick={() => signOut().then(() => navigate('/sign-in'))}>
          Sign out
        </button>
      </header>
      <div className="layout">
        <nav id="nav" className={menuOpen ? 'open' : ''} aria-label="Console">
          <ul>
            {pages.map((p) => (
              <li key={p.path}>
                <Link
                  to={`/console${p.path ? `/${p.path}` : ''}`}
                  aria-current={p === page ? 'page' : undefined}
                  onClick={() => setMenuOpen(false)}
                >
                  {p.title}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <main id="content">
          {!page ? (
            consolePages.some((p) => p.path === sub) ? (
              // A platform page asked for by someone who is not a platform admin: say so, not "no such page".
              <Page title="Not allowed">
                <Alert>Only platform administrators can open this page.</Alert>
              </Page>
            ) : (
              <Page title="Not found">
                <p>No such page.</p>
              </Page>
            )
          ) : organization || page.platform ? (
            page.render(organization?.id ?? '')
          ) : (
            <CreateOrganization />
          )}
        </main>
      </div>
    </div>
  );
}

function CreateOrganization() {
  const client = useGatehouse();
  const queryClient = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const { name = '' } = formValues(event.currentTarget);
    try {
      const created = await client.organizations.create({ name });
      await client.users.updateMe({ organizationId: created.id });
      await queryClient.invalidateQueries();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <Page title="Create your organization">
      <form onSubmit={onSubmit} className="narrow">
        <Field label="Organization name" name="name" required error={error} />
        <Alert>{formErrorOf(error, ['name'])}</Alert>
        <button type="submit" className="primary">
          Create organization
        </button>
      </form>
    </Page>
  );
}
