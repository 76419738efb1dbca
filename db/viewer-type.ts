import type { Locale, Role } from './schema';

/** Who is asking. Every exported verb in db/ takes one and scopes its query by it. */
export type Viewer = {
  id: number;
  email: string;
  displayName: string;
  role: Role;
  locale: Locale;
  sessionId: string;
};
