// Which page a path shows: the hosted pages the server's mails link to, and the console under /console.
import { ConsoleShell } from './console/shell.tsx';
import { AcceptInvitation } from './hosted/accept-invitation.tsx';
import { ResetPassword } from './hosted/reset-password.tsx';
import { SignIn } from './hosted/sign-in.tsx';
import { SignUp } from './hosted/sign-up.tsx';
import { VerifyEmail } from './hosted/verify-email.tsx';
import { Link, useLocation } from './router.tsx';

const hosted: Record<string, () => React.JSX.Element> = {
  '/sign-in': SignIn,
  '/sign-up': SignUp,
  '/verify-email': VerifyEmail,
  '/reset-password': ResetPassword,
  '/invitations/accept': AcceptInvitation,
};

export function App() {
  const path = useLocation().split('?')[0] ?? '/';
  if (path === '/console' || path.startsWith('/console/')) return <ConsoleShell path={path} />;
  const Hosted = hosted[path];
  if (Hosted) {
    return (
      <main className="hosted">
        <Hosted />
      </main>
    );
  }
  return (
    <main className="hosted">
      <h1>Page not found</h1>
      <p>
        <Link to="/console">Go to the console</Link>
      </p>
    </main>
  );
}
