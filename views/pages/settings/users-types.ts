/** What the Users and roles page shows; built by the console route from the services. */

export type PersonRow = {
  id: string;
  name: string;
  email: string;
  role: string;
  roleLabel: string;
  status: "invited" | "active" | "deactivated";
  twoFactorEnabled: boolean;
  lastSignInAt: Date | null;
};

export type RoleOption = { id: string; label: string; builtIn: boolean; permissions: string[]; members: number };

export type InviteFormState = {
  values: { email: string; name: string; role: string };
  errors: Partial<Record<"email" | "name" | "role" | "form", string>>;
};

export type RoleFormState = {
  values: { name: string; permissions: string[] };
  errors: Partial<Record<"name" | "permissions" | "form", string>>;
};

export type Flash = { kind: "notice" | "error"; text: string };

export type UsersSettingsProps = {
  people: PersonRow[];
  /** Link to the next page of people, or null. */
  nextHref: string | null;
  roles: RoleOption[];
  currentUserId: string;
  canManageUsers: boolean;
  canManageRoles: boolean;
  /** The permissions of the person looking: a custom role may only hold these. */
  availablePermissions: readonly string[];
  confirmDeactivateId: string | null;
  /** The person whose removal (or invitation withdrawal) asks for confirmation. */
  confirmRemoveId: string | null;
  flash: Flash | null;
  invite: InviteFormState;
  newRole: RoleFormState;
  /** A custom role whose edit form failed, with what was typed. */
  editRole: ({ id: string } & RoleFormState) | null;
  csrf: string | null;
};
