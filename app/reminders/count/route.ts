import { countDueReminders } from '@/db/reminders';
import { getViewer } from '@/db/viewer';

/**
 * The number on the header's badge. The root layout is not re-rendered on client-side
 * navigation, so the badge asks here whenever the page changes.
 */
export async function GET() {
  const viewer = await getViewer();
  if (!viewer) return Response.json({ count: 0 }, { status: 401, headers: { 'Cache-Control': 'no-store' } });
  return Response.json({ count: countDueReminders(viewer) }, { headers: { 'Cache-Control': 'no-store' } });
}
