// The signed-in user's organizations in a menu; choosing one makes it the organization they act in
// (useOrganization's switchTo: their primary organization), and every query asks again there.
import { useOrganization } from '@gatehouse/client/react';
import { DropdownMenu } from 'radix-ui';
import { useState } from 'react';
import { errorMessage } from './error-message.js';
import { FormError } from './ui.js';

export interface OrganizationSwitcherProps {
  /** Called once the switch is done, with the organization now current. */
  onSwitch?: (organizationId: string) => void;
}

export function OrganizationSwitcher({ onSwitch }: OrganizationSwitcherProps) {
  const { organization, organizations, switchTo, isSwitching } = useOrganization();
  const [error, setError] = useState<unknown>(null);
  const choose = async (organizationId: string) => {
    if (organizationId === organization?.id) return;
    setError(null);
    try {
      await switchTo(organizationId);
      onSwitch?.(organizationId);
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <div className="gh-switcher">
      <DropdownMenu.Root>
        <DropdownMenu.Trigger className="gh-switcher-trigger" disabled={isSwitching}>
          <span className="gh-visually-hidden">Organization: </span>
          {organization?.name ?? 'Choose an organization'}
          <span aria-hidden="true"> ▾</span>
        </DropdownMenu.Trigger>
        <DropdownMenu.Portal>
          <DropdownMenu.Content className="gh-menu" align="start" sideOffset={4}>
            <DropdownMenu.Label className="gh-menu-label">Switch organization</DropdownMenu.Label>
            <DropdownMenu.RadioGroup value={organization?.id ?? ''} onValueChange={(id) => void choose(id)}>
              {organizations.map((o) => (
                <DropdownMenu.RadioItem key={o.id} value={o.id} className="gh-menu-item">
                  <DropdownMenu.ItemIndicator className="gh-menu-indicator">✓</DropdownMenu.ItemIndicator>
                  {o.name}
                </DropdownMenu.RadioItem>
              ))}
            </DropdownMenu.RadioGroup>
          </DropdownMenu.Content>
        </DropdownMenu.Portal>
      </DropdownMenu.Root>
      {error ? <FormError>{errorMessage(error)}</FormError> : null}
    </div>
  );
}
