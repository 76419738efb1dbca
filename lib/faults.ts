import { headers } from 'next/headers';

/**
 * Failures on request, for the end-to-end tests of what a visitor sees when the app itself fails
 * (e2e/crash-page.spec.ts). Only a server started with RESPITE_FAULTS=1 (the e2e server, never
 * `npm start`) looks at the header at all; anywhere else this returns at once.
 */
export const FAULT_HEADER = 'x-respite-fault';

export type FaultPlace = 'root-layout';

/** Throws when the request asks for a failure at this place (header `x-respite-fault: <place>`). */
export async function failHereIfAsked(place: FaultPlace): Promise<void> {
  if (process.env.RESPITE_FAULTS !== '1') return;
  if ((await headers()).get(FAULT_HEADER) === place) throw new Error(`failure asked for at ${place} (RESPITE_FAULTS=1)`);
}
